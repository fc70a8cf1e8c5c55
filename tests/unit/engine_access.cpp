#include "engine_access.h"

#include "api/engine_state.h"

namespace parawasm::test {

parallel::KernelCompiler &kernelCompiler(Engine &engine) { return engine.state(); }

} // namespace parawasm::test
