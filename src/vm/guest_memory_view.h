// A bounds-checked view of a guest's linear memory, as host code sees it: the one place where a
// guest pointer and length become a host pointer. Used by host functions (Caller::memoryAt),
// WASI (wasi::GuestMemory) and wasi-parallel (parallel::GuestMemory).
#pragma once

#include <cstdint>
#include <cstring>

namespace parawasm::vm {

class GuestMemoryView {
public:
  GuestMemoryView() = default;
  GuestMemoryView(uint8_t *base, uint64_t size) : base_(base), size_(size) {}

  // Whether [offset, offset + length) lies inside a memory of `size` bytes. Written so that no
  // sum is formed: offset + length may exceed 2^64 (two guest i64s, or a u32 count times 4 added
  // to an address), and a wrapped sum would look inside.
  static bool fits(uint64_t offset, uint64_t length, uint64_t size) {
    return offset <= size && length <= size - offset;
  }
  bool contains(uint64_t offset, uint64_t length) const { return fits(offset, length, size_); }

  // Host pointer to [offset, offset + length), or nullptr when any byte of it lies outside
  // memory. An empty range inside memory (offset <= size) gives a non-null pointer, even for a
  // memory of no bytes, which must not be read.
  uint8_t *at(uint64_t offset, uint64_t length) const {
    if (!contains(offset, length))
      return nullptr;
    static uint8_t empty;
    return base_ ? base_ + offset : &empty;
  }

  uint8_t *base() const { return base_; }
  uint64_t size() const { return size_; }

  // Unaligned little-endian loads and stores (Wasm memory is little endian, as is the host);
  // false when the value does not lie inside memory.
  template <class T> [[nodiscard]] bool load(uint64_t offset, T &out) const {
    const uint8_t *p = at(offset, sizeof(T));
    if (!p)
      return false;
    std::memcpy(&out, p, sizeof(T));
    return true;
  }
  template <class T> [[nodiscard]] bool store(uint64_t offset, T value) const {
    uint8_t *p = at(offset, sizeof(T));
    if (!p)
      return false;
    std::memcpy(p, &value, sizeof(T));
    return true;
  }
  [[nodiscard]] bool write(uint64_t offset, const void *data, uint64_t length) const {
    uint8_t *p = at(offset, length);
    if (!p)
      return false;
    if (length)
      std::memcpy(p, data, length);
    return true;
  }

private:
  uint8_t *base_ = nullptr;
  uint64_t size_ = 0;
};

} // namespace parawasm::vm
