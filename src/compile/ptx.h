// The GPU back end: a wasi-parallel kernel module -> NVPTX LLVM IR -> PTX text, for the CUDA
// driver to load. The translation is the CPU's (translator.cpp and emit_*.cpp); PtxPolicy
// (ptx_policy.h) supplies the device differences and this file adds the kernel entry.
//
// The entry `pw_gpu_kernel` runs kernel(i, num_iterations, block_size, args...) for every
// iteration id i: thread t of the grid (t = blockIdx.x * blockDim.x + threadIdx.x) takes
// i = t, t + gridSize, t + 2 * gridSize, ... while i < num_iterations (a grid-stride loop, so any
// grid covers any count). It stops taking iterations once some thread has trapped.
//
// Globals: each GPU thread gets a private copy of the kernel's globals, initialised from the
// module's initialisers when the thread starts (the CPU gives each worker one instance; a kernel
// must not rely on global state between iterations either way).
#pragma once

#include "parawasm/parawasm.h"
#include "wasm/loaded_module.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace parawasm::compile {

inline constexpr const char *kPtxEntrySymbol = "pw_gpu_kernel";

// The entry's parameters, in this order, one PTX .param each: these fields, then one u32 per
// argument of `kernel` after block_size (a buffer's guest pointer and length). cuLaunchKernel
// gets a pointer to each field and to each argument.
//
// Every access is checked against [spanStart, spanEnd) and traps outside it. Wasm accesses may
// be misaligned; the code tests each address and takes a byte-wise path when it is, so keep
// spanStart aligned (e.g. to 256 bytes) to keep guest-aligned accesses aligned on the device.
struct GpuLaunchParams {
  uint64_t memory;     // device address of the mirror; its byte 0 holds guest address spanStart
  uint64_t spanStart;  // guest address of the mirror's first byte
  uint64_t spanEnd;    // guest address one past the mirror's last byte
  uint64_t memorySize; // the caller's memory size in bytes (what memory.size reports)
  uint64_t trapRecord; // device address of a GpuTrapRecord, zeroed before the launch
  uint32_t numIterations;
  uint32_t blockSize; // as the guest passed it; the launch's block shape is the device's choice
};

// Where the first trap of a launch is recorded (4-byte aligned, in device memory).
struct GpuTrapRecord {
  uint32_t code;      // 0: no trap; else 1 + TrapCode
  uint32_t iteration; // the iteration that trapped (valid once code != 0 and the launch ended)
};
static_assert(sizeof(GpuTrapRecord) == 8);
inline constexpr unsigned kGpuLaunchParamCount = 7;

// SM of the PTX to emit for a device of compute capability `deviceSm` (major * 10 + minor): the
// highest one LLVM knows that the device runs (PTX runs on its own and any later SM). 0 when the
// device is older than any supported one (sm_50).
int ptxTargetSm(int deviceSm);
// The lowest PTX ISA version that has `targetSm` (e.g. 70 for sm_80), so older drivers load it.
int ptxIsaVersion(int targetSm);

// Checks that function `kernelFunc` and everything it calls can run on a GPU. The error names
// the first thing that cannot: "kernel uses memory.grow, which a GPU cannot run".
Result<void> checkGpuKernel(const wasm::LoadedModule &module, uint32_t kernelFunc);

// checkGpuKernel for a function of a whole program run as a table-index worker: its globals on a
// GPU would be the module's initial values, not the caller's, so a worker that reaches a mutable
// global (the C stack pointer, say) is refused rather than run with the wrong values.
Result<void> checkGpuWorker(const wasm::LoadedModule &module, uint32_t workerFunc);

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
// run many times is compiled once. With a directory, entries also persist there (keyed with the
// compiler build id). Thread-safe.
class PtxCache {
public:
  explicit PtxCache(std::string diskDir = {}) : diskDir_(std::move(diskDir)) {}
  Result<std::shared_ptr<const std::string>> get(const wasm::LoadedModule &module,
                                                 uint32_t kernelFunc, int smVersion);
  size_t compiledCount() const { return compiled_; } // how many get() calls had to compile

private:
  std::string diskDir_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> entries_;
  size_t compiled_ = 0;
};

} // namespace parawasm::compile
