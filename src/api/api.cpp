// The public API (include/parawasm/parawasm.h) on top of wasm, compile and runtime.
#include "api/engine_state.h"

#include "runtime/trap.h"
#include "support/file_io.h"
#include "support/try.h"
#include "vm/import_matching.h"
#include "wasm/loaded_module.h"

#include <cstdlib>
#include <map>
#include <thread>

namespace parawasm {

namespace runtime {

Result<compile::Jit *> EngineState::jit() {
  std::lock_guard lock(mutex_);
  if (!jit_) {
    std::vector<compile::RuntimeSymbol> symbols;
    for (auto &[name, addr] : runtimeSymbols())
      symbols.push_back({name, addr});
    PW_TRY_ASSIGN(jit_, compile::Jit::create(std::move(symbols), config.perfMap));
  }
  return jit_.get();
}

compile::CompileOptions EngineState::compileOptions() const {
  compile::CompileOptions o;
  o.optLevel = config.optLevel;
  o.threads = config.compileThreads;
  o.useCache = config.useCache;
  o.cacheDir = cacheDir;
  o.consumeFuel = config.consumeFuel;
  o.checkKernelBuffers = config.checkKernelBuffers;
  return o;
}

Result<std::shared_ptr<ModuleObject>>
EngineState::compileModule(wasm::LoadedModule loaded, std::optional<uint32_t> kernelFunc,
                           const std::vector<uint8_t> *precompiled) {
  PW_TRY_ASSIGN(compile::Jit * j, jit());
  compile::CompileOptions options = compileOptions();
  options.kernelFunc = kernelFunc;
  options.precompiled = precompiled;
  PW_TRY_ASSIGN(auto code, j->compile(loaded, options));
  auto m = std::make_shared<ModuleObject>();
  m->functions = code->functions;
  m->entryThunks = code->entryThunks;
  m->hostAdapters = code->hostAdapters;
  m->kernelDriver = code->kernelDriver;
  m->consumesFuel = options.consumeFuel;
  m->checksKernelBuffers = options.checkKernelBuffers && options.kernelFunc;
  m->fromCache = code->fromCache;
  m->lazy = code->linkedBodies != nullptr;
  m->tiered = code->tiered;
  m->compileSeconds = code->compileSeconds;
  for (const FuncType &t : loaded.info.types)
    m->typeIds.push_back(types.intern(t));
  m->hash = loaded.hash;
  m->info = std::move(loaded.info);
  struct Owned {
    std::shared_ptr<compile::CodeObject> code;
    std::shared_ptr<wabt::Module> ir;
  };
  std::shared_ptr<compile::LinkedBodies> linked = code->linkedBodies;
  m->keepAlive = std::make_shared<Owned>(Owned{std::move(code), std::move(loaded.ir)});
  uint64_t registration = registerModuleCode(m.get());
  if (linked) // lazy and tiered code: name the bodies as they are linked
    linked->listen([module = m.get(), registration](uint32_t funcIndex, uintptr_t start) {
      registerFunctionBody(module, registration, funcIndex, start);
    });
  return m;
}

} // namespace runtime

Engine::Engine(EngineConfig config) : state_(std::make_unique<runtime::EngineState>()) {
  state_->config = config;
  if (config.useCache) {
    if (!config.cacheDir.empty())
      state_->cacheDir = config.cacheDir;
    else if (const char *env = std::getenv("PARAWASM_CACHE_DIR"); env && *env)
      state_->cacheDir = env;
    else if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
      state_->cacheDir = std::string(xdg) + "/parawasm";
    else if (const char *home = std::getenv("HOME"); home && *home)
      state_->cacheDir = std::string(home) + "/.cache/parawasm";
  }
}

Engine::~Engine() = default;
const EngineConfig &Engine::config() const { return state_->config; }

Result<Module> Module::fromBinary(Engine &engine, std::span<const uint8_t> bytes) {
  PW_TRY_ASSIGN(auto loaded, wasm::loadBinary(bytes));
  PW_TRY_ASSIGN(auto m, engine.state().compileModule(std::move(loaded)));
  m->bytes = std::make_shared<const std::vector<uint8_t>>(bytes.begin(), bytes.end());
  return Module(std::move(m));
}

Result<Module> Module::fromText(Engine &engine, std::string_view text, std::string_view fileName) {
  PW_TRY_ASSIGN(auto bytes, wasm::watToWasm(text, fileName));
  return fromBinary(engine, bytes);
}

Result<Module> Module::fromFile(Engine &engine, const std::string &path, Precompiled precompiled) {
  PW_TRY_ASSIGN(auto bytes, support::readFile(path));
  if (auto refused = wasm::refuseComponent(bytes, "'" + path + "'"))
    return std::move(*refused);
  if (isPrecompiled(bytes) && precompiled == Precompiled::Allow)
    return deserialize(engine, bytes);
  if (isPrecompiled(bytes))
    return Error(ErrorKind::Malformed,
                 "'" + path +
                     "' is a precompiled module: it holds native code, so it is loaded "
                     "only on request (parawasm run --allow-precompiled; Module::deserialize)");
  if (wasm::isBinaryModule(bytes))
    return fromBinary(engine, bytes);
  return fromText(
      engine, std::string_view(reinterpret_cast<const char *>(bytes.data()), bytes.size()), path);
}

double Module::compileSeconds() const { return obj_->compileSeconds; }
bool Module::fromCache() const { return obj_->fromCache; }
bool Module::fromPrecompiled() const { return obj_->fromPrecompiled; }
Module::Start Module::start() const {
  return obj_->tiered ? Start::Tiered : obj_->lazy ? Start::Lazy : Start::Eager;
}
std::span<const uint8_t> Module::binary() const {
  if (!obj_->bytes)
    return {};
  return *obj_->bytes;
}

std::vector<ImportDesc> Module::imports() const {
  std::vector<ImportDesc> out;
  for (const vm::ImportInfo &imp : obj_->info.imports) {
    ImportDesc d;
    d.module = imp.module;
    d.name = imp.name;
    d.kind = imp.kind;
    if (imp.kind == ExternKind::Func || imp.kind == ExternKind::Tag)
      d.func = obj_->info.types[imp.typeIndex];
    d.table = imp.table;
    d.memory = imp.memory;
    d.global = imp.global;
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<ExportDesc> Module::exports() const {
  std::vector<ExportDesc> out;
  for (const vm::ExportInfo &e : obj_->info.exports) {
    ExportDesc d;
    d.name = e.name;
    d.kind = e.kind;
    switch (e.kind) {
    case ExternKind::Func:
      d.func = obj_->info.funcType(e.index);
      break;
    case ExternKind::Table:
      d.table = obj_->info.tables[e.index];
      break;
    case ExternKind::Memory:
      d.memory = obj_->info.memories[e.index];
      break;
    case ExternKind::Global:
      d.global = obj_->info.globals[e.index].type;
      break;
    case ExternKind::Tag:
      d.func = obj_->info.types[obj_->info.tags[e.index]];
      break;
    }
    out.push_back(std::move(d));
  }
  return out;
}

const FuncType &Func::type() const { return obj_->type; }

Result<std::vector<Val>> Func::call(std::span<const Val> args) const {
  return runtime::call(*obj_, args);
}

Val Func::toRef() const { return Val::makeRef(ValType::FuncRef, &obj_->ref); }

std::optional<Func> Func::fromRef(const Val &ref) {
  if (ref.type != ValType::FuncRef || !ref.of.ref)
    return std::nullopt;
  auto *f = static_cast<runtime::FuncObject *>(static_cast<vm::VMFuncRef *>(ref.of.ref)->owner);
  // A Wasm function lives as long as its instance, so the handle must own that instance.
  if (f->instance)
    if (auto inst = f->instance->self.lock())
      return Func(std::shared_ptr<runtime::FuncObject>(std::move(inst), f));
  if (auto self = f->weak_from_this().lock())
    return Func(std::move(self));
  return std::nullopt;
}

Result<Memory> Memory::create(const MemoryType &type) {
  PW_TRY_ASSIGN(auto m, runtime::MemoryObject::create(type));
  return Memory(std::move(m));
}
uint8_t *Memory::data() const { return obj_->vm.base; }
uint64_t Memory::size() const { return obj_->vm.sizeBytes.load(); }
MemoryType Memory::type() const {
  MemoryType t = obj_->type;
  t.minPages = obj_->pages();
  return t;
}
std::optional<uint64_t> Memory::grow(uint64_t deltaPages) const {
  int64_t old = obj_->grow(deltaPages);
  if (old < 0)
    return std::nullopt;
  return uint64_t(old);
}

Result<Table> Table::create(const TableType &type, Val init) {
  PW_TRY_ASSIGN(auto t, runtime::TableObject::create(type, init.of.ref));
  return Table(std::move(t));
}
uint32_t Table::size() const { return obj_->vm.size; }
TableType Table::type() const {
  TableType t = obj_->type;
  t.min = obj_->vm.size;
  return t;
}

std::optional<Val> Table::get(uint32_t index) const {
  if (index >= obj_->vm.size)
    return std::nullopt;
  return Val::makeRef(obj_->type.element, obj_->storage[index]);
}

namespace {

// Whether compiled code may find `value` in a table: a host function's code pointer is only
// bound once a module imports it (runtime::instantiate).
bool storable(const runtime::TableObject &table, const Val &value) {
  if (value.type != table.type.element)
    return false;
  if (value.type == ValType::FuncRef && value.of.ref)
    return static_cast<vm::VMFuncRef *>(value.of.ref)->code != nullptr;
  return true;
}

// Keeps the function a funcref value refers to alive as long as the table, except an
// instance's function in one of that instance's own tables: holding it would make a cycle
// (instance, table, function, instance) that is never freed. Such a function lives as long as its
// instance, as those written by element segments do.
void keepFuncAlive(runtime::TableObject &table, const Val &value) {
  auto f = Func::fromRef(value);
  if (!f)
    return;
  if (const runtime::InstanceObject *owner = f->object()->instance)
    for (const auto &t : owner->tables)
      if (t.get() == &table)
        return;
  table.keepAlive.push_back(f->object());
}

} // namespace

bool Table::set(uint32_t index, Val value) const {
  if (index >= obj_->vm.size || !storable(*obj_, value))
    return false;
  keepFuncAlive(*obj_, value);
  obj_->storage[index] = value.of.ref;
  return true;
}

std::optional<uint32_t> Table::grow(uint32_t delta, Val init) const {
  if (!storable(*obj_, init))
    return std::nullopt;
  int32_t old = obj_->grow(delta, init.of.ref);
  if (old < 0)
    return std::nullopt;
  keepFuncAlive(*obj_, init);
  return uint32_t(old);
}

Global Global::create(const GlobalType &type, Val value) {
  auto g = std::make_shared<runtime::GlobalObject>();
  g->type = type;
  g->set(value);
  return Global(std::move(g));
}
Val Global::get() const { return obj_->get(); }
Result<void> Global::set(Val value) const {
  if (!obj_->type.mutable_)
    return Error(ErrorKind::Usage, "the global is immutable");
  if (value.type != obj_->type.type)
    return Error(ErrorKind::Usage, std::string("the global holds ") + valTypeName(obj_->type.type) +
                                       ", got " + valTypeName(value.type));
  obj_->set(value);
  return {};
}
GlobalType Global::type() const { return obj_->type; }

Tag Tag::create(const FuncType &type) {
  auto t = std::make_shared<runtime::TagObject>();
  t->type = type;
  return Tag(std::move(t));
}
const FuncType &Tag::type() const { return obj_->type; }

namespace {

std::optional<Extern> exportOf(const std::shared_ptr<runtime::InstanceObject> &inst,
                               const vm::ExportInfo &e) {
  switch (e.kind) {
  case ExternKind::Func:
    return Func(inst->funcHandle(e.index));
  case ExternKind::Table:
    return Table(inst->tables[e.index]);
  case ExternKind::Memory:
    return Memory(inst->memories[e.index]);
  case ExternKind::Global:
    return Global(inst->globals[e.index]);
  case ExternKind::Tag:
    return Tag(inst->tags[e.index]);
  }
  return std::nullopt;
}

} // namespace

std::optional<Extern> Instance::getExport(std::string_view name) const {
  for (const vm::ExportInfo &e : obj_->module->info.exports)
    if (e.name == name)
      return exportOf(obj_, e);
  return std::nullopt;
}

std::optional<Func> Instance::getFunc(std::string_view name) const {
  auto e = getExport(name);
  if (!e || !std::holds_alternative<Func>(*e))
    return std::nullopt;
  return std::get<Func>(*e);
}

std::optional<Memory> Instance::memory() const {
  if (obj_->memories.empty())
    return std::nullopt;
  return Memory(obj_->memories[0]);
}

InterruptHandle Instance::interruptHandle() const { return InterruptHandle(obj_->store); }

std::optional<uint64_t> Instance::fuel() const {
  if (!obj_->module->consumesFuel)
    return std::nullopt;
  return uint64_t(std::max<int64_t>(obj_->ctx.fuel, 0));
}

Result<void> Instance::setFuel(uint64_t fuel) const {
  if (!obj_->module->consumesFuel)
    return Error(ErrorKind::Usage,
                 "the module was compiled without fuel (EngineConfig::consumeFuel)");
  obj_->ctx.fuel = int64_t(std::min<uint64_t>(fuel, INT64_MAX));
  return {};
}

void InterruptHandle::interrupt() const { state_->interrupt(); }
void InterruptHandle::reset() const { state_->reset(); }
bool InterruptHandle::interrupted() const { return state_->interruptFlag.load() != 0; }

std::vector<std::pair<std::string, Extern>> Instance::exports() const {
  std::vector<std::pair<std::string, Extern>> out;
  for (const vm::ExportInfo &e : obj_->module->info.exports)
    if (auto x = exportOf(obj_, e))
      out.emplace_back(e.name, *x);
  return out;
}

Func makeHostFunc(Engine &engine, FuncType type, HostCallback callback, std::string debugName) {
  uint32_t id = engine.state().types.intern(type);
  return Func(
      runtime::makeHostFunc(std::move(type), id, std::move(callback), std::move(debugName)));
}

struct Linker::Impl {
  Engine *engine;
  std::map<std::pair<std::string, std::string>, Extern, std::less<>> defs;
  std::vector<ImportCheck> importChecks;
  std::shared_ptr<runtime::StoreState> store = std::make_shared<runtime::StoreState>();
};

Linker::Linker(Engine &engine) : impl_(std::make_unique<Impl>()) {
  impl_->engine = &engine;
  impl_->store->stopsRunningCode = engine.state().config.interruptible;
}
Linker::~Linker() {
  if (impl_)
    impl_->store->releasePins();
}
Linker::Linker(Linker &&) noexcept = default;
Engine &Linker::engine() const { return *impl_->engine; }

void Linker::setLimiter(std::shared_ptr<ResourceLimiter> limiter) {
  impl_->store->limiter = limiter ? std::move(limiter) : std::make_shared<ResourceLimiter>();
}

InterruptHandle Linker::interruptHandle() const { return InterruptHandle(impl_->store); }

void Linker::setFuel(uint64_t fuel) {
  impl_->store->initialFuel = int64_t(std::min<uint64_t>(fuel, INT64_MAX));
}

const std::shared_ptr<runtime::StoreState> &Linker::store() const { return impl_->store; }

void Linker::define(std::string_view module, std::string_view name, Extern value) {
  impl_->defs.insert_or_assign({std::string(module), std::string(name)}, std::move(value));
}

void Linker::defineFunction(std::string_view module, std::string_view name, FuncType type,
                            HostCallback callback) {
  std::string debugName = std::string(module) + "." + std::string(name);
  define(module, name,
         makeHostFunc(*impl_->engine, std::move(type), std::move(callback), debugName));
}

void Linker::defineInstance(std::string_view module, const Instance &instance) {
  for (auto &[name, ext] : instance.exports())
    define(module, name, ext);
}

void Linker::addImportCheck(ImportCheck check) { impl_->importChecks.push_back(std::move(check)); }

std::optional<Extern> Linker::find(std::string_view module, std::string_view name) const {
  auto it = impl_->defs.find(std::pair<std::string, std::string>(module, name));
  if (it == impl_->defs.end())
    return std::nullopt;
  return it->second;
}

Result<Instance> Linker::instantiate(const Module &module) const {
  for (const ImportCheck &check : impl_->importChecks)
    if (auto why = check(module))
      return Error(ErrorKind::Unlinkable, *why);
  std::vector<Extern> imports;
  for (const vm::ImportInfo &imp : module.object()->info.imports) {
    auto found = find(imp.module, imp.name);
    if (!found)
      return Error(ErrorKind::Unlinkable,
                   "unknown import: '" + imp.module + "' '" + imp.name + "'");
    imports.push_back(std::move(*found));
  }
  return instantiate(module, imports);
}

Result<Instance> Linker::instantiate(const Module &module, std::span<const Extern> imports) const {
  const auto &modObj = module.object();
  if (imports.size() != modObj->info.imports.size())
    return Error(ErrorKind::Unlinkable, "the module has " +
                                            std::to_string(modObj->info.imports.size()) +
                                            " imports, got " + std::to_string(imports.size()));
  std::vector<runtime::ResolvedImport> resolved;
  for (size_t i = 0; i < imports.size(); ++i) {
    const vm::ImportInfo &imp = modObj->info.imports[i];
    const Extern *found = &imports[i];
    std::string what = "'" + imp.module + "' '" + imp.name + "'";
    runtime::ResolvedImport r;
    auto incompatible = [&](const std::string &detail) {
      return Error(ErrorKind::Unlinkable, "incompatible import type for " + what + ": " + detail);
    };
    switch (imp.kind) {
    case ExternKind::Func: {
      auto *f = std::get_if<Func>(&*found);
      if (!f)
        return incompatible("expected a function");
      const FuncType &want = modObj->info.types[imp.typeIndex];
      if (!(f->type() == want))
        return incompatible("expected " + want.toString() + ", got " + f->type().toString());
      r.func = f->object();
      break;
    }
    case ExternKind::Table: {
      auto *t = std::get_if<Table>(&*found);
      if (!t)
        return incompatible("expected a table");
      const auto &obj = t->object();
      if (obj->type.element != imp.table.element ||
          vm::matchLimits(obj->vm.size, obj->type.max, imp.table.min, imp.table.max) !=
              vm::LimitsMismatch::None)
        return incompatible("table type mismatch");
      r.table = obj;
      break;
    }
    case ExternKind::Memory: {
      auto *m = std::get_if<Memory>(&*found);
      if (!m)
        return incompatible("expected a memory");
      const auto &obj = m->object();
      if (obj->type.shared != imp.memory.shared || obj->type.index64 != imp.memory.index64 ||
          vm::matchLimits(obj->pages(), obj->type.maxPages, imp.memory.minPages,
                          imp.memory.maxPages) != vm::LimitsMismatch::None)
        return incompatible("memory type mismatch");
      r.memory = obj;
      break;
    }
    case ExternKind::Global: {
      auto *g = std::get_if<Global>(&*found);
      if (!g)
        return incompatible("expected a global");
      if (g->type().type != imp.global.type || g->type().mutable_ != imp.global.mutable_)
        return incompatible("global type mismatch");
      r.global = g->object();
      break;
    }
    case ExternKind::Tag: {
      auto *t = std::get_if<Tag>(&*found);
      if (!t)
        return incompatible("expected a tag");
      const FuncType &want = modObj->info.types[imp.typeIndex];
      if (!(t->type() == want))
        return incompatible("tag type mismatch: expected " + want.toString() + ", got " +
                            t->type().toString());
      r.tag = t->object();
      break;
    }
    }
    resolved.push_back(std::move(r));
  }
  auto inst = runtime::instantiate(modObj, std::move(resolved), impl_->store);
  if (!inst)
    return inst.takeError();
  return Instance(std::move(*inst));
}

} // namespace parawasm
