// Internals of the parawasm OpenMP runtime for wasm32-wasi guests (sdk/omp/, docs/openmp.md).
//
// A parallel region is one wasi-parallel `parallel_for` call: the host runs the worker entry
// (entry.s) once per team member, all at the same time, each in its own instance of this module
// over the shared linear memory. Each instance has its own Wasm globals, so the global
// __wp_omp_self (entry.s) is this runtime's thread-local storage: it points at the member's
// WpThread. Everything else (teams, descriptors, loop counters) lives in linear memory and is
// shared, so every cross-thread access below is an atomic.
#ifndef WP_OMP_INTERNAL_H
#define WP_OMP_INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>

#define WP_OMP_MAX_THREADS 256 // the host's team limit
#define WP_OMP_MAX_ARGS 32     // shared variables a parallel region may capture
#define WP_OMP_DISPATCH_BUFFERS 8

typedef struct ident_t ident_t; // source location; unused
typedef int32_t kmp_critical_name[8];
typedef void (*kmpc_micro)(int32_t *gtid, int32_t *btid, ...);

// Shared state of one dynamically scheduled (or ordered) loop. Buffer s serves loops s, s + 8,
// s + 16, ... of a team; a thread that reaches loop k waits until `loop` says k, i.e. until every
// thread has left loop k - 8 (nowait loops let threads run up to 7 loops ahead of each other).
typedef struct WpDispatchBuffer {
  _Atomic uint32_t loop;     // which of the team's dispatch loops this buffer serves now
  _Atomic uint32_t finished; // threads that have taken their last chunk
  _Atomic uint64_t next;     // first logical iteration nobody has taken yet
  _Atomic uint64_t ordered;  // logical iteration whose ordered region may run now
} WpDispatchBuffer;

typedef struct WpTeam {
  int32_t nthreads;
  _Atomic uint32_t barrierArrived;
  _Atomic uint32_t barrierSense;
  _Atomic uint32_t singles;      // single constructs claimed so far
  void *_Atomic copyprivateData; // the single thread's data, for __kmpc_copyprivate
  kmpc_micro microtask;
  int32_t argc;
  void **args;
  WpDispatchBuffer dispatch[WP_OMP_DISPATCH_BUFFERS];
} WpTeam;

// A thread's private state for the loop it is in (dispatch_init .. dispatch_next == 0).
typedef struct WpLoop {
  uint64_t trip;       // logical iterations [0, trip)
  uint64_t lb;         // dispatch: the first iteration's value, in the loop type's bits
  int64_t st;          // dispatch: the increment
  int64_t chunk;       // chunk size in iterations (static: 0 = one balanced block per thread)
  int32_t kind;        // WpSchedStatic / Dynamic / Guided
  int32_t ordered;     // the loop has an ordered clause
  uint64_t staticNext; // static kinds: the next chunk index this thread takes
  uint64_t current;    // ordered: the logical iteration this thread is in
  uint64_t chunkEnd;   // ordered: one past the last iteration of the current chunk
  int32_t didOrdered;  // ordered: the current iteration ran its ordered region
  WpDispatchBuffer *buffer;
} WpLoop;

typedef struct WpThread {
  WpTeam *team;
  int32_t tid;           // omp_get_thread_num()
  int32_t gtid;          // unique among running threads: tid in the active team, 0 outside it
  int32_t level;         // enclosing parallel regions, active or serialized
  int32_t activeLevel;   // enclosing parallel regions with more than one thread (0 or 1)
  int32_t pushedThreads; // num_threads() for the next region (0: none)
  int32_t nthreadsVar;   // ICV nthreads-var of this task
  uint32_t barrierSense;
  uint32_t singles; // single constructs this thread has met in this region
  uint32_t loops;   // dispatch loops this thread has begun in this region
  WpLoop loop;
  struct WpThread *parent; // the encountering thread of a serialized region
} WpThread;

enum { WpSchedStatic = 1, WpSchedDynamic = 2, WpSchedGuided = 3 };

// Runtime-wide settings, read from the environment once (wpInit).
typedef struct WpSettings {
  int32_t initialized;
  int32_t maxThreads;    // nthreads-var of the initial thread
  int32_t deviceThreads; // threads the host's CPU device runs at once (1 without wasi-parallel)
  int32_t threadLimit;
  int32_t dynamic;
  int32_t maxActiveLevels;
  int32_t runSchedKind; // run-sched-var: WpSched*
  int32_t runSchedChunk;
  int32_t runSchedMonotonic;
  uint32_t stackSize; // OMP_STACKSIZE for team members other than the primary thread
  int32_t spinCount;  // busy polls before a waiting thread starts to sched_yield
} WpSettings;

extern WpSettings wpSettings;
extern _Atomic int32_t wpTeamActive; // a team of more than one thread is running

// entry.s: the Wasm global that makes each instance's thread descriptor thread-local.
WpThread *__wp_omp_self_get(void);
void __wp_omp_self_set(WpThread *self);
void __wp_omp_worker_entry(int32_t tid, int32_t nthreads, int32_t blockSize);

void wpInit(void);
// The calling thread's descriptor (the initial thread's outside every region).
WpThread *wpSelf(void);
void wpBarrier(WpThread *self);
void wpLoopReset(WpThread *self);
// Spins until *word == value (acquire), yielding the core after a while.
void wpWaitEqual32(_Atomic uint32_t *word, uint32_t value);
void wpWaitEqual64(_Atomic uint64_t *word, uint64_t value);

// A test-and-set lock with bounded spinning, then sched_yield.
void wpLock(_Atomic int32_t *lock);
void wpUnlock(_Atomic int32_t *lock);
int wpTryLock(_Atomic int32_t *lock);

_Noreturn void wpFatal(const char *message);

#endif
