// Guards in front of wabt's text parser, which recurses once per nesting level and asserts (aborts
// the process) on a few inputs instead of reporting an error.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace parawasm::wasm {

// An implementation limit, as the spec allows: text nested deeper is refused before wabt parses it
// (on a big-stack thread, see support/big_stack.h), so the host stack never overflows. Counted
// per '(' and per block/loop/if/try keyword; the translator's own limit is lower.
inline constexpr size_t kMaxTextNesting = 100000;

// Greatest nesting of parentheses and structured-instruction keywords in `text`, skipping strings
// and comments. Stops counting once `limit` is passed.
size_t textNestingDepth(std::string_view text, size_t limit = kMaxTextNesting);

// wabt 1.0.32 aborts on a top-level `(module $id? quote "...")` command. Rewrites each one into
// `(module $id? binary "...")` with the bytes `compile` makes of the quoted text (keeping the line
// count); where `compile` fails it returns false and the command gets the bytes of an empty module
// (the caller remembers the failure by line). `compile(text, line)` gets the decoded text and the
// line of the command.
std::string rewriteQuotedModules(
    std::string_view script,
    const std::function<bool(const std::string &text, int line, std::string &bytes)> &compile);

} // namespace parawasm::wasm
