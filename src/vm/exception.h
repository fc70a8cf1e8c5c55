// The exception in flight (the exception-handling proposal), as compiled CPU code and the runtime
// share it. One record per thread (runtime/exceptions.cpp); compiled code asks for its address
// once per function (pw_exception_state) and reads `pending` after each call.
#pragma once

#include "vm/vm_context.h"

#include <cstddef>
#include <cstdint>

namespace parawasm::vm {

struct VMException {
  // Nonzero from `throw` (or `rethrow`) until a handler takes the exception. While it is set,
  // compiled functions return at once (with an unspecified result) to a caller that looks at it.
  uint32_t pending;
  uint32_t count; // payload values
  void *tag;      // runtime::TagObject *: what `catch` compares, an identity across instances
  Slot *values;   // the payload, `count` cells (the tag's parameters)
};
static_assert(offsetof(VMException, pending) == 0);
static_assert(offsetof(VMException, count) == 4);
static_assert(offsetof(VMException, tag) == 8);
static_assert(offsetof(VMException, values) == 16);

} // namespace parawasm::vm
