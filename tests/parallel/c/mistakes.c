// Three typical mistakes, each stopping the program through the SDK's convenience layer, which
// prints the host's reason (get_last_error) without --verbose (issue 16).
//   mistakes signature|size|trap
#include <stdio.h>
#include <string.h>
#include <wasi_parallel.h>

#include "pt_add_one_kernel.h"
#include "pt_trap_kernel.h"

enum { N = 64 };
static int32_t data[N], params[2];
static unsigned char done[N];

int main(int argc, char **argv) {
  const char *mistake = argc > 1 ? argv[1] : "";
  wp_device_t dev = wp_device(WP_DEVICE_CPU);
  if (!strcmp(mistake, "signature")) {
    // add_one's kernel takes one buffer (data); the call passes two.
    wp_buffer_t in[] = {wp_buffer_in(dev, params, sizeof params)};
    wp_buffer_t out[] = {wp_buffer_inout(dev, data, sizeof data)};
    wp_exec(dev, pt_add_one_kernel, N, 1, in, 1, out, 1);
  } else if (!strcmp(mistake, "size")) {
    // Reading back half of a buffer: sizes must match the buffer's.
    wp_buffer_t out = wp_buffer_inout(dev, data, sizeof data);
    wp_read(out, data, sizeof data / 2);
  } else if (!strcmp(mistake, "trap")) {
    params[0] = 0; // unreachable...
    params[1] = 5; // ...in iteration 5
    wp_buffer_t in[] = {wp_buffer_in(dev, params, sizeof params)};
    wp_buffer_t out[] = {wp_buffer_out(dev, done, sizeof done)};
    wp_exec(dev, pt_trap_kernel, N, 4, in, 1, out, 1);
  }
  printf("no mistake made\n");
  return 0;
}
