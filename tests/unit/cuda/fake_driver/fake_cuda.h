// A fake CUDA driver for tests on machines without a GPU (fake_cuda.cpp, built as a shared
// library and opened through $PARAWASM_CUDA_DRIVER). It implements the driver functions parawasm
// uses on host memory: device memory is malloc'd, copies are memcpy, and a launch calls the
// kernel the test installed (C++ standing in for the PTX), so everything around the GPU code —
// discovery, mirrors, copies, launch parameters, trap records — runs for real.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

// What one cuLaunchKernel saw.
struct PwFakeLaunch {
  unsigned gridX, blockX;
  void **params;
};
using PwFakeKernel = void (*)(const PwFakeLaunch &launch);

struct PwFakeStats {
  size_t liveAllocations;
  size_t liveBytes;
  size_t modulesLoaded;
  size_t launches;
  size_t hostToDeviceBytes;
  size_t deviceToHostBytes;
  unsigned lastGridX, lastBlockX;
};

// Entry points the test finds with dlsym on the same library.
void pwFakeSetKernel(PwFakeKernel kernel);
void pwFakeGetStats(PwFakeStats *out);
// The next cuCtxSynchronize returns `result` (once).
void pwFakeFailNextSynchronize(int result);
// While set, cuStreamQuery reports CUDA_ERROR_NOT_READY: a kernel that never finishes.
void pwFakeSetBusy(int busy);
}
