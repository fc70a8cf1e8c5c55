// Random kernels (random_kernel.h) on the GPU and on the sequential device: the same results,
// bit for bit except the stores the generator marks loose (an arithmetic NaN's payload is the
// device's choice), and the same trap in each iteration that traps. The sequential device is the
// reference: the wast.* and fuzz.diff tests check it against the spec and wabt's interpreter.
// Skips without a GPU (label gpu); cuda.fake_gpu.unit_cuda runs it on the fake driver's PTX
// interpreter, and scripts/gpu-check.sh on a real GPU.
//
// PW_RANDOM_KERNELS=N runs N kernels (default 150) from seed PW_RANDOM_KERNELS_SEED (default 1):
// a longer search, or one failing seed again; PW_RANDOM_KERNEL_WAT=FILE runs the kernel in FILE
// instead of the generated one (reducing a failing kernel by hand).
#include "gpu_harness.h"
#include "parallel/cpu_device.h"
#include "random_kernel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace parawasm::parallel {
namespace {

using namespace random_kernel;

uint64_t environmentNumber(const char *name, uint64_t otherwise) {
  const char *v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 0) : otherwise;
}

bool isNan(const uint8_t *p, uint32_t width) {
  if (width == 4) {
    float f;
    std::memcpy(&f, p, 4);
    return std::isnan(f);
  }
  double d;
  std::memcpy(&d, p, 8);
  return std::isnan(d);
}

// Where iteration regions `want` and `got` differ, or "" where they agree.
std::string difference(const Kernel &k, const uint8_t *want, const uint8_t *got) {
  for (uint32_t at = 0; at < kOutPerIteration;) {
    uint32_t width = 1;
    bool loose = false;
    for (const LooseRange &r : k.loose)
      if (at >= r.offset && at < r.offset + r.size) {
        width = r.width;
        loose = true;
      }
    if (std::memcmp(want + at, got + at, width) != 0 &&
        !(loose && isNan(want + at, width) && isNan(got + at, width))) {
      std::ostringstream s;
      s << "byte " << at << ":";
      for (const uint8_t *p : {got, want}) {
        s << (p == got ? " GPU" : ", sequential") << std::hex;
        for (uint32_t b = at; b < at + 8 && b < kOutPerIteration; ++b)
          s << ' ' << unsigned(p[b]);
        s << std::dec;
      }
      return s.str();
    }
    at += width;
  }
  return "";
}

// Kernel `seed` on both devices; the first difference found, or "".
std::string compare(Device &gpuDevice, uint64_t seed) {
  Kernel k = generate(seed);
  if (const char *path = std::getenv("PW_RANDOM_KERNEL_WAT")) { // a reduced kernel, by hand
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    k.wat = text.str();
  }
  std::string why;
  auto module = anyDeviceKernel(k.wat.c_str(), why);
  if (!module)
    return "not a valid kernel: " + why;
  const std::vector<uint8_t> in = inputData(seed);
  CpuDevice sequential(DeviceKind::Sequential, 1);
  Guest onSequential(kMemoryPages), onGpu(kMemoryPages);
  for (Guest *g : {&onSequential, &onGpu}) {
    std::memcpy(g->at<uint8_t>(kInAddress), in.data(), kInSize);
    std::memset(g->at<uint8_t>(kOutAddress), 0xa5, kOutSize);
  }
  const std::vector<Buffer> buffers{{kInAddress, kInSize, AccessKind::Read, false},
                                    {kOutAddress, kOutSize, AccessKind::ReadWrite, true}};
  auto region = [](Guest &g, uint32_t i) {
    return g.at<uint8_t>(kOutAddress + i * kOutPerIteration);
  };
  Status want = run(sequential, onSequential, module, kIterations, k.blockSize, buffers);
  Status got = run(gpuDevice, onGpu, module, kIterations, k.blockSize, buffers);
  if (want.isOk()) {
    if (!got.isOk())
      return "the GPU failed (" + got.message + "), the sequential device did not";
    for (uint32_t i = 0; i < kIterations; ++i)
      if (std::string d = difference(k, region(onSequential, i), region(onGpu, i)); !d.empty())
        return "iteration " + std::to_string(i) + ", " + d;
    return "";
  }
  if (want.code != ErrorCode::KernelTrapped)
    return "the sequential device failed: " + want.message;
  if (got.code != ErrorCode::KernelTrapped)
    return "the sequential device trapped (" + want.message + "), the GPU " +
           (got.isOk() ? std::string("did not") : "failed: " + got.message);
  // Each iteration on its own: the same trap, or the same results.
  for (uint32_t i = 0; i < kIterations; ++i) {
    want = run(sequential, onSequential, module, kIterations, k.blockSize, buffers, i, i + 1);
    got = run(gpuDevice, onGpu, module, kIterations, k.blockSize, buffers, i, i + 1);
    const std::string iteration = "iteration " + std::to_string(i) + ": ";
    if (want.code != got.code || want.trap != got.trap)
      return iteration +
             "the sequential device: " + (want.isOk() ? std::string("no trap") : want.message) +
             "; the GPU: " + (got.isOk() ? std::string("no trap") : got.message);
    if (want.isOk())
      if (std::string d = difference(k, region(onSequential, i), region(onGpu, i)); !d.empty())
        return iteration + d;
  }
  return "";
}

TEST(RandomKernels, RunAsOnTheSequentialDevice) {
  PW_NEED_GPU(gpuDevice);
  const uint64_t count = environmentNumber("PW_RANDOM_KERNELS", 150);
  const uint64_t first = environmentNumber("PW_RANDOM_KERNELS_SEED", 1);
  for (uint64_t seed = first; seed < first + count; ++seed)
    if (std::string d = compare(*gpuDevice, seed); !d.empty()) {
      ADD_FAILURE() << "kernel " << seed << " (PW_RANDOM_KERNELS_SEED=" << seed
                    << " PW_RANDOM_KERNELS=1 to rerun it): " << d << "\n"
                    << generate(seed).wat;
      return;
    }
}

// The generator makes what the test relies on: valid kernels, loops, calls, globals, atomics,
// SIMD, bulk memory, traps, loose stores, and results that differ between kernels. Every unit_cuda
// test is a GPU test (the GPU check wants each to reach the driver), so this one, which needs none,
// also skips without one.
TEST(RandomKernels, GeneratorCoversWhatItIsFor) {
  PW_NEED_GPU(gpuDevice);
  CpuDevice sequential(DeviceKind::Sequential, 1);
  int loops = 0, calls = 0, globals = 0, atomics = 0, simd = 0, bulk = 0, loose = 0, traps = 0,
      ran = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    const Kernel k = generate(seed);
    std::string why;
    auto module = anyDeviceKernel(k.wat.c_str(), why);
    ASSERT_TRUE(module) << why << "\n" << k.wat;
    auto has = [&](const char *text) { return k.wat.find(text) != std::string::npos; };
    loops += has("(loop");
    calls += has("(call $h");
    globals += has("(global.get") && has("(global.set");
    atomics += has(".atomic.rmw") && has(".atomic.load");
    bulk += has("(memory.fill") || has("(memory.copy");
    simd += has("f32x4.") + has("f64x2.") + has("i8x16.") + has("i16x8.") + has("i32x4.") >= 3;
    loose += !k.loose.empty();
    Guest g(kMemoryPages);
    const std::vector<uint8_t> in = inputData(seed);
    std::memcpy(g.at<uint8_t>(kInAddress), in.data(), kInSize);
    Status s = run(sequential, g, module, kIterations, k.blockSize,
                   {{kInAddress, kInSize, AccessKind::Read, false},
                    {kOutAddress, kOutSize, AccessKind::ReadWrite, true}});
    traps += s.code == ErrorCode::KernelTrapped;
    ran += s.isOk();
    EXPECT_TRUE(s.isOk() || s.code == ErrorCode::KernelTrapped) << s.message;
  }
  EXPECT_GE(loops, 20);
  EXPECT_GE(calls, 10);
  EXPECT_GE(globals, 20);
  EXPECT_GE(atomics, 10);
  EXPECT_GE(simd, 20);
  EXPECT_GE(bulk, 10);
  EXPECT_GE(loose, 20);
  EXPECT_GE(traps, 3);
  EXPECT_GE(ran, 30);
  EXPECT_NE(generate(1).wat, generate(2).wat);
  EXPECT_EQ(generate(7).wat, generate(7).wat);
}

} // namespace
} // namespace parawasm::parallel
