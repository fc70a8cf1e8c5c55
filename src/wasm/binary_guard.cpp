#include "wasm/binary_guard.h"
#include "wasm/binary_cursor.h"

#include <cstdio>
#include <string>

namespace parawasm::wasm {
namespace {

enum class Scan { Constant, NotConstant, Unreadable };

// One constant expression up to and including its `end`. `what` names the first instruction
// that is not a constant one, `at` points to it.
Scan scanConstantExpression(ByteCursor &in, std::string &what, const uint8_t *&at) {
  for (;;) {
    uint8_t op = 0;
    at = in.p;
    if (!in.byte(op))
      return Scan::Unreadable;
    switch (op) {
    case 0x0b: // end
      return Scan::Constant;
    case 0x42: // i64.const
      in.skipLeb(10);
      break;
    case 0x43: // f32.const
      in.skip(4);
      break;
    case 0x44: // f64.const
      in.skip(8);
      break;
    case 0x41: // i32.const
    case 0x23: // global.get
    case 0xd2: // ref.func
    case 0xd0: // ref.null heaptype
      in.skipLeb(5);
      break;
    case 0x6a:
    case 0x6b:
    case 0x6c: // i32.add, i32.sub, i32.mul (extended constants)
    case 0x7c:
    case 0x7d:
    case 0x7e: // i64.add, i64.sub, i64.mul
      break;
    case 0xfd: { // SIMD: only v128.const
      uint32_t simd = 0;
      if (!in.u32(simd))
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
Scan scanSection(uint8_t id, ByteCursor &in, std::string &what, const uint8_t *&at) {
  uint32_t count = 0;
  if (!in.u32(count))
    return Scan::Unreadable;
  auto expression = [&]() { return scanConstantExpression(in, what, at); };
  auto vector = [&](auto &&item) {
    uint32_t n = 0;
    if (!in.u32(n))
      return Scan::Unreadable;
    for (uint32_t i = 0; i < n; ++i)
      if (Scan s = item(); s != Scan::Constant)
        return s;
    return Scan::Constant;
  };
  auto index = [&]() { return in.skipLeb(5) ? Scan::Constant : Scan::Unreadable; };
  for (uint32_t k = 0; k < count; ++k) {
    Scan s = Scan::Constant;
    if (id == 6) { // global: type, mutability, initializer
      uint8_t mut = 0;
      if (!in.valueType() || !in.byte(mut))
        return Scan::Unreadable;
      s = expression();
    } else if (id == 11) { // data: 0 offset bytes | 1 bytes | 2 memory offset bytes
      uint32_t flags = 0, size = 0;
      if (!in.u32(flags) || flags > 2)
        return Scan::Unreadable;
      if (flags == 2 && !in.skipLeb(5))
        return Scan::Unreadable;
      if (flags != 1)
        s = expression();
      if (s == Scan::Constant && !(in.u32(size) && in.skip(size)))
        return Scan::Unreadable;
    } else { // element, flags 0-7: bit 0 passive or declared, bit 1 table index (active) or
             // declared, bit 2 expressions instead of function indices
      uint32_t flags = 0;
      if (!in.u32(flags) || flags > 7)
        return Scan::Unreadable;
      bool active = !(flags & 1), tableIndex = flags & 2, expressions = flags & 4;
      if (active && tableIndex && !in.skipLeb(5))
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
  std::optional<Error> refused;
  forEachSection(bytes, [&](uint8_t id, ByteCursor section, size_t) {
    if (id != 6 && id != 9 && id != 11)
      return true;
    std::string what;
    const uint8_t *at = nullptr;
    Scan s = scanSection(id, section, what, at);
    if (s == Scan::NotConstant) {
      char offset[24];
      std::snprintf(offset, sizeof offset, "%08zx", size_t(at - bytes.data()));
      const char *kind = id == 6 ? "global" : id == 9 ? "element segment" : "data segment";
      refused = Error(ErrorKind::Invalid, std::string(offset) + ": constant expression required: " +
                                              what + " in a " + kind + " initializer");
    }
    return s == Scan::Constant; // an unreadable section: wabt reports it
  });
  return refused;
}

} // namespace parawasm::wasm
