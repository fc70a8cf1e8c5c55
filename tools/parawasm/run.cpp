// parawasm run [OPTIONS] FILE [ARGS...]: the options; run_module.cpp does the running.
#include "cli.h"
#include "option_groups.h"
#include "run_module.h"
#include "units.h"

#include <cstdio>
#include <cstdlib>
#include <set>

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
  --device KIND          wasi-parallel: force the device (sequential, cpu, gpu; cluster
                         under mpirun: docs/cluster.md)
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
  --profile=perfmap      Write /tmp/perf-<pid>.map, naming the compiled functions for Linux
                         perf (perf record -g parawasm run --profile=perfmap ...; perf report)

Options that take one value (--invoke, --device, --threads, --trace, --cache-dir, -O,
--profile) may be given once. Wasmtime's option groups, KEY[=VALUE] separated by commas:
)";

// A -W key that takes a byte count up to `most` into `field`.
auto bytesKey(uint64_t &field, uint64_t most) {
  return [&field, most](const std::string &v, bool) {
    auto n = parseBytes(v);
    if (!n || *n > most)
      return "'" + v + "' is not a byte count up to " + std::to_string(most) +
             " (a number, optionally with K, M or G)";
    field = *n;
    return std::string();
  };
}

// A -W key that takes a count into `field`.
auto countKey(uint32_t &field) {
  return [&field](const std::string &v, bool) {
    auto n = parseBytes(v);
    if (!n || *n > UINT32_MAX)
      return "'" + v + "' is not a count up to " + std::to_string(UINT32_MAX);
    field = uint32_t(*n);
    return std::string();
  };
}

// Wasmtime's -S group (WASI): one row per key.
std::vector<GroupKey> wasiGroup(RunOptions &options) {
  return {
      {"inherit-env", nullptr, "Same as --inherit-env",
       [&](const std::string &, bool on) {
         options.inheritEnv = on;
         return std::string();
       }},
      {"tcplisten", "ADDR:PORT", "Same as --tcplisten ADDR:PORT",
       [&](const std::string &v, bool) {
         options.wasi.tcpListen.push_back(v);
         return std::string();
       }},
      {"threads", nullptr, "wasi-threads: define `wasi` `thread-spawn` (default y)",
       [&](const std::string &, bool on) {
         options.wasi.threads = on;
         return std::string();
       }},
  };
}

// Wasmtime's -W group (features and limits): one row per key.
std::vector<GroupKey> wasmGroup(RunOptions &options) {
  auto alwaysOn = [](const std::string &, bool on) {
    return on ? std::string() : std::string("parawasm cannot turn this feature off");
  };
  return {
      {"threads", nullptr, "Threads and atomics (always on)", alwaysOn},
      {"simd", nullptr, "128-bit SIMD (always on)", alwaysOn},
      {"bulk-memory", nullptr, "Bulk memory operations (always on)", alwaysOn},
      {"multi-value", nullptr, "Multiple results (always on)", alwaysOn},
      {"reference-types", nullptr, "Reference types (always on)", alwaysOn},
      {"multi-memory", nullptr, "Several memories per module (always on)", alwaysOn},
      {"memory64", nullptr, "64-bit memories (always on)", alwaysOn},
      {"timeout", "DURATION",
       "Interrupt the guest after DURATION (10s, 500ms): trap `interrupt`, exit status 134",
       [&](const std::string &v, bool) {
         options.timeout = parseDuration(v);
         options.timeoutText = v;
         return options.timeout
                    ? std::string()
                    : "'" + v + "' is not a duration (a number and ns, us, ms, s, m or h)";
       }},
      {"epoch-interruption", nullptr,
       "Let -W timeout stop running code (default y; n: only waits and host calls)",
       [&](const std::string &, bool on) {
         options.engine.interruptible = on;
         return std::string();
       }},
      {"fuel", "N",
       "Give the guest N units of fuel (about one per Wasm instruction); trap when it runs out",
       [&](const std::string &v, bool) {
         auto n = parseBytes(v);
         if (!n || *n > uint64_t(INT64_MAX))
           return "'" + v + "' is not a fuel amount";
         options.fuel = *n;
         return std::string();
       }},
      {"max-memory-size", "BYTES",
       "Largest linear memory (default 4G); memory.grow past it returns -1",
       bytesKey(options.limits.maxMemoryBytes, uint64_t(4) << 30)},
      {"max-table-elements", "N", "Largest table (default 10000000); table.grow past it fails",
       countKey(options.limits.maxTableElements)},
      {"max-instances", "N", "Most instances alive at once (default 10000)",
       countKey(options.limits.maxInstances)},
      {"max-parallel-buffers", "N", "wasi-parallel: most buffers alive at once (default 65536)",
       countKey(options.limits.maxParallelBuffers)},
      {"parallel-check-buffers", nullptr,
       "wasi-parallel: CPU kernels trap (kernel_trapped) on an access outside the exec's "
       "buffers (default n; slower)",
       [&](const std::string &, bool on) {
         options.engine.checkKernelBuffers = on;
         return std::string();
       }},
      {"max-kernel-size", "BYTES", "wasi-parallel: largest kernel module (default 16M)",
       bytesKey(options.limits.maxKernelBytes, UINT32_MAX)},
  };
}

} // namespace

int runCommand(std::vector<std::string> args) {
  RunOptions options;
  // Wasmtime's -S (WASI) and -W (features and limits) groups.
  const std::vector<GroupKey> wasiKeys = wasiGroup(options), wasmKeys = wasmGroup(options);
  std::set<std::string> given; // single-valued options seen so far
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string &a = args[i];
    if (a.empty() || a[0] != '-')
      break;
    std::string optionName =
        a.rfind("-O", 0) == 0 || a.rfind("--opt-level", 0) == 0 ? "-O" : a.substr(0, a.find('='));
    static const std::set<std::string> kSingleValued = {
        "--invoke", "--device", "--threads", "--trace", "--cache-dir", "-O", "--profile"};
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
    } else if (parseEngineFlag(args, i, options.engine, error)) {
      if (!error.empty())
        return usageError(error);
    } else if (is("--invoke")) {
      options.invoke = value("--invoke");
      if (!options.invoke)
        return usageError("--invoke needs a function name");
    } else if (is("--dir")) {
      auto v = value("--dir");
      if (!v)
        return usageError("--dir needs a directory");
      size_t sep = v->find("::");
      if (sep == std::string::npos)
        options.wasi.preopens.push_back({*v, *v});
      else
        options.wasi.preopens.push_back({v->substr(0, sep), v->substr(sep + 2)});
    } else if (is("--env")) {
      auto v = value("--env");
      if (!v || v->empty() || (*v)[0] == '=')
        return usageError("--env needs NAME=VALUE or NAME, got '" + v.value_or("") + "'");
      size_t eq = v->find('=');
      if (eq != std::string::npos)
        options.wasi.env.emplace_back(v->substr(0, eq), v->substr(eq + 1));
      else if (const char *inherited = std::getenv(v->c_str())) // NAME: the host's, if set
        options.wasi.env.emplace_back(*v, inherited);
    } else if (is("--tcplisten")) {
      auto v = value("--tcplisten");
      if (!v)
        return usageError("--tcplisten needs ADDRESS:PORT");
      options.wasi.tcpListen.push_back(*v);
    } else if (a == "--inherit-env") {
      options.inheritEnv = true;
    } else if (is("--device")) {
      auto v = value("--device");
      if (!v)
        return usageError("--device needs a kind");
      options.host.device = *v;
    } else if (is("--threads")) {
      auto v = value("--threads");
      char *end = nullptr;
      long n = v ? std::strtol(v->c_str(), &end, 10) : 0;
      if (!v || *end || n < 1 || n > 4096)
        return usageError("--threads needs a number from 1 to 4096");
      options.host.threads = unsigned(n);
    } else if (is("--trace")) {
      auto v = value("--trace");
      if (!v)
        return usageError("--trace needs a file name");
      options.host.traceFile = *v;
    } else if (a == "--allow-precompiled") {
      options.allowPrecompiled = true;
    } else if (a == "--verbose" || a == "-v") {
      options.host.verbose = true;
    } else if (a == "--") {
      ++i;
      break;
    } else {
      return usageError("unknown option '" + a + "' for 'run'");
    }
  }
  if (i >= args.size())
    return usageError("'run' needs a module file");
  options.file = args[i++];
  options.programArgs.assign(args.begin() + i, args.end());
  if (options.timeout && !options.engine.interruptible)
    return usageError("-W timeout needs interruption: drop -W epoch-interruption=n");
  return runModule(std::move(options));
}

} // namespace parawasm::cli
