// GPU-generic kernel lowering, shared by every GPU back end (today NVPTX, ptx.cpp): which
// functions a GPU can run (the legality scan), the translation of a kernel and what it reaches
// with a GPU target policy, the versioning of misaligned accesses, and the kernel entry.
//
// The entry `vm::kGpuEntrySymbol` takes vm::GpuLaunchParams (vm/gpu_launch.h) then the kernel's
// buffer arguments, and runs kernel(i, num_iterations, block_size, args...) for every iteration
// id i in [first_iteration, last_iteration): thread t of the grid (t = block index * block size
// + thread index) takes i = first + t, first + t + gridSize, ... (a grid-stride loop, so any grid
// covers any count). It stops taking iterations once some thread has trapped (the trap record).
//
// Globals: each GPU thread gets a private copy of the kernel's globals, initialised from the
// module's initialisers when the thread starts (the CPU gives each worker one instance; a kernel
// must not rely on global state between iterations either way).
//
// A back end supplies a GpuTarget (below) and a TargetPolicy (how an address becomes a pointer,
// how a trap leaves: ptx_policy.h); docs/gpu.md, "Adding a GPU back end".
#pragma once

#include "parawasm/parawasm.h"
#include "wasm/loaded_module.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm {
class BranchInst;
class DataLayout;
class Function;
class IRBuilderBase;
class LLVMContext;
class Module;
class Value;
} // namespace llvm

namespace parawasm::compile {

class TargetPolicy;

// The grid coordinates a kernel entry reads (x only: launches are one-dimensional).
enum class GpuIndex { ThreadInBlock, BlockSize, BlockInGrid, GridSize };

// What one GPU back end tells the shared lowering.
class GpuTarget {
public:
  virtual ~GpuTarget() = default;
  virtual const char *triple() const = 0;
  // The address space of device memory the driver allocates (mirrors, the trap record).
  virtual unsigned globalAddressSpace() const = 0;
  // Makes `entry` a kernel the driver can launch (calling convention, annotations).
  virtual void markEntry(llvm::Function &entry) const = 0;
  // One grid coordinate of the running thread, as an i64.
  virtual llvm::Value *gridIndex(llvm::IRBuilderBase &b, GpuIndex which) const = 0;
  // Target lowering of each translated function before the entry is added (e.g. the fences
  // that make atomics sequentially consistent).
  virtual void lowerFunction(llvm::Function &) const {}
};

// A target policy's memoryAddress may return a phi of pointers; `branch`, ending one of its
// incoming blocks, is marked as taken only when the pointer along it is aligned to `bytes`, so the
// misaligned-access versioning tests the address on the other incoming edges only.
void markAlignedEdge(llvm::BranchInst &branch, unsigned bytes);

// Checks that function `kernelFunc` and everything it calls can run on a GPU. The error names
// the first thing that cannot: "kernel uses memory.grow, which a GPU cannot run".
Result<void> checkGpuKernel(const wasm::LoadedModule &module, uint32_t kernelFunc);

// checkGpuKernel for a function of a whole program run as a table-index worker: its globals on a
// GPU would be the module's initial values, not the caller's, so a worker that reaches a mutable
// global (the C stack pointer, say) is refused rather than run with the wrong values.
Result<void> checkGpuWorker(const wasm::LoadedModule &module, uint32_t workerFunc);

// The kernel `kernelFunc` and what it reaches, translated with `policy`, lowered for `target`,
// with the entry, in `context`, laid out with `layout`; not yet optimised.
Result<std::unique_ptr<llvm::Module>>
buildGpuKernelModule(llvm::LLVMContext &context, const wasm::LoadedModule &module,
                     uint32_t kernelFunc, const GpuTarget &target, TargetPolicy &policy,
                     const llvm::DataLayout &layout);

// What a GPU module needs after optimisation and before code generation: its canonical NaNs
// placed (canonical_nan.h) and its access tests expanded (gpu_check_versioning.h).
void finishGpuModule(llvm::Module &m);

// Every function of the module that a GPU can run, as device functions (no entry), for tools
// and tests; `skipped` receives one line per function left out and why.
Result<std::unique_ptr<llvm::Module>>
buildGpuFunctionsModule(llvm::LLVMContext &context, const wasm::LoadedModule &module,
                        const GpuTarget &target, TargetPolicy &policy,
                        const llvm::DataLayout &layout, std::vector<std::string> *skipped);

} // namespace parawasm::compile
