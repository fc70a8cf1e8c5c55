#include "support/address_ranges.h"

#include <new>
#include <sys/mman.h>

namespace parawasm::support {

namespace {

// Fresh anonymous pages are zero and cost nothing until touched (calloc may clear them itself).
template <typename T> T *zeroedArray(size_t count) {
  void *p = ::mmap(nullptr, count * sizeof(T), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED)
    throw std::bad_alloc();
  return static_cast<T *>(p);
}

template <typename T> std::atomic_ref<T> slot(T *array, size_t i) {
  return std::atomic_ref<T>(array[i]);
}

} // namespace

AddressRanges::AddressRanges(size_t capacity)
    : capacity_(capacity), bases_(zeroedArray<uintptr_t>(capacity)),
      sizes_(zeroedArray<size_t>(capacity)) {}

AddressRanges::~AddressRanges() {
  ::munmap(bases_, capacity_ * sizeof(uintptr_t));
  ::munmap(sizes_, capacity_ * sizeof(size_t));
}

bool AddressRanges::add(uintptr_t base, size_t size) {
  for (size_t i = 0; i < capacity_; ++i) {
    uintptr_t expected = 0;
    // Claim the slot first; until its size is published a lookup sees an empty range.
    if (slot(bases_, i).compare_exchange_strong(expected, base, std::memory_order_acq_rel)) {
      slot(sizes_, i).store(size, std::memory_order_release);
      // Published before add returns, so any lookup that follows it scans this slot.
      size_t used = used_.load(std::memory_order_acquire);
      while (used < i + 1 && !used_.compare_exchange_weak(used, i + 1, std::memory_order_acq_rel)) {
      }
      return true;
    }
  }
  return false;
}

void AddressRanges::remove(uintptr_t base) {
  size_t used = used_.load(std::memory_order_acquire);
  for (size_t i = 0; i < used; ++i) {
    if (slot(bases_, i).load(std::memory_order_acquire) != base)
      continue;
    slot(sizes_, i).store(0, std::memory_order_release);
    uintptr_t expected = base;
    if (slot(bases_, i).compare_exchange_strong(expected, 0, std::memory_order_acq_rel))
      return;
  }
}

bool AddressRanges::contains(uintptr_t addr) const {
  size_t used = used_.load(std::memory_order_acquire);
  for (size_t i = 0; i < used; ++i) {
    uintptr_t base = slot(bases_, i).load(std::memory_order_acquire);
    if (base && addr >= base && addr - base < slot(sizes_, i).load(std::memory_order_acquire))
      return true;
  }
  return false;
}

AddressRanges &jitCodeRanges() {
  // Never destroyed: a signal may arrive while static destructors run. One range per linked
  // object: a module's partitions, or one per function compiled lazily.
  static AddressRanges *ranges = new AddressRanges(1 << 16);
  return *ranges;
}

} // namespace parawasm::support
