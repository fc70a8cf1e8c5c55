#include "wasm/binary_guard.h"

#include <cstdio>
#include <string>

namespace parawasm::wasm {
namespace {

// Reads a section's contents; any read past its end makes it `broken`, and every later read
// then fails too.
struct SectionReader {
  const uint8_t *p, *end;
  bool broken = false;

  bool byte(uint8_t &out) {
    if (broken || p >= end)
      return !(broken = true);
    out = *p++;
    return true;
  }
  // An unsigned or signed LEB128 of at most `maxBytes` bytes; only its length matters here,
  // except for u32 values.
  bool leb(uint64_t *value = nullptr, int maxBytes = 5) {
    uint64_t result = 0;
    for (int i = 0; i < maxBytes; ++i) {
      uint8_t b = 0;
      if (!byte(b))
        return false;
      result |= uint64_t(b & 0x7f) << (7 * i);
      if (!(b & 0x80)) {
        if (value)
          *value = result;
        return true;
      }
    }
    return !(broken = true);
  }
  bool skip(uint64_t n) {
    if (broken || n > uint64_t(end - p))
      return !(broken = true);
    p += n;
    return true;
  }
  // A value or reference type: one byte, or 0x63/0x64 and a heap type.
  bool valueType() {
    uint8_t b = 0;
    if (!byte(b))
      return false;
    return b == 0x63 || b == 0x64 ? leb(nullptr, 5) : true;
  }
};

enum class Scan { Constant, NotConstant, Unreadable };

// One constant expression up to and including its `end`. `what` names the first instruction
// that is not a constant one, `at` points to it.
Scan scanConstantExpression(SectionReader &in, std::string &what, const uint8_t *&at) {
  for (;;) {
    uint8_t op = 0;
    at = in.p;
    if (!in.byte(op))
      return Scan::Unreadable;
    switch (op) {
    case 0x0b: // end
      return Scan::Constant;
    case 0x41: // i32.const
      in.leb(nullptr, 5);
      break;
    case 0x42: // i64.const
      in.leb(nullptr, 10);
      break;
    case 0x43: // f32.const
      in.skip(4);
      break;
    case 0x44: // f64.const
      in.skip(8);
      break;
    case 0x23: // global.get
    case 0xd2: // ref.func
      in.leb();
      break;
    case 0xd0: // ref.null heaptype
      in.leb(nullptr, 5);
      break;
    case 0x6a:
    case 0x6b:
    case 0x6c: // i32.add, i32.sub, i32.mul (extended constants)
    case 0x7c:
    case 0x7d:
    case 0x7e: // i64.add, i64.sub, i64.mul
      break;
    case 0xfd: { // SIMD: only v128.const
      uint64_t simd = 0;
      if (!in.leb(&simd))
        return Scan::Unreadable;
      if (simd != 12) {
        what = "SIMD instruction 0xfd " + std::to_string(simd);
        return Scan::NotConstant;
      }
      in.skip(16);
      break;
    }
    default: {
      static const char hex[] = "0123456789abcdef";
      what = std::string("opcode 0x") + hex[op >> 4] + hex[op & 15];
      return Scan::NotConstant;
    }
    }
    if (in.broken)
      return Scan::Unreadable;
  }
}

// Every constant expression of one section. Unreadable: wabt will report the section.
Scan scanSection(uint8_t id, SectionReader &in, std::string &what, const uint8_t *&at) {
  uint64_t count = 0;
  if (!in.leb(&count))
    return Scan::Unreadable;
  auto expression = [&]() { return scanConstantExpression(in, what, at); };
  auto vector = [&](auto &&item) {
    uint64_t n = 0;
    if (!in.leb(&n))
      return Scan::Unreadable;
    for (uint64_t i = 0; i < n; ++i)
      if (Scan s = item(); s != Scan::Constant)
        return s;
    return Scan::Constant;
  };
  auto index = [&]() { return in.leb() ? Scan::Constant : Scan::Unreadable; };
  for (uint64_t k = 0; k < count; ++k) {
    Scan s = Scan::Constant;
    if (id == 6) { // global: type, mutability, initializer
      uint8_t mut = 0;
      if (!in.valueType() || !in.byte(mut))
        return Scan::Unreadable;
      s = expression();
    } else if (id == 11) { // data: 0 offset bytes | 1 bytes | 2 memory offset bytes
      uint64_t flags = 0, size = 0;
      if (!in.leb(&flags) || flags > 2)
        return Scan::Unreadable;
      if (flags == 2 && !in.leb())
        return Scan::Unreadable;
      if (flags != 1)
        s = expression();
      if (s == Scan::Constant && !(in.leb(&size) && in.skip(size)))
        return Scan::Unreadable;
    } else { // element, flags 0-7: bit 0 passive or declared, bit 1 table index (active) or
             // declared, bit 2 expressions instead of function indices
      uint64_t flags = 0;
      if (!in.leb(&flags) || flags > 7)
        return Scan::Unreadable;
      bool active = !(flags & 1), tableIndex = flags & 2, expressions = flags & 4;
      if (active && tableIndex && !in.leb())
        return Scan::Unreadable;
      if (active)
        s = expression();
      if (s == Scan::Constant && (!active || tableIndex)) { // element kind or reference type
        uint8_t kind = 0;
        if (!(expressions ? in.valueType() : in.byte(kind)))
          return Scan::Unreadable;
      }
      if (s == Scan::Constant)
        s = expressions ? vector(expression) : vector(index);
    }
    if (s != Scan::Constant)
      return s;
  }
  return Scan::Constant;
}

} // namespace

std::optional<Error> refuseNonConstantInitializers(std::span<const uint8_t> bytes) {
  if (bytes.size() < 8)
    return std::nullopt;
  SectionReader file{bytes.data() + 8, bytes.data() + bytes.size()};
  while (file.p < file.end) {
    uint8_t id = 0;
    uint64_t size = 0;
    if (!file.byte(id) || !file.leb(&size) || size > uint64_t(file.end - file.p))
      return std::nullopt;
    SectionReader section{file.p, file.p + size};
    file.p += size;
    if (id != 6 && id != 9 && id != 11)
      continue;
    std::string what;
    const uint8_t *at = nullptr;
    Scan s = scanSection(id, section, what, at);
    if (s == Scan::Unreadable)
      return std::nullopt;
    if (s == Scan::NotConstant) {
      char offset[24];
      std::snprintf(offset, sizeof offset, "%08zx", size_t(at - bytes.data()));
      const char *section = id == 6 ? "global" : id == 9 ? "element segment" : "data segment";
      return Error(ErrorKind::Invalid, std::string(offset) + ": constant expression required: " +
                                           what + " in a " + section + " initializer");
    }
  }
  return std::nullopt;
}

} // namespace parawasm::wasm
