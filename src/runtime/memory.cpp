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
  uint64_t maxPages = type.index64 ? vm::kMaxPages64 : vm::kMaxPages32;
  if (type.minPages > maxPages || (type.maxPages && *type.maxPages > maxPages))
    return Error(ErrorKind::Invalid, type.index64
                                         ? "memory size must be at most 2^48 pages (2^64 bytes)"
                                         : "memory size must be at most 65536 pages (4GiB)");
  // A 32-bit memory reserves its whole 8 GiB span (index, static offset, guard) once. A 64-bit
  // one is checked explicitly by compiled code and reserves only what it may grow to, within
  // the engine's limit. Either way the base never moves, so growing needs no relocation and
  // compiled code (on every thread) keeps using the base it loaded.
  // In pages: 2^48 pages in bytes would wrap.
  uint64_t limitPages = type.maxPages.value_or(maxPages);
  uint64_t reservation = vm::kMemoryReservation;
  if (type.index64) {
    limitPages = std::min(limitPages, vm::kMaxMemory64Bytes / vm::kPageSize);
    // Never empty, so that the base is a mapping of its own that the trap handler knows.
    reservation = std::max(limitPages, uint64_t(1)) * vm::kPageSize;
  }
  uint64_t limitBytes = limitPages * vm::kPageSize;
  if (type.minPages > limitPages)
    return Error(ErrorKind::Exhaustion,
                 "cannot reserve linear memory: " + std::to_string(type.minPages) +
                     " pages exceed the engine's limit");
  auto mem = std::make_shared<MemoryObject>();
  mem->type = type;
  void *base = reserveAligned(reservation);
  if (base == MAP_FAILED)
    return Error(ErrorKind::Exhaustion,
                 std::string("cannot reserve linear memory: ") + std::strerror(errno));
  // Advice only: a kernel without THP refuses it, and the memory works the same.
  if (hugePagesWanted())
    (void)madvise(base, reservation, MADV_HUGEPAGE);
  mem->reservation_ = reservation;
  uint64_t bytes = type.minPages * vm::kPageSize;
  if (bytes && mprotect(base, bytes, PROT_READ | PROT_WRITE) != 0) {
    munmap(base, reservation);
    return Error(ErrorKind::Exhaustion, "cannot commit linear memory");
  }
  mem->vm.base = static_cast<uint8_t *>(base);
  mem->vm.sizeBytes.store(bytes);
  mem->vm.maxBytes = limitBytes;
  mem->vm.shared = type.shared;
  mem->vm.index64 = type.index64;
  registerReservation(reinterpret_cast<uintptr_t>(base), reservation);
  return mem;
}

MemoryObject::~MemoryObject() {
  if (vm.base) {
    unregisterReservation(reinterpret_cast<uintptr_t>(vm.base));
    munmap(vm.base, reservation_);
  }
}

int64_t MemoryObject::grow(uint64_t deltaPages) {
  std::lock_guard lock(growMutex_);
  uint64_t old = vm.sizeBytes.load();
  // Compared in pages first: a 64-bit delta in bytes could wrap.
  if (deltaPages > (vm.maxBytes - old) / vm::kPageSize)
    return -1;
  uint64_t wanted = old + deltaPages * vm::kPageSize;
  if (deltaPages && limiter && limiter->memoryGrowing(old, wanted))
    return -1;
  if (deltaPages == 0)
    return int64_t(old / vm::kPageSize);
  if (mprotect(vm.base + old, wanted - old, PROT_READ | PROT_WRITE) != 0)
    return -1;
  vm.sizeBytes.store(wanted);
  return int64_t(old / vm::kPageSize);
}

std::shared_ptr<MemoryObject> makeFixedView(const MemoryObject &memory) {
  auto *view = new MemoryObject();
  view->vm.base = memory.vm.base;
  view->vm.shared = memory.vm.shared;
  view->vm.index64 = memory.vm.index64;
  view->type.shared = memory.type.shared;
  view->type.index64 = memory.type.index64;
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
  view.type.minPages = size / vm::kPageSize;
  view.type.maxPages = view.type.minPages;
}

} // namespace parawasm::runtime
