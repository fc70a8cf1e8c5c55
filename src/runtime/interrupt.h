// Interrupting guest code without polls: compiled code contains no checks at all. An interrupt
// sets the flag (VMContext::interrupt) and sends kInterruptSignal to every thread whose guest
// code runs under that flag, again every couple of milliseconds while any such thread is still
// inside its callGuarded. The signal handler unwinds (trap Interrupted) only when the thread's
// program counter is in JIT-compiled code, which holds no locks and owns no host resources;
// elsewhere (host functions, runtime calls, the host side of a launch) it returns, and the host
// side stops at its own checkpoints: callGuarded's entry, the return of every host function,
// memory.atomic.wait's slices, a launch's interrupt flag.
#pragma once

#include <atomic>
#include <csignal>
#include <cstdint>

namespace parawasm::runtime {

using InterruptFlag = std::atomic<uint32_t>;

// SIGURG, as Go uses it for preemption: ignored by default, so a stray one harms nobody, and
// rarely used by applications. An embedder's own SIGURG handler is chained (docs/limits.md).
constexpr int kInterruptSignal = SIGURG;

// Sets `flag` and stops the guest code running under it; `signalCode` false only sets it.
void raiseInterrupt(InterruptFlag &flag, bool signalCode = true);
// Clears `flag` and stops signalling its threads.
void clearInterrupt(InterruptFlag &flag);

// While alive, this thread's guest code runs under `flag` (null: uninterruptible). Installs the
// signal handler and unblocks kInterruptSignal on the thread the first time.
class InterruptScope {
public:
  explicit InterruptScope(const InterruptFlag *flag);
  ~InterruptScope();
  InterruptScope(const InterruptScope &) = delete;
  InterruptScope &operator=(const InterruptScope &) = delete;
  // Set when the scope began, or since.
  bool interrupted() const { return flag_ && flag_->load() != 0; }

private:
  const InterruptFlag *flag_;
  const InterruptFlag *previous_;
};

// The flag this thread's guest code runs under now, or null.
const InterruptFlag *currentInterruptFlag();

// The checkpoint at the return of a host function to compiled code: true when the guest must
// stop now. A host function that told the guest of the interrupt through its result
// (parallel_exec's kernel_trapped) calls noteInterruptReported() first, so that the guest gets
// that result and stops a little later, at its next host call or signal.
bool interruptedAtHostReturn();
void noteInterruptReported();

} // namespace parawasm::runtime
