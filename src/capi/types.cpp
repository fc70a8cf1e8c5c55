// Vectors, type objects and their conversions to the C++ API's types.
#include "capi/capi.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

using namespace parawasm;

namespace {

template <class T> T *allocate(size_t size) { return size ? new T[size]() : nullptr; }

} // namespace

// Vectors of values (bytes, wasm_val_t) and of owned pointers, which copy and delete their
// elements with the element type's own functions.
#define PW_DEFINE_VEC_COMMON(name, elem)                                                           \
  void wasm_##name##_vec_new_empty(wasm_##name##_vec_t *out) {                                     \
    out->size = 0;                                                                                 \
    out->data = nullptr;                                                                           \
  }                                                                                                \
  void wasm_##name##_vec_new_uninitialized(wasm_##name##_vec_t *out, size_t size) {                \
    out->size = size;                                                                              \
    out->data = allocate<elem>(size);                                                              \
  }                                                                                                \
  void wasm_##name##_vec_new(wasm_##name##_vec_t *out, size_t size, elem const data[]) {           \
    wasm_##name##_vec_new_uninitialized(out, size);                                                \
    for (size_t i = 0; i < size; ++i)                                                              \
      out->data[i] = data[i];                                                                      \
  }

#define PW_DEFINE_PTR_VEC(name)                                                                    \
  PW_DEFINE_VEC_COMMON(name, wasm_##name##_t *)                                                    \
  void wasm_##name##_vec_copy(wasm_##name##_vec_t *out, const wasm_##name##_vec_t *v) {            \
    wasm_##name##_vec_new_uninitialized(out, v->size);                                             \
    for (size_t i = 0; i < v->size; ++i)                                                           \
      out->data[i] = v->data[i] ? wasm_##name##_copy(v->data[i]) : nullptr;                        \
  }                                                                                                \
  void wasm_##name##_vec_delete(wasm_##name##_vec_t *v) {                                          \
    for (size_t i = 0; i < v->size; ++i)                                                           \
      if (v->data[i])                                                                              \
        wasm_##name##_delete(v->data[i]);                                                          \
    delete[] v->data;                                                                              \
    v->size = 0;                                                                                   \
    v->data = nullptr;                                                                             \
  }

extern "C" {

PW_DEFINE_VEC_COMMON(byte, wasm_byte_t)
void wasm_byte_vec_copy(wasm_byte_vec_t *out, const wasm_byte_vec_t *v) {
  wasm_byte_vec_new(out, v->size, v->data);
}
void wasm_byte_vec_delete(wasm_byte_vec_t *v) {
  delete[] v->data;
  v->size = 0;
  v->data = nullptr;
}

PW_DEFINE_VEC_COMMON(val, wasm_val_t)
void wasm_val_vec_copy(wasm_val_vec_t *out, const wasm_val_vec_t *v) {
  wasm_val_vec_new_uninitialized(out, v->size);
  for (size_t i = 0; i < v->size; ++i)
    wasm_val_copy(&out->data[i], &v->data[i]);
}
void wasm_val_vec_delete(wasm_val_vec_t *v) {
  for (size_t i = 0; i < v->size; ++i)
    wasm_val_delete(&v->data[i]);
  delete[] v->data;
  v->size = 0;
  v->data = nullptr;
}

PW_DEFINE_PTR_VEC(valtype)
PW_DEFINE_PTR_VEC(functype)
PW_DEFINE_PTR_VEC(globaltype)
PW_DEFINE_PTR_VEC(tabletype)
PW_DEFINE_PTR_VEC(memorytype)
PW_DEFINE_PTR_VEC(externtype)
PW_DEFINE_PTR_VEC(importtype)
PW_DEFINE_PTR_VEC(exporttype)
PW_DEFINE_PTR_VEC(frame)
PW_DEFINE_PTR_VEC(extern)

// Value types

wasm_valtype_t *wasm_valtype_new(wasm_valkind_t kind) { return new wasm_valtype_t{kind}; }
void wasm_valtype_delete(wasm_valtype_t *t) { delete t; }
wasm_valtype_t *wasm_valtype_copy(const wasm_valtype_t *t) { return new wasm_valtype_t(*t); }
wasm_valkind_t wasm_valtype_kind(const wasm_valtype_t *t) { return t->kind; }

// Function types

wasm_functype_t *wasm_functype_new(wasm_valtype_vec_t *params, wasm_valtype_vec_t *results) {
  auto *t = new wasm_functype_t;
  t->params = *params;
  t->results = *results;
  wasm_valtype_vec_new_empty(params);
  wasm_valtype_vec_new_empty(results);
  return t;
}
void wasm_functype_delete(wasm_functype_t *t) { delete t; }
wasm_functype_t *wasm_functype_copy(const wasm_functype_t *t) {
  return static_cast<wasm_functype_t *>(t->clone());
}
const wasm_valtype_vec_t *wasm_functype_params(const wasm_functype_t *t) { return &t->params; }
const wasm_valtype_vec_t *wasm_functype_results(const wasm_functype_t *t) { return &t->results; }

// Global, table and memory types

wasm_globaltype_t *wasm_globaltype_new(wasm_valtype_t *content, wasm_mutability_t mutability) {
  auto *t = new wasm_globaltype_t;
  t->content = content;
  t->mutability = mutability;
  return t;
}
void wasm_globaltype_delete(wasm_globaltype_t *t) { delete t; }
wasm_globaltype_t *wasm_globaltype_copy(const wasm_globaltype_t *t) {
  return static_cast<wasm_globaltype_t *>(t->clone());
}
const wasm_valtype_t *wasm_globaltype_content(const wasm_globaltype_t *t) { return t->content; }
wasm_mutability_t wasm_globaltype_mutability(const wasm_globaltype_t *t) { return t->mutability; }

wasm_tabletype_t *wasm_tabletype_new(wasm_valtype_t *element, const wasm_limits_t *limits) {
  auto *t = new wasm_tabletype_t;
  t->element = element;
  t->limits = *limits;
  return t;
}
void wasm_tabletype_delete(wasm_tabletype_t *t) { delete t; }
wasm_tabletype_t *wasm_tabletype_copy(const wasm_tabletype_t *t) {
  return static_cast<wasm_tabletype_t *>(t->clone());
}
const wasm_valtype_t *wasm_tabletype_element(const wasm_tabletype_t *t) { return t->element; }
const wasm_limits_t *wasm_tabletype_limits(const wasm_tabletype_t *t) { return &t->limits; }

wasm_memorytype_t *wasm_memorytype_new(const wasm_limits_t *limits) {
  auto *t = new wasm_memorytype_t;
  t->limits = *limits;
  return t;
}
void wasm_memorytype_delete(wasm_memorytype_t *t) { delete t; }
wasm_memorytype_t *wasm_memorytype_copy(const wasm_memorytype_t *t) {
  return new wasm_memorytype_t(*t);
}
const wasm_limits_t *wasm_memorytype_limits(const wasm_memorytype_t *t) { return &t->limits; }

// Extern types

void wasm_externtype_delete(wasm_externtype_t *t) { delete t; }
wasm_externtype_t *wasm_externtype_copy(const wasm_externtype_t *t) { return t->clone(); }
wasm_externkind_t wasm_externtype_kind(const wasm_externtype_t *t) { return t->kind; }

#define PW_DEFINE_EXTERNTYPE_CASTS(name, KIND)                                                     \
  wasm_externtype_t *wasm_##name##_as_externtype(wasm_##name##_t *t) { return t; }                 \
  const wasm_externtype_t *wasm_##name##_as_externtype_const(const wasm_##name##_t *t) {           \
    return t;                                                                                      \
  }                                                                                                \
  wasm_##name##_t *wasm_externtype_as_##name(wasm_externtype_t *t) {                               \
    return t && t->kind == KIND ? static_cast<wasm_##name##_t *>(t) : nullptr;                     \
  }                                                                                                \
  const wasm_##name##_t *wasm_externtype_as_##name##_const(const wasm_externtype_t *t) {           \
    return t && t->kind == KIND ? static_cast<const wasm_##name##_t *>(t) : nullptr;               \
  }

PW_DEFINE_EXTERNTYPE_CASTS(functype, WASM_EXTERN_FUNC)
PW_DEFINE_EXTERNTYPE_CASTS(globaltype, WASM_EXTERN_GLOBAL)
PW_DEFINE_EXTERNTYPE_CASTS(tabletype, WASM_EXTERN_TABLE)
PW_DEFINE_EXTERNTYPE_CASTS(memorytype, WASM_EXTERN_MEMORY)

// Import and export types

wasm_importtype_t *wasm_importtype_new(wasm_name_t *module, wasm_name_t *name,
                                       wasm_externtype_t *type) {
  auto *t = new wasm_importtype_t;
  t->module = *module;
  t->name = *name;
  t->type = type;
  wasm_name_new_empty(module);
  wasm_name_new_empty(name);
  return t;
}
void wasm_importtype_delete(wasm_importtype_t *t) { delete t; }
wasm_importtype_t *wasm_importtype_copy(const wasm_importtype_t *t) {
  auto *c = new wasm_importtype_t;
  wasm_name_copy(&c->module, &t->module);
  wasm_name_copy(&c->name, &t->name);
  c->type = t->type->clone();
  return c;
}
const wasm_name_t *wasm_importtype_module(const wasm_importtype_t *t) { return &t->module; }
const wasm_name_t *wasm_importtype_name(const wasm_importtype_t *t) { return &t->name; }
const wasm_externtype_t *wasm_importtype_type(const wasm_importtype_t *t) { return t->type; }

wasm_exporttype_t *wasm_exporttype_new(wasm_name_t *name, wasm_externtype_t *type) {
  auto *t = new wasm_exporttype_t;
  t->name = *name;
  t->type = type;
  wasm_name_new_empty(name);
  return t;
}
void wasm_exporttype_delete(wasm_exporttype_t *t) { delete t; }
wasm_exporttype_t *wasm_exporttype_copy(const wasm_exporttype_t *t) {
  auto *c = new wasm_exporttype_t;
  wasm_name_copy(&c->name, &t->name);
  c->type = t->type->clone();
  return c;
}
const wasm_name_t *wasm_exporttype_name(const wasm_exporttype_t *t) { return &t->name; }
const wasm_externtype_t *wasm_exporttype_type(const wasm_exporttype_t *t) { return t->type; }

} // extern "C"

wasm_functype_t::~wasm_functype_t() {
  wasm_valtype_vec_delete(&params);
  wasm_valtype_vec_delete(&results);
}

wasm_externtype_t *wasm_functype_t::clone() const {
  auto *t = new wasm_functype_t;
  wasm_valtype_vec_copy(&t->params, &params);
  wasm_valtype_vec_copy(&t->results, &results);
  return t;
}

wasm_externtype_t *wasm_globaltype_t::clone() const {
  auto *t = new wasm_globaltype_t;
  t->content = new wasm_valtype_t(*content);
  t->mutability = mutability;
  return t;
}

wasm_externtype_t *wasm_tabletype_t::clone() const {
  auto *t = new wasm_tabletype_t;
  t->element = new wasm_valtype_t(*element);
  t->limits = limits;
  return t;
}

wasm_importtype_t::~wasm_importtype_t() {
  wasm_name_delete(&module);
  wasm_name_delete(&name);
  delete type;
}

wasm_exporttype_t::~wasm_exporttype_t() {
  wasm_name_delete(&name);
  delete type;
}

namespace parawasm::capi {

ValType toValType(wasm_valkind_t kind) {
  switch (kind) {
  case WASM_I32:
    return ValType::I32;
  case WASM_I64:
    return ValType::I64;
  case WASM_F32:
    return ValType::F32;
  case WASM_F64:
    return ValType::F64;
  case WASM_FUNCREF:
    return ValType::FuncRef;
  case WASM_EXTERNREF:
    return ValType::ExternRef;
  }
  // Not a kind of the standard: the closest there is to "none", which no Wasm type matches.
  return ValType::V128;
}

wasm_valkind_t toValKind(ValType type) {
  switch (type) {
  case ValType::I32:
    return WASM_I32;
  case ValType::I64:
    return WASM_I64;
  case ValType::F32:
    return WASM_F32;
  case ValType::F64:
    return WASM_F64;
  case ValType::FuncRef:
    return WASM_FUNCREF;
  case ValType::ExternRef:
    return WASM_EXTERNREF;
  case ValType::V128:
    break;
  }
  // The standard has no v128 kind; 4 is where later revisions of wasm.h put WASM_V128.
  return 4;
}

namespace {

void setValTypes(wasm_valtype_vec_t *out, const std::vector<ValType> &types) {
  wasm_valtype_vec_new_uninitialized(out, types.size());
  for (size_t i = 0; i < types.size(); ++i)
    out->data[i] = wasm_valtype_new(toValKind(types[i]));
}

wasm_limits_t limitsOf(uint32_t min, std::optional<uint32_t> max) {
  return {min, max.value_or(wasm_limits_max_default)};
}

} // namespace

wasm_functype_t *newFuncType(const FuncType &type) {
  auto *t = new wasm_functype_t;
  setValTypes(&t->params, type.params);
  setValTypes(&t->results, type.results);
  return t;
}

FuncType toFuncType(const wasm_functype_t &type) {
  FuncType t;
  for (size_t i = 0; i < type.params.size; ++i)
    t.params.push_back(toValType(type.params.data[i]->kind));
  for (size_t i = 0; i < type.results.size; ++i)
    t.results.push_back(toValType(type.results.data[i]->kind));
  return t;
}

wasm_globaltype_t *newGlobalType(const GlobalType &type) {
  return wasm_globaltype_new(wasm_valtype_new(toValKind(type.type)),
                             type.mutable_ ? WASM_VAR : WASM_CONST);
}

wasm_tabletype_t *newTableType(const TableType &type) {
  wasm_limits_t limits = limitsOf(type.min, type.max);
  return wasm_tabletype_new(wasm_valtype_new(toValKind(type.element)), &limits);
}

wasm_memorytype_t *newMemoryType(const MemoryType &type) {
  // wasm.h's limits are 32-bit: a 64-bit memory's larger counts saturate.
  auto clamp = [](uint64_t pages) { return uint32_t(std::min<uint64_t>(pages, UINT32_MAX)); };
  std::optional<uint32_t> max;
  if (type.maxPages)
    max = clamp(*type.maxPages);
  wasm_limits_t limits = limitsOf(clamp(type.minPages), max);
  return wasm_memorytype_new(&limits);
}

std::optional<uint32_t> toMax(const wasm_limits_t &limits) {
  if (limits.max == wasm_limits_max_default)
    return std::nullopt;
  return limits.max;
}

void setName(wasm_name_t *out, std::string_view text, bool nulTerminated) {
  wasm_byte_vec_new_uninitialized(out, text.size() + (nulTerminated ? 1 : 0));
  if (!text.empty())
    std::memcpy(out->data, text.data(), text.size());
  if (nulTerminated)
    out->data[text.size()] = '\0';
}

} // namespace parawasm::capi
