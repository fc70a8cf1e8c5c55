// Host modules the CLI links besides WASI (wasi-parallel).
#pragma once

#include "parawasm/parawasm.h"

#include <string>

namespace parawasm::cli {

struct HostOptions {
  std::string device;    // --device
  unsigned threads = 0;  // --threads
  std::string traceFile; // --trace
  bool verbose = false;
};

Result<void> addHostModules(Linker &linker, const HostOptions &options);

} // namespace parawasm::cli
