/* The errno every failing call returns, checked against what Wasmtime's own preview 1 test
 * programs (crates/test-programs/src/bin/preview1_*.rs) require on Linux. Each section works in
 * a fresh directory "scratch" under the preopen "/work" and prints "<section>: ok" or its
 * failures. Sections marked "parawasm:" check where parawasm deliberately differs. */
#include "wasi_test.h"

/* The raw import, for paths with explicit lengths (wasi-libc's wrapper takes C strings). */
int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len, int32_t oflags,
                      int64_t base, int64_t inheriting, int32_t fdflags, int32_t fd_out)
    __attribute__((__import_module__("wasi_snapshot_preview1"), __import_name__("path_open")));

static __wasi_fd_t preopen;
static __wasi_fd_t dir; /* the scratch directory of the current section */
static int section_failures;

static void begin(void) {
  section_failures = pw_failures;
  __wasi_errno_t e = __wasi_path_create_directory(preopen, "scratch");
  if (e == 0)
    e = __wasi_path_open(preopen, 0, "scratch", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0,
                         0, &dir);
  if (e) {
    printf("cannot make the scratch directory: %s\n", pw_errname(e));
    exit(1);
  }
}

/* Removes everything left in scratch (one level of subdirectories is enough here). */
static void clear(__wasi_fd_t d, const char *prefix) {
  static uint8_t buf[65536];
  __wasi_size_t used = 0;
  if (__wasi_fd_readdir(d, buf, sizeof buf, 0, &used))
    return;
  for (__wasi_size_t at = 0; at + sizeof(__wasi_dirent_t) <= used;) {
    __wasi_dirent_t de;
    memcpy(&de, buf + at, sizeof de);
    char name[512];
    snprintf(name, sizeof name, "%s%.*s", prefix, (int)de.d_namlen,
             (const char *)buf + at + sizeof de);
    at += sizeof de + de.d_namlen;
    if (!strcmp(name + strlen(prefix), ".") || !strcmp(name + strlen(prefix), ".."))
      continue;
    if (de.d_type == __WASI_FILETYPE_DIRECTORY) {
      __wasi_fd_t sub;
      if (__wasi_path_open(dir, 0, name, __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0, 0,
                           &sub) == 0) {
        char p[512];
        snprintf(p, sizeof p, "%s/", name);
        clear(sub, p);
        __wasi_fd_close(sub);
      }
      __wasi_path_remove_directory(dir, name);
    } else {
      __wasi_path_unlink_file(dir, name);
    }
  }
}

static void end(const char *name) {
  clear(dir, "");
  __wasi_fd_close(dir);
  EXPECT_OK(__wasi_path_remove_directory(preopen, "scratch"));
  if (pw_failures == section_failures)
    printf("%s: ok\n", name);
}

static void create_file(const char *path) {
  __wasi_fd_t fd;
  EXPECT_OK(__wasi_path_open(dir, 0, path, __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd));
  __wasi_fd_close(fd);
}

static __wasi_fd_t open_rw(const char *path, __wasi_oflags_t oflags, __wasi_fdflags_t fdflags) {
  __wasi_fd_t fd = 0;
  EXPECT_OK(__wasi_path_open(dir, 0, path, oflags, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE,
                             0, fdflags, &fd));
  return fd;
}

static size_t write_all(__wasi_fd_t fd, const void *data, size_t len) {
  __wasi_ciovec_t iov = {(const uint8_t *)data, len};
  __wasi_size_t n = 0;
  EXPECT_OK(__wasi_fd_write(fd, &iov, 1, &n));
  return n;
}

static size_t read_some(__wasi_fd_t fd, void *data, size_t len) {
  __wasi_iovec_t iov = {(uint8_t *)data, len};
  __wasi_size_t n = 0;
  EXPECT_OK(__wasi_fd_read(fd, &iov, 1, &n));
  return n;
}

static void dir_fd_op_failures(void) {
  begin();
  __wasi_filestat_t st;
  EXPECT_OK(__wasi_fd_filestat_get(dir, &st));
  EXPECT_TRUE(st.filetype == __WASI_FILETYPE_DIRECTORY);
  __wasi_prestat_t pre;
  EXPECT_OK(__wasi_fd_prestat_get(preopen, &pre));
  uint8_t name[64];
  EXPECT_ERRNO(__wasi_fd_prestat_dir_name(preopen, name, 0), __WASI_ERRNO_NAMETOOLONG);
  EXPECT_OK(__wasi_fd_prestat_dir_name(preopen, name, pre.u.dir.pr_name_len + 1));
  uint8_t buf[128];
  __wasi_iovec_t iov = {buf, sizeof buf};
  __wasi_ciovec_t ciov = {buf, sizeof buf};
  __wasi_size_t n;
  __wasi_filesize_t pos;
  EXPECT_ERRNO(__wasi_fd_read(dir, &iov, 1, &n), __WASI_ERRNO_BADF);
  EXPECT_ERRNO(__wasi_fd_pread(dir, &iov, 1, 0, &n), __WASI_ERRNO_BADF);
  EXPECT_ERRNO(__wasi_fd_write(dir, &ciov, 1, &n), __WASI_ERRNO_BADF);
  EXPECT_ERRNO(__wasi_fd_pwrite(dir, &ciov, 1, 0, &n), __WASI_ERRNO_BADF);
  EXPECT_ERRNO(__wasi_fd_seek(dir, 0, __WASI_WHENCE_CUR, &pos), __WASI_ERRNO_BADF);
  EXPECT_ERRNO(__wasi_fd_seek(dir, 0, __WASI_WHENCE_SET, &pos), __WASI_ERRNO_BADF);
  EXPECT_ERRNO(__wasi_fd_seek(dir, 0, __WASI_WHENCE_END, &pos), __WASI_ERRNO_BADF);
  EXPECT_ERRNO(__wasi_fd_tell(dir, &pos), __WASI_ERRNO_BADF);
  EXPECT_ERRNO(__wasi_fd_advise(dir, 0, 0, __WASI_ADVICE_DONTNEED), __WASI_ERRNO_BADF);
  EXPECT_ERRNO(__wasi_fd_allocate(dir, 0, 0), __WASI_ERRNO_BADF);
  EXPECT_ERRNO(__wasi_fd_datasync(dir), __WASI_ERRNO_BADF);
  EXPECT_ERRNO(__wasi_fd_sync(dir), __WASI_ERRNO_BADF);
  EXPECT_ERRNO(__wasi_fd_fdstat_set_flags(dir, __WASI_FDFLAGS_NONBLOCK), __WASI_ERRNO_BADF);
  EXPECT_ERRNO(__wasi_fd_filestat_set_size(dir, 0), __WASI_ERRNO_BADF);
  end("dir_fd_op_failures");
}

static void nofollow_errors(void) {
  begin();
  __wasi_fd_t fd;
  EXPECT_OK(__wasi_path_create_directory(dir, "target"));
  EXPECT_OK(__wasi_path_symlink("target", dir, "symlink"));
  EXPECT_ERRNO2(__wasi_path_open(dir, 0, "symlink", __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &fd),
                __WASI_ERRNO_LOOP, __WASI_ERRNO_NOTDIR);
  EXPECT_ERRNO2(__wasi_path_open(dir, 0, "symlink", 0, 0, 0, 0, &fd), __WASI_ERRNO_LOOP,
                __WASI_ERRNO_ACCES);
  EXPECT_OK(__wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "symlink",
                             __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &fd));
  EXPECT_TRUE(fd > 2);
  __wasi_fd_close(fd);
  EXPECT_OK(__wasi_path_unlink_file(dir, "symlink"));
  EXPECT_OK(__wasi_path_remove_directory(dir, "target"));
  create_file("target");
  EXPECT_OK(__wasi_path_symlink("target", dir, "symlink"));
  EXPECT_ERRNO2(__wasi_path_open(dir, 0, "symlink", __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &fd),
                __WASI_ERRNO_LOOP, __WASI_ERRNO_NOTDIR);
  EXPECT_ERRNO(__wasi_path_open(dir, 0, "symlink", 0, 0, 0, 0, &fd), __WASI_ERRNO_LOOP);
  EXPECT_ERRNO(__wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "symlink",
                                __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &fd),
               __WASI_ERRNO_NOTDIR);
  end("nofollow_errors");
}

static void dangling_symlink(void) {
  begin();
  __wasi_fd_t fd;
  EXPECT_OK(__wasi_path_symlink("target", dir, "symlink"));
  EXPECT_ERRNO2(__wasi_path_open(dir, 0, "symlink", __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &fd),
                __WASI_ERRNO_NOTDIR, __WASI_ERRNO_LOOP);
  EXPECT_ERRNO(__wasi_path_open(dir, 0, "symlink", 0, 0, 0, 0, &fd), __WASI_ERRNO_LOOP);
  EXPECT_OK(__wasi_path_unlink_file(dir, "symlink"));
  end("dangling_symlink");
}

static void interesting_paths(void) {
  begin();
  __wasi_fd_t fd;
  EXPECT_OK(__wasi_path_create_directory(dir, "dir"));
  EXPECT_OK(__wasi_path_create_directory(dir, "dir/nested"));
  create_file("dir/nested/file");
  EXPECT_ERRNO(__wasi_path_open(dir, 0, "/dir/nested/file", 0, 0, 0, 0, &fd), __WASI_ERRNO_PERM);
  EXPECT_OK(__wasi_path_open(dir, 0, "dir/.//nested/../../dir/nested/../nested///./file", 0, 0, 0,
                             0, &fd));
  __wasi_fd_close(fd);
  static const char with_nul[] = "dir/nested/file\0";
  EXPECT_ERRNO(raw_path_open((int32_t)dir, 0, (int32_t)with_nul, 16, 0, 0, 0, 0, (int32_t)&fd),
               __WASI_ERRNO_INVAL);
  EXPECT_ERRNO2(__wasi_path_open(dir, 0, "dir/nested/file/", 0, 0, 0, 0, &fd), __WASI_ERRNO_NOTDIR,
                __WASI_ERRNO_NOENT);
  EXPECT_ERRNO2(__wasi_path_open(dir, 0, "dir/nested/file///", 0, 0, 0, 0, &fd),
                __WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOENT);
  EXPECT_OK(__wasi_path_open(dir, 0, "dir/nested/", 0, 0, 0, 0, &fd));
  __wasi_fd_close(fd);
  EXPECT_OK(__wasi_path_open(dir, 0, "dir/nested///", 0, 0, 0, 0, &fd));
  __wasi_fd_close(fd);
  EXPECT_ERRNO(
      __wasi_path_open(dir, 0, "dir/nested/../../../scratch/dir/nested/file", 0, 0, 0, 0, &fd),
      __WASI_ERRNO_PERM);
  static const char bad_utf8[] = "dir/\xff";
  EXPECT_ERRNO(raw_path_open((int32_t)dir, 0, (int32_t)bad_utf8, 5, 0, 0, 0, 0, (int32_t)&fd),
               __WASI_ERRNO_ILSEQ);
  end("interesting_paths");
}

static void path_rename(void) {
  begin();
  __wasi_fd_t fd;
  EXPECT_OK(__wasi_path_create_directory(dir, "source"));
  EXPECT_OK(__wasi_path_rename(dir, "source", dir, "target"));
  EXPECT_ERRNO(__wasi_path_open(dir, 0, "source", __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &fd),
               __WASI_ERRNO_NOENT);
  EXPECT_OK(__wasi_path_open(dir, 0, "target", __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &fd));
  __wasi_fd_close(fd);
  EXPECT_OK(__wasi_path_remove_directory(dir, "target"));
  EXPECT_OK(__wasi_path_create_directory(dir, "source"));
  EXPECT_OK(__wasi_path_create_directory(dir, "target"));
  EXPECT_OK(__wasi_path_rename(dir, "source", dir, "target"));
  EXPECT_OK(__wasi_path_remove_directory(dir, "target"));
  EXPECT_OK(__wasi_path_create_directory(dir, "source"));
  EXPECT_OK(__wasi_path_create_directory(dir, "target"));
  create_file("target/file");
  EXPECT_ERRNO(__wasi_path_rename(dir, "source", dir, "target"), __WASI_ERRNO_NOTEMPTY);
  EXPECT_ERRNO(__wasi_path_rename(dir, "source", dir, "target/file"), __WASI_ERRNO_NOTDIR);
  EXPECT_OK(__wasi_path_unlink_file(dir, "target/file"));
  EXPECT_OK(__wasi_path_remove_directory(dir, "source"));
  EXPECT_OK(__wasi_path_remove_directory(dir, "target"));
  create_file("source");
  EXPECT_OK(__wasi_path_rename(dir, "source", dir, "target"));
  EXPECT_ERRNO(__wasi_path_open(dir, 0, "source", 0, 0, 0, 0, &fd), __WASI_ERRNO_NOENT);
  create_file("source");
  EXPECT_OK(__wasi_path_rename(dir, "source", dir, "target"));
  EXPECT_OK(__wasi_path_unlink_file(dir, "target"));
  create_file("source");
  EXPECT_OK(__wasi_path_create_directory(dir, "target"));
  EXPECT_ERRNO(__wasi_path_rename(dir, "source", dir, "target"), __WASI_ERRNO_ISDIR);
  end("path_rename");
}

static void path_rename_dir_trailing_slashes(void) {
  begin();
  EXPECT_OK(__wasi_path_create_directory(dir, "source"));
  EXPECT_OK(__wasi_path_rename(dir, "source/", dir, "target"));
  EXPECT_OK(__wasi_path_rename(dir, "target", dir, "source/"));
  EXPECT_OK(__wasi_path_rename(dir, "source/", dir, "target/"));
  EXPECT_OK(__wasi_path_rename(dir, "target", dir, "source"));
  EXPECT_OK(__wasi_path_remove_directory(dir, "source"));
  end("path_rename_dir_trailing_slashes");
}

static void unlink_file_trailing_slashes(void) {
  begin();
  EXPECT_OK(__wasi_path_create_directory(dir, "dir"));
  EXPECT_ERRNO(__wasi_path_unlink_file(dir, "dir"), __WASI_ERRNO_ISDIR);
  EXPECT_ERRNO(__wasi_path_unlink_file(dir, "dir/"), __WASI_ERRNO_ISDIR);
  EXPECT_OK(__wasi_path_remove_directory(dir, "dir"));
  create_file("file");
  EXPECT_ERRNO(__wasi_path_unlink_file(dir, "file/"), __WASI_ERRNO_NOTDIR);
  EXPECT_OK(__wasi_path_unlink_file(dir, "file"));
  end("unlink_file_trailing_slashes");
}

static void path_symlink_trailing_slashes(void) {
  begin();
  EXPECT_ERRNO(__wasi_path_symlink("source", dir, "target/"), __WASI_ERRNO_NOENT);
  EXPECT_OK(__wasi_path_symlink("source", dir, "target"));
  EXPECT_OK(__wasi_path_unlink_file(dir, "target"));
  EXPECT_OK(__wasi_path_create_directory(dir, "target"));
  EXPECT_ERRNO(__wasi_path_symlink("source", dir, "target/"), __WASI_ERRNO_EXIST);
  EXPECT_ERRNO(__wasi_path_symlink("source", dir, "target"), __WASI_ERRNO_EXIST);
  EXPECT_OK(__wasi_path_remove_directory(dir, "target"));
  create_file("target");
  EXPECT_ERRNO(__wasi_path_symlink("source", dir, "target/"), __WASI_ERRNO_NOTDIR);
  EXPECT_ERRNO(__wasi_path_symlink("source", dir, "target"), __WASI_ERRNO_EXIST);
  end("path_symlink_trailing_slashes");
}

static void remove_directories(void) {
  begin();
  EXPECT_OK(__wasi_path_create_directory(dir, "dir"));
  EXPECT_OK(__wasi_path_create_directory(dir, "dir/nested"));
  EXPECT_ERRNO(__wasi_path_remove_directory(dir, "dir"), __WASI_ERRNO_NOTEMPTY);
  EXPECT_OK(__wasi_path_remove_directory(dir, "dir/nested/"));
  EXPECT_OK(__wasi_path_remove_directory(dir, "dir"));
  create_file("file");
  EXPECT_ERRNO(__wasi_path_remove_directory(dir, "file"), __WASI_ERRNO_NOTDIR);
  EXPECT_ERRNO(__wasi_path_remove_directory(dir, "missing"), __WASI_ERRNO_NOENT);
  end("remove_directories");
}

static void symlinks_and_readlink(void) {
  begin();
  __wasi_fd_t fd;
  create_file("target");
  EXPECT_OK(__wasi_path_symlink("target", dir, "symlink"));
  EXPECT_OK(__wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "symlink", 0, 0, 0, 0, &fd));
  __wasi_fd_close(fd);
  char buf[16];
  __wasi_size_t used = 0;
  EXPECT_OK(__wasi_path_readlink(dir, "symlink", (uint8_t *)buf, sizeof buf, &used));
  EXPECT_TRUE(used == 6 && !memcmp(buf, "target", 6));
  EXPECT_OK(__wasi_path_readlink(dir, "symlink", (uint8_t *)buf, 4, &used));
  EXPECT_TRUE(used == 4 && !memcmp(buf, "targ", 4));
  EXPECT_ERRNO(__wasi_path_readlink(dir, "target", (uint8_t *)buf, sizeof buf, &used),
               __WASI_ERRNO_INVAL);
  EXPECT_TRUE(__wasi_path_symlink("/", dir, "root") != __WASI_ERRNO_SUCCESS);
  EXPECT_OK(__wasi_path_symlink("loop", dir, "loop"));
  EXPECT_ERRNO(__wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "loop", 0, 0, 0, 0, &fd),
               __WASI_ERRNO_LOOP);
  end("symlinks_and_readlink");
}

static void path_link(void) {
  begin();
  __wasi_fd_t fd, file_fd, link_fd, subdir;
  EXPECT_OK(__wasi_path_open(dir, 0, "file", __WASI_OFLAGS_CREAT, 0, 0, 0, &fd));
  __wasi_fd_close(fd);
  EXPECT_OK(__wasi_path_open(dir, 0, "file", 0, 0, 0, 0, &file_fd));
  EXPECT_OK(__wasi_path_link(dir, 0, "file", dir, "link"));
  EXPECT_OK(__wasi_path_open(dir, 0, "link", 0, 0, 0, 0, &link_fd));
  __wasi_filestat_t a, b;
  __wasi_fdstat_t fa, fb;
  EXPECT_OK(__wasi_fd_filestat_get(file_fd, &a));
  EXPECT_OK(__wasi_fd_filestat_get(link_fd, &b));
  EXPECT_TRUE(a.dev == b.dev && a.ino == b.ino && a.nlink == 2 && b.nlink == 2);
  EXPECT_OK(__wasi_fd_fdstat_get(file_fd, &fa));
  EXPECT_OK(__wasi_fd_fdstat_get(link_fd, &fb));
  EXPECT_TRUE(fa.fs_rights_base == fb.fs_rights_base && fa.fs_flags == fb.fs_flags);
  __wasi_fd_close(link_fd);
  EXPECT_OK(__wasi_path_unlink_file(dir, "link"));
  EXPECT_OK(__wasi_path_create_directory(dir, "subdir"));
  EXPECT_OK(__wasi_path_open(dir, 0, "subdir", __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &subdir));
  EXPECT_OK(__wasi_path_link(dir, 0, "file", subdir, "link"));
  EXPECT_OK(__wasi_path_unlink_file(subdir, "link"));
  __wasi_fd_close(subdir);
  create_file("link");
  EXPECT_ERRNO(__wasi_path_link(dir, 0, "file", dir, "link"), __WASI_ERRNO_EXIST);
  EXPECT_OK(__wasi_path_unlink_file(dir, "link"));
  EXPECT_ERRNO(__wasi_path_link(dir, 0, "file", dir, "file"), __WASI_ERRNO_EXIST);
  EXPECT_OK(__wasi_path_create_directory(dir, "link"));
  EXPECT_ERRNO(__wasi_path_link(dir, 0, "file", dir, "link"), __WASI_ERRNO_EXIST);
  EXPECT_OK(__wasi_path_remove_directory(dir, "link"));
  EXPECT_ERRNO2(__wasi_path_link(dir, 0, "subdir", dir, "link"), __WASI_ERRNO_PERM,
                __WASI_ERRNO_ACCES);
  EXPECT_ERRNO(__wasi_path_link(dir, 0, "file", dir, "link/"), __WASI_ERRNO_NOENT);
  EXPECT_OK(__wasi_path_symlink("target", dir, "symlink"));
  EXPECT_OK(__wasi_path_link(dir, 0, "symlink", dir, "link"));
  EXPECT_OK(__wasi_path_unlink_file(dir, "symlink"));
  EXPECT_OK(__wasi_path_unlink_file(dir, "link"));
  EXPECT_OK(__wasi_path_symlink("symlink", dir, "symlink"));
  EXPECT_OK(__wasi_path_link(dir, 0, "symlink", dir, "link"));
  EXPECT_OK(__wasi_path_unlink_file(dir, "symlink"));
  EXPECT_OK(__wasi_path_unlink_file(dir, "link"));
  EXPECT_OK(__wasi_path_symlink("target", dir, "symlink"));
  EXPECT_ERRNO(__wasi_path_link(dir, 0, "file", dir, "symlink"), __WASI_ERRNO_EXIST);
  EXPECT_ERRNO(__wasi_path_link(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "symlink", dir, "link"),
               __WASI_ERRNO_INVAL);
  __wasi_fd_close(file_fd);
  end("path_link");
}

static void path_filestat(void) {
  begin();
  __wasi_fd_t fd =
      open_rw("file", __WASI_OFLAGS_CREAT, __WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_SYNC);
  __wasi_fdstat_t fs;
  EXPECT_OK(__wasi_fd_fdstat_get(fd, &fs));
  EXPECT_TRUE(fs.fs_flags & __WASI_FDFLAGS_APPEND);
  EXPECT_TRUE(fs.fs_flags & __WASI_FDFLAGS_SYNC);
  __wasi_filestat_t st, st2;
  EXPECT_OK(__wasi_path_filestat_get(dir, 0, "file", &st));
  EXPECT_TRUE(st.size == 0 && st.filetype == __WASI_FILETYPE_REGULAR_FILE && st.nlink == 1);
  __wasi_timestamp_t mtim = st.mtim - 2000000000ull;
  EXPECT_OK(__wasi_path_filestat_set_times(dir, 0, "file", 0, mtim, __WASI_FSTFLAGS_MTIM));
  EXPECT_OK(__wasi_path_filestat_get(dir, 0, "file", &st2));
  EXPECT_TRUE(st2.mtim == mtim);
  EXPECT_ERRNO(__wasi_path_filestat_set_times(dir, 0, "file", 0, mtim,
                                              __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW),
               __WASI_ERRNO_INVAL);
  EXPECT_ERRNO(__wasi_path_filestat_set_times(dir, 0, "file", 0, 0,
                                              __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW),
               __WASI_ERRNO_INVAL);
  EXPECT_OK(__wasi_path_filestat_get(dir, 0, "file", &st2));
  EXPECT_TRUE(st2.mtim == mtim);
  EXPECT_ERRNO(__wasi_path_filestat_get(dir, 0, "missing", &st2), __WASI_ERRNO_NOENT);
  EXPECT_ERRNO(__wasi_path_filestat_get(dir, 0, "file/", &st2), __WASI_ERRNO_NOTDIR);
  EXPECT_OK(__wasi_fd_filestat_set_times(fd, 5, 7, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  EXPECT_OK(__wasi_fd_filestat_get(fd, &st2));
  EXPECT_TRUE(st2.atim == 5 && st2.mtim == 7);
  __wasi_fd_close(fd);
  end("path_filestat");
}

static void symlink_filestat(void) {
  begin();
  __wasi_fd_t fd = open_rw("file", __WASI_OFLAGS_CREAT, 0);
  __wasi_filestat_t file, sym, st;
  EXPECT_OK(__wasi_path_filestat_get(dir, 0, "file", &file));
  EXPECT_OK(__wasi_path_symlink("file", dir, "symlink"));
  EXPECT_OK(__wasi_path_filestat_get(dir, 0, "symlink", &sym));
  EXPECT_TRUE(sym.filetype == __WASI_FILETYPE_SYMBOLIC_LINK);
  __wasi_timestamp_t mtim = sym.mtim - 2000000000ull;
  EXPECT_OK(__wasi_path_filestat_set_times(dir, 0, "symlink", 0, mtim, __WASI_FSTFLAGS_MTIM));
  EXPECT_OK(__wasi_path_filestat_get(dir, 0, "symlink", &st));
  EXPECT_TRUE(st.mtim == mtim);
  EXPECT_OK(__wasi_path_filestat_get(dir, 0, "file", &st));
  EXPECT_TRUE(st.mtim == file.mtim);
  EXPECT_OK(__wasi_path_filestat_get(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "symlink", &st));
  EXPECT_TRUE(st.mtim == file.mtim && st.filetype == __WASI_FILETYPE_REGULAR_FILE);
  EXPECT_OK(__wasi_path_filestat_set_times(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "symlink", 0,
                                           sym.mtim, __WASI_FSTFLAGS_MTIM));
  EXPECT_OK(__wasi_path_filestat_get(dir, 0, "file", &st));
  EXPECT_TRUE(st.mtim == sym.mtim);
  __wasi_fd_close(fd);
  end("symlink_filestat");
}

static void fd_readdir(void) {
  begin();
  uint8_t buf[256];
  __wasi_size_t used;
  __wasi_filestat_t self;
  EXPECT_OK(__wasi_fd_filestat_get(dir, &self));
  EXPECT_OK(__wasi_fd_readdir(dir, buf, sizeof buf, 0, &used));
  EXPECT_TRUE(used == 2 * sizeof(__wasi_dirent_t) + 3);
  __wasi_dirent_t de;
  memcpy(&de, buf, sizeof de);
  EXPECT_TRUE(de.d_namlen == 1 && buf[sizeof de] == '.' && de.d_type == __WASI_FILETYPE_DIRECTORY &&
              de.d_ino == self.ino && de.d_next == 1);
  create_file("file");
  EXPECT_OK(__wasi_path_create_directory(dir, "nested"));
  EXPECT_OK(__wasi_fd_readdir(dir, buf, sizeof buf, 0, &used));
  int count = 0;
  __wasi_dircookie_t third = 0;
  for (__wasi_size_t at = 0; at + sizeof de <= used; ++count) {
    memcpy(&de, buf + at, sizeof de);
    if (count == 2)
      third = de.d_next;
    at += sizeof de + de.d_namlen;
  }
  EXPECT_TRUE(count == 4);
  EXPECT_OK(__wasi_fd_readdir(dir, buf, sizeof buf, third, &used));
  EXPECT_TRUE(used == sizeof de + 4 || used == sizeof de + 6);
  EXPECT_OK(__wasi_path_unlink_file(dir, "file"));
  EXPECT_OK(__wasi_path_remove_directory(dir, "nested"));
  /* 1000 entries through a 256-byte buffer, resuming from each last complete entry. */
  for (int i = 0; i < 1000; ++i) {
    char name[32];
    snprintf(name, sizeof name, "file.%d", i);
    create_file(name);
  }
  int total = 0;
  __wasi_dircookie_t cookie = 0;
  for (;;) {
    EXPECT_OK(__wasi_fd_readdir(dir, buf, sizeof buf, cookie, &used));
    __wasi_size_t at = 0;
    while (at + sizeof de <= used) {
      memcpy(&de, buf + at, sizeof de);
      if (at + sizeof de + de.d_namlen > used)
        break;
      ++total;
      cookie = de.d_next;
      at += sizeof de + de.d_namlen;
    }
    if (used < sizeof buf)
      break;
  }
  EXPECT_TRUE(total == 1002);
  EXPECT_ERRNO(__wasi_fd_readdir(1, buf, sizeof buf, 0, &used), __WASI_ERRNO_BADF);
  end("fd_readdir");
}

static void file_seek_tell(void) {
  begin();
  __wasi_fd_t fd = open_rw("file", __WASI_OFLAGS_CREAT, 0);
  __wasi_filesize_t pos;
  EXPECT_OK(__wasi_fd_tell(fd, &pos));
  EXPECT_TRUE(pos == 0);
  uint8_t data[100] = {0};
  EXPECT_TRUE(write_all(fd, data, 100) == 100);
  EXPECT_OK(__wasi_fd_tell(fd, &pos));
  EXPECT_TRUE(pos == 100);
  EXPECT_OK(__wasi_fd_seek(fd, -50, __WASI_WHENCE_CUR, &pos));
  EXPECT_TRUE(pos == 50);
  EXPECT_OK(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
  EXPECT_TRUE(pos == 0);
  EXPECT_OK(__wasi_fd_seek(fd, 1000, __WASI_WHENCE_CUR, &pos));
  EXPECT_ERRNO(__wasi_fd_seek(fd, -2000, __WASI_WHENCE_CUR, &pos), __WASI_ERRNO_INVAL);
  EXPECT_OK(__wasi_fd_seek(fd, -10, __WASI_WHENCE_END, &pos));
  EXPECT_TRUE(pos == 90);
  EXPECT_OK(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
  EXPECT_TRUE(read_some(fd, data, 100) == 100);
  EXPECT_OK(__wasi_fd_tell(fd, &pos));
  EXPECT_TRUE(pos == 100);
  EXPECT_ERRNO(__wasi_fd_seek(1, 0, __WASI_WHENCE_CUR, &pos), __WASI_ERRNO_SPIPE);
  EXPECT_ERRNO(__wasi_fd_tell(0, &pos), __WASI_ERRNO_SPIPE);
  __wasi_fd_close(fd);
  end("file_seek_tell");
}

static void path_open_read_write(void) {
  begin();
  create_file("file");
  __wasi_fd_t ro, wo, rw;
  uint8_t buf[100];
  __wasi_fdstat_t st;
  EXPECT_OK(__wasi_path_open(dir, 0, "file", 0, __WASI_RIGHTS_FD_READ, 0, 0, &ro));
  EXPECT_OK(__wasi_fd_fdstat_get(ro, &st));
  EXPECT_TRUE((st.fs_rights_base & __WASI_RIGHTS_FD_READ) &&
              !(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE));
  EXPECT_TRUE(read_some(ro, buf, sizeof buf) == 0);
  __wasi_ciovec_t ciov = {buf, 50};
  __wasi_size_t n;
  EXPECT_ERRNO2(__wasi_fd_write(ro, &ciov, 1, &n), __WASI_ERRNO_PERM, __WASI_ERRNO_BADF);
  __wasi_fd_close(ro);
  EXPECT_OK(__wasi_path_open(dir, 0, "file", 0, __WASI_RIGHTS_FD_WRITE, 0, 0, &wo));
  EXPECT_OK(__wasi_fd_fdstat_get(wo, &st));
  EXPECT_TRUE(!(st.fs_rights_base & (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR)) &&
              (st.fs_rights_base & __WASI_RIGHTS_FD_WRITE));
  __wasi_iovec_t iov = {buf, sizeof buf};
  EXPECT_ERRNO2(__wasi_fd_read(wo, &iov, 1, &n), __WASI_ERRNO_PERM, __WASI_ERRNO_BADF);
  memset(buf, 1, 50);
  EXPECT_TRUE(write_all(wo, buf, 50) == 50);
  __wasi_fd_close(wo);
  rw = open_rw("file", 0, 0);
  EXPECT_TRUE(read_some(rw, buf, sizeof buf) == 50);
  EXPECT_TRUE(write_all(rw, buf, 25) == 25);
  __wasi_filestat_t fst;
  EXPECT_OK(__wasi_fd_filestat_get(rw, &fst));
  EXPECT_TRUE(fst.size == 75);
  __wasi_fd_close(rw);
  end("path_open_read_write");
}

static void file_truncation_and_create(void) {
  begin();
  __wasi_fd_t fd;
  EXPECT_OK(
      __wasi_path_open(dir, 0, "test.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd));
  EXPECT_TRUE(write_all(fd, "this content will be truncated!", 31) == 31);
  __wasi_fd_close(fd);
  fd = open_rw("test.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, 0);
  char buf[100];
  EXPECT_TRUE(read_some(fd, buf, sizeof buf) == 0);
  __wasi_fd_close(fd);
  EXPECT_ERRNO(
      __wasi_path_open(dir, 0, "test.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, 0, 0, 0, &fd),
      __WASI_ERRNO_EXIST);
  EXPECT_ERRNO(__wasi_path_open(dir, 0, "missing", 0, 0, 0, 0, &fd), __WASI_ERRNO_NOENT);
  EXPECT_ERRNO(
      __wasi_path_open(dir, 0, "d", __WASI_OFLAGS_DIRECTORY | __WASI_OFLAGS_CREAT, 0, 0, 0, &fd),
      __WASI_ERRNO_INVAL);
  EXPECT_OK(__wasi_path_open(dir, 0, "test.txt", 0, 0, 0, 0, &fd));
  __wasi_fd_t inner;
  EXPECT_ERRNO(__wasi_path_open(fd, 0, "foo", __WASI_OFLAGS_CREAT, 0, 0, 0, &inner),
               __WASI_ERRNO_NOTDIR);
  EXPECT_ERRNO(__wasi_path_create_directory(fd, "foo"), __WASI_ERRNO_BADF);
  __wasi_fd_close(fd);
  end("file_truncation_and_create");
}

static void fd_flags_set(void) {
  begin();
  __wasi_fd_t fd = open_rw("file", __WASI_OFLAGS_CREAT, __WASI_FDFLAGS_APPEND);
  uint8_t zeros[100] = {0}, ones[100], twos[100], buf[100];
  memset(ones, 1, sizeof ones);
  memset(twos, 2, sizeof twos);
  __wasi_filesize_t pos;
  EXPECT_TRUE(write_all(fd, zeros, 100) == 100);
  EXPECT_OK(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
  EXPECT_TRUE(write_all(fd, ones, 100) == 100); /* appends */
  EXPECT_OK(__wasi_fd_seek(fd, 100, __WASI_WHENCE_SET, &pos));
  EXPECT_TRUE(read_some(fd, buf, 100) == 100 && !memcmp(buf, ones, 100));
  EXPECT_OK(__wasi_fd_fdstat_set_flags(fd, 0));
  EXPECT_OK(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
  EXPECT_TRUE(write_all(fd, twos, 100) == 100);
  EXPECT_OK(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
  EXPECT_TRUE(read_some(fd, buf, 100) == 100 && !memcmp(buf, twos, 100));
  EXPECT_ERRNO(__wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_SYNC), __WASI_ERRNO_INVAL);
  EXPECT_ERRNO(__wasi_fd_fdstat_set_flags(1, __WASI_FDFLAGS_NONBLOCK), __WASI_ERRNO_BADF);
  __wasi_fd_close(fd);
  __wasi_filestat_t st;
  EXPECT_OK(__wasi_path_filestat_get(dir, 0, "file", &st));
  EXPECT_TRUE(st.size == 200);
  end("fd_flags_set");
}

static void pread_pwrite(void) {
  begin();
  __wasi_fd_t fd = open_rw("file", __WASI_OFLAGS_CREAT, 0);
  EXPECT_TRUE(write_all(fd, "0123456789", 10) == 10);
  __wasi_ciovec_t c = {(const uint8_t *)"AB", 2};
  __wasi_size_t n;
  EXPECT_OK(__wasi_fd_pwrite(fd, &c, 1, 3, &n));
  uint8_t buf[16] = {0};
  __wasi_iovec_t iovs[2] = {{buf, 3}, {buf + 8, 4}}; /* scattered over two buffers */
  EXPECT_OK(__wasi_fd_pread(fd, iovs, 2, 1, &n));
  EXPECT_TRUE(n == 7 && !memcmp(buf, "12A", 3) && !memcmp(buf + 8, "B567", 4));
  __wasi_filesize_t pos;
  EXPECT_OK(__wasi_fd_tell(fd, &pos));
  EXPECT_TRUE(pos == 10);
  EXPECT_ERRNO(__wasi_fd_pread(0, iovs, 1, 0, &n), __WASI_ERRNO_SPIPE);
  EXPECT_ERRNO(__wasi_fd_pwrite(1, &c, 1, 0, &n), __WASI_ERRNO_SPIPE);
  __wasi_fd_close(fd);
  fd = open_rw("file", 0, __WASI_FDFLAGS_APPEND);
  EXPECT_OK(__wasi_fd_pwrite(fd, &c, 1, 0, &n)); /* Linux appends regardless of the offset */
  __wasi_filestat_t st;
  EXPECT_OK(__wasi_fd_filestat_get(fd, &st));
  EXPECT_TRUE(st.size == 12);
  __wasi_fd_close(fd);
  end("pread_pwrite");
}

static void renumber(void) {
  begin();
  __wasi_fd_t from = open_rw("file1", __WASI_OFLAGS_CREAT, 0);
  __wasi_fd_t to = open_rw("file2", __WASI_OFLAGS_CREAT, 0);
  __wasi_fdstat_t a, b;
  EXPECT_OK(__wasi_fd_fdstat_get(from, &a));
  EXPECT_OK(__wasi_fd_renumber(from, to));
  EXPECT_ERRNO(__wasi_fd_close(from), __WASI_ERRNO_BADF);
  EXPECT_OK(__wasi_fd_fdstat_get(to, &b));
  EXPECT_TRUE(a.fs_filetype == b.fs_filetype && a.fs_flags == b.fs_flags &&
              a.fs_rights_base == b.fs_rights_base &&
              a.fs_rights_inheriting == b.fs_rights_inheriting);
  EXPECT_ERRNO(__wasi_fd_renumber(to, 4000), __WASI_ERRNO_BADF);
  EXPECT_ERRNO(__wasi_fd_renumber(4000, to), __WASI_ERRNO_BADF);
  __wasi_fd_close(to);
  end("renumber");
}

static void fdstat_and_rights(void) {
  begin();
  __wasi_fdstat_t st;
  EXPECT_OK(__wasi_fd_fdstat_get(preopen, &st));
  EXPECT_TRUE(st.fs_filetype == __WASI_FILETYPE_DIRECTORY && st.fs_flags == 0);
  EXPECT_TRUE(st.fs_rights_base & __WASI_RIGHTS_PATH_OPEN);
  EXPECT_TRUE(!(st.fs_rights_base & __WASI_RIGHTS_FD_SEEK));
  EXPECT_TRUE(st.fs_rights_inheriting & __WASI_RIGHTS_FD_WRITE);
  for (__wasi_fd_t fd = 0; fd < 3; ++fd) {
    EXPECT_OK(__wasi_fd_fdstat_get(fd, &st));
    EXPECT_TRUE(st.fs_rights_base == (fd == 0 ? __WASI_RIGHTS_FD_READ : __WASI_RIGHTS_FD_WRITE));
  }
  __wasi_fd_t fd = open_rw("file", __WASI_OFLAGS_CREAT, 0);
  EXPECT_OK(__wasi_fd_fdstat_get(fd, &st));
  EXPECT_TRUE(st.fs_filetype == __WASI_FILETYPE_REGULAR_FILE);
  /* wasi-libc's isatty: a character device without seek rights. A file is not. */
  EXPECT_TRUE((st.fs_rights_base & (__WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL)) != 0);
  /* parawasm: narrowing rights is enforced (Wasmtime answers ENOTSUP and enforces nothing). */
  EXPECT_OK(__wasi_fd_fdstat_set_rights(fd, st.fs_rights_base & ~__WASI_RIGHTS_FD_SEEK, 0));
  __wasi_filesize_t pos;
  EXPECT_ERRNO(__wasi_fd_seek(fd, 1, __WASI_WHENCE_SET, &pos), __WASI_ERRNO_NOTCAPABLE);
  EXPECT_ERRNO(__wasi_fd_fdstat_set_rights(fd, st.fs_rights_base, 0), __WASI_ERRNO_NOTCAPABLE);
  __wasi_fd_close(fd);
  end("fdstat_and_rights");
}

static void allocate_and_advise(void) {
  begin();
  /* parawasm: fd_allocate is posix_fallocate (Wasmtime answers ENOTSUP). */
  __wasi_fd_t fd = open_rw("file", __WASI_OFLAGS_CREAT, 0);
  EXPECT_OK(__wasi_fd_allocate(fd, 0, 100));
  __wasi_filestat_t st;
  EXPECT_OK(__wasi_fd_filestat_get(fd, &st));
  EXPECT_TRUE(st.size == 100);
  EXPECT_OK(__wasi_fd_allocate(fd, 90, 20));
  EXPECT_OK(__wasi_fd_filestat_get(fd, &st));
  EXPECT_TRUE(st.size == 110);
  EXPECT_OK(__wasi_fd_advise(fd, 0, 110, __WASI_ADVICE_SEQUENTIAL));
  EXPECT_ERRNO(__wasi_fd_advise(fd, 0, 110, 6), __WASI_ERRNO_INVAL);
  EXPECT_OK(__wasi_fd_sync(fd));
  EXPECT_OK(__wasi_fd_datasync(fd));
  EXPECT_ERRNO(__wasi_fd_allocate(1, 0, 1), __WASI_ERRNO_BADF);
  __wasi_fd_close(fd);
  end("allocate_and_advise");
}

static void poll_oneoff_files(void) {
  begin();
  __wasi_subscription_t subs[2];
  __wasi_event_t ev[2];
  __wasi_size_t n;
  EXPECT_ERRNO(__wasi_poll_oneoff(subs, ev, 0, &n), __WASI_ERRNO_INVAL);
  __wasi_fd_t w;
  EXPECT_OK(
      __wasi_path_open(dir, 0, "readable", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0, &w));
  EXPECT_TRUE(write_all(w, "x", 1) == 1);
  __wasi_fd_close(w);
  __wasi_fd_t r;
  EXPECT_OK(__wasi_path_open(dir, 0, "readable", 0, __WASI_RIGHTS_FD_READ, 0, 0, &r));
  EXPECT_OK(
      __wasi_path_open(dir, 0, "writable", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0, &w));
  memset(subs, 0, sizeof subs);
  subs[0].userdata = 1;
  subs[0].u.tag = __WASI_EVENTTYPE_FD_READ;
  subs[0].u.u.fd_read.file_descriptor = r;
  subs[1].userdata = 2;
  subs[1].u.tag = __WASI_EVENTTYPE_FD_WRITE;
  subs[1].u.u.fd_write.file_descriptor = w;
  EXPECT_OK(__wasi_poll_oneoff(subs, ev, 2, &n));
  EXPECT_TRUE(n == 2 && ev[0].userdata == 1 && ev[0].error == 0 &&
              ev[0].type == __WASI_EVENTTYPE_FD_READ && ev[1].userdata == 2 && ev[1].error == 0 &&
              ev[1].type == __WASI_EVENTTYPE_FD_WRITE);
  subs[0].u.u.fd_read.file_descriptor = 0xFFFFFFFFu;
  subs[1].u.u.fd_write.file_descriptor = 0xFFFFFFFFu;
  EXPECT_ERRNO(__wasi_poll_oneoff(subs, ev, 2, &n), __WASI_ERRNO_BADF);
  __wasi_fd_close(r);
  __wasi_fd_close(w);
  end("poll_oneoff_files");
}

static void overwrite_and_close_preopen(void) {
  /* Last: it takes the preopen away. */
  __wasi_fd_t d;
  EXPECT_OK(__wasi_path_create_directory(preopen, "last"));
  EXPECT_OK(__wasi_path_open(preopen, 0, "last", __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &d));
  __wasi_filestat_t before, after;
  EXPECT_OK(__wasi_fd_filestat_get(d, &before));
  EXPECT_OK(__wasi_path_remove_directory(preopen, "last"));
  int failures = pw_failures;
  EXPECT_OK(__wasi_fd_renumber(d, preopen));
  EXPECT_OK(__wasi_fd_filestat_get(preopen, &after));
  EXPECT_TRUE(before.dev == after.dev && before.ino == after.ino);
  __wasi_fdstat_t st;
  EXPECT_ERRNO(__wasi_fd_fdstat_get(d, &st), __WASI_ERRNO_BADF);
  EXPECT_ERRNO(__wasi_fd_prestat_get(preopen, &(__wasi_prestat_t){0}), __WASI_ERRNO_BADF);
  EXPECT_OK(__wasi_fd_close(preopen));
  EXPECT_ERRNO(__wasi_fd_fdstat_get(preopen, &st), __WASI_ERRNO_BADF);
  EXPECT_ERRNO(__wasi_fd_close(preopen), __WASI_ERRNO_BADF);
  if (pw_failures == failures)
    printf("overwrite_and_close_preopen: ok\n");
}

int main(void) {
  int fd = pw_find_preopen("/work");
  if (fd < 0) {
    printf("no /work preopen\n");
    return 1;
  }
  preopen = (__wasi_fd_t)fd;
  dir_fd_op_failures();
  nofollow_errors();
  dangling_symlink();
  interesting_paths();
  path_rename();
  path_rename_dir_trailing_slashes();
  unlink_file_trailing_slashes();
  path_symlink_trailing_slashes();
  remove_directories();
  symlinks_and_readlink();
  path_link();
  path_filestat();
  symlink_filestat();
  fd_readdir();
  file_seek_tell();
  path_open_read_write();
  file_truncation_and_create();
  fd_flags_set();
  pread_pwrite();
  renumber();
  fdstat_and_rights();
  allocate_and_advise();
  poll_oneoff_files();
  overwrite_and_close_preopen();
  printf("%d failures\n", pw_failures);
  return pw_failures != 0;
}
