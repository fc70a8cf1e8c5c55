// The kernel-eligible assertions of tests/wast/*.wast on the GPU (wast_kernels.py makes their
// kernels): each kernel's results on the GPU are the sequential device's, bit for bit up to NaN
// payloads, and each assertion that traps there traps on the GPU with the same trap. The
// sequential device is the reference because the wast.* tests check it against the assertions.
// Skips without a GPU (label gpu); cuda.fake_gpu.unit_cuda runs it on the fake driver's PTX
// interpreter.
#include "gpu_harness.h"
#include "parallel/cpu_device.h"
#include "parallel/kernel.h"
#include "wast_gpu_kernels.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <iterator>
#include <string_view>

namespace parawasm::parallel {
namespace {

// Whether the `type` value at a equals the one at b, any two NaNs of the type being equal; a
// "v128:f32x4" or "v128:f64x2" lane by lane, any other v128 bit for bit.
bool sameUpToNan(const uint8_t *a, const uint8_t *b, std::string_view type) {
  if (type == "v128:f32x4" || type == "v128:f64x2") {
    const uint32_t lane = type == "v128:f32x4" ? 4 : 8;
    for (uint32_t at = 0; at < 16; at += lane)
      if (!sameUpToNan(a + at, b + at, lane == 4 ? "f32" : "f64"))
        return false;
    return true;
  }
  if (type.substr(0, 4) == "v128")
    return std::memcmp(a, b, 16) == 0;
  if (type == "f32") {
    uint32_t x, y;
    std::memcpy(&x, a, 4);
    std::memcpy(&y, b, 4);
    auto nan = [](uint32_t v) { return (v & 0x7f800000u) == 0x7f800000u && (v & 0x7fffffu); };
    return x == y || (nan(x) && nan(y));
  }
  if (type == "f64") {
    uint64_t x, y;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, b, 8);
    auto nan = [](uint64_t v) {
      return (v & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (v & 0xfffffffffffffull);
    };
    return x == y || (nan(x) && nan(y));
  }
  return std::memcmp(a, b, type == "i32" ? 4 : 8) == 0;
}

std::string hexBytes(const uint8_t *p, size_t n) {
  std::string s = "0x";
  static const char digits[] = "0123456789abcdef";
  for (size_t k = n; k-- > 0;) {
    s += digits[p[k] >> 4];
    s += digits[p[k] & 15];
  }
  return s;
}

class WastOnGpu : public ::testing::TestWithParam<size_t> {};

constexpr uint8_t kFill = 0xee; // the results' bytes before a run

TEST_P(WastOnGpu, GivesTheSequentialDevicesResults) {
  PW_NEED_GPU(gpuDevice);
  const wast_gpu::WastKernel &k = wast_gpu::kKernels[GetParam()];
  std::string why;
  auto writer = anyDeviceKernel(k.writer, why);
  ASSERT_TRUE(writer) << why;
  auto runner = anyDeviceKernel(k.runner, why);
  ASSERT_TRUE(runner) << why;
  const uint32_t n = k.returns + k.traps;
  const uint32_t argBytes = n * k.argStride, resultBytes = n * k.stride;
  const uint32_t args = 0, results = (argBytes + 255) / 256 * 256;
  const uint32_t pages = (results + resultBytes) / 65536 + 1;
  CpuDevice sequential(DeviceKind::Sequential, 1);
  Guest onSequential(pages), onGpu(pages);
  for (Guest *g : {&onSequential, &onGpu}) {
    PW_ASSERT_OK(run(sequential, *g, writer, n, 0, {{args, argBytes, AccessKind::Write, true}}));
    std::memset(g->at<uint8_t>(results), kFill, resultBytes);
  }
  const std::vector<Buffer> buffers{{results, resultBytes, AccessKind::Write, true},
                                    {args, argBytes, AccessKind::Read, false}};
  if (k.returns) {
    PW_ASSERT_OK(run(sequential, onSequential, runner, n, 0, buffers));
    PW_ASSERT_OK(run(*gpuDevice, onGpu, runner, n, 0, buffers));
    for (uint32_t c = 0; c < n; ++c) {
      std::string_view types = k.cases[c].types;
      for (size_t slot = 0; !types.empty(); ++slot) {
        std::string_view type = types.substr(0, types.find(','));
        types = type.size() < types.size() ? types.substr(type.size() + 1) : std::string_view();
        uint32_t at = results + c * k.stride + uint32_t(k.slot * slot);
        const uint8_t *want = onSequential.at<uint8_t>(at), *got = onGpu.at<uint8_t>(at);
        size_t bytes = type == "i32" || type == "f32" ? 4 : type.size() > 4 ? 16 : 8;
        // The runner stored this result (no wast assertion expects the fill's bytes).
        EXPECT_TRUE(std::any_of(want, want + bytes, [](uint8_t b) { return b != kFill; }))
            << "line " << k.cases[c].line << ": result " << slot << " was not stored";
        EXPECT_TRUE(sameUpToNan(want, got, type))
            << "tests/wast assertion at line " << k.cases[c].line << " (" << k.name << "), result "
            << slot << " (" << type << "): GPU " << hexBytes(got, bytes) << ", sequential "
            << hexBytes(want, bytes);
      }
    }
    return;
  }
  for (uint32_t c = 0; c < n; ++c) {
    Status want = run(sequential, onSequential, runner, n, 0, buffers, c, c + 1);
    Status got = run(*gpuDevice, onGpu, runner, n, 0, buffers, c, c + 1);
    EXPECT_EQ(want.code, ErrorCode::KernelTrapped) << want.message;
    EXPECT_EQ(got.code, want.code) << "line " << k.cases[c].line << ": " << got.message;
    EXPECT_EQ(got.trap, want.trap)
        << "line " << k.cases[c].line << ": " << got.message << " vs " << want.message;
  }
}

std::string kernelName(const ::testing::TestParamInfo<size_t> &info) {
  std::string name;
  for (char c : std::string_view(wast_gpu::kKernels[info.param].name))
    name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Wast, WastOnGpu,
                         ::testing::Range<size_t>(0, std::size(wast_gpu::kKernels)), kernelName);

// The generator still finds the numeric scripts' assertions: checked when this file compiles
// (every unit_cuda test is a GPU test, which the GPU check wants to reach the driver).
constexpr size_t countAssertions(bool trapsOnly) {
  size_t n = 0;
  for (const wast_gpu::WastKernel &k : wast_gpu::kKernels)
    n += k.traps + (trapsOnly ? 0 : k.returns);
  return n;
}
constexpr bool coversScript(std::string_view script) {
  for (const wast_gpu::WastKernel &k : wast_gpu::kKernels)
    if (std::string_view(k.name).substr(0, script.size()) == script)
      return true;
  return false;
}
static_assert(countAssertions(false) >= 5500 && countAssertions(true) >= 100,
              "wast_kernels.py found fewer assertions than tests/wast holds");
static_assert(coversScript("f32.wast") && coversScript("f64.wast") && coversScript("i32.wast") &&
                  coversScript("i64.wast") && coversScript("conversions.wast") &&
                  coversScript("simd_basic.wast") && coversScript("simd_int.wast") &&
                  coversScript("simd_float.wast"),
              "wast_kernels.py left out a numeric or SIMD script");

} // namespace
} // namespace parawasm::parallel
