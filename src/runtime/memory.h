// Memories made otherwise than by MemoryObject::create (objects.h).
#pragma once

#include "runtime/objects.h"

#include <memory>

namespace parawasm::runtime {

// A MemoryObject that aliases `memory` (same base) but cannot grow: what a wasi-parallel kernel
// instance imports, so that memory.grow in a kernel returns -1 and changes nothing (kernel rule
// 5). The alias never unmaps anything; `memory` must outlive it.
std::shared_ptr<MemoryObject> makeFixedView(const MemoryObject &memory);
// Makes `view`'s size, and its maximum, `memory`'s current size.
void refreshFixedView(MemoryObject &view, const MemoryObject &memory);

} // namespace parawasm::runtime
