// Tasks and threadprivate variables.
//
// Tasks run undeferred: __kmpc_omp_task runs the task at once on the thread that creates it (an
// "included" task), so taskwait and taskgroup have nothing left to wait for and dependences
// between sibling tasks hold by creation order. That is a valid OpenMP schedule, but it gives no
// parallelism beyond the team's threads, and a task that waits for a sibling created after it
// would wait forever (docs/openmp.md).
//
// threadprivate: the drivers compile with -fnoopenmp-use-tls (Wasm without shared memory has no
// thread-local storage), so clang asks __kmpc_threadprivate_cached for each thread's copy.
#include "omp_internal.h"

#include <stdlib.h>
#include <string.h>

typedef int32_t (*WpTaskEntry)(int32_t gtid, void *task);

// The head of clang's kmp_task_t; the task's private data follows it.
typedef struct WpTask {
  void *shareds;
  WpTaskEntry routine;
  int32_t partId;
  WpTaskEntry destructors; // kmp_cmplrdata_t data1, when the destructors flag is set
} WpTask;

enum { WpTaskDestructors = 1 << 3 }; // kmp_tasking_flags_t.destructors_thunk

// Storage of a task: the flags, then the task (its size as clang computed it), then the shareds.
typedef struct WpTaskHeader {
  int32_t flags;
  int32_t padding[3]; // keeps the task 16-byte aligned, as malloc's blocks are
} WpTaskHeader;

static WpTask *taskOf(WpTaskHeader *h) { return (WpTask *)(h + 1); }
static WpTaskHeader *headerOf(WpTask *t) { return (WpTaskHeader *)t - 1; }

WpTask *__kmpc_omp_task_alloc(ident_t *loc, int32_t gtid, int32_t flags, size_t taskSize,
                              size_t sharedsSize, WpTaskEntry entry) {
  (void)loc, (void)gtid;
  size_t sharedsOffset = (taskSize + 15) & ~(size_t)15;
  WpTaskHeader *h = malloc(sizeof *h + sharedsOffset + sharedsSize);
  if (!h)
    wpFatal("out of memory for a task");
  memset(h, 0, sizeof *h + sharedsOffset);
  h->flags = flags;
  WpTask *task = taskOf(h);
  task->routine = entry;
  task->shareds = sharedsSize ? (char *)task + sharedsOffset : NULL;
  return task;
}

static void taskFinish(int32_t gtid, WpTask *task) {
  if (headerOf(task)->flags & WpTaskDestructors && task->destructors)
    task->destructors(gtid, task);
  free(headerOf(task));
}

int32_t __kmpc_omp_task(ident_t *loc, int32_t gtid, WpTask *task) {
  (void)loc;
  task->routine(gtid, task);
  taskFinish(gtid, task);
  return 0; // TASK_CURRENT_NOT_QUEUED
}

int32_t __kmpc_omp_task_with_deps(ident_t *loc, int32_t gtid, WpTask *task, int32_t ndeps,
                                  void *deps, int32_t ndepsNoalias, void *noaliasDeps) {
  (void)ndeps, (void)deps, (void)ndepsNoalias, (void)noaliasDeps;
  return __kmpc_omp_task(loc, gtid, task);
}

void __kmpc_omp_wait_deps(ident_t *loc, int32_t gtid, int32_t ndeps, void *deps,
                          int32_t ndepsNoalias, void *noaliasDeps) {
  (void)loc, (void)gtid, (void)ndeps, (void)deps, (void)ndepsNoalias, (void)noaliasDeps;
}

// `task if(0)`: clang runs the task's entry itself between these two.
void __kmpc_omp_task_begin_if0(ident_t *loc, int32_t gtid, WpTask *task) {
  (void)loc, (void)gtid, (void)task;
}

void __kmpc_omp_task_complete_if0(ident_t *loc, int32_t gtid, WpTask *task) {
  (void)loc;
  taskFinish(gtid, task);
}

int32_t __kmpc_omp_taskwait(ident_t *loc, int32_t gtid) {
  (void)loc, (void)gtid;
  return 0;
}

int32_t __kmpc_omp_taskyield(ident_t *loc, int32_t gtid, int32_t endPart) {
  (void)loc, (void)gtid, (void)endPart;
  return 0;
}

void __kmpc_taskgroup(ident_t *loc, int32_t gtid) { (void)loc, (void)gtid; }
void __kmpc_end_taskgroup(ident_t *loc, int32_t gtid) { (void)loc, (void)gtid; }

// taskloop: one task runs the whole range (*lb..*ub live in the task's private data).
void __kmpc_taskloop(ident_t *loc, int32_t gtid, WpTask *task, int32_t ifVal, uint64_t *lb,
                     uint64_t *ub, int64_t st, int32_t nogroup, int32_t sched, uint64_t grainsize,
                     void *taskDup) {
  (void)ifVal, (void)lb, (void)ub, (void)st, (void)nogroup, (void)sched, (void)grainsize,
      (void)taskDup;
  __kmpc_omp_task(loc, gtid, task);
}

// Each thread's copy of a threadprivate variable: the primary thread (gtid 0) uses the variable
// itself; every other thread gets a copy made at its first use, kept across regions in a table
// indexed by gtid that *cache holds for this variable.
void *__kmpc_threadprivate_cached(ident_t *loc, int32_t gtid, void *data, size_t size,
                                  void ***cache) {
  (void)loc;
  if (gtid == 0)
    return data;
  void **_Atomic *slot = (void **_Atomic *)cache;
  void **table = atomic_load(slot);
  if (!table) {
    void **fresh = calloc(WP_OMP_MAX_THREADS, sizeof(void *));
    if (!fresh)
      wpFatal("out of memory for a threadprivate table");
    void **expected = NULL;
    if (atomic_compare_exchange_strong(slot, &expected, fresh))
      table = fresh;
    else {
      free(fresh);
      table = expected;
    }
  }
  if (!table[gtid]) {
    void *copy = malloc(size ? size : 1);
    if (!copy)
      wpFatal("out of memory for a threadprivate copy");
    memcpy(copy, data, size);
    table[gtid] = copy;
  }
  return table[gtid];
}

void __kmpc_threadprivate_register(ident_t *loc, void *data, void *ctor, void *cctor, void *dtor) {
  (void)loc, (void)data, (void)ctor, (void)cctor, (void)dtor;
}

// Task reductions (taskloop reduction, taskgroup task_reduction): tasks run at once on the
// thread that creates them, so each task may combine straight into the shared variable: the
// "thread-private copy" handed out is the shared item itself. Exact while one thread creates the
// tasks of a reduction (taskloop in single or master, the usual shape); tasks of one reduction
// created by several threads at once would race (docs/openmp.md).
void *__kmpc_taskred_init(int32_t gtid, int32_t num, void *data) {
  (void)gtid, (void)num;
  return data;
}

void *__kmpc_task_reduction_init(int32_t gtid, int32_t num, void *data) {
  (void)gtid, (void)num;
  return data;
}

void *__kmpc_taskred_modifier_init(ident_t *loc, int32_t gtid, int32_t isWs, int32_t num,
                                   void *data) {
  (void)loc, (void)gtid, (void)isWs, (void)num;
  return data;
}

void *__kmpc_task_reduction_modifier_init(ident_t *loc, int32_t gtid, int32_t isWs, int32_t num,
                                          void *data) {
  (void)loc, (void)gtid, (void)isWs, (void)num;
  return data;
}

void __kmpc_task_reduction_modifier_fini(ident_t *loc, int32_t gtid, int32_t isWs) {
  (void)loc, (void)gtid, (void)isWs;
}

void *__kmpc_task_reduction_get_th_data(int32_t gtid, void *group, void *item) {
  (void)gtid, (void)group;
  return item;
}
