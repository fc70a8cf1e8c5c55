// Checks a wasi-parallel host against docs/wasi-parallel.md: every call with good and bad
// arguments, and the error code each must return. One line per check ("ok ..." or "FAIL ..."),
// then "abi_conformance: N checks, F failures"; the exit status is 1 when anything failed.
// The output does not depend on the device, so it is compared exactly with
// examples/expected/abi_conformance.stdout.
//   abi_conformance [DEVICE_HINT]
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi_parallel.h>

#include "conf_data_kernel.h"
#include "conf_i64_kernel.h"
#include "conf_import_kernel.h"
#include "conf_no_export_kernel.h"
#include "conf_result_kernel.h"
#include "conf_start_kernel.h"
#include "conf_trap_kernel.h"
#include "conf_vector_add_kernel.h"

// A handle no host issues in practice (hosts number their handles from small integers).
#define BOGUS_HANDLE ((int32_t)0x7eadbeef)
// An address past the end of any memory this program gets.
#define FAR_AWAY ((void *)(uintptr_t)0xfffffff0u)

static int checks, failures;

static void expect(const char *what, wp_errno_t got, wp_errno_t want) {
  checks++;
  if (got == want) {
    printf("ok   %-52s %s\n", what, wp_strerror(want));
  } else {
    failures++;
    printf("FAIL %-52s got %d (%s), expected %d (%s)\n", what, (int)got, wp_strerror(got),
           (int)want, wp_strerror(want));
  }
}

static void expectTrue(const char *what, int ok) {
  expect(what, ok ? WP_SUCCESS : WP_ERR_INVALID_ARGUMENT, WP_SUCCESS);
}

// The last 8 bytes of memory: a 16-byte region starting here runs past the end.
static void *nearEnd(void) {
  return (void *)(uintptr_t)(__builtin_wasm_memory_size(0) * 65536u - 8u);
}

enum { N = 64 };
static float a[N], b[N], c[N], copy[N], scratch[N];
static int32_t ints[16];

static wp_buffer_t newBuffer(wp_device_t device, uint32_t size, wp_access_t access) {
  wp_buffer_t buffer = BOGUS_HANDLE;
  wp_errno_t err = wasi_parallel_create_buffer(device, size, access, &buffer);
  if (err != WP_SUCCESS)
    expect("create_buffer (setup)", err, WP_SUCCESS);
  return buffer;
}

int main(int argc, char **argv) {
  wp_device_kind_t hint = wp_hint_from_args(argc, argv, 1, WP_DEVICE_CPU);
  wp_device_t device = BOGUS_HANDLE, other = BOGUS_HANDLE;
  wp_buffer_t buffer = BOGUS_HANDLE;

  // get_device
  expect("get_device: hint 4", wasi_parallel_get_device((wp_device_kind_t)4, &device),
         WP_ERR_INVALID_ARGUMENT);
  expect("get_device: hint -1", wasi_parallel_get_device((wp_device_kind_t)-1, &device),
         WP_ERR_INVALID_ARGUMENT);
  expect("get_device: out-pointer outside memory",
         wasi_parallel_get_device(WP_DEVICE_CPU, FAR_AWAY), WP_ERR_BUFFER_OUT_OF_BOUNDS);
  for (int h = 0; h < WP_DEVICE_KIND_COUNT; h++) {
    char what[64];
    snprintf(what, sizeof what, "get_device: hint %d (%s)", h,
             wp_device_kind_name((wp_device_kind_t)h));
    expect(what, wasi_parallel_get_device((wp_device_kind_t)h, &other), WP_SUCCESS);
  }
  expect("get_device: the hint under test", wasi_parallel_get_device(hint, &device), WP_SUCCESS);

  // create_buffer
  expect("create_buffer: unknown device",
         wasi_parallel_create_buffer(BOGUS_HANDLE, 16, WP_ACCESS_READ, &buffer),
         WP_ERR_INVALID_HANDLE);
  expect("create_buffer: access 3",
         wasi_parallel_create_buffer(device, 16, (wp_access_t)3, &buffer), WP_ERR_INVALID_ARGUMENT);
  expect("create_buffer: out-pointer outside memory",
         wasi_parallel_create_buffer(device, 16, WP_ACCESS_READ, FAR_AWAY),
         WP_ERR_BUFFER_OUT_OF_BOUNDS);
  expect("create_buffer: size 0", wasi_parallel_create_buffer(device, 0, WP_ACCESS_READ, &buffer),
         WP_SUCCESS);
  expect("write_buffer: size 0 buffer, empty region", wasi_parallel_write_buffer(a, 0, buffer),
         WP_SUCCESS);

  // write_buffer / read_buffer
  wp_buffer_t rw = newBuffer(device, 16, WP_ACCESS_READ_WRITE);
  expect("read_buffer: never bound", wasi_parallel_read_buffer(rw, ints, 16),
         WP_ERR_INVALID_ARGUMENT);
  expect("write_buffer: unknown buffer", wasi_parallel_write_buffer(ints, 16, BOGUS_HANDLE),
         WP_ERR_INVALID_HANDLE);
  expect("write_buffer: length differs from size", wasi_parallel_write_buffer(ints, 8, rw),
         WP_ERR_INVALID_ARGUMENT);
  expect("write_buffer: region outside memory", wasi_parallel_write_buffer(FAR_AWAY, 16, rw),
         WP_ERR_BUFFER_OUT_OF_BOUNDS);
  expect("write_buffer: region crossing the end of memory",
         wasi_parallel_write_buffer(nearEnd(), 16, rw), WP_ERR_BUFFER_OUT_OF_BOUNDS);
  for (int i = 0; i < 4; i++)
    ints[i] = 100 + i;
  expect("write_buffer: bind", wasi_parallel_write_buffer(ints, 16, rw), WP_SUCCESS);
  expect("read_buffer: unknown buffer", wasi_parallel_read_buffer(BOGUS_HANDLE, ints, 16),
         WP_ERR_INVALID_HANDLE);
  expect("read_buffer: length differs from size", wasi_parallel_read_buffer(rw, ints, 4),
         WP_ERR_INVALID_ARGUMENT);
  expect("read_buffer: region outside memory", wasi_parallel_read_buffer(rw, FAR_AWAY, 16),
         WP_ERR_BUFFER_OUT_OF_BOUNDS);
  expect("read_buffer: into another region", wasi_parallel_read_buffer(rw, ints + 8, 16),
         WP_SUCCESS);
  expectTrue("read_buffer: other region holds the contents", memcmp(ints, ints + 8, 16) == 0);

  // parallel_exec: handles, lists and regions
  wp_buffer_t in_a = newBuffer(device, sizeof a, WP_ACCESS_READ);
  wp_buffer_t in_b = newBuffer(device, sizeof b, WP_ACCESS_READ);
  wp_buffer_t out_c = newBuffer(device, sizeof c, WP_ACCESS_WRITE);
  wp_buffer_t unbound = newBuffer(device, sizeof c, WP_ACCESS_WRITE);
  for (int i = 0; i < N; i++)
    a[i] = (float)i, b[i] = (float)(1000 * i), c[i] = -1.0f;
  wasi_parallel_write_buffer(a, sizeof a, in_a);
  wasi_parallel_write_buffer(b, sizeof b, in_b);
  wasi_parallel_write_buffer(c, sizeof c, out_c);
  wp_buffer_t in[] = {in_a, in_b}, out[] = {out_c};
  wp_kernel_t add = conf_vector_add_kernel;

#define EXEC(kernel_bytes, kernel_len, n, block, ins, nin, outs, nout)                             \
  wasi_parallel_parallel_exec(device, kernel_bytes, kernel_len, n, block, ins, nin, outs, nout)

  expect("parallel_exec: unknown device",
         wasi_parallel_parallel_exec(BOGUS_HANDLE, add.bytes, add.len, N, 8, in, 2, out, 1),
         WP_ERR_INVALID_HANDLE);
  expect("parallel_exec: kernel bytes outside memory", EXEC(FAR_AWAY, add.len, N, 8, in, 2, out, 1),
         WP_ERR_BUFFER_OUT_OF_BOUNDS);
  expect("parallel_exec: in-list outside memory",
         EXEC(add.bytes, add.len, N, 8, FAR_AWAY, 2, out, 1), WP_ERR_BUFFER_OUT_OF_BOUNDS);
  expect("parallel_exec: out-list outside memory",
         EXEC(add.bytes, add.len, N, 8, in, 2, FAR_AWAY, 1), WP_ERR_BUFFER_OUT_OF_BOUNDS);
  wp_buffer_t bogus_in[] = {in_a, BOGUS_HANDLE};
  expect("parallel_exec: unknown buffer", EXEC(add.bytes, add.len, N, 8, bogus_in, 2, out, 1),
         WP_ERR_INVALID_HANDLE);
  wp_buffer_t write_only_in[] = {in_a, out_c};
  /* Access kinds are transfer hints, not a gate: any buffer may be listed anywhere. */
  expect("parallel_exec: write-only buffer as input (a hint)",
         EXEC(add.bytes, add.len, N, 8, write_only_in, 2, out, 1), WP_SUCCESS);
  wp_buffer_t read_only = newBuffer(device, sizeof scratch, WP_ACCESS_READ);
  wasi_parallel_write_buffer(scratch, sizeof scratch, read_only);
  wp_buffer_t read_only_out[] = {read_only};
  expect("parallel_exec: read-only buffer as output (a hint)",
         EXEC(add.bytes, add.len, N, 8, in, 2, read_only_out, 1), WP_SUCCESS);
  wp_buffer_t unbound_out[] = {unbound};
  expect("parallel_exec: unbound buffer", EXEC(add.bytes, add.len, N, 8, in, 2, unbound_out, 1),
         WP_ERR_INVALID_ARGUMENT);
  expect("parallel_exec: block_size 0", EXEC(add.bytes, add.len, N, 0, in, 2, out, 1),
         WP_SUCCESS);
  expect("parallel_exec: num_iterations 2^31",
         EXEC(add.bytes, add.len, 0x80000000u, 8, in, 2, out, 1), WP_ERR_INVALID_ARGUMENT);
  if (wasi_parallel_get_device(hint == WP_DEVICE_SEQUENTIAL ? WP_DEVICE_CPU : WP_DEVICE_SEQUENTIAL,
                               &other) == WP_SUCCESS &&
      other != device) {
    expect("parallel_exec: buffer of another device",
           wasi_parallel_parallel_exec(other, add.bytes, add.len, N, 8, in, 2, out, 1),
           WP_ERR_INVALID_ARGUMENT);
  } else {
    expect("parallel_exec: buffer of another device", WP_ERR_INVALID_ARGUMENT,
           WP_ERR_INVALID_ARGUMENT); // one device serves both hints: nothing to check
  }

  // parallel_exec: kernels that break the rules
  static const unsigned char garbage[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0xff};
  expect("parallel_exec: malformed kernel", EXEC(garbage, sizeof garbage, N, 8, in, 2, out, 1),
         WP_ERR_INVALID_KERNEL);
  expect("parallel_exec: empty kernel", EXEC(garbage, 0, N, 8, in, 2, out, 1),
         WP_ERR_INVALID_KERNEL);
  expect("parallel_exec: buffer count does not fit the kernel",
         EXEC(add.bytes, add.len, N, 8, in, 1, out, 1), WP_ERR_INVALID_KERNEL);
  static const struct {
    const char *what;
    wp_kernel_t kernel;
  } bad[] = {
      {"parallel_exec: kernel with a data segment",
       {conf_data_kernel_bytes, sizeof conf_data_kernel_bytes}},
      {"parallel_exec: kernel importing a function",
       {conf_import_kernel_bytes, sizeof conf_import_kernel_bytes}},
      {"parallel_exec: kernel with a start function",
       {conf_start_kernel_bytes, sizeof conf_start_kernel_bytes}},
      {"parallel_exec: no export named kernel",
       {conf_no_export_kernel_bytes, sizeof conf_no_export_kernel_bytes}},
      {"parallel_exec: kernel returning a value",
       {conf_result_kernel_bytes, sizeof conf_result_kernel_bytes}},
      {"parallel_exec: kernel with an i64 parameter",
       {conf_i64_kernel_bytes, sizeof conf_i64_kernel_bytes}},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    expect(bad[i].what, wp_try_exec(device, bad[i].kernel, N, 8, NULL, 0, out, 1),
           WP_ERR_INVALID_KERNEL);

  // parallel_exec: running
  expect("parallel_exec: trapping kernel",
         wp_try_exec(device, conf_trap_kernel, 16, 4, NULL, 0, out, 1), WP_ERR_KERNEL_TRAPPED);
  for (int i = 0; i < N; i++)
    c[i] = -1.0f;
  wasi_parallel_write_buffer(c, sizeof c, out_c);
  expect("parallel_exec: zero iterations", EXEC(add.bytes, add.len, 0, 8, in, 2, out, 1),
         WP_SUCCESS);
  expect("read_buffer: after zero iterations", wasi_parallel_read_buffer(out_c, c, sizeof c),
         WP_SUCCESS);
  expectTrue("parallel_exec: zero iterations left the output alone", c[0] == -1.0f);
  expect("parallel_exec: vector add", EXEC(add.bytes, add.len, N, 8, in, 2, out, 1), WP_SUCCESS);
  expect("read_buffer: results", wasi_parallel_read_buffer(out_c, c, sizeof c), WP_SUCCESS);
  int wrong = 0;
  for (int i = 0; i < N; i++)
    wrong += c[i] != (float)(1001 * i);
  expectTrue("parallel_exec: every iteration ran once", wrong == 0);
  wp_buffer_t again[] = {in_a, in_a};
  expect("parallel_exec: one buffer twice in a list",
         EXEC(add.bytes, add.len, N, 8, again, 2, out, 1), WP_SUCCESS);
  expect("read_buffer: into a copy", wasi_parallel_read_buffer(out_c, copy, sizeof copy),
         WP_SUCCESS);
  expectTrue("parallel_exec: a + a", copy[N - 1] == (float)(2 * (N - 1)));

  printf("abi_conformance: %d checks, %d failures\n", checks, failures);
  return failures != 0;
}
