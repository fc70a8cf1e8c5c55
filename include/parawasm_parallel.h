// wasi-parallel (`wasi_ephemeral_parallel`) for hosts using the standard C API: the device the
// guest's kernels run on and the CPU device's threads, attached to a parawasm_linker_t
// (parawasm_linker.h). docs/wasi-parallel.md is the guest-visible contract.
//
//   parawasm_parallel_config_t *par = parawasm_parallel_config_new();
//   parawasm_parallel_config_set_device(par, "cpu");
//   parawasm_parallel_config_set_threads(par, 8);
//   wasm_trap_t *err = parawasm_linker_define_parallel(linker, par);  // takes `par`
#ifndef PARAWASM_PARALLEL_H
#define PARAWASM_PARALLEL_H

#include "parawasm_linker.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct parawasm_parallel_config_t parawasm_parallel_config_t;

// Follows the guest's device hints, with as many CPU threads as the process may use.
WASM_API_EXTERN own parawasm_parallel_config_t *parawasm_parallel_config_new(void);
WASM_API_EXTERN void parawasm_parallel_config_delete(own parawasm_parallel_config_t *);

// Forces one device for every hint: "sequential", "cpu", "discrete_gpu" (or "gpu"),
// "integrated_gpu"; NULL or "" follows the guest's hints. An unknown name or a device the machine
// lacks makes parawasm_linker_define_parallel fail.
WASM_API_EXTERN void parawasm_parallel_config_set_device(parawasm_parallel_config_t *,
                                                         const char *device);
// Threads of the cpu device, the calling thread included (0: $PARAWASM_THREADS, else one per
// hardware thread).
WASM_API_EXTERN void parawasm_parallel_config_set_threads(parawasm_parallel_config_t *,
                                                          unsigned threads);
// Report on stderr which device each hint resolves to and every failed call with its reason.
WASM_API_EXTERN void parawasm_parallel_config_set_verbose(parawasm_parallel_config_t *,
                                                          bool verbose);

// Defines wasi-parallel (every generation, docs/wasi-parallel.md) on the linker, bound to a new
// context made from `config`, which it takes. NULL on success; otherwise a trap that says why.
WASM_API_EXTERN own wasm_trap_t *
parawasm_linker_define_parallel(parawasm_linker_t *, own parawasm_parallel_config_t *config);

// The devices this machine offers, one line each ("kind: name (details)"), in handle order, into
// `out` as a NUL-terminated string. False (and `out` empty) when they cannot be listed.
WASM_API_EXTERN bool parawasm_parallel_devices(own wasm_byte_vec_t *out);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // PARAWASM_PARALLEL_H
