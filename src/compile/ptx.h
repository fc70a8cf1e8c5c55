// The NVPTX back end: a wasi-parallel kernel module -> NVPTX LLVM IR -> PTX text, for the CUDA
// driver to load. The translation is the CPU's (translator.cpp and emit_*.cpp); PtxPolicy
// (ptx_policy.h) supplies the device differences, gpu_kernel.h the GPU-generic lowering (legality
// scan, per-thread globals, the grid-stride entry taking vm::GpuLaunchParams), and this file the
// NVPTX specifics: SM and PTX ISA choice, the grid's special registers, the kernel mark, fences
// for sequentially consistent atomics, the target machine and the PTX cache.
#pragma once

#include "compile/gpu_kernel.h"
#include "parawasm/parawasm.h"
#include "support/lru_cache.h"
#include "wasm/loaded_module.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace parawasm::compile {

// SM of the PTX to emit for a device of compute capability `deviceSm` (major * 10 + minor): the
// highest one LLVM knows that the device runs (PTX runs on its own and any later SM). 0 when the
// device is older than any supported one (sm_50).
int ptxTargetSm(int deviceSm);
// The lowest PTX ISA version that has `targetSm` (e.g. 70 for sm_80), so older drivers load it.
int ptxIsaVersion(int targetSm);

// PTX text for `kernelFunc` (whose type is all-i32 parameters, no results) for `smVersion`
// (a device's compute capability, major * 10 + minor; see ptxTargetSm).
Result<std::string> emitPTX(const wasm::LoadedModule &module, uint32_t kernelFunc, int smVersion);
// The NVPTX LLVM IR that emitPTX turns into PTX (after optimisation when optLevel is Full).
Result<std::string> emitPTXLLVM(const wasm::LoadedModule &module, uint32_t kernelFunc,
                                int smVersion, OptLevel optLevel);

// For tools and tests: every function of the module that a GPU can run, as device functions
// (PTX .func, no entry), in PTX or in LLVM IR. `skipped` receives one line per function left out
// and why.
Result<std::string> emitPTXFunctions(const wasm::LoadedModule &module, int smVersion,
                                     OptLevel optLevel, bool llvmIR,
                                     std::vector<std::string> *skipped);

// PTX of kernels already compiled, by module hash, kernel function and target SM, so a kernel
// run many times is compiled once; beyond kCapacity kernels the least recently used is dropped
// (and compiled again if it comes back). Thread-safe.
class PtxCache {
public:
  static constexpr size_t kCapacity = 256;

  Result<std::shared_ptr<const std::string>> get(const wasm::LoadedModule &module,
                                                 uint32_t kernelFunc, int smVersion);
  size_t compiledCount() const { return compiled_; } // how many get() calls had to compile

private:
  std::mutex mutex_;
  support::LruCache<std::string, std::shared_ptr<const std::string>> entries_{kCapacity};
  size_t compiled_ = 0;
};

} // namespace parawasm::compile
