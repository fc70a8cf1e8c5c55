// Guards in front of wabt's binary reader, which asserts (aborts the process) on a few inputs
// instead of reporting an error. The text parser's are in text_guard.h.
#pragma once

#include "parawasm/types.h"

#include <cstdint>
#include <optional>
#include <span>

namespace parawasm::wasm {

// An Invalid error ("constant expression required: ...") for a binary whose global, element or
// data section has a constant expression with an instruction that is not a constant one. wabt
// 1.0.32 reads any instruction there and validates afterwards, but a block, loop, if or try
// left open at the end of such an expression stays on its reader's label stack, and the next
// function body's `end` then fails an assertion (found by fuzzing,
// tests/fuzz/regressions/module/). Sections that do not parse are left to wabt, which says why.
std::optional<Error> refuseNonConstantInitializers(std::span<const uint8_t> bytes);

} // namespace parawasm::wasm
