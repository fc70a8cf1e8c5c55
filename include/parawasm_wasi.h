// WASI preview 1 (`wasi_snapshot_preview1`) for hosts using the standard C API: a configuration
// (arguments, environment, preopened directories, standard streams) attached to a
// parawasm_linker_t (parawasm_linker.h). The guest sees only what the configuration gives it;
// docs/wasi.md describes the sandbox.
//
//   parawasm_wasi_config_t *wasi = parawasm_wasi_config_new();
//   const char *argv[] = {"app.wasm", "--fast"};
//   parawasm_wasi_config_set_argv(wasi, 2, argv);
//   parawasm_wasi_config_inherit_stdio(wasi);
//   parawasm_wasi_config_preopen_dir(wasi, "/srv/data", "/data");
//   wasm_trap_t *err = parawasm_linker_define_wasi(linker, wasi);  // takes `wasi`
#ifndef PARAWASM_WASI_H
#define PARAWASM_WASI_H

#include "parawasm_linker.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct parawasm_wasi_config_t parawasm_wasi_config_t;

// An empty configuration: no arguments, no environment, no directories, and standard streams
// that read end of file and discard what is written.
WASM_API_EXTERN own parawasm_wasi_config_t *parawasm_wasi_config_new(void);
WASM_API_EXTERN void parawasm_wasi_config_delete(own parawasm_wasi_config_t *);

// argv as the guest sees it; argv[0] is the program name. The strings are copied.
WASM_API_EXTERN void parawasm_wasi_config_set_argv(parawasm_wasi_config_t *, size_t argc,
                                                   const char *const argv[]);
// Replaces the environment with `count` NAME=VALUE pairs (copied).
WASM_API_EXTERN void parawasm_wasi_config_set_env(parawasm_wasi_config_t *, size_t count,
                                                  const char *const names[],
                                                  const char *const values[]);
// Appends the host process's environment.
WASM_API_EXTERN void parawasm_wasi_config_inherit_env(parawasm_wasi_config_t *);
// Host descriptors behind guest fds 0, 1, 2 (duplicated, never closed by the guest); -1 gives an
// empty stdin or a stream that discards.
WASM_API_EXTERN void parawasm_wasi_config_set_stdio(parawasm_wasi_config_t *, int stdin_fd,
                                                    int stdout_fd, int stderr_fd);
// The host process's own stdin, stdout and stderr.
WASM_API_EXTERN void parawasm_wasi_config_inherit_stdio(parawasm_wasi_config_t *);
// Makes host directory `host_path` visible to the guest as `guest_path` (NULL: the same path).
// Checked when the configuration is attached.
WASM_API_EXTERN void parawasm_wasi_config_preopen_dir(parawasm_wasi_config_t *,
                                                      const char *host_path,
                                                      const char *guest_path);

// Defines every function of `wasi_snapshot_preview1` (and wasi-threads' `wasi` `thread-spawn`)
// on the linker, bound to a WASI context made from `config`, which it takes. NULL on success;
// otherwise a trap that says why (a preopen that cannot be opened, a malformed variable).
// A guest's proc_exit reaches the caller of wasm_func_call as a trap for which
// parawasm_trap_exit_status is true.
WASM_API_EXTERN own wasm_trap_t *parawasm_linker_define_wasi(parawasm_linker_t *,
                                                             own parawasm_wasi_config_t *config);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // PARAWASM_WASI_H
