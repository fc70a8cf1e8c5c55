#include "runtime/objects.h"
#include "runtime/trap.h"
#include "support/try.h"

#include <cstring>

namespace parawasm::runtime {

std::shared_ptr<FuncObject> InstanceObject::funcHandle(uint32_t index) {
  // Aliasing: the handle points at the function but owns the instance that holds it (or the
  // imported function's own owner).
  if (index < module->info.numImportedFuncs)
    return funcs[index];
  return std::shared_ptr<FuncObject>(self.lock(), funcs[index].get());
}

std::shared_ptr<FuncObject> makeHostFunc(FuncType type, uint32_t typeId, HostCallback callback,
                                         std::string name) {
  auto f = std::make_shared<FuncObject>();
  f->type = std::move(type);
  f->host = std::move(callback);
  f->name = std::move(name);
  f->ref.typeId = typeId;
  f->ref.calleeCtx = f.get();
  f->ref.owner = f.get();
  return f;
}

namespace {

// At instantiation every reference resolves: globals are set in order, and a constant
// expression reads only imported or earlier globals (validation).
Val evalConst(const InstanceObject &inst, const vm::ConstExpr &c) {
  vm::ConstResolver resolve{
      [&](uint32_t g) -> std::optional<Val> { return inst.globals[g]->get(); },
      [&](uint32_t f) -> std::optional<Val> {
        return Val::makeRef(ValType::FuncRef, inst.funcRefs[f]);
      }};
  return vm::evalConst(c, resolve).value_or(c.value);
}

// The module's own functions, bound to `inst`'s context (imports are already in inst.funcs).
void defineFunctions(InstanceObject &inst) {
  const ModuleObject &module = *inst.module;
  const vm::ModuleInfo &info = module.info;
  for (uint32_t i = info.numImportedFuncs; i < info.funcTypes.size(); ++i) {
    auto f = std::make_shared<FuncObject>();
    f->type = info.funcType(i);
    f->name = info.funcDisplayName(i);
    f->instance = &inst;
    f->ref.code = module.functions[i - info.numImportedFuncs];
    f->ref.calleeCtx = &inst.ctx;
    f->ref.typeId = module.typeIds[info.funcTypes[i]];
    f->ref.funcIndex = i;
    f->ref.entry = module.entryThunks[info.funcTypes[i]];
    f->ref.owner = f.get();
    inst.funcs.push_back(std::move(f));
  }
  for (auto &f : inst.funcs)
    inst.funcRefs.push_back(&f->ref);
}

void bindContext(InstanceObject &inst) {
  inst.ctx.memoryBase = inst.memories.empty() ? nullptr : inst.memories[0]->vm.base;
  inst.ctx.memory = inst.memories.empty() ? nullptr : &inst.memories[0]->vm;
  inst.memoryPtrs.clear();
  for (auto &m : inst.memories)
    inst.memoryPtrs.push_back(&m->vm);
  inst.ctx.memories = inst.memoryPtrs.empty() ? nullptr : inst.memoryPtrs.data();
  inst.ctx.tables = inst.tablePtrs.data();
  inst.ctx.globals = inst.globalCells.data();
  inst.ctx.funcs = inst.funcRefs.data();
  inst.ctx.typeIds = inst.module->typeIds.data();
  inst.ctx.instance = &inst;
  inst.ctx.interrupt = &inst.store->interruptFlag;
  inst.ctx.fuel = inst.store->initialFuel;
}

// Makes `inst` one of `store`'s instances, if the limiter lets it.
Result<void> joinStore(InstanceObject &inst, std::shared_ptr<StoreState> store) {
  if (!store) {
    inst.store = std::make_shared<StoreState>();
    return {};
  }
  if (auto why = store->limiter->instanceCreating(store->instances.load()))
    return Error(ErrorKind::Uninstantiable, *why);
  inst.store = std::move(store);
  inst.store->instances.fetch_add(1);
  inst.counted = true;
  return {};
}

// A reference as `to` sees it: a function of `from` becomes the same function of `to`.
void *translateRef(void *ref, const InstanceObject &from, const InstanceObject &to) {
  if (!ref)
    return ref;
  auto *funcRef = static_cast<vm::VMFuncRef *>(ref);
  auto *owner = static_cast<FuncObject *>(funcRef->owner);
  if (owner->instance != &from)
    return ref;
  return to.funcRefs[funcRef->funcIndex];
}

// Evaluates the element segments and writes the active ones into their tables, in order (a
// failing one traps after the earlier ones took effect); imported tables only if
// `toImportedTables`. Active and declarative segments are dropped afterwards.
Result<void> initElements(InstanceObject &inst, bool toImportedTables) {
  const vm::ModuleInfo &info = inst.module->info;
  inst.elemSegments.clear();
  for (const vm::ElemSegmentInfo &seg : info.elems) {
    std::vector<void *> refs;
    for (const vm::ConstExpr &item : seg.items)
      refs.push_back(evalConst(inst, item).of.ref);
    inst.elemSegments.push_back(std::move(refs));
  }
  for (size_t s = 0; s < info.elems.size(); ++s) {
    const vm::ElemSegmentInfo &seg = info.elems[s];
    const bool imported = seg.table < info.numImportedTables;
    if (seg.mode == vm::ElemSegmentInfo::Mode::Active && (toImportedTables || !imported)) {
      TableObject &table = *inst.tables[seg.table];
      uint64_t offset = uint32_t(evalConst(inst, seg.offset).of.i32);
      const auto &refs = inst.elemSegments[s];
      if (offset + refs.size() > table.vm.size)
        return Error::trap(TrapCode::TableOutOfBounds, trapCodeMessage(TrapCode::TableOutOfBounds));
      std::copy(refs.begin(), refs.end(), table.vm.elements + offset);
      // A table imported from elsewhere now refers to this instance's functions: the store keeps
      // the instance alive (StoreState::pin). A store without a linker (a device's kernel
      // instance) has no one to release it; its references are nulled when it dies.
      if (!refs.empty() && imported && inst.counted)
        inst.store->pin(inst.self.lock());
    }
    if (seg.mode != vm::ElemSegmentInfo::Mode::Passive)
      inst.elemSegments[s].clear();
  }
  return {};
}

} // namespace

Result<std::shared_ptr<InstanceObject>> instantiate(std::shared_ptr<ModuleObject> module,
                                                    std::vector<ResolvedImport> imports,
                                                    std::shared_ptr<StoreState> store) {
  const vm::ModuleInfo &info = module->info;
  auto inst = std::make_shared<InstanceObject>();
  inst->self = inst;
  inst->module = module;
  PW_TRY(joinStore(*inst, std::move(store)));
  ResourceLimiter &limiter = *inst->store->limiter;
  size_t importIndex = 0;
  for (const vm::ImportInfo &imp : info.imports) {
    ResolvedImport &r = imports[importIndex++];
    switch (imp.kind) {
    case ExternKind::Func: {
      FuncObject &f = *r.func;
      if (f.isHost()) {
        std::lock_guard lock(f.adapterMutex);
        if (!f.ref.code) {
          f.ref.code = module->hostAdapters[imp.typeIndex];
          f.adapterOwner = module->keepAlive;
        }
      }
      inst->funcs.push_back(r.func);
      break;
    }
    case ExternKind::Table:
      if (!r.table->limiter && inst->counted)
        r.table->limiter = inst->store->limiter;
      inst->tables.push_back(r.table);
      break;
    case ExternKind::Memory:
      if (!r.memory->limiter && inst->counted)
        r.memory->limiter = inst->store->limiter;
      inst->memories.push_back(r.memory);
      break;
    case ExternKind::Global:
      inst->globals.push_back(r.global);
      break;
    case ExternKind::Tag:
      inst->tags.push_back(r.tag);
      break;
    }
  }
  // Each instantiation makes fresh tags: an exception's identity is its tag object.
  for (size_t i = info.numImportedTags; i < info.tags.size(); ++i) {
    auto tag = std::make_shared<TagObject>();
    tag->type = info.types[info.tags[i]];
    inst->tags.push_back(std::move(tag));
  }

  defineFunctions(*inst);

  for (size_t i = info.numImportedTables; i < info.tables.size(); ++i) {
    // The engine's own maximum first (an Exhaustion error), then the limiter's.
    auto t = TableObject::create(info.tables[i], nullptr);
    if (!t)
      return t.takeError();
    if (auto why = limiter.tableGrowing(0, info.tables[i].min))
      return Error(ErrorKind::Uninstantiable, "table " + std::to_string(i) + ": " + *why);
    (*t)->limiter = inst->store->limiter;
    inst->tables.push_back(std::move(*t));
  }
  for (auto &t : inst->tables)
    inst->tablePtrs.push_back(&t->vm);

  for (size_t i = info.numImportedMemories; i < info.memories.size(); ++i) {
    if (auto why = limiter.memoryGrowing(0, uint64_t(info.memories[i].minPages) * vm::kPageSize))
      return Error(ErrorKind::Uninstantiable, "memory " + std::to_string(i) + ": " + *why);
    auto m = MemoryObject::create(info.memories[i]);
    if (!m)
      return m.takeError();
    (*m)->limiter = inst->store->limiter;
    inst->memories.push_back(std::move(*m));
  }

  for (size_t i = info.numImportedGlobals; i < info.globals.size(); ++i) {
    auto g = std::make_shared<GlobalObject>();
    g->type = info.globals[i].type;
    g->set(evalConst(*inst, info.globals[i].init));
    inst->globals.push_back(std::move(g));
  }
  for (auto &g : inst->globals)
    inst->globalCells.push_back(&g->cell);

  bindContext(*inst);

  PW_TRY(initElements(*inst, true));
  inst->dataDropped.assign(info.data.size(), false);
  for (size_t s = 0; s < info.data.size(); ++s) {
    const vm::DataSegmentInfo &seg = info.data[s];
    if (!seg.active)
      continue;
    MemoryObject *mem = inst->memories[seg.memory].get();
    Val at = evalConst(*inst, seg.offset);
    uint64_t offset = at.type == ValType::I64 ? uint64_t(at.of.i64) : uint32_t(at.of.i32);
    uint64_t size = mem->vm.sizeBytes.load();
    // A 64-bit memory's offset may be near 2^64: compared without a sum that could wrap.
    if (offset > size || seg.bytes.size() > size - offset)
      return Error::trap(TrapCode::MemoryOutOfBounds, trapCodeMessage(TrapCode::MemoryOutOfBounds));
    if (!seg.bytes.empty())
      std::memcpy(mem->vm.base + offset, seg.bytes.data(), seg.bytes.size());
    inst->dataDropped[s] = true;
  }
  if (info.start) {
    auto r = call(*inst->funcs[*info.start], {});
    if (!r)
      return r.takeError();
  }
  return inst;
}

Result<std::shared_ptr<InstanceObject>> instantiateSibling(InstanceObject &of, SiblingState state) {
  const vm::ModuleInfo &info = of.module->info;
  auto inst = std::make_shared<InstanceObject>();
  inst->self = inst;
  inst->module = of.module;
  if (!of.counted)
    inst->store = of.store; // polls the same flag, counted by nobody
  else
    PW_TRY(joinStore(*inst, of.store));
  inst->funcs.assign(of.funcs.begin(), of.funcs.begin() + info.numImportedFuncs);
  defineFunctions(*inst);
  for (size_t i = 0; i < of.tables.size(); ++i) {
    if (i < info.numImportedTables) {
      inst->tables.push_back(of.tables[i]);
      continue;
    }
    auto t = TableObject::create(info.tables[i], nullptr);
    if (!t)
      return t.takeError();
    (*t)->limiter = of.tables[i]->limiter;
    inst->tables.push_back(std::move(*t));
  }
  for (auto &t : inst->tables)
    inst->tablePtrs.push_back(&t->vm);
  inst->memories = of.memories; // defined ones too: the point of a sibling
  inst->tags = of.tags;         // so that a sibling catches what its original throws
  for (size_t i = 0; i < of.globals.size(); ++i) {
    if (i < info.numImportedGlobals) {
      inst->globals.push_back(of.globals[i]);
      continue;
    }
    auto g = std::make_shared<GlobalObject>();
    g->type = of.globals[i]->type;
    inst->globals.push_back(std::move(g));
  }
  for (auto &g : inst->globals)
    inst->globalCells.push_back(&g->cell);
  bindContext(*inst);
  if (state == SiblingState::Current) {
    syncSibling(*inst, of);
    return inst;
  }
  for (size_t i = info.numImportedGlobals; i < inst->globals.size(); ++i)
    inst->globals[i]->set(evalConst(*inst, info.globals[i].init));
  PW_TRY(initElements(*inst, false));
  inst->dataDropped.resize(info.data.size());
  for (size_t s = 0; s < info.data.size(); ++s)
    inst->dataDropped[s] = info.data[s].active;
  return inst;
}

void syncSibling(InstanceObject &sibling, const InstanceObject &of) {
  const vm::ModuleInfo &info = of.module->info;
  for (size_t i = info.numImportedGlobals; i < of.globals.size(); ++i) {
    GlobalObject &g = *sibling.globals[i];
    g.cell = of.globals[i]->cell;
    if (g.type.type == ValType::FuncRef)
      g.cell.ref = translateRef(g.cell.ref, of, sibling);
  }
  for (size_t i = info.numImportedTables; i < of.tables.size(); ++i) {
    const TableObject &from = *of.tables[i];
    TableObject &to = *sibling.tables[i];
    to.storage.assign(from.vm.elements, from.vm.elements + from.vm.size);
    if (from.type.element == ValType::FuncRef)
      for (void *&ref : to.storage)
        ref = translateRef(ref, of, sibling);
    to.vm.elements = to.storage.data();
    to.vm.size = from.vm.size;
  }
  sibling.elemSegments = of.elemSegments;
  for (size_t s = 0; s < sibling.elemSegments.size(); ++s)
    if (info.elems[s].type == ValType::FuncRef)
      for (void *&ref : sibling.elemSegments[s])
        ref = translateRef(ref, of, sibling);
  sibling.dataDropped = of.dataDropped;
}

Result<std::vector<Val>> call(FuncObject &func, std::span<const Val> args) {
  const FuncType &type = func.type;
  if (args.size() != type.params.size())
    return Error(ErrorKind::Usage, "expected " + std::to_string(type.params.size()) +
                                       " arguments, got " + std::to_string(args.size()));
  for (size_t i = 0; i < args.size(); ++i)
    if (args[i].type != type.params[i])
      return Error(ErrorKind::Usage, "argument " + std::to_string(i) + " must be " +
                                         valTypeName(type.params[i]) + ", got " +
                                         valTypeName(args[i].type));
  std::vector<Val> results(type.results.size());
  for (size_t i = 0; i < results.size(); ++i)
    results[i].type = type.results[i];
  if (func.isHost()) {
    Caller caller(nullptr);
    HostStatus st = func.host(caller, args, results);
    if (!st.isOk())
      return *st.error();
    return results;
  }
  size_t cells = std::max({args.size(), results.size(), size_t(1)});
  std::vector<vm::Slot> io(cells);
  for (size_t i = 0; i < args.size(); ++i)
    std::memcpy(&io[i], &args[i].of, sizeof(vm::Slot));
  auto r = callGuarded(reinterpret_cast<EntryThunk>(func.ref.entry), func.ref.code,
                       func.ref.calleeCtx, func.ref.calleeCtx, io.data());
  if (!r)
    return r.takeError();
  for (size_t i = 0; i < results.size(); ++i)
    std::memcpy(&results[i].of, &io[i], sizeof(vm::Slot));
  return results;
}

} // namespace parawasm::runtime
