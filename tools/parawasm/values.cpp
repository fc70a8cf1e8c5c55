// Values on the command line: --invoke's arguments in, its results out.
#include "cli.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace parawasm::cli {

std::optional<Val> parseValue(ValType type, const std::string &text) {
  const char *begin = text.c_str();
  char *end = nullptr;
  errno = 0;
  switch (type) {
  case ValType::I32: {
    long long v = std::strtoll(begin, &end, 0);
    if (*end || end == begin || errno || v < INT32_MIN || v > UINT32_MAX)
      return std::nullopt;
    return Val::makeI32(int32_t(uint32_t(v)));
  }
  case ValType::I64: {
    if (text[0] != '-') {
      unsigned long long u = std::strtoull(begin, &end, 0);
      if (*end || end == begin || errno)
        return std::nullopt;
      return Val::makeI64(int64_t(u));
    }
    long long v = std::strtoll(begin, &end, 0);
    if (*end || end == begin || errno)
      return std::nullopt;
    return Val::makeI64(v);
  }
  case ValType::F32: {
    float v = std::strtof(begin, &end);
    if (*end || end == begin)
      return std::nullopt;
    return Val::makeF32(v);
  }
  case ValType::F64: {
    double v = std::strtod(begin, &end);
    if (*end || end == begin)
      return std::nullopt;
    return Val::makeF64(v);
  }
  default:
    return std::nullopt;
  }
}

std::string formatValue(const Val &v) {
  char buf[64];
  switch (v.type) {
  case ValType::I32:
    return std::to_string(v.of.i32);
  case ValType::I64:
    return std::to_string(v.of.i64);
  case ValType::F32:
  case ValType::F64: {
    double d = v.type == ValType::F32 ? double(v.of.f32) : v.of.f64;
    if (std::isnan(d))
      return "NaN";
    if (std::isinf(d))
      return d < 0 ? "-inf" : "inf";
    auto r = v.type == ValType::F32 ? std::to_chars(buf, buf + sizeof buf, v.of.f32)
                                    : std::to_chars(buf, buf + sizeof buf, v.of.f64);
    return std::string(buf, r.ptr);
  }
  case ValType::V128: {
    std::string s = "0x";
    for (int i = 15; i >= 0; --i) {
      snprintf(buf, sizeof buf, "%02x", v.of.v128.bytes[i]);
      s += buf;
    }
    return s;
  }
  case ValType::FuncRef:
  case ValType::ExternRef:
    return v.of.ref ? "ref" : "null";
  }
  return "?";
}

} // namespace parawasm::cli
