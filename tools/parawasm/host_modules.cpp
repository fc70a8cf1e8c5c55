#include "host_modules.h"

#include "parawasm/parallel.h"

namespace parawasm::cli {

Result<void> addHostModules(Linker &linker, const HostOptions &options) {
  ParallelConfig config;
  config.device = options.device;
  config.threads = options.threads;
  config.traceFile = options.traceFile;
  config.verbose = options.verbose;
  return addWasiParallelToLinker(linker, config);
}

} // namespace parawasm::cli
