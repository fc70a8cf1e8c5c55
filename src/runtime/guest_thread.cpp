#include "runtime/guest_thread.h"

#include <csignal>
#include <initializer_list>

namespace parawasm::runtime {

int startGuestThread(void *(*main)(void *), void *arg, pthread_t *thread) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kGuestStackSize);
  pthread_attr_setguardsize(&attr, kGuestGuardSize);
  sigset_t all, previous;
  sigfillset(&all);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP})
    sigdelset(&all, sig);
  pthread_sigmask(SIG_BLOCK, &all, &previous);
  int failure = pthread_create(thread, &attr, main, arg);
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  pthread_attr_destroy(&attr);
  return failure;
}

} // namespace parawasm::runtime
