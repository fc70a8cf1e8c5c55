// Threads that run guest code: wasi-parallel's workers and teams, wasi-threads threads.
#pragma once

#include <cstddef>
#include <pthread.h>

namespace parawasm::runtime {

// Guest code runs on these threads, so their stacks are as large as a main thread's.
constexpr size_t kGuestStackSize = 8u << 20;
constexpr size_t kGuestGuardSize = 64u << 10;

// Starts `main(arg)` on a new joinable thread with a kGuestStackSize stack and no asynchronous
// signals (they belong to the embedder's main thread); faults in guest code (SIGSEGV, SIGBUS,
// SIGFPE, SIGILL, SIGTRAP) are synchronous and still reach it. Returns pthread_create's result.
int startGuestThread(void *(*main)(void *), void *arg, pthread_t *thread);

} // namespace parawasm::runtime
