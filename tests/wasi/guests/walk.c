/* A directory walker: lists a tree depth first, entries sorted by name, with type and size, and
 * the target of each symlink. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(const char *path, int depth) {
  DIR *d = opendir(path);
  if (!d) {
    printf("%*s!%s: %s\n", depth * 2, "", path, strerror(errno));
    return 1;
  }
  char *names[256];
  int n = 0, saw_dot = 0, saw_dotdot = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 256) {
    if (!strcmp(e->d_name, ".")) {
      saw_dot = 1;
      continue;
    }
    if (!strcmp(e->d_name, "..")) {
      saw_dotdot = 1;
      continue;
    }
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  if (!saw_dot || !saw_dotdot)
    printf("%*s(missing . or ..)\n", depth * 2, "");
  qsort(names, (size_t)n, sizeof names[0], cmp);
  int status = 0;
  for (int i = 0; i < n; ++i) {
    char child[1024];
    snprintf(child, sizeof child, "%s/%s", path, names[i]);
    struct stat st;
    if (lstat(child, &st) != 0) {
      printf("%*s%s: lstat: %s\n", depth * 2, "", names[i], strerror(errno));
      status = 1;
    } else if (S_ISDIR(st.st_mode)) {
      printf("%*s%s/\n", depth * 2, "", names[i]);
      status |= walk(child, depth + 1);
    } else if (S_ISLNK(st.st_mode)) {
      char target[256];
      ssize_t len = readlink(child, target, sizeof target - 1);
      target[len < 0 ? 0 : len] = 0;
      printf("%*s%s -> %s\n", depth * 2, "", names[i], target);
    } else {
      printf("%*s%s (%lld bytes)\n", depth * 2, "", names[i], (long long)st.st_size);
    }
    free(names[i]);
  }
  return status;
}

int main(int argc, char **argv) {
  const char *root = argc > 1 ? argv[1] : ".";
  printf("%s/\n", root);
  return walk(root, 1);
}
