// src/cuda: the driver is optional. Without libcuda.so.1 (or with NVIDIA's stub library) every
// entry point reports why instead of failing hard; with a GPU the context, copies, PTX loading
// and launches work. Tests that need a GPU skip without one.
#include "compile/ptx.h"
#include "cuda/cuda.h"
#include "wasm/loaded_module.h"

#include "vm/gpu_launch.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <numeric>

namespace parawasm::cuda {
namespace {

// The driver is opened once per process, so tests that change how it is opened run in a fresh
// process of their own (gtest re-executes the binary for "threadsafe" death tests).
class DriverIsolation : public ::testing::Test {
protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

// Runs check() in a fresh process with `name`=`value`; the test passes when it returns true.
#define PW_EXPECT_IN_FRESH_PROCESS(name, value, check)                                             \
  EXPECT_EXIT(                                                                                     \
      {                                                                                            \
        setenv(name, value, 1);                                                                    \
        std::exit(check() ? 0 : 1);                                                                \
      },                                                                                           \
      ::testing::ExitedWithCode(0), "")

bool contains(const std::string &text, const char *part) {
  if (text.find(part) != std::string::npos)
    return true;
  std::fprintf(stderr, "expected '%s' in: %s\n", part, text.c_str());
  return false;
}

bool missingDriver() {
  auto d = Driver::get();
  std::string why;
  bool none = listDevices(&why).empty();
  auto c = Context::create(0);
  return !d.ok() && contains(d.error().message(), "no CUDA driver") && none &&
         contains(why, "no CUDA driver") && !c.ok() && d.error().kind() == ErrorKind::Io;
}

TEST_F(DriverIsolation, AMissingDriverMeansNoDevices) {
  PW_EXPECT_IN_FRESH_PROCESS("PARAWASM_CUDA_DRIVER", "/nonexistent/libcuda.so.1", missingDriver);
}

bool disabledDriver() {
  auto d = Driver::get();
  return !d.ok() && contains(d.error().message(), "PARAWASM_CUDA_DISABLE") && listDevices().empty();
}

TEST_F(DriverIsolation, TheEnvironmentCanHideEveryGpu) {
  PW_EXPECT_IN_FRESH_PROCESS("PARAWASM_CUDA_DISABLE", "1", disabledDriver);
}

// NVIDIA's stub libcuda.so (shipped with the toolkit for linking) exports every driver function
// and fails them all: opening it proves that every symbol parawasm looks up exists under the
// name it uses, and that a failing cuInit is reported, not fatal.
std::string stubLibrary() {
  for (const char *p :
       {"/usr/local/cuda/lib64/stubs/libcuda.so", "/usr/local/cuda/lib/stubs/libcuda.so",
        "/usr/local/cuda/targets/x86_64-linux/lib/stubs/libcuda.so"})
    if (std::filesystem::exists(p))
      return p;
  return "";
}

bool stubDriver() {
  auto d = Driver::get();
  if (d.ok())
    return false;
  const std::string &m = d.error().message();
  return m.find("lacks") == std::string::npos && contains(m, "cuInit: ") &&
         contains(m, "is not a real driver");
}

TEST_F(DriverIsolation, TheStubLibraryResolvesEverySymbolAndIsRefused) {
  std::string stub = stubLibrary();
  if (stub.empty())
    GTEST_SKIP() << "no CUDA stub library under /usr/local/cuda";
  PW_EXPECT_IN_FRESH_PROCESS("PARAWASM_CUDA_DRIVER", stub.c_str(), stubDriver);
}

TEST(Driver, ListingDevicesNeverFails) {
  std::string why;
  std::vector<DeviceInfo> devices = listDevices(&why);
  if (devices.empty()) {
    EXPECT_FALSE(why.empty());
    return;
  }
  for (const DeviceInfo &d : devices) {
    EXPECT_FALSE(d.name.empty());
    EXPECT_GT(d.totalMemory, 0u);
    EXPECT_GE(d.computeMajor, 3);
    EXPECT_GT(d.maxThreadsPerBlock, 0);
    EXPECT_GT(d.multiprocessors, 0);
  }
}

// ---- With a GPU -----------------------------------------------------------------------------

std::unique_ptr<Context> firstGpu() {
  std::vector<DeviceInfo> devices = listDevices();
  if (devices.empty())
    return nullptr;
  auto c = Context::create(devices[0].ordinal);
  EXPECT_TRUE(c.ok()) << c.error().message();
  return c.ok() ? std::move(*c) : nullptr;
}

#define PW_NEED_GPU(context)                                                                       \
  auto context = firstGpu();                                                                       \
  if (!context)                                                                                    \
  GTEST_SKIP() << "no CUDA GPU"

TEST(Context, CopiesRoundTrip) {
  PW_NEED_GPU(gpu);
  std::vector<uint8_t> in(1 << 20), out(in.size());
  std::iota(in.begin(), in.end(), uint8_t(7));
  auto a = gpu->alloc(in.size());
  auto b = gpu->alloc(in.size());
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(gpu->copyToDevice(*a, in.data(), in.size()).ok());
  ASSERT_TRUE(gpu->copyOnDevice(*b, *a, in.size()).ok());
  ASSERT_TRUE(gpu->fill(*b, 0xab, 16).ok());
  ASSERT_TRUE(gpu->copyToHost(out.data(), *b, out.size()).ok());
  for (size_t i = 0; i < 16; ++i)
    EXPECT_EQ(out[i], 0xab);
  EXPECT_TRUE(std::equal(in.begin() + 16, in.end(), out.begin() + 16));
  gpu->free(*a);
  gpu->free(*b);
}

TEST(Context, ReportsTooMuchMemoryAsExhaustion) {
  PW_NEED_GPU(gpu);
  auto p = gpu->alloc(size_t(gpu->device().totalMemory) * 4);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().kind(), ErrorKind::Exhaustion);
  EXPECT_NE(p.error().message().find("CUDA_ERROR_OUT_OF_MEMORY"), std::string::npos)
      << p.error().message();
}

TEST(Context, BadPtxComesBackWithTheDriversLog) {
  PW_NEED_GPU(gpu);
  auto m = gpu->loadModule(".version 7.0\n.target sm_50\n.address_size 64\nthis is not ptx\n");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("cuModuleLoadDataEx: CUDA_ERROR_"), std::string::npos)
      << m.error().message();
}

// The entry's grid-stride loop: one block of 32 threads covers 1000 iterations.
TEST(Context, OneSmallGridCoversEveryIteration) {
  PW_NEED_GPU(gpu);
  auto loaded = wasm::loadText(R"((module (import "env" "memory" (memory 1))
    (func (export "kernel") (param $i i32) (param i32 i32) (param $p i32) (param i32)
      (i32.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))
                 (i32.mul (local.get $i) (i32.const 3))))))",
                               "grid.wat");
  ASSERT_TRUE(loaded.ok());
  auto ptx = compile::emitPTX(*loaded, 0, gpu->device().sm());
  ASSERT_TRUE(ptx.ok()) << ptx.error().message();
  auto module = gpu->loadModule(*ptx);
  ASSERT_TRUE(module.ok()) << module.error().message();
  auto kernel = (*module)->kernel(vm::kGpuEntrySymbol);
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_GE(kernel->maxThreadsPerBlock, 32);

  constexpr uint32_t n = 1000, guestAddress = 4096;
  auto mirror = gpu->alloc(4 * n);
  auto record = gpu->alloc(sizeof(vm::GpuTrapRecord));
  ASSERT_TRUE(mirror.ok() && record.ok());
  ASSERT_TRUE(gpu->fill(*mirror, 0, 4 * n).ok());
  ASSERT_TRUE(gpu->fill(*record, 0, sizeof(vm::GpuTrapRecord)).ok());
  vm::GpuLaunchParams p{*mirror, guestAddress, guestAddress + 4 * n, 65536, *record, n, 1, 0, n};
  uint32_t args[2] = {guestAddress, 4 * n};
  void *params[vm::kGpuLaunchParamCount + 2];
  vm::gpuLaunchParamPointers(p, params);
  params[vm::kGpuLaunchParamCount] = &args[0];
  params[vm::kGpuLaunchParamCount + 1] = &args[1];
  ASSERT_TRUE(gpu->launch(*kernel, 1, 32, params).ok());
  ASSERT_TRUE(gpu->synchronize().ok());
  std::vector<uint32_t> out(n);
  ASSERT_TRUE(gpu->copyToHost(out.data(), *mirror, 4 * n).ok());
  for (uint32_t i = 0; i < n; ++i)
    ASSERT_EQ(out[i], 3 * i) << "iteration " << i;
  vm::GpuTrapRecord r{};
  ASSERT_TRUE(gpu->copyToHost(&r, *record, sizeof r).ok());
  EXPECT_EQ(r.code, 0u);
  gpu->free(*mirror);
  gpu->free(*record);
}

} // namespace
} // namespace parawasm::cuda
