// A persistent pool of worker threads for the cpu device. A run() hands one task to every slot at
// once — slot 0 is the calling thread, slots 1..size-1 are workers — and returns when all of them
// have returned. Workers spin briefly after a run before they sleep, so back-to-back runs (a guest
// calling parallel_exec in a loop) start in well under a microsecond.
#pragma once

#include "parawasm/types.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <pthread.h>
#include <vector>

namespace parawasm::parallel {

class ThreadPool {
public:
  // Guest code runs on the workers, so their stacks are as large as a main thread's.
  static constexpr size_t kStackSize = 8u << 20;
  static constexpr size_t kGuardSize = 64u << 10;

  // A pool of `threads` slots (threads - 1 workers). Exhaustion error when a thread cannot be
  // created (the ones already made are stopped again).
  static Result<std::unique_ptr<ThreadPool>> create(unsigned threads);
  // The process's pool of that size, created on first use and shared while anyone holds it.
  static Result<std::shared_ptr<ThreadPool>> shared(unsigned threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  unsigned size() const { return unsigned(workers_.size()) + 1; }

  // Calls task(slot) for every slot in [0, size()) concurrently and waits for all. Runs from
  // different threads are serialised. `task` must not throw.
  template <class F> void run(F &&task) {
    run(
        [](void *arg, unsigned slot) { (*static_cast<std::remove_reference_t<F> *>(arg))(slot); },
        &task);
  }
  void run(void (*fn)(void *, unsigned), void *arg);

  // Number of worker threads alive in the whole process (for leak checks).
  static unsigned liveWorkers();

private:
  explicit ThreadPool() = default;
  struct Worker {
    ThreadPool *pool;
    unsigned slot;
    pthread_t thread;
  };
  static void *workerMain(void *arg);
  void workerLoop(unsigned slot);

  std::vector<std::unique_ptr<Worker>> workers_;
  std::mutex runMutex_;
  // The current task; published by the release increment of generation_.
  void (*fn_)(void *, unsigned) = nullptr;
  void *arg_ = nullptr;
  bool stopping_ = false;
  alignas(64) std::atomic<uint32_t> generation_{0};
  alignas(64) std::atomic<uint32_t> pending_{0};
};

} // namespace parawasm::parallel
