// Wasm exceptions on the host side: the per-thread record compiled code throws into
// (vm/exception.h), the runtime entry points that fill and read it, and what a host entry does
// with an exception that no Wasm handler caught. Exceptions travel as a flag that compiled frames
// test after each call and return on, never by unwinding host frames (docs/ARCHITECTURE.md).
#pragma once

#include <cstdint>

namespace parawasm::runtime {

// Whether an exception escaped the Wasm code that a host entry (callGuarded) called; clears it.
bool takeUncaughtException();
// Drops the exceptions saved for `rethrow` on this thread; called when its outermost host entry
// returns, when no Wasm frame that could rethrow them is left.
void releaseCaughtExceptions();

} // namespace parawasm::runtime

// Runtime entry points (vm/runtime_calls.def).
extern "C" {
void *pw_exception_state();
void *pw_throw(void *ctx, int32_t tagIndex, int32_t count);
void *pw_tag(void *ctx, int32_t tagIndex);
void *pw_exception_capture();
void pw_exception_release(void *caught);
void pw_rethrow(void *caught);
void pw_exception_escape(void *callerCtx);
}
