#include "support/address_ranges.h"

namespace parawasm::support {

AddressRanges::AddressRanges(size_t capacity)
    : capacity_(capacity), bases_(new std::atomic<uintptr_t>[capacity]()),
      sizes_(new std::atomic<size_t>[capacity]()) {}

bool AddressRanges::add(uintptr_t base, size_t size) {
  for (size_t i = 0; i < capacity_; ++i) {
    uintptr_t expected = 0;
    // Claim the slot first; until its size is published a lookup sees an empty range.
    if (bases_[i].compare_exchange_strong(expected, base, std::memory_order_acq_rel)) {
      sizes_[i].store(size, std::memory_order_release);
      return true;
    }
  }
  return false;
}

void AddressRanges::remove(uintptr_t base) {
  for (size_t i = 0; i < capacity_; ++i) {
    if (bases_[i].load(std::memory_order_acquire) != base)
      continue;
    sizes_[i].store(0, std::memory_order_release);
    uintptr_t expected = base;
    if (bases_[i].compare_exchange_strong(expected, 0, std::memory_order_acq_rel))
      return;
  }
}

bool AddressRanges::contains(uintptr_t addr) const {
  for (size_t i = 0; i < capacity_; ++i) {
    uintptr_t base = bases_[i].load(std::memory_order_acquire);
    if (base && addr >= base && addr - base < sizes_[i].load(std::memory_order_acquire))
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
