#include "support/try.h"
#include "wasi/calls.h"
#include "wasi/host_errno.h"

#include <ctime>

namespace parawasm::wasi {
namespace {

bool hostClock(u32 id, clockid_t &out) {
  switch (id) {
  case ClockRealtime:
    out = CLOCK_REALTIME;
    return true;
  case ClockMonotonic:
    out = CLOCK_MONOTONIC;
    return true;
  case ClockProcessCputime:
    out = CLOCK_PROCESS_CPUTIME_ID;
    return true;
  case ClockThreadCputime:
    out = CLOCK_THREAD_CPUTIME_ID;
    return true;
  default:
    return false;
  }
}

u64 toNanos(const timespec &ts) { return u64(ts.tv_sec) * 1000000000ull + u64(ts.tv_nsec); }

} // namespace

Errno readClock(u32 id, u64 &out) {
  clockid_t c;
  if (!hostClock(id, c))
    return Errno::Inval;
  timespec ts;
  if (clock_gettime(c, &ts) != 0)
    return lastHostError();
  out = toNanos(ts);
  return Errno::Success;
}

Errno clockResGet(S &, M &mem, u32 id, u32 resolutionOut) {
  clockid_t c;
  if (!hostClock(id, c))
    return Errno::Inval;
  timespec ts;
  if (clock_getres(c, &ts) != 0)
    return lastHostError();
  PW_WASI_STORE(mem, resolutionOut, toNanos(ts));
  return Errno::Success;
}

Errno clockTimeGet(S &, M &mem, u32 id, u64, u32 timeOut) {
  u64 now;
  PW_TRY(readClock(id, now));
  PW_WASI_STORE(mem, timeOut, now);
  return Errno::Success;
}

} // namespace parawasm::wasi
