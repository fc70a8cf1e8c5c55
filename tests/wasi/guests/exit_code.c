/* exit_code MODE N: leaves with status N by returning from main, exit(), or proc_exit directly;
 * or traps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

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
    printf("this line stays in the stdio buffer\n");
    __wasi_proc_exit((__wasi_exitcode_t)status);
  }
  if (!strcmp(mode, "raise")) {
    fprintf(stdout, "raising SIGABRT\n");
    fflush(stdout);
    __wasi_errno_t e = __wasi_proc_raise(__WASI_SIGNAL_ABRT);
    printf("proc_raise returned %d\n", e);
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
