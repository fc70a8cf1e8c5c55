// libc in parallel regions: malloc/calloc/realloc/free and printf from every thread at once
// must neither corrupt the heap nor interleave within a line.
#include "check.h"

#include <string.h>

int main(void) {
  int corrupt = 0;
#pragma omp parallel
  {
    int me = omp_get_thread_num();
    for (int round = 0; round < 200; round++) {
      size_t n = 16 + (size_t)((round * 37 + me * 101) % 2000);
      unsigned char *p = malloc(n);
      unsigned char *q = calloc(n, 1);
      if (!p || !q) {
        __atomic_fetch_add(&corrupt, 1, __ATOMIC_RELAXED);
        continue;
      }
      memset(p, me + 1, n);
      p = realloc(p, n * 2);
      memset(p + n, me + 1, n);
      for (size_t i = 0; i < 2 * n; i++)
        if (p[i] != (unsigned char)(me + 1)) {
          __atomic_fetch_add(&corrupt, 1, __ATOMIC_RELAXED);
          break;
        }
      for (size_t i = 0; i < n; i++)
        if (q[i]) {
          __atomic_fetch_add(&corrupt, 1, __ATOMIC_RELAXED);
          break;
        }
      free(p);
      free(q);
    }
    void *aligned = aligned_alloc(64, 256);
    if (!aligned || ((unsigned long)aligned & 63))
      __atomic_fetch_add(&corrupt, 1, __ATOMIC_RELAXED);
    free(aligned);
    // Lines on stderr must come out whole (the test's stdout is compared).
    for (int i = 0; i < 20; i++)
      fprintf(stderr, "libc: thread %d line %d of 20 ...........................\n", me, i);
  }
  CHECK(corrupt == 0, "%d allocations came back corrupted", corrupt);
  // The heap is still usable afterwards.
  char *big = malloc(1 << 20);
  CHECK(big != NULL, "malloc after the regions failed");
  free(big);
  return finish("libc");
}
