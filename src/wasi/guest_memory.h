// The guest's linear memory as the WASI calls see it: every access is bounds-checked, and a
// pointer or length that leaves memory becomes EFAULT rather than a host access.
#pragma once

#include "vm/guest_memory_view.h"
#include "wasi/abi.h"

#include <cstdint>
#include <string>

namespace parawasm::wasi {

// The bounds-checked view every host call uses (vm/guest_memory_view.h), under the name the
// WASI calls have always used.
using GuestMemory = vm::GuestMemoryView;

// Writes `value` to guest memory or fails the call with EFAULT.
#define PW_WASI_STORE(mem, ptr, value)                                                             \
  do {                                                                                             \
    if (!(mem).store((ptr), (value)))                                                              \
      return ::parawasm::wasi::Errno::Fault;                                                       \
  } while (0)

// Copies a guest path or string. EFAULT outside memory, EINVAL for an embedded NUL (a host path
// would end there), EILSEQ for text that is not UTF-8 (as Wasmtime).
Errno readGuestString(const GuestMemory &mem, GuestPtr ptr, GuestSize len, std::string &out);

bool isValidUtf8(const std::string &s);

} // namespace parawasm::wasi
