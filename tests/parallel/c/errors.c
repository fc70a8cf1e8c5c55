// Every error path of the five calls on one device, with the error code each must give.
//   errors [DEVICE_HINT]
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi_parallel.h>

#include "pt_add_one_kernel.h"
#include "pt_bad_data_kernel.h"
#include "pt_bad_export_kernel.h"
#include "pt_bad_import_kernel.h"
#include "pt_bad_memory_kernel.h"
#include "pt_bad_result_kernel.h"
#include "pt_bad_start_kernel.h"
#include "pt_count_kernel.h"

#define FAR ((void *)(uintptr_t)0xfffffff0u)

static int checks, failures;

static void expect(const char *what, wp_errno_t got, wp_errno_t want) {
  checks++;
  failures += got != want;
  printf("%s %-56s %s\n", got == want ? "ok  " : "FAIL", what, wp_strerror(got));
}

static int32_t data[64], other[64];

int main(int argc, char **argv) {
  wp_device_kind_t hint = wp_hint_from_args(argc, argv, 1, WP_DEVICE_CPU);
  wp_device_t dev = wp_device(hint);
  wp_device_t alt = wp_device(hint == WP_DEVICE_SEQUENTIAL ? WP_DEVICE_CPU : WP_DEVICE_SEQUENTIAL);
  void *end = (void *)(uintptr_t)(__builtin_wasm_memory_size(0) * 65536u - 4u);
  wp_buffer_t b = -1;

  expect("get_device: hint 7", wasi_parallel_get_device(7, &dev), WP_ERR_INVALID_ARGUMENT);
  expect("get_device: out-pointer across the end",
         wasi_parallel_get_device(hint, (void *)((char *)end + 2)), WP_ERR_BUFFER_OUT_OF_BOUNDS);
  expect("create_buffer: device 0", wasi_parallel_create_buffer(0, 4, WP_ACCESS_READ, &b),
         WP_ERR_INVALID_HANDLE);
  expect("create_buffer: device -1", wasi_parallel_create_buffer(-1, 4, WP_ACCESS_READ, &b),
         WP_ERR_INVALID_HANDLE);
  expect("create_buffer: access -1", wasi_parallel_create_buffer(dev, 4, (wp_access_t)-1, &b),
         WP_ERR_INVALID_ARGUMENT);
  expect("create_buffer: out-pointer far away", wasi_parallel_create_buffer(dev, 4, 0, FAR),
         WP_ERR_BUFFER_OUT_OF_BOUNDS);

  wp_buffer_t rw = -1;
  wasi_parallel_create_buffer(dev, sizeof data, WP_ACCESS_READ_WRITE, &rw);
  expect("write_buffer: a device handle as the buffer",
         wasi_parallel_write_buffer(data, sizeof data, dev), WP_ERR_INVALID_HANDLE);
  expect("write_buffer: too short", wasi_parallel_write_buffer(data, sizeof data - 1, rw),
         WP_ERR_INVALID_ARGUMENT);
  expect("write_buffer: too long", wasi_parallel_write_buffer(data, sizeof data + 4, rw),
         WP_ERR_INVALID_ARGUMENT);
  expect("write_buffer: region across the end of memory",
         wasi_parallel_write_buffer(end, sizeof data, rw), WP_ERR_BUFFER_OUT_OF_BOUNDS);
  expect("read_buffer: unbound", wasi_parallel_read_buffer(rw, data, sizeof data),
         WP_ERR_INVALID_ARGUMENT);
  for (int i = 0; i < 64; i++)
    data[i] = i;
  expect("write_buffer: bind", wasi_parallel_write_buffer(data, sizeof data, rw), WP_SUCCESS);
  expect("read_buffer: region across the end of memory",
         wasi_parallel_read_buffer(rw, end, sizeof data), WP_ERR_BUFFER_OUT_OF_BOUNDS);
  expect("read_buffer: into another region", wasi_parallel_read_buffer(rw, other, sizeof other),
         WP_SUCCESS);
  printf("     copy holds the data: %s\n", memcmp(data, other, sizeof data) ? "no" : "yes");
  expect("write_buffer: rebind to another region",
         wasi_parallel_write_buffer(other, sizeof other, rw), WP_SUCCESS);

  wp_buffer_t list[] = {rw};
  wp_kernel_t k = pt_add_one_kernel;
  expect("parallel_exec: add one", wp_try_exec(dev, k, 64, 8, NULL, 0, list, 1), WP_SUCCESS);
  // A device with its own memory holds the results until read_buffer (docs/wasi-parallel.md).
  wasi_parallel_read_buffer(rw, other, sizeof other);
  printf("     other[63] = %d, data[63] = %d\n", other[63], data[63]);
  expect("parallel_exec: kernel bytes across the end",
         wasi_parallel_parallel_exec(dev, end, k.len, 64, 8, NULL, 0, list, 1),
         WP_ERR_BUFFER_OUT_OF_BOUNDS);
  expect("parallel_exec: kernel length 2^32-1",
         wasi_parallel_parallel_exec(dev, k.bytes, 0xffffffffu, 64, 8, NULL, 0, list, 1),
         WP_ERR_BUFFER_OUT_OF_BOUNDS);
  expect("parallel_exec: out-list across the end",
         wasi_parallel_parallel_exec(dev, k.bytes, k.len, 64, 8, NULL, 0, end, 2),
         WP_ERR_BUFFER_OUT_OF_BOUNDS);
  expect("parallel_exec: in-list of 2^30 handles",
         wasi_parallel_parallel_exec(dev, k.bytes, k.len, 64, 8, list, 0x40000000u, NULL, 0),
         WP_ERR_BUFFER_OUT_OF_BOUNDS);
  wp_buffer_t dev_as_buffer[] = {dev};
  expect("parallel_exec: a device handle as a buffer",
         wp_try_exec(dev, k, 64, 8, NULL, 0, dev_as_buffer, 1), WP_ERR_INVALID_HANDLE);
  expect("parallel_exec: a buffer as the device", wp_try_exec(rw, k, 64, 8, NULL, 0, list, 1),
         WP_ERR_INVALID_HANDLE);
  if (alt != dev) {
    expect("parallel_exec: the buffer's device is another",
           wp_try_exec(alt, k, 64, 8, NULL, 0, list, 1), WP_ERR_INVALID_ARGUMENT);
  } else {
    expect("parallel_exec: the buffer's device is another", WP_ERR_INVALID_ARGUMENT,
           WP_ERR_INVALID_ARGUMENT);
  }
  expect("parallel_exec: num_iterations 2^32-1",
         wp_try_exec(dev, k, 0xffffffffu, 8, NULL, 0, list, 1), WP_ERR_INVALID_ARGUMENT);
  expect("parallel_exec: num_iterations 2^31-1, 0 buffers for 1",
         wp_try_exec(dev, k, 0x7fffffff, 8, NULL, 0, NULL, 0), WP_ERR_INVALID_KERNEL);
  expect("parallel_exec: 2 buffers for a 1-buffer kernel",
         wp_try_exec(dev, k, 64, 8, list, 1, list, 1), WP_ERR_INVALID_KERNEL);
  expect("parallel_exec: 1 buffer for a 3-buffer kernel",
         wp_try_exec(dev, pt_count_kernel, 64, 8, NULL, 0, list, 1), WP_ERR_INVALID_KERNEL);
  static const struct {
    const char *what;
    wp_kernel_t kernel;
  } bad[] = {
      {"parallel_exec: kernel importing a function",
       {pt_bad_import_kernel_bytes, sizeof pt_bad_import_kernel_bytes}},
      {"parallel_exec: kernel with a data segment",
       {pt_bad_data_kernel_bytes, sizeof pt_bad_data_kernel_bytes}},
      {"parallel_exec: kernel with a start function",
       {pt_bad_start_kernel_bytes, sizeof pt_bad_start_kernel_bytes}},
      {"parallel_exec: kernel exporting no kernel",
       {pt_bad_export_kernel_bytes, sizeof pt_bad_export_kernel_bytes}},
      {"parallel_exec: kernel returning a value",
       {pt_bad_result_kernel_bytes, sizeof pt_bad_result_kernel_bytes}},
      {"parallel_exec: kernel needing 60000 pages",
       {pt_bad_memory_kernel_bytes, sizeof pt_bad_memory_kernel_bytes}},
      {"parallel_exec: kernel truncated by one byte",
       {pt_add_one_kernel_bytes, sizeof pt_add_one_kernel_bytes - 1}},
      {"parallel_exec: guest data as a kernel", {(const unsigned char *)data, sizeof data}},
  };
  for (size_t i = 0; i < WP_COUNT(bad); i++)
    expect(bad[i].what, wp_try_exec(dev, bad[i].kernel, 64, 8, NULL, 0, list, 1),
           WP_ERR_INVALID_KERNEL);
  // None of the failed calls ran an iteration.
  expect("parallel_exec: add one again", wp_try_exec(dev, k, 64, 8, NULL, 0, list, 1), WP_SUCCESS);
  wasi_parallel_read_buffer(rw, other, sizeof other);
  printf("     other[0] = %d, other[63] = %d\n", other[0], other[63]);

  printf("errors: %d checks, %d failures\n", checks, failures);
  return failures != 0;
}
