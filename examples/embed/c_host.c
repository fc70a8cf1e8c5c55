// c_host: a C program that embeds parawasm through the standard C API (wasm.h) and parawasm's
// WASI and wasi-parallel headers.
//
//   c_host GUEST.wat|GUEST.wasm [DEVICE [THREADS]]
//
// 1. Compiles a small module of its own, calls its export `scale` with arguments, reads the
//    result, and catches the trap of its export `check`.
// 2. Runs GUEST (a WASI command, e.g. examples/wat/vector_add.wat) with WASI and wasi-parallel
//    attached: its stdout is the host's, its kernels run on DEVICE ("sequential", "cpu",
//    "discrete_gpu"; default: the guest's choice) with THREADS cpu threads.
//
// Build against an installed parawasm (docs/c-api.md):
//   cc c_host.c -I<prefix>/include -L<prefix>/lib -lparawasm -lstdc++ -lm -ldl -lpthread
#include "parawasm_parallel.h"
#include "parawasm_wasi.h"
#include "wasm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char kCalc[] = "(module\n"
                            "  (func (export \"scale\") (param i32 f64) (result f64)\n"
                            "    (f64.mul (f64.convert_i32_s (local.get 0)) (local.get 1)))\n"
                            "  (func (export \"check\") (param i32)\n"
                            "    (if (i32.eqz (local.get 0)) (then unreachable))))\n";

// Prints a trap's message and deletes it.
static void report(const char *what, wasm_trap_t *trap) {
  wasm_message_t message;
  wasm_trap_message(trap, &message);
  fprintf(stderr, "c_host: %s: %s\n", what, message.data);
  wasm_byte_vec_delete(&message);
  wasm_trap_delete(trap);
}

// Reads a file; a text module is translated to a binary one. False on failure (reported).
static int load(const char *path, wasm_byte_vec_t *out) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "c_host: cannot open %s\n", path);
    return 0;
  }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  wasm_byte_vec_t bytes;
  wasm_byte_vec_new_uninitialized(&bytes, (size_t)size);
  size_t got = fread(bytes.data, 1, (size_t)size, f);
  fclose(f);
  if (got != (size_t)size) {
    wasm_byte_vec_delete(&bytes);
    return 0;
  }
  if (bytes.size >= 4 && memcmp(bytes.data, "\0asm", 4) == 0) {
    *out = bytes;
    return 1;
  }
  wasm_trap_t *error = parawasm_wat2wasm(bytes.data, bytes.size, out);
  wasm_byte_vec_delete(&bytes);
  if (error) {
    report(path, error);
    return 0;
  }
  return 1;
}

// Finds export `name` of `instance`; the caller deletes `exports`.
static wasm_func_t *export_func(const wasm_module_t *module, const wasm_instance_t *instance,
                                const char *name, wasm_extern_vec_t *exports) {
  wasm_exporttype_vec_t types;
  wasm_module_exports(module, &types);
  wasm_instance_exports(instance, exports);
  wasm_func_t *found = NULL;
  for (size_t i = 0; i < types.size; ++i) {
    const wasm_name_t *n = wasm_exporttype_name(types.data[i]);
    if (n->size == strlen(name) && memcmp(n->data, name, n->size) == 0)
      found = wasm_extern_as_func(exports->data[i]);
  }
  wasm_exporttype_vec_delete(&types);
  return found;
}

// Part 1: arguments, results and a trap, with the standard API alone.
static int calc(wasm_store_t *store) {
  wasm_byte_vec_t binary;
  wasm_trap_t *error = parawasm_wat2wasm(kCalc, strlen(kCalc), &binary);
  if (error) {
    report("calc", error);
    return 0;
  }
  wasm_module_t *module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  wasm_extern_vec_t no_imports = WASM_EMPTY_VEC;
  wasm_trap_t *trap = NULL;
  wasm_instance_t *instance = wasm_instance_new(store, module, &no_imports, &trap);
  if (!instance) {
    report("instantiate calc", trap);
    wasm_module_delete(module);
    return 0;
  }
  wasm_extern_vec_t exports;
  wasm_func_t *scale = export_func(module, instance, "scale", &exports);
  wasm_val_t args[] = {WASM_I32_VAL(6), WASM_F64_VAL(7.5)};
  wasm_val_t results[] = {WASM_INIT_VAL};
  wasm_val_vec_t args_vec = WASM_ARRAY_VEC(args);
  wasm_val_vec_t results_vec = WASM_ARRAY_VEC(results);
  trap = wasm_func_call(scale, &args_vec, &results_vec);
  int ok = trap == NULL && results[0].of.f64 == 45.0;
  if (trap)
    report("scale", trap);
  else
    printf("c_host: scale(6, 7.5) = %g\n", results[0].of.f64);
  wasm_extern_vec_delete(&exports);

  wasm_func_t *check = export_func(module, instance, "check", &exports);
  wasm_val_t zero[] = {WASM_I32_VAL(0)};
  wasm_val_vec_t zero_vec = WASM_ARRAY_VEC(zero);
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  trap = wasm_func_call(check, &zero_vec, &none);
  if (trap) {
    wasm_message_t message;
    wasm_trap_message(trap, &message);
    printf("c_host: check(0) trapped: %s\n", message.data);
    wasm_byte_vec_delete(&message);
    wasm_trap_delete(trap);
  } else {
    ok = 0;
  }
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  return ok;
}

// Part 2: a WASI command with wasi-parallel. Returns its exit status.
static int run_guest(wasm_store_t *store, const char *path, const char *device, unsigned threads) {
  wasm_byte_vec_t binary;
  if (!load(path, &binary))
    return 1;
  wasm_module_t *module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  if (!module) {
    fprintf(stderr, "c_host: %s is not a valid module\n", path);
    return 1;
  }
  parawasm_linker_t *linker = parawasm_linker_new(store);

  parawasm_wasi_config_t *wasi = parawasm_wasi_config_new();
  const char *argv[] = {path};
  parawasm_wasi_config_set_argv(wasi, 1, argv);
  parawasm_wasi_config_inherit_stdio(wasi);
  wasm_trap_t *error = parawasm_linker_define_wasi(linker, wasi);
  if (!error) {
    parawasm_parallel_config_t *parallel = parawasm_parallel_config_new();
    parawasm_parallel_config_set_device(parallel, device);
    parawasm_parallel_config_set_threads(parallel, threads);
    error = parawasm_linker_define_parallel(linker, parallel);
  }
  int status = 1;
  wasm_trap_t *trap = NULL;
  wasm_instance_t *instance = NULL;
  if (error)
    report("linking", error);
  else if (!(instance = parawasm_linker_instantiate(linker, module, &trap)))
    report("instantiate", trap);
  if (instance) {
    wasm_extern_vec_t exports;
    wasm_func_t *start = export_func(module, instance, "_start", &exports);
    wasm_val_vec_t none = WASM_EMPTY_VEC;
    trap = start ? wasm_func_call(start, &none, &none) : NULL;
    status = start ? 0 : 1;
    if (trap && !parawasm_trap_exit_status(trap, &status)) {
      report("_start", trap); // a real trap
      status = 1;
    } else if (trap) {
      wasm_trap_delete(trap); // proc_exit(status)
    }
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);
  }
  parawasm_linker_delete(linker);
  wasm_module_delete(module);
  return status;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: c_host GUEST.wat|GUEST.wasm [DEVICE [THREADS]]\n");
    return 2;
  }
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  int status = calc(store) ? 0 : 1;
  fflush(stdout); // before the guest writes to the same descriptor
  if (status == 0)
    status = run_guest(store, argv[1], argc > 2 ? argv[2] : NULL,
                       argc > 3 ? (unsigned)atoi(argv[3]) : 0);
  printf("c_host: guest exit status %d\n", status);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return status;
}
