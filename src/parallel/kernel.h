// Kernel modules: decoded, validated and checked against the kernel rules once, then cached by
// their bytes for the rest of the process (one cache per Engine, since compiled code belongs to
// an Engine's JIT).
#pragma once

#include "parallel/device.h"
#include "support/lru_cache.h"
#include "wasm/loaded_module.h"

#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

namespace parawasm::runtime {
class ModuleObject;
} // namespace parawasm::runtime

namespace parawasm::parallel {

// What wasi-parallel needs of an Engine: its JIT, to compile a kernel for the CPU devices.
// parallel sits below src/api, which owns the Engine (runtime::EngineState implements this), so it
// reaches the compiler only through here; the Engine also names the kernel cache it shares.
class KernelCompiler {
public:
  // Native code and block driver (ModuleObject::kernelDriver) of `kernelFunc` of `loaded`.
  [[nodiscard]] virtual Result<std::shared_ptr<runtime::ModuleObject>>
  compileKernel(wasm::LoadedModule loaded, uint32_t kernelFunc) = 0;

protected:
  ~KernelCompiler() = default;
};

// A valid kernel (docs/wasi-parallel.md, "Kernel rules"). Immutable once made, except for the
// CPU code, compiled on first use.
class KernelModule {
public:
  std::vector<uint8_t> bytes;
  uint64_t hash = 0;         // hashBytes(bytes)
  wasm::LoadedModule loaded; // for devices that translate the module themselves (GPU)
  uint32_t kernelFunc = 0;   // function index of the export `kernel`
  uint32_t numBuffers = 0;   // (parameters - 3) / 2
  MemoryType memoryImport;   // the one import
  // A table-index worker: `kernelFunc` of a whole program (imports, its own memory and all), run
  // as a kernel by devices that cannot run a team (GPUs). Never compiled for the CPU.
  bool worker = false;

  // The worker `funcIndex` of the program `moduleBytes` as a kernel: decoded and validated, its
  // type (i32 x (3 + 2n)) -> () checked; what a device cannot run it finds out itself.
  static Result<std::shared_ptr<KernelModule>>
  forWorker(KernelCompiler &compiler, std::span<const uint8_t> moduleBytes, uint32_t funcIndex);

  // Native code and block driver (ModuleObject::kernelDriver) for the CPU devices; compiled
  // once, on the first call, by whichever thread gets there first. The error is kept too.
  Result<std::shared_ptr<runtime::ModuleObject>> cpuModule();
  bool cpuCompiled() const { return cpuDone_.load(std::memory_order_acquire); }

  KernelCompiler *compiler = nullptr;

private:
  std::mutex cpuMutex_;
  std::atomic<bool> cpuDone_{false};
  std::shared_ptr<runtime::ModuleObject> cpu_;
  std::optional<Error> cpuError_;
};

// Checks the kernel rules that do not depend on a call (one memory import and nothing else, no
// data segments, no start function, `kernel` exported with (i32 x (3 + 2n)) -> ()). On success
// fills kernelFunc, numBuffers and memoryImport; on failure returns why.
std::optional<std::string> checkKernelRules(const vm::ModuleInfo &info, KernelModule &out);

// Whether the kernel's memory import accepts the caller's memory as it is now. Kernels cannot
// grow memory, so the memory they see has the type {current, current}: the import's minimum
// must not exceed the current size, and a declared maximum must not be below it. Shared and
// unshared imports both accept either kind (the kernel sees the caller's memory as it is).
std::optional<std::string> checkMemoryImport(const MemoryType &import, uint64_t currentBytes);

// A fast 64-bit hash of kernel bytes (the cache also compares the bytes themselves).
uint64_t hashBytes(std::span<const uint8_t> bytes);

struct KernelCacheStats {
  uint64_t lookups = 0;
  uint64_t hits = 0;
  uint64_t loads = 0; // decode + validate + rule check (a miss)
  uint64_t evicted = 0;
  size_t entries = 0;
};

// Kernel bytes as a cache key: hashed with hashBytes, looked up by a span of guest memory
// without a copy.
struct KernelBytesHash {
  using is_transparent = void;
  size_t operator()(std::span<const uint8_t> bytes) const { return hashBytes(bytes); }
};
struct KernelBytesEqual {
  using is_transparent = void;
  bool operator()(std::span<const uint8_t> a, std::span<const uint8_t> b) const {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
  }
};

class KernelCache {
public:
  // Kernels a cache keeps by default: an Engine's programs seldom use more than a few dozen, and
  // the least recently used one is decoded again if it comes back.
  static constexpr size_t kDefaultCapacity = 256;

  explicit KernelCache(KernelCompiler &compiler, size_t capacity = kDefaultCapacity);
  // The cache shared by every context of the Engine that is `compiler`.
  static std::shared_ptr<KernelCache> forEngine(KernelCompiler &compiler);

  // The kernel with these bytes: from the cache, or decoded, validated and checked now. Invalid
  // kernels are remembered too, so their status (InvalidKernel and the reason) comes back as
  // fast as a valid kernel's. `bytes` may be guest memory that other threads write: it is
  // copied before it is decoded.
  // `isNew` (optional) tells whether this call loaded it.
  Status lookup(std::span<const uint8_t> bytes, std::shared_ptr<KernelModule> &out,
                bool *isNew = nullptr);

  KernelCacheStats stats() const;
  void clear();

private:
  struct Entry {
    std::shared_ptr<KernelModule> kernel; // null for an invalid kernel
    Status status;
  };

  KernelCompiler &compiler_;
  mutable std::mutex mutex_;
  support::LruCache<std::vector<uint8_t>, Entry, KernelBytesHash, KernelBytesEqual> entries_;
  KernelCacheStats stats_;
};

} // namespace parawasm::parallel
