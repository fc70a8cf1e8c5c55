// parawasm's additions to the standard C API (wasm.h): a linker that resolves imports by name,
// the WebAssembly text format, and what a trap says beyond its message. parawasm_wasi.h and
// parawasm_parallel.h attach WASI and wasi-parallel to a linker. See docs/c-api.md.
//
//   parawasm_linker_t *linker = parawasm_linker_new(store);
//   wasm_trap_t *err = parawasm_linker_define_wasi(linker, wasi_config);  // NULL: done
//   wasm_instance_t *instance = parawasm_linker_instantiate(linker, module, &trap);
#ifndef PARAWASM_LINKER_H
#define PARAWASM_LINKER_H

#include "wasm.h"

#ifdef __cplusplus
extern "C" {
#endif

// Names to externs, for modules whose imports are looked up by (module, name). Instances made by
// one linker share its limits and interrupt flag. Errors come back as an owned wasm_trap_t whose
// message says why (NULL: success).
typedef struct parawasm_linker_t parawasm_linker_t;

// The linker borrows `store`, which must outlive it.
WASM_API_EXTERN own parawasm_linker_t *parawasm_linker_new(wasm_store_t *store);
WASM_API_EXTERN void parawasm_linker_delete(own parawasm_linker_t *);

// Defines `module`.`name` (NUL-terminated) as `item` (borrowed; the linker keeps its own handle).
WASM_API_EXTERN void parawasm_linker_define(parawasm_linker_t *, const char *module,
                                            const char *name, const wasm_extern_t *item);
// Defines every export of `instance` under module name `module`.
WASM_API_EXTERN void parawasm_linker_define_instance(parawasm_linker_t *, const char *module,
                                                     const wasm_instance_t *instance);
// Resolves the module's imports by name and instantiates. On failure returns NULL and, when
// `trap` is not NULL, stores there why (an unknown or mismatched import, a trapping start).
WASM_API_EXTERN own wasm_instance_t *parawasm_linker_instantiate(const parawasm_linker_t *,
                                                                 const wasm_module_t *,
                                                                 own wasm_trap_t **trap);

// Translates the WebAssembly text format to a binary module. NULL on success; otherwise a trap
// whose message is the parser's error (and `out` is left empty).
WASM_API_EXTERN own wasm_trap_t *parawasm_wat2wasm(const char *text, size_t size,
                                                   own wasm_byte_vec_t *out);

// The trap code of a trap raised by Wasm or the runtime (TrapCode in include/parawasm/types.h,
// docs/TRAPS.md: 0 unreachable, 1 out-of-bounds memory access, ...). False for a trap made by
// wasm_trap_new or returned by a host function.
WASM_API_EXTERN bool parawasm_trap_code(const wasm_trap_t *, uint32_t *code);
// Whether the guest ended by calling WASI proc_exit, and with which status.
WASM_API_EXTERN bool parawasm_trap_exit_status(const wasm_trap_t *, int *status);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // PARAWASM_LINKER_H
