#include "run_module.h"

#include "cli.h"
#include "deadline.h"

#include "cluster/cluster.h"
#include "parawasm/parallel.h"

#include <cstdio>
#include <cstring>
#include <unistd.h>

extern char **environ;

namespace parawasm::cli {
namespace {

// The host's environment, then `given` (--env), which thus overrides it.
std::vector<std::pair<std::string, std::string>>
withHostEnvironment(const std::vector<std::pair<std::string, std::string>> &given) {
  std::vector<std::pair<std::string, std::string>> env;
  for (char **e = environ; *e; ++e) {
    const char *eq = std::strchr(*e, '=');
    if (eq && eq != *e)
      env.emplace_back(std::string(*e, size_t(eq - *e)), std::string(eq + 1));
  }
  env.insert(env.end(), given.begin(), given.end());
  return env;
}

void reportLoad(const std::string &file, const Module &module) {
  const char *how = module.fromPrecompiled()                  ? "loaded precompiled"
                    : module.fromCache()                      ? "loaded from the code cache"
                    : module.start() == Module::Start::Tiered ? "started tiered"
                    : module.start() == Module::Start::Lazy   ? "started lazily"
                                                              : "compiled";
  std::fprintf(stderr, "parawasm: %s %s in %.1f ms\n", file.c_str(), how,
               module.compileSeconds() * 1e3);
  if (module.start() == Module::Start::Tiered)
    std::fprintf(stderr, "parawasm: each function is compiled at the fast tier on its first "
                         "call while -O2 code is compiled in the background\n");
  if (auto generation = wasiParallelGeneration(module))
    std::fprintf(stderr, "parawasm: wasi-parallel generation: %s\n", generation->c_str());
}

// wasi-threads programs (wasm-ld --shared-memory) import their memory, usually env.memory: as in
// Wasmtime, a shared memory nothing else defines is made with the import's limits.
Result<void> defineImportedSharedMemories(Linker &linker, const Module &module) {
  for (const ImportDesc &imp : module.imports())
    if (imp.kind == ExternKind::Memory && imp.memory.shared && !linker.find(imp.module, imp.name)) {
      auto memory = Memory::create(imp.memory);
      if (!memory)
        return memory.takeError();
      linker.define(imp.module, imp.name, *memory);
    }
  return {};
}

// Turns the guest's outcome into the process's exit status. The main thread's end ends the
// program: wasi-threads threads still running (after a short grace for those already returning)
// are not waited for, and the process ends with _exit, since the destructors of runModule's scope
// and static ones would free the code and memory they use. Otherwise it ends with quick_exit(),
// which runs the handlers registered for it (traces, the cluster's leave) and no destructors:
// freeing a big module's IR and code took 7 % of a cold start, and a background -O2 compile
// (tiered start-up) would have to finish the code generation it is in before exit() could
// destroy LLVM's statics under it — seconds, for code that is then thrown away. What that
// compile leaves is at most a temporary file in the code cache, if it was writing one.
class Outcome {
public:
  Outcome(WasiContext &wasi, std::optional<Deadline> &deadline, const std::string &timeoutText)
      : wasi_(wasi), deadline_(deadline), timeoutText_(timeoutText) {}

  int failed(const Error &e) {
    if (e.exitStatus())
      return finish(*e.exitStatus());
    if (e.trapCode() == TrapCode::Interrupted && timedOut())
      printError(
          Error::trap(TrapCode::Interrupted,
                      e.message() + ": the guest ran longer than -W timeout=" + timeoutText_));
    else
      printError(e);
    // A trap is 134, as in Wasmtime; a module that cannot be linked or instantiated (a resource
    // limit) is an ordinary failure.
    bool plainFailure = e.kind() == ErrorKind::Unlinkable || e.kind() == ErrorKind::Io ||
                        (e.kind() == ErrorKind::Uninstantiable && !e.trapCode());
    return finish(plainFailure ? 1 : 134);
  }

  // A guest stopped where nothing polls any more (a kernel stopped, then a plain return) still
  // ran out of time.
  int succeeded() {
    if (timedOut())
      return failed(Error::trap(TrapCode::Interrupted, trapCodeMessage(TrapCode::Interrupted)));
    return finish(0);
  }

private:
  bool timedOut() { return deadline_ && deadline_->fired(); }
  int finish(int status) {
    if (wasi_.finishThreads(std::chrono::milliseconds(50)) != 0) {
      std::fflush(stdout);
      std::fflush(stderr);
      _exit(status);
    }
    std::fflush(stdout);
    std::fflush(stderr);
    std::quick_exit(status);
  }

  WasiContext &wasi_;
  std::optional<Deadline> &deadline_;
  const std::string &timeoutText_;
};

// --invoke NAME ARGS...: calls `_initialize` when exported, then NAME with ARGS parsed by its
// parameter types, and prints the results, one per line.
int invokeExport(Instance &instance, const std::string &name, const std::vector<std::string> &args,
                 Outcome &outcome) {
  if (auto init = instance.getFunc("_initialize")) {
    auto r = init->call({});
    if (!r)
      return outcome.failed(r.error());
  }
  auto func = instance.getFunc(name);
  if (!func) {
    std::fprintf(stderr, "parawasm: error: module has no exported function '%s'\n", name.c_str());
    return 1;
  }
  const FuncType &type = func->type();
  if (args.size() != type.params.size())
    return usageError("'" + name + "' takes " + std::to_string(type.params.size()) + " arguments " +
                      type.toString() + ", got " + std::to_string(args.size()));
  std::vector<Val> callArgs;
  for (size_t k = 0; k < args.size(); ++k) {
    auto v = parseValue(type.params[k], args[k]);
    if (!v)
      return usageError("argument " + std::to_string(k + 1) + " ('" + args[k] +
                        "') is not a valid " + valTypeName(type.params[k]));
    callArgs.push_back(*v);
  }
  auto results = func->call(callArgs);
  if (!results)
    return outcome.failed(results.error());
  for (const Val &v : *results)
    std::printf("%s\n", formatValue(v).c_str());
  std::fflush(stdout);
  return outcome.succeeded();
}

// A WASI command's `_start`, or else a reactor's `_initialize`.
int runEntryPoint(Instance &instance, Outcome &outcome) {
  auto start = instance.getFunc("_start");
  if (!start) {
    if (auto init = instance.getFunc("_initialize")) {
      auto r = init->call({});
      if (!r)
        return outcome.failed(r.error());
      return outcome.succeeded();
    }
    std::fprintf(stderr, "parawasm: error: module exports no '_start' (use --invoke NAME)\n");
    return 1;
  }
  auto r = start->call({});
  std::fflush(stdout);
  if (!r)
    return outcome.failed(r.error());
  return outcome.succeeded();
}

} // namespace

int runModule(RunOptions options) {
  WasiConfig &wasiConfig = options.wasi;
  if (options.inheritEnv)
    wasiConfig.env = withHostEnvironment(wasiConfig.env);
  options.engine.consumeFuel = options.fuel.has_value();
  if (options.host.device == "cluster") {
    // Every rank of the MPI job runs this command: rank 0 runs the guest, the others serve.
    auto role = cluster::join();
    if (!role) {
      printError(role.error());
      return 2;
    }
    if (role->rank != 0)
      return cluster::serveWorker(options.engine, options.host.threads, options.host.verbose);
    if (auto offered = cluster::offerDevice(options.host.threads, options.host.verbose); !offered) {
      printError(offered.error());
      return 2;
    }
    std::atexit(cluster::leave);
    std::at_quick_exit(cluster::leave);
  }
  Engine engine(options.engine);
  auto module = Module::fromFile(engine, options.file,
                                 options.allowPrecompiled ? Module::Precompiled::Allow
                                                          : Module::Precompiled::Refuse);
  if (!module) {
    printError(module.error());
    return 1;
  }
  if (options.host.verbose)
    reportLoad(options.file, *module);
  wasiConfig.args.push_back(options.file);
  if (!options.invoke)
    wasiConfig.args.insert(wasiConfig.args.end(), options.programArgs.begin(),
                           options.programArgs.end());
  // A trap or proc_exit in a wasi-threads thread ends the program, as in Wasmtime.
  wasiConfig.onThreadEnd = [](const Error &e) {
    std::fflush(stdout);
    if (!e.exitStatus())
      printError(e);
    std::fflush(stderr);
    _exit(e.exitStatus().value_or(1));
  };
  auto wasi = WasiContext::create(wasiConfig);
  if (!wasi) {
    printError(wasi.error());
    // Only a malformed --tcplisten address is a usage error here: the CLI's arguments and
    // environment hold no NUL byte.
    return wasi.error().kind() == ErrorKind::Usage ? 2 : 1;
  }
  Linker linker(engine);
  linker.setLimiter(std::make_shared<ResourceLimiter>(options.limits));
  if (options.fuel)
    linker.setFuel(*options.fuel);
  addWasiToLinker(linker, *wasi);
  auto linked = addHostModules(linker, options.host);
  if (linked && wasiConfig.threads)
    linked = defineImportedSharedMemories(linker, *module);
  if (!linked) {
    printError(linked.error());
    return 1;
  }
  // From here on the guest runs (its start function included): the deadline starts now.
  std::optional<Deadline> deadline;
  if (options.timeout)
    deadline.emplace(linker.interruptHandle(), *options.timeout);
  Outcome outcome(**wasi, deadline, options.timeoutText);
  auto instance = linker.instantiate(*module);
  if (!instance)
    return outcome.failed(instance.error());
  if (options.invoke)
    return invokeExport(*instance, *options.invoke, options.programArgs, outcome);
  return runEntryPoint(*instance, outcome);
}

} // namespace parawasm::cli
