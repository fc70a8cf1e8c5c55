// Locked wrappers of the libc calls that OpenMP code makes inside parallel regions.
//
// wasi-libc is built for one thread: its heap (dlmalloc) and its FILE buffers have no locks, so
// two team members calling malloc or printf at once would corrupt them. The OpenMP drivers link
// with wasm-ld --wrap=NAME for every name in wrapped.txt, which sends every call of NAME in the
// program and in libc itself to __wrap_NAME here; __real_NAME is the libc function. The lock is
// recursive (libc's puts calls fputs, both wrapped) and taken only while a team runs, so serial
// code pays one load. What stays unsafe is listed in docs/openmp.md.
#include "omp_internal.h"

#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static _Atomic int32_t libcOwner = -1; // gtid of the holder, -1 when free
static int32_t libcDepth;

static int libcLock(void) {
  if (!atomic_load_explicit(&wpTeamActive, memory_order_relaxed))
    return 0;
  int32_t me = wpSelf()->gtid;
  if (atomic_load_explicit(&libcOwner, memory_order_relaxed) == me) {
    libcDepth++;
    return 1;
  }
  for (;;) {
    int32_t expected = -1;
    if (atomic_compare_exchange_weak_explicit(&libcOwner, &expected, me, memory_order_acquire,
                                              memory_order_relaxed))
      break;
    sched_yield();
  }
  libcDepth = 1;
  return 1;
}

static void libcUnlock(int locked) {
  if (locked && --libcDepth == 0)
    atomic_store_explicit(&libcOwner, -1, memory_order_release);
}

#define WRAP(ret, name, params, args)                                                              \
  ret __real_##name params;                                                                        \
  ret __wrap_##name params {                                                                       \
    int locked = libcLock();                                                                       \
    ret result = __real_##name args;                                                               \
    libcUnlock(locked);                                                                            \
    return result;                                                                                 \
  }

#define WRAP_VOID(name, params, args)                                                              \
  void __real_##name params;                                                                       \
  void __wrap_##name params {                                                                      \
    int locked = libcLock();                                                                       \
    __real_##name args;                                                                            \
    libcUnlock(locked);                                                                            \
  }

// The variadic ones call their v* twin's real function under the lock.
#define WRAP_VARIADIC(name, params, last, vcall)                                                   \
  int __wrap_##name params {                                                                       \
    va_list ap;                                                                                    \
    va_start(ap, last);                                                                            \
    int locked = libcLock();                                                                       \
    int result = vcall;                                                                            \
    libcUnlock(locked);                                                                            \
    va_end(ap);                                                                                    \
    return result;                                                                                 \
  }

WRAP(void *, malloc, (size_t size), (size))
WRAP(void *, calloc, (size_t n, size_t size), (n, size))
WRAP(void *, realloc, (void *p, size_t size), (p, size))
WRAP_VOID(free, (void *p), (p))
WRAP(int, posix_memalign, (void **p, size_t align, size_t size), (p, align, size))
WRAP(void *, aligned_alloc, (size_t align, size_t size), (align, size))

int __real_vfprintf(FILE *f, const char *format, va_list ap);
int __real_vfscanf(FILE *f, const char *format, va_list ap);
int __wrap_vprintf(const char *format, va_list ap) {
  int locked = libcLock();
  int result = __real_vfprintf(stdout, format, ap);
  libcUnlock(locked);
  return result;
}
int __wrap_vscanf(const char *format, va_list ap) {
  int locked = libcLock();
  int result = __real_vfscanf(stdin, format, ap);
  libcUnlock(locked);
  return result;
}
WRAP(int, vfprintf, (FILE * f, const char *format, va_list ap), (f, format, ap))
WRAP(int, vfscanf, (FILE * f, const char *format, va_list ap), (f, format, ap))
WRAP_VARIADIC(printf, (const char *format, ...), format, __real_vfprintf(stdout, format, ap))
WRAP_VARIADIC(fprintf, (FILE * f, const char *format, ...), format, __real_vfprintf(f, format, ap))
WRAP_VARIADIC(scanf, (const char *format, ...), format, __real_vfscanf(stdin, format, ap))
WRAP_VARIADIC(fscanf, (FILE * f, const char *format, ...), format, __real_vfscanf(f, format, ap))

WRAP(int, puts, (const char *s), (s))
WRAP(int, fputs, (const char *s, FILE *f), (s, f))
WRAP(int, putchar, (int c), (c))
WRAP(int, fputc, (int c, FILE *f), (c, f))
WRAP(int, putc, (int c, FILE *f), (c, f))
WRAP(size_t, fwrite, (const void *p, size_t size, size_t n, FILE *f), (p, size, n, f))
WRAP(int, fflush, (FILE * f), (f))
WRAP_VOID(perror, (const char *s), (s))
WRAP(FILE *, fopen, (const char *path, const char *mode), (path, mode))
WRAP(int, fclose, (FILE * f), (f))
WRAP(size_t, fread, (void *p, size_t size, size_t n, FILE *f), (p, size, n, f))
WRAP(char *, fgets, (char *s, int n, FILE *f), (s, n, f))
WRAP(int, fgetc, (FILE * f), (f))
WRAP(int, getc, (FILE * f), (f))
WRAP(int, getchar, (void), ())
WRAP(int, ungetc, (int c, FILE *f), (c, f))
WRAP(int, fseek, (FILE * f, long offset, int whence), (f, offset, whence))
WRAP(long, ftell, (FILE * f), (f))
WRAP_VOID(rewind, (FILE * f), (f))
WRAP(int, setvbuf, (FILE * f, char *buf, int mode, size_t size), (f, buf, mode, size))
