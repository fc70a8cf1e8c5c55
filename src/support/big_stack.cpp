#include "support/big_stack.h"

#include <cstdint>
#include <pthread.h>

namespace parawasm::support {
namespace {

void *trampoline(void *arg) {
  (*static_cast<const std::function<void()> *>(arg))();
  return nullptr;
}

} // namespace

void runWithStack(size_t stackBytes, const std::function<void()> &work) {
  pthread_attr_t attr;
  pthread_t thread;
  bool started =
      pthread_attr_init(&attr) == 0 && pthread_attr_setstacksize(&attr, stackBytes) == 0 &&
      pthread_create(&thread, &attr, trampoline, const_cast<std::function<void()> *>(&work)) == 0;
  pthread_attr_destroy(&attr);
  if (!started) {
    work();
    return;
  }
  pthread_join(thread, nullptr);
}

size_t stackLeft() {
  thread_local const uintptr_t low = [] {
    pthread_attr_t attr;
    void *addr = nullptr;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
      return uintptr_t(0);
    if (pthread_attr_getstack(&attr, &addr, &size) != 0)
      addr = nullptr;
    pthread_attr_destroy(&attr);
    return uintptr_t(addr);
  }();
  auto frame = uintptr_t(__builtin_frame_address(0));
  if (!low || frame < low)
    return SIZE_MAX;
  return frame - low;
}

void runWithStackLeft(size_t needed, const std::function<void()> &work) {
  if (stackLeft() >= needed)
    work();
  else
    runWithStack(kCompileStackBytes, work);
}

} // namespace parawasm::support
