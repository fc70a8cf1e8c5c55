/* Helpers shared by the WASI guest tests: errno names and checks that print what went wrong. */
#ifndef PW_WASI_TEST_H
#define PW_WASI_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

static const char *const pw_errno_names[] = {
    "SUCCESS",     "2BIG",           "ACCES",       "ADDRINUSE",   "ADDRNOTAVAIL",
    "AFNOSUPPORT", "AGAIN",          "ALREADY",     "BADF",        "BADMSG",
    "BUSY",        "CANCELED",       "CHILD",       "CONNABORTED", "CONNREFUSED",
    "CONNRESET",   "DEADLK",         "DESTADDRREQ", "DOM",         "DQUOT",
    "EXIST",       "FAULT",          "FBIG",        "HOSTUNREACH", "IDRM",
    "ILSEQ",       "INPROGRESS",     "INTR",        "INVAL",       "IO",
    "ISCONN",      "ISDIR",          "LOOP",        "MFILE",       "MLINK",
    "MSGSIZE",     "MULTIHOP",       "NAMETOOLONG", "NETDOWN",     "NETRESET",
    "NETUNREACH",  "NFILE",          "NOBUFS",      "NODEV",       "NOENT",
    "NOEXEC",      "NOLCK",          "NOLINK",      "NOMEM",       "NOMSG",
    "NOPROTOOPT",  "NOSPC",          "NOSYS",       "NOTCONN",     "NOTDIR",
    "NOTEMPTY",    "NOTRECOVERABLE", "NOTSOCK",     "NOTSUP",      "NOTTY",
    "NXIO",        "OVERFLOW",       "OWNERDEAD",   "PERM",        "PIPE",
    "PROTO",       "PROTONOSUPPORT", "PROTOTYPE",   "RANGE",       "ROFS",
    "SPIPE",       "SRCH",           "STALE",       "TIMEDOUT",    "TXTBSY",
    "XDEV",        "NOTCAPABLE"};

static inline const char *pw_errname(__wasi_errno_t e) {
  return e < sizeof pw_errno_names / sizeof pw_errno_names[0] ? pw_errno_names[e] : "?";
}

static int pw_failures;

/* Checks that a __wasi_* call returns `want`; prints the line and both errnos when it does not. */
#define EXPECT_ERRNO(call, want)                                                                   \
  do {                                                                                             \
    __wasi_errno_t pw_got = (call);                                                                \
    if (pw_got != (want)) {                                                                        \
      printf("FAIL %s:%d: %s -> %s, want %s\n", __func__, __LINE__, #call, pw_errname(pw_got),     \
             pw_errname(want));                                                                    \
      ++pw_failures;                                                                               \
    }                                                                                              \
  } while (0)
/* Either of two errnos (where Wasmtime's own tests accept either). */
#define EXPECT_ERRNO2(call, want1, want2)                                                          \
  do {                                                                                             \
    __wasi_errno_t pw_got = (call);                                                                \
    if (pw_got != (want1) && pw_got != (want2)) {                                                  \
      printf("FAIL %s:%d: %s -> %s, want %s or %s\n", __func__, __LINE__, #call,                   \
             pw_errname(pw_got), pw_errname(want1), pw_errname(want2));                            \
      ++pw_failures;                                                                               \
    }                                                                                              \
  } while (0)
#define EXPECT_OK(call) EXPECT_ERRNO(call, __WASI_ERRNO_SUCCESS)
#define EXPECT_TRUE(cond)                                                                          \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      printf("FAIL %s:%d: %s\n", __func__, __LINE__, #cond);                                       \
      ++pw_failures;                                                                               \
    }                                                                                              \
  } while (0)

/* The descriptor of the preopen the guest knows as `name`, or -1. */
static inline int pw_find_preopen(const char *name) {
  for (__wasi_fd_t fd = 3;; ++fd) {
    __wasi_prestat_t st;
    if (__wasi_fd_prestat_get(fd, &st) != __WASI_ERRNO_SUCCESS)
      return -1;
    char buf[256];
    if (st.u.dir.pr_name_len >= sizeof buf)
      continue;
    if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, st.u.dir.pr_name_len) !=
        __WASI_ERRNO_SUCCESS)
      continue;
    buf[st.u.dir.pr_name_len] = 0;
    if (!strcmp(buf, name))
      return (int)fd;
  }
}

#endif
