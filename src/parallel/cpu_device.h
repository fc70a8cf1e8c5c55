// The two host-CPU devices. Both run the kernel's block driver (compiled once per kernel, see
// KernelModule::cpuModule) directly on the caller's memory, so buffers are zero-copy views.
//   sequential  every iteration in increasing order on the calling thread;
//   cpu         the calling thread plus a persistent pool of workers (thread_pool.h). Each slot
//               starts with its own contiguous share of the chunks (block_size iterations or
//               more), taken one at a time from a counter on the slot's own cache line; a slot
//               that runs out takes chunks from the others' shares, so uneven iterations and
//               late workers balance themselves, and a launch with one chunk per slot is one
//               hand-off per worker.
// Each slot (calling thread = slot 0, worker k = slot k) has its own instance of each kernel —
// own globals and tables — bound to a view of the caller's memory; instances are made once and
// remade only when a launch comes with a different caller memory.
#pragma once

#include "parallel/device.h"
#include "runtime/trap.h"
#include "support/lru_cache.h"
#include "vm/vm_context.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace parawasm::runtime {
class InstanceObject;
}

namespace parawasm::parallel {

class ThreadPool;

class CpuDevice final : public Device {
public:
  // kind is Sequential (threads is then 1) or Cpu. The pool is created on the first launch that
  // needs more than one thread.
  CpuDevice(DeviceKind kind, unsigned threads);
  ~CpuDevice() override;

  DeviceKind kind() const override { return kind_; }
  std::string name() const override { return deviceKindName(kind_); }
  std::string details() const override;
  unsigned threads() const { return threads_; }
  unsigned concurrency() const override { return threads_; }

  Status createBuffer(uint32_t size, AccessKind access,
                      std::unique_ptr<DeviceBuffer> &out) override;
  Status writeBuffer(DeviceBuffer *buffer, const GuestMemory &memory, uint32_t address,
                     uint32_t size, AccessKind access) override;
  Status readBuffer(DeviceBuffer *buffer, const GuestMemory &memory, uint32_t boundAddress,
                    uint32_t destination, uint32_t size, AccessKind access) override;
  Status launch(const Launch &launch) override;

  // Kernel instance sets alive on this device (for tests).
  size_t cachedKernels() const;

private:
  struct KernelSet {
    std::weak_ptr<KernelModule> kernel;
    std::shared_ptr<runtime::ModuleObject> module;
    runtime::EntryThunk driver = nullptr;
    std::weak_ptr<runtime::MemoryObject> memory; // the caller memory the instances are bound to
    const runtime::MemoryObject *memoryKey = nullptr; // memory.get(), compared without locking
    std::shared_ptr<runtime::MemoryObject> view;
    std::vector<std::shared_ptr<runtime::InstanceObject>> instances; // per slot, made as needed
    // Its time per iteration on several threads, measured on one launch in 16 (negative: not
    // yet): a launch expected to be short (kShortLaunchNanos) takes whole shares.
    double nanosPerIteration = -1;
    uint32_t launches = 0;
  };
  // What one slot does in a launch: its share of chunks, and what went wrong.
  struct alignas(64) Slot {
    std::atomic<uint64_t> next{0}; // first iteration of the share's next chunk
    uint64_t end = 0;              // end of the share
    std::optional<Error> error;
    uint32_t errorFirst = 0, errorLast = 0;
    uint32_t chunks = 0;
    // What the slot's kernel instance sees through VMContext::kernel: the exec's buffer span,
    // and the iteration a checked kernel runs (EngineConfig::checkKernelBuffers).
    vm::VMKernelContext kernel{};
  };
  Status prepare(const Launch &launch, unsigned slots, KernelSet *&out);
  Status ensurePool();

  DeviceKind kind_;
  unsigned threads_;
  mutable std::mutex mutex_; // one launch at a time; guards everything below
  std::shared_ptr<ThreadPool> pool_;
  // Kernel instance sets by kernel, the least recently launched evicted beyond kKernelSets (a
  // kernel that comes back gets new instances; its code stays compiled in its KernelModule).
  static constexpr size_t kKernelSets = 64;
  support::LruCache<const KernelModule *, std::unique_ptr<KernelSet>> kernels_{kKernelSets};
  std::vector<int32_t> io_;       // per-slot driver arguments, one cache line apart
  std::unique_ptr<Slot[]> slots_; // threads_ of them, made with the device
};

// "Intel(R) Xeon(R) ..." from /proc/cpuinfo, or "".
std::string cpuModelName();

} // namespace parawasm::parallel
