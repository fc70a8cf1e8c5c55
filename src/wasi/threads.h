// wasi-threads: `wasi` `thread-spawn(start_arg) -> tid`. Each thread runs the module's exported
// `wasi_thread_start(tid, start_arg)` in its own sibling instance of the caller's module (shared
// memories and imports, its own globals and tables, runtime::SiblingState::Initial) on a guest
// thread (runtime/guest_thread.h). A proc_exit or trap in a spawned thread ends the program
// through the group's end handler.
#pragma once

#include "parawasm/types.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

namespace parawasm::runtime {
class InstanceObject;
}

namespace parawasm::wasi {

class ThreadGroup : public std::enable_shared_from_this<ThreadGroup> {
public:
  // The largest thread id the wasi-threads spec allows; ids are never reused.
  static constexpr int32_t kMaxTid = 0x1FFFFFFF;
  // Called once, on the failing thread, with the first proc_exit (exitStatus set) or trap of a
  // spawned thread (its message names the thread). It must end the program: it may not return.
  using EndHandler = std::function<void(const Error &)>;

  explicit ThreadGroup(EndHandler onEnd);

  // thread-spawn: a new thread id (1, 2, ...), or -1 when the caller's module cannot run threads
  // (no exported wasi_thread_start of type [i32 i32] -> [], no shared memory 0), the ids are
  // used up, or the instance or OS thread cannot be made.
  int32_t spawn(runtime::InstanceObject *caller, uint32_t startArg);
  // Waits up to `grace` for the spawned threads to return; the number still running.
  unsigned finish(std::chrono::milliseconds grace);

private:
  struct Thread;
  static void *threadMain(void *arg);
  void ended(int32_t tid, std::optional<Error> error);

  EndHandler onEnd_;
  std::mutex mutex_;
  std::condition_variable idle_;
  int32_t lastTid_ = 0;
  unsigned running_ = 0;
  bool ending_ = false;
};

// The default end handler: what Wasmtime does, ending the process. A proc_exit(n) exits with
// status n; a trap prints "Error: <message>" on stderr and exits with status 1.
[[noreturn]] void exitProcessFor(const Error &error);

} // namespace parawasm::wasi
