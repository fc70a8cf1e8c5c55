// Nested parallel regions: only one level is active (max-active-levels is 1), so a region inside
// an active one runs serialized: its team is the encountering thread alone, at level 2, and the
// ancestor queries see the outer team. Inside an inactive region (a team of one) the inner region
// is the first active one and gets its team.
#include "check.h"

int main(void) {
  int outerTeam = 0, innerBad = 0, innerThreads = 0, innerTeam = 0;
#pragma omp parallel
  {
    int outerMe = omp_get_thread_num();
#pragma omp master
    outerTeam = omp_get_num_threads();
#pragma omp barrier
#pragma omp parallel num_threads(4)
    {
      __atomic_fetch_add(&innerThreads, 1, __ATOMIC_RELAXED);
      int n = omp_get_num_threads();
      if (omp_get_thread_num() == 0)
        __atomic_store_n(&innerTeam, n, __ATOMIC_RELAXED);
      int expectTeam = outerTeam > 1 ? n == 1 : teamOk(n, 4);
      if (!expectTeam || omp_get_level() != 2 ||
          omp_get_active_level() != (outerTeam > 1 || n > 1) ||
          omp_get_ancestor_thread_num(1) != outerMe || omp_get_ancestor_thread_num(0) != 0 ||
          omp_get_team_size(1) != outerTeam)
        __atomic_fetch_add(&innerBad, 1, __ATOMIC_RELAXED);
    }
  }
  CHECK(defaultTeamOk(outerTeam), "outer team of %d", outerTeam);
  if (outerTeam > 1)
    CHECK(innerThreads == outerTeam, "%d inner threads for %d outer threads (serialized)",
          innerThreads, outerTeam);
  else
    CHECK(innerThreads == innerTeam && teamOk(innerTeam, 4),
          "inside a team of one the inner region got %d threads", innerThreads);
  CHECK(innerBad == 0, "%d inner threads saw a wrong team", innerBad);

  // A serialized inner loop shares out all its iterations to its one thread.
  int bad = 0;
#pragma omp parallel reduction(+ : bad)
  {
#pragma omp parallel
    {
      int seen[10] = {0};
      if (omp_get_num_threads() == 1) {
#pragma omp for schedule(dynamic)
        for (int i = 0; i < 10; i++)
          seen[i]++;
        for (int i = 0; i < 10; i++)
          bad += seen[i] != 1;
      }
    }
  }
  CHECK(bad == 0, "%d iterations of serialized inner loops wrong", bad);
  return finish("nested");
}
