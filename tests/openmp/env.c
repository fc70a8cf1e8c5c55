// Environment variables and the routines that read and set the same settings: OMP_NUM_THREADS,
// OMP_SCHEDULE, omp_set_num_threads, num_threads(), omp_get_wtime/wtick.
#include "check.h"

#include <string.h>

static int teamSize(void) {
  int n = 0;
#pragma omp parallel
#pragma omp master
  n = omp_get_num_threads();
  return n;
}

int main(void) {
  const char *env = getenv("OMP_NUM_THREADS");
  int max = omp_get_max_threads();
  if (env)
    CHECK(max == atoi(env), "OMP_NUM_THREADS=%s but omp_get_max_threads() = %d", env, max);
  CHECK(max >= 1, "omp_get_max_threads() = %d", max);
  CHECK(omp_get_num_procs() >= 1, "omp_get_num_procs() = %d", omp_get_num_procs());
  CHECK(teamOk(teamSize(), max), "a plain region got %d threads, max_threads %d", teamSize(), max);

  omp_set_num_threads(3);
  CHECK(omp_get_max_threads() == 3, "after omp_set_num_threads(3): %d", omp_get_max_threads());
  CHECK(teamOk(teamSize(), 3), "after omp_set_num_threads(3) a region got %d", teamSize());
  int clause = 0;
#pragma omp parallel num_threads(2)
#pragma omp single
  clause = omp_get_num_threads();
  CHECK(teamOk(clause, 2), "num_threads(2) got %d", clause);
  CHECK(teamOk(teamSize(), 3), "num_threads(2) changed the next region: %d", teamSize());
  omp_set_num_threads(max);

  const char *sched = getenv("OMP_SCHEDULE");
  omp_sched_t kind;
  int chunk;
  omp_get_schedule(&kind, &chunk);
  if (sched && !strcmp(sched, "guided,7"))
    CHECK(kind == omp_sched_guided && chunk == 7, "OMP_SCHEDULE=%s: kind %d chunk %d", sched,
          (int)kind, chunk);
  omp_set_schedule(omp_sched_dynamic, 3);
  omp_sched_t setKind;
  int setChunk;
  omp_get_schedule(&setKind, &setChunk);
  CHECK(setKind == omp_sched_dynamic && setChunk == 3, "omp_set_schedule: kind %d chunk %d",
        (int)setKind, setChunk);
  int hits[100] = {0};
#pragma omp parallel for schedule(runtime)
  for (int i = 0; i < 100; i++)
    __atomic_fetch_add(&hits[i], 1, __ATOMIC_RELAXED);
  int bad = 0;
  for (int i = 0; i < 100; i++)
    bad += hits[i] != 1;
  CHECK(bad == 0, "schedule(runtime) with OMP_SCHEDULE: %d iterations wrong", bad);

  double t0 = omp_get_wtime(), tick = omp_get_wtick();
  volatile double x = 0;
  for (int i = 0; i < 100000; i++)
    x = x + i;
  double t1 = omp_get_wtime();
  CHECK(t1 >= t0 && t0 > 0, "omp_get_wtime went from %f to %f", t0, t1);
  CHECK(tick > 0 && tick < 0.01, "omp_get_wtick() = %g", tick);
  return finish("env");
}
