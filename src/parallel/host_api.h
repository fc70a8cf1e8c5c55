// The five wasi-parallel calls against the devices: argument checks, handle tables, buffer
// bindings, the kernel cache, error codes. Every guest pointer is checked against the caller's
// memory before it is touched; a device only ever sees regions inside it.
#pragma once

#include "parallel/device.h"
#include "parallel/device_registry.h"
#include "parallel/generations.h"
#include "parallel/thread_pool.h"
#include "parawasm/parallel.h"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace parawasm::runtime {
class InstanceObject;
class ModuleObject;
class StoreState;
} // namespace parawasm::runtime
namespace parawasm::support {
class Trace;
class TraceSpan;
} // namespace parawasm::support

namespace parawasm::parallel {

class KernelCache;
class KernelCompiler;

class HostContext {
public:
  static Result<std::unique_ptr<HostContext>> create(KernelCompiler &compiler,
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

  // The table-index generation (table_index.cpp): worker(t, num_threads, block_size, buffers...)
  // for every t at once, each in its own sibling instance of the caller. An exit or a host error
  // raised by a worker (proc_exit) lands in `unwind`, for the binding to pass on to the caller.
  ErrorCode parallelFor(Caller &caller, uint32_t worker, uint32_t numThreads, uint32_t blockSize,
                        uint32_t inPtr, uint32_t inLen, uint32_t outPtr, uint32_t outLen,
                        std::optional<Error> &unwind);
  // Extension (every generation): how many threads `device` runs at once, at `outThreads`.
  ErrorCode getDeviceThreads(Caller &caller, int32_t device, uint32_t outThreads);
  // Extension (every generation): the last failed call's reason, "call: code_name: message" on
  // one line, truncated to `bufLen` bytes at `bufPtr`; its full length at `outLen` (0: none yet).
  // Leaves the last error as it was.
  ErrorCode getLastError(Caller &caller, uint32_t bufPtr, uint32_t bufLen, uint32_t outLen);

  // The WIT generation (wit.cpp): canonical-ABI lowerings whose result<_, error> goes to
  // `retptr`. A retptr outside memory traps, as the canonical ABI does.
  HostStatus witGetDevice(Caller &caller, int32_t hint, int32_t &handle);
  HostStatus witCreateBuffer(Caller &caller, int32_t device, uint32_t size, int32_t access,
                             uint32_t retptr);
  HostStatus witWriteBuffer(Caller &caller, uint32_t dataPtr, uint32_t dataLen, int32_t buffer,
                            uint32_t retptr);
  HostStatus witReadBuffer(Caller &caller, int32_t buffer, uint32_t retptr);
  HostStatus witParallelExec(Caller &caller, int32_t device, uint32_t kernelPtr, uint32_t kernelLen,
                             uint32_t numIterations, uint32_t blockSize, uint32_t buffersPtr,
                             uint32_t buffersLen, uint32_t retptr);

  // One entry of a call's buffer list: a handle and the lists it came in.
  struct ListedBuffer {
    int32_t handle;
    bool listedIn, listedOut;
    const char *list; // "in-buffer", "buffer"... and
    uint32_t index;   // the position in that list, for messages ("in-buffer 0")
    std::string where() const { return std::string(list) + " " + std::to_string(index); }
  };

  // Discovered at the first use (a GPU driver is opened then), or at creation when a device is
  // forced, so that a program that never asks for a device pays nothing for them.
  const std::vector<std::shared_ptr<Device>> &devices() const;
  KernelCache &kernels() { return *kernels_; }
  std::optional<ParallelError> lastError() const;
  void clearLastError();

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

  // Sibling instances of one caller for table-index teams, one per member, made as needed.
  // Members poll the team's own interrupt flag: a member that traps sets it, so that members
  // waiting for it (at a barrier, in memory.atomic.wait or a spin loop) stop instead of hanging;
  // the caller's store sets it too (StoreState::link), so interrupting the caller stops them.
  struct Team {
    ~Team();
    std::weak_ptr<runtime::InstanceObject> caller;
    std::vector<std::shared_ptr<runtime::InstanceObject>> members;
    std::shared_ptr<runtime::StoreState> store; // the one `stop` is linked to
    std::atomic<uint32_t> stop{0};
  };

  HostContext() = default;
  // Forgets `caller`'s team (InstanceObject::onDestroy).
  void dropTeam(const runtime::InstanceObject *caller);
  ErrorCode fail(const char *call, Status status);
  Device *deviceAt(int32_t handle, size_t *index = nullptr) const;
  BufferRecord *bufferAt(int32_t handle);
  // bufferAt, and the buffer must be `dataLen` bytes (write_buffer, read_buffer). Holds mutex_.
  Status bufferOfSize(int32_t buffer, uint32_t dataLen, BufferRecord *&out);
  // The generation-independent cores of the calls, shared by every adapter.
  Status chooseDeviceFor(Generation generation, int32_t hint, int32_t &handle);
  // `caller` (null outside any instance) is whose limiter and interrupt flag apply.
  Status create(int32_t device, uint32_t size, int32_t access, int32_t &handle,
                const runtime::InstanceObject *caller);
  Status bind(const GuestMemory &memory, uint32_t dataPtr, uint32_t dataLen, int32_t buffer);
  Status fetch(const GuestMemory &memory, int32_t buffer, uint32_t dataPtr, uint32_t dataLen);
  // Checks the listed buffers and turns them into launch buffers in list order. `device` is the
  // index the buffers must be on; when null it becomes the buffers' common device, if any.
  // `out` is cleared first (callers reuse it, so a launch allocates nothing once warm).
  Status resolveBuffers(const GuestMemory &memory, std::span<const ListedBuffer> listed,
                        std::optional<size_t> &device, std::vector<LaunchBuffer> &out);
  Status exec(const char *call, Device &device, const GuestMemory &memory,
              std::span<const uint8_t> kernelBytes, uint32_t numIterations, uint32_t blockSize,
              std::span<const LaunchBuffer> buffers, support::TraceSpan *span,
              const runtime::InstanceObject *caller);
  Status runTeam(runtime::InstanceObject &caller, uint32_t funcIndex, uint32_t numThreads,
                 uint32_t blockSize, const std::vector<LaunchBuffer> &buffers,
                 std::optional<Error> &unwind);
  Status workerKernel(runtime::InstanceObject &caller, uint32_t funcIndex,
                      std::shared_ptr<KernelModule> &out);

  KernelCompiler *compiler_ = nullptr;
  ParallelConfig config_;
  DeviceOptions deviceOptions_;
  mutable std::once_flag discovered_;
  mutable std::vector<std::shared_ptr<Device>> devices_; // through devices()
  std::shared_ptr<Device> forced_;
  std::shared_ptr<KernelCache> kernels_;
  std::unique_ptr<support::Trace> tracer_;

  mutable std::mutex mutex_; // handle tables
  std::vector<std::unique_ptr<BufferRecord>> buffers_;
  bool hintReported_[kNumDeviceKinds] = {};
  int32_t lastDevice_ = 0; // the handle get_device last returned (table-index default device)

  std::mutex teamMutex_; // teams_ and the team pool
  TeamPool teamPool_;
  std::unordered_map<const runtime::InstanceObject *, std::unique_ptr<Team>> teams_;
  // Workers compiled as kernels for devices that cannot run teams, per (module, function).
  struct WorkerKernel {
    std::weak_ptr<runtime::ModuleObject> module;
    std::shared_ptr<KernelModule> kernel;
  };
  std::map<std::pair<const void *, uint32_t>, WorkerKernel> workerKernels_;

  mutable std::mutex errorMutex_;
  std::optional<ParallelError> lastError_;
};

} // namespace parawasm::parallel
