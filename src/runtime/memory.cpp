// Linear memory: the 8 GiB reservation with guard pages, commit on grow, and fixed views.
#include "runtime/memory.h"
#include "runtime/objects.h"
#include "runtime/trap.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sys/mman.h>

namespace parawasm::runtime {
namespace {

constexpr uint64_t kHugePageBytes = 2ull << 20;

// Transparent huge pages for linear memory unless PARAWASM_HUGE_PAGES=0: a memory-bound guest
// otherwise takes one page fault (and one TLB entry) per 4 KiB it touches. Hosts whose THP
// mode is `madvise` (a common default) give huge pages only to ranges that ask for them.
bool hugePagesWanted() {
  static const bool wanted = [] {
    const char *env = std::getenv("PARAWASM_HUGE_PAGES");
    return !(env && std::strcmp(env, "0") == 0);
  }();
  return wanted;
}

// Reserves `bytes` of inaccessible address space whose start is aligned to a huge page, so the
// first 2 MiB of linear memory can already be one huge page.
void *reserveAligned(uint64_t bytes) {
  uint64_t padded = bytes + kHugePageBytes;
  void *raw = mmap(nullptr, padded, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED)
    return raw;
  uintptr_t start = reinterpret_cast<uintptr_t>(raw);
  uintptr_t aligned = (start + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  if (aligned > start)
    munmap(raw, aligned - start);
  uintptr_t end = start + padded, alignedEnd = aligned + bytes;
  if (end > alignedEnd)
    munmap(reinterpret_cast<void *>(alignedEnd), end - alignedEnd);
  return reinterpret_cast<void *>(aligned);
}

} // namespace

Result<std::shared_ptr<MemoryObject>> MemoryObject::create(const MemoryType &type) {
  if (type.minPages > vm::kMaxPages32)
    return Error(ErrorKind::Invalid, "memory size must be at most 65536 pages (4GiB)");
  auto mem = std::make_shared<MemoryObject>();
  mem->type = type;
  // Reserve the whole 8 GiB span once: the base never moves, so growing needs no relocation and
  // compiled code (on every thread) keeps using the base it loaded.
  void *base = reserveAligned(vm::kMemoryReservation);
  if (base == MAP_FAILED)
    return Error(ErrorKind::Exhaustion,
                 std::string("cannot reserve linear memory: ") + std::strerror(errno));
  // Advice only: a kernel without THP refuses it, and the memory works the same.
  if (hugePagesWanted())
    (void)madvise(base, vm::kMemoryReservation, MADV_HUGEPAGE);
  mem->reservation_ = vm::kMemoryReservation;
  uint64_t bytes = uint64_t(type.minPages) * vm::kPageSize;
  if (bytes && mprotect(base, bytes, PROT_READ | PROT_WRITE) != 0) {
    munmap(base, vm::kMemoryReservation);
    return Error(ErrorKind::Exhaustion, "cannot commit linear memory");
  }
  mem->vm.base = static_cast<uint8_t *>(base);
  mem->vm.sizeBytes.store(bytes);
  mem->vm.maxBytes = uint64_t(type.maxPages.value_or(uint32_t(vm::kMaxPages32))) * vm::kPageSize;
  mem->vm.shared = type.shared;
  registerReservation(reinterpret_cast<uintptr_t>(base), vm::kMemoryReservation);
  return mem;
}

MemoryObject::~MemoryObject() {
  if (vm.base) {
    unregisterReservation(reinterpret_cast<uintptr_t>(vm.base));
    munmap(vm.base, reservation_);
  }
}

int32_t MemoryObject::grow(uint32_t deltaPages) {
  std::lock_guard lock(growMutex_);
  uint64_t old = vm.sizeBytes.load();
  uint64_t wanted = old + uint64_t(deltaPages) * vm::kPageSize;
  if (wanted > vm.maxBytes)
    return -1;
  if (deltaPages && limiter && limiter->memoryGrowing(old, wanted))
    return -1;
  if (deltaPages == 0)
    return int32_t(old / vm::kPageSize);
  if (mprotect(vm.base + old, wanted - old, PROT_READ | PROT_WRITE) != 0)
    return -1;
  vm.sizeBytes.store(wanted);
  return int32_t(old / vm::kPageSize);
}

std::shared_ptr<MemoryObject> makeFixedView(const MemoryObject &memory) {
  auto *view = new MemoryObject();
  view->vm.base = memory.vm.base;
  view->vm.shared = memory.vm.shared;
  view->type.shared = memory.type.shared;
  refreshFixedView(*view, memory);
  // The mapping belongs to `memory`: clear the base so ~MemoryObject neither unmaps it nor
  // unregisters its reservation.
  return std::shared_ptr<MemoryObject>(view, [](MemoryObject *m) {
    m->vm.base = nullptr;
    delete m;
  });
}

void refreshFixedView(MemoryObject &view, const MemoryObject &memory) {
  uint64_t size = memory.vm.sizeBytes.load();
  view.vm.sizeBytes.store(size);
  // maxBytes == size: any memory.grow by a positive delta fails with -1.
  view.vm.maxBytes = size;
  view.type.minPages = uint32_t(size / vm::kPageSize);
  view.type.maxPages = view.type.minPages;
}

} // namespace parawasm::runtime
