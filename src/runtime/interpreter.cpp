// The interpreter tier (vm/interp.h): a switch over the builder's operators, the locals and the
// operand stack in one array of cells on this thread's stack (a trap unwinds past this frame,
// so it owns nothing that needs freeing). Memory accesses are checked against the memory's size:
// a fault here would be in host code, which the trap handler does not take for the guest's.
#include "runtime/interpreter.h"

#include "runtime/exceptions.h"
#include "runtime/trap.h"
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
  reinterpret_cast<EntryThunk>(rec.entryThunk)(native, ctx, callerCtx, io);
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

void run(InterpRecord &rec, const InterpCode &fn, VMContext *ctx, void *callerCtx, Slot *io) {
  // An interrupt signal does not unwind host code such as this: it is looked for here and at
  // every loop header (recursion without loops reaches the first, loops the second).
  if (ctx->interrupt->load(std::memory_order_relaxed))
    trapIn(rec, TrapCode::Interrupted);
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
    case InterpOp::MemoryGrow:
      TOP() = cell(uint32_t(pw_memory_grow(ctx, 0, int64_t(u32(TOP())))));
      break;

    case InterpOp::I32Eqz:
      UNARY(u32, x == 0)
    case InterpOp::I32Eq:
      BINARY(u32, x == y)
    case InterpOp::I32Ne:
      BINARY(u32, x != y)
    case InterpOp::I32LtS:
      BINARY(s32, x < y)
    case InterpOp::I32LtU:
      BINARY(u32, x < y)
    case InterpOp::I32GtS:
      BINARY(s32, x > y)
    case InterpOp::I32GtU:
      BINARY(u32, x > y)
    case InterpOp::I32LeS:
      BINARY(s32, x <= y)
    case InterpOp::I32LeU:
      BINARY(u32, x <= y)
    case InterpOp::I32GeS:
      BINARY(s32, x >= y)
    case InterpOp::I32GeU:
      BINARY(u32, x >= y)
    case InterpOp::I64Eqz:
      UNARY(U64, x == 0)
    case InterpOp::I64Eq:
      BINARY(U64, x == y)
    case InterpOp::I64Ne:
      BINARY(U64, x != y)
    case InterpOp::I64LtS:
      BINARY(I64, x < y)
    case InterpOp::I64LtU:
      BINARY(U64, x < y)
    case InterpOp::I64GtS:
      BINARY(I64, x > y)
    case InterpOp::I64GtU:
      BINARY(U64, x > y)
    case InterpOp::I64LeS:
      BINARY(I64, x <= y)
    case InterpOp::I64LeU:
      BINARY(U64, x <= y)
    case InterpOp::I64GeS:
      BINARY(I64, x >= y)
    case InterpOp::I64GeU:
      BINARY(U64, x >= y)
    case InterpOp::F32Eq:
      BINARY(f32, x == y)
    case InterpOp::F32Ne:
      BINARY(f32, x != y)
    case InterpOp::F32Lt:
      BINARY(f32, x < y)
    case InterpOp::F32Gt:
      BINARY(f32, x > y)
    case InterpOp::F32Le:
      BINARY(f32, x <= y)
    case InterpOp::F32Ge:
      BINARY(f32, x >= y)
    case InterpOp::F64Eq:
      BINARY(f64, x == y)
    case InterpOp::F64Ne:
      BINARY(f64, x != y)
    case InterpOp::F64Lt:
      BINARY(f64, x < y)
    case InterpOp::F64Gt:
      BINARY(f64, x > y)
    case InterpOp::F64Le:
      BINARY(f64, x <= y)
    case InterpOp::F64Ge:
      BINARY(f64, x >= y)

    case InterpOp::I32Clz:
      UNARY(u32, uint32_t(std::countl_zero(x)))
    case InterpOp::I32Ctz:
      UNARY(u32, uint32_t(std::countr_zero(x)))
    case InterpOp::I32Popcnt:
      UNARY(u32, uint32_t(std::popcount(x)))
    case InterpOp::I32Add:
      BINARY(u32, x + y)
    case InterpOp::I32Sub:
      BINARY(u32, x - y)
    case InterpOp::I32Mul:
      BINARY(u32, x * y)
    case InterpOp::I32DivS: {
      int32_t y = s32(sp[-1]), x = s32(sp[-2]);
      if (y == 0)
        trapIn(rec, TrapCode::IntegerDivideByZero);
      if (x == std::numeric_limits<int32_t>::min() && y == -1)
        trapIn(rec, TrapCode::IntegerOverflow);
      --sp;
      sp[-1] = cell(x / y);
      break;
    }
    case InterpOp::I32DivU: {
      uint32_t y = u32(sp[-1]), x = u32(sp[-2]);
      if (y == 0)
        trapIn(rec, TrapCode::IntegerDivideByZero);
      --sp;
      sp[-1] = cell(x / y);
      break;
    }
    case InterpOp::I32RemS: {
      int32_t y = s32(sp[-1]), x = s32(sp[-2]);
      if (y == 0)
        trapIn(rec, TrapCode::IntegerDivideByZero);
      --sp;
      sp[-1] = cell(y == -1 ? 0 : x % y);
      break;
    }
    case InterpOp::I32RemU: {
      uint32_t y = u32(sp[-1]), x = u32(sp[-2]);
      if (y == 0)
        trapIn(rec, TrapCode::IntegerDivideByZero);
      --sp;
      sp[-1] = cell(x % y);
      break;
    }
    case InterpOp::I32And:
      BINARY(u32, x & y)
    case InterpOp::I32Or:
      BINARY(u32, x | y)
    case InterpOp::I32Xor:
      BINARY(u32, x ^ y)
    case InterpOp::I32Shl:
      BINARY(u32, x << (y & 31))
    case InterpOp::I32ShrS:
      BINARY(u32, uint32_t(int32_t(x) >> (y & 31)))
    case InterpOp::I32ShrU:
      BINARY(u32, x >> (y & 31))
    case InterpOp::I32Rotl:
      BINARY(u32, std::rotl(x, int(y & 31)))
    case InterpOp::I32Rotr:
      BINARY(u32, std::rotr(x, int(y & 31)))

    case InterpOp::I64Clz:
      UNARY(U64, uint64_t(std::countl_zero(x)))
    case InterpOp::I64Ctz:
      UNARY(U64, uint64_t(std::countr_zero(x)))
    case InterpOp::I64Popcnt:
      UNARY(U64, uint64_t(std::popcount(x)))
    case InterpOp::I64Add:
      BINARY(U64, x + y)
    case InterpOp::I64Sub:
      BINARY(U64, x - y)
    case InterpOp::I64Mul:
      BINARY(U64, x * y)
    case InterpOp::I64DivS: {
      int64_t y = I64(sp[-1]), x = I64(sp[-2]);
      if (y == 0)
        trapIn(rec, TrapCode::IntegerDivideByZero);
      if (x == std::numeric_limits<int64_t>::min() && y == -1)
        trapIn(rec, TrapCode::IntegerOverflow);
      --sp;
      sp[-1] = cell(x / y);
      break;
    }
    case InterpOp::I64DivU: {
      uint64_t y = sp[-1], x = sp[-2];
      if (y == 0)
        trapIn(rec, TrapCode::IntegerDivideByZero);
      --sp;
      sp[-1] = cell(x / y);
      break;
    }
    case InterpOp::I64RemS: {
      int64_t y = I64(sp[-1]), x = I64(sp[-2]);
      if (y == 0)
        trapIn(rec, TrapCode::IntegerDivideByZero);
      --sp;
      sp[-1] = cell(y == -1 ? int64_t(0) : x % y);
      break;
    }
    case InterpOp::I64RemU: {
      uint64_t y = sp[-1], x = sp[-2];
      if (y == 0)
        trapIn(rec, TrapCode::IntegerDivideByZero);
      --sp;
      sp[-1] = cell(x % y);
      break;
    }
    case InterpOp::I64And:
      BINARY(U64, x & y)
    case InterpOp::I64Or:
      BINARY(U64, x | y)
    case InterpOp::I64Xor:
      BINARY(U64, x ^ y)
    case InterpOp::I64Shl:
      BINARY(U64, x << (y & 63))
    case InterpOp::I64ShrS:
      BINARY(U64, uint64_t(int64_t(x) >> (y & 63)))
    case InterpOp::I64ShrU:
      BINARY(U64, x >> (y & 63))
    case InterpOp::I64Rotl:
      BINARY(U64, std::rotl(x, int(y & 63)))
    case InterpOp::I64Rotr:
      BINARY(U64, std::rotr(x, int(y & 63)))

    // Sign and magnitude as bits: abs and neg leave a NaN's payload alone.
    case InterpOp::F32Abs:
      UNARY(u32, x & 0x7FFFFFFFu)
    case InterpOp::F32Neg:
      UNARY(u32, x ^ 0x80000000u)
    case InterpOp::F32Copysign:
      BINARY(u32, (x & 0x7FFFFFFFu) | (y & 0x80000000u))
    case InterpOp::F32Ceil:
      UNARY(f32, ceilOf(x))
    case InterpOp::F32Floor:
      UNARY(f32, floorOf(x))
    case InterpOp::F32Trunc:
      UNARY(f32, truncOf(x))
    case InterpOp::F32Nearest:
      UNARY(f32, nearestOf(x))
    case InterpOp::F32Sqrt:
      UNARY(f32, std::sqrt(x))
    case InterpOp::F32Add:
      BINARY(f32, x + y)
    case InterpOp::F32Sub:
      BINARY(f32, x - y)
    case InterpOp::F32Mul:
      BINARY(f32, x * y)
    case InterpOp::F32Div:
      BINARY(f32, x / y)
    case InterpOp::F32Min:
      BINARY(f32, wasmMin(x, y))
    case InterpOp::F32Max:
      BINARY(f32, wasmMax(x, y))
    case InterpOp::F64Abs:
      UNARY(U64, x & 0x7FFFFFFFFFFFFFFFull)
    case InterpOp::F64Neg:
      UNARY(U64, x ^ 0x8000000000000000ull)
    case InterpOp::F64Copysign:
      BINARY(U64, (x & 0x7FFFFFFFFFFFFFFFull) | (y & 0x8000000000000000ull))
    case InterpOp::F64Ceil:
      UNARY(f64, ceilOf(x))
    case InterpOp::F64Floor:
      UNARY(f64, floorOf(x))
    case InterpOp::F64Trunc:
      UNARY(f64, truncOf(x))
    case InterpOp::F64Nearest:
      UNARY(f64, nearestOf(x))
    case InterpOp::F64Sqrt:
      UNARY(f64, std::sqrt(x))
    case InterpOp::F64Add:
      BINARY(f64, x + y)
    case InterpOp::F64Sub:
      BINARY(f64, x - y)
    case InterpOp::F64Mul:
      BINARY(f64, x * y)
    case InterpOp::F64Div:
      BINARY(f64, x / y)
    case InterpOp::F64Min:
      BINARY(f64, wasmMin(x, y))
    case InterpOp::F64Max:
      BINARY(f64, wasmMax(x, y))

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
