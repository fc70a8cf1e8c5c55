// The generic atomic libcalls clang emits for objects no Wasm atomic instruction covers (e.g.
// `#pragma omp atomic` on a long double or a struct): __atomic_load, __atomic_store,
// __atomic_exchange and __atomic_compare_exchange (GCC's libatomic ABI). Each address hashes to
// one of a few spinlocks. Objects of 1, 2, 4 and 8 bytes never come here: clang uses the
// Wasm atomic instructions for them (the drivers always pass -matomics).
#include "omp_internal.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define WP_ATOMIC_LOCKS 64
static _Atomic int32_t atomicLocks[WP_ATOMIC_LOCKS];

static _Atomic int32_t *lockFor(const void *p) {
  uintptr_t a = (uintptr_t)p >> 4;
  return &atomicLocks[(a ^ (a >> 6)) % WP_ATOMIC_LOCKS];
}

// clang treats __atomic_* as builtins and refuses to define them by name: the asm labels give
// the definitions their libcall names.
void wpAtomicLoad(size_t size, void *src, void *ret, int order) __asm__("__atomic_load");
void wpAtomicStore(size_t size, void *dst, void *val, int order) __asm__("__atomic_store");
void wpAtomicExchange(size_t size, void *ptr, void *val, void *ret,
                      int order) __asm__("__atomic_exchange");
bool wpAtomicCompareExchange(size_t size, void *ptr, void *expected, void *desired, int success,
                             int failure) __asm__("__atomic_compare_exchange");

void wpAtomicLoad(size_t size, void *src, void *ret, int order) {
  (void)order;
  _Atomic int32_t *lock = lockFor(src);
  wpLock(lock);
  memcpy(ret, src, size);
  wpUnlock(lock);
}

void wpAtomicStore(size_t size, void *dst, void *val, int order) {
  (void)order;
  _Atomic int32_t *lock = lockFor(dst);
  wpLock(lock);
  memcpy(dst, val, size);
  wpUnlock(lock);
}

void wpAtomicExchange(size_t size, void *ptr, void *val, void *ret, int order) {
  (void)order;
  _Atomic int32_t *lock = lockFor(ptr);
  wpLock(lock);
  memcpy(ret, ptr, size);
  memcpy(ptr, val, size);
  wpUnlock(lock);
}

bool wpAtomicCompareExchange(size_t size, void *ptr, void *expected, void *desired, int success,
                             int failure) {
  (void)success, (void)failure;
  _Atomic int32_t *lock = lockFor(ptr);
  wpLock(lock);
  bool equal = memcmp(ptr, expected, size) == 0;
  if (equal)
    memcpy(ptr, desired, size);
  else
    memcpy(expected, ptr, size);
  wpUnlock(lock);
  return equal;
}
