// A kernel that writes outside its buffers (issue 12, checked kernels): without
// -W parallel-check-buffers the CPU devices let it write into the caller's other data (what
// expected/overruns.stdout records); with it the exec fails with kernel_trapped and names the
// iteration (expected/overruns_checked.stdout), except for a write into the gap between two
// buffers, which lies inside the checked span.   overruns [DEVICE_HINT]
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi_parallel.h>

#include "pt_overrun_kernel.h"

enum { N = 64 };

// One struct, so that the layout is known: the in-buffer, a gap, the out-buffer, then data that
// belongs to no buffer.
static struct {
  int32_t params[4];       // in-buffer: kind, target, victim address
  unsigned char gap[16];   // between the two buffers
  unsigned char out[N];    // out-buffer
  unsigned char after[16]; // just past the out-buffer
  int32_t other;           // the caller's other data
} m;

static int changed(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i])
      return 1;
  return 0;
}

int main(int argc, char **argv) {
  wp_device_t dev = wp_device(wp_hint_from_args(argc, argv, 1, WP_DEVICE_CPU));
  wp_buffer_t in[] = {wp_buffer_in(dev, m.params, sizeof m.params)};
  wp_buffer_t out[] = {wp_buffer_out(dev, m.out, sizeof m.out)};
  static const char *kinds[] = {"one past the out-buffer", "into the caller's other data",
                                "memory.fill across the end", "memory.copy across the end",
                                "into the gap between buffers"};
  static const int32_t targets[] = {0, 37, N - 1};
  for (int32_t kind = 0; kind < 5; kind++) {
    for (size_t t = 0; t < WP_COUNT(targets); t++) {
      memset(&m, 0, sizeof m);
      m.params[0] = kind;
      m.params[1] = targets[t];
      m.params[2] = (int32_t)(uintptr_t)(kind == 4 ? (void *)m.gap : (void *)&m.other);
      wp_update(in[0], m.params, sizeof m.params);
      wp_update(out[0], m.out, sizeof m.out);
      wp_errno_t err = wp_try_exec(dev, pt_overrun_kernel, N, 4, in, 1, out, 1);
      char reason[256] = "";
      uint32_t len = 0;
      if (err != WP_SUCCESS &&
          wasi_parallel_get_last_error(reason, sizeof reason - 1, &len) == WP_SUCCESS) {
        reason[len < sizeof reason - 1 ? len : sizeof reason - 1] = 0;
        // The span's guest addresses depend on the build: keep what comes before them.
        char *span = strstr(reason, " (a checked kernel");
        if (span)
          *span = 0;
      }
      wp_read(out[0], m.out, sizeof m.out);
      printf("%s at %d: %s%s%s; past the end %s, other data %s, gap %s\n", kinds[kind], targets[t],
             wp_strerror(err), *reason ? ": " : "", reason,
             changed(m.after, sizeof m.after) ? "written" : "untouched",
             m.other ? "written" : "untouched",
             changed(m.gap, sizeof m.gap) ? "written" : "untouched");
    }
  }
  // A kernel that stays inside its buffers runs as before.
  memset(&m, 0, sizeof m);
  m.params[0] = -1;
  wp_update(in[0], m.params, sizeof m.params);
  wp_update(out[0], m.out, sizeof m.out);
  wp_errno_t err = wp_try_exec(dev, pt_overrun_kernel, N, 4, in, 1, out, 1);
  wp_read(out[0], m.out, sizeof m.out);
  int missing = 0;
  for (int i = 0; i < N; i++)
    missing += m.out[i] != 1;
  printf("in bounds: %s, %d iterations missing\n", wp_strerror(err), missing);
  return 0;
}
