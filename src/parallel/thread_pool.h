// A persistent pool of worker threads for the cpu device. run() offers one task to every slot —
// slot 0 is the calling thread, slots 1..size-1 are workers — and returns when every slot that
// took it has finished.
//
// A worker joins a run only while the calling thread is still inside its own share of the task;
// once that returns the run is closed, and a worker that arrives late (descheduled on a busy
// machine) skips it instead of holding the caller up. So a task must be able to finish with
// slot 0 alone: the cpu device's runners take chunks from a shared counter until it is empty.
// Handing a run over costs one store the workers poll for, and per worker one compare-and-swap
// on that worker's own cache line (joining, or the caller closing it out) and one store when it
// is done: no lock, no allocation, no shared counter.
// Waiting threads spin adaptively (spin_wait.h): back-to-back runs (a guest calling
// parallel_exec in a loop) start in well under a microsecond, and an idle pool sleeps.
#pragma once

#include "parallel/spin_wait.h"
#include "parawasm/types.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <pthread.h>
#include <type_traits>
#include <vector>

namespace parawasm::parallel {

// Hardware threads this process may run on (its CPU affinity), at least 1.
unsigned hardwareThreads();

class ThreadPool {
public:
  // A pool of `threads` slots (threads - 1 workers). Exhaustion error when a thread cannot be
  // created (the ones already made are stopped again).
  static Result<std::unique_ptr<ThreadPool>> create(unsigned threads);
  // The process's pool of that size, created on first use and shared while anyone holds it.
  static Result<std::shared_ptr<ThreadPool>> shared(unsigned threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  unsigned size() const { return unsigned(workers_.size()) + 1; }

  // Calls task(0) on this thread and task(slot) on every worker that joins in time (see above);
  // returns when all calls have returned. Runs from different threads are serialised. `task`
  // must not throw.
  template <class F> void run(F &&task) {
    run([](void *arg, unsigned slot) { (*static_cast<std::remove_reference_t<F> *>(arg))(slot); },
        &task);
  }
  void run(void (*fn)(void *, unsigned), void *arg);

  // Number of worker threads alive in the whole process (for leak checks).
  static unsigned liveWorkers();
  // Whether idle threads poll before sleeping: only when every slot has a hardware thread, since
  // polling on an oversubscribed machine takes the core from the thread with work to do.
  bool spins() const { return spin_; }

private:
  ThreadPool() = default;
  // A worker's ticket is (run number << 2 | state) for the last run it took part in or was
  // closed out of; the run number is taken modulo 2^30.
  enum TicketState : uint32_t { kClosedOut = 0, kInside = 1, kDone = 2 };
  static constexpr uint32_t kRunMask = (uint32_t(1) << 30) - 1;
  struct alignas(64) Worker {
    ThreadPool *pool = nullptr;
    unsigned slot = 0;
    pthread_t thread{};
    SpinBudget budget; // how long this worker polls for the next run
    alignas(64) std::atomic<uint32_t> ticket{0};
  };
  static void *workerMain(void *arg);
  void workerLoop(Worker &self);

  std::vector<std::unique_ptr<Worker>> workers_;
  std::mutex runMutex_;
  // The current task; published by the release store of generation_.
  void (*fn_)(void *, unsigned) = nullptr;
  void *arg_ = nullptr;
  // Atomic although generation_ publishes it: a worker closed out of a run still reads it at its
  // next wake-up, with nothing ordering that read before the destructor's write.
  std::atomic<bool> stopping_{false};
  bool spin_ = true;
  SpinBudget callerBudget_;                         // how long run() polls for a worker to finish
  alignas(64) std::atomic<uint32_t> generation_{0}; // the run number; workers wait on it
};

// A team for table-index workers (and OpenMP regions on top of them). Unlike ThreadPool::run,
// every member runs, all at the same time, each on its own thread, so members may wait for each
// other (barriers). Member 0 is the calling thread. Threads are made as teams grow, up to
// kMaxMembers, and kept for later runs; they poll adaptively after a run when the team fits the
// hardware threads, then sleep (spin_wait.h).
class TeamPool {
public:
  static constexpr unsigned kMaxMembers = 256;

  TeamPool() = default;
  ~TeamPool();
  TeamPool(const TeamPool &) = delete;
  TeamPool &operator=(const TeamPool &) = delete;

  // Calls task(m) on its own thread for every m in [0, members), member 0 on this thread, and
  // returns when all have returned. Exhaustion when a thread cannot be made (nothing ran then).
  // Runs from different threads are serialised; a run from inside a member of this pool (a nested
  // team) gets a pool of its own for that run. `task` must not throw.
  template <class F> Result<void> run(unsigned members, F &&task) {
    return run(
        members,
        [](void *arg, unsigned m) { (*static_cast<std::remove_reference_t<F> *>(arg))(m); }, &task);
  }
  Result<void> run(unsigned members, void (*fn)(void *, unsigned), void *arg);

  // Threads made so far (for tests).
  unsigned threads() const;

private:
  struct Member {
    TeamPool *pool;
    unsigned slot;
    pthread_t thread;
    SpinBudget budget;                       // how long this member polls for the next run
    alignas(64) std::atomic<uint32_t> go{0}; // run number; the member waits on it
  };
  static void *memberMain(void *arg);
  void memberLoop(Member &self);
  Result<void> grow(unsigned threads);

  std::vector<std::unique_ptr<Member>> members_;
  mutable std::mutex runMutex_;
  void (*fn_)(void *, unsigned) = nullptr;
  void *arg_ = nullptr;
  uint32_t generation_ = 0;
  std::atomic<bool> spin_{true};
  std::atomic<bool> stopping_{false};
  SpinBudget callerBudget_; // how long run() polls for the last member to return
  alignas(64) std::atomic<uint32_t> remaining_{0};
};

} // namespace parawasm::parallel
