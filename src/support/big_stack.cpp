#include "support/big_stack.h"

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

} // namespace parawasm::support
