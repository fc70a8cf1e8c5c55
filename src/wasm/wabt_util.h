// Helpers shared by the wabt-facing code (src/wasm and src/compile only).
#pragma once

#include "parawasm/types.h"

#include <wabt/cast.h>
#include <wabt/common.h>
#include <wabt/error.h>
#include <wabt/feature.h>
#include <wabt/type.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wabt {
struct Module;
}

namespace parawasm::wasm {

// The proposals parawasm implements: Wasm 2.0 plus threads.
wabt::Features engineFeatures();
std::string formatErrors(const wabt::Errors &errors, bool binary);
ValType toValType(wabt::Type t);
Result<std::vector<uint8_t>> moduleToBinary(const wabt::Module &module);
// A Malformed error when the parentheses of a text module or script do not balance (outside
// strings and comments). wabt 1.0.32's parser fails an assertion, and aborts the process, on some
// such texts that end inside a form (found by fuzzing, tests/fuzz/regressions/wast/), so text is
// checked before wabt sees it.
std::optional<Error> refuseUnbalancedText(std::string_view text, std::string_view fileName);

} // namespace parawasm::wasm
