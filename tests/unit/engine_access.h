// An Engine's internals as the libraries below src/api see them, for their unit tests, which
// see only what their library sees (tests/CMakeLists.txt).
#pragma once

#include "parawasm/parawasm.h"

namespace parawasm::parallel {
class KernelCompiler;
} // namespace parawasm::parallel

namespace parawasm::test {

// The engine as the compiler of wasi-parallel's kernels (what ParallelContext::create passes on).
parallel::KernelCompiler &kernelCompiler(Engine &engine);

} // namespace parawasm::test
