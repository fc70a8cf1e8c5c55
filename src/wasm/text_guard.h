// Guards in front of wabt's text parser, which recurses once per nesting level and asserts (aborts
// the process) on a few inputs instead of reporting an error.
#pragma once

#include "parawasm/types.h"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace parawasm::wasm {

// An implementation limit, as the spec allows: text nested deeper is refused before wabt parses it
// (on a big-stack thread, see support/big_stack.h), so the host stack never overflows. Counted
// per '(' and per block/loop/if/try keyword; the translator's own limit is lower.
inline constexpr size_t kMaxTextNesting = 100000;

// A Malformed error (prefixed "FILE:LINE: ") for text that wabt's parser must never see: an
// unterminated string or block comment, parentheses that do not balance (wabt asserts on some
// texts that end inside a form; found by fuzzing, tests/fuzz/regressions/wast/), or nesting of
// parentheses and structured-instruction keywords deeper than kMaxTextNesting.
std::optional<Error> refuseHazardousText(std::string_view text, std::string_view fileName);

// `script` with the keyword of every `(module $id? quote` replaced by `binary`, wherever it is.
// wabt aborts when its error recovery resumes at a nested quoted module (it then parses it as a
// top-level command); with the keyword replaced the token structure, and so every parse error, is
// the same, and recovery is safe. Columns after a replaced keyword on its line move by one.
std::string quotedModulesAsBinary(std::string_view script);

// wabt 1.0.32 aborts on a top-level `(module $id? quote "...")` command. Rewrites each one into
// `(module $id? binary "...")` with the bytes `compile` makes of the quoted text (keeping the line
// count); where `compile` fails it returns false and the command gets the bytes of an empty module
// (the caller remembers the failure by line). `compile(text, line)` gets the decoded text and the
// line of the command.
std::string rewriteQuotedModules(
    std::string_view script,
    const std::function<bool(const std::string &text, int line, std::string &bytes)> &compile);

} // namespace parawasm::wasm
