// omp_lock_t and omp_nest_lock_t: mutual exclusion, omp_test_lock, re-entry of nested locks.
#include "check.h"

int main(void) {
  omp_lock_t lock;
  omp_nest_lock_t nest;
  omp_init_lock(&lock);
  omp_init_nest_lock(&nest);
  long counter = 0, nested = 0;
  int tested = 0, depthOk = 1;
#pragma omp parallel
  {
    for (int i = 0; i < 1000; i++) {
      omp_set_lock(&lock);
      counter++;
      omp_unset_lock(&lock);
    }
    for (int i = 0; i < 300; i++) {
      omp_set_nest_lock(&nest);
      omp_set_nest_lock(&nest);
      int depth = omp_test_nest_lock(&nest); // the holder re-enters: depth 3
      if (depth != 3)
        depthOk = 0;
      nested++;
      omp_unset_nest_lock(&nest);
      omp_unset_nest_lock(&nest);
      omp_unset_nest_lock(&nest);
    }
    while (!omp_test_lock(&lock))
      ;
    tested++;
    omp_unset_lock(&lock);
  }
  int team = 0;
#pragma omp parallel
#pragma omp single
  team = omp_get_num_threads();
  CHECK(counter == 1000L * team, "lock-protected counter %ld for %d threads", counter, team);
  CHECK(nested == 300L * team, "nest-lock-protected counter %ld", nested);
  CHECK(depthOk, "omp_test_nest_lock by the holder did not return the nesting depth");
  CHECK(tested == team, "omp_test_lock loop: %d", tested);
  CHECK(omp_test_lock(&lock) == 1, "a free lock could not be taken");
  CHECK(omp_test_lock(&lock) == 0, "a held lock was taken again");
  omp_unset_lock(&lock);
  omp_destroy_lock(&lock);
  omp_destroy_nest_lock(&nest);
  return finish("locks");
}
