// Little-endian fields in byte vectors: the formats parawasm writes itself (the code cache's
// packed objects, precompiled modules). Every read checks the remaining length.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace parawasm::support {

inline void putU32(std::vector<uint8_t> &out, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out.push_back(uint8_t(v >> (8 * i)));
}

inline void putU64(std::vector<uint8_t> &out, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out.push_back(uint8_t(v >> (8 * i)));
}

// Reads fields front to back; a read past the end returns false and moves nothing.
class ByteReader {
public:
  explicit ByteReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  bool u32(uint32_t &v) { return little(v, 4); }
  bool u64(uint64_t &v) { return little(v, 8); }
  bool take(uint64_t n, std::span<const uint8_t> &out) {
    if (n > bytes_.size() - pos_)
      return false;
    out = bytes_.subspan(pos_, n);
    pos_ += n;
    return true;
  }
  bool atEnd() const { return pos_ == bytes_.size(); }

private:
  template <class T> bool little(T &v, size_t n) {
    if (n > bytes_.size() - pos_)
      return false;
    v = 0;
    for (size_t i = 0; i < n; ++i)
      v |= T(bytes_[pos_ + i]) << (8 * i);
    pos_ += n;
    return true;
  }
  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
};

} // namespace parawasm::support
