/* Guest pointers and lengths outside linear memory: every call answers EFAULT (Wasmtime would
 * trap instead) and the guest runs on. */
#include "wasi_test.h"

#define BAD ((void *)0xFFFFFF00u)

/* The raw import: wasi-libc's wrapper would run strlen on the bad path inside the guest. */
int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len, int32_t oflags,
                      int64_t base, int64_t inheriting, int32_t fdflags, int32_t fd_out)
    __attribute__((__import_module__("wasi_snapshot_preview1"), __import_name__("path_open")));

int main(void) {
  static char buf[16] = "hello\n";
  __wasi_size_t n;
  __wasi_ciovec_t ok_iov = {(const uint8_t *)buf, 6};
  __wasi_ciovec_t bad_buf = {(const uint8_t *)BAD, 0x1000};
  __wasi_ciovec_t wrap = {(const uint8_t *)0xFFFFFFF0u, 0x20}; /* wraps past 4 GiB */
  EXPECT_ERRNO(__wasi_fd_write(1, &bad_buf, 1, &n), __WASI_ERRNO_FAULT);
  EXPECT_ERRNO(__wasi_fd_write(1, &wrap, 1, &n), __WASI_ERRNO_FAULT);
  EXPECT_ERRNO(__wasi_fd_write(1, (const __wasi_ciovec_t *)BAD, 1, &n), __WASI_ERRNO_FAULT);
  EXPECT_ERRNO(__wasi_fd_write(1, &ok_iov, 1, (__wasi_size_t *)BAD), __WASI_ERRNO_FAULT);
  __wasi_iovec_t rd = {(uint8_t *)BAD, 16};
  EXPECT_ERRNO(__wasi_fd_read(0, &rd, 1, &n), __WASI_ERRNO_FAULT);
  EXPECT_ERRNO(__wasi_args_get((uint8_t **)BAD, (uint8_t *)buf), __WASI_ERRNO_FAULT);
  EXPECT_ERRNO(__wasi_args_sizes_get((__wasi_size_t *)BAD, &n), __WASI_ERRNO_FAULT);
  EXPECT_ERRNO(__wasi_environ_sizes_get(&n, (__wasi_size_t *)BAD), __WASI_ERRNO_FAULT);
  EXPECT_ERRNO(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, (__wasi_timestamp_t *)BAD),
               __WASI_ERRNO_FAULT);
  EXPECT_ERRNO(__wasi_fd_fdstat_get(1, (__wasi_fdstat_t *)BAD), __WASI_ERRNO_FAULT);
  EXPECT_ERRNO(__wasi_fd_filestat_get(1, (__wasi_filestat_t *)BAD), __WASI_ERRNO_FAULT);
  EXPECT_ERRNO(__wasi_fd_prestat_get(3, (__wasi_prestat_t *)BAD), __WASI_ERRNO_FAULT);
  EXPECT_ERRNO(__wasi_fd_prestat_dir_name(3, (uint8_t *)BAD, 100), __WASI_ERRNO_FAULT);
  __wasi_fd_t fd;
  EXPECT_ERRNO(raw_path_open(3, 0, (int32_t)BAD, 16, 0, 0, 0, 0, (int32_t)&fd), __WASI_ERRNO_FAULT);
  EXPECT_ERRNO(raw_path_open(3, 0, (int32_t) "x", 0x7FFFFFFF, 0, 0, 0, 0, (int32_t)&fd),
               __WASI_ERRNO_FAULT);
  EXPECT_ERRNO(__wasi_path_open(3, 0, "new.txt", __WASI_OFLAGS_CREAT, 0, 0, 0, (__wasi_fd_t *)BAD),
               __WASI_ERRNO_FAULT);
  __wasi_filestat_t st;
  EXPECT_ERRNO(__wasi_path_filestat_get(3, 0, "new.txt", &st), __WASI_ERRNO_NOENT);
  EXPECT_ERRNO(__wasi_fd_readdir(3, (uint8_t *)BAD, 100, 0, &n), __WASI_ERRNO_FAULT);
  EXPECT_ERRNO(__wasi_random_get((uint8_t *)BAD, 0x1000), __WASI_ERRNO_FAULT);
  __wasi_event_t ev;
  EXPECT_ERRNO(__wasi_poll_oneoff((const __wasi_subscription_t *)BAD, &ev, 1, &n),
               __WASI_ERRNO_FAULT);
  EXPECT_OK(__wasi_fd_write(1, &ok_iov, 1, &n));
  printf("%d unexpected results\n", pw_failures);
  return pw_failures != 0;
}
