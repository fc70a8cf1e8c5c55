// Which operators' NaN results a device whose hardware NaN is not Wasm's canonical NaN must
// canonicalise (TargetPolicy::canonicalizesNaN): the one rule for scalar and SIMD operators.
#pragma once

#include <wabt/opcode.h>

namespace parawasm::compile {

// True for operators that compute a float (scalar or lanes) by floating-point arithmetic, whose
// NaN result is therefore the hardware's: add, sub, mul, div, sqrt, min, max, rounding,
// promote/demote and the fused relaxed forms. False for everything else, in particular for the
// bit operations that must keep a NaN's payload (abs, neg, copysign, reinterpret, splat, lane
// moves, the selecting pmin/pmax), for comparisons (whose lanes are masks, not floats), and for
// conversions from integers (which never give a NaN).
bool yieldsArithmeticNaN(wabt::Opcode op);

} // namespace parawasm::compile
