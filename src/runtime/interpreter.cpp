// The interpreter tier (vm/interp.h): a switch over the builder's operators, the locals and the
// operand stack in one array of cells on this thread's stack (a trap unwinds past this frame,
// so it owns nothing that needs freeing). Memory accesses are checked against the memory's size
// instead of left to the guard pages, whose fault would be raised at a pc in this file: the trap
// would name no function, where an explicit one names the interpreted function.
#include "runtime/interpreter.h"

#include "runtime/exceptions.h"
#include "runtime/trap.h"
#include "support/big_stack.h"
#include "vm/exception.h"
#include "vm/interp.h"

#include <alloca.h>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

extern "C" int64_t pw_memory_grow(void *ctx, int32_t memory, int64_t delta); // runtime_calls.cpp

namespace parawasm::runtime {

namespace {

using vm::InterpCode;
using vm::InterpInstr;
using vm::InterpOp;
using vm::InterpRecord;
using vm::Slot;
using vm::VMContext;

[[noreturn]] void trapIn(const InterpRecord &rec, TrapCode code) {
  raiseTrap(code, rec.trampoline);
}

void callNative(const InterpRecord &rec, void *native, VMContext *ctx, void *callerCtx, Slot *io) {
  reinterpret_cast<EntryThunk>(rec.entryThunks[rec.typeIndex])(native, ctx, callerCtx, io);
}

inline uint32_t u32(uint64_t cell) { return uint32_t(cell); }
inline int32_t s32(uint64_t cell) { return int32_t(uint32_t(cell)); }
inline float f32(uint64_t cell) { return std::bit_cast<float>(uint32_t(cell)); }
inline double f64(uint64_t cell) { return std::bit_cast<double>(cell); }
inline uint64_t cell(uint32_t v) { return v; }
inline uint64_t cell(int32_t v) { return uint32_t(v); }
inline uint64_t cell(uint64_t v) { return v; }
inline uint64_t cell(unsigned long long v) { return v; }
inline uint64_t cell(int64_t v) { return uint64_t(v); }
inline uint64_t cell(float v) { return std::bit_cast<uint32_t>(v); }
inline uint64_t cell(double v) { return std::bit_cast<uint64_t>(v); }
inline uint64_t cell(bool v) { return v ? 1 : 0; }

// Wasm's min and max: NaN if either is, and -0 below +0.
template <class F> F wasmMin(F a, F b) {
  if (std::isnan(a) || std::isnan(b))
    return a + b;
  if (a == b) // equal zeros: -0 if either is
    return std::signbit(a) ? a : b;
  return a < b ? a : b;
}
template <class F> F wasmMax(F a, F b) {
  if (std::isnan(a) || std::isnan(b))
    return a + b;
  if (a == b)
    return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

// Integer division and remainder, with their traps.
template <class S> S divS(const InterpRecord &rec, S x, S y) {
  if (y == 0)
    trapIn(rec, TrapCode::IntegerDivideByZero);
  if (x == std::numeric_limits<S>::min() && y == -1)
    trapIn(rec, TrapCode::IntegerOverflow);
  return x / y;
}
template <class S> S remS(const InterpRecord &rec, S x, S y) {
  if (y == 0)
    trapIn(rec, TrapCode::IntegerDivideByZero);
  return y == -1 ? 0 : x % y; // INT_MIN % -1 is 0, not undefined
}
template <class U> U divU(const InterpRecord &rec, U x, U y) {
  if (y == 0)
    trapIn(rec, TrapCode::IntegerDivideByZero);
  return x / y;
}
template <class U> U remU(const InterpRecord &rec, U x, U y) {
  if (y == 0)
    trapIn(rec, TrapCode::IntegerDivideByZero);
  return x % y;
}

// Whether trunc(x) fits I. The bounds are powers of two, exact in float and double.
template <class I, class F> bool truncFits(F t) {
  constexpr int bits = std::numeric_limits<I>::digits; // 31 or 63 signed, 32 or 64 unsigned
  constexpr F limit = F(std::numeric_limits<I>::max() / 2 + 1) * F(2); // 2^bits
  if constexpr (std::is_signed_v<I>)
    return t >= -limit && t < limit;
  else
    return t >= F(0) && t < limit && bits > 0;
}

template <class I, class F> I truncChecked(const InterpRecord &rec, F x) {
  if (std::isnan(x))
    trapIn(rec, TrapCode::InvalidConversionToInteger);
  F t = std::trunc(x);
  if (!truncFits<I>(t))
    trapIn(rec, TrapCode::IntegerOverflow);
  return I(t);
}

template <class I, class F> I truncSaturated(F x) {
  if (std::isnan(x))
    return 0;
  F t = std::trunc(x);
  if (truncFits<I>(t))
    return I(t);
  return t < F(0) ? std::numeric_limits<I>::min() : std::numeric_limits<I>::max();
}

// Rounding to an integral value: a NaN comes back quiet (libm's versions may return a
// signalling NaN unchanged, which is no arithmetic NaN).
template <class F> F ceilOf(F x) { return std::isnan(x) ? x + x : std::ceil(x); }
template <class F> F floorOf(F x) { return std::isnan(x) ? x + x : std::floor(x); }
template <class F> F truncOf(F x) { return std::isnan(x) ? x + x : std::trunc(x); }
template <class F> F nearestOf(F x) { return std::isnan(x) ? x + x : std::nearbyint(x); }

// The address of an access of `bytes` at `addr` + `offset` in memory 0, or a trap.
inline uint8_t *access(const InterpRecord &rec, VMContext *ctx, uint64_t addr, uint64_t offset,
                       uint64_t bytes) {
  uint64_t at = uint64_t(uint32_t(addr)) + offset; // a 32-bit address and offset: no wrap
  if (at + bytes > ctx->memory->sizeBytes.load(std::memory_order_relaxed))
    trapIn(rec, TrapCode::MemoryOutOfBounds);
  return ctx->memoryBase + at;
}

template <class T> T loadAs(const uint8_t *p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// How many loop iterations run between two looks at the function's budget.
constexpr int kBudgetStride = 64;

// A frame of more than this could step over a thread's guard page (4 KiB) unseen, a stack clash
// (gcc probes no alloca here): such a frame first checks that the stack has room for it and for
// kStackMargin more, the calls it makes.
constexpr size_t kUncheckedFrameBytes = 2048;
constexpr size_t kStackMargin = 64 << 10;

void checkStackFor(const InterpRecord &rec, size_t frameBytes) {
  if (frameBytes > kUncheckedFrameBytes && support::stackLeft() < frameBytes + kStackMargin)
    trapIn(rec, TrapCode::CallStackExhausted);
}

void run(InterpRecord &rec, const InterpCode &fn, VMContext *ctx, void *callerCtx, Slot *io) {
  // An interrupt signal does not unwind host code such as this: it is looked for here and at
  // every loop header (recursion without loops reaches the first, loops the second).
  if (ctx->interrupt->load(std::memory_order_relaxed))
    trapIn(rec, TrapCode::Interrupted);
  checkStackFor(rec,
                sizeof(uint64_t) * (fn.numLocals + fn.maxStack) + sizeof(Slot) * fn.maxCallCells);
  // Locals, then the operand stack; and the Slots of a call.
  auto *locals = static_cast<uint64_t *>(alloca(sizeof(uint64_t) * (fn.numLocals + fn.maxStack)));
  auto *callSlots = static_cast<Slot *>(alloca(sizeof(Slot) * fn.maxCallCells));
  for (uint32_t i = 0; i < fn.numParams; ++i)
    locals[i] = uint64_t(io[i].i64);
  for (uint32_t i = fn.numParams; i < fn.numLocals; ++i)
    locals[i] = 0;
  uint64_t *const base = locals + fn.numLocals;
  uint64_t *sp = base; // one past the top
  const InterpInstr *const code = fn.code.data();
  const InterpInstr *ip = code;
  int ticks = kBudgetStride;
  bool noLoopEntry = false;

  auto branch = [&](const InterpInstr &in) {
    uint32_t keep = in.c;
    if (in.b) {
      uint64_t *to = sp - keep - in.b;
      std::memmove(to, sp - keep, keep * sizeof(uint64_t));
      sp = to + keep;
    }
    ip = code + in.a;
  };

#define POP() (*--sp)
#define TOP() (sp[-1])
#define UNARY(get, expr)                                                                           \
  {                                                                                                \
    auto x = get(sp[-1]);                                                                          \
    sp[-1] = cell(expr);                                                                           \
    break;                                                                                         \
  }
#define BINARY(get, expr)                                                                          \
  {                                                                                                \
    auto y = get(sp[-1]);                                                                          \
    auto x = get(sp[-2]);                                                                          \
    --sp;                                                                                          \
    sp[-1] = cell(expr);                                                                           \
    break;                                                                                         \
  }
#define LOAD(T, R)                                                                                 \
  {                                                                                                \
    const uint8_t *p = access(rec, ctx, sp[-1], in.b, sizeof(T));                                  \
    sp[-1] = cell(R(loadAs<T>(p)));                                                                \
    break;                                                                                         \
  }
#define STORE(T)                                                                                   \
  {                                                                                                \
    T v = T(sp[-1]);                                                                               \
    uint8_t *p = access(rec, ctx, sp[-2], in.b, sizeof(T));                                        \
    std::memcpy(p, &v, sizeof v);                                                                  \
    sp -= 2;                                                                                       \
    break;                                                                                         \
  }
#define I64(c) int64_t(c)
#define U64(c) uint64_t(c)

  for (;;) {
    const InterpInstr &in = *ip++;
    switch (in.op) {
    case InterpOp::Unreachable:
      trapIn(rec, TrapCode::Unreachable);
    case InterpOp::Nop:
    case InterpOp::BrTableEntry:
      break;
    case InterpOp::Br:
      branch(in);
      break;
    case InterpOp::BrIf:
      if (u32(POP()))
        branch(in);
      break;
    case InterpOp::BrUnless:
      if (!u32(POP()))
        ip = code + in.a;
      break;
    case InterpOp::BrTable: {
      uint32_t index = u32(POP());
      branch(ip[index < in.a ? index : in.a]);
      break;
    }
    case InterpOp::LoopHead: {
      if (ctx->interrupt->load(std::memory_order_relaxed))
        trapIn(rec, TrapCode::Interrupted);
      if (--ticks > 0)
        break;
      ticks = kBudgetStride;
      if (rec.budget.fetch_sub(kBudgetStride, std::memory_order_relaxed) > kBudgetStride)
        break;
      // Hot: compiled code takes over here when it can (the operand stack is empty), and
      // the function's later calls run compiled either way.
      if (in.c && !noLoopEntry) {
        if (auto *entry = reinterpret_cast<void (*)(VMContext *, void *, Slot *)>(
                rec.hooks->loopEntry(rec, in.a))) {
          uint32_t cells = std::max(fn.numLocals + 1, fn.numResults);
          checkStackFor(rec, sizeof(Slot) * cells);
          auto *state = static_cast<Slot *>(alloca(sizeof(Slot) * cells));
          for (uint32_t i = 0; i < fn.numLocals; ++i)
            state[i].i64 = int64_t(locals[i]);
          state[fn.numLocals].i32 = int32_t(in.a);
          entry(ctx, callerCtx, state);
          for (uint32_t i = 0; i < fn.numResults; ++i)
            io[i] = state[i];
          return;
        }
        noLoopEntry = true;
      }
      if (!rec.compiled.load(std::memory_order_acquire))
        (void)rec.hooks->compile(rec);
      ticks = std::numeric_limits<int>::max(); // nothing more to decide in this call
      break;
    }
    case InterpOp::Return: {
      uint64_t *results = sp - fn.numResults;
      for (uint32_t i = 0; i < fn.numResults; ++i)
        io[i].i64 = int64_t(results[i]);
      return;
    }
    case InterpOp::Call:
    case InterpOp::CallIndirect: {
      uint32_t params = uint32_t(in.b), results = uint32_t(in.b >> 32);
      const vm::VMFuncRef *ref;
      uint32_t type = in.a;
      if (in.op == InterpOp::Call) {
        ref = ctx->funcs[in.a];
        type = in.c;
      } else {
        uint32_t index = u32(POP());
        const vm::VMTable *table = ctx->tables[in.c];
        if (index >= table->size)
          trapIn(rec, TrapCode::UndefinedElement);
        ref = static_cast<const vm::VMFuncRef *>(table->elements[index]);
        if (!ref)
          trapIn(rec, TrapCode::UninitializedElement);
        if (ref->typeId != ctx->typeIds[in.a])
          trapIn(rec, TrapCode::IndirectCallTypeMismatch);
      }
      sp -= params;
      for (uint32_t i = 0; i < params; ++i)
        callSlots[i].i64 = int64_t(sp[i]);
      reinterpret_cast<EntryThunk>(rec.entryThunks[type])(ref->code, ref->calleeCtx, ctx,
                                                          callSlots);
      for (uint32_t i = 0; i < results; ++i)
        sp[i] = uint64_t(callSlots[i].i64);
      sp += results;
      break;
    }
    case InterpOp::CheckException:
      if (static_cast<const vm::VMException *>(pw_exception_state())->pending) {
        pw_exception_escape(callerCtx); // traps when the caller cannot see it
        for (uint32_t i = 0; i < fn.numResults; ++i)
          io[i].i64 = 0;
        return;
      }
      break;
    case InterpOp::Drop:
      --sp;
      break;
    case InterpOp::Select: {
      uint32_t c = u32(POP());
      uint64_t second = POP();
      if (!c)
        TOP() = second;
      break;
    }
    case InterpOp::LocalGet:
      *sp++ = locals[in.a];
      break;
    case InterpOp::LocalSet:
      locals[in.a] = POP();
      break;
    case InterpOp::LocalTee:
      locals[in.a] = TOP();
      break;
    case InterpOp::GlobalGet: {
      uint64_t v = 0;
      std::memcpy(&v, ctx->globals[in.a], in.c);
      *sp++ = v;
      break;
    }
    case InterpOp::GlobalSet: {
      uint64_t v = POP();
      std::memcpy(ctx->globals[in.a], &v, in.c);
      break;
    }
    case InterpOp::Const:
      *sp++ = in.b;
      break;
    case InterpOp::Load8S32:
      LOAD(int8_t, int32_t)
    case InterpOp::Load8U32:
      LOAD(uint8_t, uint32_t)
    case InterpOp::Load16S32:
      LOAD(int16_t, int32_t)
    case InterpOp::Load16U32:
      LOAD(uint16_t, uint32_t)
    case InterpOp::Load32:
      LOAD(uint32_t, uint32_t)
    case InterpOp::Load8S64:
      LOAD(int8_t, int64_t)
    case InterpOp::Load8U64:
      LOAD(uint8_t, uint64_t)
    case InterpOp::Load16S64:
      LOAD(int16_t, int64_t)
    case InterpOp::Load16U64:
      LOAD(uint16_t, uint64_t)
    case InterpOp::Load32S64:
      LOAD(int32_t, int64_t)
    case InterpOp::Load32U64:
      LOAD(uint32_t, uint64_t)
    case InterpOp::Load64:
      LOAD(uint64_t, uint64_t)
    case InterpOp::Store8:
      STORE(uint8_t)
    case InterpOp::Store16:
      STORE(uint16_t)
    case InterpOp::Store32:
      STORE(uint32_t)
    case InterpOp::Store64:
      STORE(uint64_t)
    case InterpOp::MemorySize:
      *sp++ =
          cell(uint32_t(ctx->memory->sizeBytes.load(std::memory_order_relaxed) / vm::kPageSize));
      break;
    case InterpOp::MemoryFill: {
      // The whole range is checked first: the spec writes nothing when any of it is out of
      // bounds, and traps even for a length of zero past the end.
      uint64_t len = u32(sp[-1]), dst = u32(sp[-3]);
      if (dst + len > ctx->memory->sizeBytes.load(std::memory_order_relaxed))
        trapIn(rec, TrapCode::MemoryOutOfBounds);
      std::memset(ctx->memoryBase + dst, int(uint8_t(sp[-2])), len);
      sp -= 3;
      break;
    }
    case InterpOp::MemoryCopy: {
      uint64_t len = u32(sp[-1]), src = u32(sp[-2]), dst = u32(sp[-3]);
      uint64_t size = ctx->memory->sizeBytes.load(std::memory_order_relaxed);
      if (src + len > size || dst + len > size)
        trapIn(rec, TrapCode::MemoryOutOfBounds);
      std::memmove(ctx->memoryBase + dst, ctx->memoryBase + src, len);
      sp -= 3;
      break;
    }
    case InterpOp::MemoryGrow:
      TOP() = cell(uint32_t(pw_memory_grow(ctx, 0, int64_t(u32(TOP())))));
      break;

      // The integer operators of both widths: S and U read a cell as the signed and unsigned
      // type of the width, MASK is the shift count's.
#define INTEGER_OPS(W, S, U, MASK)                                                                 \
  case InterpOp::I##W##Eqz:                                                                        \
    UNARY(U, x == 0)                                                                               \
  case InterpOp::I##W##Eq:                                                                         \
    BINARY(U, x == y)                                                                              \
  case InterpOp::I##W##Ne:                                                                         \
    BINARY(U, x != y)                                                                              \
  case InterpOp::I##W##LtS:                                                                        \
    BINARY(S, x < y)                                                                               \
  case InterpOp::I##W##LtU:                                                                        \
    BINARY(U, x < y)                                                                               \
  case InterpOp::I##W##GtS:                                                                        \
    BINARY(S, x > y)                                                                               \
  case InterpOp::I##W##GtU:                                                                        \
    BINARY(U, x > y)                                                                               \
  case InterpOp::I##W##LeS:                                                                        \
    BINARY(S, x <= y)                                                                              \
  case InterpOp::I##W##LeU:                                                                        \
    BINARY(U, x <= y)                                                                              \
  case InterpOp::I##W##GeS:                                                                        \
    BINARY(S, x >= y)                                                                              \
  case InterpOp::I##W##GeU:                                                                        \
    BINARY(U, x >= y)                                                                              \
  case InterpOp::I##W##Clz:                                                                        \
    UNARY(U, decltype(x)(std::countl_zero(x)))                                                     \
  case InterpOp::I##W##Ctz:                                                                        \
    UNARY(U, decltype(x)(std::countr_zero(x)))                                                     \
  case InterpOp::I##W##Popcnt:                                                                     \
    UNARY(U, decltype(x)(std::popcount(x)))                                                        \
  case InterpOp::I##W##Add:                                                                        \
    BINARY(U, decltype(x)(x + y))                                                                  \
  case InterpOp::I##W##Sub:                                                                        \
    BINARY(U, decltype(x)(x - y))                                                                  \
  case InterpOp::I##W##Mul:                                                                        \
    BINARY(U, decltype(x)(x * y))                                                                  \
  case InterpOp::I##W##DivS:                                                                       \
    BINARY(S, divS(rec, x, y))                                                                     \
  case InterpOp::I##W##DivU:                                                                       \
    BINARY(U, divU(rec, x, y))                                                                     \
  case InterpOp::I##W##RemS:                                                                       \
    BINARY(S, remS(rec, x, y))                                                                     \
  case InterpOp::I##W##RemU:                                                                       \
    BINARY(U, remU(rec, x, y))                                                                     \
  case InterpOp::I##W##And:                                                                        \
    BINARY(U, decltype(x)(x & y))                                                                  \
  case InterpOp::I##W##Or:                                                                         \
    BINARY(U, decltype(x)(x | y))                                                                  \
  case InterpOp::I##W##Xor:                                                                        \
    BINARY(U, decltype(x)(x ^ y))                                                                  \
  case InterpOp::I##W##Shl:                                                                        \
    BINARY(U, decltype(x)(x << (y & MASK)))                                                        \
  case InterpOp::I##W##ShrS:                                                                       \
    BINARY(U, decltype(x)(std::make_signed_t<decltype(x)>(x) >> (y & MASK)))                       \
  case InterpOp::I##W##ShrU:                                                                       \
    BINARY(U, decltype(x)(x >> (y & MASK)))                                                        \
  case InterpOp::I##W##Rotl:                                                                       \
    BINARY(U, std::rotl(x, int(y & MASK)))                                                         \
  case InterpOp::I##W##Rotr:                                                                       \
    BINARY(U, std::rotr(x, int(y & MASK)))
      INTEGER_OPS(32, s32, u32, 31)
      INTEGER_OPS(64, I64, U64, 63)
#undef INTEGER_OPS

      // The float operators of both widths: GET reads a cell as the float type, BITS as its bits;
      // SIGN is the sign bit. Sign and magnitude as bits: abs and neg leave a NaN's payload
      // alone.
#define FLOAT_OPS(W, GET, BITS, SIGN)                                                              \
  case InterpOp::F##W##Eq:                                                                         \
    BINARY(GET, x == y)                                                                            \
  case InterpOp::F##W##Ne:                                                                         \
    BINARY(GET, x != y)                                                                            \
  case InterpOp::F##W##Lt:                                                                         \
    BINARY(GET, x < y)                                                                             \
  case InterpOp::F##W##Gt:                                                                         \
    BINARY(GET, x > y)                                                                             \
  case InterpOp::F##W##Le:                                                                         \
    BINARY(GET, x <= y)                                                                            \
  case InterpOp::F##W##Ge:                                                                         \
    BINARY(GET, x >= y)                                                                            \
  case InterpOp::F##W##Abs:                                                                        \
    UNARY(BITS, decltype(x)(x & ~decltype(x)(SIGN)))                                               \
  case InterpOp::F##W##Neg:                                                                        \
    UNARY(BITS, decltype(x)(x ^ decltype(x)(SIGN)))                                                \
  case InterpOp::F##W##Copysign:                                                                   \
    BINARY(BITS, decltype(x)((x & ~decltype(x)(SIGN)) | (y & decltype(x)(SIGN))))                  \
  case InterpOp::F##W##Ceil:                                                                       \
    UNARY(GET, ceilOf(x))                                                                          \
  case InterpOp::F##W##Floor:                                                                      \
    UNARY(GET, floorOf(x))                                                                         \
  case InterpOp::F##W##Trunc:                                                                      \
    UNARY(GET, truncOf(x))                                                                         \
  case InterpOp::F##W##Nearest:                                                                    \
    UNARY(GET, nearestOf(x))                                                                       \
  case InterpOp::F##W##Sqrt:                                                                       \
    UNARY(GET, std::sqrt(x))                                                                       \
  case InterpOp::F##W##Add:                                                                        \
    BINARY(GET, x + y)                                                                             \
  case InterpOp::F##W##Sub:                                                                        \
    BINARY(GET, x - y)                                                                             \
  case InterpOp::F##W##Mul:                                                                        \
    BINARY(GET, x *y)                                                                              \
  case InterpOp::F##W##Div:                                                                        \
    BINARY(GET, x / y)                                                                             \
  case InterpOp::F##W##Min:                                                                        \
    BINARY(GET, wasmMin(x, y))                                                                     \
  case InterpOp::F##W##Max:                                                                        \
    BINARY(GET, wasmMax(x, y))
      FLOAT_OPS(32, f32, u32, 0x80000000u)
      FLOAT_OPS(64, f64, U64, 0x8000000000000000ull)
#undef FLOAT_OPS

    case InterpOp::I32WrapI64:
      UNARY(U64, uint32_t(x))
    case InterpOp::I32TruncF32S:
      UNARY(f32, (truncChecked<int32_t>(rec, x)))
    case InterpOp::I32TruncF32U:
      UNARY(f32, (truncChecked<uint32_t>(rec, x)))
    case InterpOp::I32TruncF64S:
      UNARY(f64, (truncChecked<int32_t>(rec, x)))
    case InterpOp::I32TruncF64U:
      UNARY(f64, (truncChecked<uint32_t>(rec, x)))
    case InterpOp::I64ExtendI32S:
      UNARY(s32, int64_t(x))
    case InterpOp::I64ExtendI32U:
      UNARY(u32, uint64_t(x))
    case InterpOp::I64TruncF32S:
      UNARY(f32, (truncChecked<int64_t>(rec, x)))
    case InterpOp::I64TruncF32U:
      UNARY(f32, (truncChecked<uint64_t>(rec, x)))
    case InterpOp::I64TruncF64S:
      UNARY(f64, (truncChecked<int64_t>(rec, x)))
    case InterpOp::I64TruncF64U:
      UNARY(f64, (truncChecked<uint64_t>(rec, x)))
    case InterpOp::F32ConvertI32S:
      UNARY(s32, float(x))
    case InterpOp::F32ConvertI32U:
      UNARY(u32, float(x))
    case InterpOp::F32ConvertI64S:
      UNARY(I64, float(x))
    case InterpOp::F32ConvertI64U:
      UNARY(U64, float(x))
    case InterpOp::F32DemoteF64:
      UNARY(f64, float(x))
    case InterpOp::F64ConvertI32S:
      UNARY(s32, double(x))
    case InterpOp::F64ConvertI32U:
      UNARY(u32, double(x))
    case InterpOp::F64ConvertI64S:
      UNARY(I64, double(x))
    case InterpOp::F64ConvertI64U:
      UNARY(U64, double(x))
    case InterpOp::F64PromoteF32:
      UNARY(f32, double(x))
    case InterpOp::I32Extend8S:
      UNARY(u32, int32_t(int8_t(x)))
    case InterpOp::I32Extend16S:
      UNARY(u32, int32_t(int16_t(x)))
    case InterpOp::I64Extend8S:
      UNARY(U64, int64_t(int8_t(x)))
    case InterpOp::I64Extend16S:
      UNARY(U64, int64_t(int16_t(x)))
    case InterpOp::I64Extend32S:
      UNARY(U64, int64_t(int32_t(x)))
    case InterpOp::I32TruncSatF32S:
      UNARY(f32, truncSaturated<int32_t>(x))
    case InterpOp::I32TruncSatF32U:
      UNARY(f32, truncSaturated<uint32_t>(x))
    case InterpOp::I32TruncSatF64S:
      UNARY(f64, truncSaturated<int32_t>(x))
    case InterpOp::I32TruncSatF64U:
      UNARY(f64, truncSaturated<uint32_t>(x))
    case InterpOp::I64TruncSatF32S:
      UNARY(f32, truncSaturated<int64_t>(x))
    case InterpOp::I64TruncSatF32U:
      UNARY(f32, truncSaturated<uint64_t>(x))
    case InterpOp::I64TruncSatF64S:
      UNARY(f64, truncSaturated<int64_t>(x))
    case InterpOp::I64TruncSatF64U:
      UNARY(f64, truncSaturated<uint64_t>(x))
    }
  }
#undef POP
#undef TOP
#undef UNARY
#undef BINARY
#undef LOAD
#undef STORE
#undef I64
#undef U64
}

} // namespace

} // namespace parawasm::runtime

extern "C" void pw_interpret(void *calleeCtx, void *callerCtx, void *record, void *io) {
  using namespace parawasm;
  auto &rec = *static_cast<vm::InterpRecord *>(record);
  auto *ctx = static_cast<vm::VMContext *>(calleeCtx);
  auto *slots = static_cast<vm::Slot *>(io);
  void *native = rec.compiled.load(std::memory_order_acquire);
  if (!native &&
      rec.budget.fetch_sub(vm::kInterpCallCost, std::memory_order_relaxed) <= vm::kInterpCallCost)
    native = rec.hooks->compile(rec); // called often enough: compiled from now on
  const vm::InterpCode *code = native ? nullptr : rec.hooks->code(rec);
  if (!native && !code)
    native = rec.hooks->compile(rec);
  if (native)
    return runtime::callNative(rec, native, ctx, callerCtx, slots);
  runtime::run(rec, *code, ctx, callerCtx, slots);
}
