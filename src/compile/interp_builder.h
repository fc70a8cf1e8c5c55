// The interpreter tier's code from a function body (vm/interp.h).
#pragma once

#include "vm/interp.h"
#include "vm/module_info.h"

#include <wabt/ir.h>

#include <memory>
#include <vector>

namespace parawasm::compile {

struct InterpBuild {
  // Null when the interpreter cannot run the function (an operator or a type it does not
  // have, or deep nesting): the function is compiled on its first call instead.
  std::unique_ptr<vm::InterpCode> code;
  // Per loop id (LoopHead's immediate): the `loop` operator, where compiled code can take over.
  std::vector<const wabt::Expr *> loops;
};

// `funcIndex` must be a defined function of the validated module `m`.
InterpBuild buildInterpCode(const wabt::Module &m, const vm::ModuleInfo &info, uint32_t funcIndex);

} // namespace parawasm::compile
