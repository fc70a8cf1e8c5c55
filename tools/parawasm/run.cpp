// parawasm run [OPTIONS] FILE [ARGS...]
#include "cli.h"
#include "host_modules.h"
#include "option_groups.h"

#include "parawasm/parallel.h"
#include "parawasm/wasi.h"

#include <arpa/inet.h>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <netinet/in.h>
#include <set>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

extern char **environ;

namespace parawasm::cli {

namespace {

const char *kRunHelp = R"(Usage: parawasm run [OPTIONS] FILE [ARGS...]

Runs a WebAssembly module (binary .wasm or text .wat). Without --invoke, calls the WASI command
entry point `_start` (a reactor's `_initialize` runs first when present); FILE is argv[0].

Options:
  --invoke NAME          Call export NAME with ARGS parsed by its parameter types; print the
                         results on stdout, one per line
  --dir HOST[::GUEST]    Preopen host directory HOST, seen by the guest as GUEST (default HOST)
  --env NAME=VALUE       Set a guest environment variable (repeatable); --env NAME passes the
                         host's NAME, if set
  --inherit-env          Pass the host's whole environment to the guest
  --tcplisten ADDR:PORT  Listen on a TCP socket and hand it to the guest (sock_accept); its
                         descriptor follows the preopened directories
  --device KIND          wasi-parallel: force the device (sequential, cpu, gpu)
  --threads N            wasi-parallel: worker threads of the cpu device
  --trace FILE           wasi-parallel: write a Chrome trace-event file (its directory must
                         exist and be writable)
  -S threads[=y|n]       wasi-threads: define `wasi` `thread-spawn` (default y); when the main
                         thread returns, threads still running end with the process
  --verbose              Print diagnostics (trap details, compile times) on stderr
  --no-cache             Do not use the compiled-code cache
  --allow-precompiled    Accept a precompiled module (parawasm compile -o): its native code
                         runs as it is, so only run files you made
  --cache-dir DIR        Cache directory (default $PARAWASM_CACHE_DIR or ~/.cache/parawasm)
  -O0 | -O2              Optimisation level (default -O2)

Options that take one value (--invoke, --device, --threads, --trace, --cache-dir, -O) may be
given once. Wasmtime's option groups, KEY[=VALUE] separated by commas:
)";

// A listening IPv4 TCP socket on HOST:PORT ("localhost" and numeric addresses), or an error.
Result<int> listenTcp(const std::string &spec) {
  size_t colon = spec.rfind(':');
  if (colon == std::string::npos)
    return Error(ErrorKind::Usage, "--tcplisten needs ADDRESS:PORT, got '" + spec + "'");
  std::string host = spec.substr(0, colon), port = spec.substr(colon + 1);
  if (host == "localhost")
    host = "127.0.0.1";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  char *end = nullptr;
  long p = std::strtol(port.c_str(), &end, 10);
  if (port.empty() || *end || p < 0 || p > 65535 ||
      inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1)
    return Error(ErrorKind::Usage, "--tcplisten needs an IPv4 ADDRESS:PORT, got '" + spec + "'");
  addr.sin_port = htons(uint16_t(p));
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 || listen(fd, 128) != 0) {
    std::string why = std::strerror(errno);
    if (fd >= 0)
      close(fd);
    return Error(ErrorKind::Io, "cannot listen on " + spec + ": " + why);
  }
  return fd;
}

// A duration in Wasmtime's spelling: a number and a unit (ns, us, ms, s, m, h), e.g. 10s,
// 500ms, 1.5s; a bare number is seconds.
std::optional<std::chrono::nanoseconds> parseDuration(const std::string &text) {
  char *end = nullptr;
  double n = std::strtod(text.c_str(), &end);
  if (text.empty() || end == text.c_str() || !(n >= 0) || !std::isfinite(n))
    return std::nullopt;
  static const std::pair<const char *, double> kUnits[] = {
      {"", 1e9}, {"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}};
  for (const auto &[unit, ns] : kUnits)
    if (std::strcmp(end, unit) == 0 && n * ns < 9e18)
      return std::chrono::nanoseconds(int64_t(n * ns));
  return std::nullopt;
}

// A byte count: a number with an optional K/KiB, M/MiB, G/GiB suffix (powers of 1024).
std::optional<uint64_t> parseBytes(const std::string &text) {
  char *end = nullptr;
  errno = 0;
  unsigned long long n = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || end == text.c_str() || errno || text[0] == '-')
    return std::nullopt;
  static const std::pair<const char *, unsigned> kUnits[] = {
      {"", 0}, {"K", 10}, {"KiB", 10}, {"M", 20}, {"MiB", 20}, {"G", 30}, {"GiB", 30}};
  for (const auto &[unit, shift] : kUnits)
    if (std::strcmp(end, unit) == 0 && n <= (UINT64_MAX >> shift))
      return uint64_t(n) << shift;
  return std::nullopt;
}

// Interrupts the instances of a linker when `after` has passed, unless destroyed first.
class Deadline {
public:
  Deadline(InterruptHandle handle, std::chrono::nanoseconds after)
      : thread_([this, handle, after] {
          std::unique_lock lock(mutex_);
          if (!cv_.wait_for(lock, after, [&] { return done_; })) {
            fired_ = true;
            handle.interrupt();
          }
        }) {}
  ~Deadline() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  bool fired() {
    std::lock_guard lock(mutex_);
    return fired_;
  }

private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false, fired_ = false;
  std::thread thread_; // last: starts once the members above exist
};

} // namespace

std::optional<Val> parseValue(ValType type, const std::string &text) {
  const char *begin = text.c_str();
  char *end = nullptr;
  errno = 0;
  switch (type) {
  case ValType::I32: {
    long long v = std::strtoll(begin, &end, 0);
    if (*end || end == begin || errno || v < INT32_MIN || v > UINT32_MAX)
      return std::nullopt;
    return Val::makeI32(int32_t(uint32_t(v)));
  }
  case ValType::I64: {
    if (text[0] != '-') {
      unsigned long long u = std::strtoull(begin, &end, 0);
      if (*end || end == begin || errno)
        return std::nullopt;
      return Val::makeI64(int64_t(u));
    }
    long long v = std::strtoll(begin, &end, 0);
    if (*end || end == begin || errno)
      return std::nullopt;
    return Val::makeI64(v);
  }
  case ValType::F32: {
    float v = std::strtof(begin, &end);
    if (*end || end == begin)
      return std::nullopt;
    return Val::makeF32(v);
  }
  case ValType::F64: {
    double v = std::strtod(begin, &end);
    if (*end || end == begin)
      return std::nullopt;
    return Val::makeF64(v);
  }
  default:
    return std::nullopt;
  }
}

std::string formatValue(const Val &v) {
  char buf[64];
  switch (v.type) {
  case ValType::I32:
    return std::to_string(v.of.i32);
  case ValType::I64:
    return std::to_string(v.of.i64);
  case ValType::F32:
  case ValType::F64: {
    double d = v.type == ValType::F32 ? double(v.of.f32) : v.of.f64;
    if (std::isnan(d))
      return "NaN";
    if (std::isinf(d))
      return d < 0 ? "-inf" : "inf";
    auto r = v.type == ValType::F32 ? std::to_chars(buf, buf + sizeof buf, v.of.f32)
                                    : std::to_chars(buf, buf + sizeof buf, v.of.f64);
    return std::string(buf, r.ptr);
  }
  case ValType::V128: {
    std::string s = "0x";
    for (int i = 15; i >= 0; --i) {
      snprintf(buf, sizeof buf, "%02x", v.of.v128.bytes[i]);
      s += buf;
    }
    return s;
  }
  case ValType::FuncRef:
  case ValType::ExternRef:
    return v.of.ref ? "ref" : "null";
  }
  return "?";
}

int runCommand(std::vector<std::string> args) {
  EngineConfig engineConfig;
  WasiConfig wasiConfig;
  HostOptions hostOptions;
  std::optional<std::string> invoke;
  bool inheritEnv = false;
  bool allowPrecompiled = false;
  std::vector<std::string> listenSpecs;
  std::optional<std::chrono::nanoseconds> timeout;
  std::string timeoutText;
  std::optional<uint64_t> fuel;
  ResourceLimits limits;
  auto bytesKey = [](uint64_t &field, uint64_t most) {
    return [&field, most](const std::string &v, bool) {
      auto n = parseBytes(v);
      if (!n || *n > most)
        return "'" + v + "' is not a byte count up to " + std::to_string(most) +
               " (a number, optionally with K, M or G)";
      field = *n;
      return std::string();
    };
  };
  auto countKey = [](uint32_t &field) {
    return [&field](const std::string &v, bool) {
      auto n = parseBytes(v);
      if (!n || *n > UINT32_MAX)
        return "'" + v + "' is not a count up to " + std::to_string(UINT32_MAX);
      field = uint32_t(*n);
      return std::string();
    };
  };
  // Wasmtime's -S (WASI) and -W (features and limits) groups: one row per key.
  const GroupKey wasiKeys[] = {
      {"inherit-env", nullptr, "Same as --inherit-env",
       [&](const std::string &, bool on) {
         inheritEnv = on;
         return std::string();
       }},
      {"tcplisten", "ADDR:PORT", "Same as --tcplisten ADDR:PORT",
       [&](const std::string &v, bool) {
         listenSpecs.push_back(v);
         return std::string();
       }},
      {"threads", nullptr, "wasi-threads: define `wasi` `thread-spawn` (default y)",
       [&](const std::string &, bool on) {
         wasiConfig.threads = on;
         return std::string();
       }},
  };
  auto alwaysOn = [](const std::string &, bool on) {
    return on ? std::string() : std::string("parawasm cannot turn this feature off");
  };
  const GroupKey wasmKeys[] = {
      {"threads", nullptr, "Threads and atomics (always on)", alwaysOn},
      {"simd", nullptr, "128-bit SIMD (always on)", alwaysOn},
      {"bulk-memory", nullptr, "Bulk memory operations (always on)", alwaysOn},
      {"multi-value", nullptr, "Multiple results (always on)", alwaysOn},
      {"reference-types", nullptr, "Reference types (always on)", alwaysOn},
      {"timeout", "DURATION",
       "Interrupt the guest after DURATION (10s, 500ms): trap `interrupt`, exit status 134",
       [&](const std::string &v, bool) {
         timeout = parseDuration(v);
         timeoutText = v;
         return timeout ? std::string()
                        : "'" + v + "' is not a duration (a number and ns, us, ms, s, m or h)";
       }},
      {"epoch-interruption", nullptr,
       "Let -W timeout stop running code (default y; n: only waits and host calls)",
       [&](const std::string &, bool on) {
         engineConfig.interruptible = on;
         return std::string();
       }},
      {"fuel", "N",
       "Give the guest N units of fuel (about one per Wasm instruction); trap when it runs out",
       [&](const std::string &v, bool) {
         auto n = parseBytes(v);
         if (!n || *n > uint64_t(INT64_MAX))
           return "'" + v + "' is not a fuel amount";
         fuel = *n;
         return std::string();
       }},
      {"max-memory-size", "BYTES",
       "Largest linear memory (default 4G); memory.grow past it returns -1",
       bytesKey(limits.maxMemoryBytes, uint64_t(4) << 30)},
      {"max-table-elements", "N", "Largest table (default 10000000); table.grow past it fails",
       countKey(limits.maxTableElements)},
      {"max-instances", "N", "Most instances alive at once (default 10000)",
       countKey(limits.maxInstances)},
      {"max-parallel-buffers", "N", "wasi-parallel: most buffers alive at once (default 65536)",
       countKey(limits.maxParallelBuffers)},
      {"parallel-check-buffers", nullptr,
       "wasi-parallel: CPU kernels trap (kernel_trapped) on an access outside the exec's "
       "buffers (default n; slower)",
       [&](const std::string &, bool on) {
         engineConfig.checkKernelBuffers = on;
         return std::string();
       }},
      {"max-kernel-size", "BYTES", "wasi-parallel: largest kernel module (default 16M)",
       bytesKey(limits.maxKernelBytes, UINT32_MAX)},
  };
  std::set<std::string> given; // single-valued options seen so far
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string &a = args[i];
    if (a.empty() || a[0] != '-')
      break;
    std::string optionName =
        a.rfind("-O", 0) == 0 || a.rfind("--opt-level", 0) == 0 ? "-O" : a.substr(0, a.find('='));
    static const std::set<std::string> kSingleValued = {"--invoke", "--device",    "--threads",
                                                        "--trace",  "--cache-dir", "-O"};
    if (kSingleValued.count(optionName) && !given.insert(optionName).second)
      return usageError(optionName + " was given twice; it takes one value");
    auto value = [&](const char *flag) -> std::optional<std::string> {
      std::string prefix = std::string(flag) + "=";
      if (a.rfind(prefix, 0) == 0)
        return a.substr(prefix.size());
      if (i + 1 < args.size())
        return args[++i];
      return std::nullopt;
    };
    auto is = [&](const char *flag) {
      return a == flag || a.rfind(std::string(flag) + "=", 0) == 0;
    };
    std::string error;
    if (a == "--help" || a == "-h") {
      std::fputs(kRunHelp, stdout);
      std::fputs(optionGroupHelp("-S", wasiKeys).c_str(), stdout);
      std::fputs(optionGroupHelp("-W", wasmKeys).c_str(), stdout);
      return 0;
    } else if (a.rfind("-S", 0) == 0 || a.rfind("-W", 0) == 0 || a == "--wasi" || a == "--wasm") {
      bool wasi = a[1] == 'S' || a == "--wasi";
      std::string text = a.size() > 2 && a[1] != '-' ? a.substr(2) : "";
      if (text.empty() && i + 1 < args.size())
        text = args[++i];
      error =
          wasi ? parseOptionGroup("-S", text, wasiKeys) : parseOptionGroup("-W", text, wasmKeys);
      if (!error.empty())
        return usageError(error);
    } else if (parseEngineFlag(args, i, engineConfig, error)) {
      if (!error.empty())
        return usageError(error);
    } else if (is("--invoke")) {
      invoke = value("--invoke");
      if (!invoke)
        return usageError("--invoke needs a function name");
    } else if (is("--dir")) {
      auto v = value("--dir");
      if (!v)
        return usageError("--dir needs a directory");
      size_t sep = v->find("::");
      if (sep == std::string::npos)
        wasiConfig.preopens.push_back({*v, *v});
      else
        wasiConfig.preopens.push_back({v->substr(0, sep), v->substr(sep + 2)});
    } else if (is("--env")) {
      auto v = value("--env");
      if (!v || v->empty() || (*v)[0] == '=')
        return usageError("--env needs NAME=VALUE or NAME, got '" + v.value_or("") + "'");
      size_t eq = v->find('=');
      if (eq != std::string::npos)
        wasiConfig.env.emplace_back(v->substr(0, eq), v->substr(eq + 1));
      else if (const char *inherited = std::getenv(v->c_str())) // NAME: the host's, if set
        wasiConfig.env.emplace_back(*v, inherited);
    } else if (is("--tcplisten")) {
      auto v = value("--tcplisten");
      if (!v)
        return usageError("--tcplisten needs ADDRESS:PORT");
      listenSpecs.push_back(*v);
    } else if (a == "--inherit-env") {
      inheritEnv = true;
    } else if (is("--device")) {
      auto v = value("--device");
      if (!v)
        return usageError("--device needs a kind");
      hostOptions.device = *v;
    } else if (is("--threads")) {
      auto v = value("--threads");
      char *end = nullptr;
      long n = v ? std::strtol(v->c_str(), &end, 10) : 0;
      if (!v || *end || n < 1 || n > 4096)
        return usageError("--threads needs a number from 1 to 4096");
      hostOptions.threads = unsigned(n);
    } else if (is("--trace")) {
      auto v = value("--trace");
      if (!v)
        return usageError("--trace needs a file name");
      hostOptions.traceFile = *v;
    } else if (a == "--allow-precompiled") {
      allowPrecompiled = true;
    } else if (a == "--verbose" || a == "-v") {
      hostOptions.verbose = true;
    } else if (a == "--") {
      ++i;
      break;
    } else {
      return usageError("unknown option '" + a + "' for 'run'");
    }
  }
  if (i >= args.size())
    return usageError("'run' needs a module file");
  std::string file = args[i++];
  std::vector<std::string> programArgs(args.begin() + i, args.end());

  if (inheritEnv) {
    std::vector<std::pair<std::string, std::string>> env;
    for (char **e = environ; *e; ++e) {
      const char *eq = std::strchr(*e, '=');
      if (eq && eq != *e)
        env.emplace_back(std::string(*e, size_t(eq - *e)), std::string(eq + 1));
    }
    env.insert(env.end(), wasiConfig.env.begin(), wasiConfig.env.end());
    wasiConfig.env = std::move(env);
  }

  engineConfig.consumeFuel = fuel.has_value();
  if (timeout && !engineConfig.interruptible)
    return usageError("-W timeout needs interruption: drop -W epoch-interruption=n");
  Engine engine(engineConfig);
  auto module = Module::fromFile(
      engine, file, allowPrecompiled ? Module::Precompiled::Allow : Module::Precompiled::Refuse);
  if (!module) {
    printError(module.error());
    return 1;
  }
  if (hostOptions.verbose)
    std::fprintf(stderr, "parawasm: %s %s in %.1f ms\n", file.c_str(),
                 module->fromPrecompiled() ? "loaded precompiled"
                 : module->fromCache()     ? "loaded from the code cache"
                                           : "compiled",
                 module->compileSeconds() * 1e3);
  if (hostOptions.verbose)
    if (auto generation = wasiParallelGeneration(*module))
      std::fprintf(stderr, "parawasm: wasi-parallel generation: %s\n", generation->c_str());
  wasiConfig.args.push_back(file);
  if (!invoke)
    wasiConfig.args.insert(wasiConfig.args.end(), programArgs.begin(), programArgs.end());
  std::vector<int> listeners;
  for (const std::string &spec : listenSpecs) {
    auto fd = listenTcp(spec);
    if (!fd) {
      printError(fd.error());
      return fd.error().kind() == ErrorKind::Usage ? 2 : 1;
    }
    listeners.push_back(*fd);
    wasiConfig.sockets.push_back(*fd);
  }
  // A trap or proc_exit in a wasi-threads thread ends the program, as in Wasmtime.
  wasiConfig.onThreadEnd = [](const Error &e) {
    std::fflush(stdout);
    if (!e.exitStatus())
      printError(e);
    std::fflush(stderr);
    _exit(e.exitStatus().value_or(1));
  };
  auto wasi = WasiContext::create(wasiConfig);
  for (int fd : listeners)
    close(fd); // the context holds its own duplicates
  if (!wasi) {
    printError(wasi.error());
    return 1;
  }
  Linker linker(engine);
  linker.setLimiter(std::make_shared<ResourceLimiter>(limits));
  if (fuel)
    linker.setFuel(*fuel);
  addWasiToLinker(linker, *wasi);
  auto hosts = addHostModules(linker, hostOptions);
  if (!hosts) {
    printError(hosts.error());
    return 1;
  }
  // wasi-threads programs (wasm-ld --shared-memory) import their memory, usually env.memory: as
  // in Wasmtime, a shared memory nothing else defines is made with the import's limits.
  if (wasiConfig.threads)
    for (const ImportDesc &imp : module->imports())
      if (imp.kind == ExternKind::Memory && imp.memory.shared &&
          !linker.find(imp.module, imp.name)) {
        auto memory = Memory::create(imp.memory);
        if (!memory) {
          printError(memory.error());
          return 1;
        }
        linker.define(imp.module, imp.name, *memory);
      }
  // From here on the guest runs (its start function included): the deadline starts now.
  std::optional<Deadline> deadline;
  if (timeout)
    deadline.emplace(linker.interruptHandle(), *timeout);
  auto instance = linker.instantiate(*module);
  // The main thread's end ends the program. wasi-threads threads still running (after a short
  // grace for those already returning) are not waited for: the process ends with _exit, since
  // the destructors of this scope and static ones would free the code and memory they use.
  auto finish = [&](int status) {
    if ((*wasi)->finishThreads(std::chrono::milliseconds(50)) != 0) {
      std::fflush(stdout);
      std::fflush(stderr);
      _exit(status);
    }
    return status;
  };
  auto exitWith = [&](const Error &e) {
    if (e.exitStatus())
      return finish(*e.exitStatus());
    if (e.trapCode() == TrapCode::Interrupted && deadline && deadline->fired())
      printError(
          Error::trap(TrapCode::Interrupted,
                      e.message() + ": the guest ran longer than -W timeout=" + timeoutText));
    else
      printError(e);
    // A trap is 134, as in Wasmtime; a module that cannot be linked or instantiated (a resource
    // limit) is an ordinary failure.
    bool plainFailure = e.kind() == ErrorKind::Unlinkable || e.kind() == ErrorKind::Io ||
                        (e.kind() == ErrorKind::Uninstantiable && !e.trapCode());
    return finish(plainFailure ? 1 : 134);
  };
  // A guest stopped where nothing polls any more (a kernel stopped, then a plain return) still
  // ran out of time.
  auto succeed = [&] {
    if (deadline && deadline->fired())
      return exitWith(Error::trap(TrapCode::Interrupted, trapCodeMessage(TrapCode::Interrupted)));
    return finish(0);
  };
  if (!instance)
    return exitWith(instance.error());

  if (invoke) {
    if (auto init = instance->getFunc("_initialize")) {
      auto r = init->call({});
      if (!r)
        return exitWith(r.error());
    }
    auto func = instance->getFunc(*invoke);
    if (!func) {
      std::fprintf(stderr, "parawasm: error: module has no exported function '%s'\n",
                   invoke->c_str());
      return 1;
    }
    const FuncType &type = func->type();
    if (programArgs.size() != type.params.size())
      return usageError("'" + *invoke + "' takes " + std::to_string(type.params.size()) +
                        " arguments " + type.toString() + ", got " +
                        std::to_string(programArgs.size()));
    std::vector<Val> callArgs;
    for (size_t k = 0; k < programArgs.size(); ++k) {
      auto v = parseValue(type.params[k], programArgs[k]);
      if (!v)
        return usageError("argument " + std::to_string(k + 1) + " ('" + programArgs[k] +
                          "') is not a valid " + valTypeName(type.params[k]));
      callArgs.push_back(*v);
    }
    auto results = func->call(callArgs);
    if (!results)
      return exitWith(results.error());
    for (const Val &v : *results)
      std::printf("%s\n", formatValue(v).c_str());
    std::fflush(stdout);
    return succeed();
  }
  auto start = instance->getFunc("_start");
  if (!start) {
    if (auto init = instance->getFunc("_initialize")) {
      auto r = init->call({});
      if (!r)
        return exitWith(r.error());
      return succeed();
    }
    std::fprintf(stderr, "parawasm: error: module exports no '_start' (use --invoke NAME)\n");
    return 1;
  }
  auto r = start->call({});
  std::fflush(stdout);
  if (!r)
    return exitWith(r.error());
  return succeed();
}

} // namespace parawasm::cli
