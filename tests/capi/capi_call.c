// The standard C API end to end: compile, inspect imports and exports, instantiate with host
// functions, call with arguments, read results, and catch traps from Wasm and from the host.
#include "capi_test.h"

static int finalized = 0;
static int calls = 0;

static wasm_trap_t *twice(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  CHECK(*(int *)env == 21);
  CHECK(args->size == 1 && args->data[0].kind == WASM_I32);
  CHECK(results->size == 1);
  ++calls;
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = args->data[0].of.i32 * 2;
  return NULL;
}

static wasm_store_t *fail_store;
static wasm_trap_t *fail(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  CHECK(args->size == 0 && results->size == 0);
  wasm_message_t message;
  wasm_name_new_from_string(&message, "host says no");
  wasm_trap_t *trap = wasm_trap_new(fail_store, &message);
  wasm_name_delete(&message);
  return trap;
}

static void finalize(void *env) {
  CHECK(*(int *)env == 21);
  ++finalized;
}

int main(int argc, char **argv) {
  CHECK(argc == 2);
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  fail_store = store;

  wasm_byte_vec_t binary;
  read_binary(argv[1], &binary);
  CHECK(wasm_module_validate(store, &binary));
  wasm_module_t *module = wasm_module_new(store, &binary);
  CHECK(module != NULL);

  // Bytes that are not a module: NULL, and validation says no.
  wasm_byte_vec_t junk;
  wasm_byte_vec_new(&junk, 8, "\0asm\2\0\0\0");
  CHECK(!wasm_module_validate(store, &junk));
  CHECK(wasm_module_new(store, &junk) == NULL);
  wasm_byte_vec_delete(&junk);

  // Imports: host.twice (i32) -> (i32), host.fail () -> ().
  wasm_importtype_vec_t imports;
  wasm_module_imports(module, &imports);
  CHECK(imports.size == 2);
  const wasm_name_t *mod = wasm_importtype_module(imports.data[0]);
  const wasm_name_t *name = wasm_importtype_name(imports.data[0]);
  CHECK(mod->size == 4 && memcmp(mod->data, "host", 4) == 0);
  CHECK(name->size == 5 && memcmp(name->data, "twice", 5) == 0);
  const wasm_externtype_t *itype = wasm_importtype_type(imports.data[0]);
  CHECK(wasm_externtype_kind(itype) == WASM_EXTERN_FUNC);
  const wasm_functype_t *ftype = wasm_externtype_as_functype_const(itype);
  CHECK(ftype != NULL && wasm_externtype_as_globaltype_const(itype) == NULL);
  CHECK(wasm_functype_params(ftype)->size == 1 && wasm_functype_results(ftype)->size == 1);
  CHECK(wasm_valtype_kind(wasm_functype_params(ftype)->data[0]) == WASM_I32);
  wasm_importtype_vec_t imports_copy;
  wasm_importtype_vec_copy(&imports_copy, &imports);
  CHECK(imports_copy.size == 2 && imports_copy.data[1] != imports.data[1]);
  wasm_importtype_vec_delete(&imports_copy);
  wasm_importtype_vec_delete(&imports);

  wasm_exporttype_vec_t exports_types;
  wasm_module_exports(module, &exports_types);
  CHECK(exports_types.size == 6);
  const wasm_functype_t *mix_type =
      wasm_externtype_as_functype_const(wasm_exporttype_type(exports_types.data[1]));
  CHECK(wasm_functype_params(mix_type)->size == 3 && wasm_functype_results(mix_type)->size == 2);
  CHECK(wasm_valtype_kind(wasm_functype_results(mix_type)->data[1]) == WASM_I64);
  wasm_exporttype_vec_delete(&exports_types);

  // Host functions, one with an environment and a finalizer.
  static int env = 21;
  wasm_functype_t *twice_type =
      wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t *twice_func = wasm_func_new_with_env(store, twice_type, twice, &env, finalize);
  wasm_functype_delete(twice_type);
  wasm_functype_t *fail_type = wasm_functype_new_0_0();
  wasm_func_t *fail_func = wasm_func_new(store, fail_type, fail);
  wasm_functype_delete(fail_type);
  CHECK(wasm_func_param_arity(twice_func) == 1 && wasm_func_result_arity(twice_func) == 1);

  // A missing import: no instance, and a trap that names the problem.
  wasm_extern_t *too_few[] = {wasm_func_as_extern(twice_func)};
  wasm_extern_vec_t too_few_vec = WASM_ARRAY_VEC(too_few);
  wasm_trap_t *trap = NULL;
  CHECK(wasm_instance_new(store, module, &too_few_vec, &trap) == NULL);
  CHECK(trap != NULL && trap_says(trap, "imports"));
  // A function of the wrong type.
  wasm_extern_t *swapped[] = {wasm_func_as_extern(fail_func), wasm_func_as_extern(twice_func)};
  wasm_extern_vec_t swapped_vec = WASM_ARRAY_VEC(swapped);
  CHECK(wasm_instance_new(store, module, &swapped_vec, &trap) == NULL);
  CHECK(trap != NULL && trap_says(trap, "incompatible import type"));

  wasm_extern_t *externs[] = {wasm_func_as_extern(twice_func), wasm_func_as_extern(fail_func)};
  wasm_extern_vec_t import_vec = WASM_ARRAY_VEC(externs);
  wasm_instance_t *instance = wasm_instance_new(store, module, &import_vec, &trap);
  CHECK(instance != NULL && trap == NULL);
  wasm_func_delete(twice_func);
  wasm_func_delete(fail_func);

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(exports.size == 6);
  CHECK(wasm_extern_kind(exports.data[0]) == WASM_EXTERN_FUNC);

  // add(40, 2) = 42
  const wasm_func_t *add = wasm_extern_as_func_const(find_export(module, &exports, "add"));
  CHECK(add != NULL);
  wasm_val_t add_args[] = {WASM_I32_VAL(40), WASM_I32_VAL(2)};
  wasm_val_t add_results[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args_vec = WASM_ARRAY_VEC(add_args);
  wasm_val_vec_t results_vec = WASM_ARRAY_VEC(add_results);
  CHECK(wasm_func_call(add, &args_vec, &results_vec) == NULL);
  CHECK(add_results[0].kind == WASM_I32 && add_results[0].of.i32 == 42);

  // mix(7, 1.5, 2.25) = (3.75, 21)
  const wasm_func_t *mix = wasm_extern_as_func_const(find_export(module, &exports, "mix"));
  wasm_val_t mix_args[] = {WASM_I64_VAL(7), WASM_F32_VAL(1.5f), WASM_F64_VAL(2.25)};
  wasm_val_t mix_results[2] = {WASM_INIT_VAL, WASM_INIT_VAL};
  wasm_val_vec_t mix_args_vec = WASM_ARRAY_VEC(mix_args);
  wasm_val_vec_t mix_results_vec = WASM_ARRAY_VEC(mix_results);
  CHECK(wasm_func_call(mix, &mix_args_vec, &mix_results_vec) == NULL);
  CHECK(mix_results[0].kind == WASM_F64 && mix_results[0].of.f64 == 3.75);
  CHECK(mix_results[1].kind == WASM_I64 && mix_results[1].of.i64 == 21);

  // Wrong argument count and kinds: a trap, nothing called.
  CHECK(trap_says(wasm_func_call(mix, &args_vec, &mix_results_vec), "arguments"));
  wasm_val_t wrong_kind[] = {WASM_I32_VAL(7), WASM_F32_VAL(1.5f), WASM_F64_VAL(2.25)};
  wasm_val_vec_t wrong_vec = WASM_ARRAY_VEC(wrong_kind);
  CHECK(trap_says(wasm_func_call(mix, &wrong_vec, &mix_results_vec), "argument 0"));

  // Through the host function: twice(20) + 1 = 41
  const wasm_func_t *tpo =
      wasm_extern_as_func_const(find_export(module, &exports, "twice_plus_one"));
  wasm_val_t tpo_args[] = {WASM_I32_VAL(20)};
  wasm_val_vec_t tpo_args_vec = WASM_ARRAY_VEC(tpo_args);
  CHECK(wasm_func_call(tpo, &tpo_args_vec, &results_vec) == NULL);
  CHECK(add_results[0].of.i32 == 41 && calls == 1);

  // A trap returned by a host function reaches the caller with its message.
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  const wasm_func_t *call_fail =
      wasm_extern_as_func_const(find_export(module, &exports, "call_fail"));
  trap = wasm_func_call(call_fail, &none, &none);
  CHECK(trap != NULL);
  wasm_frame_t *origin = wasm_trap_origin(trap);
  CHECK(origin == NULL); // frames are not recorded (docs/c-api.md)
  wasm_frame_vec_t trace;
  wasm_trap_trace(trap, &trace);
  CHECK(trace.size == 0);
  wasm_frame_vec_delete(&trace);
  CHECK(trap_says(trap, "host says no"));

  // Traps of Wasm code: unreachable, and integer divide by zero.
  const wasm_func_t *boom = wasm_extern_as_func_const(find_export(module, &exports, "boom"));
  CHECK(trap_says(wasm_func_call(boom, &none, &none), "unreachable"));
  const wasm_func_t *div = wasm_extern_as_func_const(find_export(module, &exports, "div"));
  wasm_val_t div_args[] = {WASM_I32_VAL(1), WASM_I32_VAL(0)};
  wasm_val_vec_t div_args_vec = WASM_ARRAY_VEC(div_args);
  CHECK(trap_says(wasm_func_call(div, &div_args_vec, &results_vec), "divide by zero"));
  // The instance still works after a trap.
  CHECK(wasm_func_call(add, &args_vec, &results_vec) == NULL && add_results[0].of.i32 == 42);

  // A function's type, and host info on a handle.
  wasm_functype_t *add_type = wasm_func_type(add);
  CHECK(wasm_functype_params(add_type)->size == 2);
  wasm_functype_t *add_type_copy = wasm_functype_copy(add_type);
  CHECK(wasm_valtype_kind(wasm_functype_results(add_type_copy)->data[0]) == WASM_I32);
  wasm_functype_delete(add_type_copy);
  wasm_functype_delete(add_type);
  wasm_func_t *add_copy = wasm_func_copy(add);
  CHECK(wasm_func_same(add_copy, add));
  wasm_func_set_host_info_with_finalizer(add_copy, &env, finalize);
  CHECK(wasm_func_get_host_info(add_copy) == &env);
  wasm_func_delete(add_copy);
  CHECK(finalized == 1);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_byte_vec_delete(&binary);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  // The host function's environment is finalized once its last user is gone.
  CHECK(finalized == 2);
  printf("capi_call: ok\n");
  return 0;
}
