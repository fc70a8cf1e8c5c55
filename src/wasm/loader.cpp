#include "wasm/binary_cursor.h"
#include "wasm/binary_guard.h"
#include "wasm/expr_walk.h"
#include "wasm/loaded_module.h"
#include "wasm/text_guard.h"
#include "wasm/wabt_util.h"

#include "support/big_stack.h"
#include "support/sha256.h"
#include "support/try.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <system_error>
#include <thread>

#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/binary-writer.h>
#include <wabt/error-formatter.h>
#include <wabt/ir.h>
#include <wabt/leb128.h>
#include <wabt/stream.h>
#include <wabt/validator.h>
#include <wabt/wast-lexer.h>
#include <wabt/wast-parser.h>

namespace parawasm::wasm {

wabt::Features engineFeatures() {
  wabt::Features f;
  f.enable_mutable_globals();
  f.enable_sat_float_to_int();
  f.enable_sign_extension();
  f.enable_simd();
  f.enable_threads();
  f.enable_multi_value();
  f.enable_bulk_memory();
  f.enable_reference_types();
  f.enable_tail_call();
  f.enable_extended_const();
  f.enable_relaxed_simd();
  f.enable_multi_memory();
  f.enable_memory64();
  // The legacy exception-handling proposal (try/catch/delegate/rethrow): wabt 1.0.32 knows no
  // other. (function_references stays off: with it, wabt 1.0.32 rejects
  // `(global funcref (ref.func $f))`.)
  f.enable_exceptions();
  return f;
}

std::string formatErrors(const wabt::Errors &errors, bool binary) {
  std::string out;
  for (const wabt::Error &e : errors) {
    if (!out.empty())
      out += "\n";
    if (binary && e.loc.offset != wabt::kInvalidOffset) {
      char buf[32];
      snprintf(buf, sizeof buf, "%08zx: ", e.loc.offset);
      out += buf;
    } else if (!binary && e.loc.line) {
      out += std::string(e.loc.filename) + ":" + std::to_string(e.loc.line) + ":" +
             std::to_string(e.loc.first_column) + ": ";
    }
    out += e.message;
  }
  return out.empty() ? "unknown error" : out;
}

ValType toValType(wabt::Type t) {
  switch (t) {
  case wabt::Type::I32:
    return ValType::I32;
  case wabt::Type::I64:
    return ValType::I64;
  case wabt::Type::F32:
    return ValType::F32;
  case wabt::Type::F64:
    return ValType::F64;
  case wabt::Type::V128:
    return ValType::V128;
  case wabt::Type::FuncRef:
    return ValType::FuncRef;
  case wabt::Type::ExternRef:
    return ValType::ExternRef;
  case wabt::Type::Reference: // (ref $t): a typed function reference, held like a funcref
    return ValType::FuncRef;
  default:
    return ValType::I32;
  }
}

namespace {

FuncType toFuncType(const wabt::FuncSignature &sig) {
  FuncType t;
  for (wabt::Type p : sig.param_types)
    t.params.push_back(toValType(p));
  for (wabt::Type r : sig.result_types)
    t.results.push_back(toValType(r));
  return t;
}

vm::ConstExpr toConstExpr(const wabt::Module &m, const wabt::ExprList &list);

// More than one instruction: an extended constant expression (validated: i32/i64 constants,
// global.get and integer add/sub/mul).
vm::ConstExpr toExtendedConstExpr(const wabt::Module &m, const wabt::ExprList &list) {
  vm::ConstExpr c;
  c.kind = vm::ConstExpr::Kind::Extended;
  for (const wabt::Expr &e : list) {
    vm::ConstOp op;
    if (e.type() == wabt::ExprType::Binary) {
      switch (wabt::cast<wabt::BinaryExpr>(&e)->opcode) {
      case wabt::Opcode::I32Add:
      case wabt::Opcode::I64Add:
        op.code = vm::ConstOp::Code::Add;
        break;
      case wabt::Opcode::I32Sub:
      case wabt::Opcode::I64Sub:
        op.code = vm::ConstOp::Code::Sub;
        break;
      default:
        op.code = vm::ConstOp::Code::Mul;
        break;
      }
      op.value.type = toValType(wabt::cast<wabt::BinaryExpr>(&e)->opcode.GetResultType());
    } else {
      if (e.type() == wabt::ExprType::GlobalGet) {
        op.code = vm::ConstOp::Code::GlobalGet;
        op.index = m.GetGlobalIndex(wabt::cast<wabt::GlobalGetExpr>(&e)->var);
        op.value.type = toValType(m.globals[op.index]->type);
      } else if (e.type() == wabt::ExprType::Const) {
        op.code = vm::ConstOp::Code::Const;
        const wabt::Const &k = wabt::cast<wabt::ConstExpr>(&e)->const_;
        op.value = k.type() == wabt::Type::I64 ? Val::makeI64(int64_t(k.u64()))
                                               : Val::makeI32(int32_t(k.u32()));
      }
    }
    c.value.type = op.value.type;
    c.ops.push_back(op);
  }
  return c;
}

vm::ConstExpr toConstExpr(const wabt::Module &m, const wabt::ExprList &list) {
  vm::ConstExpr c;
  if (list.empty())
    return c;
  if (list.size() > 1)
    return toExtendedConstExpr(m, list);
  const wabt::Expr &e = list.front();
  switch (e.type()) {
  case wabt::ExprType::Const: {
    const wabt::Const &k = wabt::cast<wabt::ConstExpr>(&e)->const_;
    switch (k.type()) {
    case wabt::Type::I32:
      c.value = Val::makeI32(int32_t(k.u32()));
      break;
    case wabt::Type::I64:
      c.value = Val::makeI64(int64_t(k.u64()));
      break;
    case wabt::Type::F32: {
      uint32_t bits = k.f32_bits();
      c.value.type = ValType::F32;
      std::memcpy(&c.value.of.f32, &bits, 4);
      break;
    }
    case wabt::Type::F64: {
      uint64_t bits = k.f64_bits();
      c.value.type = ValType::F64;
      std::memcpy(&c.value.of.f64, &bits, 8);
      break;
    }
    case wabt::Type::V128: {
      v128 v = k.vec128();
      c.value.type = ValType::V128;
      std::memcpy(c.value.of.v128.bytes, &v, 16);
      break;
    }
    default:
      break;
    }
    break;
  }
  case wabt::ExprType::RefNull:
    c.kind = vm::ConstExpr::Kind::RefNull;
    c.value = Val::makeRef(toValType(wabt::cast<wabt::RefNullExpr>(&e)->type), nullptr);
    break;
  case wabt::ExprType::RefFunc:
    c.kind = vm::ConstExpr::Kind::RefFunc;
    c.index = m.GetFuncIndex(wabt::cast<wabt::RefFuncExpr>(&e)->var);
    c.value.type = ValType::FuncRef;
    break;
  case wabt::ExprType::GlobalGet:
    c.kind = vm::ConstExpr::Kind::GlobalGet;
    c.index = m.GetGlobalIndex(wabt::cast<wabt::GlobalGetExpr>(&e)->var);
    c.value.type = toValType(m.globals[c.index]->type);
    break;
  default:
    break;
  }
  return c;
}

TableType toTableType(const wabt::Table &t) {
  TableType r;
  r.element = toValType(t.elem_type);
  r.min = uint32_t(t.elem_limits.initial);
  if (t.elem_limits.has_max)
    r.max = uint32_t(t.elem_limits.max);
  return r;
}

MemoryType toMemoryType(const wabt::Memory &m) {
  MemoryType r;
  r.minPages = m.page_limits.initial;
  if (m.page_limits.has_max)
    r.maxPages = m.page_limits.max;
  r.shared = m.page_limits.is_shared;
  r.index64 = m.page_limits.is_64;
  return r;
}

ExternKind toExternKind(wabt::ExternalKind k) {
  switch (k) {
  case wabt::ExternalKind::Func:
    return ExternKind::Func;
  case wabt::ExternalKind::Table:
    return ExternKind::Table;
  case wabt::ExternalKind::Memory:
    return ExternKind::Memory;
  case wabt::ExternalKind::Tag:
    return ExternKind::Tag;
  default:
    return ExternKind::Global;
  }
}

// Modules whose functions are the host's (WASI, wasi-parallel, the spec tests' `spectest`): a
// host function never returns with an exception pending (Wasm code it calls runs under its own
// host entry, where an exception becomes a trap).
bool isHostModule(const std::string &name) {
  return name == "wasi_snapshot_preview1" || name == "wasi_unstable" ||
         name == "wasi_ephemeral_parallel" || name == "wasi" || name == "spectest" ||
         name.rfind("parawasm:", 0) == 0;
}

// A value of this type may be a function of another module (externref never holds one).
bool mayHoldFunction(wabt::Type t) { return t.IsRef() && t != wabt::Type::ExternRef; }

// Whether an exception thrown elsewhere may pass through the module's code: it may call Wasm
// functions of other modules. They come in as imports not from host modules, through tables
// shared with others, or as function references: an exported function's parameter, an imported
// global, an exported mutable global (which another module may set).
bool exceptionsMayPass(const wabt::Module &m) {
  for (const wabt::Import *imp : m.imports) {
    if ((imp->kind() == wabt::ExternalKind::Func && !isHostModule(imp->module_name)) ||
        imp->kind() == wabt::ExternalKind::Table)
      return true;
    if (auto *g = wabt::dyn_cast<wabt::GlobalImport>(imp); g && mayHoldFunction(g->global.type))
      return true;
  }
  for (const wabt::Export *e : m.exports) {
    if (e->kind == wabt::ExternalKind::Table)
      return true;
    if (e->kind == wabt::ExternalKind::Global) {
      const wabt::Global *g = m.GetGlobal(e->var);
      if (g && g->mutable_ && mayHoldFunction(g->type))
        return true;
    }
    if (e->kind == wabt::ExternalKind::Func) {
      const wabt::Func *f = m.GetFunc(e->var);
      if (f && std::ranges::any_of(f->decl.sig.param_types, mayHoldFunction))
        return true;
    }
  }
  return false;
}

// ModuleInfo::mayThrow: functions that throw, rethrow or call out of the module (an import of a
// module other than the host's, a table, a reference) directly, then their callers until
// nothing changes.
std::vector<bool> whichMayThrow(const wabt::Module &m) {
  size_t n = m.funcs.size();
  std::vector<bool> may(n, false);
  std::vector<std::vector<uint32_t>> callers(n);
  std::vector<const wabt::Import *> funcImports;
  for (const wabt::Import *imp : m.imports)
    if (imp->kind() == wabt::ExternalKind::Func)
      funcImports.push_back(imp);
  for (size_t i = 0; i < n; ++i) {
    if (i < m.num_func_imports) {
      may[i] = i >= funcImports.size() || !isHostModule(funcImports[i]->module_name);
      continue;
    }
    forEachExpr(m.funcs[i]->exprs, [&](const wabt::Expr &e) {
      if (const wabt::Var *callee = directCallee(e)) {
        wabt::Index target = m.GetFuncIndex(*callee);
        if (target < n)
          callers[target].push_back(uint32_t(i));
      } else if (wabt::isa<wabt::ThrowExpr>(&e) || wabt::isa<wabt::RethrowExpr>(&e) ||
                 wabt::isa<wabt::CallIndirectExpr>(&e) || wabt::isa<wabt::CallRefExpr>(&e) ||
                 wabt::isa<wabt::ReturnCallIndirectExpr>(&e)) {
        may[i] = true;
      }
      return true;
    });
  }
  std::vector<uint32_t> work;
  for (size_t i = 0; i < n; ++i)
    if (may[i])
      work.push_back(uint32_t(i));
  while (!work.empty()) {
    uint32_t f = work.back();
    work.pop_back();
    for (uint32_t caller : callers[f])
      if (!may[caller]) {
        may[caller] = true;
        work.push_back(caller);
      }
  }
  return may;
}

vm::ModuleInfo describe(const wabt::Module &m) {
  vm::ModuleInfo info;
  for (const wabt::TypeEntry *t : m.types) {
    if (auto *ft = wabt::dyn_cast<wabt::FuncType>(t))
      info.types.push_back(toFuncType(ft->sig));
    else
      info.types.push_back({});
  }
  info.numImportedFuncs = m.num_func_imports;
  for (const wabt::Func *f : m.funcs) {
    info.funcTypes.push_back(m.GetFuncTypeIndex(f->decl));
    std::string name = f->name;
    if (!name.empty() && name[0] == '$')
      name.erase(0, 1);
    info.funcNames.push_back(name);
  }
  info.numImportedTables = m.num_table_imports;
  for (const wabt::Table *t : m.tables)
    info.tables.push_back(toTableType(*t));
  info.numImportedMemories = m.num_memory_imports;
  for (const wabt::Memory *mem : m.memories)
    info.memories.push_back(toMemoryType(*mem));
  info.numImportedGlobals = m.num_global_imports;
  for (size_t i = 0; i < m.globals.size(); ++i) {
    const wabt::Global *g = m.globals[i];
    vm::GlobalInfo gi;
    gi.type = {toValType(g->type), g->mutable_};
    if (i >= m.num_global_imports)
      gi.init = toConstExpr(m, g->init_expr);
    info.globals.push_back(gi);
  }
  info.numImportedTags = m.num_tag_imports;
  for (const wabt::Tag *tag : m.tags)
    info.tags.push_back(m.GetFuncTypeIndex(tag->decl));
  // A `try` in a module without tags catches only what passes through it, so it needs no scan
  // of the code: exceptionsMayPass covers it.
  info.usesExceptions = !m.tags.empty();
  info.checksExceptions = info.usesExceptions || exceptionsMayPass(m);
  if (info.checksExceptions)
    info.mayThrow = whichMayThrow(m);
  for (const wabt::Import *imp : m.imports) {
    vm::ImportInfo ii;
    ii.module = imp->module_name;
    ii.name = imp->field_name;
    ii.kind = toExternKind(imp->kind());
    switch (imp->kind()) {
    case wabt::ExternalKind::Func:
      ii.typeIndex = m.GetFuncTypeIndex(wabt::cast<wabt::FuncImport>(imp)->func.decl);
      break;
    case wabt::ExternalKind::Table:
      ii.table = toTableType(wabt::cast<wabt::TableImport>(imp)->table);
      break;
    case wabt::ExternalKind::Memory:
      ii.memory = toMemoryType(wabt::cast<wabt::MemoryImport>(imp)->memory);
      break;
    case wabt::ExternalKind::Global: {
      const wabt::Global &g = wabt::cast<wabt::GlobalImport>(imp)->global;
      ii.global = {toValType(g.type), g.mutable_};
      break;
    }
    case wabt::ExternalKind::Tag:
      ii.typeIndex = m.GetFuncTypeIndex(wabt::cast<wabt::TagImport>(imp)->tag.decl);
      break;
    default:
      break;
    }
    info.imports.push_back(std::move(ii));
  }
  for (const wabt::Export *e : m.exports) {
    vm::ExportInfo ei;
    ei.name = e->name;
    ei.kind = toExternKind(e->kind);
    switch (e->kind) {
    case wabt::ExternalKind::Func:
      ei.index = m.GetFuncIndex(e->var);
      break;
    case wabt::ExternalKind::Table:
      ei.index = m.GetTableIndex(e->var);
      break;
    case wabt::ExternalKind::Memory:
      ei.index = m.GetMemoryIndex(e->var);
      break;
    case wabt::ExternalKind::Tag:
      ei.index = m.GetTagIndex(e->var);
      break;
    default:
      ei.index = m.GetGlobalIndex(e->var);
      break;
    }
    if (ei.kind == ExternKind::Func && info.funcNames[ei.index].empty())
      info.funcNames[ei.index] = e->name;
    info.exports.push_back(std::move(ei));
  }
  for (const wabt::DataSegment *d : m.data_segments) {
    vm::DataSegmentInfo di;
    di.active = d->kind == wabt::SegmentKind::Active;
    if (di.active) {
      di.memory = m.GetMemoryIndex(d->memory_var);
      di.offset = toConstExpr(m, d->offset);
    }
    di.bytes = d->data;
    info.data.push_back(std::move(di));
  }
  for (const wabt::ElemSegment *e : m.elem_segments) {
    vm::ElemSegmentInfo ei;
    ei.mode = e->kind == wabt::SegmentKind::Active    ? vm::ElemSegmentInfo::Mode::Active
              : e->kind == wabt::SegmentKind::Passive ? vm::ElemSegmentInfo::Mode::Passive
                                                      : vm::ElemSegmentInfo::Mode::Declarative;
    ei.type = toValType(e->elem_type);
    if (ei.mode == vm::ElemSegmentInfo::Mode::Active) {
      ei.table = m.GetTableIndex(e->table_var);
      ei.offset = toConstExpr(m, e->offset);
    }
    for (const wabt::ExprList &item : e->elem_exprs)
      ei.items.push_back(toConstExpr(m, item));
    info.elems.push_back(std::move(ei));
  }
  if (!m.starts.empty())
    info.start = m.GetFuncIndex(*m.starts[0]);
  return info;
}

} // namespace

bool isBinaryModule(std::span<const uint8_t> bytes) {
  static const uint8_t magic[4] = {0, 'a', 's', 'm'};
  return bytes.size() >= 4 && std::equal(magic, magic + 4, bytes.begin());
}

std::optional<Error> refuseComponent(std::span<const uint8_t> bytes, std::string_view what) {
  if (bytes.size() < 8 || !isBinaryModule(bytes) || bytes[6] != 1 || bytes[7] != 0)
    return std::nullopt;
  uint32_t version = uint32_t(bytes[4]) | uint32_t(bytes[5]) << 8 | uint32_t(bytes[6]) << 16;
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%x", version);
  return Error(ErrorKind::Unsupported, "components are not supported: " + std::string(what) +
                                           " is a WebAssembly component (version " + hex +
                                           "); parawasm runs core modules");
}

namespace {

// wabt 1.0.32 lets a call through a table that holds no funcref validate. The translator refuses
// it too, but a lazy or tiered start compiles a body only when it first runs: an invalid module
// must be refused before anything runs. Only modules with such a table are walked.
std::optional<Error> refuseCallsThroughNonFuncTables(const wabt::Module &module,
                                                     const vm::ModuleInfo &info) {
  if (std::all_of(info.tables.begin(), info.tables.end(),
                  [](const auto &t) { return t.element == ValType::FuncRef; }))
    return std::nullopt;
  auto throughFuncs = [&](const wabt::Var &table) {
    return info.tables[module.GetTableIndex(table)].element == ValType::FuncRef;
  };
  auto callsThroughFuncs = [&](const wabt::Expr &e) {
    if (auto *call = wabt::dyn_cast<wabt::CallIndirectExpr>(&e))
      return throughFuncs(call->table);
    if (auto *call = wabt::dyn_cast<wabt::ReturnCallIndirectExpr>(&e))
      return throughFuncs(call->table);
    return true;
  };
  for (const wabt::Func *func : module.funcs)
    if (!forEachExpr(func->exprs, callsThroughFuncs))
      return Error(ErrorKind::Invalid,
                   "type mismatch: call_indirect through a table that holds no funcref");
  return std::nullopt;
}

// Where the function bodies lie in a binary's code section.
struct CodeSection {
  size_t start = 0, end = 0; // the section, from its id byte
  struct Body {
    size_t prefix, start, end; // its size prefix, then the body
  };
  std::vector<Body> bodies;
};

// The code section of a binary, or nothing when there is none or it is not well formed (wabt
// then says why).
std::optional<CodeSection> findCodeSection(std::span<const uint8_t> bytes) {
  constexpr uint8_t kCodeSection = 10;
  std::optional<CodeSection> code;
  forEachSection(bytes, [&](uint8_t id, ByteCursor in, size_t at) {
    if (id != kCodeSection)
      return true;
    uint32_t count = 0;
    if (!in.u32(count))
      return false;
    CodeSection found{at, size_t(in.end - bytes.data()), {}};
    for (uint32_t i = 0; i < count; ++i) {
      size_t prefix = size_t(in.p - bytes.data());
      uint32_t body = 0;
      if (!in.u32(body) || body > size_t(in.end - in.p))
        return false;
      size_t start = size_t(in.p - bytes.data());
      found.bodies.push_back({prefix, start, start + body});
      in.p += body;
    }
    code = std::move(found);
    return false;
  });
  return code;
}

void appendU32Leb(std::vector<uint8_t> &out, uint32_t value) {
  do {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    out.push_back(value ? byte | 0x80 : byte);
  } while (value);
}

// Where the local declarations at the start of a body end (nothing when they do not parse).
std::optional<size_t> localsEnd(std::span<const uint8_t> bytes, const CodeSection::Body &body) {
  ByteCursor in{bytes.data() + body.start, bytes.data() + body.end};
  uint32_t groups = 0;
  if (!in.u32(groups))
    return std::nullopt;
  for (uint32_t i = 0; i < groups; ++i) {
    uint32_t count = 0;
    if (!in.u32(count) || !in.valueType())
      return std::nullopt;
  }
  return size_t(in.p - bytes.data());
}

// `bytes` with every function body outside [first, last) cut to its local declarations (which
// the name section's local names count) and `unreachable`, valid for any function type.
std::vector<uint8_t> withBodiesOnly(std::span<const uint8_t> bytes, const CodeSection &code,
                                    size_t first, size_t last) {
  std::vector<uint8_t> payload;
  appendU32Leb(payload, uint32_t(code.bodies.size()));
  for (size_t i = 0; i < code.bodies.size(); ++i) {
    const CodeSection::Body &b = code.bodies[i];
    std::optional<size_t> locals = i >= first && i < last ? std::nullopt : localsEnd(bytes, b);
    if (!locals) { // this part's body, or one whose locals do not parse: wabt says why
      payload.insert(payload.end(), bytes.begin() + b.prefix, bytes.begin() + b.end);
      continue;
    }
    constexpr uint8_t kUnreachableEnd[] = {0x00, 0x0b};
    appendU32Leb(payload, uint32_t(*locals - b.start + sizeof kUnreachableEnd));
    payload.insert(payload.end(), bytes.begin() + b.start, bytes.begin() + *locals);
    payload.insert(payload.end(), std::begin(kUnreachableEnd), std::end(kUnreachableEnd));
  }
  std::vector<uint8_t> out(bytes.begin(), bytes.begin() + code.start);
  out.push_back(bytes[code.start]);
  appendU32Leb(out, uint32_t(payload.size()));
  out.insert(out.end(), payload.begin(), payload.end());
  out.insert(out.end(), bytes.begin() + code.end, bytes.end());
  return out;
}

// wabt frees nested blocks recursively: a big module may nest deeper than a normal stack holds.
std::shared_ptr<wabt::Module> newWabtModule(size_t binaryBytes) {
  constexpr size_t kDeepModuleBytes = 64 * 1024;
  if (binaryBytes <= kDeepModuleBytes)
    return std::make_shared<wabt::Module>();
  return std::shared_ptr<wabt::Module>(new wabt::Module, [](wabt::Module *m) {
    support::runWithStack(support::kCompileStackBytes, [m] { delete m; });
  });
}

wabt::ReadBinaryOptions readOptions() {
  return wabt::ReadBinaryOptions(engineFeatures(), nullptr, /*read_debug_names=*/true,
                                 /*stop_on_first_error=*/true,
                                 /*fail_on_custom_section_error=*/true);
}

// wabt's decoder and validator, the slow part of loading a big module, on several threads: each
// reads and validates a copy of the binary in which only its share of the function bodies is
// left (the rest `unreachable`); the bodies then move into the first copy's IR. The module-level
// sections are checked in every copy, each body in one. Nothing when the module is too small to
// gain, or when a copy fails: the caller then reads it whole, for wabt's exact message.
std::shared_ptr<wabt::Module> readAndValidateInParts(std::span<const uint8_t> bytes,
                                                     const std::optional<CodeSection> &code,
                                                     unsigned threads, size_t &partsUsed) {
  constexpr size_t kBytesPerPart = 256 * 1024;
  constexpr size_t kMostParts = 4;
  if (!code || code->bodies.empty())
    return nullptr;
  size_t codeBytes = code->end - code->start;
  // Every part reads the other sections again: where they outweigh the code (megabytes of data
  // segments, say), the copies would cost more memory and time than the split saves.
  if (bytes.size() - codeBytes > 2 * codeBytes)
    return nullptr;
  if (threads == 0)
    threads = std::min<unsigned>(std::max(1u, std::thread::hardware_concurrency()), kMostParts);
  size_t parts = std::min<size_t>(threads, codeBytes / kBytesPerPart);
  if (parts < 2)
    return nullptr;
  // Cuts where each part holds about the same number of body bytes.
  std::vector<size_t> cuts{0};
  for (size_t i = 0, sum = 0; i < code->bodies.size(); ++i) {
    sum += code->bodies[i].end - code->bodies[i].prefix;
    if (cuts.size() < parts && sum * parts >= codeBytes * cuts.size())
      cuts.push_back(i + 1);
  }
  cuts.push_back(code->bodies.size());
  parts = cuts.size() - 1;
  std::vector<std::shared_ptr<wabt::Module>> modules(parts);
  std::vector<char> ok(parts, 0);
  auto readPart = [&](size_t part) {
    std::vector<uint8_t> binary = withBodiesOnly(bytes, *code, cuts[part], cuts[part + 1]);
    modules[part] = newWabtModule(bytes.size());
    wabt::Errors errors;
    ok[part] = wabt::Succeeded(wabt::ReadBinaryIr("module", binary.data(), binary.size(),
                                                  readOptions(), &errors, modules[part].get())) &&
               wabt::Succeeded(wabt::ValidateModule(modules[part].get(), &errors,
                                                    wabt::ValidateOptions(engineFeatures())));
  };
  std::vector<std::thread> helpers;
  for (size_t part = 1; part < parts; ++part) {
    try {
      helpers.emplace_back(readPart, part);
    } catch (const std::system_error &) { // no thread to be had: read it here
      readPart(part);
    }
  }
  readPart(0);
  for (std::thread &t : helpers)
    t.join();
  if (std::count(ok.begin(), ok.end(), 0) != 0)
    return nullptr;
  wabt::Module &whole = *modules[0];
  for (const auto &m : modules)
    if (m->funcs.size() != whole.funcs.size() || m->num_func_imports != whole.num_func_imports)
      return nullptr;
  for (size_t part = 1; part < parts; ++part)
    for (size_t i = cuts[part]; i < cuts[part + 1]; ++i) {
      wabt::Func &to = *whole.funcs[whole.num_func_imports + i];
      wabt::Func &from = *modules[part]->funcs[whole.num_func_imports + i];
      // Its locals and names are already there: every part kept every body's locals and read
      // the name section.
      std::swap(to.exprs, from.exprs);
    }
  partsUsed = parts;
  return modules[0];
}

} // namespace

Result<LoadedModule> loadBinary(std::span<const uint8_t> bytes, unsigned decodeThreads) {
  if (auto refused = refuseComponent(bytes, "the binary"))
    return std::move(*refused);
  if (auto refused = refuseNonConstantInitializers(bytes))
    return std::move(*refused);
  std::optional<CodeSection> code = findCodeSection(bytes);
  size_t parts = 1;
  std::shared_ptr<wabt::Module> module = readAndValidateInParts(bytes, code, decodeThreads, parts);
  if (!module) {
    module = newWabtModule(bytes.size());
    wabt::Errors errors;
    if (wabt::Failed(wabt::ReadBinaryIr("module", bytes.data(), bytes.size(), readOptions(),
                                        &errors, module.get())))
      return Error(ErrorKind::Malformed, formatErrors(errors, true));
    wabt::ValidateOptions validateOptions(engineFeatures());
    if (wabt::Failed(wabt::ValidateModule(module.get(), &errors, validateOptions)))
      return Error(ErrorKind::Invalid, formatErrors(errors, true));
  }
  // wabt 1.0.32 lets an empty constant expression through; the spec says it has no value.
  for (const wabt::DataSegment *d : module->data_segments)
    if (d->kind == wabt::SegmentKind::Active && d->offset.empty())
      return Error(ErrorKind::Invalid, "type mismatch: empty data segment offset");
  for (const wabt::ElemSegment *e : module->elem_segments)
    if (e->kind == wabt::SegmentKind::Active && e->offset.empty())
      return Error(ErrorKind::Invalid, "type mismatch: empty element segment offset");
  for (size_t i = module->num_global_imports; i < module->globals.size(); ++i)
    if (module->globals[i]->init_expr.empty())
      return Error(ErrorKind::Invalid, "type mismatch: empty global initializer");
  LoadedModule loaded;
  loaded.info = describe(*module);
  if (auto refused = refuseCallsThroughNonFuncTables(*module, loaded.info))
    return std::move(*refused);
  loaded.ir = std::move(module);
  loaded.decodeParts = parts;
  loaded.hash = support::sha256Hex(bytes);
  if (code && code->bodies.size() == loaded.info.numDefinedFuncs())
    for (const CodeSection::Body &b : code->bodies)
      loaded.bodyBytes.push_back(uint32_t(b.end - b.start));
  return loaded;
}

Result<std::vector<uint8_t>> moduleToBinary(const wabt::Module &module) {
  wabt::MemoryStream stream;
  wabt::WriteBinaryOptions options(engineFeatures(), /*canonicalize_lebs=*/true,
                                   /*relocatable=*/false, /*write_debug_names=*/true);
  if (wabt::Failed(wabt::WriteBinaryModule(&stream, &module, options)))
    return Error(ErrorKind::Invalid, "cannot encode module");
  return std::move(stream.output_buffer().data);
}

Result<std::vector<uint8_t>> watToWasm(std::string_view text, std::string_view fileName) {
  if (auto refused = refuseHazardousText(text, fileName))
    return std::move(*refused);
  // wabt's parser, validator, writer and destructors all recurse per nesting level.
  std::optional<Result<std::vector<uint8_t>>> result;
  support::runWithStack(support::kCompileStackBytes, [&] {
    wabt::Errors errors;
    std::string name(fileName);
    auto lexer = wabt::WastLexer::CreateBufferLexer(name, text.data(), text.size(), &errors);
    wabt::WastParseOptions options(engineFeatures());
    std::unique_ptr<wabt::Module> module;
    if (wabt::Failed(wabt::ParseWatModule(lexer.get(), &module, &errors, &options)))
      result = Error(ErrorKind::Malformed, formatErrors(errors, false));
    else
      result = validateAndEncode(*module);
  });
  return std::move(*result);
}

Result<std::vector<uint8_t>> validateAndEncode(const wabt::Module &module) {
  // Validation comes first: wabt's binary writer asserts on some invalid modules.
  wabt::Errors errors;
  wabt::ValidateOptions validateOptions(engineFeatures());
  if (wabt::Failed(wabt::ValidateModule(&module, &errors, validateOptions)))
    return Error(ErrorKind::Invalid, formatErrors(errors, false));
  return moduleToBinary(module);
}

Result<LoadedModule> loadText(std::string_view text, std::string_view fileName) {
  PW_TRY_ASSIGN(auto bytes, watToWasm(text, fileName));
  return loadBinary(bytes);
}

} // namespace parawasm::wasm
