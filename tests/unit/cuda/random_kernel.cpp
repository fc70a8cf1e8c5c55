// The random kernel generator (random_kernel.h). A kernel is WAT text built from a seeded
// generator; every choice that could make a result depend on the device (an arithmetic NaN seen
// as bits, a read of what another iteration writes, a read outside the buffers) is avoided by
// construction, so a difference between devices is a bug in one of them.
#include "random_kernel.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <initializer_list>

namespace parawasm::parallel::random_kernel {
namespace {

struct Rng {
  uint64_t state;
  uint64_t next() { // splitmix64
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint32_t below(uint32_t n) { return n ? uint32_t(next() % n) : 0; }
  int32_t between(int32_t lo, int32_t hi) { return lo + int32_t(below(uint32_t(hi - lo + 1))); }
  bool percent(uint32_t p) { return below(100) < p; }
  template <class T> T pick(std::initializer_list<T> choices) {
    return choices.begin()[below(uint32_t(choices.size()))];
  }
};

enum Ty { I32, I64, F32, F64 };
const char *name(Ty t) { return t == I32 ? "i32" : t == I64 ? "i64" : t == F32 ? "f32" : "f64"; }
bool isFloat(Ty t) { return t == F32 || t == F64; }
uint32_t width(Ty t) { return t == I32 || t == F32 ? 4 : 8; }
std::string str(int64_t v) { return std::to_string(v); }

// A value and whether its bits are fully determined (false: it may be an arithmetic NaN).
struct Value {
  std::string text;
  bool exact = true;
};
// A v128 and whether its bits are fully determined (false: it is of the float shape asked for,
// and its NaN lanes may be any arithmetic NaN).
using VValue = Value;

// A float constant in WAT's syntax that gives exactly `bits`.
std::string floatLiteral(Ty t, uint64_t bits) {
  const int mantissaBits = t == F32 ? 23 : 52;
  const uint64_t mantissa = bits & ((uint64_t(1) << mantissaBits) - 1);
  const uint64_t exponent = (bits >> mantissaBits) & (t == F32 ? 0xff : 0x7ff);
  const bool negative = (bits >> (t == F32 ? 31 : 63)) & 1;
  const std::string sign = negative ? "-" : "";
  char buf[64];
  if (exponent == (t == F32 ? 0xffu : 0x7ffu)) {
    if (!mantissa)
      return sign + "inf";
    std::snprintf(buf, sizeof buf, "nan:0x%" PRIx64, mantissa);
    return sign + buf;
  }
  double v;
  if (t == F32) {
    float f;
    uint32_t b = uint32_t(bits);
    std::memcpy(&f, &b, 4);
    v = f;
  } else {
    std::memcpy(&v, &bits, 8);
  }
  std::snprintf(buf, sizeof buf, "%a", v); // exact, and WAT's hexfloat syntax
  return buf;
}

uint64_t specialFloatBits(Rng &r, Ty t) {
  if (t == F32)
    return r.pick<uint32_t>({0x7fc00000u, 0xffc00000u, 0x7fa00001u, 0xff800123u, 0x7f800000u,
                             0xff800000u, 0x00000000u, 0x80000000u, 0x00000001u, 0x80400000u,
                             0x3f800000u, 0xbfc00000u, 0x4f000000u, 0xcf000000u, 0x5f000000u,
                             0x7f7fffffu, 0x3effffffu, 0x3f000001u});
  return r.pick<uint64_t>({0x7ff8000000000000ull, 0xfff8000000000000ull, 0x7ff4000000000001ull,
                           0xfff0000000abcdefull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
                           0ull, 0x8000000000000000ull, 1ull, 0x8008000000000000ull,
                           0x3ff0000000000000ull, 0xbff8000000000000ull, 0x41e0000000000000ull,
                           0xc3e0000000000000ull, 0x43f0000000000000ull, 0x7fefffffffffffffull,
                           0x3fdfffffffffffffull, 0x4330000000000001ull});
}

// Iteration i's out region holds, in order: the final value of each of the 12 scalar locals
// (8 bytes each), kFreeSlots slots the statements store to, and two arrays that loops fill.
constexpr uint32_t kLocalsPerType = 3, kFinalBytes = 4 * kLocalsPerType * 8;
constexpr uint32_t kFreeSlots = 4, kArrayOffset = 128, kArrayBytes = 64, kArrays = 2;
// Then the final value of each of the 3 v128 locals and kVectorSlots slots for v128 stores.
constexpr uint32_t kVectorOffset = 256, kVectorLocals = 3, kVectorSlots = 5;
static_assert(kFinalBytes + kFreeSlots * 8 == kArrayOffset &&
              kArrayOffset + kArrays * kArrayBytes == kVectorOffset &&
              kVectorOffset + (kVectorLocals + kVectorSlots) * 16 == kOutPerIteration);

// A v128's lanes. A v128 whose bits are not all fixed (float arithmetic's NaNs) is of a float
// shape, and only float operations of that shape (or comparisons, or truncations) take it.
enum Shape { I8X16, I16X8, I32X4, I64X2, F32X4, F64X2 };
const char *name(Shape s) {
  return s == I8X16   ? "i8x16"
         : s == I16X8 ? "i16x8"
         : s == I32X4 ? "i32x4"
         : s == I64X2 ? "i64x2"
         : s == F32X4 ? "f32x4"
                      : "f64x2";
}
uint32_t lanes(Shape s) {
  return s == I8X16 ? 16 : s == I16X8 ? 8 : s == I32X4 || s == F32X4 ? 4 : 2;
}
Ty laneType(Shape s) { return s == F32X4 ? F32 : s == F64X2 ? F64 : s == I64X2 ? I64 : I32; }

struct Slot {
  Ty type;
  bool exact; // floats: only exact values are stored (compared bit for bit)
  bool comparedExactly() const { return !isFloat(type) || exact; }
};

struct VSlot {
  bool exact;  // only exact values are stored (compared bit for bit)
  Shape shape; // otherwise values of this float shape (compared lane by lane)
};

// The in buffer is read through `(local.get $in) + i * stride + offset` outside loops, and through
// a loop's address `$aN + [kLoopLow, kLoopHigh)` inside one.
constexpr int32_t kLoopLow = -8, kLoopHigh = 24;

class Generator {
public:
  explicit Generator(uint64_t seed) : r_{seed * 0x2545f4914f6cdd1dull + 1} {}

  Kernel kernel() {
    Kernel k;
    k.blockSize = r_.pick<uint32_t>({0, 1, 3, 16, 32, 256});
    for (Slot &s : slots_)
      s = {Ty(r_.below(4)), r_.percent(50)};
    for (VSlot &v : vslots_)
      v = {r_.percent(50), floatShape()};
    // Chosen up front: bulk operators write an array only if no loop can fill it with NaNs whose
    // payloads are the device's choice.
    for (Slot &a : arrays_)
      a = {Ty(r_.below(4)), r_.percent(50)};
    std::string globals;
    for (Ty t : {I32, I64, F32, F64}) {
      Global &g = globals_[t];
      g = {!isFloat(t) || r_.percent(50), r_.percent(60)};
      const std::string type =
          g.written || r_.percent(50) ? "(mut " + std::string(name(t)) + ")" : std::string(name(t));
      globals += "  (global " + global(t) + " " + type + " " + constant(t).text + ")\n";
    }
    std::string helpers;
    for (uint32_t h = r_.pick<uint32_t>({0, 0, 1, 1, 2, 3}); h > 0; --h)
      helpers += helper();
    loops_.clear();
    loopsMade_ = 0;
    std::string body;
    for (Ty t : {I32, I64, F32, F64})
      for (uint32_t j = 0; j < kLocalsPerType; ++j)
        if (r_.percent(70))
          body += "    (local.set " + local(t, j) + " " + load(t).text + ")\n";
    for (uint32_t j = 0; j < kVectorLocals; ++j)
      if (r_.percent(70))
        body += "    (local.set " + vlocal(j) + " " + vload().text + ")\n";
    // Each global the kernel writes is set before anything reads it (a leaf, which can neither
    // read a global nor call a function that does): no state passes between iterations.
    for (Ty t : {I32, I64, F32, F64})
      if (globals_[t].written)
        body += "    (global.set " + global(t) + " " +
                (r_.percent(50) ? constant(t).text : load(t).text) + ")\n";
    for (int n = r_.between(3, 7); n > 0; --n)
      body += statement(2, "    ");
    // Every scalar local's final value, in its own slot: exact floats bit for bit, the others
    // loosely.
    uint32_t offset = 0;
    for (Ty t : {I32, I64, F32, F64})
      for (uint32_t j = 0; j < kLocalsPerType; ++j, offset += 8) {
        body += "    (" + std::string(name(t)) + ".store offset=" + str(offset) +
                " (local.get $o) (local.get " + local(t, j) + "))\n";
        if (isFloat(t) && j != 0)
          k.loose.push_back({offset, width(t), width(t)});
      }
    for (uint32_t j = 0; j < kVectorLocals; ++j) {
      body += "    (v128.store offset=" + str(kVectorOffset + 16 * j) +
              " (local.get $o) (local.get " + vlocal(j) + "))\n";
      if (j != 0)
        k.loose.push_back({kVectorOffset + 16 * j, 16, width(laneType(vlocalShape(j)))});
    }
    for (uint32_t s = 0; s < kFreeSlots; ++s)
      if (!slots_[s].comparedExactly())
        k.loose.push_back({kFinalBytes + 8 * s, width(slots_[s].type), width(slots_[s].type)});
    for (uint32_t s = 0; s < kVectorSlots; ++s)
      if (!vslots_[s].exact)
        k.loose.push_back(
            {kVectorOffset + 16 * (kVectorLocals + s), 16, width(laneType(vslots_[s].shape))});
    for (uint32_t a = 0; a < kArrays; ++a)
      if (arrayUsed_[a] && !arrays_[a].comparedExactly())
        k.loose.push_back({kArrayOffset + a * kArrayBytes, kArrayBytes, width(arrays_[a].type)});
    std::string prologue = "    (local.set $o (i32.add (local.get $out) (i32.mul (local.get $i) "
                           "(i32.const " +
                           str(kOutPerIteration) + "))))\n";
    // Atomics read the slots they update: each iteration starts them from known bits, whatever
    // an earlier (trapped) launch left there.
    if (atomicsUsed_)
      for (uint32_t s = 0; s < kFreeSlots; ++s)
        prologue += "    (i64.store offset=" + str(kFinalBytes + 8 * s) + " (local.get $o) " +
                    constant(I64).text + ")\n";
    // Likewise the arrays, for copies within them.
    if (arraysRead_)
      prologue += "    (memory.fill (i32.add (local.get $o) (i32.const " + str(kArrayOffset) +
                  ")) (i32.const " + str(r_.below(256)) + ") (i32.const " +
                  str(kArrays * kArrayBytes) + "))\n";
    std::string locals = "    (local $o i32) (local $f32_t f32) (local $f64_t f64)" + vlocals();
    for (Ty t : {I32, I64, F32, F64})
      for (uint32_t j = 0; j < kLocalsPerType; ++j)
        locals += " (local " + local(t, j) + " " + name(t) + ")";
    k.wat = "(module (import \"env\" \"memory\" (memory 0))\n" + globals + helpers +
            "  (func (export \"kernel\") (param $i i32) (param $n i32) (param $block i32)\n"
            "    (param $in i32) (param i32) (param $out i32) (param i32)\n" +
            locals + loopLocals() + "\n" + prologue + body + "))\n";
    return k;
  }

private:
  struct Loop {
    int id;
    int32_t low, high; // $aN stays in [in + low, in + high) (past the buffer when it traps)
  };

  // A kernel's global of each type: `written` ones are set at the start of each iteration (and
  // may be set again), the others keep their initialiser (every GPU thread starts from it).
  struct Global {
    bool exact, written;
  };

  // A function the kernel (or a later helper) calls: it takes the iteration, the in buffer, the
  // out region and every scalar local as parameters, and returns a value of type `result`.
  struct Helper {
    Ty result;
    bool exact;
  };

  static std::string local(Ty t, uint32_t j) { return "$" + std::string(name(t)) + "_" + str(j); }
  static std::string global(Ty t) { return "$g_" + std::string(name(t)); }

  static std::string vlocals() {
    std::string locals;
    for (uint32_t j = 0; j < kVectorLocals; ++j)
      locals += " (local " + vlocal(j) + " v128)";
    return locals;
  }

  std::string loopLocals() const {
    std::string locals;
    for (int l = 0; l < loopsMade_; ++l)
      locals +=
          " (local $k" + str(l) + " i32) (local $a" + str(l) + " i32) (local $c" + str(l) + " i32)";
    return locals;
  }

  // Helper number helpers_.size(): a few statements, then its result. It calls only the helpers
  // made before it, so there is no recursion.
  std::string helper() {
    loops_.clear();
    loopsMade_ = 0;
    const Helper h{Ty(r_.below(4)), r_.percent(50)};
    making_ = &h;
    std::string body;
    for (int n = r_.between(0, 3); n > 0; --n)
      body += statement(1, "    ");
    const Value result = expr(h.result, 3, h.exact);
    making_ = nullptr;
    std::string params = "(param $i i32) (param $in i32) (param $o i32)";
    for (Ty t : {I32, I64, F32, F64})
      for (uint32_t j = 0; j < kLocalsPerType; ++j)
        params += " (param " + local(t, j) + " " + name(t) + ")";
    const std::string text = "  (func $h" + str(helpers_.size()) + " " + params + " (result " +
                             name(h.result) + ")\n    (local $f32_t f32) (local $f64_t f64)" +
                             vlocals() + loopLocals() + "\n" + body + "    " + result.text + ")\n";
    helpers_.push_back({h.result, !isFloat(h.result) || h.exact});
    return text;
  }

  // A call of a helper returning `t` (exactly, if `exact`), or an empty text where none does.
  Value call(Ty t, bool exact, int depth) {
    std::vector<uint32_t> fits;
    for (uint32_t h = 0; h < helpers_.size(); ++h)
      if (helpers_[h].result == t && (!exact || helpers_[h].exact))
        fits.push_back(h);
    if (fits.empty())
      return {""};
    const uint32_t h = fits[r_.below(uint32_t(fits.size()))];
    std::string text = "(call $h" + str(h) + " (local.get $i) (local.get $in) (local.get $o)";
    for (Ty a : {I32, I64, F32, F64})
      for (uint32_t j = 0; j < kLocalsPerType; ++j)
        text += " " + (r_.percent(60) ? "(local.get " + local(a, j) + ")"
                                      : expr(a, depth, isFloat(a) && j == 0).text);
    return {text + ")", helpers_[h].exact};
  }

  // One of `count` slots whose bits are compared exactly, or -1 if there is none.
  int pickComparedExactly(const Slot *slots, uint32_t count) {
    std::vector<uint32_t> exact;
    for (uint32_t s = 0; s < count; ++s)
      if (slots[s].comparedExactly())
        exact.push_back(s);
    return exact.empty() ? -1 : int(exact[r_.below(uint32_t(exact.size()))]);
  }

  // Atomics use only the slots whose bits are compared exactly.
  int atomicSlot() { return pickComparedExactly(slots_, kFreeSlots); }

  // The operator name's width part and the memory argument of a `w`-byte atomic access of type
  // `t` within slot `slot`: aligned, except now and then (a trap).
  std::string atomicAccess(Ty t, uint32_t w, uint32_t slot, const std::string &op) {
    atomicsUsed_ = true;
    uint32_t offset = kFinalBytes + 8 * slot + w * r_.below(8 / w);
    if (w > 1 && r_.below(100) < 2)
      offset += r_.pick<uint32_t>({1, w / 2});
    const bool narrow = w != width(t);
    std::string text = "(" + std::string(name(t)) + ".atomic." + op;
    if (op == "load" || op == "store")
      text += narrow ? str(8 * w) + (op == "load" ? "_u" : "") : "";
    else
      text = "(" + std::string(name(t)) + ".atomic.rmw" + (narrow ? str(8 * w) : "") + "." + op +
             (narrow ? "_u" : "");
    return text + " offset=" + str(offset) + " (local.get $o)";
  }

  uint32_t atomicWidth(Ty t) {
    return t == I32 ? r_.pick<uint32_t>({1, 2, 4, 4}) : r_.pick<uint32_t>({1, 2, 4, 8, 8});
  }

  // An atomic read of a slot: a load, or a read-modify-write's old value.
  Value atomicRead(Ty t, int depth) {
    const int slot = atomicSlot();
    if (slot < 0)
      return load(t);
    const uint32_t w = atomicWidth(t);
    if (r_.percent(50))
      return {atomicAccess(t, w, uint32_t(slot), "load") + ")"};
    const char *op = r_.pick<const char *>({"add", "sub", "and", "or", "xor", "xchg"});
    return {atomicAccess(t, w, uint32_t(slot), op) + " " + expr(t, depth).text + ")"};
  }

  std::string atomicStatement() {
    const int slot = atomicSlot();
    if (slot < 0 || r_.percent(10))
      return "(atomic.fence)";
    const Ty t = r_.percent(50) ? I32 : I64;
    const uint32_t w = atomicWidth(t);
    const uint32_t c = r_.below(100);
    if (c < 30)
      return atomicAccess(t, w, uint32_t(slot), "store") + " " + expr(t, 2).text + ")";
    if (c < 60) { // compare-and-swap, expecting the current value half the time
      std::string access = atomicAccess(t, w, uint32_t(slot), "cmpxchg");
      std::string expected = r_.percent(50) ? atomicRead(t, 1).text : expr(t, 1).text;
      return "(drop " + access + " " + expected + " " + expr(t, 2).text + "))";
    }
    return "(drop " + atomicRead(t, 2).text + ")";
  }

  // A read of the in buffer at an address that depends on the iteration, inside it except, now
  // and then, past its end for the last iterations (a trap at the end of memory).
  Value load(Ty t) {
    std::string op = std::string(name(t)) + ".load";
    uint32_t w = width(t);
    if (!isFloat(t) && r_.percent(30)) {
      w = r_.pick<uint32_t>({1, 2, 4});
      if (t == I32 && w == 4)
        w = 2;
      op += str(8 * w) + (r_.percent(50) ? "_s" : "_u");
    }
    return loadAt(op, w);
  }

  // A `w`-byte read `op` of the in buffer (see load).
  Value loadAt(const std::string &op, uint32_t w) {
    if (!loops_.empty() && r_.percent(60)) {
      const Loop &l = loops_[r_.below(uint32_t(loops_.size()))];
      const std::string a = "(local.get $a" + str(l.id) + ")";
      if (r_.percent(20))
        return {"(" + op + " (i32.sub " + a + " (i32.const " + str(-kLoopLow) + ")))"};
      int32_t offset = r_.pick<int32_t>({0, 0, 0, 1, 4, 8, 8, 16});
      if (offset + int32_t(w) > kLoopHigh)
        offset = 0;
      return {"(" + op + " offset=" + str(offset) + " " + a + ")"};
    }
    const uint32_t stride = r_.pick<uint32_t>({0, 1, 4, 8, 8, 12, 64, 1000});
    const uint32_t span = (kIterations - 1) * stride + w;
    uint32_t offset = r_.below(kInSize - span + 1);
    if (r_.below(1000) < 5) // the last iterations read past the end of memory
      offset = kInSize - span + 1 + r_.below(span);
    std::string address =
        "(i32.add (local.get $in) (i32.mul (local.get $i) (i32.const " + str(stride) + ")))";
    if (r_.percent(50))
      return {"(" + op + " offset=" + str(offset) + " " + address + ")"};
    return {"(" + op + " (i32.add " + address + " (i32.const " + str(offset) + ")))"};
  }

  Value constant(Ty t) {
    if (isFloat(t)) {
      uint64_t bits = r_.percent(50) ? specialFloatBits(r_, t) : r_.next();
      if (t == F32)
        bits &= 0xffffffffu;
      return {"(" + std::string(name(t)) + ".const " + floatLiteral(t, bits) + ")"};
    }
    int64_t v = r_.percent(60) ? r_.pick<int64_t>({0, 1, -1, 2, 3, 7, 8, 31, 32, 63, 64, 255,
                                                   0x7fffffff, INT32_MIN, INT64_MIN, INT64_MAX})
                               : int64_t(r_.next());
    if (t == I32)
      v = int32_t(v);
    return {"(" + std::string(name(t)) + ".const " + str(v) + ")"};
  }

  Value leaf(Ty t, bool exact) {
    uint32_t c = r_.below(100);
    if (c < 30)
      return constant(t);
    if (c < 65) {
      uint32_t j = isFloat(t) && exact ? 0 : r_.below(kLocalsPerType);
      return {"(local.get " + local(t, j) + ")", !isFloat(t) || j == 0};
    }
    if (c < 73 && (!isFloat(t) || !exact || globals_[t].exact))
      return {"(global.get " + global(t) + ")", globals_[t].exact};
    if (c < 78 && !isFloat(t))
      return atomicRead(t, 1);
    return load(t);
  }

  // The bits of float x as an integer, an arithmetic NaN's bits replaced by a canonical NaN's
  // (they are the device's choice).
  std::string bitsOf(Ty to, Ty from, const Value &x) {
    std::string reinterpret = std::string(name(to)) + ".reinterpret_" + name(from);
    if (x.exact)
      return "(" + reinterpret + " " + x.text + ")";
    std::string scratch = from == F32 ? "$f32_t" : "$f64_t";
    std::string canonical =
        from == F32 ? "(i32.const 0x7fc00000)" : "(i64.const 0x7ff8000000000000)";
    return "(select " + canonical + " (" + reinterpret + " (local.tee " + scratch + " " + x.text +
           ")) (" + name(from) + ".ne (local.get " + scratch + ") (local.get " + scratch + ")))";
  }

  // ---- v128 values -----------------------------------------------------------------------------
  // $v_0 holds only exact values; $v_1 also f32x4 arithmetic's, $v_2 also f64x2 arithmetic's.
  static std::string vlocal(uint32_t j) { return "$v_" + str(j); }
  static Shape vlocalShape(uint32_t j) { return j == 2 ? F64X2 : F32X4; }

  Shape floatShape() { return r_.percent(50) ? F32X4 : F64X2; }
  Shape intShape() { return Shape(r_.below(4)); }

  VValue vconstant() {
    std::string text = "(v128.const i32x4";
    if (r_.percent(50)) { // float lanes, many of them special
      const bool wide = r_.percent(50);
      text = wide ? "(v128.const i64x2" : "(v128.const i32x4";
      for (uint32_t l = 0; l < (wide ? 2u : 4u); ++l) {
        uint64_t bits = r_.percent(60) ? specialFloatBits(r_, wide ? F64 : F32) : r_.next();
        text += " " + (wide ? std::to_string(bits) : std::to_string(uint32_t(bits)));
      }
      return {text + ")"};
    }
    for (uint32_t l = 0; l < 4; ++l)
      text +=
          " " + std::to_string(r_.percent(30) ? r_.pick<uint32_t>({0, 1, 0xffffffffu, 0x80000000u,
                                                                   0x7fffffffu, 0x8000u, 0xff})
                                              : uint32_t(r_.next()));
    return {text + ")"};
  }

  VValue vload() {
    const auto [op, w] = r_.pick<std::pair<const char *, uint32_t>>({{"v128.load", 16},
                                                                     {"v128.load", 16},
                                                                     {"v128.load8x8_s", 8},
                                                                     {"v128.load16x4_u", 8},
                                                                     {"v128.load32x2_s", 8},
                                                                     {"v128.load8_splat", 1},
                                                                     {"v128.load32_splat", 4},
                                                                     {"v128.load64_zero", 8},
                                                                     {"v128.load32_zero", 4}});
    return {loadAt(op, w).text};
  }

  VValue vleaf(bool exact, Shape fs) {
    const uint32_t c = r_.below(100);
    if (c < 30)
      return vconstant();
    if (c < 60) {
      const uint32_t j = exact || r_.percent(40) ? 0 : fs == F32X4 ? 1 : 2;
      return {"(local.get " + vlocal(j) + ")", j == 0};
    }
    return vload();
  }

  // A v128: exact, or else either exact or of float shape `fs` (F32X4 or F64X2).
  VValue vexpr(int depth, bool exact, Shape fs) {
    if (depth <= 0 || r_.percent(20))
      return vleaf(exact, fs);
    auto op = [](Shape sh, const std::string &o) { return "(" + std::string(name(sh)) + "." + o; };
    const uint32_t c = r_.below(100);
    if (!exact && c < 30) { // float arithmetic: its NaNs' payloads are the device's choice
      if (c < 16)
        return {op(fs, r_.pick<const char *>({"add", "sub", "mul", "div", "min", "max", "pmin",
                                              "pmax", "relaxed_min", "relaxed_max"})) +
                    " " + vexpr(depth - 1, false, fs).text + " " +
                    vexpr(depth - 1, false, fs).text + ")",
                false};
      if (c < 22)
        return {op(fs, r_.pick<const char *>({"sqrt", "ceil", "floor", "trunc", "nearest"})) + " " +
                    vexpr(depth - 1, false, fs).text + ")",
                false};
      if (c < 26) // relaxed SIMD: one fixed lowering on every device (fused here)
        return {op(fs, r_.pick<const char *>({"relaxed_madd", "relaxed_nmadd"})) + " " +
                    vexpr(depth - 1, false, fs).text + " " + vexpr(depth - 1, false, fs).text +
                    " " + vexpr(depth - 1, false, fs).text + ")",
                false};
      return {fs == F64X2 ? "(f64x2.promote_low_f32x4 " + vexpr(depth - 1, false, F32X4).text + ")"
                          : "(f32x4.demote_f64x2_zero " + vexpr(depth - 1, false, F64X2).text + ")",
              false};
    }
    if (c < 40) { // sign operations keep a value's exactness
      const Shape f = exact ? floatShape() : fs;
      const VValue a = vexpr(depth - 1, exact, f);
      return {op(f, r_.pick<const char *>({"neg", "abs"})) + " " + a.text + ")", a.exact};
    }
    if (c < 55) {
      const auto [sh, o] = r_.pick<std::pair<Shape, const char *>>({{I8X16, "add"},
                                                                    {I8X16, "sub"},
                                                                    {I8X16, "add_sat_s"},
                                                                    {I8X16, "sub_sat_u"},
                                                                    {I8X16, "min_s"},
                                                                    {I8X16, "max_u"},
                                                                    {I8X16, "avgr_u"},
                                                                    {I16X8, "add"},
                                                                    {I16X8, "mul"},
                                                                    {I16X8, "q15mulr_sat_s"},
                                                                    {I16X8, "extmul_low_i8x16_s"},
                                                                    {I16X8, "min_u"},
                                                                    {I32X4, "add"},
                                                                    {I32X4, "sub"},
                                                                    {I32X4, "mul"},
                                                                    {I32X4, "min_s"},
                                                                    {I32X4, "max_u"},
                                                                    {I32X4, "dot_i16x8_s"},
                                                                    {I32X4, "extmul_high_i16x8_u"},
                                                                    {I64X2, "add"},
                                                                    {I64X2, "sub"},
                                                                    {I64X2, "mul"},
                                                                    {I64X2, "extmul_low_i32x4_s"},
                                                                    {I16X8, "relaxed_q15mulr_s"},
                                                                    {I16X8, "dot_i8x16_i7x16_s"}});
      const std::string o2 =
          r_.percent(20)
              ? std::string("v128.") + r_.pick<const char *>({"and", "or", "xor", "andnot"})
              : std::string(name(sh)) + "." + o;
      return {"(" + o2 + " " + vexpr(depth - 1, true, fs).text + " " +
              vexpr(depth - 1, true, fs).text + ")"};
    }
    if (c < 62) { // comparisons: a float one of any two values is exact
      if (r_.percent(50)) {
        const Shape f = floatShape();
        return {op(f, r_.pick<const char *>({"eq", "ne", "lt", "gt", "le", "ge"})) + " " +
                vexpr(depth - 1, false, f).text + " " + vexpr(depth - 1, false, f).text + ")"};
      }
      const auto [sh, o] = r_.pick<std::pair<Shape, const char *>>({{I8X16, "eq"},
                                                                    {I8X16, "lt_s"},
                                                                    {I8X16, "gt_u"},
                                                                    {I16X8, "ne"},
                                                                    {I16X8, "le_s"},
                                                                    {I16X8, "ge_u"},
                                                                    {I32X4, "eq"},
                                                                    {I32X4, "lt_u"},
                                                                    {I32X4, "gt_s"},
                                                                    {I64X2, "eq"},
                                                                    {I64X2, "lt_s"},
                                                                    {I64X2, "ge_s"}});
      return {op(sh, o) + " " + vexpr(depth - 1, true, fs).text + " " +
              vexpr(depth - 1, true, fs).text + ")"};
    }
    if (c < 70) { // unary operations and conversions
      const auto [text, from] =
          r_.pick<std::pair<const char *, int>>({{"i8x16.abs", -1},
                                                 {"i8x16.neg", -1},
                                                 {"i8x16.popcnt", -1},
                                                 {"v128.not", -1},
                                                 {"i16x8.extend_low_i8x16_s", -1},
                                                 {"i32x4.extend_high_i16x8_u", -1},
                                                 {"i64x2.extend_low_i32x4_s", -1},
                                                 {"i16x8.extadd_pairwise_i8x16_u", -1},
                                                 {"i32x4.abs", -1},
                                                 {"i64x2.neg", -1},
                                                 {"f32x4.convert_i32x4_u", -1},
                                                 {"f64x2.convert_low_i32x4_s", -1},
                                                 {"i32x4.trunc_sat_f32x4_s", F32X4},
                                                 {"i32x4.trunc_sat_f32x4_u", F32X4},
                                                 {"i32x4.trunc_sat_f64x2_s_zero", F64X2},
                                                 {"i32x4.relaxed_trunc_f32x4_s", F32X4},
                                                 {"i32x4.relaxed_trunc_f32x4_u", F32X4},
                                                 {"i32x4.relaxed_trunc_f64x2_s_zero", F64X2},
                                                 {"i32x4.relaxed_trunc_f64x2_u_zero", F64X2}});
      const bool fromFloat = from >= 0;
      return {"(" + std::string(text) + " " +
              vexpr(depth - 1, !fromFloat, fromFloat ? Shape(from) : fs).text + ")"};
    }
    if (c < 76) {
      const Shape sh = intShape();
      return {op(sh, r_.pick<const char *>({"shl", "shr_s", "shr_u"})) + " " +
              vexpr(depth - 1, true, fs).text + " " + expr(I32, depth - 1).text + ")"};
    }
    if (c < 81) {
      if (r_.percent(30))
        return {std::string(r_.percent(50) ? "(i8x16.swizzle " : "(i8x16.relaxed_swizzle ") +
                vexpr(depth - 1, true, fs).text + " " + vexpr(depth - 1, true, fs).text + ")"};
      std::string lanesText;
      for (int l = 0; l < 16; ++l)
        lanesText += " " + str(r_.below(32));
      return {"(i8x16.shuffle" + lanesText + " " + vexpr(depth - 1, true, fs).text + " " +
              vexpr(depth - 1, true, fs).text + ")"};
    }
    if (c < 85)
      return {"(" +
              std::string(r_.pick<const char *>(
                  {"v128.bitselect", "v128.bitselect", "i8x16.relaxed_laneselect",
                   "i16x8.relaxed_laneselect", "i32x4.relaxed_laneselect",
                   "i64x2.relaxed_laneselect", "i32x4.dot_i8x16_i7x16_add_s"})) +
              " " + vexpr(depth - 1, true, fs).text + " " + vexpr(depth - 1, true, fs).text + " " +
              vexpr(depth - 1, true, fs).text + ")"};
    if (c < 89)
      return {"(" +
              std::string(r_.pick<const char *>({"i8x16.narrow_i16x8_s", "i8x16.narrow_i16x8_u",
                                                 "i16x8.narrow_i32x4_s", "i16x8.narrow_i32x4_u"})) +
              " " + vexpr(depth - 1, true, fs).text + " " + vexpr(depth - 1, true, fs).text + ")"};
    // A scalar into a v128: a float one keeps the scalar's exactness.
    const Shape sh = exact ? Shape(r_.below(6)) : r_.percent(50) ? fs : intShape();
    const Ty lt = laneType(sh);
    const Value x = expr(lt, depth - 1, isFloat(lt) && exact);
    if (r_.percent(50))
      return {op(sh, "splat") + " " + x.text + ")", x.exact};
    const VValue v = vexpr(depth - 1, exact || !isFloat(lt), fs);
    return {op(sh, "replace_lane ") + str(r_.below(lanes(sh))) + " " + v.text + " " + x.text + ")",
            v.exact && x.exact};
  }

  // A scalar out of a v128.
  Value fromVector(Ty t, int depth, bool exact) {
    if (t == F32 || t == F64) {
      const Shape sh = t == F32 ? F32X4 : F64X2;
      const VValue v = vexpr(depth, exact, sh);
      return {"(" + std::string(name(sh)) + ".extract_lane " + str(r_.below(lanes(sh))) + " " +
                  v.text + ")",
              v.exact};
    }
    const std::string v = vexpr(depth, true, floatShape()).text;
    if (t == I64)
      return {"(i64x2.extract_lane " + str(r_.below(2)) + " " + v + ")"};
    const uint32_t c = r_.below(6);
    if (c == 0)
      return {"(i32x4.extract_lane " + str(r_.below(4)) + " " + v + ")"};
    if (c == 1)
      return {"(i8x16.extract_lane_" + std::string(r_.percent(50) ? "s " : "u ") +
              str(r_.below(16)) + " " + v + ")"};
    if (c == 2)
      return {"(i16x8.extract_lane_" + std::string(r_.percent(50) ? "s " : "u ") +
              str(r_.below(8)) + " " + v + ")"};
    if (c == 3)
      return {"(v128.any_true " + v + ")"};
    const Shape sh = intShape();
    return {"(" + std::string(name(sh)) + (c == 4 ? ".all_true " : ".bitmask ") + v + ")"};
  }

  // memory.fill or memory.copy into one of the iteration's arrays, of a constant or computed
  // length: from the in buffer (past the end of memory now and then: a trap before any write),
  // or within the array, overlapping either way. Never into an array a loop may fill with NaNs
  // whose payloads are the device's choice: bytes written over part of such a NaN would make a
  // number that differs between devices.
  std::string bulkStatement() {
    const int picked = pickComparedExactly(arrays_, kArrays);
    if (picked < 0)
      return "(nop)";
    const uint32_t a = uint32_t(picked);
    const uint32_t x = r_.below(kArrayBytes);
    const uint32_t c = r_.below(3);
    const uint32_t y = c == 1 ? r_.below(kArrayBytes) : 0;
    const uint32_t room = kArrayBytes - std::max(x, y);
    const std::string len =
        r_.percent(50) ? "(i32.const " + str(r_.below(room + 1)) + ")"
                       : "(i32.rem_u " + expr(I32, 1).text + " (i32.const " + str(room + 1) + "))";
    auto inArray = [&](uint32_t at) {
      return "(i32.add (local.get $o) (i32.const " + str(kArrayOffset + a * kArrayBytes + at) +
             "))";
    };
    if (c == 0)
      return "(memory.fill " + inArray(x) + " " + expr(I32, 2).text + " " + len + ")";
    if (c == 1) {
      arraysRead_ = true;
      return "(memory.copy " + inArray(x) + " " + inArray(y) + " " + len + ")";
    }
    const uint32_t stride = r_.pick<uint32_t>({0, 1, 8, 64, 1000});
    const uint32_t span = (kIterations - 1) * stride + room;
    uint32_t offset = r_.below(kInSize - span + 1);
    if (r_.percent(3)) // the last iterations copy from past the end of memory
      offset = kInSize - span + 1 + r_.below(span);
    return "(memory.copy " + inArray(x) + " (i32.add (local.get $in) (i32.add (i32.const " +
           str(offset) + ") (i32.mul (local.get $i) (i32.const " + str(stride) + ")))) " + len +
           ")";
  }

  std::string vectorStatement() {
    if (r_.percent(50)) {
      const uint32_t j = r_.below(kVectorLocals);
      return "(local.set " + vlocal(j) + " " + vexpr(3, j == 0, vlocalShape(j)).text + ")";
    }
    const uint32_t slot = r_.below(kVectorSlots);
    const VSlot &v = vslots_[slot];
    return "(v128.store offset=" + str(kVectorOffset + 16 * (kVectorLocals + slot)) +
           " (local.get $o) " + vexpr(3, v.exact, v.shape).text + ")";
  }

  Value expr(Ty t, int depth, bool exact = false) {
    if (!isFloat(t))
      exact = true;
    if (depth <= 0 || r_.percent(20))
      return leaf(t, exact);
    if (r_.percent(4))
      if (Value v = call(t, exact, depth - 1); !v.text.empty())
        return v;
    if (r_.percent(5))
      return fromVector(t, depth - 1, exact);
    const std::string n = name(t);
    auto un = [&](const std::string &op, const Value &a, bool keepsExact) {
      return Value{"(" + op + " " + a.text + ")", keepsExact && a.exact};
    };
    auto bin = [&](const std::string &op, const Value &a, const Value &b, bool keepsExact) {
      return Value{"(" + op + " " + a.text + " " + b.text + ")", keepsExact && a.exact && b.exact};
    };
    const uint32_t c = r_.below(100);
    if (c < 8) { // select, on any condition
      Value a = expr(t, depth - 1, exact), b = expr(t, depth - 1, exact);
      return Value{"(select " + a.text + " " + b.text + " " + expr(I32, depth - 1).text + ")",
                   a.exact && b.exact};
    }
    if (!isFloat(t)) {
      const bool wide = t == I64;
      if (c < 40) {
        std::string op = r_.pick<const char *>(
            {"add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr"});
        return bin(n + "." + op, expr(t, depth - 1), expr(t, depth - 1), true);
      }
      if (c < 48) { // division: the divisor made odd, so only MIN / -1 traps, unless unguarded
        std::string op = r_.pick<const char *>({"div_s", "div_u", "rem_s", "rem_u"});
        Value d = expr(t, depth - 1);
        if (!r_.percent(8))
          d.text = "(" + n + ".or " + d.text + " (" + n + ".const 1))";
        return bin(n + "." + op, expr(t, depth - 1), d, true);
      }
      if (c < 56) {
        std::string op = r_.pick<const char *>({"clz", "ctz", "popcnt", "extend8_s", "extend16_s"});
        if (wide && r_.percent(20))
          op = "extend32_s";
        return un(n + "." + op, expr(t, depth - 1), true);
      }
      if (c < 72 && !wide) { // comparisons, of any type
        Ty of = Ty(r_.below(4));
        std::string op = isFloat(of) ? r_.pick<const char *>({"eq", "ne", "lt", "gt", "le", "ge"})
                                     : r_.pick<const char *>({"eq", "ne", "lt_s", "lt_u", "gt_s",
                                                              "gt_u", "le_s", "ge_u"});
        if (!isFloat(of) && r_.percent(15))
          return un(std::string(name(of)) + ".eqz", expr(of, depth - 1), true);
        return bin(std::string(name(of)) + "." + op, expr(of, depth - 1), expr(of, depth - 1),
                   true);
      }
      if (c < 80) // between the integer types
        return wide ? un(r_.percent(50) ? "i64.extend_i32_s" : "i64.extend_i32_u",
                         expr(I32, depth - 1), true)
                    : un("i32.wrap_i64", expr(I64, depth - 1), true);
      if (c < 90) { // from a float: truncation (traps unless saturating) or its bits
        Ty from = r_.percent(50) ? F32 : F64;
        if (r_.percent(30))
          return {bitsOf(wide ? I64 : I32, wide ? F64 : F32, expr(wide ? F64 : F32, depth - 1))};
        std::string op = n + (r_.percent(90) ? ".trunc_sat_" : ".trunc_") + name(from) +
                         (r_.percent(50) ? "_s" : "_u");
        return un(op, expr(from, depth - 1), true);
      }
      return leaf(t, true);
    }
    // Floats.
    if (c < 22) { // sign operations: exact on exact operands
      if (r_.percent(34))
        // The sign comes from a value whose bits are known: a NaN's sign is the device's choice.
        return bin(n + ".copysign", expr(t, depth - 1, exact), expr(t, depth - 1, true), true);
      return un(n + (r_.percent(50) ? ".neg" : ".abs"), expr(t, depth - 1, exact), true);
    }
    if (c < 34) { // from integers: never a NaN, so exact
      if (r_.percent(30))
        return un(n + ".reinterpret_" + (t == F32 ? "i32" : "i64"),
                  expr(t == F32 ? I32 : I64, depth - 1), true);
      Ty from = r_.percent(50) ? I32 : I64;
      return un(n + ".convert_" + name(from) + (r_.percent(50) ? "_s" : "_u"),
                expr(from, depth - 1), true);
    }
    if (exact)
      return leaf(t, true);
    if (c < 70) {
      std::string op = r_.pick<const char *>({"add", "sub", "mul", "div", "min", "max"});
      return bin(n + "." + op, expr(t, depth - 1), expr(t, depth - 1), false);
    }
    if (c < 85) {
      std::string op = r_.pick<const char *>({"sqrt", "ceil", "floor", "trunc", "nearest"});
      return un(n + "." + op, expr(t, depth - 1), false);
    }
    return t == F32 ? un("f32.demote_f64", expr(F64, depth - 1), false)
                    : un("f64.promote_f32", expr(F32, depth - 1), false);
  }

  std::string store(uint32_t slot) {
    const Slot &s = slots_[slot];
    std::string op = std::string(name(s.type)) + ".store";
    if (!isFloat(s.type) && r_.percent(30))
      op += r_.pick<const char *>({"8", "16"});
    return "(" + op + " offset=" + str(kFinalBytes + 8 * slot) + " (local.get $o) " +
           expr(s.type, 3, s.exact).text + ")";
  }

  std::string statement(int depth, const std::string &indent) {
    const uint32_t c = r_.below(115);
    if (c >= 110)
      return indent + bulkStatement() + "\n";
    if (c >= 100)
      return indent + vectorStatement() + "\n";
    if (c < 30) {
      Ty t = Ty(r_.below(4));
      uint32_t j = r_.below(kLocalsPerType);
      return indent + "(local.set " + local(t, j) + " " + expr(t, 3, isFloat(t) && j == 0).text +
             ")\n";
    }
    if (c < 50)
      return indent + store(r_.below(kFreeSlots)) + "\n";
    if (c < 60 && depth > 0) {
      std::string s = indent + "(if " + expr(I32, 2).text + "\n" + indent + "  (then\n" +
                      statement(depth - 1, indent + "    ") + indent + "  )\n";
      if (r_.percent(50))
        s += indent + "  (else\n" + statement(depth - 1, indent + "    ") + indent + "  )\n";
      return s + indent + ")\n";
    }
    if (c < 63 && depth > 0)
      return indent + "(block\n" + statement(depth - 1, indent + "  ") + indent + "  (br_if 0 " +
             expr(I32, 2).text + ")\n" + statement(depth - 1, indent + "  ") + indent + ")\n";
    if (c < 66 && depth > 0) { // a br_table out of three nested blocks, each exit with its work
      std::string targets;
      for (int n = r_.between(1, 5); n > 0; --n)
        targets += str(r_.below(3)) + " ";
      return indent + "(block\n" + indent + "  (block\n" + indent + "    (block\n" + indent +
             "      (br_table " + targets + str(r_.below(3)) + " " + expr(I32, 2).text + "))\n" +
             statement(depth - 1, indent + "    ") + indent + "  )\n" +
             statement(depth - 1, indent + "  ") + indent + ")\n";
    }
    if (c < 70) {
      Ty t = Ty(r_.below(4));
      if (globals_[t].written)
        return indent + "(global.set " + global(t) + " " + expr(t, 3, globals_[t].exact).text +
               ")\n";
    }
    if (c < 74)
      return indent + atomicStatement() + "\n";
    if (c < 77)
      if (Value v = call(Ty(r_.below(4)), false, 1); !v.text.empty())
        return indent + "(drop " + v.text + ")\n";
    if (c < 80 && making_) // a helper's early return
      return indent + "(if " + expr(I32, 2).text + " (then (return " +
             expr(making_->result, 2, making_->exact).text + ")))\n";
    if (depth > 0 && loops_.size() < 2 && loopsMade_ < 6)
      return loop(depth - 1, indent);
    return indent + store(r_.below(kFreeSlots)) + "\n";
  }

  // A counted loop whose address $aN steps through the in buffer: forwards, backwards, in place
  // or misaligned, for a constant or loaded trip count, with a test at the top, at the bottom or
  // counting down; it accumulates into locals and may fill one of the iteration's arrays.
  std::string loop(int depth, const std::string &indent) {
    const int id = loopsMade_++;
    const std::string k = "$k" + str(id), a = "$a" + str(id), cnt = "$c" + str(id);
    int array = -1;
    for (uint32_t x = 0; x < kArrays; ++x)
      if (!arrayUsed_[x] && r_.percent(60)) {
        array = int(x);
        arrayUsed_[x] = true;
        break;
      }
    int32_t maxCount = r_.between(1, 40);
    if (array >= 0)
      maxCount = std::min<int32_t>(maxCount, kArrayBytes / width(arrays_[array].type));
    const int32_t step = r_.pick<int32_t>({0, 1, 2, 4, 4, 8, 8, 8, 16, -4, -8, 12, 3, 24});
    const uint32_t iterationStride = r_.pick<uint32_t>({0, 0, 8, 16, 256});
    const int32_t travel = (maxCount - 1) * step;
    const int32_t lowest = std::min(0, travel) + kLoopLow;
    const int32_t highest =
        int32_t((kIterations - 1) * iterationStride) + std::max(0, travel) + kLoopHigh;
    int32_t base = -lowest + int32_t(r_.below(uint32_t(int32_t(kInSize) - (highest - lowest))));
    if (r_.percent(4)) // some iterations run past the end of memory
      base = int32_t(kInSize) - highest + r_.between(1, highest - lowest);
    std::string count =
        r_.percent(40) ? "(i32.const " + str(r_.between(0, maxCount)) + ")"
                       : "(i32.rem_u " + load(I32).text + " (i32.const " + str(maxCount + 1) + "))";
    std::string s = indent + "(local.set " + cnt + " " + count + ")\n";
    s += indent + "(local.set " + a + " (i32.add (local.get $in) (i32.add (i32.const " + str(base) +
         ") (i32.mul (local.get $i) (i32.const " + str(iterationStride) + ")))))\n";
    loops_.push_back({id, base + lowest, base + highest});
    const std::string in = indent + "    ";
    std::string body;
    for (int n = r_.between(1, 3); n > 0; --n) {
      if (r_.percent(55)) {
        Ty t = Ty(r_.below(4));
        uint32_t j = r_.below(kLocalsPerType);
        std::string acc = "(local.get " + local(t, j) + ")";
        std::string value;
        if (isFloat(t) && j == 0) // the exact local merges loaded values
          value = "(select " + acc + " " + expr(t, 2, true).text + " " + expr(I32, 1).text + ")";
        else if (isFloat(t))
          value = "(" + std::string(name(t)) + "." +
                  r_.pick<const char *>({"add", "add", "mul", "sub", "max"}) + " " + acc + " " +
                  expr(t, 2).text + ")";
        else
          value = "(" + std::string(name(t)) + "." +
                  r_.pick<const char *>({"add", "add", "xor", "mul", "sub"}) + " " + acc + " " +
                  expr(t, 2).text + ")";
        body += in + "(local.set " + local(t, j) + " " + value + ")\n";
      } else {
        body += statement(depth, in);
      }
    }
    // In a counting-down loop $k runs from the count down to 1, so element k - 1 is stored.
    const uint32_t form = r_.below(3);
    if (array >= 0) {
      const Slot &e = arrays_[array];
      const uint32_t w = width(e.type);
      body += in + "(" + name(e.type) + ".store offset=" +
              str(kArrayOffset + uint32_t(array) * kArrayBytes - (form == 2 ? w : 0)) +
              " (i32.add (local.get $o) (i32.shl (local.get " + k + ") (i32.const " +
              str(w == 4 ? 2 : 3) + "))) " + expr(e.type, 2, e.exact).text + ")\n";
    }
    body += in + "(local.set " + a + " (i32.add (local.get " + a + ") (i32.const " + str(step) +
            ")))\n";
    loops_.pop_back();
    if (form == 0) // test at the top
      return s + indent + "(local.set " + k + " (i32.const 0))\n" + indent + "(block (loop\n" + in +
             "(br_if 1 (i32.ge_u (local.get " + k + ") (local.get " + cnt + ")))\n" + body + in +
             "(local.set " + k + " (i32.add (local.get " + k + ") (i32.const 1)))\n" + in +
             "(br 0)))\n";
    if (form == 1) // at the bottom: runs at least once, which maxCount >= 1 allows
      return s + indent + "(local.set " + k + " (i32.const 0))\n" + indent + "(loop\n" + body + in +
             "(local.set " + k + " (i32.add (local.get " + k + ") (i32.const 1)))\n" + in +
             "(br_if 0 (i32.lt_u (local.get " + k + ") (local.get " + cnt + "))))\n";
    return s + indent + "(local.set " + k + " (local.get " + cnt + "))\n" + indent +
           "(block (loop\n" + in + "(br_if 1 (i32.eqz (local.get " + k + ")))\n" + body + in +
           "(local.set " + k + " (i32.sub (local.get " + k + ") (i32.const 1)))\n" + in +
           "(br 0)))\n";
  }

  Rng r_;
  Slot slots_[kFreeSlots];
  Slot arrays_[kArrays];
  VSlot vslots_[kVectorSlots];
  bool arrayUsed_[kArrays] = {};
  Global globals_[4];
  std::vector<Helper> helpers_;
  const Helper *making_ = nullptr; // the helper being made, if any
  bool atomicsUsed_ = false;
  bool arraysRead_ = false; // by a memory.copy within an array
  std::vector<Loop> loops_; // of the function being made
  int loopsMade_ = 0;
};

} // namespace

Kernel generate(uint64_t seed) { return Generator(seed).kernel(); }

std::vector<uint8_t> inputData(uint64_t seed) {
  Rng r{seed ^ 0x5eed5eed5eed5eedull};
  std::vector<uint8_t> bytes(kInSize);
  for (uint32_t at = 0; at < kInSize; at += 8) {
    uint64_t word;
    const uint32_t c = r.below(100);
    if (c < 35)
      word = r.next();
    else if (c < 55)
      word = specialFloatBits(r, F64);
    else if (c < 70)
      word = specialFloatBits(r, F32) | specialFloatBits(r, F32) << 32;
    else if (c < 90)
      word = uint32_t(r.between(-3, 40)) | uint64_t(uint32_t(r.between(-3, 40))) << 32;
    else
      word = r.pick<uint64_t>({0x7fffffffull, 0x80000000ull, 0xffffffffffffffffull,
                               0x8000000000000000ull, 0x7fffffffffffffffull, 0x100000000ull});
    std::memcpy(&bytes[at], &word, 8);
  }
  return bytes;
}

} // namespace parawasm::parallel::random_kernel
