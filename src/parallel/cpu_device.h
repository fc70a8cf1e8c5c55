// The two host-CPU devices. Both run the kernel's block driver (compiled once per kernel, see
// KernelModule::cpuModule) directly on the caller's memory, so buffers are zero-copy views.
//   sequential  every iteration in increasing order on the calling thread;
//   cpu         the calling thread plus a persistent pool of workers (thread_pool.h), taking
//               chunks of block_size iterations from one atomic counter, so uneven iterations
//               balance themselves.
// Each slot (calling thread = slot 0, worker k = slot k) has its own instance of each kernel —
// own globals and tables — bound to a view of the caller's memory; instances are made once and
// remade only when a launch comes with a different caller memory.
#pragma once

#include "parallel/device.h"
#include "runtime/trap.h"

#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace parawasm::runtime {
class InstanceObject;
}

namespace parawasm::parallel {

class ThreadPool;

// A MemoryObject that aliases the caller's memory but cannot grow: what a kernel instance
// imports, so that memory.grow in a kernel returns -1 and changes nothing (kernel rule 5).
// refresh() copies the caller's current size; the alias never unmaps anything.
std::shared_ptr<runtime::MemoryObject> makeFixedView(const runtime::MemoryObject &memory);
void refreshFixedView(runtime::MemoryObject &view, const runtime::MemoryObject &memory);

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
    std::shared_ptr<runtime::MemoryObject> view;
    std::vector<std::shared_ptr<runtime::InstanceObject>> instances; // per slot, made as needed
  };
  Status prepare(const Launch &launch, unsigned slots, KernelSet *&out);
  Status ensurePool();

  DeviceKind kind_;
  unsigned threads_;
  mutable std::mutex mutex_; // one launch at a time; guards everything below
  std::shared_ptr<ThreadPool> pool_;
  std::unordered_map<const KernelModule *, std::unique_ptr<KernelSet>> kernels_;
  size_t pruneAt_ = 16;
  std::vector<int32_t> io_; // per-slot driver arguments, one cache line apart
};

// "Intel(R) Xeon(R) ..." from /proc/cpuinfo, or "".
std::string cpuModelName();

} // namespace parawasm::parallel
