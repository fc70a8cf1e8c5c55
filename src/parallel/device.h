// The device interface of wasi-parallel: what host_api asks of a device, and the little it hands
// over. A device is one place kernels run (the calling thread, the CPU's worker pool, a GPU).
//
// Who does what:
//   host_api   checks every guest argument (handles, regions, access kinds, block size, kernel
//              rules, buffer count) before a device sees it, keeps the handle tables and which
//              region each buffer is bound to, and turns a Status into the guest's error code.
//   Device     keeps whatever it needs per buffer (a DeviceBuffer, e.g. device memory), copies
//              between guest memory and its own memory if it has any, compiles kernels into its
//              own form (and caches them per KernelModule), and runs launches.
//
// Adding a device (e.g. a GPU): subclass Device in the device's own folder (src/cuda/ for
// NVIDIA) and register a provider that returns it when the hardware is present
// (registerDeviceProvider, device_registry.h), from a static initialiser of a library linked
// whole. Everything in a Launch is
// already validated; a device may still refuse with NotSupported (a kernel it cannot translate),
// OutOfResources or DeviceFailure. Calls on one device may come from several guest threads at
// once: a device serialises what must be serialised (the CPU devices run one launch at a time).
#pragma once

#include "parallel/abi.h"
#include "parawasm/types.h"
#include "vm/guest_memory_view.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>

namespace parawasm::runtime {
class InstanceObject;
class MemoryObject;
} // namespace parawasm::runtime
namespace parawasm::support {
class Trace;
}

namespace parawasm::parallel {

class KernelModule;

// What a device reports: an ABI error code and, on failure, a message for the embedder
// (ParallelContext::lastError, the CLI's --verbose).
struct [[nodiscard]] Status {
  ErrorCode code = ErrorCode::Success;
  std::string message;
  std::optional<TrapCode> trap; // with KernelTrapped: what the iteration did

  static Status ok() { return {}; }
  static Status fail(ErrorCode code, std::string message) {
    return {code, std::move(message), std::nullopt};
  }
  static Status trapped(TrapCode trap, std::string message) {
    return {ErrorCode::KernelTrapped, std::move(message), trap};
  }
  bool isOk() const { return code == ErrorCode::Success; }
};

// The caller's linear memory, as it is when the call is made: the bounds-checked view of its
// current mapping (every region a device is handed lies inside [0, size())), and the memory
// itself, held for as long as the call needs it.
struct GuestMemory : vm::GuestMemoryView {
  GuestMemory() = default;
  GuestMemory(std::shared_ptr<runtime::MemoryObject> object, uint8_t *base, uint64_t size)
      : GuestMemoryView(base, size), object(std::move(object)) {}
  std::shared_ptr<runtime::MemoryObject> object;
};

// Memory 0 of `instance` as it is now; empty when there is no instance or it has no memory.
GuestMemory callerMemory(runtime::InstanceObject *instance);

// Per-buffer state a device keeps (device memory, a staging area...). Devices that need none
// (zero-copy ones) return null from createBuffer.
class DeviceBuffer {
public:
  virtual ~DeviceBuffer() = default;
};

// One buffer argument of a launch, in kernel order. Access kinds are transfer hints, not a gate
// (docs/wasi-parallel.md, "Access kinds"): host_api turns the list a buffer came in and its access
// into the two directions a device with its own memory needs.
struct LaunchBuffer {
  uint32_t address = 0; // bound region in the caller's memory
  uint32_t size = 0;
  AccessKind access = AccessKind::ReadWrite;
  bool copyIn = true;                   // the kernel may read it: the device needs its contents
  bool copyOut = true;                  // the kernel may write it: read_buffer must fetch them
  DeviceBuffer *deviceBuffer = nullptr; // what createBuffer returned
};

// The directions of a buffer listed as an in-buffer (`listedIn`), an out-buffer (`listedOut`) or
// both: in when listed as input or readable, back when listed as output or writable.
inline LaunchBuffer transferDirections(LaunchBuffer b, bool listedIn, bool listedOut) {
  b.copyIn = listedIn || canRead(b.access);
  b.copyOut = listedOut || canWrite(b.access);
  return b;
}

// The span of guest memory a launch's buffers cover: from the lowest to the highest byte of the
// non-empty buffers, gaps between them included; [0, 0) without any. What a checked kernel may
// reach (one compare per access), and what a device with its own memory mirrors.
inline std::pair<uint64_t, uint64_t> bufferSpan(std::span<const LaunchBuffer> buffers) {
  uint64_t start = UINT64_MAX, end = 0;
  for (const LaunchBuffer &b : buffers)
    if (b.size) {
      start = std::min<uint64_t>(start, b.address);
      end = std::max<uint64_t>(end, uint64_t(b.address) + b.size);
    }
  return start < end ? std::pair{start, end} : std::pair<uint64_t, uint64_t>{0, 0};
}

struct Launch {
  // `last` for "to numIterations".
  static constexpr uint32_t kToTheEnd = UINT32_MAX;

  std::shared_ptr<KernelModule> kernel; // valid, with kernel->numBuffers == buffers.size()
  GuestMemory memory;
  uint32_t numIterations = 0; // of the whole call (what each iteration receives); <= kMaxIterations
  // The iterations this launch runs: [first, end()), inside [0, numIterations). A device that
  // splits a call (several GPUs, ranks of a cluster) hands each part a sub-range; host_api runs
  // the whole range.
  uint32_t first = 0;
  uint32_t last = kToTheEnd;
  uint32_t end() const { return last == kToTheEnd ? numIterations : std::min(last, numIterations); }
  // Passed to every iteration unchanged, and the scheduling grain hint: consecutive iterations a
  // CPU worker takes at a time, threads per block on a GPU. 0: the device chooses.
  uint32_t blockSize = 0;
  std::span<const LaunchBuffer> buffers;
  support::Trace *tracer = nullptr; // null unless tracing
  // The caller's interrupt flag (VMContext::interrupt): a device stops the launch when it is
  // set, and reports TrapCode::Interrupted. Null: nothing interrupts it.
  const std::atomic<uint32_t> *interrupt = nullptr;
  // Fuel each kernel instance starts with (EngineConfig::consumeFuel): the caller's at the call.
  int64_t fuel = INT64_MAX;
};

class Device {
public:
  virtual ~Device() = default;

  virtual DeviceKind kind() const = 0;
  // Short name: "sequential", "cpu", or the GPU's product name.
  virtual std::string name() const = 0;
  // One line for `parawasm devices`: threads, memory, compute capability...
  virtual std::string details() const = 0;
  // How many threads it runs at once (the cpu device's --threads): what a guest sizes a team
  // by (get_device_threads).
  virtual unsigned concurrency() const { return 1; }

  // A new buffer of `size` bytes (0 allowed). Null `out` is fine for devices with no state.
  virtual Status createBuffer(uint32_t size, AccessKind access,
                              std::unique_ptr<DeviceBuffer> &out) = 0;
  // write_buffer: the buffer is now bound to [address, address + size) of `memory`; a device
  // with its own memory copies the region in (except for Write buffers).
  virtual Status writeBuffer(DeviceBuffer *buffer, const GuestMemory &memory, uint32_t address,
                             uint32_t size, AccessKind access) = 0;
  // read_buffer: make the contents of the buffer bound at `boundAddress` visible at
  // [destination, destination + size). Zero-copy devices move bytes only when the regions
  // differ (memmove semantics).
  virtual Status readBuffer(DeviceBuffer *buffer, const GuestMemory &memory, uint32_t boundAddress,
                            uint32_t destination, uint32_t size, AccessKind access) = 0;
  // Runs kernel(i, numIterations, ...) exactly once for every i in [launch.first, launch.end()),
  // and returns when all
  // have finished. A trap gives KernelTrapped (with the trap's message): iterations not yet
  // started are skipped, running ones finish. Must leave the device usable for the next launch.
  virtual Status launch(const Launch &launch) = 0;
};

} // namespace parawasm::parallel
