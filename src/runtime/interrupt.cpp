#include "runtime/interrupt.h"
#include "runtime/trap.h"
#include "support/address_ranges.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <pthread.h>
#include <thread>
#include <ucontext.h>
#include <utility>
#include <vector>

namespace parawasm::runtime {
namespace {

// One per thread that ever ran guest code; lives until the thread ends.
struct GuestThread {
  pthread_t thread = pthread_self();
  std::atomic<const InterruptFlag *> flag{nullptr};
};

// Threads and the flags being delivered. Never destroyed: threads may end while static
// destructors run.
struct Registry {
  std::mutex mutex;
  std::condition_variable wake;
  std::vector<GuestThread *> threads;
  std::vector<const InterruptFlag *> delivering;
  bool watchdogRunning = false;
};

Registry &registry() {
  static Registry *r = new Registry;
  return *r;
}

// How often the watchdog signals a thread that has not yet stopped: each signal that lands
// outside compiled code is lost, so it tries again.
constexpr auto kResignalInterval = std::chrono::milliseconds(2);

void watchdogMain() {
  Registry &r = registry();
  std::unique_lock lock(r.mutex);
  for (;;) {
    if (r.delivering.empty()) {
      r.wake.wait(lock);
      continue;
    }
    // A flag stays while some thread still runs under it (the thread's record holds it only
    // between callGuarded's entry and exit, so the flag is alive while it is found here).
    std::erase_if(r.delivering, [&](const InterruptFlag *flag) {
      bool found = false;
      for (GuestThread *t : r.threads)
        if (t->flag.load() == flag) {
          pthread_kill(t->thread, kInterruptSignal);
          found = true;
        }
      return !found;
    });
    r.wake.wait_for(lock, kResignalInterval);
  }
}

struct sigaction previousHandler;

void handleInterruptSignal(int sig, siginfo_t *info, void *ucontextRaw) {
  int savedErrno = errno;
  const InterruptFlag *flag = currentInterruptFlag();
  if (flag && flag->load(std::memory_order_relaxed) && inGuardedCall()) {
#if defined(__x86_64__)
    uintptr_t pc = uintptr_t(static_cast<ucontext_t *>(ucontextRaw)->uc_mcontext.gregs[REG_RIP]);
#else
    uintptr_t pc = 0;
#endif
    if (support::jitCodeRanges().contains(pc))
      raiseTrapFromSignal(TrapCode::Interrupted, pc, ucontextRaw);
  }
  // Not in compiled code: the host side stops at its next checkpoint. An embedder's own
  // handler still sees the signal.
  if (previousHandler.sa_flags & SA_SIGINFO) {
    if (previousHandler.sa_sigaction)
      previousHandler.sa_sigaction(sig, info, ucontextRaw);
  } else if (previousHandler.sa_handler != SIG_DFL && previousHandler.sa_handler != SIG_IGN) {
    previousHandler.sa_handler(sig);
  }
  errno = savedErrno;
}

void installHandler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    sa.sa_sigaction = handleInterruptSignal;
    // RESTART: host code blocked in a system call carries on; NODEFER: the handler leaves by
    // siglongjmp, which does not restore the mask (sigsetjmp(.., 0) in callGuarded); ONSTACK:
    // a guest deep in recursion may have no stack left for the handler.
    sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_NODEFER | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(kInterruptSignal, &sa, &previousHandler);
  });
}

// Registers the thread on first use, unregisters it when the thread ends.
struct ThisThread {
  GuestThread record;
  ThisThread() {
    installHandler();
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, kInterruptSignal);
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    Registry &r = registry();
    std::lock_guard lock(r.mutex);
    r.threads.push_back(&record);
  }
  ~ThisThread() {
    Registry &r = registry();
    std::lock_guard lock(r.mutex);
    std::erase(r.threads, &record);
  }
};

thread_local GuestThread *tlsThread = nullptr;

GuestThread &thisThread() {
  if (!tlsThread) {
    thread_local ThisThread self;
    tlsThread = &self.record;
  }
  return *tlsThread;
}

} // namespace

const InterruptFlag *currentInterruptFlag() {
  GuestThread *t = tlsThread;
  return t ? t->flag.load(std::memory_order_relaxed) : nullptr;
}

namespace {
thread_local bool tlsInterruptReported = false;
}

void noteInterruptReported() { tlsInterruptReported = true; }

bool interruptedAtHostReturn() {
  bool reported = std::exchange(tlsInterruptReported, false);
  const InterruptFlag *flag = currentInterruptFlag();
  return flag && flag->load() && !reported;
}

void raiseInterrupt(InterruptFlag &flag, bool signalCode) {
  flag.store(1);
  if (!signalCode)
    return;
  Registry &r = registry();
  std::lock_guard lock(r.mutex);
  if (std::find(r.delivering.begin(), r.delivering.end(), &flag) == r.delivering.end())
    r.delivering.push_back(&flag);
  if (!r.watchdogRunning) {
    std::thread(watchdogMain).detach();
    r.watchdogRunning = true;
  }
  r.wake.notify_one();
}

void clearInterrupt(InterruptFlag &flag) {
  flag.store(0);
  Registry &r = registry();
  std::lock_guard lock(r.mutex);
  std::erase(r.delivering, &flag);
}

InterruptScope::InterruptScope(const InterruptFlag *flag) : flag_(flag) {
  // Sequentially consistent with raiseInterrupt's store: either this thread sees the flag set
  // (interrupted()), or the watchdog sees this thread under the flag.
  previous_ = thisThread().flag.exchange(flag);
}

InterruptScope::~InterruptScope() { tlsThread->flag.store(previous_); }

} // namespace parawasm::runtime
