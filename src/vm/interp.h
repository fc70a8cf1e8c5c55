// The interpreter tier's ABI (docs/ARCHITECTURE.md, "Interpreter tier"): the code that
// compile/interp_builder.cpp makes from a function body and runtime/interpreter.cpp runs, and the
// per-function record through which a lazy module's stub reaches the interpreter.
//
// A lazily started module points each function's stub at a trampoline that loads the function's
// InterpRecord into the `nest` register and jumps to its type's interpreter adapter, which spills
// the arguments into Slots and calls pw_interpret. The interpreter runs the function's first
// calls; once a function has used up its budget (calls and loop iterations) it is compiled and
// its stub pointed at the native code, and a call that loops long in the interpreter moves into
// compiled code at a loop header (on-stack replacement).
#pragma once

#include "vm/vm_context.h"

#include <atomic>
#include <cstdint>
#include <vector>

namespace parawasm::vm {

// Operators of the interpreter's code. Values live in 8-byte cells (an i32 or f32 in the low
// half, the high half zero); a function's cells are its locals, then its operand stack.
enum class InterpOp : uint16_t {
#define PW_INTERP_OP(name) name,
#include "vm/interp_ops.def"
#undef PW_INTERP_OP
};

// One operator: `a` and `b` are its immediates (see interp_ops.def for each one's meaning).
struct InterpInstr {
  InterpOp op;
  uint16_t c;
  uint32_t a;
  uint64_t b;
};
static_assert(sizeof(InterpInstr) == 16);

// Branch immediates: a = target instruction, c = cells kept (the label's arity), b = cells
// dropped below them.

struct InterpCode {
  std::vector<InterpInstr> code;
  uint32_t numParams = 0;
  uint32_t numResults = 0;
  uint32_t numLocals = 0;    // parameters included
  uint32_t maxStack = 0;     // operand cells above the locals, at most
  uint32_t maxCallCells = 1; // Slots a call from this function needs: max(params, results)
  uint32_t numLoops = 0;     // LoopHead ids are 0 .. numLoops - 1
};

struct InterpRecord;

// What the interpreter asks of the compiler (compile/cpu_jit.cpp fills these in).
struct InterpHooks {
  // The function's interpreter code, built on first use; null when the interpreter cannot run
  // it (an operator it does not have): the function is then compiled.
  const InterpCode *(*code)(InterpRecord &record);
  // Compiles the function, points its stub at the native code and returns that code (the
  // native signature). Never fails: a module whose functions might not compile starts eagerly.
  void *(*compile)(InterpRecord &record);
  // Compiled code of the function that starts at loop header `loop`:
  // void entry(VMContext *calleeCtx, VMContext *callerCtx, Slot *io), io = the locals, then the
  // loop id in io[numLocals].i32; the results come back in io[0 ..). Null when there is none.
  void *(*loopEntry)(InterpRecord &record, uint32_t loop);
};

// One per defined function of a lazily started module, owned by its code object.
struct InterpRecord {
  // Native code once compiled (then the stub points there too; calls still in the interpreter
  // or racing with the switch take this instead of interpreting on).
  std::atomic<void *> compiled{nullptr};
  // Spent by each call and each loop iteration in the interpreter; at zero the function is
  // compiled.
  std::atomic<int64_t> budget{0};
  uint32_t funcIndex = 0;
  uint32_t typeIndex = 0;
  // The module's entry thunks, void entry(code, calleeCtx, callerCtx, Slot *io) per type index:
  // how the interpreter calls any function, `compiled` included (a host function's VMFuncRef has
  // no entry of its own).
  void *const *entryThunks = nullptr;
  // The trampoline's address: a trap in the interpreter names the function by it.
  uintptr_t trampoline = 0;
  const InterpHooks *hooks = nullptr;
  void *owner = nullptr; // the compiler's state for this module
};

// Budget units: a call costs kInterpCallCost, an iteration of a loop one (each about as long as
// a small call or a loop iteration takes in the interpreter, some tens of nanoseconds).
inline constexpr int64_t kInterpCallCost = 4;

} // namespace parawasm::vm
