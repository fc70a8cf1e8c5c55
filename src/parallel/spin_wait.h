// Waiting for another thread on a shared, noisy machine: poll briefly, then yield the core while
// still polling, then sleep on a futex — for as long as recent waits say polling pays.
//
// A thread pool's worker waits for the next run. When runs come back to back (a guest calling
// parallel_exec once per anti-diagonal), sleeping costs a futex wake-up per run (several µs, far
// more on a loaded machine, where the woken thread waits for a core); polling costs a core. So a
// waiter polls for a budget that follows the waits it has seen: a wait that ended while polling,
// or one that ended soon after the waiter fell asleep, raises the budget to twice that wait; a
// wait longer than the cap halves it. The budget never exceeds the cap
// ($PARAWASM_SPIN_US, default 1000 µs; 0: never poll), so an idle pool stops using the CPU
// within a millisecond. After 500 µs the poll loop calls sched_yield between looks, so a poller
// that shares its core with a thread that has work hands the core over. (Yielding sooner was
// measured to hurt: on a loaded machine a thread that yields may wait a whole time slice for its
// core, and an OpenMP region took 95 µs instead of 3.)
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <sched.h>

namespace parawasm::parallel {

// The most a waiter polls, in µs ($PARAWASM_SPIN_US, read once).
uint32_t maxSpinMicros();

// How long one waiter polls before it sleeps; each waiting thread keeps its own.
struct SpinBudget {
  static constexpr uint32_t kInitialMicros = 200;
  static constexpr uint32_t kFloorMicros = 10;
  uint32_t micros = kInitialMicros;

  // A wait of `waitedMicros` ended (while polling or after falling asleep).
  void update(uint64_t waitedMicros) {
    const uint32_t cap = maxSpinMicros();
    if (waitedMicros <= cap) {
      uint64_t want = 2 * waitedMicros < cap ? 2 * waitedMicros : cap;
      if (want > micros)
        micros = uint32_t(want);
    } else {
      micros /= 2;
    }
    if (micros < kFloorMicros)
      micros = kFloorMicros < cap ? kFloorMicros : cap;
  }
};

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Waits until `value` differs from `old` and returns the new value: polls (if `spin`) for the
// budget's time — `budget` null: the cap — then sleeps on the value. Updates the budget.
template <class T>
T waitChange(std::atomic<T> &value, T old, bool spin, SpinBudget *budget = nullptr) {
  T now = value.load(std::memory_order_acquire);
  if (now != old)
    return now;
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  auto waited = [&] {
    return uint64_t(
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count());
  };
  // Pure pause-polling only for this long; then yield between looks (see the top).
  constexpr uint64_t kPauseMicros = 500;
  const uint64_t limit = spin ? (budget ? budget->micros : maxSpinMicros()) : 0;
  if (limit) {
    bool yielding = false;
    for (unsigned looks = 1;; ++looks) {
      if (yielding)
        sched_yield();
      else
        cpuRelax();
      now = value.load(std::memory_order_acquire);
      if (now != old) {
        if (budget)
          budget->update(waited());
        return now;
      }
      if (yielding || looks % 64 == 0) {
        uint64_t us = waited();
        if (us >= limit)
          break;
        yielding = us >= kPauseMicros;
      }
    }
  }
  for (;;) {
    value.wait(old, std::memory_order_acquire);
    now = value.load(std::memory_order_acquire);
    if (now != old) {
      if (budget && spin)
        budget->update(waited());
      return now;
    }
  }
}

} // namespace parawasm::parallel
