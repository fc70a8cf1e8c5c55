// Worksharing loops: __kmpc_for_static_init_* (schedule(static) without ordered) and
// __kmpc_dispatch_*_* (dynamic, guided, runtime, and every ordered loop), plus `ordered`.
//
// Both work in logical iterations [0, trip): a chunk of logical iterations [first, last] becomes
// the bounds lb + first * st .. lb + last * st in the loop's own type.
#include "omp_internal.h"

#include <limits.h>

// libomp's sched_type numbers, as clang emits them.
enum {
  SchStaticChunked = 33,
  SchStatic = 34,
  SchDynamicChunked = 35,
  SchGuidedChunked = 36,
  SchRuntime = 37,
  SchAuto = 38,
  SchTrapezoidal = 39,
  SchStaticGreedy = 40,
  SchStaticBalanced = 41,
  SchGuidedIterative = 42,
  SchGuidedAnalytical = 43,
  SchStaticSteal = 44,
  SchStaticBalancedChunked = 45,
  SchGuidedSimd = 46,
  SchRuntimeSimd = 47,
  SchOrderedOffset = 32,               // kmp_ord_* = kmp_sch_* + 32
  SchNoMergeOffset = 128,              // kmp_nm_* = kmp_sch_* + 128
  SchModifiers = (1 << 29) | (1 << 30) // monotonic, nonmonotonic
};

// Maps a sched_type to WpSched* and the chunk size to use; sets *ordered for kmp_ord_*.
static int32_t scheduleKind(int32_t sched, int64_t *chunk, int32_t *ordered) {
  sched &= ~SchModifiers;
  *ordered = 0;
  if (sched >= SchNoMergeOffset + 32)
    sched -= SchNoMergeOffset;
  if (sched >= 64 && sched < 96) {
    *ordered = 1;
    sched -= SchOrderedOffset;
  }
  int32_t kind;
  switch (sched) {
  case SchRuntime:
  case SchRuntimeSimd:
    kind = wpSettings.runSchedKind;
    *chunk = wpSettings.runSchedChunk;
    break;
  case SchDynamicChunked:
  case SchStaticSteal:
    kind = WpSchedDynamic;
    break;
  case SchGuidedChunked:
  case SchGuidedIterative:
  case SchGuidedAnalytical:
  case SchGuidedSimd:
  case SchTrapezoidal:
    kind = WpSchedGuided;
    break;
  case SchStaticChunked:
  case SchStaticBalancedChunked:
    kind = WpSchedStatic;
    break;
  default: // static, static_balanced, static_greedy, auto
    kind = WpSchedStatic;
    *chunk = 0;
    break;
  }
  if (kind != WpSchedStatic && *chunk < 1)
    *chunk = 1;
  if (*chunk < 0)
    *chunk = 0;
  return kind;
}

// Logical iteration count of lb..ub by st in type T (unsigned twin UT); 0 for an empty loop.
#define TRIP(T, UT, lb, ub, st)                                                                    \
  ((st) > 0   ? ((T)(ub) < (T)(lb) ? 0 : (uint64_t)((UT)((UT)(ub) - (UT)(lb)) / (UT)(st)) + 1)     \
   : (st) < 0 ? ((T)(lb) < (T)(ub) ? 0 : (uint64_t)((UT)((UT)(lb) - (UT)(ub)) / (UT)(-(st))) + 1)  \
              : 1)

#define TYPE_MAX(T, UT) ((T)-1 > 0 ? (T) ~(UT)0 : (T)((UT) ~(UT)0 >> 1))
#define TYPE_MIN(T, UT) ((T)-1 > 0 ? (T)0 : (T) ~((UT) ~(UT)0 >> 1))

// The balanced static block of thread tid: [*first, *first + count).
static uint64_t staticBlock(uint64_t trip, int32_t nthreads, int32_t tid, uint64_t *first) {
  uint64_t small = trip / (uint64_t)nthreads, extra = trip % (uint64_t)nthreads;
  uint64_t t = (uint64_t)tid;
  *first = t * small + (t < extra ? t : extra);
  return small + (t < extra);
}

// ---- static schedules ------------------------------------------------------------------------

#define FOR_STATIC_INIT(suffix, T, UT, ST)                                                         \
  void __kmpc_for_static_init_##suffix(ident_t *loc, int32_t gtid, int32_t schedtype,              \
                                       int32_t *plastiter, T *plower, T *pupper, ST *pstride,      \
                                       ST incr, ST chunk) {                                        \
    (void)loc, (void)gtid;                                                                         \
    WpThread *self = wpSelf();                                                                     \
    int32_t nthreads = self->team->nthreads, tid = self->tid, ordered;                             \
    T lb = *plower, ub = *pupper;                                                                  \
    uint64_t trip = TRIP(T, UT, lb, ub, incr);                                                     \
    int64_t chunkSize = chunk;                                                                     \
    scheduleKind(schedtype, &chunkSize, &ordered);                                                 \
    if (nthreads == 1 || trip == 0) {                                                              \
      if (plastiter)                                                                               \
        *plastiter = trip > 0;                                                                     \
      *pstride = (ST)((UT)ub - (UT)lb + (UT)incr);                                                 \
      return;                                                                                      \
    }                                                                                              \
    if (chunkSize > 0) {                                                                           \
      /* chunks of chunkSize dealt round-robin: the thread's first one, and the stride */          \
      UT span = (UT)chunkSize * (UT)incr;                                                          \
      *pstride = (ST)(span * (UT)nthreads);                                                        \
      T lower = (T)((UT)lb + span * (UT)tid);                                                      \
      T upper = (T)((UT)lower + span - (UT)incr);                                                  \
      if (incr > 0 ? upper < lower : upper > lower) /* wrapped past the type's end */              \
        upper = incr > 0 ? TYPE_MAX(T, UT) : TYPE_MIN(T, UT);                                      \
      *plower = lower;                                                                             \
      *pupper = upper;                                                                             \
      if (plastiter)                                                                               \
        *plastiter = (uint64_t)tid == ((trip - 1) / (uint64_t)chunkSize) % (uint64_t)nthreads;     \
      return;                                                                                      \
    }                                                                                              \
    uint64_t first, count = staticBlock(trip, nthreads, tid, &first);                              \
    if (count == 0) { /* more threads than iterations: an empty range */                           \
      *plower = (T)((UT)ub + (UT)incr);                                                            \
      *pupper = ub;                                                                                \
    } else {                                                                                       \
      *plower = (T)((UT)lb + (UT)first * (UT)incr);                                                \
      *pupper = (T)((UT)*plower + (UT)(count - 1) * (UT)incr);                                     \
    }                                                                                              \
    if (plastiter)                                                                                 \
      *plastiter = count > 0 && first + count == trip;                                             \
    *pstride = (ST)((UT)ub - (UT)lb + (UT)incr);                                                   \
  }

FOR_STATIC_INIT(4, int32_t, uint32_t, int32_t)
FOR_STATIC_INIT(4u, uint32_t, uint32_t, int32_t)
FOR_STATIC_INIT(8, int64_t, uint64_t, int64_t)
FOR_STATIC_INIT(8u, uint64_t, uint64_t, int64_t)

void __kmpc_for_static_fini(ident_t *loc, int32_t gtid) { (void)loc, (void)gtid; }

// ---- dispatch (dynamic, guided, runtime, ordered) --------------------------------------------

static void loopInit(WpThread *self, int32_t sched, uint64_t trip, int64_t chunk) {
  WpLoop *loop = &self->loop;
  int32_t ordered;
  loop->kind = scheduleKind(sched, &chunk, &ordered);
  loop->chunk = chunk;
  loop->trip = trip;
  loop->ordered = ordered;
  loop->staticNext = 0;
  loop->current = loop->chunkEnd = 0;
  loop->didOrdered = 0;
  loop->buffer = NULL;
  // Every thread of the team makes the same choice, so they agree on which buffer is which.
  if (loop->kind != WpSchedStatic || ordered) {
    uint32_t k = self->loops++;
    WpDispatchBuffer *buffer = &self->team->dispatch[k % WP_OMP_DISPATCH_BUFFERS];
    wpWaitEqual32(&buffer->loop, k);
    loop->buffer = buffer;
  }
}

// The last thread to leave a loop makes its buffer ready for the loop 8 later.
static void loopFinish(WpThread *self) {
  WpDispatchBuffer *buffer = self->loop.buffer;
  if (!buffer)
    return;
  self->loop.buffer = NULL;
  if (atomic_fetch_add_explicit(&buffer->finished, 1, memory_order_acq_rel) ==
      (uint32_t)self->team->nthreads - 1) {
    atomic_store_explicit(&buffer->next, 0, memory_order_relaxed);
    atomic_store_explicit(&buffer->ordered, 0, memory_order_relaxed);
    atomic_store_explicit(&buffer->finished, 0, memory_order_relaxed);
    uint32_t k = atomic_load_explicit(&buffer->loop, memory_order_relaxed);
    atomic_store_explicit(&buffer->loop, k + WP_OMP_DISPATCH_BUFFERS, memory_order_release);
  }
}

// The thread's next chunk of logical iterations [*first, *last]; 0 when the loop is done.
static int nextChunk(WpThread *self, uint64_t *first, uint64_t *last) {
  WpLoop *loop = &self->loop;
  int32_t nthreads = self->team->nthreads;
  uint64_t trip = loop->trip, chunk = (uint64_t)loop->chunk, start, count;
  switch (loop->kind) {
  case WpSchedStatic:
    if (chunk == 0) {
      count = loop->staticNext++ == 0 ? staticBlock(trip, nthreads, self->tid, &start) : 0;
    } else {
      uint64_t c = (uint64_t)self->tid + loop->staticNext++ * (uint64_t)nthreads;
      start = c * chunk;
      count = c < (trip + chunk - 1) / chunk ? (trip - start < chunk ? trip - start : chunk) : 0;
    }
    break;
  case WpSchedDynamic:
    start = atomic_fetch_add_explicit(&loop->buffer->next, chunk, memory_order_relaxed);
    count = start < trip ? (trip - start < chunk ? trip - start : chunk) : 0;
    break;
  default: { // guided: a share of what is left, shrinking towards the chunk size
    uint64_t twice = 2 * (uint64_t)nthreads;
    start = atomic_load_explicit(&loop->buffer->next, memory_order_relaxed);
    do {
      if (start >= trip) {
        count = 0;
        break;
      }
      uint64_t left = trip - start;
      count = (left + twice - 1) / twice;
      if (count < chunk)
        count = chunk;
      if (count > left)
        count = left;
    } while (!atomic_compare_exchange_weak_explicit(&loop->buffer->next, &start, start + count,
                                                    memory_order_relaxed, memory_order_relaxed));
    break;
  }
  }
  if (count == 0) {
    loopFinish(self);
    return 0;
  }
  *first = start;
  *last = start + count - 1;
  loop->current = start;
  loop->chunkEnd = start + count;
  loop->didOrdered = 0;
  return 1;
}

#define DISPATCH(suffix, T, UT, ST)                                                                \
  void __kmpc_dispatch_init_##suffix(ident_t *loc, int32_t gtid, int32_t schedule, T lb, T ub,     \
                                     ST st, ST chunk) {                                            \
    (void)loc, (void)gtid;                                                                         \
    WpThread *self = wpSelf();                                                                     \
    loopInit(self, schedule, TRIP(T, UT, lb, ub, st), chunk);                                      \
    self->loop.lb = (uint64_t)(UT)lb;                                                              \
    self->loop.st = (int64_t)st;                                                                   \
  }                                                                                                \
  int32_t __kmpc_dispatch_next_##suffix(ident_t *loc, int32_t gtid, int32_t *plast, T *plower,     \
                                        T *pupper, ST *pstride) {                                  \
    (void)loc, (void)gtid;                                                                         \
    WpThread *self = wpSelf();                                                                     \
    uint64_t first, last;                                                                          \
    if (!nextChunk(self, &first, &last))                                                           \
      return 0;                                                                                    \
    UT lb = (UT)self->loop.lb, st = (UT)self->loop.st;                                             \
    *plower = (T)(lb + (UT)first * st);                                                            \
    *pupper = (T)(lb + (UT)last * st);                                                             \
    if (pstride)                                                                                   \
      *pstride = (ST)st;                                                                           \
    if (plast)                                                                                     \
      *plast = last + 1 == self->loop.trip;                                                        \
    return 1;                                                                                      \
  }                                                                                                \
  void __kmpc_dispatch_fini_##suffix(ident_t *loc, int32_t gtid) {                                 \
    (void)loc, (void)gtid;                                                                         \
    wpOrderedIterationEnd(wpSelf());                                                               \
  }

// ---- ordered ---------------------------------------------------------------------------------

// Iterations pass their ordered region in logical order: the buffer's `ordered` is the
// iteration whose turn it is. clang calls dispatch_fini after every iteration of an ordered
// loop; an iteration that skipped its ordered region still takes and passes its turn there.
static void wpOrderedIterationEnd(WpThread *self) {
  WpLoop *loop = &self->loop;
  if (!loop->buffer || !loop->ordered)
    return;
  if (!loop->didOrdered) {
    wpWaitEqual64(&loop->buffer->ordered, loop->current);
    atomic_store_explicit(&loop->buffer->ordered, loop->current + 1, memory_order_release);
  }
  loop->current++;
  loop->didOrdered = 0;
}

DISPATCH(4, int32_t, uint32_t, int32_t)
DISPATCH(4u, uint32_t, uint32_t, int32_t)
DISPATCH(8, int64_t, uint64_t, int64_t)
DISPATCH(8u, uint64_t, uint64_t, int64_t)

void __kmpc_ordered(ident_t *loc, int32_t gtid) {
  (void)loc, (void)gtid;
  WpLoop *loop = &wpSelf()->loop;
  if (loop->buffer && loop->ordered)
    wpWaitEqual64(&loop->buffer->ordered, loop->current);
}

void __kmpc_end_ordered(ident_t *loc, int32_t gtid) {
  (void)loc, (void)gtid;
  WpLoop *loop = &wpSelf()->loop;
  if (loop->buffer && loop->ordered) {
    atomic_store_explicit(&loop->buffer->ordered, loop->current + 1, memory_order_release);
    loop->didOrdered = 1;
  }
}
