// Traps: how a trap raised anywhere in guest code gets back to the host entry of its thread.
#pragma once

#include "parawasm/types.h"

#include <cstdint>
#include <string>

namespace parawasm::runtime {

class ModuleObject;
class InterruptScope;

using EntryThunk = void (*)(void *code, void *calleeCtx, void *callerCtx, void *io);

// Calls `entry` with a trap scope on this thread. A trap (explicit, from a host function, or a
// fault in a guard region / stack guard) unwinds to here and comes back as an Error.
Result<void> callGuarded(EntryThunk entry, void *code, void *calleeCtx, void *callerCtx, void *io);
// The same for a caller that holds an InterruptScope of callerCtx's interrupt flag around
// several calls (a device worker's chunks of one launch): each InterruptScope ends with a
// sequentially consistent store, which waits until the guest's stores have drained, so one per
// launch instead of one per call.
Result<void> callGuarded(const InterruptScope &held, EntryThunk entry, void *code, void *calleeCtx,
                         void *callerCtx, void *io);

// Never return: unwind to the innermost callGuarded of this thread.
[[noreturn]] void raiseTrap(TrapCode code, uintptr_t pc);
[[noreturn]] void raisePending();
// raiseTrap from a signal handler: first puts back the signal mask of the interrupted code
// (`ucontext`'s), because unwinding skips the kernel's restore and a run-time may have blocked
// more than SA_NODEFER leaves (TSan's handler blocks every signal, so the next guard-page fault
// would kill the process).
[[noreturn]] void raiseTrapFromSignal(TrapCode code, uintptr_t pc, const void *ucontext);
// Records the error a host function reported; raisePending() then unwinds with it.
void setPendingError(Error error);
bool inGuardedCall();

// Linear memory reservations: faults inside them are out-of-bounds traps.
void registerReservation(uintptr_t base, size_t size);
void unregisterReservation(uintptr_t base);

// Function start addresses, for naming the function a trap happened in. registerModuleCode
// returns the registration's number, which registerFunctionBody needs.
uint64_t registerModuleCode(const ModuleObject *module);
// A body of lazy or tiered code (whose `functions` are stubs), linked after registration; late
// calls for a module no longer registered under `registration` are ignored.
void registerFunctionBody(const ModuleObject *module, uint64_t registration, uint32_t funcIndex,
                          uintptr_t start);
void unregisterModuleCode(const ModuleObject *module);
std::string describePc(uintptr_t pc); // "in function 'name'" or ""

} // namespace parawasm::runtime
