/* Clocks and sleeping: resolutions and readings of every clock, nanosleep and poll_oneoff waits,
 * and nanosecond file timestamps. Prints one "ok"/"FAIL" line per check. */
#include "wasi_test.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static uint64_t now(__wasi_clockid_t id) {
  __wasi_timestamp_t t = 0;
  if (__wasi_clock_time_get(id, 1, &t) != __WASI_ERRNO_SUCCESS)
    return 0;
  return t;
}

static void report(const char *what, int ok) { printf("%s: %s\n", what, ok ? "ok" : "FAIL"); }

static __wasi_subscription_t clock_sub(uint64_t userdata, __wasi_clockid_t id, uint64_t timeout,
                                       int absolute) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = id;
  s.u.u.clock.timeout = timeout;
  s.u.u.clock.flags = absolute ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
  return s;
}

int main(void) {
  static const char *const names[] = {"realtime", "monotonic", "process cputime", "thread cputime"};
  for (__wasi_clockid_t id = 0; id < 4; ++id) {
    __wasi_timestamp_t res = 0;
    char what[64];
    snprintf(what, sizeof what, "%s resolution", names[id]);
    report(what, __wasi_clock_res_get(id, &res) == 0 && res > 0 && res <= 1000000000);
    snprintf(what, sizeof what, "%s reading", names[id]);
    report(what, now(id) > 0);
  }
  __wasi_timestamp_t t;
  report("unknown clock is EINVAL", __wasi_clock_time_get(9, 1, &t) == __WASI_ERRNO_INVAL);
  report("realtime is after 2020", now(__WASI_CLOCKID_REALTIME) > 1577836800ull * 1000000000ull);
  struct timespec ts;
  report("libc clock_gettime(CLOCK_REALTIME)",
         clock_gettime(CLOCK_REALTIME, &ts) == 0 && ts.tv_sec > 1577836800);

  int monotonic = 1;
  uint64_t prev = now(__WASI_CLOCKID_MONOTONIC);
  for (int i = 0; i < 1000; ++i) {
    uint64_t cur = now(__WASI_CLOCKID_MONOTONIC);
    monotonic &= cur >= prev;
    prev = cur;
  }
  report("monotonic never goes back", monotonic);

  /* Spin until 2 ms of CPU time have passed; on a loaded machine that may take much longer
   * than 2 ms of wall time, so only a 10 s wall-clock limit makes it fail. */
  uint64_t cpu0 = now(__WASI_CLOCKID_PROCESS_CPUTIME_ID);
  uint64_t thread0 = now(__WASI_CLOCKID_THREAD_CPUTIME_ID);
  uint64_t wall0 = now(__WASI_CLOCKID_MONOTONIC);
  volatile uint64_t spin = 0;
  while (now(__WASI_CLOCKID_PROCESS_CPUTIME_ID) - cpu0 < 2000000 &&
         now(__WASI_CLOCKID_MONOTONIC) - wall0 < 10000000000ull)
    ++spin;
  report("process cputime advances while busy",
         now(__WASI_CLOCKID_PROCESS_CPUTIME_ID) - cpu0 >= 2000000);
  report("thread cputime advances while busy", now(__WASI_CLOCKID_THREAD_CPUTIME_ID) > thread0);

  uint64_t t0 = now(__WASI_CLOCKID_MONOTONIC);
  struct timespec req = {0, 50000000};
  int r = nanosleep(&req, NULL);
  uint64_t slept = now(__WASI_CLOCKID_MONOTONIC) - t0;
  report("nanosleep 50 ms", r == 0 && slept >= 50000000 && slept < 5000000000ull);

  t0 = now(__WASI_CLOCKID_MONOTONIC);
  usleep(20000);
  report("usleep 20 ms", now(__WASI_CLOCKID_MONOTONIC) - t0 >= 20000000);

  __wasi_event_t ev[2];
  __wasi_size_t n = 0;
  t0 = now(__WASI_CLOCKID_MONOTONIC);
  __wasi_subscription_t abs = clock_sub(11, __WASI_CLOCKID_MONOTONIC, t0 + 30000000, 1);
  r = __wasi_poll_oneoff(&abs, ev, 1, &n);
  report("poll_oneoff absolute monotonic deadline",
         r == 0 && n == 1 && ev[0].userdata == 11 && ev[0].type == __WASI_EVENTTYPE_CLOCK &&
             ev[0].error == 0 && now(__WASI_CLOCKID_MONOTONIC) >= t0 + 30000000);

  t0 = now(__WASI_CLOCKID_MONOTONIC);
  abs = clock_sub(12, __WASI_CLOCKID_REALTIME, now(__WASI_CLOCKID_REALTIME) + 30000000, 1);
  r = __wasi_poll_oneoff(&abs, ev, 1, &n);
  report("poll_oneoff absolute realtime deadline",
         r == 0 && n == 1 && ev[0].userdata == 12 &&
             now(__WASI_CLOCKID_MONOTONIC) - t0 >= 25000000);

  __wasi_subscription_t two[2] = {clock_sub(1, __WASI_CLOCKID_MONOTONIC, 10000000, 0),
                                  clock_sub(2, __WASI_CLOCKID_MONOTONIC, 10000000000ull, 0)};
  r = __wasi_poll_oneoff(two, ev, 2, &n);
  report("poll_oneoff reports only the clock that expired",
         r == 0 && n == 1 && ev[0].userdata == 1);
  report("poll_oneoff with no subscriptions is EINVAL",
         __wasi_poll_oneoff(two, ev, 0, &n) == __WASI_ERRNO_INVAL);
  __wasi_subscription_t cpu = clock_sub(3, __WASI_CLOCKID_PROCESS_CPUTIME_ID, 1000, 0);
  report("poll_oneoff on a cpu-time clock is EINVAL",
         __wasi_poll_oneoff(&cpu, ev, 1, &n) == __WASI_ERRNO_INVAL);

  int fd = open("stamp", O_CREAT | O_WRONLY, 0644);
  struct timespec times[2] = {{1234567890, 123456789}, {1234567891, 987654321}};
  int ok = fd >= 0 && futimens(fd, times) == 0;
  struct stat st;
  ok = ok && fstat(fd, &st) == 0 && st.st_atim.tv_sec == 1234567890 &&
       st.st_atim.tv_nsec == 123456789 && st.st_mtim.tv_sec == 1234567891 &&
       st.st_mtim.tv_nsec == 987654321;
  report("nanosecond timestamps through futimens", ok);
  times[1].tv_nsec = 1;
  ok = utimensat(AT_FDCWD, "stamp", times, 0) == 0 && stat("stamp", &st) == 0 &&
       st.st_mtim.tv_nsec == 1;
  report("nanosecond timestamps through utimensat", ok);
  /* Directly: wasi-libc's headers disagree on the values of UTIME_NOW and UTIME_OMIT. */
  ok = __wasi_fd_filestat_set_times((__wasi_fd_t)fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW) == 0 &&
       fstat(fd, &st) == 0 && st.st_atim.tv_nsec == 123456789 && st.st_mtim.tv_sec > 1577836800;
  report("atim left alone, mtim set to now", ok);
  close(fd);
  unlink("stamp");
  return 0;
}
