/*
 * Guest interface to wasi-parallel: the host module "wasi_ephemeral_parallel".
 *
 * Two layers:
 *  - the raw imports wasi_parallel_*(): every call returns a wp_errno_t (0 = success) and hands
 *    results back through an out-pointer, exactly as the host sees them;
 *  - a convenience layer wp_*() (static inline, needs libc) that stops the program with a message
 *    on the first failure. Define WASI_PARALLEL_NO_HELPERS to leave it out.
 *
 * The numbers below are the ABI; docs/wasi-parallel.md says when each error is returned, and the
 * host's copy (src/parallel/abi.h) is checked against this file.
 */
#ifndef WASI_PARALLEL_H
#define WASI_PARALLEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#define WP_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define WP_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

/* Opaque handles issued by the host; valid until the instance ends (there is no release call). */
typedef int32_t wp_device_t;
typedef int32_t wp_buffer_t;

/* Error codes returned by every wasi-parallel call. Numbers are stable. */
typedef enum wp_errno {
  WP_SUCCESS = 0,
  WP_ERR_INVALID_HANDLE = 1,   /* a device or buffer handle the host never issued */
  WP_ERR_INVALID_ARGUMENT = 2, /* bad hint/access value, size mismatch, unbound buffer, ... */
  WP_ERR_INVALID_KERNEL = 3,   /* kernel bytes malformed, invalid, or breaking the kernel rules */
  WP_ERR_BUFFER_OUT_OF_BOUNDS = 4, /* a pointer/length region outside the caller's memory */
  WP_ERR_KERNEL_TRAPPED = 5,       /* an iteration trapped; the exec stopped */
  WP_ERR_OUT_OF_RESOURCES = 6,     /* host or device memory, handles or threads exhausted */
  WP_ERR_DEVICE_FAILURE = 7,       /* the device failed (driver error, lost device, launch error) */
  WP_ERR_NOT_SUPPORTED = 8         /* valid request this device cannot run */
} wp_errno_t;
#define WP_ERRNO_COUNT 9

/* Device hints for get_device. */
typedef enum wp_device_kind {
  WP_DEVICE_SEQUENTIAL = 0,    /* the calling thread, iterations in order */
  WP_DEVICE_CPU = 1,           /* all host cores */
  WP_DEVICE_DISCRETE_GPU = 2,  /* a GPU with its own memory */
  WP_DEVICE_INTEGRATED_GPU = 3 /* a GPU sharing host memory */
} wp_device_kind_t;
#define WP_DEVICE_KIND_COUNT 4

/* How parallel_exec may use a buffer: in-buffers need read access, out-buffers write access. */
typedef enum wp_access {
  WP_ACCESS_READ = 0,
  WP_ACCESS_WRITE = 1,
  WP_ACCESS_READ_WRITE = 2
} wp_access_t;
#define WP_ACCESS_COUNT 3

/* Every enum crosses the ABI as an i32. */
WP_STATIC_ASSERT(sizeof(wp_errno_t) == 4, "wp_errno_t must be an i32");
WP_STATIC_ASSERT(sizeof(wp_device_kind_t) == 4, "wp_device_kind_t must be an i32");
WP_STATIC_ASSERT(sizeof(wp_access_t) == 4, "wp_access_t must be an i32");

/* A kernel module's bytes, as embedded by wp-kernel / wasi_parallel_kernel(). */
typedef struct wp_kernel {
  const unsigned char *bytes;
  uint32_t len;
} wp_kernel_t;

#if defined(__wasm__)
#define WP_IMPORT(name) __attribute__((import_module("wasi_ephemeral_parallel"), import_name(name)))
#else
/* Natively these are plain declarations, so a host-side emulation can provide them. */
#define WP_IMPORT(name)
#endif

/* Writes a handle to the device that best matches `hint` (falling back to the best available
 * device) into *out_device. */
WP_IMPORT("get_device")
wp_errno_t wasi_parallel_get_device(wp_device_kind_t hint, wp_device_t *out_device);

/* Creates a buffer of `size` bytes on `device`. */
WP_IMPORT("create_buffer")
wp_errno_t wasi_parallel_create_buffer(wp_device_t device, uint32_t size, wp_access_t access,
                                       wp_buffer_t *out_buffer);

/* Binds `buffer` to [data, data + data_len) of this program's memory and hands the current
 * contents to the device. data_len must equal the buffer's size. Call it again after changing
 * the data on the guest side. */
WP_IMPORT("write_buffer")
wp_errno_t wasi_parallel_write_buffer(const void *data, uint32_t data_len, wp_buffer_t buffer);

/* Makes the buffer's contents visible at [data, data + data_len) (normally its bound region).
 * data_len must equal the buffer's size. */
WP_IMPORT("read_buffer")
wp_errno_t wasi_parallel_read_buffer(wp_buffer_t buffer, void *data, uint32_t data_len);

/* Runs kernel(i, num_iterations, block_size, in..., out...) once for each i in
 * [0, num_iterations) on `device` and returns when all have finished. */
WP_IMPORT("parallel_exec")
wp_errno_t wasi_parallel_parallel_exec(wp_device_t device, const void *kernel, uint32_t kernel_len,
                                       uint32_t num_iterations, uint32_t block_size,
                                       const wp_buffer_t *in_buffers, uint32_t in_buffers_len,
                                       const wp_buffer_t *out_buffers, uint32_t out_buffers_len);

/* ---- The table-index generation (docs/wasi-parallel.md, "Generations") --------------------
 * parallel_for runs worker(thread_id, num_threads, block_size, then (ptr, len) per in-buffer and
 * per out-buffer) for every thread_id in [0, num_threads) AT THE SAME TIME, each on its own host
 * thread in its own instance of this program over the same memory, and returns when all have
 * returned. The worker is a function of this program: its index in the exported function table
 * (link with -Wl,--export-table; WP_WORKER(f) gives the index). Members start with a copy of
 * this program's globals, the C stack pointer included: a worker that uses the C stack must
 * switch to a stack region of its own first (the OpenMP runtime does). num_threads is 1..256.
 * One module uses one generation: a program calling parallel_for must not call parallel_exec,
 * and its get_device hints are numbered as below. */
typedef enum wp_table_index_device_kind {
  WP_TABLE_INDEX_DEVICE_CPU = 0,
  WP_TABLE_INDEX_DEVICE_DISCRETE_GPU = 1,
  WP_TABLE_INDEX_DEVICE_INTEGRATED_GPU = 2
} wp_table_index_device_kind_t;

typedef void (*wp_worker_fn)(int32_t thread_id, int32_t num_threads, int32_t block_size, ...);
#define WP_WORKER(f) ((uint32_t)(uintptr_t)(f))

WP_IMPORT("parallel_for")
wp_errno_t wasi_parallel_parallel_for(uint32_t worker, uint32_t num_threads, uint32_t block_size,
                                      const wp_buffer_t *in_buffers, uint32_t in_buffers_len,
                                      const wp_buffer_t *out_buffers, uint32_t out_buffers_len);

/* Our extension (every generation): how many threads `device` runs at once (the cpu device's
 * thread count, 1 for sequential), to size a team by. */
WP_IMPORT("get_device_threads")
wp_errno_t wasi_parallel_get_device_threads(wp_device_t device, uint32_t *out_threads);

/* Our extension (every generation): the reason the last failed call failed, one line
 * "call: code_name: message" (e.g. "parallel_exec: invalid_kernel: 'kernel' takes 1 buffers (5
 * parameters), the call passes 2"), truncated to buf_len bytes (not NUL-terminated) at buf; its
 * full length at *out_len, 0 when no call has failed. */
WP_IMPORT("get_last_error")
wp_errno_t wasi_parallel_get_last_error(char *buf, uint32_t buf_len, uint32_t *out_len);

/* ---- Helpers that need no libc ---------------------------------------------------------- */

/* "invalid handle", "kernel trapped", ...; "unknown error" for numbers outside the table. */
static inline const char *wp_strerror(wp_errno_t err) {
  switch (err) {
  case WP_SUCCESS:
    return "success";
  case WP_ERR_INVALID_HANDLE:
    return "invalid handle";
  case WP_ERR_INVALID_ARGUMENT:
    return "invalid argument";
  case WP_ERR_INVALID_KERNEL:
    return "invalid kernel";
  case WP_ERR_BUFFER_OUT_OF_BOUNDS:
    return "buffer out of bounds";
  case WP_ERR_KERNEL_TRAPPED:
    return "kernel trapped";
  case WP_ERR_OUT_OF_RESOURCES:
    return "out of resources";
  case WP_ERR_DEVICE_FAILURE:
    return "device failure";
  case WP_ERR_NOT_SUPPORTED:
    return "not supported";
  }
  return "unknown error";
}

/* "sequential", "cpu", "discrete_gpu", "integrated_gpu"; "unknown" otherwise. */
static inline const char *wp_device_kind_name(wp_device_kind_t kind) {
  switch (kind) {
  case WP_DEVICE_SEQUENTIAL:
    return "sequential";
  case WP_DEVICE_CPU:
    return "cpu";
  case WP_DEVICE_DISCRETE_GPU:
    return "discrete_gpu";
  case WP_DEVICE_INTEGRATED_GPU:
    return "integrated_gpu";
  }
  return "unknown";
}

/* Parses a device hint: a number 0-3 or one of sequential|seq, cpu, discrete_gpu|gpu,
 * integrated_gpu|igpu. Returns 1 and sets *out on success, 0 otherwise. */
static inline int wp_parse_device_kind(const char *text, wp_device_kind_t *out) {
  static const struct {
    const char *name;
    wp_device_kind_t kind;
  } names[] = {{"0", WP_DEVICE_SEQUENTIAL},
               {"1", WP_DEVICE_CPU},
               {"2", WP_DEVICE_DISCRETE_GPU},
               {"3", WP_DEVICE_INTEGRATED_GPU},
               {"sequential", WP_DEVICE_SEQUENTIAL},
               {"seq", WP_DEVICE_SEQUENTIAL},
               {"cpu", WP_DEVICE_CPU},
               {"discrete_gpu", WP_DEVICE_DISCRETE_GPU},
               {"gpu", WP_DEVICE_DISCRETE_GPU},
               {"integrated_gpu", WP_DEVICE_INTEGRATED_GPU},
               {"igpu", WP_DEVICE_INTEGRATED_GPU}};
  if (!text)
    return 0;
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    const char *a = names[i].name, *b = text;
    while (*a && *a == *b)
      a++, b++;
    if (*a == 0 && *b == 0) {
      *out = names[i].kind;
      return 1;
    }
  }
  return 0;
}

#ifndef WASI_PARALLEL_NO_HELPERS
/* ---- Convenience layer: stops the program on the first failure -------------------------- */
#include <stdio.h>
#include <stdlib.h>

/* Prints "wasi-parallel: CALL failed: ERROR (CODE): REASON" to stderr, REASON being the host's
 * (get_last_error) when it is about this call. Define WP_NO_LAST_ERROR for a host without
 * get_last_error: the program then does not import it, and the line has no reason. */
static inline void wp_report_error(const char *what, wp_errno_t err) {
  char reason[1024];
  uint32_t len = 0;
  const char *why = "";
  size_t n = 0;
#ifndef WP_NO_LAST_ERROR
  if (wasi_parallel_get_last_error(reason, sizeof reason, &len) == WP_SUCCESS && len > 0) {
    /* "call: code_name: message": only this call's reason, without what the line says already */
    size_t k = 0, colons = 0;
    n = len < sizeof reason ? len : sizeof reason;
    while (what[k] && k < n && reason[k] == what[k])
      k++;
    if (!what[k] && k + 2 <= n && reason[k] == ':' && reason[k + 1] == ' ') {
      for (colons = k + 2; colons + 1 < n && !(reason[colons] == ':' && reason[colons + 1] == ' ');)
        colons++;
      if (colons + 2 <= n) {
        why = reason + colons + 2;
        n -= colons + 2;
      } else {
        n = 0;
      }
    } else {
      n = 0;
    }
  }
#endif
  if (n > 0)
    fprintf(stderr, "wasi-parallel: %s failed: %s (%d): %.*s%s\n", what, wp_strerror(err), (int)err,
            (int)n, why, len > sizeof reason ? "..." : "");
  else
    fprintf(stderr, "wasi-parallel: %s failed: %s (%d)\n", what, wp_strerror(err), (int)err);
}

/* Called with the failing call's name and error; the default prints the error and its reason
 * (wp_report_error) and exits with status 1. Define WP_ON_ERROR(what, err) before including this
 * header to change that. */
#ifndef WP_ON_ERROR
#define WP_ON_ERROR(what, err) (wp_report_error((what), (err)), exit(1))
#endif

/* Returns err after reporting it through WP_ON_ERROR when it is not WP_SUCCESS. */
static inline wp_errno_t wp_check(wp_errno_t err, const char *what) {
  if (err != WP_SUCCESS)
    WP_ON_ERROR(what, err);
  return err;
}

#define WP_COUNT(array) ((uint32_t)(sizeof(array) / sizeof((array)[0])))

/* A device for `hint` (get_device always finds one). */
static inline wp_device_t wp_device(wp_device_kind_t hint) {
  wp_device_t device = -1;
  wp_check(wasi_parallel_get_device(hint, &device), "get_device");
  return device;
}

/* The device hint in argv[index] (see wp_parse_device_kind), or `fallback` when argc <= index.
 * An unreadable hint is reported and stops the program. */
static inline wp_device_kind_t wp_hint_from_args(int argc, char **argv, int index,
                                                 wp_device_kind_t fallback) {
  wp_device_kind_t kind = fallback;
  if (argc > index && !wp_parse_device_kind(argv[index], &kind)) {
    fprintf(stderr,
            "wasi-parallel: unknown device hint '%s' (use 0-3, sequential, cpu, gpu, igpu)\n",
            argv[index]);
    exit(2);
  }
  return kind;
}

/* Creates a buffer of `size` bytes with `access` and binds it to [data, data + size) with
 * write_buffer, so its current contents reach the device. */
static inline wp_buffer_t wp_buffer(wp_device_t device, wp_access_t access, void *data,
                                    size_t size) {
  wp_buffer_t buffer = -1;
  wp_check(wasi_parallel_create_buffer(device, (uint32_t)size, access, &buffer), "create_buffer");
  wp_check(wasi_parallel_write_buffer(data, (uint32_t)size, buffer), "write_buffer");
  return buffer;
}

/* An input (read-only) buffer over the given data. */
static inline wp_buffer_t wp_buffer_in(wp_device_t device, const void *data, size_t size) {
  return wp_buffer(device, WP_ACCESS_READ, (void *)data, size);
}

/* An output (write-only) buffer over the given region: kernels must write every element they
 * want back, since a device with its own memory does not copy it in. */
static inline wp_buffer_t wp_buffer_out(wp_device_t device, void *data, size_t size) {
  return wp_buffer(device, WP_ACCESS_WRITE, data, size);
}

/* A buffer the kernel both reads and writes (pass it as an out-buffer, or as both). */
static inline wp_buffer_t wp_buffer_inout(wp_device_t device, void *data, size_t size) {
  return wp_buffer(device, WP_ACCESS_READ_WRITE, data, size);
}

/* Hands changed guest data to the device again (rebinding the buffer to `data`). */
static inline void wp_update(wp_buffer_t buffer, const void *data, size_t size) {
  wp_check(wasi_parallel_write_buffer(data, (uint32_t)size, buffer), "write_buffer");
}

/* Makes the buffer's contents visible at [data, data + size). */
static inline void wp_read(wp_buffer_t buffer, void *data, size_t size) {
  wp_check(wasi_parallel_read_buffer(buffer, data, (uint32_t)size), "read_buffer");
}

/* parallel_exec, returning the error instead of stopping. */
static inline wp_errno_t wp_try_exec(wp_device_t device, wp_kernel_t kernel,
                                     uint32_t num_iterations, uint32_t block_size,
                                     const wp_buffer_t *in, uint32_t num_in, const wp_buffer_t *out,
                                     uint32_t num_out) {
  return wasi_parallel_parallel_exec(device, kernel.bytes, kernel.len, num_iterations, block_size,
                                     in, num_in, out, num_out);
}

/* parallel_exec: runs `kernel` for every iteration id in [0, num_iterations). */
static inline void wp_exec(wp_device_t device, wp_kernel_t kernel, uint32_t num_iterations,
                           uint32_t block_size, const wp_buffer_t *in, uint32_t num_in,
                           const wp_buffer_t *out, uint32_t num_out) {
  wp_check(wp_try_exec(device, kernel, num_iterations, block_size, in, num_in, out, num_out),
           "parallel_exec");
}
#endif /* WASI_PARALLEL_NO_HELPERS */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WASI_PARALLEL_H */
