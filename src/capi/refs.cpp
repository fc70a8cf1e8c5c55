// References and values: the wasm_ref_t family's common functions, wasm_val_t, traps, foreign
// objects and frames.
#include "capi/capi.h"

using namespace parawasm;
using namespace parawasm::capi;

wasm_ref_t::~wasm_ref_t() {
  if (hostInfoFinalizer)
    hostInfoFinalizer(hostInfo);
}

wasm_ref_t *wasm_extern_t::clone() const {
  switch (kind) {
  case RefKind::Func:
    return new wasm_func_t(std::get<Func>(value));
  case RefKind::Global:
    return new wasm_global_t(std::get<Global>(value));
  case RefKind::Table:
    return new wasm_table_t(std::get<Table>(value));
  default:
    return new wasm_memory_t(std::get<Memory>(value));
  }
}

bool wasm_extern_t::same(const wasm_ref_t &other) const {
  if (other.kind != kind)
    return false;
  auto object = [](const Extern &e) {
    return std::visit([](const auto &x) { return static_cast<const void *>(x.object().get()); }, e);
  };
  return object(value) == object(static_cast<const wasm_extern_t &>(other).value);
}

namespace parawasm::capi {

wasm_extern_t *newExtern(const Extern &value) {
  if (auto *f = std::get_if<Func>(&value))
    return new wasm_func_t(*f);
  if (auto *g = std::get_if<Global>(&value))
    return new wasm_global_t(*g);
  if (auto *t = std::get_if<Table>(&value))
    return new wasm_table_t(*t);
  return new wasm_memory_t(std::get<Memory>(value));
}

wasm_trap_t *newTrap(std::string message) {
  auto *t = new wasm_trap_t;
  t->message = std::move(message);
  return t;
}

wasm_trap_t *newTrap(const Error &error) {
  auto *t = newTrap(error.message());
  t->exitStatus = error.exitStatus();
  if (!t->exitStatus && error.trapCode() && *error.trapCode() != TrapCode::HostTrap)
    t->code = error.trapCode();
  return t;
}

wasm_ref_t *valToRef(const Val &value) {
  if (!value.of.ref)
    return nullptr;
  if (value.type == ValType::FuncRef) {
    if (auto f = Func::fromRef(value))
      return new wasm_func_t(std::move(*f));
    return nullptr;
  }
  auto *foreign = new wasm_foreign_t;
  foreign->raw = value.of.ref;
  return foreign;
}

std::optional<Val> refToVal(const wasm_ref_t *ref, ValType type) {
  if (!ref)
    return Val::makeRef(type, nullptr);
  if (type == ValType::FuncRef && ref->kind == RefKind::Func)
    return static_cast<const wasm_func_t *>(ref)->func().toRef();
  if (type == ValType::ExternRef && ref->kind == RefKind::Foreign)
    return Val::makeRef(type, static_cast<const wasm_foreign_t *>(ref)->raw);
  return std::nullopt;
}

bool toCVal(const Val &value, wasm_val_t *out) {
  out->kind = toValKind(value.type);
  switch (value.type) {
  case ValType::I32:
    out->of.i32 = value.of.i32;
    return true;
  case ValType::I64:
    out->of.i64 = value.of.i64;
    return true;
  case ValType::F32:
    out->of.f32 = value.of.f32;
    return true;
  case ValType::F64:
    out->of.f64 = value.of.f64;
    return true;
  case ValType::FuncRef:
  case ValType::ExternRef:
    out->of.ref = valToRef(value);
    return true;
  case ValType::V128:
    break;
  }
  out->of.ref = nullptr;
  return false;
}

std::optional<Val> toVal(const wasm_val_t &value) {
  switch (value.kind) {
  case WASM_I32:
    return Val::makeI32(value.of.i32);
  case WASM_I64:
    return Val::makeI64(value.of.i64);
  case WASM_F32:
    return Val::makeF32(value.of.f32);
  case WASM_F64:
    return Val::makeF64(value.of.f64);
  case WASM_FUNCREF:
  case WASM_EXTERNREF:
    return refToVal(value.of.ref, toValType(value.kind));
  }
  return std::nullopt;
}

} // namespace parawasm::capi

extern "C" {

void wasm_val_delete(wasm_val_t *v) {
  if (wasm_valkind_is_ref(v->kind) && v->of.ref) {
    wasm_ref_delete(v->of.ref);
    v->of.ref = nullptr;
  }
}

void wasm_val_copy(wasm_val_t *out, const wasm_val_t *v) {
  *out = *v;
  if (wasm_valkind_is_ref(v->kind) && v->of.ref)
    out->of.ref = wasm_ref_copy(v->of.ref);
}

#define PW_DEFINE_REF_BASE(name)                                                                   \
  void wasm_##name##_delete(wasm_##name##_t *r) { delete r; }                                      \
  wasm_##name##_t *wasm_##name##_copy(const wasm_##name##_t *r) {                                  \
    return static_cast<wasm_##name##_t *>(r->clone());                                             \
  }                                                                                                \
  bool wasm_##name##_same(const wasm_##name##_t *a, const wasm_##name##_t *b) {                    \
    return a->same(*b);                                                                            \
  }                                                                                                \
  void *wasm_##name##_get_host_info(const wasm_##name##_t *r) { return r->hostInfo; }              \
  void wasm_##name##_set_host_info(wasm_##name##_t *r, void *info) {                               \
    wasm_##name##_set_host_info_with_finalizer(r, info, nullptr);                                  \
  }                                                                                                \
  void wasm_##name##_set_host_info_with_finalizer(wasm_##name##_t *r, void *info,                  \
                                                  void (*finalizer)(void *)) {                     \
    if (r->hostInfoFinalizer)                                                                      \
      r->hostInfoFinalizer(r->hostInfo);                                                           \
    r->hostInfo = info;                                                                            \
    r->hostInfoFinalizer = finalizer;                                                              \
  }

// `test` decides whether a wasm_ref_t is a wasm_NAME_t.
#define PW_DEFINE_REF(name, test)                                                                  \
  PW_DEFINE_REF_BASE(name)                                                                         \
  wasm_ref_t *wasm_##name##_as_ref(wasm_##name##_t *r) { return r; }                               \
  const wasm_ref_t *wasm_##name##_as_ref_const(const wasm_##name##_t *r) { return r; }             \
  wasm_##name##_t *wasm_ref_as_##name(wasm_ref_t *r) {                                             \
    return r && (test) ? static_cast<wasm_##name##_t *>(r) : nullptr;                              \
  }                                                                                                \
  const wasm_##name##_t *wasm_ref_as_##name##_const(const wasm_ref_t *r) {                         \
    return r && (test) ? static_cast<const wasm_##name##_t *>(r) : nullptr;                        \
  }

PW_DEFINE_REF_BASE(ref)
PW_DEFINE_REF(trap, r->kind == RefKind::Trap)
PW_DEFINE_REF(foreign, r->kind == RefKind::Foreign)
PW_DEFINE_REF(module, r->kind == RefKind::Module)
PW_DEFINE_REF(instance, r->kind == RefKind::Instance)
PW_DEFINE_REF(func, r->kind == RefKind::Func)
PW_DEFINE_REF(global, r->kind == RefKind::Global)
PW_DEFINE_REF(table, r->kind == RefKind::Table)
PW_DEFINE_REF(memory, r->kind == RefKind::Memory)
PW_DEFINE_REF(extern, r->kind == RefKind::Func || r->kind == RefKind::Global ||
                          r->kind == RefKind::Table || r->kind == RefKind::Memory)

// Traps

wasm_trap_t *wasm_trap_new(wasm_store_t *, const wasm_message_t *message) {
  std::string text(message->data, message->size);
  while (!text.empty() && text.back() == '\0')
    text.pop_back();
  return newTrap(std::move(text));
}

void wasm_trap_message(const wasm_trap_t *trap, wasm_message_t *out) {
  setName(out, trap->message, true);
}

wasm_frame_t *wasm_trap_origin(const wasm_trap_t *) { return nullptr; }

void wasm_trap_trace(const wasm_trap_t *, wasm_frame_vec_t *out) { wasm_frame_vec_new_empty(out); }

// Foreign objects

wasm_foreign_t *wasm_foreign_new(wasm_store_t *) {
  auto *f = new wasm_foreign_t;
  f->raw = f;
  return f;
}

// Frames

void wasm_frame_delete(wasm_frame_t *f) { delete f; }
wasm_frame_t *wasm_frame_copy(const wasm_frame_t *f) { return new wasm_frame_t(*f); }
wasm_instance_t *wasm_frame_instance(const wasm_frame_t *f) { return f->instance; }
uint32_t wasm_frame_func_index(const wasm_frame_t *f) { return f->funcIndex; }
size_t wasm_frame_func_offset(const wasm_frame_t *f) { return f->funcOffset; }
size_t wasm_frame_module_offset(const wasm_frame_t *f) { return f->moduleOffset; }

} // extern "C"
