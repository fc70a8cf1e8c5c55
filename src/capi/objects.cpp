// The runtime environment and runtime objects of the standard C API: config, engine, store,
// modules, functions (host functions included), globals, tables, memories, externs, instances.
#include "capi/capi.h"

#include "wasm/loaded_module.h"

#include <algorithm>
#include <memory>

using namespace parawasm;
using namespace parawasm::capi;

namespace {

std::span<const uint8_t> bytesOf(const wasm_byte_vec_t *v) {
  return {reinterpret_cast<const uint8_t *>(v->data), v->size};
}

// A host function's C callback and its environment; the finalizer runs when the last handle of
// the function (and every instance that imported it) is gone.
struct HostEnv {
  wasm_func_callback_t callback = nullptr;
  wasm_func_callback_with_env_t callbackWithEnv = nullptr;
  void *env = nullptr;
  void (*finalizer)(void *) = nullptr;
  HostEnv() = default;
  HostEnv(const HostEnv &) = delete;
  HostEnv &operator=(const HostEnv &) = delete;
  ~HostEnv() {
    if (finalizer)
      finalizer(env);
  }
};

// Runs the C callback. Called from compiled code: nothing here may throw, and a trap is
// reported by the returned status, never by unwinding.
HostStatus callHost(const HostEnv &host, std::span<const Val> args, std::span<Val> results) {
  wasm_val_vec_t cArgs, cResults;
  wasm_val_vec_new_uninitialized(&cArgs, args.size());
  for (size_t i = 0; i < args.size(); ++i)
    if (!toCVal(args[i], &cArgs.data[i])) {
      wasm_val_vec_delete(&cArgs);
      return HostStatus::trap("a v128 argument cannot be passed to a C API host function");
    }
  wasm_val_vec_new_uninitialized(&cResults, results.size());
  for (size_t i = 0; i < results.size(); ++i)
    cResults.data[i].kind = toValKind(results[i].type);
  wasm_trap_t *trap = host.callbackWithEnv ? host.callbackWithEnv(host.env, &cArgs, &cResults)
                                           : host.callback(&cArgs, &cResults);
  HostStatus status = HostStatus::ok();
  if (trap) {
    if (trap->exitStatus)
      status = HostStatus::exit(*trap->exitStatus);
    else if (trap->code)
      status = HostStatus::trap(*trap->code, trap->message);
    else
      status = HostStatus::trap(trap->message);
    wasm_trap_delete(trap);
  } else {
    for (size_t i = 0; i < results.size() && status.isOk(); ++i) {
      auto v = toVal(cResults.data[i]);
      if (!v || v->type != results[i].type)
        status =
            HostStatus::trap("a C API host function returned result " + std::to_string(i) +
                             " of the wrong type (" + valTypeName(results[i].type) + " expected)");
      else
        results[i] = *v;
    }
  }
  wasm_val_vec_delete(&cArgs);
  wasm_val_vec_delete(&cResults);
  return status;
}

wasm_func_t *newHostFunc(wasm_store_t *store, const wasm_functype_t *type,
                         std::shared_ptr<HostEnv> host) {
  FuncType t = toFuncType(*type);
  for (ValType v : t.params)
    if (v == ValType::V128)
      return nullptr;
  for (ValType v : t.results)
    if (v == ValType::V128)
      return nullptr;
  HostCallback callback = [host = std::move(host)](Caller &, std::span<const Val> args,
                                                   std::span<Val> results) {
    return callHost(*host, args, results);
  };
  return new wasm_func_t(makeHostFunc(store->engine->engine, std::move(t), std::move(callback)));
}

// The type of an import or an export: both describe it with the same fields.
template <typename Desc> wasm_externtype_t *newExternTypeOf(const Desc &d) {
  switch (d.kind) {
  case ExternKind::Func:
    return newFuncType(d.func);
  case ExternKind::Table:
    return newTableType(d.table);
  case ExternKind::Memory:
    return newMemoryType(d.memory);
  case ExternKind::Global:
    return newGlobalType(d.global);
  case ExternKind::Tag: // wasm_module_new refuses modules that import or export tags
    break;
  }
  return nullptr;
}

} // namespace

extern "C" {

// Runtime environment

wasm_config_t *wasm_config_new(void) { return new wasm_config_t; }
void wasm_config_delete(wasm_config_t *c) { delete c; }

wasm_engine_t *wasm_engine_new(void) { return new wasm_engine_t(EngineConfig{}); }
wasm_engine_t *wasm_engine_new_with_config(wasm_config_t *config) {
  auto *e = new wasm_engine_t(config->config);
  delete config;
  return e;
}
void wasm_engine_delete(wasm_engine_t *e) { delete e; }

wasm_store_t *wasm_store_new(wasm_engine_t *engine) { return new wasm_store_t(engine); }
void wasm_store_delete(wasm_store_t *s) { delete s; }

// Modules

wasm_module_t *wasm_module_new(wasm_store_t *store, const wasm_byte_vec_t *binary) {
  auto m = Module::fromBinary(store->engine->engine, bytesOf(binary));
  if (!m)
    return nullptr;
  // wasm.h has no extern kind for a tag: such a module could not describe its imports and exports.
  auto isTag = [](const auto &d) { return d.kind == ExternKind::Tag; };
  std::vector<ImportDesc> imports = m->imports();
  std::vector<ExportDesc> exports = m->exports();
  if (std::any_of(imports.begin(), imports.end(), isTag) ||
      std::any_of(exports.begin(), exports.end(), isTag))
    return nullptr;
  return new wasm_module_t(store->engine, std::move(*m));
}

bool wasm_module_validate(wasm_store_t *, const wasm_byte_vec_t *binary) {
  return wasm::loadBinary(bytesOf(binary)).ok();
}

void wasm_module_imports(const wasm_module_t *module, wasm_importtype_vec_t *out) {
  std::vector<ImportDesc> imports = module->module.imports();
  wasm_importtype_vec_new_uninitialized(out, imports.size());
  for (size_t i = 0; i < imports.size(); ++i) {
    const ImportDesc &d = imports[i];
    auto *t = new wasm_importtype_t;
    setName(&t->module, d.module, false);
    setName(&t->name, d.name, false);
    t->type = newExternTypeOf(d);
    out->data[i] = t;
  }
}

void wasm_module_exports(const wasm_module_t *module, wasm_exporttype_vec_t *out) {
  std::vector<ExportDesc> exports = module->module.exports();
  wasm_exporttype_vec_new_uninitialized(out, exports.size());
  for (size_t i = 0; i < exports.size(); ++i) {
    const ExportDesc &d = exports[i];
    auto *t = new wasm_exporttype_t;
    setName(&t->name, d.name, false);
    t->type = newExternTypeOf(d);
    out->data[i] = t;
  }
}

void wasm_module_serialize(const wasm_module_t *module, wasm_byte_vec_t *out) {
  wasm_byte_vec_new_empty(out);
  // A precompiled module is made from the module's binary (kept by Module::fromBinary).
  std::span<const uint8_t> bytes = module->module.binary();
  if (bytes.empty())
    return;
  auto packed = module->engine->engine.precompileModule(bytes);
  if (!packed)
    return;
  wasm_byte_vec_new(out, packed->size(), reinterpret_cast<const char *>(packed->data()));
}

wasm_module_t *wasm_module_deserialize(wasm_store_t *store, const wasm_byte_vec_t *bytes) {
  auto m = Module::deserialize(store->engine->engine, bytesOf(bytes));
  if (!m)
    return nullptr;
  return new wasm_module_t(store->engine, std::move(*m));
}

wasm_shared_module_t *wasm_module_share(const wasm_module_t *module) {
  return new wasm_shared_module_t{module->engine, module->module};
}
void wasm_shared_module_delete(wasm_shared_module_t *m) { delete m; }
wasm_module_t *wasm_module_obtain(wasm_store_t *store, const wasm_shared_module_t *shared) {
  if (store->engine != shared->engine)
    return nullptr;
  return new wasm_module_t(shared->engine, shared->module);
}

// Functions

wasm_func_t *wasm_func_new(wasm_store_t *store, const wasm_functype_t *type,
                           wasm_func_callback_t callback) {
  auto host = std::make_shared<HostEnv>();
  host->callback = callback;
  return newHostFunc(store, type, std::move(host));
}

wasm_func_t *wasm_func_new_with_env(wasm_store_t *store, const wasm_functype_t *type,
                                    wasm_func_callback_with_env_t callback, void *env,
                                    void (*finalizer)(void *)) {
  auto host = std::make_shared<HostEnv>();
  host->callbackWithEnv = callback;
  host->env = env;
  host->finalizer = finalizer;
  return newHostFunc(store, type, std::move(host));
}

wasm_functype_t *wasm_func_type(const wasm_func_t *f) { return newFuncType(f->func().type()); }
size_t wasm_func_param_arity(const wasm_func_t *f) { return f->func().type().params.size(); }
size_t wasm_func_result_arity(const wasm_func_t *f) { return f->func().type().results.size(); }

wasm_trap_t *wasm_func_call(const wasm_func_t *f, const wasm_val_vec_t *args,
                            wasm_val_vec_t *results) {
  const FuncType &type = f->func().type();
  size_t nargs = args ? args->size : 0;
  if (nargs != type.params.size())
    return newTrap("wasm_func_call: the function takes " + std::to_string(type.params.size()) +
                   " arguments, got " + std::to_string(nargs));
  if (type.results.size() > (results ? results->size : 0))
    return newTrap("wasm_func_call: the function has " + std::to_string(type.results.size()) +
                   " results, the results vector holds " +
                   std::to_string(results ? results->size : 0));
  std::vector<Val> in;
  for (size_t i = 0; i < nargs; ++i) {
    auto v = toVal(args->data[i]);
    if (!v || v->type != type.params[i])
      return newTrap("wasm_func_call: argument " + std::to_string(i) + " must be " +
                     valTypeName(type.params[i]));
    in.push_back(*v);
  }
  auto out = f->func().call(in);
  if (!out)
    return newTrap(out.error());
  for (size_t i = 0; i < out->size(); ++i)
    if (!toCVal((*out)[i], &results->data[i]))
      return newTrap("wasm_func_call: a v128 result cannot be returned through the C API");
  return nullptr;
}

// Globals

wasm_global_t *wasm_global_new(wasm_store_t *, const wasm_globaltype_t *type,
                               const wasm_val_t *value) {
  ValType t = toValType(type->content->kind);
  auto v = toVal(*value);
  if (!v || v->type != t)
    return nullptr;
  return new wasm_global_t(Global::create({t, type->mutability == WASM_VAR}, *v));
}

wasm_globaltype_t *wasm_global_type(const wasm_global_t *g) {
  return newGlobalType(g->global().type());
}

void wasm_global_get(const wasm_global_t *g, wasm_val_t *out) {
  toCVal(g->global().get(), out); // a v128 global reads as kind 4 with no value
}

void wasm_global_set(wasm_global_t *g, const wasm_val_t *value) {
  // The standard gives no way to report a failure: an immutable global or a value of another
  // type leaves the global unchanged.
  if (auto v = toVal(*value))
    (void)g->global().set(*v);
}

// Tables

wasm_table_t *wasm_table_new(wasm_store_t *, const wasm_tabletype_t *type, wasm_ref_t *init) {
  ValType element = toValType(type->element->kind);
  auto v = refToVal(init, element);
  if (!v || !isRefType(element))
    return nullptr;
  auto t = Table::create({element, type->limits.min, toMax(type->limits)}, *v);
  if (!t)
    return nullptr;
  return new wasm_table_t(std::move(*t));
}

wasm_tabletype_t *wasm_table_type(const wasm_table_t *t) { return newTableType(t->table().type()); }

wasm_ref_t *wasm_table_get(const wasm_table_t *t, wasm_table_size_t index) {
  auto v = t->table().get(index);
  return v ? valToRef(*v) : nullptr;
}

bool wasm_table_set(wasm_table_t *t, wasm_table_size_t index, wasm_ref_t *ref) {
  auto v = refToVal(ref, t->table().type().element);
  return v && t->table().set(index, *v);
}

wasm_table_size_t wasm_table_size(const wasm_table_t *t) { return t->table().size(); }

bool wasm_table_grow(wasm_table_t *t, wasm_table_size_t delta, wasm_ref_t *init) {
  auto v = refToVal(init, t->table().type().element);
  return v && t->table().grow(delta, *v).has_value();
}

// Memories

wasm_memory_t *wasm_memory_new(wasm_store_t *, const wasm_memorytype_t *type) {
  auto m = Memory::create({type->limits.min, toMax(type->limits), false});
  if (!m)
    return nullptr;
  return new wasm_memory_t(std::move(*m));
}

wasm_memorytype_t *wasm_memory_type(const wasm_memory_t *m) {
  return newMemoryType(m->memory().type());
}

byte_t *wasm_memory_data(wasm_memory_t *m) {
  return reinterpret_cast<byte_t *>(m->memory().data());
}
size_t wasm_memory_data_size(const wasm_memory_t *m) { return m->memory().size(); }
wasm_memory_pages_t wasm_memory_size(const wasm_memory_t *m) {
  return wasm_memory_pages_t(m->memory().size() / MEMORY_PAGE_SIZE);
}
bool wasm_memory_grow(wasm_memory_t *m, wasm_memory_pages_t delta) {
  return m->memory().grow(delta).has_value();
}

// Externs

wasm_externkind_t wasm_extern_kind(const wasm_extern_t *e) {
  switch (e->kind) {
  case RefKind::Func:
    return WASM_EXTERN_FUNC;
  case RefKind::Global:
    return WASM_EXTERN_GLOBAL;
  case RefKind::Table:
    return WASM_EXTERN_TABLE;
  default:
    return WASM_EXTERN_MEMORY;
  }
}

wasm_externtype_t *wasm_extern_type(const wasm_extern_t *e) {
  if (auto *f = std::get_if<Func>(&e->value))
    return newFuncType(f->type());
  if (auto *g = std::get_if<Global>(&e->value))
    return newGlobalType(g->type());
  if (auto *t = std::get_if<Table>(&e->value))
    return newTableType(t->type());
  return newMemoryType(std::get<Memory>(e->value).type());
}

#define PW_DEFINE_EXTERN_CASTS(name, KIND)                                                         \
  wasm_extern_t *wasm_##name##_as_extern(wasm_##name##_t *x) { return x; }                         \
  const wasm_extern_t *wasm_##name##_as_extern_const(const wasm_##name##_t *x) { return x; }       \
  wasm_##name##_t *wasm_extern_as_##name(wasm_extern_t *e) {                                       \
    return e && e->kind == KIND ? static_cast<wasm_##name##_t *>(e) : nullptr;                     \
  }                                                                                                \
  const wasm_##name##_t *wasm_extern_as_##name##_const(const wasm_extern_t *e) {                   \
    return e && e->kind == KIND ? static_cast<const wasm_##name##_t *>(e) : nullptr;               \
  }

PW_DEFINE_EXTERN_CASTS(func, RefKind::Func)
PW_DEFINE_EXTERN_CASTS(global, RefKind::Global)
PW_DEFINE_EXTERN_CASTS(table, RefKind::Table)
PW_DEFINE_EXTERN_CASTS(memory, RefKind::Memory)

// Instances

wasm_instance_t *wasm_instance_new(wasm_store_t *store, const wasm_module_t *module,
                                   const wasm_extern_vec_t *imports, wasm_trap_t **trap) {
  if (trap)
    *trap = nullptr;
  std::vector<Extern> resolved;
  for (size_t i = 0; imports && i < imports->size; ++i) {
    if (!imports->data[i]) {
      if (trap)
        *trap = newTrap("wasm_instance_new: import " + std::to_string(i) + " is NULL");
      return nullptr;
    }
    resolved.push_back(imports->data[i]->value);
  }
  auto inst = store->linker.instantiate(module->module, resolved);
  if (!inst) {
    if (trap)
      *trap = newTrap(inst.error());
    return nullptr;
  }
  return new wasm_instance_t(std::move(*inst));
}

void wasm_instance_exports(const wasm_instance_t *instance, wasm_extern_vec_t *out) {
  auto exports = instance->instance.exports();
  wasm_extern_vec_new_uninitialized(out, exports.size());
  for (size_t i = 0; i < exports.size(); ++i)
    out->data[i] = newExtern(exports[i].second);
}

} // extern "C"
