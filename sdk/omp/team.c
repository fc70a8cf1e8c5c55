// Parallel regions, barriers and the other team constructs of the parawasm OpenMP runtime: the
// __kmpc_* entry points clang emits for `parallel`, `barrier`, `single`, `master`/`masked`,
// `critical`, reductions, `flush` and `copyprivate`, and the environment read at start.
#include "omp_internal.h"

#define WASI_PARALLEL_NO_HELPERS
#include <wasi_parallel.h>

#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

WpSettings wpSettings;
_Atomic int32_t wpTeamActive;

static WpTeam wpInitialTeam;
static WpThread wpInitialThread;
static WpTeam wpTopTeam; // nested regions are serialized, so one active team at a time
static WpThread wpThreads[WP_OMP_MAX_THREADS];
// Top of each member's shadow stack, read by entry.s; 0 keeps the caller's stack (member 0: the
// encountering thread waits in parallel_for, so the stack below its frames is free).
uint32_t __wp_omp_stack_tops[WP_OMP_MAX_THREADS];
static int32_t wpTeamsUnavailable; // parallel_for said not_supported: stop asking

_Noreturn void wpFatal(const char *message) {
  fprintf(stderr, "OpenMP runtime: %s\n", message);
  fflush(stderr);
  __builtin_trap();
}

// ---- waiting ---------------------------------------------------------------------------------

// Busy polling keeps a hand-off within a microsecond when every thread has a core; yielding
// afterwards lets a team larger than the core count (num_threads(8) on 2 cores) make progress.
#define WP_SPIN_WAIT(cond)                                                                         \
  do {                                                                                             \
    int32_t spins_ = 0;                                                                            \
    while (!(cond)) {                                                                              \
      if (++spins_ > wpSettings.spinCount)                                                         \
        sched_yield();                                                                             \
    }                                                                                              \
  } while (0)

void wpWaitEqual32(_Atomic uint32_t *word, uint32_t value) {
  WP_SPIN_WAIT(atomic_load_explicit(word, memory_order_acquire) == value);
}

void wpWaitEqual64(_Atomic uint64_t *word, uint64_t value) {
  WP_SPIN_WAIT(atomic_load_explicit(word, memory_order_acquire) == value);
}

int wpTryLock(_Atomic int32_t *lock) {
  return atomic_load_explicit(lock, memory_order_relaxed) == 0 &&
         atomic_exchange_explicit(lock, 1, memory_order_acquire) == 0;
}

void wpLock(_Atomic int32_t *lock) {
  if (atomic_exchange_explicit(lock, 1, memory_order_acquire) == 0)
    return;
  WP_SPIN_WAIT(wpTryLock(lock));
}

void wpUnlock(_Atomic int32_t *lock) { atomic_store_explicit(lock, 0, memory_order_release); }

// ---- settings --------------------------------------------------------------------------------

static int parsePositive(const char *text, int32_t *out) {
  if (!text)
    return 0;
  while (*text == ' ')
    text++;
  char *end;
  long v = strtol(text, &end, 10);
  if (end == text || v < 1)
    return 0;
  *out = v > WP_OMP_MAX_THREADS * 1024 ? WP_OMP_MAX_THREADS * 1024 : (int32_t)v;
  return 1;
}

static int isTrue(const char *text) {
  return text && (!strcasecmp(text, "true") || !strcmp(text, "1") || !strcasecmp(text, "yes"));
}

// "[monotonic:|nonmonotonic:]static|dynamic|guided|auto[,chunk]"
static void parseSchedule(const char *text) {
  if (!text)
    return;
  if (!strncasecmp(text, "monotonic:", 10)) {
    wpSettings.runSchedMonotonic = 1;
    text += 10;
  } else if (!strncasecmp(text, "nonmonotonic:", 13)) {
    text += 13;
  }
  static const struct {
    const char *name;
    int32_t kind;
  } kinds[] = {{"static", WpSchedStatic},
               {"dynamic", WpSchedDynamic},
               {"guided", WpSchedGuided},
               {"auto", WpSchedStatic}};
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    size_t n = strlen(kinds[i].name);
    if (!strncasecmp(text, kinds[i].name, n) && (text[n] == 0 || text[n] == ',')) {
      wpSettings.runSchedKind = kinds[i].kind;
      wpSettings.runSchedChunk = 0;
      if (text[n] == ',' && !parsePositive(text + n + 1, &wpSettings.runSchedChunk))
        wpSettings.runSchedChunk = 0;
      return;
    }
  }
}

// "size[B|K|M|G]", kilobytes without a unit.
static void parseStackSize(const char *text) {
  if (!text)
    return;
  char *end;
  unsigned long long v = strtoull(text, &end, 10);
  if (end == text)
    return;
  while (*end == ' ')
    end++;
  switch (*end) {
  case 'b':
  case 'B':
    break;
  case 'm':
  case 'M':
    v <<= 20;
    break;
  case 'g':
  case 'G':
    v <<= 30;
    break;
  default:
    v <<= 10;
  }
  if (v < 16384)
    v = 16384;
  if (v > (1u << 30))
    v = 1u << 30;
  wpSettings.stackSize = (uint32_t)(v + 15) & ~15u;
}

static int32_t deviceThreads(void) {
  // The table-index generation numbers get_device's hints its own way (CPU = 0). A GPU device
  // could not run a team whose members wait for each other, so only the CPU is ever asked for.
  wp_device_t device;
  uint32_t threads = 0;
  if (wasi_parallel_get_device((wp_device_kind_t)WP_TABLE_INDEX_DEVICE_CPU, &device) !=
          WP_SUCCESS ||
      wasi_parallel_get_device_threads(device, &threads) != WP_SUCCESS || threads < 1)
    return 1;
  return threads > WP_OMP_MAX_THREADS ? WP_OMP_MAX_THREADS : (int32_t)threads;
}

static void teamInit(WpTeam *team, int32_t nthreads) {
  memset(team, 0, sizeof *team);
  team->nthreads = nthreads;
  for (uint32_t s = 0; s < WP_OMP_DISPATCH_BUFFERS; s++)
    atomic_init(&team->dispatch[s].loop, s);
}

static void threadInit(WpThread *t, WpTeam *team, int32_t tid, int32_t gtid, WpThread *parent) {
  memset(t, 0, sizeof *t);
  t->team = team;
  t->tid = tid;
  t->gtid = gtid;
  t->parent = parent;
  if (parent) {
    t->level = parent->level + 1;
    t->activeLevel = parent->activeLevel + (team->nthreads > 1);
    t->nthreadsVar = parent->nthreadsVar;
  }
}

void wpInit(void) {
  if (wpSettings.initialized)
    return;
  wpSettings.initialized = 1;
  wpSettings.threadLimit = WP_OMP_MAX_THREADS;
  parsePositive(getenv("OMP_THREAD_LIMIT"), &wpSettings.threadLimit);
  if (wpSettings.threadLimit > WP_OMP_MAX_THREADS)
    wpSettings.threadLimit = WP_OMP_MAX_THREADS;
  wpSettings.deviceThreads = deviceThreads();
  if (!parsePositive(getenv("OMP_NUM_THREADS"), &wpSettings.maxThreads))
    wpSettings.maxThreads = wpSettings.deviceThreads;
  if (wpSettings.maxThreads > wpSettings.threadLimit)
    wpSettings.maxThreads = wpSettings.threadLimit;
  wpSettings.dynamic = isTrue(getenv("OMP_DYNAMIC"));
  wpSettings.maxActiveLevels = 1;
  parsePositive(getenv("OMP_MAX_ACTIVE_LEVELS"), &wpSettings.maxActiveLevels);
  wpSettings.runSchedKind = WpSchedStatic;
  parseSchedule(getenv("OMP_SCHEDULE"));
  wpSettings.stackSize = 256 * 1024;
  parseStackSize(getenv("OMP_STACKSIZE"));
  const char *wait = getenv("OMP_WAIT_POLICY");
  wpSettings.spinCount = wait && !strcasecmp(wait, "passive") ? 0 : 4000;

  teamInit(&wpInitialTeam, 1);
  threadInit(&wpInitialThread, &wpInitialTeam, 0, 0, NULL);
  wpInitialThread.nthreadsVar = wpSettings.maxThreads;
}

WpThread *wpSelf(void) {
  WpThread *self = __wp_omp_self_get();
  if (__builtin_expect(self != NULL, 1))
    return self;
  wpInit();
  return &wpInitialThread;
}

// ---- parallel regions ------------------------------------------------------------------------

// Calls the outlined region with argc pointer arguments. clang passes __kmpc_fork_call's
// variadic part through a pointer to an argument block, but the outlined function takes real
// parameters and call_indirect checks the exact type: one case per count.
static void invoke(kmpc_micro fn, int32_t *gtid, int32_t *btid, int32_t argc, void **a) {
  typedef int32_t *I;
  typedef void *V;
  switch (argc) {
  case 0:
    ((void (*)(I, I))fn)(gtid, btid);
    return;
  case 1:
    ((void (*)(I, I, V))fn)(gtid, btid, a[0]);
    return;
  case 2:
    ((void (*)(I, I, V, V))fn)(gtid, btid, a[0], a[1]);
    return;
  case 3:
    ((void (*)(I, I, V, V, V))fn)(gtid, btid, a[0], a[1], a[2]);
    return;
  case 4:
    ((void (*)(I, I, V, V, V, V))fn)(gtid, btid, a[0], a[1], a[2], a[3]);
    return;
  case 5:
    ((void (*)(I, I, V, V, V, V, V))fn)(gtid, btid, a[0], a[1], a[2], a[3], a[4]);
    return;
  case 6:
    ((void (*)(I, I, V, V, V, V, V, V))fn)(gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5]);
    return;
  case 7:
    ((void (*)(I, I, V, V, V, V, V, V, V))fn)(gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    return;
  case 8:
    ((void (*)(I, I, V, V, V, V, V, V, V, V))fn)(gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5],
                                                 a[6], a[7]);
    return;
  case 9:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V))fn)(gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5],
                                                    a[6], a[7], a[8]);
    return;
  case 10:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V))fn)(gtid, btid, a[0], a[1], a[2], a[3], a[4],
                                                       a[5], a[6], a[7], a[8], a[9]);
    return;
  case 11:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V))fn)(gtid, btid, a[0], a[1], a[2], a[3], a[4],
                                                          a[5], a[6], a[7], a[8], a[9], a[10]);
    return;
  case 12:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V, V))fn)(
        gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11]);
    return;
  case 13:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V, V, V))fn)(gtid, btid, a[0], a[1], a[2], a[3],
                                                                a[4], a[5], a[6], a[7], a[8], a[9],
                                                                a[10], a[11], a[12]);
    return;
  case 14:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V, V, V, V))fn)(
        gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12],
        a[13]);
    return;
  case 15:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V))fn)(
        gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12],
        a[13], a[14]);
    return;
  case 16:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V))fn)(
        gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12],
        a[13], a[14], a[15]);
    return;
  case 17:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V))fn)(
        gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12],
        a[13], a[14], a[15], a[16]);
    return;
  case 18:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V))fn)(
        gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12],
        a[13], a[14], a[15], a[16], a[17]);
    return;
  case 19:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V))fn)(
        gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12],
        a[13], a[14], a[15], a[16], a[17], a[18]);
    return;
  case 20:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V))fn)(
        gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12],
        a[13], a[14], a[15], a[16], a[17], a[18], a[19]);
    return;
  case 21:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V))fn)(
        gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12],
        a[13], a[14], a[15], a[16], a[17], a[18], a[19], a[20]);
    return;
  case 22:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V))fn)(
        gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12],
        a[13], a[14], a[15], a[16], a[17], a[18], a[19], a[20], a[21]);
    return;
  case 23:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V))fn)(
        gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12],
        a[13], a[14], a[15], a[16], a[17], a[18], a[19], a[20], a[21], a[22]);
    return;
  case 24:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V))fn)(
        gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12],
        a[13], a[14], a[15], a[16], a[17], a[18], a[19], a[20], a[21], a[22], a[23]);
    return;
  case 25:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V))fn)(
        gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12],
        a[13], a[14], a[15], a[16], a[17], a[18], a[19], a[20], a[21], a[22], a[23], a[24]);
    return;
  case 26:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V,
               V))fn)(gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
                      a[11], a[12], a[13], a[14], a[15], a[16], a[17], a[18], a[19], a[20], a[21],
                      a[22], a[23], a[24], a[25]);
    return;
  case 27:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V,
               V))fn)(gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
                      a[11], a[12], a[13], a[14], a[15], a[16], a[17], a[18], a[19], a[20], a[21],
                      a[22], a[23], a[24], a[25], a[26]);
    return;
  case 28:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V,
               V, V))fn)(gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9],
                         a[10], a[11], a[12], a[13], a[14], a[15], a[16], a[17], a[18], a[19],
                         a[20], a[21], a[22], a[23], a[24], a[25], a[26], a[27]);
    return;
  case 29:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V,
               V, V, V))fn)(gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9],
                            a[10], a[11], a[12], a[13], a[14], a[15], a[16], a[17], a[18], a[19],
                            a[20], a[21], a[22], a[23], a[24], a[25], a[26], a[27], a[28]);
    return;
  case 30:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V,
               V, V, V, V))fn)(gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
                               a[9], a[10], a[11], a[12], a[13], a[14], a[15], a[16], a[17], a[18],
                               a[19], a[20], a[21], a[22], a[23], a[24], a[25], a[26], a[27], a[28],
                               a[29]);
    return;
  case 31:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V,
               V, V, V, V, V))fn)(gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
                                  a[9], a[10], a[11], a[12], a[13], a[14], a[15], a[16], a[17],
                                  a[18], a[19], a[20], a[21], a[22], a[23], a[24], a[25], a[26],
                                  a[27], a[28], a[29], a[30]);
    return;
  case 32:
    ((void (*)(I, I, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V, V,
               V, V, V, V, V, V))fn)(gtid, btid, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7],
                                     a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15], a[16],
                                     a[17], a[18], a[19], a[20], a[21], a[22], a[23], a[24], a[25],
                                     a[26], a[27], a[28], a[29], a[30], a[31]);
    return;
  default:
    wpFatal("a parallel region captures more than 32 shared variables; group them in a struct");
  }
}

// Runs a region as a team of one on the calling thread: nested regions, num_threads(1), and
// hosts where no team can run.
static void runSerialized(WpThread *self, kmpc_micro fn, int32_t argc, void **args) {
  WpTeam team;
  WpThread thread;
  teamInit(&team, 1);
  threadInit(&thread, &team, 0, self->gtid, self);
  WpThread *saved = __wp_omp_self_get();
  __wp_omp_self_set(&thread);
  int32_t gtid = self->gtid, btid = 0;
  invoke(fn, &gtid, &btid, argc, args);
  __wp_omp_self_set(saved);
}

// A member's stack grows down into the heap below it, with nothing to stop it in Wasm: a canary
// at its lowest word, checked after every region, turns most overflows into a clear error.
#define WP_STACK_CANARY 0x57a0c4a2u

// Gives members 1..n-1 their shadow stacks (allocated once, reused); returns how many threads
// have one (all n unless memory ran out).
static int32_t provideStacks(int32_t n) {
  for (int32_t t = 1; t < n; t++) {
    if (__wp_omp_stack_tops[t])
      continue;
    char *stack = aligned_alloc(16, wpSettings.stackSize);
    if (!stack)
      return t;
    *(uint32_t *)stack = WP_STACK_CANARY;
    __wp_omp_stack_tops[t] = (uint32_t)(uintptr_t)(stack + wpSettings.stackSize);
  }
  return n;
}

static void checkStacks(int32_t n) {
  for (int32_t t = 1; t < n; t++) {
    if (*(uint32_t *)(uintptr_t)(__wp_omp_stack_tops[t] - wpSettings.stackSize) !=
        WP_STACK_CANARY) {
      fprintf(stderr,
              "OpenMP runtime: thread %d overflowed its %u-byte stack (set OMP_STACKSIZE)\n",
              (int)t, (unsigned)wpSettings.stackSize);
      wpFatal("stack overflow");
    }
  }
}

// Runs the region on a team of n threads through parallel_for; returns 0 when no team could
// run (the caller then runs it serialized).
static int runTeam(WpThread *self, kmpc_micro fn, int32_t argc, void **args, int32_t n) {
  n = provideStacks(n);
  if (n < 2)
    return 0;
  teamInit(&wpTopTeam, n);
  wpTopTeam.microtask = fn;
  wpTopTeam.argc = argc;
  wpTopTeam.args = args;
  for (int32_t t = 0; t < n; t++)
    threadInit(&wpThreads[t], &wpTopTeam, t, t, self);
  atomic_store(&wpTeamActive, 1);
  wp_errno_t rc = wasi_parallel_parallel_for(WP_WORKER(&__wp_omp_worker_entry), (uint32_t)n, 0,
                                             NULL, 0, NULL, 0);
  atomic_store(&wpTeamActive, 0);
  if (rc == WP_SUCCESS) {
    checkStacks(n);
    return 1;
  }
  if (rc == WP_ERR_KERNEL_TRAPPED)
    wpFatal("a thread of a parallel region trapped");
  if (rc == WP_ERR_NOT_SUPPORTED)
    wpTeamsUnavailable = 1;
  return 0;
}

// entry.s calls this on each member's own stack.
void __wp_omp_worker_body(int32_t tid, int32_t nthreads, int32_t blockSize) {
  (void)nthreads, (void)blockSize;
  WpThread *self = &wpThreads[tid];
  __wp_omp_self_set(self);
  WpTeam *team = self->team;
  int32_t gtid = tid, btid = tid;
  invoke(team->microtask, &gtid, &btid, team->argc, team->args);
}

void __kmpc_fork_call(ident_t *loc, int32_t argc, kmpc_micro fn, ...) {
  (void)loc;
  if (argc < 0 || argc > WP_OMP_MAX_ARGS)
    wpFatal("a parallel region captures more than 32 shared variables; group them in a struct");
  void *args[WP_OMP_MAX_ARGS];
  va_list ap;
  va_start(ap, fn);
  for (int32_t i = 0; i < argc; i++)
    args[i] = va_arg(ap, void *);
  va_end(ap);

  WpThread *self = wpSelf();
  int32_t n = self->pushedThreads ? self->pushedThreads : self->nthreadsVar;
  self->pushedThreads = 0;
  if (n > wpSettings.threadLimit)
    n = wpSettings.threadLimit;
  if (n > 1 && self->activeLevel == 0 && wpSettings.maxActiveLevels > 0 && !wpTeamsUnavailable &&
      runTeam(self, fn, argc, args, n))
    return;
  runSerialized(self, fn, argc, args);
}

void __kmpc_push_num_threads(ident_t *loc, int32_t gtid, int32_t nthreads) {
  (void)loc, (void)gtid;
  wpSelf()->pushedThreads = nthreads > 0 ? nthreads : 0;
}

void __kmpc_push_proc_bind(ident_t *loc, int32_t gtid, int32_t procBind) {
  (void)loc, (void)gtid, (void)procBind;
}

typedef struct WpSerial {
  WpThread thread; // first, so the thread's address is the allocation's
  WpTeam team;
} WpSerial;

// `parallel if(0)`: clang calls the outlined function itself between these two.
void __kmpc_serialized_parallel(ident_t *loc, int32_t gtid) {
  (void)loc, (void)gtid;
  WpThread *self = wpSelf();
  WpSerial *s = malloc(sizeof *s);
  if (!s)
    wpFatal("out of memory for a serialized parallel region");
  teamInit(&s->team, 1);
  threadInit(&s->thread, &s->team, 0, self->gtid, self);
  __wp_omp_self_set(&s->thread);
}

void __kmpc_end_serialized_parallel(ident_t *loc, int32_t gtid) {
  (void)loc, (void)gtid;
  WpThread *self = wpSelf();
  WpThread *parent = self->parent;
  if (!parent)
    wpFatal("__kmpc_end_serialized_parallel without __kmpc_serialized_parallel");
  __wp_omp_self_set(parent == &wpInitialThread ? NULL : parent);
  free((WpSerial *)self);
}

int32_t __kmpc_global_thread_num(ident_t *loc) {
  (void)loc;
  return wpSelf()->gtid;
}

int32_t __kmpc_global_num_threads(ident_t *loc) {
  (void)loc;
  WpThread *self = wpSelf();
  return self->activeLevel ? wpTopTeam.nthreads : 1;
}

int32_t __kmpc_bound_thread_num(ident_t *loc) {
  (void)loc;
  return wpSelf()->tid;
}

int32_t __kmpc_bound_num_threads(ident_t *loc) {
  (void)loc;
  return wpSelf()->team->nthreads;
}

int32_t __kmpc_in_parallel(ident_t *loc) {
  (void)loc;
  return wpSelf()->activeLevel > 0;
}

int32_t __kmpc_ok_to_fork(ident_t *loc) {
  (void)loc;
  return 1;
}

void __kmpc_begin(ident_t *loc, int32_t flags) { (void)loc, (void)flags; }
void __kmpc_end(ident_t *loc) { (void)loc; }

// ---- synchronisation -------------------------------------------------------------------------

// A centralised sense-reversing barrier: the last thread to arrive resets the count and flips
// the team's sense; the others wait for the flip.
void wpBarrier(WpThread *self) {
  WpTeam *team = self->team;
  uint32_t n = (uint32_t)team->nthreads;
  if (n == 1)
    return;
  uint32_t sense = self->barrierSense ^ 1;
  self->barrierSense = sense;
  if (atomic_fetch_add_explicit(&team->barrierArrived, 1, memory_order_acq_rel) == n - 1) {
    atomic_store_explicit(&team->barrierArrived, 0, memory_order_relaxed);
    atomic_store_explicit(&team->barrierSense, sense, memory_order_release);
  } else {
    wpWaitEqual32(&team->barrierSense, sense);
  }
}

void __kmpc_barrier(ident_t *loc, int32_t gtid) {
  (void)loc, (void)gtid;
  wpBarrier(wpSelf());
}

int32_t __kmpc_cancel_barrier(ident_t *loc, int32_t gtid) {
  (void)loc, (void)gtid;
  wpBarrier(wpSelf());
  return 0; // cancellation is never active (OMP_CANCELLATION is not supported)
}

int32_t __kmpc_cancel(ident_t *loc, int32_t gtid, int32_t kind) {
  (void)loc, (void)gtid, (void)kind;
  return 0;
}

int32_t __kmpc_cancellationpoint(ident_t *loc, int32_t gtid, int32_t kind) {
  (void)loc, (void)gtid, (void)kind;
  return 0;
}

void __kmpc_flush(ident_t *loc) {
  (void)loc;
  atomic_thread_fence(memory_order_seq_cst);
}

int32_t __kmpc_master(ident_t *loc, int32_t gtid) {
  (void)loc, (void)gtid;
  return wpSelf()->tid == 0;
}

void __kmpc_end_master(ident_t *loc, int32_t gtid) { (void)loc, (void)gtid; }

int32_t __kmpc_masked(ident_t *loc, int32_t gtid, int32_t filter) {
  (void)loc, (void)gtid;
  return wpSelf()->tid == filter;
}

void __kmpc_end_masked(ident_t *loc, int32_t gtid) { (void)loc, (void)gtid; }

// The k-th single construct of a region goes to the first thread that moves the team's count
// from k to k + 1; every later arrival finds it past k.
int32_t __kmpc_single(ident_t *loc, int32_t gtid) {
  (void)loc, (void)gtid;
  WpThread *self = wpSelf();
  uint32_t k = self->singles++;
  if (self->team->nthreads == 1)
    return 1;
  return atomic_compare_exchange_strong(&self->team->singles, &k, k + 1);
}

void __kmpc_end_single(ident_t *loc, int32_t gtid) { (void)loc, (void)gtid; }

void __kmpc_copyprivate(ident_t *loc, int32_t gtid, size_t size, void *data,
                        void (*copy)(void *dst, void *src), int32_t didit) {
  (void)loc, (void)gtid, (void)size;
  WpThread *self = wpSelf();
  WpTeam *team = self->team;
  if (team->nthreads == 1)
    return;
  if (didit)
    atomic_store(&team->copyprivateData, data);
  wpBarrier(self);
  if (!didit)
    copy(data, atomic_load(&team->copyprivateData));
  wpBarrier(self); // nobody may leave while the single thread's data is still being read
}

// kmp_critical_name is 32 zero-initialised bytes per name; the first word is the lock.
void __kmpc_critical(ident_t *loc, int32_t gtid, kmp_critical_name *crit) {
  (void)loc, (void)gtid;
  wpLock((_Atomic int32_t *)&(*crit)[0]);
}

void __kmpc_critical_with_hint(ident_t *loc, int32_t gtid, kmp_critical_name *crit, uint32_t hint) {
  (void)hint;
  __kmpc_critical(loc, gtid, crit);
}

void __kmpc_end_critical(ident_t *loc, int32_t gtid, kmp_critical_name *crit) {
  (void)loc, (void)gtid;
  wpUnlock((_Atomic int32_t *)&(*crit)[0]);
}

// Reductions use the critical-section method: every thread gets 1 and combines its partial
// result into the shared one under the lock clang provides; end_reduce releases it.
int32_t __kmpc_reduce_nowait(ident_t *loc, int32_t gtid, int32_t numVars, size_t size, void *data,
                             void (*combine)(void *, void *), kmp_critical_name *lock) {
  (void)loc, (void)gtid, (void)numVars, (void)size, (void)data, (void)combine;
  if (wpSelf()->team->nthreads > 1)
    wpLock((_Atomic int32_t *)&(*lock)[0]);
  return 1;
}

void __kmpc_end_reduce_nowait(ident_t *loc, int32_t gtid, kmp_critical_name *lock) {
  (void)loc, (void)gtid;
  if (wpSelf()->team->nthreads > 1)
    wpUnlock((_Atomic int32_t *)&(*lock)[0]);
}

int32_t __kmpc_reduce(ident_t *loc, int32_t gtid, int32_t numVars, size_t size, void *data,
                      void (*combine)(void *, void *), kmp_critical_name *lock) {
  return __kmpc_reduce_nowait(loc, gtid, numVars, size, data, combine, lock);
}

void __kmpc_end_reduce(ident_t *loc, int32_t gtid, kmp_critical_name *lock) {
  __kmpc_end_reduce_nowait(loc, gtid, lock);
  wpBarrier(wpSelf());
}
