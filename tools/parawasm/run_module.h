// What `parawasm run` does once its options are read (run.cpp): compile, link WASI and the other
// host modules, instantiate, call the entry point, and turn the outcome into an exit status.
#pragma once

#include "host_modules.h"

#include "parawasm/parawasm.h"
#include "parawasm/wasi.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace parawasm::cli {

struct RunOptions {
  EngineConfig engine;
  WasiConfig wasi;
  HostOptions host;
  ResourceLimits limits;
  std::string file;
  std::vector<std::string> programArgs; // after FILE: argv, or --invoke's arguments
  std::optional<std::string> invoke;
  bool inheritEnv = false;
  bool allowPrecompiled = false;
  std::optional<std::chrono::nanoseconds> timeout;
  std::string timeoutText; // -W timeout as given, for the message when it fires
  std::optional<uint64_t> fuel;
};

// Runs `options.file`; the process's exit status (or does not return: see runModule's comment
// on wasi-threads in run_module.cpp).
int runModule(RunOptions options);

} // namespace parawasm::cli
