#include "parallel/thread_pool.h"

#include <chrono>
#include <csignal>
#include <cstring>
#include <map>
#include <string>

namespace parawasm::parallel {
namespace {

std::atomic<unsigned> liveWorkerCount{0};

// How long a thread polls before it sleeps on a futex. Long enough to span the host code between
// two parallel_exec calls of a guest loop, short enough not to burn a core when the guest is done.
constexpr auto kSpinTime = std::chrono::microseconds(100);

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Polls until `value` differs from `old`, then sleeps on it.
template <class T> T waitChange(std::atomic<T> &value, T old) {
  T now = value.load(std::memory_order_acquire);
  if (now != old) return now;
  auto until = std::chrono::steady_clock::now() + kSpinTime;
  for (unsigned spins = 1;; ++spins) {
    cpuRelax();
    now = value.load(std::memory_order_acquire);
    if (now != old) return now;
    if (spins % 64 == 0 && std::chrono::steady_clock::now() > until) break;
  }
  for (;;) {
    value.wait(old, std::memory_order_acquire);
    now = value.load(std::memory_order_acquire);
    if (now != old) return now;
  }
}

} // namespace

unsigned ThreadPool::liveWorkers() { return liveWorkerCount.load(); }

Result<std::unique_ptr<ThreadPool>> ThreadPool::create(unsigned threads) {
  std::unique_ptr<ThreadPool> pool(new ThreadPool());
  if (threads == 0) threads = 1;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kStackSize);
  pthread_attr_setguardsize(&attr, kGuardSize);
  // Workers take no asynchronous signals (they belong to the guest's main thread); faults in
  // guest code (SIGSEGV, SIGBUS, SIGFPE, SIGILL) are synchronous and still reach them.
  sigset_t all, previous;
  sigfillset(&all);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP}) sigdelset(&all, sig);
  pthread_sigmask(SIG_BLOCK, &all, &previous);
  int failure = 0;
  for (unsigned slot = 1; slot < threads; ++slot) {
    auto w = std::make_unique<Worker>();
    w->pool = pool.get();
    w->slot = slot;
    failure = pthread_create(&w->thread, &attr, &ThreadPool::workerMain, w.get());
    if (failure) break;
    pool->workers_.push_back(std::move(w));
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  pthread_attr_destroy(&attr);
  if (failure)
    return Error(ErrorKind::Exhaustion, "cannot create worker thread " +
                                            std::to_string(pool->workers_.size() + 1) + " of " +
                                            std::to_string(threads) + ": " +
                                            std::strerror(failure));
  return pool;
}

Result<std::shared_ptr<ThreadPool>> ThreadPool::shared(unsigned threads) {
  static std::mutex mutex;
  static std::map<unsigned, std::weak_ptr<ThreadPool>> pools;
  std::lock_guard lock(mutex);
  if (auto pool = pools[threads].lock()) return pool;
  auto made = create(threads);
  if (!made) return made.takeError();
  std::shared_ptr<ThreadPool> pool = std::move(*made);
  pools[threads] = pool;
  return pool;
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(runMutex_);
    stopping_ = true;
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
  }
  for (auto &w : workers_) pthread_join(w->thread, nullptr);
}

void *ThreadPool::workerMain(void *arg) {
  auto *w = static_cast<Worker *>(arg);
  std::string name = "pw-worker-" + std::to_string(w->slot);
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
  liveWorkerCount.fetch_add(1);
  w->pool->workerLoop(w->slot);
  liveWorkerCount.fetch_sub(1);
  return nullptr;
}

void ThreadPool::workerLoop(unsigned slot) {
  uint32_t seen = 0;
  for (;;) {
    seen = waitChange(generation_, seen);
    // The acquire load of generation_ made fn_, arg_ and stopping_ visible.
    if (stopping_) return;
    fn_(arg_, slot);
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) pending_.notify_one();
  }
}

void ThreadPool::run(void (*fn)(void *, unsigned), void *arg) {
  std::lock_guard lock(runMutex_);
  if (workers_.empty()) {
    fn(arg, 0);
    return;
  }
  fn_ = fn;
  arg_ = arg;
  pending_.store(uint32_t(workers_.size()), std::memory_order_relaxed);
  generation_.fetch_add(1, std::memory_order_release);
  generation_.notify_all();
  fn(arg, 0);
  for (uint32_t left = pending_.load(std::memory_order_acquire); left != 0;)
    left = waitChange(pending_, left);
}

} // namespace parawasm::parallel
