// Reading a binary module's bytes directly, for the few things the loader needs before (or
// instead of) wabt's reader: where sections and function bodies are, what constant expressions
// hold. Anything that does not parse is left to wabt, which says why.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include <wabt/leb128.h>

namespace parawasm::wasm {

// Reads from [p, end), advancing p. A read past the end or an over-long number makes the
// cursor `broken`, and every later read then fails too.
struct ByteCursor {
  const uint8_t *p, *end;
  bool broken = false;

  bool byte(uint8_t &out) {
    if (broken || p >= end)
      return !(broken = true);
    out = *p++;
    return true;
  }
  bool u32(uint32_t &out) {
    size_t n = broken || p >= end ? 0 : wabt::ReadU32Leb128(p, end, &out);
    p += n;
    return n != 0 || !(broken = true);
  }
  // A LEB128 number (signed or not) of at most `maxBytes` bytes, skipped.
  bool skipLeb(int maxBytes) {
    for (int i = 0; i < maxBytes; ++i) {
      uint8_t b = 0;
      if (!byte(b))
        return false;
      if (!(b & 0x80))
        return true;
    }
    return !(broken = true);
  }
  bool skip(uint64_t n) {
    if (broken || n > uint64_t(end - p))
      return !(broken = true);
    p += n;
    return true;
  }
  // A value or reference type: one byte, or ref null / ref (0x63, 0x64) and a heap type.
  bool valueType() {
    uint8_t b = 0;
    if (!byte(b))
      return false;
    return b == 0x63 || b == 0x64 ? skipLeb(5) : true;
  }
};

// Calls visit(id, contents, offset of the id byte) for each section of a binary until it
// returns false. False when the section headers do not parse.
template <class Visit> bool forEachSection(std::span<const uint8_t> bytes, Visit &&visit) {
  if (bytes.size() < 8)
    return false;
  ByteCursor file{bytes.data() + 8, bytes.data() + bytes.size()};
  while (file.p < file.end) {
    size_t at = size_t(file.p - bytes.data());
    uint8_t id = 0;
    uint32_t size = 0;
    if (!file.byte(id) || !file.u32(size) || size > size_t(file.end - file.p))
      return false;
    ByteCursor section{file.p, file.p + size};
    file.p += size;
    if (!visit(id, section, at))
      return true;
  }
  return true;
}

} // namespace parawasm::wasm
