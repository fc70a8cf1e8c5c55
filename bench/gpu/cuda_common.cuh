// Helpers shared by nstream.cu and matmul.cu: error checks, the launch shape parawasm's GPU
// device picks for a wasi-parallel block_size, and the three timings of a launch.
#ifndef CUDA_COMMON_CUH
#define CUDA_COMMON_CUH

#include <cuda_runtime.h>

#include <algorithm>

#include "gpu_common.h"

#define CUDA_CHECK(call)                                                                           \
  do {                                                                                             \
    cudaError_t err_ = (call);                                                                     \
    if (err_ != cudaSuccess) {                                                                     \
      fprintf(stderr, "%s:%d: %s failed: %s\n", __FILE__, __LINE__, #call,                         \
              cudaGetErrorString(err_));                                                           \
      exit(1);                                                                                     \
    }                                                                                              \
  } while (0)

static long arg(int argc, char **argv, int i, long fallback) {
  return argc > i ? atol(argv[i]) : fallback;
}

static void *hostAlloc(size_t bytes) {
  void *p = malloc(bytes);
  if (!p) {
    fprintf(stderr, "out of host memory (%zu bytes)\n", bytes);
    exit(1);
  }
  return p;
}

// The GPU's name with spaces as underscores (RESULT fields are space-separated). Also creates
// the context, so the first timed call does not pay for it.
static const char *deviceName() {
  static char name[256];
  int ordinal = 0;
  cudaDeviceProp prop;
  CUDA_CHECK(cudaGetDevice(&ordinal));
  CUDA_CHECK(cudaGetDeviceProperties(&prop, ordinal));
  snprintf(name, sizeof name, "%s", prop.name);
  for (char *c = name; *c; c++)
    if (*c == ' ')
      *c = '_';
  CUDA_CHECK(cudaFree(nullptr));
  return name;
}

struct LaunchShape {
  unsigned blocks, threads;
};

// What src/parallel/gpu_device.cpp launches for `iterations` iterations and the guest's
// `block`: block threads per block when it is at least a warp (rounded down to whole warps and
// clamped to what the kernel can launch), else 256; one thread per iteration, the grid clamped
// to the device's limit (the kernels' grid-stride loops cover the rest).
template <typename Kernel> LaunchShape launchShape(Kernel kernel, long iterations, long block) {
  const unsigned warp = 32, fallback = 256;
  cudaFuncAttributes attr;
  CUDA_CHECK(cudaFuncGetAttributes(&attr, kernel));
  int ordinal = 0, maxGridX = 1;
  CUDA_CHECK(cudaGetDevice(&ordinal));
  CUDA_CHECK(cudaDeviceGetAttribute(&maxGridX, cudaDevAttrMaxGridDimX, ordinal));
  unsigned limit = attr.maxThreadsPerBlock > 0 ? unsigned(attr.maxThreadsPerBlock) : 1024;
  unsigned long threads = block >= long(warp) ? (unsigned long)block : fallback;
  threads = std::max(1ul, std::min(threads, (unsigned long)limit));
  if (threads > warp)
    threads = threads / warp * warp;
  unsigned long blocks = (unsigned long)(iterations + long(threads) - 1) / threads;
  blocks = std::max(1ul, std::min(blocks, (unsigned long)std::max(1, maxGridX)));
  return LaunchShape{unsigned(blocks), unsigned(threads)};
}

// Times `reps` runs of one offload after an untimed warm-up, and returns microseconds per rep in
// t. timing "exec": launch + cudaDeviceSynchronize on the host clock (what parallel_exec does);
// "kernel": CUDA events around the launch alone (GPU time, no launch or wait overhead); "copy":
// toDevice(), launch, toHost() on the host clock (cudaMemcpy from and to pageable memory, as
// parawasm's write_buffer/read_buffer copy from the guest's linear memory).
template <typename Launch, typename ToDevice, typename ToHost>
void timeOffload(const char *timing, long reps, double *t, Launch launch, ToDevice toDevice,
                 ToHost toHost) {
  bool kernelOnly = !strcmp(timing, "kernel"), copy = !strcmp(timing, "copy");
  cudaEvent_t start, stop;
  CUDA_CHECK(cudaEventCreate(&start));
  CUDA_CHECK(cudaEventCreate(&stop));
  for (long r = -1; r < reps; r++) {
    double t0 = now_us();
    if (copy)
      toDevice();
    if (kernelOnly)
      CUDA_CHECK(cudaEventRecord(start));
    launch();
    CUDA_CHECK(cudaGetLastError());
    if (kernelOnly)
      CUDA_CHECK(cudaEventRecord(stop));
    CUDA_CHECK(cudaDeviceSynchronize());
    if (copy)
      toHost();
    double t1 = now_us();
    if (r < 0)
      continue;
    if (kernelOnly) {
      float ms = 0;
      CUDA_CHECK(cudaEventElapsedTime(&ms, start, stop));
      t[r] = double(ms) * 1e3;
    } else {
      t[r] = t1 - t0;
    }
  }
  CUDA_CHECK(cudaEventDestroy(start));
  CUDA_CHECK(cudaEventDestroy(stop));
}

// The timings a program runs for its TIMING argument ("all": exec, kernel, copy in turn).
static int timingsFor(const char *arg, const char **out) {
  static const char *all[] = {"exec", "kernel", "copy"};
  if (!strcmp(arg, "all")) {
    for (int i = 0; i < 3; i++)
      out[i] = all[i];
    return 3;
  }
  for (int i = 0; i < 3; i++)
    if (!strcmp(arg, all[i])) {
      out[0] = all[i];
      return 1;
    }
  return 0;
}

#endif
