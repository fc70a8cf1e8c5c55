/* exit_code MODE N: leaves with status N by returning from main, exit(), or proc_exit directly;
 * or traps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

/* wasi-libc no longer declares proc_raise; the import is still part of preview 1. */
int32_t raw_proc_raise(int32_t signal)
    __attribute__((__import_module__("wasi_snapshot_preview1"), __import_name__("proc_raise")));
#define SIGNAL_ABRT 6

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "return";
  int status = argc > 2 ? atoi(argv[2]) : 0;
  if (!strcmp(mode, "return")) {
    printf("returning %d\n", status);
    return status;
  }
  if (!strcmp(mode, "exit")) {
    printf("exiting with %d\n", status); /* exit() flushes stdout first */
    exit(status);
  }
  if (!strcmp(mode, "proc_exit")) {
    printf("no newline: this stays in the stdio buffer and is lost");
    __wasi_proc_exit((__wasi_exitcode_t)status);
  }
  if (!strcmp(mode, "raise")) {
    fprintf(stdout, "raising SIGABRT\n");
    fflush(stdout);
    int32_t e = raw_proc_raise(SIGNAL_ABRT);
    printf("proc_raise returned %d\n", (int)e);
    return 1;
  }
  if (!strcmp(mode, "trap")) {
    printf("trapping\n");
    fflush(stdout);
    __builtin_trap();
  }
  fprintf(stderr, "unknown mode %s\n", mode);
  return 2;
}
