/* copy SRC DST: copies a file through a small buffer, then edits the copy in place with lseek,
 * write, pwrite, pread, ftruncate and O_APPEND, printing what it sees after each step. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long long size_of(int fd) {
  struct stat st;
  return fstat(fd, &st) == 0 ? (long long)st.st_size : -1;
}

static void show(const char *path) {
  int fd = open(path, O_RDONLY);
  char buf[256];
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  printf("content:");
  for (ssize_t i = 0; i < n; ++i)
    putchar(buf[i] == 0 ? '.' : buf[i] == '\n' ? '|' : buf[i]);
  printf("\n");
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: copy SRC DST\n");
    return 2;
  }
  int in = open(argv[1], O_RDONLY);
  int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (in < 0 || out < 0) {
    printf("open failed: %s\n", strerror(errno));
    return 1;
  }
  char buf[1000];
  long long total = 0;
  ssize_t n;
  while ((n = read(in, buf, sizeof buf)) > 0) {
    if (write(out, buf, (size_t)n) != n) {
      printf("short write\n");
      return 1;
    }
    total += n;
  }
  printf("copied %lld bytes, source %lld, copy %lld\n", total, size_of(in), size_of(out));
  close(in);
  close(out);

  int fd = open(argv[2], O_RDWR);
  printf("end at %lld\n", (long long)lseek(fd, 0, SEEK_END));
  printf("seek to %lld\n", (long long)lseek(fd, 7, SEEK_SET));
  write(fd, "WASI", 4);
  printf("now at %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  pwrite(fd, "J", 1, 0);
  printf("still at %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  char head[16] = {0};
  pread(fd, head, 15, 0);
  printf("head: %s\n", head);
  errno = 0;
  printf("seek before start: %lld (%s)\n", (long long)lseek(fd, -5, SEEK_SET),
         errno == EINVAL ? "EINVAL" : strerror(errno));

  ftruncate(fd, 20);
  printf("truncated to %lld\n", size_of(fd));
  ftruncate(fd, 24);
  printf("extended to %lld\n", size_of(fd));
  lseek(fd, 30, SEEK_SET);
  write(fd, "end", 3);
  printf("after a write past the end: %lld\n", size_of(fd));
  close(fd);
  show(argv[2]);

  fd = open(argv[2], O_WRONLY | O_APPEND);
  lseek(fd, 0, SEEK_SET);
  write(fd, "++", 2);
  printf("append ignores the offset: %lld bytes\n", size_of(fd));
  close(fd);
  show(argv[2]);

  char moved[256];
  snprintf(moved, sizeof moved, "%s.bak", argv[2]);
  printf("rename: %s\n", rename(argv[2], moved) == 0 ? "ok" : strerror(errno));
  printf("old name gone: %s\n", access(argv[2], F_OK) != 0 && errno == ENOENT ? "yes" : "no");
  printf("unlink: %s\n", unlink(moved) == 0 ? "ok" : strerror(errno));
  return 0;
}
