// A set of address ranges that a signal handler may query: lookups take no lock and allocate
// nothing. Used for the linear-memory reservations (a fault inside one is an out-of-bounds trap)
// and for the native code the JIT emitted (an interrupt signal landing there may unwind).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace parawasm::support {

class AddressRanges {
public:
  explicit AddressRanges(size_t capacity);
  ~AddressRanges();
  AddressRanges(const AddressRanges &) = delete;
  AddressRanges &operator=(const AddressRanges &) = delete;

  // False when every slot is taken (the range is then not recorded).
  bool add(uintptr_t base, size_t size);
  void remove(uintptr_t base);
  // Async-signal-safe.
  bool contains(uintptr_t addr) const;

private:
  size_t capacity_;
  // Slots at and above this index have never been claimed: lookups stop there.
  std::atomic<size_t> used_{0};
  // Fresh pages (mmap): a process touches only the pages of the slots it uses, instead of
  // clearing megabytes at start-up. Accessed through std::atomic_ref.
  uintptr_t *bases_;
  size_t *sizes_;
};

// The native code of every compiled module of the process (src/compile registers it as the JIT
// links it, src/runtime asks where an interrupt signal landed).
AddressRanges &jitCodeRanges();

} // namespace parawasm::support
