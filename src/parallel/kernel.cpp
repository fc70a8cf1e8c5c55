#include "parallel/kernel.h"

#include "runtime/objects.h"
#include "vm/import_matching.h"

#include <algorithm>
#include <cstring>
#include <map>

namespace parawasm::parallel {

Result<std::shared_ptr<runtime::ModuleObject>> KernelModule::cpuModule() {
  if (!cpuDone_.load(std::memory_order_acquire)) {
    std::lock_guard lock(cpuMutex_);
    if (!cpuDone_.load(std::memory_order_relaxed)) {
      // A copy: the GPU may translate `loaded` too, and compileModule consumes its argument.
      auto m = compiler->compileKernel(loaded, kernelFunc);
      if (!m)
        cpuError_.emplace(m.takeError());
      else if (!(*m)->kernelDriver)
        cpuError_.emplace(ErrorKind::Internal, "the compiler produced no kernel driver");
      else
        cpu_ = std::move(*m);
      cpuDone_.store(true, std::memory_order_release);
    }
  }
  if (cpuError_)
    return *cpuError_;
  return cpu_;
}

Result<std::shared_ptr<KernelModule>> KernelModule::forWorker(KernelCompiler &compiler,
                                                              std::span<const uint8_t> moduleBytes,
                                                              uint32_t funcIndex) {
  auto loaded = wasm::loadBinary(moduleBytes);
  if (!loaded)
    return loaded.takeError();
  const vm::ModuleInfo &info = loaded->info;
  if (funcIndex < info.numImportedFuncs || funcIndex >= info.funcTypes.size())
    return Error(ErrorKind::Invalid,
                 "function " + std::to_string(funcIndex) + " is not defined by the module");
  const FuncType &type = info.funcType(funcIndex);
  size_t params = type.params.size();
  if (!type.results.empty() || params < kKernelFixedParams || (params - kKernelFixedParams) % 2 ||
      std::any_of(type.params.begin(), type.params.end(),
                  [](ValType v) { return v != ValType::I32; }))
    return Error(ErrorKind::Invalid, "a worker takes 3 + 2 x (buffers) i32 and returns nothing, "
                                     "its type is " +
                                         type.toString());
  auto k = std::make_shared<KernelModule>();
  k->bytes.assign(moduleBytes.begin(), moduleBytes.end());
  k->hash = hashBytes(k->bytes) ^ (uint64_t(funcIndex) * 0x9e3779b97f4a7c15ull);
  k->loaded = std::move(*loaded);
  k->kernelFunc = funcIndex;
  k->numBuffers = uint32_t((params - kKernelFixedParams) / 2);
  k->worker = true;
  k->compiler = &compiler;
  return k;
}

std::optional<std::string> checkKernelRules(const vm::ModuleInfo &info, KernelModule &out) {
  const char *kindNames[] = {"a function", "a table", "a memory", "a global"};
  if (info.imports.empty())
    return "the kernel imports no memory (it must import exactly one)";
  for (const vm::ImportInfo &imp : info.imports)
    if (imp.kind != ExternKind::Memory)
      return "import '" + imp.module + "' '" + imp.name + "' is " +
             kindNames[static_cast<int>(imp.kind)] + ": a kernel imports only the caller's memory";
  if (info.imports.size() != 1)
    return "the kernel imports " + std::to_string(info.imports.size()) +
           " memories (it must import exactly one)";
  if (info.memories.size() != 1)
    return "the kernel defines a memory of its own";
  if (info.memories[0].index64)
    return "the kernel's memory is 64-bit: kernels address the caller's memory with i32 pointers";
  if (!info.data.empty())
    return "the kernel has " + std::to_string(info.data.size()) +
           " data segment(s): they would write into the caller's memory";
  if (info.start)
    return "the kernel has a start function";

  const vm::ExportInfo *exported = nullptr;
  for (const vm::ExportInfo &e : info.exports)
    if (e.name == kKernelExportName)
      exported = &e;
  if (!exported)
    return "the kernel exports no function named 'kernel'";
  if (exported->kind != ExternKind::Func)
    return "the export 'kernel' is not a function";
  const FuncType &type = info.funcType(exported->index);
  if (!type.results.empty())
    return "'kernel' must return nothing, its type is " + type.toString();
  for (ValType p : type.params)
    if (p != ValType::I32)
      return "'kernel' must take only i32 parameters, its type is " + type.toString();
  if (type.params.size() < kKernelFixedParams || (type.params.size() - kKernelFixedParams) % 2)
    return "'kernel' must take 3 + 2 x (number of buffers) parameters, it takes " +
           std::to_string(type.params.size());

  out.kernelFunc = exported->index;
  out.numBuffers = uint32_t((type.params.size() - kKernelFixedParams) / 2);
  out.memoryImport = info.imports[0].memory;
  return std::nullopt;
}

std::optional<std::string> checkMemoryImport(const MemoryType &import, uint64_t currentBytes) {
  uint64_t pages = currentBytes / vm::kPageSize;
  // The memory a kernel sees cannot grow: its limits are {current, current}.
  switch (vm::matchLimits(pages, pages, import.minPages, import.maxPages)) {
  case vm::LimitsMismatch::None:
    return std::nullopt;
  case vm::LimitsMismatch::Min:
    return "the kernel's memory import needs at least " + std::to_string(import.minPages) +
           " pages, the caller's memory has " + std::to_string(pages);
  case vm::LimitsMismatch::Max:
    return "the kernel's memory import allows at most " + std::to_string(*import.maxPages) +
           " pages, the caller's memory has " + std::to_string(pages);
  }
  return std::nullopt;
}

uint64_t hashBytes(std::span<const uint8_t> bytes) {
  constexpr uint64_t k1 = 0x9e3779b97f4a7c15ull, k2 = 0xbf58476d1ce4e5b9ull,
                     k3 = 0x94d049bb133111ebull;
  auto mix = [](uint64_t x) {
    x ^= x >> 30;
    x *= k2;
    x ^= x >> 27;
    x *= k3;
    return x ^ (x >> 31);
  };
  // Four independent lanes over 32-byte blocks, so that the multiplies overlap: several bytes
  // per cycle (the cluster device hashes every buffer of every exec).
  uint64_t lane[4] = {k1 ^ (bytes.size() * k2), k2 ^ bytes.size(), k3 + bytes.size(), k1 + k3};
  size_t i = 0;
  for (; i + 32 <= bytes.size(); i += 32)
    for (int l = 0; l < 4; ++l) {
      uint64_t w;
      std::memcpy(&w, bytes.data() + i + 8 * l, 8);
      lane[l] = (lane[l] ^ mix(w + k1)) * k3;
      lane[l] = (lane[l] << 29) | (lane[l] >> 35);
    }
  uint64_t h = mix(lane[0]) ^ mix(lane[1] + k1) ^ mix(lane[2] + k2) ^ mix(lane[3] + k3);
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, bytes.data() + i, 8);
    h = (h ^ mix(w + k1)) * k3;
    h = (h << 29) | (h >> 35);
  }
  uint64_t tail = 0;
  if (i < bytes.size()) // an empty span may have a null data(): memcpy's source must not be
    std::memcpy(&tail, bytes.data() + i, bytes.size() - i);
  return mix(h ^ mix(tail + k2));
}

KernelCache::KernelCache(KernelCompiler &compiler, size_t capacity)
    : compiler_(compiler), entries_(capacity) {}

std::shared_ptr<KernelCache> KernelCache::forEngine(KernelCompiler &compiler) {
  static std::mutex mutex;
  static std::map<KernelCompiler *, std::weak_ptr<KernelCache>> caches;
  std::lock_guard lock(mutex);
  for (auto it = caches.begin(); it != caches.end();)
    it = it->second.expired() ? caches.erase(it) : std::next(it);
  auto &slot = caches[&compiler];
  auto cache = slot.lock();
  if (!cache) {
    cache = std::make_shared<KernelCache>(compiler);
    slot = cache;
  }
  return cache;
}

Status KernelCache::lookup(std::span<const uint8_t> bytes, std::shared_ptr<KernelModule> &out,
                           bool *isNew) {
  std::lock_guard lock(mutex_);
  if (isNew)
    *isNew = false;
  ++stats_.lookups;
  // Execs in a loop reuse one kernel: the most recent entry is compared before any hashing.
  Entry *e = nullptr;
  if (auto *last = entries_.mostRecent(); last && KernelBytesEqual()(last->first, bytes))
    e = &last->second;
  else
    e = entries_.find(bytes);
  if (e) {
    ++stats_.hits;
  } else {
    ++stats_.loads;
    if (isNew)
      *isNew = true;
    // Copy first: the guest (another thread) may change its bytes while we decode them.
    std::vector<uint8_t> copy(bytes.begin(), bytes.end());
    Entry entry;
    auto loaded = wasm::loadBinary(copy);
    if (!loaded) {
      entry.status = Status::fail(ErrorCode::InvalidKernel, loaded.error().message());
    } else {
      auto kernel = std::make_shared<KernelModule>();
      if (auto why = checkKernelRules(loaded->info, *kernel)) {
        entry.status = Status::fail(ErrorCode::InvalidKernel, *why);
      } else {
        kernel->bytes = copy;
        kernel->hash = hashBytes(copy);
        kernel->loaded = std::move(*loaded);
        kernel->compiler = &compiler_;
        entry.kernel = std::move(kernel);
      }
    }
    e = &entries_.insert(std::move(copy), std::move(entry));
  }
  out = e->kernel;
  return e->status;
}

KernelCacheStats KernelCache::stats() const {
  std::lock_guard lock(mutex_);
  KernelCacheStats s = stats_;
  s.evicted = entries_.evictions();
  s.entries = entries_.size();
  return s;
}

void KernelCache::clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
}

} // namespace parawasm::parallel
