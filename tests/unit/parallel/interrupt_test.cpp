// Issue 12: an interrupted kernel makes parallel_exec return kernel_trapped to a caller that
// goes on, on every CPU device.
#include "harness.h"
#include "parallel/abi.h"

#include <chrono>
#include <thread>

namespace parawasm::test {
namespace {

using parallel::ErrorCode;

int32_t code(ErrorCode c) { return static_cast<int32_t>(c); }

const std::string kSpinKernel = kernelText(0, "(loop $l (br $l))");
const std::string kNopKernel = kernelText(0, "");

class Interrupt : public ::testing::TestWithParam<DeviceParam> {};

TEST_P(Interrupt, AStoppedKernelIsKernelTrapped) {
  ParallelConfig config;
  config.device = GetParam().device;
  config.threads = GetParam().threads;
  auto guest = Guest::make(config);
  ASSERT_TRUE(guest);
  int32_t dev = guest->device(1);
  auto spin = wat(kSpinKernel), nop = wat(kNopKernel);
  uint32_t spinAt = guest->place(spin), nopAt = guest->place(nop);
  InterruptHandle handle = guest->instance->interruptHandle();
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    handle.interrupt();
  });
  auto started = std::chrono::steady_clock::now();
  // The guest's parallel_exec export returns the call's result without polling again, so the
  // embedder sees what a guest that goes on would see.
  int32_t result = guest->exec(dev, spinAt, uint32_t(spin.size()), 64, 1, {}, {});
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  stopper.join();
  EXPECT_EQ(result, code(ErrorCode::KernelTrapped));
  EXPECT_LT(seconds, 1.0);
  auto e = guest->context->lastError();
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(e->trap == TrapCode::Interrupted);
  EXPECT_EQ(e->message.rfind("interrupt", 0), 0u) << e->message;
  // Reset, the device and the caller run again.
  handle.reset();
  EXPECT_EQ(guest->exec(dev, nopAt, uint32_t(nop.size()), 64, 1, {}, {}), 0);
}

const DeviceParam kDevices[] = {
    {"sequential", "sequential", 1},
    {"cpu2", "cpu", 2},
    {"cpu4", "cpu", 4},
};
INSTANTIATE_TEST_SUITE_P(Devices, Interrupt, ::testing::ValuesIn(kDevices),
                         [](const auto &info) { return std::string(info.param.name); });

} // namespace
} // namespace parawasm::test
