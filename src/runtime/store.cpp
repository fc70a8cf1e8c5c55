// What one linker's instances share (StoreState) and the default resource decisions.
#include "runtime/interrupt.h"
#include "runtime/objects.h"

#include <algorithm>

namespace parawasm {

namespace {

std::string bytesText(uint64_t bytes) {
  const char *units[] = {"bytes", "KiB", "MiB", "GiB"};
  unsigned unit = 0;
  while (unit < 3 && bytes >= 1024 && bytes % 1024 == 0) {
    bytes /= 1024;
    ++unit;
  }
  return std::to_string(bytes) + " " + units[unit];
}

} // namespace

std::optional<std::string> ResourceLimiter::memoryGrowing(uint64_t, uint64_t desiredBytes) {
  if (desiredBytes <= limits_.maxMemoryBytes)
    return std::nullopt;
  return "a memory of " + bytesText(desiredBytes) + " is over the limit of " +
         bytesText(limits_.maxMemoryBytes) + " (max-memory-size)";
}

std::optional<std::string> ResourceLimiter::tableGrowing(uint32_t, uint32_t desired) {
  if (desired <= limits_.maxTableElements)
    return std::nullopt;
  return "a table of " + std::to_string(desired) + " elements is over the limit of " +
         std::to_string(limits_.maxTableElements) + " (max-table-elements)";
}

std::optional<std::string> ResourceLimiter::instanceCreating(uint32_t alive) {
  if (alive < limits_.maxInstances)
    return std::nullopt;
  return "already " + std::to_string(alive) + " instances, the limit (max-instances)";
}

std::optional<std::string> ResourceLimiter::parallelBufferCreating(uint32_t alive) {
  if (alive < limits_.maxParallelBuffers)
    return std::nullopt;
  return "already " + std::to_string(alive) +
         " wasi-parallel buffers, the limit (max-parallel-buffers)";
}

std::optional<std::string> ResourceLimiter::kernelLoading(uint64_t bytes) {
  if (bytes <= limits_.maxKernelBytes)
    return std::nullopt;
  return "a kernel of " + bytesText(bytes) + " is over the limit of " +
         bytesText(limits_.maxKernelBytes) + " (max-kernel-size)";
}

namespace runtime {

StoreState::StoreState() : limiter(std::make_shared<ResourceLimiter>()) {}

void StoreState::interrupt() {
  raiseInterrupt(interruptFlag, stopsRunningCode);
  std::lock_guard lock(mutex_);
  for (std::atomic<uint32_t> *flag : linked_)
    raiseInterrupt(*flag, stopsRunningCode);
}

void StoreState::reset() { clearInterrupt(interruptFlag); }

void StoreState::link(std::atomic<uint32_t> *flag) {
  std::lock_guard lock(mutex_);
  linked_.push_back(flag);
}

void StoreState::unlink(std::atomic<uint32_t> *flag) {
  std::lock_guard lock(mutex_);
  std::erase(linked_, flag);
}

void StoreState::pin(std::shared_ptr<InstanceObject> instance) {
  std::lock_guard lock(mutex_);
  pinned_.push_back(std::move(instance));
}

void StoreState::releasePins() {
  std::vector<std::shared_ptr<InstanceObject>> pinned;
  {
    std::lock_guard lock(mutex_);
    pinned.swap(pinned_);
  }
  // Destroyed here, outside the lock: an instance's destructor may take it (unlink).
}

InstanceObject::~InstanceObject() {
  for (auto &hook : onDestroy)
    hook();
  // A table that outlives this instance (another instance imported it, or this one imported it)
  // must not keep references into its freed functions: they become null, so a call through them
  // traps as an uninitialised element instead of running freed code.
  for (const std::shared_ptr<TableObject> &table : tables) {
    if (table.use_count() == 1 || table->type.element != ValType::FuncRef)
      continue;
    for (uint32_t i = 0; i < table->vm.size; ++i) {
      auto *ref = static_cast<vm::VMFuncRef *>(table->vm.elements[i]);
      if (ref && ref->calleeCtx == &ctx)
        table->vm.elements[i] = nullptr;
    }
  }
  if (counted)
    store->instances.fetch_sub(1);
}

} // namespace runtime
} // namespace parawasm
