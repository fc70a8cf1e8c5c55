// Marker calls: a call to an effect-free placeholder function that optimisation moves, merges and
// deletes like the arithmetic it stands for, and that a pass after optimisation replaces (the
// canonical NaNs of canonical_nan.h, the access tests of gpu_check_versioning.h). A module with
// marker calls left cannot be emitted: the functions have no body.
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>

namespace llvm {
class CallInst;
class IRBuilderBase;
class Type;
class Value;
} // namespace llvm

namespace parawasm::compile {

// A call of marker `name` (declared on first use) returning `result`.
llvm::CallInst *callMarker(llvm::IRBuilderBase &b, llvm::StringRef name, llvm::Type *result,
                           llvm::ArrayRef<llvm::Value *> args);

// `v` as a call of a marker whose name starts with `prefix`, or null.
llvm::CallInst *asMarkerCall(llvm::Value *v, llvm::StringRef prefix);

} // namespace parawasm::compile
