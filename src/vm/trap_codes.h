// Trap codes as seen by compiled code and the runtime; generated from trap_codes.def.
#pragma once

#include "parawasm/types.h"

namespace parawasm::vm {

#define PW_TRAP(num, id, name, msg)                                                                \
  static_assert(static_cast<uint32_t>(TrapCode::id) == num, "trap number drifted: " name);
#include "vm/trap_codes.def"
#undef PW_TRAP

inline constexpr uint32_t kNumTrapCodes = 0
#define PW_TRAP(num, id, name, msg) +1
#include "vm/trap_codes.def"
#undef PW_TRAP
    ;

} // namespace parawasm::vm
