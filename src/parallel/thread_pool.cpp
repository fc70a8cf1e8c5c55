#include "parallel/thread_pool.h"

#include "runtime/guest_thread.h"
#include "support/try.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <sched.h>
#include <string>
#include <thread>

namespace parawasm::parallel {
uint32_t maxSpinMicros() {
  // Long enough to span the host code between two parallel_exec calls of a guest loop, short
  // enough that an idle pool stops polling at once as far as a person can tell.
  static const uint32_t micros = [] {
    const char *env = std::getenv("PARAWASM_SPIN_US");
    long us = env && *env ? std::atol(env) : 1000;
    return uint32_t(std::clamp<long>(us, 0, 1000000));
  }();
  return micros;
}

namespace {

std::atomic<unsigned> liveWorkerCount{0};

// The team pool whose member this thread is, if any (a run from there is a nested team).
thread_local const TeamPool *tlsTeam = nullptr;

} // namespace

unsigned ThreadPool::liveWorkers() { return liveWorkerCount.load(); }

unsigned hardwareThreads() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n > 0)
      return unsigned(n);
  }
  unsigned n = std::thread::hardware_concurrency();
  return n ? n : 1;
}

Result<std::unique_ptr<ThreadPool>> ThreadPool::create(unsigned threads) {
  std::unique_ptr<ThreadPool> pool(new ThreadPool());
  if (threads == 0)
    threads = 1;
  pool->spin_ = threads <= hardwareThreads();
  int failure = 0;
  for (unsigned slot = 1; slot < threads; ++slot) {
    auto w = std::make_unique<Worker>();
    w->pool = pool.get();
    w->slot = slot;
    failure = runtime::startGuestThread(&ThreadPool::workerMain, w.get(), &w->thread);
    if (failure)
      break;
    pool->workers_.push_back(std::move(w));
  }
  if (failure)
    return Error(ErrorKind::Exhaustion,
                 "cannot create worker thread " + std::to_string(pool->workers_.size() + 1) +
                     " of " + std::to_string(threads) + ": " + std::strerror(failure));
  return pool;
}

Result<std::shared_ptr<ThreadPool>> ThreadPool::shared(unsigned threads) {
  static std::mutex mutex;
  static std::map<unsigned, std::weak_ptr<ThreadPool>> pools;
  std::lock_guard lock(mutex);
  if (auto pool = pools[threads].lock())
    return pool;
  PW_TRY_ASSIGN(std::shared_ptr<ThreadPool> pool, create(threads));
  pools[threads] = pool;
  return pool;
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(runMutex_);
    stopping_.store(true, std::memory_order_relaxed);
    generation_.store(generation_.load(std::memory_order_relaxed) + 1, std::memory_order_release);
    generation_.notify_all();
  }
  for (auto &w : workers_)
    pthread_join(w->thread, nullptr);
}

void *ThreadPool::workerMain(void *arg) {
  auto *w = static_cast<Worker *>(arg);
  std::string name = "pw-worker-" + std::to_string(w->slot);
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
  liveWorkerCount.fetch_add(1);
  w->pool->workerLoop(*w);
  liveWorkerCount.fetch_sub(1);
  return nullptr;
}

void ThreadPool::workerLoop(Worker &self) {
  uint32_t seen = 0;
  for (;;) {
    seen = waitChange(generation_, seen, spin_, &self.budget);
    // The acquire load of generation_ made fn_, arg_ and stopping_ of run `seen` visible.
    if (stopping_.load(std::memory_order_relaxed))
      return;
    // Join run `seen` unless the caller has already closed us out of it. The ticket may also
    // belong to a later run (this thread was descheduled for a whole run): then skip, and look
    // at generation_ again.
    const uint32_t run = seen & kRunMask;
    uint32_t ticket = self.ticket.load(std::memory_order_acquire);
    uint32_t age = (run - (ticket >> 2)) & kRunMask;
    if (age == 0 || age > kRunMask / 2 ||
        !self.ticket.compare_exchange_strong(ticket, run << 2 | kInside, std::memory_order_acq_rel))
      continue;
    fn_(arg_, self.slot);
    self.ticket.store(run << 2 | kDone, std::memory_order_release);
    self.ticket.notify_one();
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
  const uint32_t generation = generation_.load(std::memory_order_relaxed) + 1;
  generation_.store(generation, std::memory_order_release);
  generation_.notify_all();
  fn(arg, 0);
  // Close the run: a worker that has not joined yet is closed out (it will skip the run), one
  // that has is waited for.
  const uint32_t run = generation & kRunMask;
  for (auto &w : workers_) {
    uint32_t ticket = w->ticket.load(std::memory_order_acquire);
    if ((ticket >> 2) != run &&
        w->ticket.compare_exchange_strong(ticket, run << 2 | kClosedOut, std::memory_order_acq_rel))
      continue;
    while (ticket != (run << 2 | kDone))
      ticket = waitChange(w->ticket, ticket, spin_, &callerBudget_);
  }
}

TeamPool::~TeamPool() {
  std::lock_guard lock(runMutex_);
  stopping_.store(true, std::memory_order_release);
  for (auto &m : members_) {
    m->go.fetch_add(1, std::memory_order_release);
    m->go.notify_one();
  }
  for (auto &m : members_)
    pthread_join(m->thread, nullptr);
}

unsigned TeamPool::threads() const {
  std::lock_guard lock(runMutex_);
  return unsigned(members_.size()) + 1;
}

void *TeamPool::memberMain(void *arg) {
  auto *m = static_cast<Member *>(arg);
  std::string name = "pw-team-" + std::to_string(m->slot);
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
  tlsTeam = m->pool;
  liveWorkerCount.fetch_add(1);
  m->pool->memberLoop(*m);
  liveWorkerCount.fetch_sub(1);
  return nullptr;
}

void TeamPool::memberLoop(Member &self) {
  uint32_t seen = 0;
  for (;;) {
    seen = waitChange(self.go, seen, spin_.load(std::memory_order_relaxed), &self.budget);
    // The acquire load of `go` made fn_, arg_ and stopping_ of this run visible.
    if (stopping_.load(std::memory_order_acquire))
      return;
    fn_(arg_, self.slot);
    if (remaining_.fetch_sub(1, std::memory_order_acq_rel) == 1)
      remaining_.notify_one();
  }
}

Result<void> TeamPool::grow(unsigned threads) {
  while (members_.size() + 1 < threads) {
    auto m = std::make_unique<Member>();
    m->pool = this;
    m->slot = unsigned(members_.size()) + 1;
    if (int failure = runtime::startGuestThread(&TeamPool::memberMain, m.get(), &m->thread))
      return Error(ErrorKind::Exhaustion, "cannot create team thread " + std::to_string(m->slot) +
                                              " of " + std::to_string(threads) + ": " +
                                              std::strerror(failure));
    members_.push_back(std::move(m));
  }
  return {};
}

Result<void> TeamPool::run(unsigned members, void (*fn)(void *, unsigned), void *arg) {
  if (members == 0)
    return {};
  if (members > kMaxMembers)
    return Error(ErrorKind::Exhaustion, "a team has at most " + std::to_string(kMaxMembers) +
                                            " members, " + std::to_string(members) +
                                            " were asked for");
  if (tlsTeam == this) {
    // A member starts a team of its own: waiting for this pool would wait for itself.
    TeamPool nested;
    return nested.run(members, fn, arg);
  }
  std::lock_guard lock(runMutex_);
  if (auto grown = grow(members); !grown)
    return grown;
  if (members == 1) {
    fn(arg, 0);
    return {};
  }
  // Read once: a syscall per run would be a good part of a small region's cost.
  static const unsigned hardware = hardwareThreads();
  const bool spin = members <= hardware;
  spin_.store(spin, std::memory_order_relaxed);
  fn_ = fn;
  arg_ = arg;
  remaining_.store(members - 1, std::memory_order_relaxed);
  ++generation_;
  for (unsigned m = 1; m < members; ++m) {
    Member &member = *members_[m - 1];
    member.go.store(generation_, std::memory_order_release);
    member.go.notify_one();
  }
  const TeamPool *outer = tlsTeam;
  tlsTeam = this;
  fn(arg, 0);
  tlsTeam = outer;
  for (uint32_t left = remaining_.load(std::memory_order_acquire); left != 0;)
    left = waitChange(remaining_, left, spin, &callerBudget_);
  return {};
}

} // namespace parawasm::parallel
