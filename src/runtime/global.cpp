// Globals: a Val in and out of the 16-byte cell compiled code reads and writes.
#include "runtime/objects.h"

#include <cstring>

namespace parawasm::runtime {

Val GlobalObject::get() const {
  Val v;
  v.type = type.type;
  std::memcpy(&v.of, &cell, sizeof(vm::Slot));
  return v;
}

void GlobalObject::set(const Val &v) { std::memcpy(&cell, &v.of, sizeof(vm::Slot)); }

} // namespace parawasm::runtime
