// What an Engine holds: configuration, the signature registry and the JIT. It is also the
// KernelCompiler through which wasi-parallel (below src/api) compiles its kernels.
#pragma once

#include "compile/compiler.h"
#include "parallel/kernel.h"
#include "runtime/objects.h"

#include <memory>
#include <mutex>

namespace parawasm::runtime {

class EngineState final : public parallel::KernelCompiler {
public:
  EngineConfig config;
  std::string cacheDir; // empty: no disk cache
  TypeRegistry types;

  Result<compile::Jit *> jit();
  compile::CompileOptions compileOptions() const;
  // With kernelFunc, also generates the wasi-parallel block driver of that function
  // (ModuleObject::kernelDriver).
  // With precompiled, links that native code (CodeObject::packedObjects) instead of compiling.
  Result<std::shared_ptr<ModuleObject>>
  compileModule(wasm::LoadedModule loaded, std::optional<uint32_t> kernelFunc = {},
                const std::vector<uint8_t> *precompiled = nullptr);
  Result<std::shared_ptr<ModuleObject>> compileKernel(wasm::LoadedModule loaded,
                                                      uint32_t kernelFunc) override {
    return compileModule(std::move(loaded), kernelFunc);
  }

private:
  std::mutex mutex_;
  std::unique_ptr<compile::Jit> jit_;
};

} // namespace parawasm::runtime
