/* A guest of the WIT generation written the way wit-bindgen's C generator writes bindings for
 * wit/wasi-parallel.wit (world `guest`): canonical-ABI imports from
 * "parawasm:parallel/parallel@0.1.0", results through a return area, and a cabi_realloc export
 * that read-buffer's list comes from.   parawasm run wit_guest.wasm HINT */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_add_one_kernel.h"

/* ---- bindings, as generated -------------------------------------------------------------- */
typedef uint32_t parawasm_parallel_parallel_device_t;
typedef uint32_t parawasm_parallel_parallel_buffer_t;
typedef uint8_t parawasm_parallel_parallel_error_t;
typedef uint8_t parawasm_parallel_parallel_device_kind_t;
typedef uint8_t parawasm_parallel_parallel_buffer_access_kind_t;
#define PARAWASM_PARALLEL_PARALLEL_DEVICE_KIND_CPU 1
#define PARAWASM_PARALLEL_PARALLEL_BUFFER_ACCESS_KIND_READ 0
#define PARAWASM_PARALLEL_PARALLEL_BUFFER_ACCESS_KIND_READ_WRITE 2
#define PARAWASM_PARALLEL_PARALLEL_ERROR_INVALID_HANDLE 0
#define PARAWASM_PARALLEL_PARALLEL_ERROR_INVALID_ARGUMENT 1
#define PARAWASM_PARALLEL_PARALLEL_ERROR_INVALID_KERNEL 2
typedef struct {
  uint8_t *ptr;
  size_t len;
} guest_list_u8_t;
typedef struct {
  parawasm_parallel_parallel_buffer_t *ptr;
  size_t len;
} parawasm_parallel_parallel_list_buffer_t;

#define IMPORT(name)                                                                               \
  __attribute__((__import_module__("parawasm:parallel/parallel@0.1.0"), __import_name__(name)))
IMPORT("get-device") extern int32_t __wasm_import_parallel_get_device(int32_t);
IMPORT("create-buffer")
extern void __wasm_import_parallel_create_buffer(int32_t, int32_t, int32_t, int32_t);
IMPORT("write-buffer")
extern void __wasm_import_parallel_write_buffer(int32_t, int32_t, int32_t, int32_t);
IMPORT("read-buffer") extern void __wasm_import_parallel_read_buffer(int32_t, int32_t);
IMPORT("parallel-exec")
extern void __wasm_import_parallel_parallel_exec(int32_t, int32_t, int32_t, int32_t, int32_t,
                                                 int32_t, int32_t, int32_t);

__attribute__((__weak__, __export_name__("cabi_realloc"))) void *
cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  if (new_size == 0)
    return (void *)align;
  void *ret = realloc(ptr, new_size);
  if (!ret)
    abort();
  return ret;
}

parawasm_parallel_parallel_device_t
parawasm_parallel_parallel_get_device(parawasm_parallel_parallel_device_kind_t hint) {
  return (parawasm_parallel_parallel_device_t)__wasm_import_parallel_get_device((int32_t)hint);
}

bool parawasm_parallel_parallel_create_buffer(
    parawasm_parallel_parallel_device_t device, uint32_t size,
    parawasm_parallel_parallel_buffer_access_kind_t access,
    parawasm_parallel_parallel_buffer_t *ret, parawasm_parallel_parallel_error_t *err) {
  __attribute__((__aligned__(4))) uint8_t ret_area[8];
  int32_t ptr = (int32_t)&ret_area;
  __wasm_import_parallel_create_buffer((int32_t)device, (int32_t)size, (int32_t)access, ptr);
  if (*((uint8_t *)(ptr + 0))) {
    *err = *((uint8_t *)(ptr + 4));
    return false;
  }
  *ret = (uint32_t)(*((int32_t *)(ptr + 4)));
  return true;
}

bool parawasm_parallel_parallel_write_buffer(guest_list_u8_t *data,
                                             parawasm_parallel_parallel_buffer_t buffer,
                                             parawasm_parallel_parallel_error_t *err) {
  __attribute__((__aligned__(4))) uint8_t ret_area[4];
  int32_t ptr = (int32_t)&ret_area;
  __wasm_import_parallel_write_buffer((int32_t)data->ptr, (int32_t)data->len, (int32_t)buffer, ptr);
  if (*((uint8_t *)(ptr + 0))) {
    *err = *((uint8_t *)(ptr + 1));
    return false;
  }
  return true;
}

bool parawasm_parallel_parallel_read_buffer(parawasm_parallel_parallel_buffer_t buffer,
                                            guest_list_u8_t *ret,
                                            parawasm_parallel_parallel_error_t *err) {
  __attribute__((__aligned__(4))) uint8_t ret_area[12];
  int32_t ptr = (int32_t)&ret_area;
  __wasm_import_parallel_read_buffer((int32_t)buffer, ptr);
  if (*((uint8_t *)(ptr + 0))) {
    *err = *((uint8_t *)(ptr + 4));
    return false;
  }
  *ret = (guest_list_u8_t){(uint8_t *)(*((int32_t *)(ptr + 4))), (size_t)(*((int32_t *)(ptr + 8)))};
  return true;
}

bool parawasm_parallel_parallel_parallel_exec(parawasm_parallel_parallel_device_t device,
                                              guest_list_u8_t *kernel, uint32_t num_iterations,
                                              uint32_t block_size,
                                              parawasm_parallel_parallel_list_buffer_t *buffers,
                                              parawasm_parallel_parallel_error_t *err) {
  __attribute__((__aligned__(4))) uint8_t ret_area[4];
  int32_t ptr = (int32_t)&ret_area;
  __wasm_import_parallel_parallel_exec((int32_t)device, (int32_t)kernel->ptr, (int32_t)kernel->len,
                                       (int32_t)num_iterations, (int32_t)block_size,
                                       (int32_t)buffers->ptr, (int32_t)buffers->len, ptr);
  if (*((uint8_t *)(ptr + 0))) {
    *err = *((uint8_t *)(ptr + 1));
    return false;
  }
  return true;
}
/* ---- end of bindings ---------------------------------------------------------------------- */

#define N 1000
static int32_t data[N];

static int fail(const char *what, int err) {
  printf("%s: error %d\n", what, err);
  return 1;
}

int main(int argc, char **argv) {
  parawasm_parallel_parallel_device_kind_t hint =
      argc > 1 ? (uint8_t)atoi(argv[1]) : PARAWASM_PARALLEL_PARALLEL_DEVICE_KIND_CPU;
  parawasm_parallel_parallel_device_t device = parawasm_parallel_parallel_get_device(hint);
  parawasm_parallel_parallel_error_t err = 0;
  parawasm_parallel_parallel_buffer_t buffer, spare;
  for (int i = 0; i < N; i++)
    data[i] = i;
  if (!parawasm_parallel_parallel_create_buffer(
          device, sizeof data, PARAWASM_PARALLEL_PARALLEL_BUFFER_ACCESS_KIND_READ_WRITE, &buffer,
          &err))
    return fail("create-buffer", err);
  guest_list_u8_t bytes = {(uint8_t *)data, sizeof data};
  if (!parawasm_parallel_parallel_write_buffer(&bytes, buffer, &err))
    return fail("write-buffer", err);
  guest_list_u8_t kernel = {(uint8_t *)pt_add_one_kernel.bytes, pt_add_one_kernel.len};
  parawasm_parallel_parallel_list_buffer_t list = {&buffer, 1};
  for (int rep = 0; rep < 3; rep++)
    if (!parawasm_parallel_parallel_parallel_exec(device, &kernel, N, 16, &list, &err))
      return fail("parallel-exec", err);
  guest_list_u8_t result;
  if (!parawasm_parallel_parallel_read_buffer(buffer, &result, &err))
    return fail("read-buffer", err);
  if (result.len != sizeof data || (uint8_t *)result.ptr == (uint8_t *)data)
    return fail("read-buffer: not a list of its own", (int)result.len);
  const int32_t *values = (const int32_t *)result.ptr;
  long sum = 0;
  for (int i = 0; i < N; i++) {
    if (values[i] != i + 3)
      return fail("read-buffer: wrong value", i);
    sum += values[i];
  }
  free(result.ptr);
  printf("sum %ld\n", sum);

  /* Errors come back as the `error` enum. */
  if (parawasm_parallel_parallel_read_buffer(77, &result, &err) ||
      err != PARAWASM_PARALLEL_PARALLEL_ERROR_INVALID_HANDLE)
    return fail("read-buffer of an unknown handle", err);
  guest_list_u8_t short_bytes = {(uint8_t *)data, 8};
  if (parawasm_parallel_parallel_write_buffer(&short_bytes, buffer, &err) ||
      err != PARAWASM_PARALLEL_PARALLEL_ERROR_INVALID_ARGUMENT)
    return fail("write-buffer of the wrong size", err);
  if (!parawasm_parallel_parallel_create_buffer(
          device, 8, PARAWASM_PARALLEL_PARALLEL_BUFFER_ACCESS_KIND_READ, &spare, &err) ||
      !parawasm_parallel_parallel_write_buffer(&short_bytes, spare, &err))
    return fail("spare buffer", err);
  parawasm_parallel_parallel_buffer_t two[] = {buffer, spare};
  parawasm_parallel_parallel_list_buffer_t list2 = {two, 2};
  if (parawasm_parallel_parallel_parallel_exec(device, &kernel, N, 16, &list2, &err) ||
      err != PARAWASM_PARALLEL_PARALLEL_ERROR_INVALID_KERNEL)
    return fail("parallel-exec with a buffer too many", err);
  printf("errors ok\n");
  return 0;
}
