/* The table-index generation from C: a program whose kernel is one of its own functions.
 *   parawasm run worker_guest.wasm NUM_THREADS BLOCK_SIZE HINT
 * Thread t squares its block of `in` into `out` and adds a value the caller left in a global
 * variable (on a GPU hint: in the in-buffer); then, except on a GPU hint, a team of 16 passes an
 * atomic barrier twice. Prints "ok" or what went wrong. */
#include <stdio.h>
#include <stdlib.h>
#include <wasi_parallel.h>

static int offset; /* in memory: every worker sees the caller's value */

static void square(int32_t t, int32_t n, int32_t block, const int32_t *in, int32_t in_len,
                   int32_t *out, int32_t out_len) {
  (void)n, (void)in_len, (void)out_len;
  for (int32_t i = t * block; i < (t + 1) * block; i++)
    out[i] = in[i] * in[i] + offset;
}

/* A GPU worker sees its buffers and nothing else of the caller's memory (docs/wasi-parallel.md),
 * so on a GPU hint the value comes as the in-buffer's last element instead. */
static void square_from_buffers(int32_t t, int32_t n, int32_t block, const int32_t *in,
                                int32_t in_len, int32_t *out, int32_t out_len) {
  (void)n, (void)out_len;
  int32_t add = in[in_len / 4 - 1];
  for (int32_t i = t * block; i < (t + 1) * block; i++)
    out[i] = in[i] * in[i] + add;
}

static int arrived[2];
static void barrier_twice(int32_t t, int32_t n, int32_t block) {
  (void)t, (void)block;
  for (int round = 0; round < 2; round++) {
    __atomic_fetch_add(&arrived[round], 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&arrived[round], __ATOMIC_SEQ_CST) < n) {
    }
  }
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: worker_guest NUM_THREADS BLOCK_SIZE HINT\n");
    return 2;
  }
  uint32_t threads = (uint32_t)atoi(argv[1]), block = (uint32_t)atoi(argv[2]);
  uint32_t count = threads * block;
  int hint = atoi(argv[3]), gpu = hint == WP_DEVICE_DISCRETE_GPU || hint == WP_DEVICE_INTEGRATED_GPU;
  int32_t *in = malloc(4 * (count + 1)), *out = malloc(4 * count);
  for (uint32_t i = 0; i < count; i++)
    in[i] = (int32_t)i, out[i] = -1;
  in[count] = 7;
  wp_device_t device;
  wp_buffer_t a, c;
  wp_errno_t err = wasi_parallel_get_device(hint, &device);
  if (!err)
    err = wasi_parallel_create_buffer(device, 4 * (count + 1), WP_ACCESS_READ, &a);
  if (!err)
    err = wasi_parallel_create_buffer(device, 4 * count, WP_ACCESS_WRITE, &c);
  if (!err)
    err = wasi_parallel_write_buffer(in, 4 * (count + 1), a);
  if (!err)
    err = wasi_parallel_write_buffer(out, 4 * count, c);
  offset = 7;
  if (!err)
    err = wasi_parallel_parallel_for(gpu ? WP_WORKER(square_from_buffers) : WP_WORKER(square),
                                     threads, block, &a, 1, &c, 1);
  if (!err)
    err = wasi_parallel_read_buffer(c, out, 4 * count);
  if (err) {
    printf("parallel_for: %s\n", wp_strerror(err));
    return 1;
  }
  for (uint32_t i = 0; i < count; i++)
    if (out[i] != (int32_t)(i * i) + 7) {
      printf("out[%u] = %d, expected %d\n", i, out[i], (int32_t)(i * i) + 7);
      return 1;
    }
  uint32_t cores = 0;
  err = wasi_parallel_get_device_threads(device, &cores);
  if (err || cores < 1) {
    printf("get_device_threads: %s, %u\n", wp_strerror(err), cores);
    return 1;
  }
  if (gpu) { /* a GPU runs no team: its members could not wait for each other */
    printf("ok\n");
    return 0;
  }
  err = wasi_parallel_parallel_for(WP_WORKER(barrier_twice), 16, 0, NULL, 0, NULL, 0);
  if (err || arrived[1] != 16) {
    printf("barrier team: %s, %d arrived\n", wp_strerror(err), arrived[1]);
    return 1;
  }
  printf("ok\n");
  return 0;
}
