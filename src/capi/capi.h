// The objects behind the standard C API's handles (include/wasm.h) and parawasm's additions
// (parawasm_linker.h, parawasm_wasi.h, parawasm_parallel.h), built on the public C++ API.
//
// A handle owns a copy of a C++ API object (Func, Module, Instance..., themselves shared
// references), so deleting a handle never deletes what another handle or an instance still uses.
// Every runtime object is a wasm_ref_t; wasm_func_t, wasm_global_t, wasm_table_t and
// wasm_memory_t are wasm_extern_t, so the as_extern/as_ref conversions are casts.
#pragma once

#include "parawasm/parallel.h"
#include "parawasm/parawasm.h"
#include "parawasm/wasi.h"

#include <optional>
#include <string>

#include "parawasm_linker.h"
#include "parawasm_parallel.h"
#include "parawasm_wasi.h"
#include "wasm.h"

struct wasm_config_t {
  parawasm::EngineConfig config;
};

struct wasm_engine_t {
  explicit wasm_engine_t(parawasm::EngineConfig config) : engine(std::move(config)) {}
  parawasm::Engine engine;
};

// A store gives its instances one parawasm::Linker's limits and interrupt flag.
struct wasm_store_t {
  explicit wasm_store_t(wasm_engine_t *e) : engine(e), linker(e->engine) {}
  wasm_engine_t *engine;
  parawasm::Linker linker;
};

struct wasm_valtype_t {
  wasm_valkind_t kind;
};

struct wasm_externtype_t {
  explicit wasm_externtype_t(wasm_externkind_t k) : kind(k) {}
  virtual ~wasm_externtype_t() = default;
  virtual wasm_externtype_t *clone() const = 0;
  wasm_externkind_t kind;
};

struct wasm_functype_t : wasm_externtype_t {
  wasm_functype_t() : wasm_externtype_t(WASM_EXTERN_FUNC) {}
  ~wasm_functype_t() override;
  wasm_externtype_t *clone() const override;
  wasm_valtype_vec_t params{0, nullptr};
  wasm_valtype_vec_t results{0, nullptr};
};

struct wasm_globaltype_t : wasm_externtype_t {
  wasm_globaltype_t() : wasm_externtype_t(WASM_EXTERN_GLOBAL) {}
  ~wasm_globaltype_t() override { delete content; }
  wasm_externtype_t *clone() const override;
  wasm_valtype_t *content = nullptr;
  wasm_mutability_t mutability = WASM_CONST;
};

struct wasm_tabletype_t : wasm_externtype_t {
  wasm_tabletype_t() : wasm_externtype_t(WASM_EXTERN_TABLE) {}
  ~wasm_tabletype_t() override { delete element; }
  wasm_externtype_t *clone() const override;
  wasm_valtype_t *element = nullptr;
  wasm_limits_t limits{0, 0};
};

struct wasm_memorytype_t : wasm_externtype_t {
  wasm_memorytype_t() : wasm_externtype_t(WASM_EXTERN_MEMORY) {}
  wasm_externtype_t *clone() const override { return new wasm_memorytype_t(*this); }
  wasm_limits_t limits{0, 0};
};

struct wasm_importtype_t {
  ~wasm_importtype_t();
  wasm_name_t module{0, nullptr};
  wasm_name_t name{0, nullptr};
  wasm_externtype_t *type = nullptr;
};

struct wasm_exporttype_t {
  ~wasm_exporttype_t();
  wasm_name_t name{0, nullptr};
  wasm_externtype_t *type = nullptr;
};

enum class RefKind { Func, Global, Table, Memory, Trap, Foreign, Module, Instance };

struct wasm_ref_t {
  explicit wasm_ref_t(RefKind k) : kind(k) {}
  wasm_ref_t(const wasm_ref_t &other) : kind(other.kind) {} // host info stays with its handle
  virtual ~wasm_ref_t();
  virtual wasm_ref_t *clone() const = 0;
  // Whether both handles name the same object.
  virtual bool same(const wasm_ref_t &other) const = 0;
  RefKind kind;
  void *hostInfo = nullptr;
  void (*hostInfoFinalizer)(void *) = nullptr;
};

struct wasm_extern_t : wasm_ref_t {
  wasm_extern_t(RefKind k, parawasm::Extern v) : wasm_ref_t(k), value(std::move(v)) {}
  wasm_ref_t *clone() const override;
  bool same(const wasm_ref_t &other) const override;
  parawasm::Extern value;
};

struct wasm_func_t : wasm_extern_t {
  explicit wasm_func_t(parawasm::Func f) : wasm_extern_t(RefKind::Func, std::move(f)) {}
  const parawasm::Func &func() const { return std::get<parawasm::Func>(value); }
};
struct wasm_global_t : wasm_extern_t {
  explicit wasm_global_t(parawasm::Global g) : wasm_extern_t(RefKind::Global, std::move(g)) {}
  const parawasm::Global &global() const { return std::get<parawasm::Global>(value); }
};
struct wasm_table_t : wasm_extern_t {
  explicit wasm_table_t(parawasm::Table t) : wasm_extern_t(RefKind::Table, std::move(t)) {}
  const parawasm::Table &table() const { return std::get<parawasm::Table>(value); }
};
struct wasm_memory_t : wasm_extern_t {
  explicit wasm_memory_t(parawasm::Memory m) : wasm_extern_t(RefKind::Memory, std::move(m)) {}
  const parawasm::Memory &memory() const { return std::get<parawasm::Memory>(value); }
};

struct wasm_trap_t : wasm_ref_t {
  wasm_trap_t() : wasm_ref_t(RefKind::Trap) {}
  wasm_ref_t *clone() const override { return new wasm_trap_t(*this); }
  bool same(const wasm_ref_t &other) const override { return this == &other; }
  std::string message;
  std::optional<parawasm::TrapCode> code; // set for traps of Wasm code and the runtime
  std::optional<int> exitStatus;          // set for WASI proc_exit
};

// An externref value: an opaque pointer that Wasm code passes around. wasm_foreign_new makes one
// whose pointer is its own address.
struct wasm_foreign_t : wasm_ref_t {
  wasm_foreign_t() : wasm_ref_t(RefKind::Foreign) {}
  wasm_ref_t *clone() const override { return new wasm_foreign_t(*this); }
  bool same(const wasm_ref_t &other) const override {
    return other.kind == RefKind::Foreign && static_cast<const wasm_foreign_t &>(other).raw == raw;
  }
  void *raw = nullptr;
};

struct wasm_module_t : wasm_ref_t {
  wasm_module_t(wasm_engine_t *e, parawasm::Module m)
      : wasm_ref_t(RefKind::Module), engine(e), module(std::move(m)) {}
  wasm_ref_t *clone() const override { return new wasm_module_t(*this); }
  bool same(const wasm_ref_t &other) const override {
    return other.kind == RefKind::Module &&
           static_cast<const wasm_module_t &>(other).module.object() == module.object();
  }
  wasm_engine_t *engine;
  parawasm::Module module;
};

struct wasm_shared_module_t {
  wasm_engine_t *engine;
  parawasm::Module module;
};

struct wasm_instance_t : wasm_ref_t {
  explicit wasm_instance_t(parawasm::Instance i)
      : wasm_ref_t(RefKind::Instance), instance(std::move(i)) {}
  wasm_ref_t *clone() const override { return new wasm_instance_t(*this); }
  bool same(const wasm_ref_t &other) const override {
    return other.kind == RefKind::Instance &&
           static_cast<const wasm_instance_t &>(other).instance.object() == instance.object();
  }
  parawasm::Instance instance;
};

// parawasm does not record frames yet (wasm_trap_origin is NULL); the type exists for the API.
struct wasm_frame_t {
  wasm_instance_t *instance = nullptr; // borrowed
  uint32_t funcIndex = 0;
  size_t funcOffset = 0;
  size_t moduleOffset = 0;
};

struct parawasm_linker_t {
  explicit parawasm_linker_t(wasm_store_t *s) : store(s), linker(s->engine->engine) {}
  wasm_store_t *store;
  parawasm::Linker linker;
};

struct parawasm_wasi_config_t {
  parawasm::WasiConfig config;
};

struct parawasm_parallel_config_t {
  parawasm::ParallelConfig config;
};

namespace parawasm::capi {

// Conversions between the two APIs' types and values.
ValType toValType(wasm_valkind_t kind);
wasm_valkind_t toValKind(ValType type);
wasm_functype_t *newFuncType(const FuncType &type);
FuncType toFuncType(const wasm_functype_t &type);
wasm_globaltype_t *newGlobalType(const GlobalType &type);
wasm_tabletype_t *newTableType(const TableType &type);
wasm_memorytype_t *newMemoryType(const MemoryType &type);
std::optional<uint32_t> toMax(const wasm_limits_t &limits);

// An owned handle for `value` (NULL for a null reference). Fails for v128, which wasm_val_t
// cannot hold.
bool toCVal(const Val &value, wasm_val_t *out);
// The value a wasm_val_t stands for; nullopt for an unknown kind or a reference of the wrong kind.
std::optional<Val> toVal(const wasm_val_t &value);
// The reference value of kind `type` a handle stands for (NULL: a null reference).
std::optional<Val> refToVal(const wasm_ref_t *ref, ValType type);
wasm_ref_t *valToRef(const Val &value);

wasm_extern_t *newExtern(const Extern &value);
wasm_trap_t *newTrap(std::string message);
wasm_trap_t *newTrap(const Error &error);
void setName(wasm_name_t *out, std::string_view text, bool nulTerminated);

} // namespace parawasm::capi
