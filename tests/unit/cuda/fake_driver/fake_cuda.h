// A fake CUDA driver for tests on machines without a GPU (fake_cuda.cpp, built as a shared
// library and opened through $PARAWASM_CUDA_DRIVER). It implements the driver functions parawasm
// uses on host memory: device memory is malloc'd, copies are memcpy, and a launch calls the
// kernel the test installed (C++ standing in for the PTX), so everything around the GPU code —
// discovery, mirrors, copies, launch parameters, trap records — runs for real. Without an
// installed kernel and with $PW_FAKE_CUDA_EXECUTE=1, a launch runs the module's PTX instead
// (ptx_interpreter.h), so the GPU code itself runs too.
// $PARAWASM_FAKE_CUDA_DEVICES=N presents N alike GPUs (1 to 8; 1 by default); launches on
// different GPUs may call the kernel from different threads at once. $PARAWASM_FAKE_CUDA_CC=M.N
// sets their compute capability (8.6 by default), $PARAWASM_FAKE_CUDA_MAX_GRID=N their largest
// grid (so each thread of a launch takes several iterations). $PW_FAKE_CUDA_PTXAS=PATH makes
// every module loaded go through NVIDIA's ptxas for that compute capability first, as a real
// driver's compiler would (a refusal is CUDA_ERROR_INVALID_PTX with ptxas's log).
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

// What one cuLaunchKernel saw.
struct PwFakeLaunch {
  unsigned gridX, blockX;
  void **params;
  int device; // the ordinal of the GPU it was launched on
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
  size_t launchesOn[8]; // per GPU ordinal
};

// Entry points the test finds with dlsym on the same library.
void pwFakeSetKernel(PwFakeKernel kernel);
void pwFakeGetStats(PwFakeStats *out);
// The next cuCtxSynchronize returns `result` (once).
void pwFakeFailNextSynchronize(int result);
// While set, cuStreamQuery reports CUDA_ERROR_NOT_READY: a kernel that never finishes.
void pwFakeSetBusy(int busy);
}
