// The few pieces of the CUDA driver API that parawasm uses, declared by hand from NVIDIA's
// documentation (no CUDA header is needed to build). The numbers are the driver's ABI and never
// change; the functions are looked up with dlsym in libcuda.so.1 (see cuda.cpp), under the
// versioned names that cuda.h maps its macros to (cuMemAlloc -> cuMemAlloc_v2, ...).
// Only src/cuda includes this file.
#pragma once

#include <cstddef>

namespace parawasm::cuda::api {

using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long; // 64-bit device address (CUdeviceptr_v2)
using CUcontext = struct CUctx_st *;
using CUmodule = struct CUmod_st *;
using CUfunction = struct CUfunc_st *;
using CUstream = struct CUstream_st *;

// CUresult values parawasm looks at; every other one is reported by name.
inline constexpr CUresult CUDA_SUCCESS = 0;
inline constexpr CUresult CUDA_ERROR_OUT_OF_MEMORY = 2;
inline constexpr CUresult CUDA_ERROR_STUB_LIBRARY = 34;
inline constexpr CUresult CUDA_ERROR_NO_DEVICE = 100;
inline constexpr CUresult CUDA_ERROR_NOT_READY = 600;
inline constexpr CUresult CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES = 701;

// CUdevice_attribute
inline constexpr int CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK = 1;
inline constexpr int CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X = 5;
inline constexpr int CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16;
inline constexpr int CU_DEVICE_ATTRIBUTE_INTEGRATED = 18;
inline constexpr int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
inline constexpr int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;

// CUfunction_attribute
inline constexpr int CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK = 0;
inline constexpr int CU_FUNC_ATTRIBUTE_NUM_REGS = 4;

// CUjit_option
inline constexpr int CU_JIT_INFO_LOG_BUFFER = 3;
inline constexpr int CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES = 4;
inline constexpr int CU_JIT_ERROR_LOG_BUFFER = 5;
inline constexpr int CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;

// One entry per driver function: PW_CUDA_FN(member, symbol, return, parameters).
#define PW_CUDA_FUNCTIONS(PW_CUDA_FN)                                                              \
  PW_CUDA_FN(init, "cuInit", CUresult, (unsigned flags))                                           \
  PW_CUDA_FN(driverGetVersion, "cuDriverGetVersion", CUresult, (int *version))                     \
  PW_CUDA_FN(getErrorName, "cuGetErrorName", CUresult, (CUresult error, const char **name))        \
  PW_CUDA_FN(getErrorString, "cuGetErrorString", CUresult, (CUresult error, const char **text))    \
  PW_CUDA_FN(deviceGetCount, "cuDeviceGetCount", CUresult, (int *count))                           \
  PW_CUDA_FN(deviceGet, "cuDeviceGet", CUresult, (CUdevice * device, int ordinal))                 \
  PW_CUDA_FN(deviceGetName, "cuDeviceGetName", CUresult, (char *name, int len, CUdevice device))   \
  PW_CUDA_FN(deviceTotalMem, "cuDeviceTotalMem_v2", CUresult, (size_t * bytes, CUdevice device))   \
  PW_CUDA_FN(deviceGetAttribute, "cuDeviceGetAttribute", CUresult,                                 \
             (int *value, int attribute, CUdevice device))                                         \
  PW_CUDA_FN(primaryCtxRetain, "cuDevicePrimaryCtxRetain", CUresult,                               \
             (CUcontext * context, CUdevice device))                                               \
  PW_CUDA_FN(primaryCtxRelease, "cuDevicePrimaryCtxRelease_v2", CUresult, (CUdevice device))       \
  PW_CUDA_FN(ctxSetCurrent, "cuCtxSetCurrent", CUresult, (CUcontext context))                      \
  PW_CUDA_FN(ctxSynchronize, "cuCtxSynchronize", CUresult, ())                                     \
  PW_CUDA_FN(streamQuery, "cuStreamQuery", CUresult, (CUstream stream))                            \
  PW_CUDA_FN(moduleLoadDataEx, "cuModuleLoadDataEx", CUresult,                                     \
             (CUmodule * module, const void *image, unsigned numOptions, int *options,             \
              void **optionValues))                                                                \
  PW_CUDA_FN(moduleUnload, "cuModuleUnload", CUresult, (CUmodule module))                          \
  PW_CUDA_FN(moduleGetFunction, "cuModuleGetFunction", CUresult,                                   \
             (CUfunction * function, CUmodule module, const char *name))                           \
  PW_CUDA_FN(funcGetAttribute, "cuFuncGetAttribute", CUresult,                                     \
             (int *value, int attribute, CUfunction function))                                     \
  PW_CUDA_FN(memAlloc, "cuMemAlloc_v2", CUresult, (CUdeviceptr * pointer, size_t bytes))           \
  PW_CUDA_FN(memFree, "cuMemFree_v2", CUresult, (CUdeviceptr pointer))                             \
  PW_CUDA_FN(memcpyHtoD, "cuMemcpyHtoD_v2", CUresult,                                              \
             (CUdeviceptr dst, const void *src, size_t bytes))                                     \
  PW_CUDA_FN(memcpyDtoH, "cuMemcpyDtoH_v2", CUresult, (void *dst, CUdeviceptr src, size_t bytes))  \
  PW_CUDA_FN(memcpyDtoD, "cuMemcpyDtoD_v2", CUresult,                                              \
             (CUdeviceptr dst, CUdeviceptr src, size_t bytes))                                     \
  PW_CUDA_FN(memsetD8, "cuMemsetD8_v2", CUresult,                                                  \
             (CUdeviceptr dst, unsigned char value, size_t bytes))                                 \
  PW_CUDA_FN(launchKernel, "cuLaunchKernel", CUresult,                                             \
             (CUfunction function, unsigned gridX, unsigned gridY, unsigned gridZ,                 \
              unsigned blockX, unsigned blockY, unsigned blockZ, unsigned sharedBytes,             \
              CUstream stream, void **params, void **extra))

} // namespace parawasm::cuda::api
