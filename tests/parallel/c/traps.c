// A trap in one iteration ends the exec with kernel_trapped and leaves the device usable; it
// never traps the guest.   traps [DEVICE_HINT]
#include <stdio.h>
#include <string.h>
#include <wasi_parallel.h>

#include "pt_trap_kernel.h"

enum { N = 300 };
static int32_t params[2];
static unsigned char done[N];

int main(int argc, char **argv) {
  wp_device_t dev = wp_device(wp_hint_from_args(argc, argv, 1, WP_DEVICE_CPU));
  wp_buffer_t in[] = {wp_buffer_in(dev, params, sizeof params)};
  wp_buffer_t out[] = {wp_buffer_out(dev, done, sizeof done)};
  static const char *kinds[] = {"unreachable", "out-of-bounds load", "division by zero",
                                "stack overflow"};
  static const int32_t targets[] = {0, 7, N - 1};
  int failures = 0;
  for (int32_t kind = 0; kind < 4; kind++) {
    for (size_t t = 0; t < WP_COUNT(targets); t++) {
      params[0] = kind;
      params[1] = targets[t];
      memset(done, 0, sizeof done);
      wp_update(in[0], params, sizeof params);
      wp_update(out[0], done, sizeof done);
      wp_errno_t err = wp_try_exec(dev, pt_trap_kernel, N, 4, in, 1, out, 1);
      wp_read(out[0], done, sizeof done);
      int ok = err == WP_ERR_KERNEL_TRAPPED && done[targets[t]] == 0;
      failures += !ok;
      printf("%s at %d: %s, the iteration did not finish: %s\n", kinds[kind], targets[t],
             wp_strerror(err), done[targets[t]] ? "no" : "yes");
    }
    // The device still works: the same kernel with no trapping iteration.
    params[1] = N;
    memset(done, 0, sizeof done);
    wp_update(in[0], params, sizeof params);
    wp_update(out[0], done, sizeof done);
    wp_errno_t err = wp_try_exec(dev, pt_trap_kernel, N, 4, in, 1, out, 1);
    wp_read(out[0], done, sizeof done);
    int missing = 0;
    for (int i = 0; i < N; i++)
      missing += done[i] != 1;
    failures += err != WP_SUCCESS || missing;
    printf("%s nowhere: %s, %d iterations missing\n", kinds[kind], wp_strerror(err), missing);
  }
  // Many trapping execs in a row: each one is reported, none leaves anything behind.
  params[0] = 0;
  params[1] = 0;
  wp_update(in[0], params, sizeof params);
  int trapped = 0;
  for (int i = 0; i < 500; i++)
    trapped +=
        wp_try_exec(dev, pt_trap_kernel, 1 + i % 5, 1, in, 1, out, 1) == WP_ERR_KERNEL_TRAPPED;
  failures += trapped != 500;
  printf("500 trapping execs: %d trapped\n", trapped);
  printf("traps: %s\n", failures ? "FAILED" : "ok");
  return failures != 0;
}
