// Wasm's canonical NaN on hardware whose arithmetic gives another NaN (a GPU's 0x7fffffff), at
// the least cost: where the result can be seen, not after every operation.
//
// The translator wraps each floating-point arithmetic result (nan_rule.h) in a marker call
// (markCanonicalNaN) instead of canonicalising it there. After optimisation,
// placeCanonicalNaNs turns the markers into real canonicalisations only where a NaN's bits can
// matter. A result used only by more arithmetic (whose own result is marked), by comparisons or
// by conversions to integers is left alone: those give the same answer for any NaN. So is a
// value merged by a phi or select with other marked results and plain constants (a loop's
// running sum). Every other use (a store, a bitcast, neg/abs/copysign, a call, a return)
// receives the value canonicalised right before it. A merge that also takes a value whose NaN
// must stay exactly as it is (a load, a parameter) keeps the canonicalisation at each marker.
#pragma once

namespace llvm {
class IRBuilderBase;
class Module;
class Value;
} // namespace llvm

namespace parawasm::compile {

// `v` (a float or vector of floats) with NaNs, any lane, made the canonical quiet NaN: a select,
// emitted at the builder's position.
llvm::Value *canonicalNaN(llvm::IRBuilderBase &b, llvm::Value *v);

// `v` marked as an arithmetic result whose NaN must look canonical wherever it is seen.
llvm::Value *markCanonicalNaN(llvm::IRBuilderBase &b, llvm::Value *v);

// Replaces every marker in `m`, as described above. Run once, after optimisation and before
// code generation; a module with markers left cannot be emitted.
void placeCanonicalNaNs(llvm::Module &m);

} // namespace parawasm::compile
