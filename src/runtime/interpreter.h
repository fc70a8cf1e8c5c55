// The interpreter tier's runtime half (vm/interp.h): runs a function's first calls.
#pragma once

extern "C" {
// (calleeCtx, callerCtx, vm::InterpRecord *, Slot *io): the arguments in io, the results out.
// Called by a type's interpreter adapter; traps unwind like those of compiled code.
void pw_interpret(void *calleeCtx, void *callerCtx, void *record, void *io);
}
