// The compiler's interface: a loaded module in, native code out (CPU), or IR/PTX text for tools.
#pragma once

#include "parawasm/parawasm.h"
#include "wasm/loaded_module.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace parawasm::compile {

struct CompileOptions {
  OptLevel optLevel = OptLevel::Full;
  unsigned threads = 0; // 0: hardware threads
  bool useCache = false;
  std::string cacheDir;
  // wasi-parallel: also generate the block driver of this function (see kernelDriverSymbol).
  std::optional<uint32_t> kernelFunc;
  // Precompiled native code (CodeObject::packedObjects of an earlier compile with the same
  // codegenKey) to link instead of compiling. The caller vouches for it: it is run as it is.
  const std::vector<uint8_t> *precompiled = nullptr;
  // Keep the native code in CodeObject::packedObjects (for a precompiled file).
  bool keepObjects = false;
  // Fuel metering code at function entries and loop headers (EngineConfig::consumeFuel).
  bool consumeFuel = false;
  // With kernelFunc: checked kernel code (EngineConfig::checkKernelBuffers), every access
  // compared with the exec's buffers (vm::VMKernelContext). Part of codegenKey.
  bool checkKernelBuffers = false;
};

struct RuntimeSymbol {
  const char *name;
  void *address;
};

// Native code of one module. Lives as long as any instance or function of the module.
// Where the bodies of lazy and tiered code were linked, as they are linked (their `functions`
// entries are stubs), so that a program counter can be named. Filled by compile threads.
class LinkedBodies {
public:
  using Listener = std::function<void(uint32_t funcIndex, uintptr_t start)>;
  void add(uint32_t funcIndex, uintptr_t start) {
    std::lock_guard lock(mutex_);
    bodies_.emplace_back(funcIndex, start);
    if (listener_)
      listener_(funcIndex, start);
  }
  // Calls `listener` for every body linked so far, then for each one linked later.
  void listen(Listener listener) {
    std::lock_guard lock(mutex_);
    listener_ = std::move(listener);
    for (const auto &[funcIndex, start] : bodies_)
      listener_(funcIndex, start);
  }

private:
  std::mutex mutex_;
  std::vector<std::pair<uint32_t, uintptr_t>> bodies_;
  Listener listener_;
};

class CodeObject {
public:
  virtual ~CodeObject() = default;
  std::shared_ptr<LinkedBodies> linkedBodies; // lazy and tiered code
  std::vector<void *> functions;              // per defined function: native signature
  std::vector<void *> entryThunks;  // per type index: void(code, calleeCtx, callerCtx, Slot*)
  std::vector<void *> hostAdapters; // per type index: native signature calling pw_host_call
  // With CompileOptions::kernelFunc: void driver(void *, VMContext *ctx, void *, int32_t *io),
  // io = {first, last, numIterations, blockSize, bufferArgs...}: runs kernel(i, ...) for every
  // i in [first, last). Same shape as an entry thunk, so it runs under callGuarded.
  void *kernelDriver = nullptr;
  std::vector<uint8_t> packedObjects; // with CompileOptions::keepObjects
  bool fromCache = false;
  bool tiered = false; // lazy code (linkedBodies set) with a background -O2 compile
  double compileSeconds = 0;
};

class Jit {
public:
  // `runtime` resolves the entry points of vm/runtime_calls.def. `perfMap`: record the code it
  // links in /tmp/perf-<pid>.map (compile/perf_map.h).
  static Result<std::unique_ptr<Jit>> create(std::vector<RuntimeSymbol> runtime,
                                             bool perfMap = false);
  virtual ~Jit() = default;
  virtual Result<std::shared_ptr<CodeObject>> compile(const wasm::LoadedModule &module,
                                                      const CompileOptions &options) = 0;
};

// Tiered start-up (docs/ARCHITECTURE.md): a cold -O2 compile links fast-tier code compiled per
// function on its first call, while a background thread compiles the module at -O2, switches
// every function's stub to that code and fills the disk cache. $PARAWASM_TIERED=0 turns it off
// (eager -O2 as before); $PARAWASM_LAZY=1 keeps the fast tier without tier-up.
//
// Process-wide counters, for tests and $PARAWASM_TIER_TRACE.
struct TierCounters {
  uint64_t fastCompiles = 0;        // functions compiled at the fast tier on their first call
  uint64_t tierUpsStarted = 0;      // background -O2 compiles started
  uint64_t tierUpsFinished = 0;     // ... that switched their module's functions to -O2
  uint64_t functionsSwitched = 0;   // stubs pointed at -O2 code
  uint64_t speculativeCompiles = 0; // functions compiled at the fast tier before their first call
  uint64_t interpreted = 0;         // functions whose first calls the interpreter ran
  uint64_t interpreterRefused = 0;  // functions it could not run (compiled on first call)
  uint64_t loopEntries = 0;         // loop entries compiled for calls that looped long there
};
TierCounters tierCounters();
// Blocks until no background -O2 compile is running (tests, benchmarks).
void waitForTierUps();

// Textual LLVM IR of a module as the CPU target sees it (optimised when optLevel is Full).
Result<std::string> emitLLVMText(const wasm::LoadedModule &module, OptLevel optLevel);

// A string that changes whenever the compiler binary changes: part of every cache key.
std::string compilerBuildId();

// Everything besides the module that decides the native code: the compiler build, the options
// that change code generation and the host CPU. Code made under one key runs only under the
// same key (the disk cache and precompiled files check it).
std::string codegenKey(const CompileOptions &options);

} // namespace parawasm::compile
