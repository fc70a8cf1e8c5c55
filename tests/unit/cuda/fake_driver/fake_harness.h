// What the tests of tests/unit/cuda share to drive the fake CUDA driver (fake_cuda.h): its path,
// its own entry points, checks inside the child process each scenario runs in, kernels and
// guest memories. Only with the fake built (PW_FAKE_CUDA_PATH).
#pragma once

#ifdef PW_FAKE_CUDA_PATH

#include "fake_driver/fake_cuda.h"
#include "gpu_harness.h"
#include "parallel/device.h"
#include "parallel/kernel.h"
#include "runtime/objects.h"
#include "wasm/loaded_module.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <memory>
#include <string>

namespace parawasm::parallel {

// The fake's path: $PW_FAKE_CUDA where the test binary runs away from its build (a GPU check
// bundle, scripts/gpu-check.sh), else where the build put it.
inline const char *fakeCudaPath() {
  const char *path = std::getenv("PW_FAKE_CUDA");
  return path && *path ? path : PW_FAKE_CUDA_PATH;
}

// In the child process: the fake's own entry points.
struct Fake {
  Fake() {
    void *h = dlopen(fakeCudaPath(), RTLD_NOW | RTLD_LOCAL);
    if (!h)
      return;
    setKernel = reinterpret_cast<decltype(setKernel)>(dlsym(h, "pwFakeSetKernel"));
    getStats = reinterpret_cast<decltype(getStats)>(dlsym(h, "pwFakeGetStats"));
    failNextSynchronize =
        reinterpret_cast<decltype(failNextSynchronize)>(dlsym(h, "pwFakeFailNextSynchronize"));
    setBusy = reinterpret_cast<decltype(setBusy)>(dlsym(h, "pwFakeSetBusy"));
  }
  PwFakeStats stats() const {
    PwFakeStats s{};
    getStats(&s);
    return s;
  }
  void (*setKernel)(PwFakeKernel) = nullptr;
  void (*getStats)(PwFakeStats *) = nullptr;
  void (*failNextSynchronize)(int) = nullptr;
  void (*setBusy)(int) = nullptr;
};

// Failures inside the child are reported on stderr and end it with status 1.
#define PW_CHECK(cond)                                                                             \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                \
      return false;                                                                                \
    }                                                                                              \
  } while (0)
#define PW_CHECK_OK(status)                                                                        \
  do {                                                                                             \
    Status pw_s = (status);                                                                        \
    if (!pw_s.isOk()) {                                                                            \
      std::fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, errorCodeName(pw_s.code),        \
                   pw_s.message.c_str());                                                          \
      return false;                                                                                \
    }                                                                                              \
  } while (0)

class FakeDriver : public ::testing::Test {
protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

// Runs `scenario` in a child process whose fake driver presents `gpus` GPUs.
#define PW_RUN_WITH_FAKE_GPUS(gpus, scenario)                                                      \
  EXPECT_EXIT(                                                                                     \
      {                                                                                            \
        setenv("PARAWASM_CUDA_DRIVER", fakeCudaPath(), 1);                                         \
        setenv("PARAWASM_FAKE_CUDA_DEVICES", #gpus, 1);                                            \
        unsetenv("PARAWASM_CUDA_DISABLE");                                                         \
        unsetenv("PARAWASM_FAKE_CUDA_CC"); /* the default 8.6, which the tests expect */           \
        std::exit(scenario() ? 0 : 1);                                                             \
      },                                                                                           \
      ::testing::ExitedWithCode(0), "")
#define PW_RUN_WITH_FAKE_DRIVER(scenario) PW_RUN_WITH_FAKE_GPUS(1, scenario)

// A kernel module for the GPU device only (not compiled for the CPU), or null.
inline std::shared_ptr<KernelModule> kernel(const std::string &text) { return kernelModule(text); }

} // namespace parawasm::parallel

#endif
