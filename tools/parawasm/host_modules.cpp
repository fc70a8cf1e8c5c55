#include "host_modules.h"

namespace parawasm::cli {

Result<void> addHostModules(Linker &, const HostOptions &) { return {}; }

} // namespace parawasm::cli
