// Nested parallel regions run serialized: the inner team is the encountering thread alone, at
// level 2, and the ancestor queries see the outer team.
#include "check.h"

int main(void) {
  int outerTeam = 0, innerBad = 0, innerRuns = 0;
#pragma omp parallel
  {
    int outerMe = omp_get_thread_num();
#pragma omp master
    outerTeam = omp_get_num_threads();
#pragma omp parallel num_threads(4)
    {
      __atomic_fetch_add(&innerRuns, 1, __ATOMIC_RELAXED);
      if (omp_get_num_threads() != 1 || omp_get_thread_num() != 0 || omp_get_level() != 2 ||
          omp_get_active_level() != (omp_get_team_size(1) > 1) ||
          omp_get_ancestor_thread_num(1) != outerMe || omp_get_ancestor_thread_num(0) != 0)
        __atomic_fetch_add(&innerBad, 1, __ATOMIC_RELAXED);
      // Worksharing and barriers in the inner team of one.
      int seen[10] = {0};
#pragma omp for schedule(dynamic)
      for (int i = 0; i < 10; i++)
        seen[i]++;
#pragma omp barrier
#pragma omp single
      for (int i = 0; i < 10; i++)
        if (seen[i] != 1)
          __atomic_fetch_add(&innerBad, 1, __ATOMIC_RELAXED);
    }
  }
  CHECK(defaultTeamOk(outerTeam), "outer team of %d", outerTeam);
  CHECK(innerRuns == outerTeam, "%d inner regions ran for %d outer threads", innerRuns, outerTeam);
  CHECK(innerBad == 0, "%d inner regions saw a wrong team", innerBad);
  return finish("nested");
}
