#include "wast_runner.h"

#include <cstdio>

namespace parawasm::cli {

WastRunner::WastRunner(Engine &engine, std::string file, Options options)
    : engine_(engine), file_(std::move(file)), options_(std::move(options)), linker_(engine) {
  defineSpectest();
}

WastCounts WastRunner::run(const std::vector<wasm::WastCommand> &commands) {
  for (const auto &cmd : commands)
    runCommand(cmd);
  return counts_;
}

void WastRunner::fail(const wasm::WastCommand &cmd, const std::string &what) {
  ++counts_.failed;
  if (!options_.quiet)
    std::printf("%s:%d: %s\n", file_.c_str(), cmd.line, what.c_str());
}

void WastRunner::defineSpectest() {
  auto print = [](Caller &, std::span<const Val>, std::span<Val>) { return HostStatus::ok(); };
  auto def = [&](const char *name, std::vector<ValType> params) {
    linker_.defineFunction("spectest", name, FuncType{std::move(params), {}}, print);
  };
  def("print", {});
  def("print_i32", {ValType::I32});
  def("print_i64", {ValType::I64});
  def("print_f32", {ValType::F32});
  def("print_f64", {ValType::F64});
  def("print_i32_f32", {ValType::I32, ValType::F32});
  def("print_f64_f64", {ValType::F64, ValType::F64});
  linker_.define("spectest", "global_i32",
                 Global::create({ValType::I32, false}, Val::makeI32(666)));
  linker_.define("spectest", "global_i64",
                 Global::create({ValType::I64, false}, Val::makeI64(666)));
  linker_.define("spectest", "global_f32",
                 Global::create({ValType::F32, false}, Val::makeF32(666.6f)));
  linker_.define("spectest", "global_f64",
                 Global::create({ValType::F64, false}, Val::makeF64(666.6)));
  if (auto t = Table::create({ValType::FuncRef, 10, 20}, Val::makeRef(ValType::FuncRef, nullptr)))
    linker_.define("spectest", "table", *t);
  if (auto m = Memory::create({1, 2, false}))
    linker_.define("spectest", "memory", *m);
  if (auto m = Memory::create({1, 2, true}))
    linker_.define("spectest", "shared_memory", *m);
}

Result<Module> WastRunner::compile(const wasm::WastCommand &cmd) {
  if (!cmd.moduleError.empty())
    return Error(cmd.moduleErrorKind, cmd.moduleError);
  if (options_.prepareModule)
    return Module::fromBinary(engine_, options_.prepareModule(cmd.moduleBytes));
  return Module::fromBinary(engine_, cmd.moduleBytes);
}

std::optional<Instance> WastRunner::findInstance(const std::string &name) {
  if (name.empty())
    return current_;
  auto it = named_.find(name);
  if (it == named_.end())
    return std::nullopt;
  return it->second;
}

Result<std::vector<Val>> WastRunner::perform(const wasm::WastAction &action) {
  auto inst = findInstance(action.moduleName);
  if (!inst)
    return Error(ErrorKind::Usage, "no module '" + action.moduleName + "'");
  auto ext = inst->getExport(action.field);
  if (!ext)
    return Error(ErrorKind::Usage, "no export '" + action.field + "'");
  if (action.kind == wasm::WastAction::Kind::Get) {
    auto *g = std::get_if<Global>(&*ext);
    if (!g)
      return Error(ErrorKind::Usage, "'" + action.field + "' is not a global");
    return std::vector<Val>{g->get()};
  }
  auto *f = std::get_if<Func>(&*ext);
  if (!f)
    return Error(ErrorKind::Usage, "'" + action.field + "' is not a function");
  return f->call(action.args);
}

void WastRunner::runCommand(const wasm::WastCommand &cmd) {
  using K = wasm::WastCommand::Kind;
  switch (cmd.kind) {
  case K::Module: {
    auto module = compile(cmd);
    if (!module) {
      current_.reset();
      return fail(cmd, "module failed to compile: " + module.error().message());
    }
    auto inst = linker_.instantiate(*module);
    if (!inst) {
      current_.reset();
      return fail(cmd, "module failed to instantiate: " + inst.error().message());
    }
    current_ = *inst;
    if (!cmd.moduleName.empty())
      named_.insert_or_assign(cmd.moduleName, *inst);
    return;
  }
  case K::Register: {
    auto inst = findInstance(cmd.moduleName);
    if (!inst)
      return fail(cmd, "register: no module to register");
    linker_.defineInstance(cmd.registerAs, *inst);
    return;
  }
  case K::Action: {
    auto r = perform(cmd.action);
    if (!r)
      return fail(cmd, "action failed: " + r.error().message());
    return pass();
  }
  case K::AssertReturn: {
    auto r = perform(cmd.action);
    if (!r)
      return fail(cmd, "assert_return: '" + cmd.action.field + "' failed: " + r.error().message());
    for (const auto &alternative : cmd.expected) {
      if (alternative.size() != r->size())
        continue;
      bool all = true;
      for (size_t i = 0; i < r->size() && all; ++i)
        all = wasm::matchesExpected((*r)[i], alternative[i]);
      if (all)
        return pass();
    }
    std::string got, want;
    for (const Val &v : *r)
      got += (got.empty() ? "" : " ") + wasm::formatVal(v);
    for (const auto &alternative : cmd.expected) {
      want += want.empty() ? "" : " | ";
      for (size_t i = 0; i < alternative.size(); ++i)
        want += (i ? " " : "") + wasm::formatExpected(alternative[i]);
    }
    return fail(cmd,
                "assert_return: '" + cmd.action.field + "' returned " + got + ", expected " + want);
  }
  case K::AssertTrap:
  case K::AssertExhaustion: {
    auto r = perform(cmd.action);
    if (r)
      return fail(cmd, "expected trap '" + cmd.text + "', but '" + cmd.action.field + "' returned");
    ErrorKind want = cmd.kind == K::AssertTrap ? ErrorKind::Trap : ErrorKind::Exhaustion;
    if (r.error().kind() != want)
      return fail(cmd, "expected " + std::string(errorKindName(want)) + " '" + cmd.text +
                           "', got " + errorKindName(r.error().kind()) + ": " +
                           r.error().message());
    if (r.error().message().rfind(cmd.text, 0) != 0 && cmd.kind == K::AssertTrap)
      return fail(cmd, "expected trap '" + cmd.text + "', got '" + r.error().message() + "'");
    return pass();
  }
  case K::AssertException: {
    // An exception that leaves Wasm reaches the host as a trap (runtime/exceptions.h).
    auto r = perform(cmd.action);
    if (r)
      return fail(cmd, "expected an exception, but '" + cmd.action.field + "' returned");
    if (r.error().trapCode() != TrapCode::UncaughtException)
      return fail(cmd, "expected an exception, got " +
                           std::string(errorKindName(r.error().kind())) + ": " +
                           r.error().message());
    return pass();
  }
  case K::AssertInvalid:
  case K::AssertMalformed: {
    auto module = compile(cmd);
    if (module)
      return fail(
          cmd, std::string(cmd.kind == K::AssertInvalid ? "assert_invalid" : "assert_malformed") +
                   ": module was accepted, expected '" + cmd.text + "'");
    return pass();
  }
  case K::AssertUnlinkable:
  case K::AssertUninstantiable: {
    auto module = compile(cmd);
    if (!module)
      return fail(cmd, "module failed to compile: " + module.error().message());
    auto inst = linker_.instantiate(*module);
    if (inst)
      return fail(cmd, "module instantiated, expected '" + cmd.text + "'");
    bool unlinkable = inst.error().kind() == ErrorKind::Unlinkable;
    if ((cmd.kind == K::AssertUnlinkable) != unlinkable)
      return fail(cmd, "expected '" + cmd.text + "', got " + errorKindName(inst.error().kind()) +
                           ": " + inst.error().message());
    return pass();
  }
  case K::Unsupported:
    return fail(cmd, "unsupported script command");
  }
}

} // namespace parawasm::cli
