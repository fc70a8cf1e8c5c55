// A set of address ranges that a signal handler may query: lookups take no lock and allocate
// nothing. Used for the linear-memory reservations (a fault inside one is an out-of-bounds trap)
// and for the native code the JIT emitted (an interrupt signal landing there may unwind).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace parawasm::support {

class AddressRanges {
public:
  explicit AddressRanges(size_t capacity);

  // False when every slot is taken (the range is then not recorded).
  bool add(uintptr_t base, size_t size);
  void remove(uintptr_t base);
  // Async-signal-safe.
  bool contains(uintptr_t addr) const;

private:
  size_t capacity_;
  std::unique_ptr<std::atomic<uintptr_t>[]> bases_;
  std::unique_ptr<std::atomic<size_t>[]> sizes_;
};

// The native code of every compiled module of the process (src/compile registers it as the JIT
// links it, src/runtime asks where an interrupt signal landed).
AddressRanges &jitCodeRanges();

} // namespace parawasm::support
