// A num_threads(4) team (more threads than the machine's cores, on 2 cores) with master,
// barrier, critical, atomic and single; and num_threads(9).
#include "check.h"

static int run(int requested) {
  int team = 0, masterRuns = 0, singleRuns = 0, atomicCount = 0, criticalCount = 0, bad = 0;
  static int arrived[256];
#pragma omp parallel num_threads(requested)
  {
    int me = omp_get_thread_num();
#pragma omp master
    {
      team = omp_get_num_threads();
      masterRuns++;
    }
    __atomic_store_n(&arrived[me], requested, __ATOMIC_RELAXED);
#pragma omp barrier
    // After the barrier the master's write and every thread's arrival are visible.
    if (team != omp_get_num_threads())
      __atomic_fetch_add(&bad, 1, __ATOMIC_RELAXED);
    for (int t = 0; t < omp_get_num_threads(); t++)
      if (__atomic_load_n(&arrived[t], __ATOMIC_RELAXED) != requested)
        __atomic_fetch_add(&bad, 1, __ATOMIC_RELAXED);
#pragma omp critical
    criticalCount += 10;
#pragma omp atomic
    atomicCount += 1;
#pragma omp single
    singleRuns++;
  }
  CHECK(teamOk(team, requested), "num_threads(%d) got %d threads", requested, team);
  CHECK(masterRuns == 1 && singleRuns == 1, "master ran %d times, single %d", masterRuns,
        singleRuns);
  CHECK(criticalCount == 10 * team && atomicCount == team, "critical %d atomic %d for %d",
        criticalCount, atomicCount, team);
  CHECK(bad == 0, "%d wrong observations after the barrier", bad);
  return team;
}

int main(void) {
  run(4);
  run(9);
  run(1);
  return finish("num_threads");
}
