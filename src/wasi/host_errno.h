// Host (Linux) errno values to WASI errno values.
#pragma once

#include "wasi/abi.h"

namespace parawasm::wasi {

Errno fromHostErrno(int hostErrno);

// The WASI errno for the calling thread's current `errno`.
Errno lastHostError();

} // namespace parawasm::wasi
