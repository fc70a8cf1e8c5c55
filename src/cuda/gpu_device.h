// NVIDIA GPUs as wasi-parallel devices (docs/gpu.md): the CUDA back end's device provider. A
// kernel is compiled to PTX by compile/ptx.h and run through cuda.h; buffers live in device
// memory. The provider registers itself with parallel/device_registry.h when the program starts
// (pw_cuda is linked whole, see CMakeLists.txt), so nothing outside this folder names it.
//
// Memory: for each caller memory, the device keeps one device allocation, the *mirror*, holding
// the span [start, end) of guest addresses that covers every region bound to its buffers (the
// span only grows; growing moves the old contents along). write_buffer copies its region into
// the mirror (except for write-only buffers), read_buffer copies it out (except where the guest's
// region still holds the contents: read-only buffers, and write-only ones no launch has used
// since they were bound), and a kernel receives the same guest addresses as on the CPU: every
// access is checked against the span, so one outside it traps instead of touching other device
// memory.
//
// Launch: iteration first + t runs on GPU thread t (a grid-stride loop covers any count),
// block_size threads per block, clamped to what the kernel can launch; a block_size below a warp
// (32) gets 256. The first trap is recorded with its iteration; threads that have not started their
// next iteration skip it.
#pragma once

#include "parallel/device.h"
#include "parallel/device_registry.h"
#include "support/lru_cache.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace parawasm::compile {
class PtxCache;
}

namespace parawasm::cuda {

class Context;
class Module;
struct DeviceInfo;
using parallel::AccessKind;
using parallel::Device;
using parallel::DeviceBuffer;
using parallel::DeviceOptions;
using parallel::GuestMemory;
using parallel::Launch;
using parallel::Status;

// The provider (registered at start-up): one GpuDevice per CUDA device the driver sees, none
// without a driver, except that two or more discrete GPUs are offered as one MultiGpuDevice
// (multi_gpu_device.h) that splits each launch between them. The devices are made once per process
// and shared by every later call (so kernels compiled and loaded once stay loaded).
void provideGpuDevices(const DeviceOptions &options, std::vector<std::shared_ptr<Device>> &out);

class GpuDevice final : public Device {
public:
  // The CUDA context is created on first use, not here (it takes a while and most programs
  // never use the GPU).
  explicit GpuDevice(const DeviceInfo &info);
  ~GpuDevice() override;

  parallel::DeviceKind kind() const override;
  std::string name() const override;
  std::string details() const override;
  unsigned concurrency() const override;

  Status createBuffer(uint32_t size, AccessKind access,
                      std::unique_ptr<DeviceBuffer> &out) override;
  Status writeBuffer(DeviceBuffer *buffer, const GuestMemory &memory, uint32_t address,
                     uint32_t size, AccessKind access) override;
  Status readBuffer(DeviceBuffer *buffer, const GuestMemory &memory, uint32_t boundAddress,
                    uint32_t destination, uint32_t size, AccessKind access) override;
  Status launch(const Launch &launch) override;

  // For a device that drives several GPUs (multi_gpu_device.h), which keeps no GpuBuffer state:
  // host bytes into this GPU's mirror of `memory` at guest addresses [address, address + size)
  // (the mirror grows to cover them), and back out (InvalidArgument where it does not cover them).
  Status copyToMirror(const GuestMemory &memory, uint32_t address, const uint8_t *src,
                      uint32_t size);
  Status copyFromMirror(const GuestMemory &memory, uint32_t address, uint8_t *dst, uint32_t size);

  // For tests: kernels compiled to PTX, and mirrors alive.
  size_t compiledKernels() const;
  size_t mirrors() const;

private:
  struct Mirror;
  struct LoadedKernel;
  Status ensureContext();
  void pruneMirrors();
  Status cover(Mirror &mirror, uint64_t start, uint64_t end);
  Mirror *findMirror(const GuestMemory &memory);
  Status bind(const GuestMemory &memory, uint64_t start, uint64_t end, Mirror *&out);
  Status kernelFor(const Launch &launch, LoadedKernel *&out);

  std::unique_ptr<DeviceInfo> info_;
  mutable std::mutex mutex_; // one call at a time; guards everything below
  std::unique_ptr<Context> context_;
  std::string contextError_; // why the context could not be made (kept: it does not change)
  std::unique_ptr<compile::PtxCache> ptx_;
  // Kernels kept loaded, by module hash + function; beyond kMaxLoadedKernels the least recently
  // launched is unloaded (and compiled and loaded again if it comes back).
  static constexpr size_t kMaxLoadedKernels = 128;
  support::LruCache<std::string, std::unique_ptr<LoadedKernel>> kernels_;
  std::vector<std::unique_ptr<Mirror>> mirrors_;
  uint64_t trapRecord_ = 0; // device address of the GpuTrapRecord
  bool failed_ = false;     // a launch failed underneath: the context is no longer usable
};

} // namespace parawasm::cuda
