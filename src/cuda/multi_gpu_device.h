// All the discrete GPUs of a machine as one wasi-parallel device (docs/gpu.md, "Several GPUs"):
// what the provider offers instead of the separate GpuDevices when there are two or more.
//
// Launch: the call's [first, last) is cut with parallel::splitIterations (the rule the cluster
// device uses too), weighted by each GPU's multiprocessors, and every GPU runs its part on its own
// mirror, all at once (one host thread per GPU beyond the first).
//
// Memory: the device keeps, per caller memory, a host-side *shadow* of the span of guest
// addresses its buffers cover: what one device's mirror would hold. write_buffer copies into the
// shadow; before a launch each GPU that runs a part gets the bytes of the launch's regions that
// its mirror does not hold yet (the device remembers, per GPU, where its mirror equals the
// shadow); after it, the outputs are write-merged: every GPU's copy-out regions are read back and
// the bytes that differ from the shadow's contents before the launch are applied to the shadow.
// Iterations write disjoint bytes (the wasi-parallel contract), so the merge is what one device
// would have produced, however the buffers overlap. The merged regions are then stale on the
// GPUs (each lacks the others' bytes) and are sent again when a launch next needs them;
// read_buffer copies from the shadow and never waits for a GPU. A byte that two GPUs both
// changed means the iterations did not write disjoint bytes (atomic updates of shared counters):
// the shadow keeps its contents before the launch, the launch runs again, whole, on GPU 0, and so
// does every later launch of that kernel.
#pragma once

#include "cuda/gpu_device.h"
#include "parallel/split.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace parawasm::cuda {

class MultiGpuDevice final : public Device {
public:
  explicit MultiGpuDevice(std::vector<std::shared_ptr<GpuDevice>> gpus);
  ~MultiGpuDevice() override;

  parallel::DeviceKind kind() const override { return parallel::DeviceKind::DiscreteGpu; }
  // "2 x NVIDIA H100", or the names joined with " + " when the GPUs differ.
  std::string name() const override;
  // Each GPU with its own details.
  std::string details() const override;
  unsigned concurrency() const override; // the GPUs' together

  Status createBuffer(uint32_t size, AccessKind access,
                      std::unique_ptr<DeviceBuffer> &out) override;
  Status writeBuffer(DeviceBuffer *buffer, const GuestMemory &memory, uint32_t address,
                     uint32_t size, AccessKind access) override;
  Status readBuffer(DeviceBuffer *buffer, const GuestMemory &memory, uint32_t boundAddress,
                    uint32_t destination, uint32_t size, AccessKind access) override;
  Status launch(const Launch &launch) override;

  const std::vector<std::shared_ptr<GpuDevice>> &gpus() const { return gpus_; }
  // For tests: bytes sent to GPUs from the shadow, and read back for the merge, so far.
  uint64_t bytesSent() const;
  uint64_t bytesMerged() const;

private:
  struct Shadow;
  void pruneShadows();
  Shadow *findShadow(const GuestMemory &memory);
  Shadow &shadowFor(const GuestMemory &memory, uint64_t start, uint64_t end);
  // Runs parts[k] on GPU k and merges; `conflict` when two GPUs changed the same byte (the
  // shadow then keeps the contents before the launch).
  Status runParts(const Launch &launch, Shadow *shadow,
                  const std::vector<parallel::LaunchBuffer> &regions,
                  const std::vector<parallel::IterationRange> &parts, bool &conflict);

  std::vector<std::shared_ptr<GpuDevice>> gpus_;
  mutable std::mutex mutex_; // one call at a time; guards everything below
  std::vector<std::unique_ptr<Shadow>> shadows_;
  uint64_t bytesSent_ = 0, bytesMerged_ = 0;
  // Kernels (module hash/function) whose parts conflicted: they run whole on GPU 0.
  static constexpr size_t kMaxWholeKernels = 128;
  support::LruCache<std::string, bool> wholeOnOneGpu_{kMaxWholeKernels};
};

} // namespace parawasm::cuda
