// The five wasi-parallel calls against the devices: argument checks, handle tables, buffer
// bindings, the kernel cache, error codes. Every guest pointer is checked against the caller's
// memory before it is touched; a device only ever sees regions inside it.
#pragma once

#include "parallel/device.h"
#include "parawasm/parallel.h"

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace parawasm::runtime {
class EngineState;
}
namespace parawasm::support {
class Trace;
}

namespace parawasm::parallel {

class KernelCache;

class HostContext {
public:
  static Result<std::unique_ptr<HostContext>> create(runtime::EngineState &engine,
                                                     const ParallelConfig &config);
  ~HostContext();

  ErrorCode getDevice(Caller &caller, int32_t hint, uint32_t outDevice);
  ErrorCode createBuffer(Caller &caller, int32_t device, uint32_t size, int32_t access,
                         uint32_t outBuffer);
  ErrorCode writeBuffer(Caller &caller, uint32_t dataPtr, uint32_t dataLen, int32_t buffer);
  ErrorCode readBuffer(Caller &caller, int32_t buffer, uint32_t dataPtr, uint32_t dataLen);
  ErrorCode parallelExec(Caller &caller, int32_t device, uint32_t kernelPtr, uint32_t kernelLen,
                         uint32_t numIterations, uint32_t blockSize, uint32_t inPtr, uint32_t inLen,
                         uint32_t outPtr, uint32_t outLen);

  const std::vector<std::shared_ptr<Device>> &devices() const { return devices_; }
  KernelCache &kernels() { return *kernels_; }
  std::optional<ParallelError> lastError() const;
  void clearLastError();
  // Handles issued so far (for tests).
  size_t bufferCount() const;

  // Handle numbering: devices from 1, buffers from kFirstBuffer, so that one kind of handle
  // passed for the other is an unknown handle rather than a valid wrong one.
  static constexpr int32_t kFirstBuffer = 1024;
  static constexpr size_t kMaxBuffers = size_t(1) << 20;

private:
  struct BufferRecord {
    size_t device; // index in devices_
    uint32_t size;
    AccessKind access;
    bool bound = false;
    uint32_t address = 0;
    std::unique_ptr<DeviceBuffer> deviceBuffer;
  };

  HostContext() = default;
  ErrorCode fail(const char *call, Status status);
  Device *deviceAt(int32_t handle, size_t *index = nullptr) const;
  BufferRecord *bufferAt(int32_t handle);

  runtime::EngineState *engine_ = nullptr;
  ParallelConfig config_;
  std::vector<std::shared_ptr<Device>> devices_;
  std::shared_ptr<Device> forced_;
  std::shared_ptr<KernelCache> kernels_;
  std::unique_ptr<support::Trace> tracer_;

  mutable std::mutex mutex_; // handle tables
  std::vector<std::unique_ptr<BufferRecord>> buffers_;
  bool hintReported_[kNumDeviceKinds] = {};

  mutable std::mutex errorMutex_;
  std::optional<ParallelError> lastError_;
};

} // namespace parawasm::parallel
