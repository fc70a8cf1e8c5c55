#include "vm/trap_codes.h"

namespace parawasm {

const char *trapCodeName(TrapCode code) {
  switch (code) {
#define PW_TRAP(num, id, name, msg)                                                                \
  case TrapCode::id:                                                                               \
    return name;
#include "vm/trap_codes.def"
#undef PW_TRAP
  }
  return "unknown_trap";
}

const char *trapCodeMessage(TrapCode code) {
  switch (code) {
#define PW_TRAP(num, id, name, msg)                                                                \
  case TrapCode::id:                                                                               \
    return msg;
#include "vm/trap_codes.def"
#undef PW_TRAP
  }
  return "unknown trap";
}

} // namespace parawasm
