// `for` with every schedule: each iteration runs exactly once, on some thread, for loops of every
// index type, increments other than 1, and long sequences of nowait loops.
#include "check.h"

#include <string.h>

#define N 1000
static int hits[N];

static int allOnce(const char *what) {
  int bad = 0;
  for (int i = 0; i < N; i++)
    if (hits[i] != 1) {
      if (!bad)
        printf("FAIL %s: iteration %d ran %d times\n", what, i, hits[i]);
      bad++;
    }
  memset(hits, 0, sizeof hits);
  CHECK(bad == 0, "%s: %d iterations did not run exactly once", what, bad);
  return bad == 0;
}

#define HIT(i) __atomic_fetch_add(&hits[i], 1, __ATOMIC_RELAXED)

int main(void) {
#pragma omp parallel for
  for (int i = 0; i < N; i++)
    HIT(i);
  allOnce("default");
#pragma omp parallel for schedule(static)
  for (int i = 0; i < N; i++)
    HIT(i);
  allOnce("static");
#pragma omp parallel for schedule(static, 7)
  for (int i = 0; i < N; i++)
    HIT(i);
  allOnce("static,7");
#pragma omp parallel for schedule(dynamic)
  for (int i = 0; i < N; i++)
    HIT(i);
  allOnce("dynamic");
#pragma omp parallel for schedule(dynamic, 13)
  for (int i = 0; i < N; i++)
    HIT(i);
  allOnce("dynamic,13");
#pragma omp parallel for schedule(guided)
  for (int i = 0; i < N; i++)
    HIT(i);
  allOnce("guided");
#pragma omp parallel for schedule(guided, 5)
  for (int i = 0; i < N; i++)
    HIT(i);
  allOnce("guided,5");
#pragma omp parallel for schedule(auto)
  for (int i = 0; i < N; i++)
    HIT(i);
  allOnce("auto");
  omp_sched_t kinds[] = {omp_sched_static, omp_sched_dynamic, omp_sched_guided, omp_sched_auto};
  for (int k = 0; k < 4; k++) {
    omp_set_schedule(kinds[k], k * 3);
#pragma omp parallel for schedule(runtime)
    for (int i = 0; i < N; i++)
      HIT(i);
    allOnce("runtime");
  }

  // Index types and increments.
#pragma omp parallel for schedule(dynamic, 3)
  for (unsigned u = 0; u < N; u++)
    HIT(u);
  allOnce("unsigned");
#pragma omp parallel for schedule(static)
  for (long long i = N - 1; i >= 0; i--)
    HIT(i);
  allOnce("long long, downwards");
#pragma omp parallel for schedule(guided)
  for (unsigned long long i = 0; i < 2 * N; i += 2)
    HIT(i / 2);
  allOnce("unsigned long long, step 2");
#pragma omp parallel for schedule(static, 4)
  for (int i = 3 * N - 1; i >= 0; i -= 3)
    HIT(i / 3);
  allOnce("int, step -3, static chunks");
#pragma omp parallel for schedule(dynamic)
  for (int i = -N; i < 0; i++)
    HIT(i + N);
  allOnce("negative bounds");

  // Fewer iterations than threads, and none.
  int few = 0;
#pragma omp parallel for schedule(static) reduction(+ : few)
  for (int i = 0; i < 2; i++)
    few += i + 1;
  CHECK(few == 3, "2 iterations summed to %d", few);
  int none = 0;
#pragma omp parallel for schedule(dynamic) reduction(+ : none)
  for (int i = 0; i < 0; i++)
    none++;
  CHECK(none == 0, "an empty loop ran %d iterations", none);

  // 20 nowait dynamic loops in a row: threads run ahead through the dispatch buffers.
  static int rows[20][N];
#pragma omp parallel
  {
    for (int r = 0; r < 20; r++) {
#pragma omp for schedule(dynamic, 1) nowait
      for (int i = 0; i < N; i++)
        __atomic_fetch_add(&rows[r][i], 1, __ATOMIC_RELAXED);
    }
  }
  int bad = 0;
  for (int r = 0; r < 20; r++)
    for (int i = 0; i < N; i++)
      bad += rows[r][i] != 1;
  CHECK(bad == 0, "nowait loops: %d iterations did not run exactly once", bad);

  // lastprivate sees the last iteration's value.
  int last = -1;
#pragma omp parallel for schedule(dynamic, 7) lastprivate(last)
  for (int i = 0; i < N; i++)
    last = i;
  CHECK(last == N - 1, "lastprivate: %d", last);
  return finish("for_schedules");
}
