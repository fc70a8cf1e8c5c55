/* Attempts to reach outside the preopened directory "/box" by every route preview 1 offers. Each
 * attempt prints the errno it got; the test driver checks that nothing outside changed.
 *
 * The fixture: /box (the sandbox) holds file.txt, sub/, link_etc -> /etc,
 * link_up -> ../outside/secret.txt, link_updir -> ../outside, dangling -> ../outside/created.txt;
 * ../outside/secret.txt lies next to the sandbox. */
#include "wasi_test.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static int box;

static void attempt_open(const char *path, __wasi_lookupflags_t lookup, __wasi_oflags_t oflags) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(box, lookup, path, oflags,
                                      __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, 0, &fd);
  printf("open%s%s %s: %s\n", lookup ? "(follow)" : "",
         oflags & __WASI_OFLAGS_CREAT ? "(creat)" : "", path, pw_errname(e));
  if (e == 0)
    __wasi_fd_close(fd);
}

static void show(const char *what, const char *path, __wasi_errno_t e) {
  printf("%s %s: %s\n", what, path, pw_errname(e));
}

static void libc_attempt(const char *path) {
  errno = 0;
  int fd = open(path, O_RDONLY);
  printf("libc open %s: %s\n", path, fd >= 0 ? "opened" : strerror(errno));
  if (fd >= 0)
    close(fd);
}

int main(void) {
  box = pw_find_preopen("/box");
  if (box < 0) {
    printf("no /box preopen\n");
    return 1;
  }
  /* Paths that climb out or start at the root. */
  attempt_open("../outside/secret.txt", 0, 0);
  attempt_open("..", 0, __WASI_OFLAGS_DIRECTORY);
  attempt_open("/etc/passwd", 0, 0);
  attempt_open("sub/../../outside/secret.txt", 0, 0);
  attempt_open("sub/../../../../../../../../etc/passwd", 0, 0);
  attempt_open("sub/./../file.txt", 0, 0); /* stays inside: fine */
  /* Symlinks that lead out. */
  attempt_open("link_etc/passwd", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0);
  attempt_open("link_etc/passwd", 0, 0); /* intermediate links are always followed */
  attempt_open("link_up", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0);
  attempt_open("link_up", 0, 0);
  attempt_open("link_updir/secret.txt", 0, 0);
  attempt_open("sub/../link_updir/./secret.txt", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0);
  /* Creating outside, directly or through a dangling link. */
  attempt_open("../outside/new.txt", 0, __WASI_OFLAGS_CREAT);
  attempt_open("dangling", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, __WASI_OFLAGS_CREAT);
  attempt_open("link_updir/new.txt", 0, __WASI_OFLAGS_CREAT);
  show("mkdir", "../outside/newdir", __wasi_path_create_directory(box, "../outside/newdir"));
  show("mkdir", "link_updir/newdir", __wasi_path_create_directory(box, "link_updir/newdir"));
  /* Moving things out, or in. */
  show("rename file.txt to", "../outside/moved.txt",
       __wasi_path_rename(box, "file.txt", box, "../outside/moved.txt"));
  show("rename file.txt to", "/tmp/moved.txt",
       __wasi_path_rename(box, "file.txt", box, "/tmp/moved.txt"));
  show("rename file.txt to", "link_updir/moved.txt",
       __wasi_path_rename(box, "file.txt", box, "link_updir/moved.txt"));
  show("rename", "link_updir/secret.txt",
       __wasi_path_rename(box, "link_updir/secret.txt", box, "stolen.txt"));
  show("rename", "link_updir (the link itself)",
       __wasi_path_rename(box, "link_updir", box, "renamed_link"));
  __wasi_path_rename(box, "renamed_link", box, "link_updir");
  /* Removing things outside. */
  show("unlink", "../outside/secret.txt", __wasi_path_unlink_file(box, "../outside/secret.txt"));
  show("unlink", "link_updir/secret.txt", __wasi_path_unlink_file(box, "link_updir/secret.txt"));
  show("rmdir", "..", __wasi_path_remove_directory(box, ".."));
  show("rmdir", "link_updir/", __wasi_path_remove_directory(box, "link_updir/"));
  /* Links. */
  show("symlink to", "/etc/passwd", __wasi_path_symlink("/etc/passwd", box, "abs_link"));
  show("symlink to", "../outside/secret.txt (creating it)",
       __wasi_path_symlink("../outside/secret.txt", box, "rel_link"));
  attempt_open("rel_link", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0);
  __wasi_path_unlink_file(box, "rel_link");
  show("symlink at", "../outside/evil", __wasi_path_symlink("file.txt", box, "../outside/evil"));
  show("hard link of", "../outside/secret.txt",
       __wasi_path_link(box, 0, "../outside/secret.txt", box, "hard"));
  show("hard link of", "link_updir/secret.txt",
       __wasi_path_link(box, 0, "link_updir/secret.txt", box, "hard"));
  show("hard link of link_up (following)", "",
       __wasi_path_link(box, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link_up", box, "hard"));
  show("hard link to", "../outside/hard",
       __wasi_path_link(box, 0, "file.txt", box, "../outside/hard"));
  /* Looking and touching. */
  __wasi_filestat_t st;
  show("stat(follow)", "link_etc",
       __wasi_path_filestat_get(box, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link_etc", &st));
  show("stat", "link_etc", __wasi_path_filestat_get(box, 0, "link_etc", &st));
  printf("  which is a %s\n", st.filetype == __WASI_FILETYPE_SYMBOLIC_LINK ? "symlink" : "?");
  show("stat", "link_etc/", __wasi_path_filestat_get(box, 0, "link_etc/", &st));
  show("stat", "../outside", __wasi_path_filestat_get(box, 0, "../outside", &st));
  show("set times(follow)", "link_up",
       __wasi_path_filestat_set_times(box, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link_up", 0, 0,
                                      __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW));
  char buf[64];
  __wasi_size_t used = 0;
  __wasi_errno_t e = __wasi_path_readlink(box, "link_etc", (uint8_t *)buf, sizeof buf, &used);
  printf("readlink link_etc: %s \"%.*s\"\n", pw_errname(e), (int)used, buf);
  show("readlink", "link_updir/../outside/secret.txt",
       __wasi_path_readlink(box, "link_updir/../outside/secret.txt", (uint8_t *)buf, sizeof buf,
                            &used));
  /* Through the C library, which maps absolute paths onto preopens itself. */
  libc_attempt("/etc/passwd");
  libc_attempt("/box/../outside/secret.txt");
  libc_attempt("/box/link_etc/passwd");
  libc_attempt("/box/sub/../file.txt");
  return 0;
}
