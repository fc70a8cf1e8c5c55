// Runs work on a thread with a large stack: translation recurses once per nesting level of the
// module's control flow, and adversarial modules nest deeply.
#pragma once

#include <cstddef>
#include <functional>

namespace parawasm::support {

inline constexpr size_t kCompileStackBytes = size_t(1) << 30; // reserved, committed on use

// Runs `work` on a new thread with `stackBytes` of stack and waits for it. Falls back to the
// calling thread if such a thread cannot be created.
void runWithStack(size_t stackBytes, const std::function<void()> &work);

} // namespace parawasm::support
