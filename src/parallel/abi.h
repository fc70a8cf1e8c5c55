// The wasi-parallel guest ABI as the host sees it: module name, error codes, device hints and
// buffer access kinds, and the shape of a kernel. The numbers are the guest's
// (sdk/include/wasi_parallel.h); include that header before this one to have them checked.
// docs/wasi-parallel.md says when each error code is returned.
#pragma once

#include <cstdint>
#include <optional>

namespace parawasm::parallel {

inline constexpr const char *kModuleName = "wasi_ephemeral_parallel";

// The value every call returns to the guest (an i32). Stable numbers.
// clang-format 14 misreads an attribute on an enum (it would reflow the enumerators).
// clang-format off
enum class [[nodiscard]] ErrorCode : int32_t {
  Success = 0,
  InvalidHandle = 1,     // device or buffer handle never issued
  InvalidArgument = 2,   // bad hint/access value, size mismatch, unbound or misused buffer
  InvalidKernel = 3,     // kernel bytes malformed, invalid or against the kernel rules
  BufferOutOfBounds = 4, // a pointer/length region outside the caller's memory
  KernelTrapped = 5,     // an iteration trapped
  OutOfResources = 6,    // memory, handles or threads exhausted
  DeviceFailure = 7,     // driver error, lost device, failed launch or copy
  NotSupported = 8,      // a valid request this device cannot run
};
// clang-format on
inline constexpr int32_t kNumErrorCodes = 9;

// get_device's hint. Unknown values are an InvalidArgument.
enum class DeviceKind : int32_t {
  Sequential = 0,
  Cpu = 1,
  DiscreteGpu = 2,
  IntegratedGpu = 3,
};
inline constexpr int32_t kNumDeviceKinds = 4;

// create_buffer's access. In-buffers need Read or ReadWrite, out-buffers Write or ReadWrite.
enum class AccessKind : int32_t {
  Read = 0,
  Write = 1,
  ReadWrite = 2,
};
inline constexpr int32_t kNumAccessKinds = 3;

// The kernel module exports `kernel(iteration, num_iterations, block_size, then (ptr, len) per
// in-buffer and per out-buffer) -> ()`, all i32.
inline constexpr const char *kKernelExportName = "kernel";
inline constexpr uint32_t kKernelFixedParams = 3;
inline constexpr uint32_t kernelParamCount(uint32_t numBuffers) {
  return kKernelFixedParams + 2 * numBuffers;
}

// num_iterations is passed to the kernel as an i32, so it may not exceed this.
inline constexpr uint32_t kMaxIterations = 0x7fffffffu;

inline constexpr const char *errorCodeName(ErrorCode code) {
  switch (code) {
  case ErrorCode::Success:
    return "success";
  case ErrorCode::InvalidHandle:
    return "invalid_handle";
  case ErrorCode::InvalidArgument:
    return "invalid_argument";
  case ErrorCode::InvalidKernel:
    return "invalid_kernel";
  case ErrorCode::BufferOutOfBounds:
    return "buffer_out_of_bounds";
  case ErrorCode::KernelTrapped:
    return "kernel_trapped";
  case ErrorCode::OutOfResources:
    return "out_of_resources";
  case ErrorCode::DeviceFailure:
    return "device_failure";
  case ErrorCode::NotSupported:
    return "not_supported";
  }
  return "unknown";
}

inline constexpr const char *deviceKindName(DeviceKind kind) {
  switch (kind) {
  case DeviceKind::Sequential:
    return "sequential";
  case DeviceKind::Cpu:
    return "cpu";
  case DeviceKind::DiscreteGpu:
    return "discrete_gpu";
  case DeviceKind::IntegratedGpu:
    return "integrated_gpu";
  }
  return "unknown";
}

inline constexpr const char *accessKindName(AccessKind kind) {
  switch (kind) {
  case AccessKind::Read:
    return "read";
  case AccessKind::Write:
    return "write";
  case AccessKind::ReadWrite:
    return "read_write";
  }
  return "unknown";
}

// Raw guest values to enums; nullopt for numbers outside the ABI.
inline constexpr std::optional<DeviceKind> toDeviceKind(int32_t raw) {
  if (raw < 0 || raw >= kNumDeviceKinds)
    return std::nullopt;
  return static_cast<DeviceKind>(raw);
}
inline constexpr std::optional<AccessKind> toAccessKind(int32_t raw) {
  if (raw < 0 || raw >= kNumAccessKinds)
    return std::nullopt;
  return static_cast<AccessKind>(raw);
}

inline constexpr bool canRead(AccessKind kind) { return kind != AccessKind::Write; }
inline constexpr bool canWrite(AccessKind kind) { return kind != AccessKind::Read; }

#ifdef WASI_PARALLEL_H
// The guest header is included too: its numbers must be these.
static_assert(static_cast<int32_t>(ErrorCode::Success) == WP_SUCCESS);
static_assert(static_cast<int32_t>(ErrorCode::InvalidHandle) == WP_ERR_INVALID_HANDLE);
static_assert(static_cast<int32_t>(ErrorCode::InvalidArgument) == WP_ERR_INVALID_ARGUMENT);
static_assert(static_cast<int32_t>(ErrorCode::InvalidKernel) == WP_ERR_INVALID_KERNEL);
static_assert(static_cast<int32_t>(ErrorCode::BufferOutOfBounds) == WP_ERR_BUFFER_OUT_OF_BOUNDS);
static_assert(static_cast<int32_t>(ErrorCode::KernelTrapped) == WP_ERR_KERNEL_TRAPPED);
static_assert(static_cast<int32_t>(ErrorCode::OutOfResources) == WP_ERR_OUT_OF_RESOURCES);
static_assert(static_cast<int32_t>(ErrorCode::DeviceFailure) == WP_ERR_DEVICE_FAILURE);
static_assert(static_cast<int32_t>(ErrorCode::NotSupported) == WP_ERR_NOT_SUPPORTED);
static_assert(kNumErrorCodes == WP_ERRNO_COUNT);
static_assert(static_cast<int32_t>(DeviceKind::Sequential) == WP_DEVICE_SEQUENTIAL);
static_assert(static_cast<int32_t>(DeviceKind::Cpu) == WP_DEVICE_CPU);
static_assert(static_cast<int32_t>(DeviceKind::DiscreteGpu) == WP_DEVICE_DISCRETE_GPU);
static_assert(static_cast<int32_t>(DeviceKind::IntegratedGpu) == WP_DEVICE_INTEGRATED_GPU);
static_assert(kNumDeviceKinds == WP_DEVICE_KIND_COUNT);
static_assert(static_cast<int32_t>(AccessKind::Read) == WP_ACCESS_READ);
static_assert(static_cast<int32_t>(AccessKind::Write) == WP_ACCESS_WRITE);
static_assert(static_cast<int32_t>(AccessKind::ReadWrite) == WP_ACCESS_READ_WRITE);
static_assert(kNumAccessKinds == WP_ACCESS_COUNT);
#endif

} // namespace parawasm::parallel
