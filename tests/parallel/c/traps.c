// A trap in one iteration ends the exec with kernel_trapped and leaves the device usable; it
// never traps the guest.   traps [DEVICE_HINT]
// The traps run on the device of the hint, except the stack overflows: they need recursion,
// which a GPU refuses (docs/gpu.md), so they run on the cpu device, and the device of the hint
// is only asked to either trap or refuse. The output is the same on every device.
#include <stdio.h>
#include <string.h>
#include <wasi_parallel.h>

#include "pt_deep_trap_kernel.h"
#include "pt_trap_kernel.h"

enum { N = 300 };
static int32_t params[2];
static unsigned char done[N];
static int failures;

// The execs of one kind of trap on `dev`: iteration `target` traps, for a few targets, then
// none does (the device still works).
static void trapsOfOneKind(wp_device_t dev, wp_kernel_t kernel, int32_t kind, const char *name) {
  wp_buffer_t in[] = {wp_buffer_in(dev, params, sizeof params)};
  // read_write: the zeros go to the device, so an iteration that never finishes leaves its 0
  // there too (a write buffer's region is whatever the device held: docs/wasi-parallel.md).
  wp_buffer_t out[] = {wp_buffer_inout(dev, done, sizeof done)};
  static const int32_t targets[] = {0, 7, N - 1};
  for (size_t t = 0; t < WP_COUNT(targets); t++) {
    params[0] = kind;
    params[1] = targets[t];
    memset(done, 0, sizeof done);
    wp_update(in[0], params, sizeof params);
    wp_update(out[0], done, sizeof done);
    wp_errno_t err = wp_try_exec(dev, kernel, N, 4, in, 1, out, 1);
    wp_read(out[0], done, sizeof done);
    int ok = err == WP_ERR_KERNEL_TRAPPED && done[targets[t]] == 0;
    failures += !ok;
    printf("%s at %d: %s, the iteration did not finish: %s\n", name, targets[t], wp_strerror(err),
           done[targets[t]] ? "no" : "yes");
  }
  params[1] = N;
  memset(done, 0, sizeof done);
  wp_update(in[0], params, sizeof params);
  wp_update(out[0], done, sizeof done);
  wp_errno_t err = wp_try_exec(dev, kernel, N, 4, in, 1, out, 1);
  wp_read(out[0], done, sizeof done);
  int missing = 0;
  for (int i = 0; i < N; i++)
    missing += done[i] != 1;
  failures += err != WP_SUCCESS || missing;
  printf("%s nowhere: %s, %d iterations missing\n", name, wp_strerror(err), missing);
}

int main(int argc, char **argv) {
  wp_device_t dev = wp_device(wp_hint_from_args(argc, argv, 1, WP_DEVICE_CPU));
  static const char *kinds[] = {"unreachable", "out-of-bounds load", "division by zero"};
  for (int32_t kind = 0; kind < 3; kind++)
    trapsOfOneKind(dev, pt_trap_kernel, kind, kinds[kind]);
  trapsOfOneKind(wp_device(WP_DEVICE_CPU), pt_deep_trap_kernel, 0, "stack overflow");

  // The device of the hint: a stack overflow traps there, or (a GPU) the kernel is refused.
  wp_buffer_t in[] = {wp_buffer_in(dev, params, sizeof params)};
  // read_write: the zeros go to the device, so an iteration that never finishes leaves its 0
  // there too (a write buffer's region is whatever the device held: docs/wasi-parallel.md).
  wp_buffer_t out[] = {wp_buffer_inout(dev, done, sizeof done)};
  params[0] = 0;
  params[1] = 7;
  wp_update(in[0], params, sizeof params);
  wp_errno_t deep = wp_try_exec(dev, pt_deep_trap_kernel, N, 4, in, 1, out, 1);
  int expected = deep == WP_ERR_KERNEL_TRAPPED || deep == WP_ERR_NOT_SUPPORTED;
  failures += !expected;
  printf("stack overflow on the device of the hint: trapped or refused: %s\n",
         expected ? "yes" : wp_strerror(deep));

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
