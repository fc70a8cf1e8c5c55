// The guest's linear memory as the WASI calls see it: every access is bounds-checked, and a
// pointer or length that leaves memory becomes EFAULT rather than a host access.
#pragma once

#include "wasi/abi.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace parawasm::wasi {

class GuestMemory {
public:
  GuestMemory(uint8_t *base, uint64_t size) : base_(base), size_(size) {}

  // Host pointer to [ptr, ptr + len), or nullptr when any byte of it lies outside memory. An
  // empty range inside memory (ptr <= size) gives a non-null pointer that must not be read.
  uint8_t *at(uint64_t ptr, uint64_t len) const {
    if (ptr > size_ || len > size_ - ptr)
      return nullptr;
    static uint8_t empty;
    return base_ ? base_ + ptr : &empty;
  }
  uint64_t size() const { return size_; }

  // Unaligned little-endian loads and stores (wasm memory is little endian, as is the host).
  template <class T> bool load(uint64_t ptr, T &out) const {
    const uint8_t *p = at(ptr, sizeof(T));
    if (!p)
      return false;
    std::memcpy(&out, p, sizeof(T));
    return true;
  }
  template <class T> bool store(uint64_t ptr, T value) const {
    uint8_t *p = at(ptr, sizeof(T));
    if (!p)
      return false;
    std::memcpy(p, &value, sizeof(T));
    return true;
  }
  bool write(uint64_t ptr, const void *data, uint64_t len) const {
    uint8_t *p = at(ptr, len);
    if (!p)
      return false;
    if (len)
      std::memcpy(p, data, len);
    return true;
  }

private:
  uint8_t *base_;
  uint64_t size_;
};

// Writes `value` to guest memory or fails the call with EFAULT.
#define PW_WASI_STORE(mem, ptr, value)                                                             \
  do {                                                                                             \
    if (!(mem).store((ptr), (value)))                                                              \
      return ::parawasm::wasi::Errno::Fault;                                                       \
  } while (0)

// Copies a guest path or string. EFAULT outside memory, EINVAL for an embedded NUL (a host path
// would end there), EILSEQ for text that is not UTF-8 (as Wasmtime).
Errno readGuestString(const GuestMemory &mem, GuestPtr ptr, GuestSize len, std::string &out);

bool isValidUtf8(const std::string &s);

} // namespace parawasm::wasi
