// The omp_* routines of the parawasm OpenMP runtime (sdk/include/omp.h).
#include "omp_internal.h"

#include <omp.h>
#include <time.h>

void omp_set_num_threads(int n) {
  if (n > 0)
    wpSelf()->nthreadsVar = n > wpSettings.threadLimit ? wpSettings.threadLimit : n;
}

int omp_get_num_threads(void) { return wpSelf()->team->nthreads; }
int omp_get_max_threads(void) { return wpSelf()->nthreadsVar; }
int omp_get_thread_num(void) { return wpSelf()->tid; }
int omp_in_parallel(void) { return wpSelf()->activeLevel > 0; }
int omp_get_level(void) { return wpSelf()->level; }
int omp_get_active_level(void) { return wpSelf()->activeLevel; }
int omp_get_thread_limit(void) {
  wpInit();
  return wpSettings.threadLimit;
}

// What the host says its CPU device runs at once; OMP_NUM_THREADS does not change it.
int omp_get_num_procs(void) {
  wpInit();
  return wpSettings.deviceThreads;
}

// The thread's ancestor at `level` (0 = the initial thread), walking up the encountering threads.
static WpThread *ancestor(int level) {
  WpThread *t = wpSelf();
  if (level < 0 || level > t->level)
    return NULL;
  while (t->level > level)
    t = t->parent;
  return t;
}

int omp_get_ancestor_thread_num(int level) {
  WpThread *t = ancestor(level);
  return t ? t->tid : -1;
}

int omp_get_team_size(int level) {
  WpThread *t = ancestor(level);
  return t ? t->team->nthreads : -1;
}

void omp_set_dynamic(int dynamic) {
  wpInit();
  wpSettings.dynamic = dynamic != 0;
}

int omp_get_dynamic(void) {
  wpInit();
  return wpSettings.dynamic;
}

// Only the outermost region gets a team; deeper ones always run as a team of one.
void omp_set_nested(int nested) { (void)nested; }
int omp_get_nested(void) { return 0; }
void omp_set_max_active_levels(int levels) {
  wpInit();
  if (levels >= 0)
    wpSettings.maxActiveLevels = levels > 1 ? 1 : levels;
}
int omp_get_max_active_levels(void) {
  wpInit();
  return wpSettings.maxActiveLevels;
}
int omp_get_supported_active_levels(void) { return 1; }

void omp_set_schedule(omp_sched_t kind, int chunk) {
  wpInit();
  int monotonic = (kind & omp_sched_monotonic) != 0;
  kind = (omp_sched_t)(kind & ~omp_sched_monotonic);
  if (kind < omp_sched_static || kind > omp_sched_auto)
    return;
  wpSettings.runSchedKind = kind == omp_sched_auto ? WpSchedStatic : (int32_t)kind;
  wpSettings.runSchedChunk = chunk > 0 ? chunk : 0;
  wpSettings.runSchedMonotonic = monotonic;
}

void omp_get_schedule(omp_sched_t *kind, int *chunk) {
  wpInit();
  *kind = (omp_sched_t)(wpSettings.runSchedKind |
                        (wpSettings.runSchedMonotonic ? omp_sched_monotonic : 0));
  *chunk = wpSettings.runSchedChunk;
}

omp_proc_bind_t omp_get_proc_bind(void) { return omp_proc_bind_false; }
int omp_get_cancellation(void) { return 0; }
int omp_in_final(void) { return 0; }

int omp_get_num_devices(void) { return 0; }
int omp_get_default_device(void) { return 0; }
void omp_set_default_device(int device) { (void)device; }
int omp_is_initial_device(void) { return 1; }
int omp_get_initial_device(void) { return 0; }
int omp_get_device_num(void) { return 0; }

// ---- locks -----------------------------------------------------------------------------------

#define LOCK_WORD(lock) ((_Atomic int32_t *)&(lock)->_state)

void omp_init_lock(omp_lock_t *lock) { atomic_store(LOCK_WORD(lock), 0); }
void omp_init_lock_with_hint(omp_lock_t *lock, omp_sync_hint_t hint) {
  (void)hint;
  omp_init_lock(lock);
}
void omp_destroy_lock(omp_lock_t *lock) { (void)lock; }
void omp_set_lock(omp_lock_t *lock) { wpLock(LOCK_WORD(lock)); }
void omp_unset_lock(omp_lock_t *lock) { wpUnlock(LOCK_WORD(lock)); }
int omp_test_lock(omp_lock_t *lock) { return wpTryLock(LOCK_WORD(lock)); }

// A nested lock's owner is the holder's gtid: unique among the threads running at once, and
// the same in a serialized region inside a team member as in the member itself.
void omp_init_nest_lock(omp_nest_lock_t *lock) {
  lock->_owner = -1;
  lock->_count = 0;
  atomic_store(LOCK_WORD(lock), 0);
}
void omp_init_nest_lock_with_hint(omp_nest_lock_t *lock, omp_sync_hint_t hint) {
  (void)hint;
  omp_init_nest_lock(lock);
}
void omp_destroy_nest_lock(omp_nest_lock_t *lock) { (void)lock; }

void omp_set_nest_lock(omp_nest_lock_t *lock) {
  int32_t me = wpSelf()->gtid;
  if (atomic_load(LOCK_WORD(lock)) && lock->_owner == me) {
    lock->_count++;
    return;
  }
  wpLock(LOCK_WORD(lock));
  lock->_owner = me;
  lock->_count = 1;
}

void omp_unset_nest_lock(omp_nest_lock_t *lock) {
  if (--lock->_count == 0) {
    lock->_owner = -1;
    wpUnlock(LOCK_WORD(lock));
  }
}

int omp_test_nest_lock(omp_nest_lock_t *lock) {
  int32_t me = wpSelf()->gtid;
  if (atomic_load(LOCK_WORD(lock)) && lock->_owner == me)
    return ++lock->_count;
  if (!wpTryLock(LOCK_WORD(lock)))
    return 0;
  lock->_owner = me;
  lock->_count = 1;
  return 1;
}

// ---- time ------------------------------------------------------------------------------------

double omp_get_wtime(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1.0e-9 * (double)ts.tv_nsec;
}

double omp_get_wtick(void) {
  struct timespec ts;
  if (clock_getres(CLOCK_MONOTONIC, &ts) != 0 || (ts.tv_sec == 0 && ts.tv_nsec == 0))
    return 1.0e-9;
  return (double)ts.tv_sec + 1.0e-9 * (double)ts.tv_nsec;
}
