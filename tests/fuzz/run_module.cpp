#include "run_module.h"

#include <cstdlib>

namespace parawasm::fuzz {

Engine &fuzzEngine() {
  static Engine *engine = [] {
    EngineConfig config;
    // PARAWASM_FUZZ_O2=1 fuzzes the -O2 pipeline (address widening, alignment prologues, LLVM's
    // loop optimisations) instead of the fast tier: slower, so the CI runs fewer inputs of it.
    const char *o2 = std::getenv("PARAWASM_FUZZ_O2");
    config.optLevel = o2 && o2[0] == '1' ? OptLevel::Full : OptLevel::Fast;
    config.useCache = false;
    config.compileThreads = 1;
    return new Engine(config); // lives until exit: functions compiled in it may still be running
  }();
  return *engine;
}

uint64_t inputSeed(std::span<const uint8_t> bytes) {
  uint64_t h = 1469598103934665603ull; // FNV-1a
  for (uint8_t b : bytes)
    h = (h ^ b) * 1099511628211ull;
  return h;
}

std::vector<Val> fuzzArgs(const FuncType &type, uint64_t seed) {
  static const int64_t kInts[] = {0, 1, -1, 2, 7, 64, 65536, 0x7fffffff, INT32_MIN, INT64_MIN};
  static const double kFloats[] = {0.0, 1.0, -1.0, 0.5, 1e30, -0.0};
  std::vector<Val> args;
  for (ValType t : type.params) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    unsigned pick = unsigned(seed >> 33);
    switch (t) {
    case ValType::I32:
      args.push_back(Val::makeI32(int32_t(kInts[pick % std::size(kInts)])));
      break;
    case ValType::I64:
      args.push_back(Val::makeI64(kInts[pick % std::size(kInts)]));
      break;
    case ValType::F32:
      args.push_back(Val::makeF32(float(kFloats[pick % std::size(kFloats)])));
      break;
    case ValType::F64:
      args.push_back(Val::makeF64(kFloats[pick % std::size(kFloats)]));
      break;
    default: // v128: zero; references: null
      args.push_back(Val::zero(t));
      break;
    }
  }
  return args;
}

namespace {

// One stub per import, in import order: a module may import one name twice with two types, which
// a by-name definition cannot satisfy (wabt's interpreter, the other side of fuzz_diff, binds
// imports by position too). Empty with `error` set when a stub cannot be made.
std::vector<Extern> stubImports(Engine &engine, const Module &module, std::string &error) {
  std::vector<Extern> externs;
  for (const ImportDesc &imp : module.imports()) {
    switch (imp.kind) {
    case ExternKind::Func: {
      FuncType type = imp.func;
      externs.push_back(makeHostFunc(
          engine, type, [type](Caller &, std::span<const Val>, std::span<Val> results) {
            for (size_t i = 0; i < results.size(); ++i)
              results[i] = Val::zero(type.results[i]);
            return HostStatus::ok();
          }));
      break;
    }
    case ExternKind::Memory: {
      auto m = Memory::create(imp.memory);
      if (!m) {
        error = m.error().message();
        return {};
      }
      externs.push_back(*m);
      break;
    }
    case ExternKind::Table: {
      auto t = Table::create(imp.table, Val::zero(imp.table.element));
      if (!t) {
        error = t.error().message();
        return {};
      }
      externs.push_back(*t);
      break;
    }
    case ExternKind::Global:
      externs.push_back(Global::create(imp.global, Val::zero(imp.global.type)));
      break;
    case ExternKind::Tag:
      externs.push_back(Tag::create(imp.func));
      break;
    }
  }
  return externs;
}

} // namespace

RunOutcome runInParawasm(std::span<const uint8_t> bytes, uint64_t seed) {
  RunOutcome out;
  Engine &engine = fuzzEngine();
  auto module = Module::fromBinary(engine, bytes);
  if (!module) {
    out.error = module.error().message();
    return out;
  }
  out.compiled = true;
  Linker linker(engine);
  std::vector<Extern> imports = stubImports(engine, *module, out.error);
  if (imports.size() != module->imports().size())
    return out;
  auto instance = linker.instantiate(*module, imports);
  if (!instance) {
    out.error = instance.error().message();
    return out;
  }
  out.instantiated = true;
  for (const ExportDesc &e : module->exports()) {
    if (e.kind != ExternKind::Func)
      continue;
    auto func = instance->getFunc(e.name);
    if (!func)
      continue;
    CallOutcome call;
    call.name = e.name;
    auto results = func->call(fuzzArgs(e.func, seed));
    if (results)
      call.results = std::move(*results);
    else {
      call.trapped = true;
      // Stack exhaustion is a trap (CallStackExhausted); other exhaustion (memory for a
      // grow's bookkeeping, say) is an Exhaustion error.
      call.exhausted = results.error().trapCode() == TrapCode::CallStackExhausted ||
                       results.error().kind() == ErrorKind::Exhaustion;
    }
    out.calls.push_back(std::move(call));
  }
  return out;
}

} // namespace parawasm::fuzz
