// Differential test of every scalar numeric operator: compiled code against a reference written
// from the spec's definitions, over edge values (signed zeros, NaN payloads, subnormals, range
// limits of each conversion) and seeded random bit patterns, at both optimisation levels. Float
// operators are also compiled with a constant operand, where LLVM's algebraic folds could let a
// signalling NaN through.
#include "parawasm/parawasm.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace parawasm;

// What the spec allows as a result.
struct Expected {
  enum class Kind { Bits, Trap, CanonicalNaN, ArithmeticNaN } kind = Kind::Bits;
  uint64_t bits = 0;
  TrapCode trap = TrapCode::Unreachable;

  static Expected value(uint64_t v) { return {Kind::Bits, v, {}}; }
  static Expected trapped(TrapCode c) { return {Kind::Trap, 0, c}; }
};

using Ref = std::function<Expected(uint64_t, uint64_t)>;

struct OpCase {
  std::string name; // export name; also the instruction unless `body` is set
  std::vector<ValType> params;
  ValType result;
  Ref ref;
  std::string body; // instruction text using (local.get 0/1); empty: "(name (local.get 0) ...)"
};

const char *watType(ValType t) {
  switch (t) {
  case ValType::I32:
    return "i32";
  case ValType::I64:
    return "i64";
  case ValType::F32:
    return "f32";
  default:
    return "f64";
  }
}

bool is64(ValType t) { return t == ValType::I64 || t == ValType::F64; }

uint32_t f32Bits(float f) { return std::bit_cast<uint32_t>(f); }
uint64_t f64Bits(double d) { return std::bit_cast<uint64_t>(d); }
float asF32(uint64_t b) { return std::bit_cast<float>(uint32_t(b)); }
double asF64(uint64_t b) { return std::bit_cast<double>(b); }

bool isNaN32(uint64_t b) { return (b & 0x7f800000u) == 0x7f800000u && (b & 0x7fffffu); }
bool isNaN64(uint64_t b) {
  return (b & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (b & 0xfffffffffffffull);
}
bool isCanonical32(uint64_t b) { return (b & 0x7fffffffu) == 0x7fc00000u; }
bool isCanonical64(uint64_t b) { return (b & ~(1ull << 63)) == 0x7ff8000000000000ull; }

// A float result: exact unless NaN, then canonical when every NaN operand was canonical
// (or there was none), arithmetic otherwise.
Expected floatResult32(float r, std::initializer_list<uint64_t> nanInputs32,
                       std::initializer_list<uint64_t> nanInputs64 = {}) {
  if (!std::isnan(r))
    return Expected::value(f32Bits(r));
  for (uint64_t in : nanInputs32)
    if (isNaN32(in) && !isCanonical32(in))
      return {Expected::Kind::ArithmeticNaN};
  for (uint64_t in : nanInputs64)
    if (isNaN64(in) && !isCanonical64(in))
      return {Expected::Kind::ArithmeticNaN};
  return {Expected::Kind::CanonicalNaN};
}
Expected floatResult64(double r, std::initializer_list<uint64_t> nanInputs64,
                       std::initializer_list<uint64_t> nanInputs32 = {}) {
  if (!std::isnan(r))
    return Expected::value(f64Bits(r));
  for (uint64_t in : nanInputs64)
    if (isNaN64(in) && !isCanonical64(in))
      return {Expected::Kind::ArithmeticNaN};
  for (uint64_t in : nanInputs32)
    if (isNaN32(in) && !isCanonical32(in))
      return {Expected::Kind::ArithmeticNaN};
  return {Expected::Kind::CanonicalNaN};
}

Expected boolean(bool v) { return Expected::value(v ? 1 : 0); }

template <typename S, typename U> struct IntRefs {
  static constexpr unsigned kBits = sizeof(U) * 8;
  static U shiftCount(U b) { return b & (kBits - 1); }
  static U rotl(U a, U b) {
    U k = shiftCount(b);
    return k ? U(a << k) | U(a >> (kBits - k)) : a;
  }
  static U rotr(U a, U b) {
    U k = shiftCount(b);
    return k ? U(a >> k) | U(a << (kBits - k)) : a;
  }
  static Expected divS(U a, U b) {
    if (b == 0)
      return Expected::trapped(TrapCode::IntegerDivideByZero);
    if (S(a) == std::numeric_limits<S>::min() && S(b) == -1)
      return Expected::trapped(TrapCode::IntegerOverflow);
    return Expected::value(U(S(a) / S(b)));
  }
  static Expected remS(U a, U b) {
    if (b == 0)
      return Expected::trapped(TrapCode::IntegerDivideByZero);
    if (S(b) == -1)
      return Expected::value(0);
    return Expected::value(U(S(a) % S(b)));
  }
  static Expected divU(U a, U b) {
    if (b == 0)
      return Expected::trapped(TrapCode::IntegerDivideByZero);
    return Expected::value(U(a / b));
  }
  static Expected remU(U a, U b) {
    if (b == 0)
      return Expected::trapped(TrapCode::IntegerDivideByZero);
    return Expected::value(U(a % b));
  }
};

void addIntOps(std::vector<OpCase> &ops, ValType t) {
  auto add = [&](std::string op, int arity, ValType result, auto fn) {
    std::vector<ValType> params(arity, t);
    ops.push_back({std::string(watType(t)) + "." + op, params, result, Ref(fn), ""});
  };
  if (t == ValType::I32) {
    using R = IntRefs<int32_t, uint32_t>;
    auto u = [](uint64_t v) { return uint32_t(v); };
    auto v = [](uint32_t r) { return Expected::value(r); };
    add("eqz", 1, t, [=](uint64_t a, uint64_t) { return boolean(u(a) == 0); });
    add("clz", 1, t, [=](uint64_t a, uint64_t) { return v(std::countl_zero(u(a))); });
    add("ctz", 1, t, [=](uint64_t a, uint64_t) { return v(std::countr_zero(u(a))); });
    add("popcnt", 1, t, [=](uint64_t a, uint64_t) { return v(std::popcount(u(a))); });
    add("extend8_s", 1, t, [=](uint64_t a, uint64_t) { return v(uint32_t(int8_t(a))); });
    add("extend16_s", 1, t, [=](uint64_t a, uint64_t) { return v(uint32_t(int16_t(a))); });
    add("add", 2, t, [=](uint64_t a, uint64_t b) { return v(u(a) + u(b)); });
    add("sub", 2, t, [=](uint64_t a, uint64_t b) { return v(u(a) - u(b)); });
    add("mul", 2, t, [=](uint64_t a, uint64_t b) { return v(u(a) * u(b)); });
    add("div_s", 2, t, [=](uint64_t a, uint64_t b) { return R::divS(u(a), u(b)); });
    add("div_u", 2, t, [=](uint64_t a, uint64_t b) { return R::divU(u(a), u(b)); });
    add("rem_s", 2, t, [=](uint64_t a, uint64_t b) { return R::remS(u(a), u(b)); });
    add("rem_u", 2, t, [=](uint64_t a, uint64_t b) { return R::remU(u(a), u(b)); });
    add("and", 2, t, [=](uint64_t a, uint64_t b) { return v(u(a) & u(b)); });
    add("or", 2, t, [=](uint64_t a, uint64_t b) { return v(u(a) | u(b)); });
    add("xor", 2, t, [=](uint64_t a, uint64_t b) { return v(u(a) ^ u(b)); });
    add("shl", 2, t, [=](uint64_t a, uint64_t b) { return v(u(a) << R::shiftCount(u(b))); });
    add("shr_s", 2, t,
        [=](uint64_t a, uint64_t b) { return v(uint32_t(int32_t(a) >> R::shiftCount(u(b)))); });
    add("shr_u", 2, t, [=](uint64_t a, uint64_t b) { return v(u(a) >> R::shiftCount(u(b))); });
    add("rotl", 2, t, [=](uint64_t a, uint64_t b) { return v(R::rotl(u(a), u(b))); });
    add("rotr", 2, t, [=](uint64_t a, uint64_t b) { return v(R::rotr(u(a), u(b))); });
    add("eq", 2, ValType::I32, [=](uint64_t a, uint64_t b) { return boolean(u(a) == u(b)); });
    add("ne", 2, ValType::I32, [=](uint64_t a, uint64_t b) { return boolean(u(a) != u(b)); });
    add("lt_s", 2, ValType::I32,
        [=](uint64_t a, uint64_t b) { return boolean(int32_t(a) < int32_t(b)); });
    add("lt_u", 2, ValType::I32, [=](uint64_t a, uint64_t b) { return boolean(u(a) < u(b)); });
    add("gt_s", 2, ValType::I32,
        [=](uint64_t a, uint64_t b) { return boolean(int32_t(a) > int32_t(b)); });
    add("gt_u", 2, ValType::I32, [=](uint64_t a, uint64_t b) { return boolean(u(a) > u(b)); });
    add("le_s", 2, ValType::I32,
        [=](uint64_t a, uint64_t b) { return boolean(int32_t(a) <= int32_t(b)); });
    add("le_u", 2, ValType::I32, [=](uint64_t a, uint64_t b) { return boolean(u(a) <= u(b)); });
    add("ge_s", 2, ValType::I32,
        [=](uint64_t a, uint64_t b) { return boolean(int32_t(a) >= int32_t(b)); });
    add("ge_u", 2, ValType::I32, [=](uint64_t a, uint64_t b) { return boolean(u(a) >= u(b)); });
  } else {
    using R = IntRefs<int64_t, uint64_t>;
    auto v = [](uint64_t r) { return Expected::value(r); };
    add("eqz", 1, ValType::I32, [=](uint64_t a, uint64_t) { return boolean(a == 0); });
    add("clz", 1, t, [=](uint64_t a, uint64_t) { return v(std::countl_zero(a)); });
    add("ctz", 1, t, [=](uint64_t a, uint64_t) { return v(std::countr_zero(a)); });
    add("popcnt", 1, t, [=](uint64_t a, uint64_t) { return v(std::popcount(a)); });
    add("extend8_s", 1, t, [=](uint64_t a, uint64_t) { return v(uint64_t(int8_t(a))); });
    add("extend16_s", 1, t, [=](uint64_t a, uint64_t) { return v(uint64_t(int16_t(a))); });
    add("extend32_s", 1, t, [=](uint64_t a, uint64_t) { return v(uint64_t(int32_t(a))); });
    add("add", 2, t, [=](uint64_t a, uint64_t b) { return v(a + b); });
    add("sub", 2, t, [=](uint64_t a, uint64_t b) { return v(a - b); });
    add("mul", 2, t, [=](uint64_t a, uint64_t b) { return v(a * b); });
    add("div_s", 2, t, [=](uint64_t a, uint64_t b) { return R::divS(a, b); });
    add("div_u", 2, t, [=](uint64_t a, uint64_t b) { return R::divU(a, b); });
    add("rem_s", 2, t, [=](uint64_t a, uint64_t b) { return R::remS(a, b); });
    add("rem_u", 2, t, [=](uint64_t a, uint64_t b) { return R::remU(a, b); });
    add("and", 2, t, [=](uint64_t a, uint64_t b) { return v(a & b); });
    add("or", 2, t, [=](uint64_t a, uint64_t b) { return v(a | b); });
    add("xor", 2, t, [=](uint64_t a, uint64_t b) { return v(a ^ b); });
    add("shl", 2, t, [=](uint64_t a, uint64_t b) { return v(a << R::shiftCount(b)); });
    add("shr_s", 2, t,
        [=](uint64_t a, uint64_t b) { return v(uint64_t(int64_t(a) >> R::shiftCount(b))); });
    add("shr_u", 2, t, [=](uint64_t a, uint64_t b) { return v(a >> R::shiftCount(b)); });
    add("rotl", 2, t, [=](uint64_t a, uint64_t b) { return v(R::rotl(a, b)); });
    add("rotr", 2, t, [=](uint64_t a, uint64_t b) { return v(R::rotr(a, b)); });
    add("eq", 2, ValType::I32, [=](uint64_t a, uint64_t b) { return boolean(a == b); });
    add("ne", 2, ValType::I32, [=](uint64_t a, uint64_t b) { return boolean(a != b); });
    add("lt_s", 2, ValType::I32,
        [=](uint64_t a, uint64_t b) { return boolean(int64_t(a) < int64_t(b)); });
    add("lt_u", 2, ValType::I32, [=](uint64_t a, uint64_t b) { return boolean(a < b); });
    add("gt_s", 2, ValType::I32,
        [=](uint64_t a, uint64_t b) { return boolean(int64_t(a) > int64_t(b)); });
    add("gt_u", 2, ValType::I32, [=](uint64_t a, uint64_t b) { return boolean(a > b); });
    add("le_s", 2, ValType::I32,
        [=](uint64_t a, uint64_t b) { return boolean(int64_t(a) <= int64_t(b)); });
    add("le_u", 2, ValType::I32, [=](uint64_t a, uint64_t b) { return boolean(a <= b); });
    add("ge_s", 2, ValType::I32,
        [=](uint64_t a, uint64_t b) { return boolean(int64_t(a) >= int64_t(b)); });
    add("ge_u", 2, ValType::I32, [=](uint64_t a, uint64_t b) { return boolean(a >= b); });
  }
}

// min/max: NaN wins, -0 < +0.
template <typename F> F wasmMin(F a, F b) {
  if (std::isnan(a) || std::isnan(b))
    return a + b;
  if (a == b)
    return std::signbit(a) ? a : b;
  return a < b ? a : b;
}
template <typename F> F wasmMax(F a, F b) {
  if (std::isnan(a) || std::isnan(b))
    return a + b;
  if (a == b)
    return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

// The float binary operators as reference functions on bits, shared by the plain and the
// constant-operand variants.
Ref floatBinary(ValType t, const std::string &op) {
  if (t == ValType::F32) {
    auto arith = [](auto fn) {
      return [fn](uint64_t a, uint64_t b) { return floatResult32(fn(asF32(a), asF32(b)), {a, b}); };
    };
    if (op == "add")
      return arith([](float x, float y) { return x + y; });
    if (op == "sub")
      return arith([](float x, float y) { return x - y; });
    if (op == "mul")
      return arith([](float x, float y) { return x * y; });
    if (op == "div")
      return arith([](float x, float y) { return x / y; });
    if (op == "min")
      return arith([](float x, float y) { return wasmMin(x, y); });
    if (op == "max")
      return arith([](float x, float y) { return wasmMax(x, y); });
    return [](uint64_t a, uint64_t b) {
      return Expected::value((a & 0x7fffffffu) | (b & 0x80000000u));
    };
  }
  auto arith = [](auto fn) {
    return [fn](uint64_t a, uint64_t b) { return floatResult64(fn(asF64(a), asF64(b)), {a, b}); };
  };
  if (op == "add")
    return arith([](double x, double y) { return x + y; });
  if (op == "sub")
    return arith([](double x, double y) { return x - y; });
  if (op == "mul")
    return arith([](double x, double y) { return x * y; });
  if (op == "div")
    return arith([](double x, double y) { return x / y; });
  if (op == "min")
    return arith([](double x, double y) { return wasmMin(x, y); });
  if (op == "max")
    return arith([](double x, double y) { return wasmMax(x, y); });
  return [](uint64_t a, uint64_t b) {
    return Expected::value((a & ~(1ull << 63)) | (b & (1ull << 63)));
  };
}

const char *kFloatBinaryOps[] = {"add", "sub", "mul", "div", "min", "max", "copysign"};

void addFloatOps(std::vector<OpCase> &ops, ValType t) {
  std::string p = watType(t);
  auto add = [&](std::string op, int arity, ValType result, Ref fn) {
    ops.push_back({p + "." + op, std::vector<ValType>(arity, t), result, std::move(fn), ""});
  };
  bool f32 = t == ValType::F32;
  uint64_t sign = f32 ? 0x80000000u : 1ull << 63;
  add("abs", 1, t, [=](uint64_t a, uint64_t) { return Expected::value(a & ~sign); });
  add("neg", 1, t, [=](uint64_t a, uint64_t) { return Expected::value(a ^ sign); });
  auto unary = [&](const char *name, float (*f)(float), double (*d)(double)) {
    if (f32)
      add(name, 1, t, [f](uint64_t a, uint64_t) { return floatResult32(f(asF32(a)), {a}); });
    else
      add(name, 1, t, [d](uint64_t a, uint64_t) { return floatResult64(d(asF64(a)), {a}); });
  };
  unary(
      "ceil", [](float x) { return std::ceil(x); }, [](double x) { return std::ceil(x); });
  unary(
      "floor", [](float x) { return std::floor(x); }, [](double x) { return std::floor(x); });
  unary(
      "trunc", [](float x) { return std::trunc(x); }, [](double x) { return std::trunc(x); });
  // Round half to even: the default rounding mode.
  unary(
      "nearest", [](float x) { return std::nearbyint(x); },
      [](double x) { return std::nearbyint(x); });
  unary(
      "sqrt", [](float x) { return std::sqrt(x); }, [](double x) { return std::sqrt(x); });
  for (const char *op : kFloatBinaryOps)
    add(op, 2, t, floatBinary(t, op));
  auto cmp = [&](const char *name, bool (*f)(double, double)) {
    // Every f32 is exactly a double, so comparing as doubles is exact.
    if (f32)
      add(name, 2, ValType::I32,
          [f](uint64_t a, uint64_t b) { return boolean(f(asF32(a), asF32(b))); });
    else
      add(name, 2, ValType::I32,
          [f](uint64_t a, uint64_t b) { return boolean(f(asF64(a), asF64(b))); });
  };
  cmp("eq", [](double x, double y) { return x == y; });
  cmp("ne", [](double x, double y) { return x != y; });
  cmp("lt", [](double x, double y) { return x < y; });
  cmp("gt", [](double x, double y) { return x > y; });
  cmp("le", [](double x, double y) { return x <= y; });
  cmp("ge", [](double x, double y) { return x >= y; });
}

// Float operators with one constant operand, on both sides.
void addConstantOperandOps(std::vector<OpCase> &ops, ValType t) {
  std::string p = watType(t);
  const char *constants[] = {"0.0", "-0.0", "1.0", "-1.0", "2.0", "inf"};
  int n = 0;
  for (const char *op : kFloatBinaryOps) {
    Ref ref = floatBinary(t, op);
    for (const char *c : constants) {
      uint64_t cb = t == ValType::F32 ? f32Bits(std::stof(c)) : f64Bits(std::stod(c));
      for (bool constFirst : {false, true}) {
        std::string name = p + "." + op + ".c" + std::to_string(n++);
        std::string k = "(" + p + ".const " + c + ")";
        std::string body = "(" + p + "." + op + " " + (constFirst ? k : "(local.get 0)") + " " +
                           (constFirst ? "(local.get 0)" : k) + ")";
        Ref fn = constFirst ? Ref([=](uint64_t a, uint64_t) { return ref(cb, a); })
                            : Ref([=](uint64_t a, uint64_t) { return ref(a, cb); });
        ops.push_back({name, {t}, t, fn, body});
      }
    }
  }
  // demote(promote x) is exact except that a signalling NaN must come back quiet.
  if (t == ValType::F32)
    ops.push_back({"promote_demote",
                   {t},
                   t,
                   [](uint64_t a, uint64_t) { return floatResult32(asF32(a), {a}); },
                   "(f32.demote_f64 (f64.promote_f32 (local.get 0)))"});
}

// Truncation of a float to an integer type, checked or saturating.
template <typename Int> Expected truncRef(long double x, bool isNaN, bool saturating) {
  long double lo = (long double)std::numeric_limits<Int>::min();
  long double hi = (long double)std::numeric_limits<Int>::max();
  if (isNaN)
    return saturating ? Expected::value(0)
                      : Expected::trapped(TrapCode::InvalidConversionToInteger);
  long double tr = std::trunc(x);
  if (tr < lo || tr > hi) {
    if (!saturating)
      return Expected::trapped(TrapCode::IntegerOverflow);
    return Expected::value(
        uint64_t(tr < lo ? std::numeric_limits<Int>::min() : std::numeric_limits<Int>::max()) &
        (sizeof(Int) == 4 ? 0xffffffffull : ~0ull));
  }
  return Expected::value(uint64_t(Int(tr)) & (sizeof(Int) == 4 ? 0xffffffffull : ~0ull));
}

void addConversions(std::vector<OpCase> &ops) {
  using V = ValType;
  auto add = [&](std::string name, V from, V to, Ref fn) {
    ops.push_back({name, {from}, to, std::move(fn), ""});
  };
  add("i32.wrap_i64", V::I64, V::I32,
      [](uint64_t a, uint64_t) { return Expected::value(uint32_t(a)); });
  add("i64.extend_i32_s", V::I32, V::I64,
      [](uint64_t a, uint64_t) { return Expected::value(uint64_t(int64_t(int32_t(a)))); });
  add("i64.extend_i32_u", V::I32, V::I64,
      [](uint64_t a, uint64_t) { return Expected::value(uint32_t(a)); });
  for (bool sat : {false, true}) {
    std::string t = sat ? "trunc_sat_" : "trunc_";
    auto from32 = [](uint64_t a) { return (long double)asF32(a); };
    auto from64 = [](uint64_t a) { return (long double)asF64(a); };
    add("i32." + t + "f32_s", V::F32, V::I32,
        [=](uint64_t a, uint64_t) { return truncRef<int32_t>(from32(a), isNaN32(a), sat); });
    add("i32." + t + "f32_u", V::F32, V::I32,
        [=](uint64_t a, uint64_t) { return truncRef<uint32_t>(from32(a), isNaN32(a), sat); });
    add("i32." + t + "f64_s", V::F64, V::I32,
        [=](uint64_t a, uint64_t) { return truncRef<int32_t>(from64(a), isNaN64(a), sat); });
    add("i32." + t + "f64_u", V::F64, V::I32,
        [=](uint64_t a, uint64_t) { return truncRef<uint32_t>(from64(a), isNaN64(a), sat); });
    add("i64." + t + "f32_s", V::F32, V::I64,
        [=](uint64_t a, uint64_t) { return truncRef<int64_t>(from32(a), isNaN32(a), sat); });
    add("i64." + t + "f32_u", V::F32, V::I64,
        [=](uint64_t a, uint64_t) { return truncRef<uint64_t>(from32(a), isNaN32(a), sat); });
    add("i64." + t + "f64_s", V::F64, V::I64,
        [=](uint64_t a, uint64_t) { return truncRef<int64_t>(from64(a), isNaN64(a), sat); });
    add("i64." + t + "f64_u", V::F64, V::I64,
        [=](uint64_t a, uint64_t) { return truncRef<uint64_t>(from64(a), isNaN64(a), sat); });
  }
  // The host's conversions round to nearest-even, as Wasm requires.
  add("f32.convert_i32_s", V::I32, V::F32,
      [](uint64_t a, uint64_t) { return Expected::value(f32Bits(float(int32_t(a)))); });
  add("f32.convert_i32_u", V::I32, V::F32,
      [](uint64_t a, uint64_t) { return Expected::value(f32Bits(float(uint32_t(a)))); });
  add("f32.convert_i64_s", V::I64, V::F32,
      [](uint64_t a, uint64_t) { return Expected::value(f32Bits(float(int64_t(a)))); });
  add("f32.convert_i64_u", V::I64, V::F32,
      [](uint64_t a, uint64_t) { return Expected::value(f32Bits(float(a))); });
  add("f64.convert_i32_s", V::I32, V::F64,
      [](uint64_t a, uint64_t) { return Expected::value(f64Bits(double(int32_t(a)))); });
  add("f64.convert_i32_u", V::I32, V::F64,
      [](uint64_t a, uint64_t) { return Expected::value(f64Bits(double(uint32_t(a)))); });
  add("f64.convert_i64_s", V::I64, V::F64,
      [](uint64_t a, uint64_t) { return Expected::value(f64Bits(double(int64_t(a)))); });
  add("f64.convert_i64_u", V::I64, V::F64,
      [](uint64_t a, uint64_t) { return Expected::value(f64Bits(double(a))); });
  add("f32.demote_f64", V::F64, V::F32,
      [](uint64_t a, uint64_t) { return floatResult32(float(asF64(a)), {}, {a}); });
  add("f64.promote_f32", V::F32, V::F64,
      [](uint64_t a, uint64_t) { return floatResult64(double(asF32(a)), {}, {a}); });
  add("i32.reinterpret_f32", V::F32, V::I32,
      [](uint64_t a, uint64_t) { return Expected::value(uint32_t(a)); });
  add("i64.reinterpret_f64", V::F64, V::I64,
      [](uint64_t a, uint64_t) { return Expected::value(a); });
  add("f32.reinterpret_i32", V::I32, V::F32,
      [](uint64_t a, uint64_t) { return Expected::value(uint32_t(a)); });
  add("f64.reinterpret_i64", V::I64, V::F64,
      [](uint64_t a, uint64_t) { return Expected::value(a); });
}

std::vector<OpCase> allOps() {
  std::vector<OpCase> ops;
  addIntOps(ops, ValType::I32);
  addIntOps(ops, ValType::I64);
  addFloatOps(ops, ValType::F32);
  addFloatOps(ops, ValType::F64);
  addConstantOperandOps(ops, ValType::F32);
  addConstantOperandOps(ops, ValType::F64);
  addConversions(ops);
  return ops;
}

std::string moduleText(const std::vector<OpCase> &ops) {
  std::ostringstream os;
  os << "(module\n";
  for (const OpCase &op : ops) {
    os << "  (func (export \"" << op.name << "\") (param";
    for (ValType p : op.params)
      os << " " << watType(p);
    os << ") (result " << watType(op.result) << ") ";
    if (!op.body.empty()) {
      os << op.body;
    } else {
      os << "(" << op.name;
      for (size_t i = 0; i < op.params.size(); ++i)
        os << " (local.get " << i << ")";
      os << ")";
    }
    os << ")\n";
  }
  os << ")\n";
  return os.str();
}

// Edge values per type, as bit patterns.
std::vector<uint64_t> edgeValues(ValType t) {
  switch (t) {
  case ValType::I32:
    return {0,          1,          2,          3,          7,          31,         32,
            33,         63,         64,         0x7f,       0x80,       0xff,       0x7fff,
            0x8000,     0xffff,     0x12345678, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe,
            0xffffffff, 0xfffffff0, 0x55555555, 0xaaaaaaaa, 0x00010000, 0x4f000000};
  case ValType::I64:
    return {0,
            1,
            2,
            63,
            64,
            65,
            0x7f,
            0x80,
            0xffffffff,
            0x100000000,
            0x7fffffff,
            0x80000000,
            0x7fffffffffffffff,
            0x8000000000000000,
            0x8000000000000001,
            0xfffffffffffffffe,
            0xffffffffffffffff,
            0x0123456789abcdef,
            0x20000000000001,   // 2^53 + 1: not exact in f64
            0x8000008000000001, // u64 -> f32 rounding that needs the sticky bit
            0x7fffff4000000001,
            0xfffffffffffffbff,
            0x1000001, // 2^24 + 1: not exact in f32
            0xffdfffffdfffffff};
  case ValType::F32:
    return {0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3f000000, 0xbf000000, 0x3fc00000,
            0xbfc00000, 0x40200000, 0xc0200000, 0x40400000, 0x40000000, 0x7f800000, 0xff800000,
            0x7fc00000, 0xffc00000, 0x7fa00000, 0xffa00000, 0x7f800001, 0x7fffffff, 0x7fc00001,
            0x00000001, 0x80000001, 0x007fffff, 0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff,
            0x4effffff, 0x4f000000, 0xcf000000, 0xcf000001, 0x4f7fffff, 0x4f800000, 0x5effffff,
            0x5f000000, 0xdf000000, 0xdf000001, 0x5f7fffff, 0x5f800000, 0x3f7fffff, 0xbf7fffff,
            0x4b000001, 0x4b7fffff, 0x3effffff, 0x3f000001};
  default:
    return {0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0xbff0000000000000,
            0x3fe0000000000000, 0xbfe0000000000000, 0x3ff8000000000000, 0x4004000000000000,
            0xc004000000000000, 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000,
            0xfff8000000000000, 0x7ff4000000000000, 0xfff4000000000000, 0x7ff0000000000001,
            0x7fffffffffffffff, 0x7ff8000000000001, 0x0000000000000001, 0x8000000000000001,
            0x000fffffffffffff, 0x0010000000000000, 0x7fefffffffffffff, 0xffefffffffffffff,
            0x41dfffffffffffff, 0x41e0000000000000, 0xc1e0000000000000, 0xc1e0000000200000,
            0xc1e00000001fffff, 0x41efffffffffffff, 0x41f0000000000000, 0x43dfffffffffffff,
            0x43e0000000000000, 0xc3e0000000000000, 0xc3e0000000000001, 0x43efffffffffffff,
            0x43f0000000000000, 0x3fefffffffffffff, 0xbfefffffffffffff, 0x4330000000000001,
            0x36a0000000000000, 0x36a0000000000001, 0x47efffffe0000000, 0x47efffff00000000,
            0x380fffffe0000000, 0x3fe0000000000001};
  }
}

// Values per type: edge values, then random bit patterns and random small numbers.
std::vector<uint64_t> sampleValues(ValType t, std::mt19937_64 &rng, size_t randomCount) {
  std::vector<uint64_t> vals = edgeValues(t);
  for (size_t i = 0; i < randomCount; ++i) {
    uint64_t r = rng();
    switch (i % 3) {
    case 0:
      vals.push_back(is64(t) ? r : uint32_t(r));
      break;
    case 1: { // small integers and halves, where rounding decisions happen
      int64_t small = int64_t(r % 2001) - 1000;
      if (t == ValType::F32)
        vals.push_back(f32Bits(float(small) / 2));
      else if (t == ValType::F64)
        vals.push_back(f64Bits(double(small) / 2));
      else
        vals.push_back(is64(t) ? uint64_t(small) : uint32_t(small));
      break;
    }
    default: { // values near the integer ranges
      int shift = int(r % 66);
      double mag = std::ldexp(1.0 + double(r >> 40) / double(1ull << 24), shift - 1);
      double v = (r & 1) ? -mag : mag;
      if (t == ValType::F32)
        vals.push_back(f32Bits(float(v)));
      else if (t == ValType::F64)
        vals.push_back(f64Bits(v));
      else {
        // Saturated to int64, then wrapped to the width: converting a double outside the
        // target type's range is undefined in C++ (UBSan reported the 32-bit case).
        uint64_t bits = v >= 0x1p63   ? uint64_t(INT64_MAX)
                        : v < -0x1p63 ? uint64_t(INT64_MIN)
                                      : uint64_t(int64_t(v));
        vals.push_back(is64(t) ? bits : uint32_t(bits));
      }
      break;
    }
    }
  }
  return vals;
}

Val makeVal(ValType t, uint64_t bits) {
  Val v = Val::zero(t);
  if (is64(t))
    v.of.i64 = int64_t(bits);
  else
    v.of.i32 = int32_t(uint32_t(bits));
  return v;
}

uint64_t valBits(const Val &v) {
  return is64(v.type) ? uint64_t(v.of.i64) : uint64_t(uint32_t(v.of.i32));
}

std::string hex(uint64_t v) {
  std::ostringstream os;
  os << "0x" << std::hex << v;
  return os.str();
}

class NumericSemantics : public ::testing::TestWithParam<OptLevel> {};

TEST_P(NumericSemantics, MatchesReference) {
  EngineConfig config;
  config.optLevel = GetParam();
  config.useCache = false;
  Engine engine(config);
  std::vector<OpCase> ops = allOps();
  auto module = Module::fromText(engine, moduleText(ops), "numeric_semantics.wat");
  ASSERT_TRUE(module) << module.error().message();
  Linker linker(engine);
  auto instance = linker.instantiate(*module);
  ASSERT_TRUE(instance) << instance.error().message();

  std::mt19937_64 rng(20240611);
  std::map<ValType, std::vector<uint64_t>> values;
  for (ValType t : {ValType::I32, ValType::I64, ValType::F32, ValType::F64})
    values[t] = sampleValues(t, rng, 150);

  size_t checked = 0;
  for (const OpCase &op : ops) {
    auto func = instance->getFunc(op.name);
    ASSERT_TRUE(func) << op.name;
    int failures = 0;
    auto check = [&](uint64_t a, uint64_t b) {
      Val args[2];
      for (size_t i = 0; i < op.params.size(); ++i)
        args[i] = makeVal(op.params[i], i == 0 ? a : b);
      Expected want = op.ref(a, b);
      auto got = func->call(std::span<const Val>(args, op.params.size()));
      ++checked;
      std::string what = op.name + "(" + hex(a) + (op.params.size() > 1 ? ", " + hex(b) : "") + ")";
      bool ok = false;
      std::string gotText;
      if (!got) {
        ok = want.kind == Expected::Kind::Trap && got.error().trapCode() == want.trap;
        gotText = "trap: " + got.error().message();
      } else {
        uint64_t bits = valBits(got.value().at(0));
        gotText = hex(bits);
        bool f32 = op.result == ValType::F32;
        switch (want.kind) {
        case Expected::Kind::Bits:
          ok = bits == want.bits;
          break;
        case Expected::Kind::Trap:
          ok = false;
          break;
        case Expected::Kind::CanonicalNaN:
          ok = f32 ? isCanonical32(bits) : isCanonical64(bits);
          break;
        case Expected::Kind::ArithmeticNaN:
          ok = f32 ? isNaN32(bits) && (bits & 0x400000u) : isNaN64(bits) && (bits >> 51 & 1);
          break;
        }
      }
      if (!ok && failures++ < 5) {
        const char *kinds[] = {"bits", "trap", "nan:canonical", "nan:arithmetic"};
        ADD_FAILURE() << what << ": got " << gotText << ", want " << kinds[int(want.kind)] << " "
                      << hex(want.bits);
      }
    };
    const std::vector<uint64_t> &as = values[op.params[0]];
    if (op.params.size() == 1) {
      for (uint64_t a : as)
        check(a, 0);
      continue;
    }
    const std::vector<uint64_t> &bs = values[op.params[1]];
    // Every pair of edge values, then random pairs.
    size_t edges = edgeValues(op.params[0]).size();
    for (size_t i = 0; i < edges; ++i)
      for (size_t j = 0; j < edgeValues(op.params[1]).size(); ++j)
        check(as[i], bs[j]);
    for (size_t i = 0; i < 400; ++i)
      check(as[rng() % as.size()], bs[rng() % bs.size()]);
  }
  EXPECT_GT(checked, 50000u);
}

INSTANTIATE_TEST_SUITE_P(OptLevels, NumericSemantics,
                         ::testing::Values(OptLevel::Fast, OptLevel::Full), [](const auto &info) {
                           return info.param == OptLevel::Fast ? "Fast" : "Full";
                         });

} // namespace
