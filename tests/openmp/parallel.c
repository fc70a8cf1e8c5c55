// `parallel`: every thread of the team runs the region once, thread numbers are 0..n-1, shared,
// private and firstprivate variables behave, and the region's end waits for every thread.
#include "check.h"

int main(void) {
  int seen[256] = {0};
  int team = 0, outside = omp_get_num_threads(), inParallel = -1, level = -1;
  int first = 42, shared = 0;
  CHECK(outside == 1, "outside a region the team is the initial thread alone, got %d", outside);
  CHECK(!omp_in_parallel(), "omp_in_parallel outside a region");
#pragma omp parallel firstprivate(first)
  {
    int me = omp_get_thread_num();
    int mine = me * 10; // private by construction
    first += me;        // each thread its own copy, starting at 42
    __atomic_fetch_add(&seen[me], 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&shared, 1, __ATOMIC_RELAXED);
    if (me == 0) {
      team = omp_get_num_threads();
      inParallel = omp_in_parallel();
      level = omp_get_level();
    }
    if (mine != me * 10 || first != 42 + me)
      __atomic_fetch_add(&shared, 1000, __ATOMIC_RELAXED);
  }
  CHECK(defaultTeamOk(team), "team of %d for max_threads %d", team, omp_get_max_threads());
  CHECK(shared == team, "%d threads ran the region, expected %d", shared, team);
  for (int t = 0; t < 256; t++)
    CHECK(seen[t] == (t < team), "thread %d ran the region %d times", t, seen[t]);
  CHECK(inParallel == (team > 1), "omp_in_parallel in a team of %d: %d", team, inParallel);
  CHECK(level == 1, "omp_get_level in a region: %d", level);
  CHECK(first == 42, "firstprivate changed the original: %d", first);

  // Many regions in a row reuse the team machinery (stacks, instances).
  long total = 0;
  for (int r = 0; r < 200; r++) {
#pragma omp parallel reduction(+ : total)
    total += omp_get_thread_num() + 1;
  }
  CHECK(total == 200L * team * (team + 1) / 2, "200 regions summed to %ld", total);

  // if(0) runs the region serialized on the encountering thread.
  int serialTeam = -1, serialLevel = -1;
#pragma omp parallel if (0)
  {
    serialTeam = omp_get_num_threads();
    serialLevel = omp_get_level();
  }
  CHECK(serialTeam == 1 && serialLevel == 1, "parallel if(0): team %d level %d", serialTeam,
        serialLevel);

  // A region with a deep frame on every member's own stack.
  long sums[256] = {0};
#pragma omp parallel
  {
    volatile char frame[64 * 1024];
    for (int i = 0; i < (int)sizeof frame; i++)
      frame[i] = (char)(i + omp_get_thread_num());
    long s = 0;
    for (int i = 0; i < (int)sizeof frame; i++)
      s += frame[i];
    sums[omp_get_thread_num()] = s;
  }
  for (int t = 0; t < team; t++) {
    long expect = 0;
    for (int i = 0; i < 64 * 1024; i++)
      expect += (char)(i + t);
    CHECK(sums[t] == expect, "thread %d's stack frame was overwritten", t);
  }
  return finish("parallel");
}
