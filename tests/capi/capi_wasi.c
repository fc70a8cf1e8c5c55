// parawasm's C headers: the linker, text modules, trap details, WASI and wasi-parallel.
#include "capi_test.h"
#include "parawasm_parallel.h"
#include "parawasm_wasi.h"

#include <stdint.h>
#include <unistd.h>

static const char kGuest[] =
    "(module\n"
    "  (import \"wasi_snapshot_preview1\" \"fd_write\"\n"
    "    (func $fd_write (param i32 i32 i32 i32) (result i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $exit (param i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"environ_sizes_get\"\n"
    "    (func $env_sizes (param i32 i32) (result i32)))\n"
    "  (import \"lib\" \"square\" (func $square (param i32) (result i32)))\n"
    "  (memory (export \"memory\") 1)\n"
    "  (data (i32.const 16) \"hello\\n\")\n"
    "  (func (export \"hello\") (param i32) (result i32)\n"
    "    (i32.store (i32.const 0) (i32.const 16))\n"
    "    (i32.store (i32.const 4) (i32.const 6))\n"
    "    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))\n"
    "    (call $square (local.get 0)))\n"
    "  (func (export \"env_count\") (result i32)\n"
    "    (drop (call $env_sizes (i32.const 32) (i32.const 36))) (i32.load (i32.const 32)))\n"
    "  (func (export \"quit\") (param i32) (call $exit (local.get 0)))\n"
    "  (func (export \"boom\") (unreachable)))\n";

static const char kLib[] = "(module (func (export \"square\") (param i32) (result i32)\n"
                           "  (i32.mul (local.get 0) (local.get 0))))";

static wasm_module_t *compile(wasm_store_t *store, const char *text) {
  wasm_byte_vec_t binary;
  CHECK(parawasm_wat2wasm(text, strlen(text), &binary) == NULL);
  wasm_module_t *module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  CHECK(module != NULL);
  return module;
}

static wasm_trap_t *call(const wasm_module_t *m, const wasm_extern_vec_t *exports, const char *name,
                         int32_t arg, int32_t *result) {
  const wasm_func_t *f = wasm_extern_as_func(find_export(m, exports, name));
  CHECK(f != NULL);
  wasm_val_t args[1] = {WASM_I32_VAL(arg)};
  wasm_val_t results[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args_vec = {wasm_func_param_arity(f), args};
  wasm_val_vec_t results_vec = {wasm_func_result_arity(f), results};
  wasm_trap_t *trap = wasm_func_call(f, &args_vec, &results_vec);
  if (!trap && result)
    *result = results[0].of.i32;
  return trap;
}

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);

  // The text format: errors come back as a trap with the parser's message.
  wasm_byte_vec_t bad;
  wasm_trap_t *error = parawasm_wat2wasm("(module (func (i32.bogus)))", 27, &bad);
  CHECK(error != NULL && bad.size == 0);
  wasm_trap_delete(error);

  // Configuration errors are reported when attached.
  parawasm_linker_t *linker = parawasm_linker_new(store);
  parawasm_wasi_config_t *broken = parawasm_wasi_config_new();
  parawasm_wasi_config_preopen_dir(broken, "/nonexistent/capi-test", "/data");
  CHECK(trap_says(parawasm_linker_define_wasi(linker, broken), "/nonexistent/capi-test"));
  parawasm_parallel_config_t *no_device = parawasm_parallel_config_new();
  parawasm_parallel_config_set_device(no_device, "abacus");
  CHECK(trap_says(parawasm_linker_define_parallel(linker, no_device), "abacus"));

  // A module with a missing import.
  wasm_module_t *guest = compile(store, kGuest);
  wasm_trap_t *trap = NULL;
  CHECK(parawasm_linker_instantiate(linker, guest, &trap) == NULL);
  CHECK(trap_says(trap, "unknown import"));

  // WASI with stdout into a pipe, an environment of two variables; "lib" from an instance.
  int fds[2];
  CHECK(pipe(fds) == 0);
  parawasm_wasi_config_t *wasi = parawasm_wasi_config_new();
  const char *args[] = {"guest", "--flag"};
  parawasm_wasi_config_set_argv(wasi, 2, args);
  const char *names[] = {"A", "B"}, *values[] = {"1", "2"};
  parawasm_wasi_config_set_env(wasi, 2, names, values);
  parawasm_wasi_config_set_stdio(wasi, -1, fds[1], -1);
  CHECK(parawasm_linker_define_wasi(linker, wasi) == NULL);
  parawasm_parallel_config_t *parallel = parawasm_parallel_config_new();
  parawasm_parallel_config_set_device(parallel, "sequential");
  parawasm_parallel_config_set_threads(parallel, 1);
  CHECK(parawasm_linker_define_parallel(linker, parallel) == NULL);
  wasm_module_t *lib = compile(store, kLib);
  wasm_extern_vec_t no_imports = WASM_EMPTY_VEC;
  wasm_instance_t *lib_instance = wasm_instance_new(store, lib, &no_imports, &trap);
  CHECK(lib_instance != NULL);
  parawasm_linker_define_instance(linker, "lib", lib_instance);

  wasm_instance_t *instance = parawasm_linker_instantiate(linker, guest, &trap);
  CHECK(instance != NULL && trap == NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  int32_t result = 0;
  CHECK(call(guest, &exports, "hello", 9, &result) == NULL && result == 81);
  char buffer[16] = {0};
  CHECK(read(fds[0], buffer, sizeof buffer - 1) == 6 && strcmp(buffer, "hello\n") == 0);
  CHECK(call(guest, &exports, "env_count", 0, &result) == NULL && result == 2);

  // proc_exit and a Wasm trap: what parawasm_trap_* tell of them.
  int status = -1;
  uint32_t code = 99;
  trap = call(guest, &exports, "quit", 3, NULL);
  CHECK(trap != NULL && parawasm_trap_exit_status(trap, &status) && status == 3);
  CHECK(!parawasm_trap_code(trap, &code));
  wasm_trap_delete(trap);
  trap = call(guest, &exports, "boom", 0, NULL);
  CHECK(trap != NULL && parawasm_trap_code(trap, &code) && code == 0);
  CHECK(!parawasm_trap_exit_status(trap, &status));
  wasm_trap_delete(trap);

  // Redefining an import by hand: a host global is not a function.
  wasm_globaltype_t *gt = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
  wasm_val_t zero = WASM_I32_VAL(0);
  wasm_global_t *g = wasm_global_new(store, gt, &zero);
  parawasm_linker_define(linker, "lib", "square", wasm_global_as_extern(g));
  CHECK(parawasm_linker_instantiate(linker, guest, &trap) == NULL);
  CHECK(trap_says(trap, "incompatible import type"));
  wasm_global_delete(g);
  wasm_globaltype_delete(gt);

  wasm_byte_vec_t devices;
  CHECK(parawasm_parallel_devices(&devices) && strstr(devices.data, "cpu") != NULL);
  wasm_byte_vec_delete(&devices);

  close(fds[0]);
  close(fds[1]);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_instance_delete(lib_instance);
  parawasm_linker_delete(linker);
  wasm_module_delete(lib);
  wasm_module_delete(guest);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("capi_wasi: ok\n");
  return 0;
}
