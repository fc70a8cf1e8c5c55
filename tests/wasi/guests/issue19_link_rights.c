/* Issue 19 (wasi-testsuite rust/path_link): a file created with path_open and the same file
 * opened again through a hard link, with the same rights, report the same fd_fdstat_get rights,
 * whether the link is in the same directory or in another one. Also: rights follow the rights
 * asked for, not O_CREAT/O_TRUNC, and FD_WRITE asked for is reported. */
#include "wasi_test.h"

static const __wasi_rights_t test_rights =
    __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_PATH_LINK_SOURCE | __WASI_RIGHTS_PATH_LINK_TARGET |
    __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_UNLINK_FILE;

static __wasi_fd_t open_or_die(__wasi_fd_t dir, const char *name, __wasi_oflags_t oflags,
                               __wasi_rights_t rights) {
  __wasi_fd_t fd = 0;
  __wasi_errno_t e = __wasi_path_open(dir, 0, name, oflags, rights, rights, 0, &fd);
  if (e) {
    printf("cannot open %s: %s\n", name, pw_errname(e));
    exit(1);
  }
  return fd;
}

static void same_fdstat(const char *what, __wasi_fd_t a, __wasi_fd_t b) {
  __wasi_fdstat_t sa, sb;
  EXPECT_OK(__wasi_fd_fdstat_get(a, &sa));
  EXPECT_OK(__wasi_fd_fdstat_get(b, &sb));
  int same = sa.fs_filetype == sb.fs_filetype && sa.fs_flags == sb.fs_flags &&
             sa.fs_rights_base == sb.fs_rights_base &&
             sa.fs_rights_inheriting == sb.fs_rights_inheriting;
  printf("%s: %s\n", what, same ? "same fdstat" : "DIFFERENT fdstat");
  if (!same) {
    printf("  base %llu vs %llu, inheriting %llu vs %llu\n",
           (unsigned long long)sa.fs_rights_base, (unsigned long long)sb.fs_rights_base,
           (unsigned long long)sa.fs_rights_inheriting,
           (unsigned long long)sb.fs_rights_inheriting);
    ++pw_failures;
  }
}

static __wasi_rights_t base_rights(__wasi_fd_t fd) {
  __wasi_fdstat_t st;
  EXPECT_OK(__wasi_fd_fdstat_get(fd, &st));
  return st.fs_rights_base;
}

int main(void) {
  int pre = pw_find_preopen("/box");
  if (pre < 0) {
    puts("no preopen /box");
    return 1;
  }
  __wasi_fd_t dir = (__wasi_fd_t)pre;
  EXPECT_OK(__wasi_path_create_directory(dir, "scratch"));
  __wasi_fd_t scratch = open_or_die(dir, "scratch", __WASI_OFLAGS_DIRECTORY, test_rights);

  __wasi_fd_t file = open_or_die(scratch, "file", __WASI_OFLAGS_CREAT, test_rights);
  EXPECT_OK(__wasi_path_link(scratch, 0, "file", scratch, "link"));
  __wasi_fd_t link = open_or_die(scratch, "link", 0, test_rights);
  same_fdstat("link in the same directory", file, link);
  EXPECT_OK(__wasi_fd_close(link));
  EXPECT_OK(__wasi_path_unlink_file(scratch, "link"));

  EXPECT_OK(__wasi_path_create_directory(scratch, "sub"));
  __wasi_fd_t sub = open_or_die(scratch, "sub", __WASI_OFLAGS_DIRECTORY, test_rights);
  EXPECT_OK(__wasi_path_link(scratch, 0, "file", sub, "link"));
  link = open_or_die(sub, "link", 0, test_rights);
  same_fdstat("link in another directory", file, link);
  EXPECT_OK(__wasi_fd_close(link));
  EXPECT_OK(__wasi_path_unlink_file(sub, "link"));
  EXPECT_OK(__wasi_fd_close(sub));
  EXPECT_OK(__wasi_path_remove_directory(scratch, "sub"));

  /* Without any right asked for, as older versions of the test open both. */
  __wasi_fd_t plain = open_or_die(scratch, "file", 0, 0);
  __wasi_fd_t created = open_or_die(scratch, "other", __WASI_OFLAGS_CREAT, 0);
  printf("no rights, created vs opened: %s\n",
         base_rights(plain) == base_rights(created) ? "same rights" : "DIFFERENT rights");
  /* FD_WRITE is reported when asked for, and the descriptor writes. */
  __wasi_fd_t writer = open_or_die(scratch, "file", __WASI_OFLAGS_TRUNC,
                                   __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE);
  printf("FD_WRITE asked for: %s\n",
         (base_rights(writer) & __WASI_RIGHTS_FD_WRITE) ? "reported" : "NOT reported");
  printf("FD_WRITE not asked for: %s\n",
         (base_rights(file) & __WASI_RIGHTS_FD_WRITE) ? "REPORTED" : "not reported");
  __wasi_ciovec_t iov = {(const uint8_t *)"x", 1};
  __wasi_size_t n = 0;
  EXPECT_OK(__wasi_fd_write(writer, &iov, 1, &n));
  EXPECT_OK(__wasi_fd_close(plain));
  EXPECT_OK(__wasi_fd_close(created));
  EXPECT_OK(__wasi_fd_close(writer));
  EXPECT_OK(__wasi_fd_close(file));
  EXPECT_OK(__wasi_path_unlink_file(scratch, "file"));
  EXPECT_OK(__wasi_path_unlink_file(scratch, "other"));
  EXPECT_OK(__wasi_fd_close(scratch));
  EXPECT_OK(__wasi_path_remove_directory(dir, "scratch"));
  printf("%s\n", pw_failures ? "FAILED" : "ok");
  return pw_failures ? 1 : 0;
}
