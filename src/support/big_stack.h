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

// Bytes of stack left on this thread below the caller's frame; SIZE_MAX when unknown.
size_t stackLeft();

// Runs `work` here when this thread has `needed` bytes of stack left, else on a new thread with
// a compile-sized stack: for work on a guest's thread (a lazy build or compile) that a guest
// deep in recursion would otherwise overflow while holding locks.
void runWithStackLeft(size_t needed, const std::function<void()> &work);

} // namespace parawasm::support
