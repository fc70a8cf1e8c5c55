// A PTX interpreter for the fake CUDA driver (fake_cuda.h): with $PW_FAKE_CUDA_EXECUTE=1 the fake
// runs the PTX parawasm loads, one thread after another, on host memory (device addresses are
// host addresses there), so a GPU test's computed values are checked on a machine without a GPU.
//
// It knows the PTX that LLVM's NVPTX back end emits for parawasm's kernels: integer, floating
// point (IEEE round-to-nearest, a GPU's canonical NaN), conversions, loads and stores in every
// state space, atomics, predicates, branches and calls of device functions. Anything else (a
// barrier, warp shuffles, approximate math, texture access) ends the launch with an error that
// names the instruction, never a guess. Every access outside the device's allocations, the
// module's variables and the thread's own frames is CUDA_ERROR_ILLEGAL_ADDRESS, as on a GPU.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pwfake {

class PtxModule;

struct PtxParse {
  std::shared_ptr<const PtxModule> module; // null on error
  std::string error;
};
[[nodiscard]] PtxParse parsePtx(const std::string &text);

[[nodiscard]] bool hasEntry(const PtxModule &module, const std::string &name);

// One allocation of device memory: [begin, begin + bytes).
struct DeviceAllocation {
  uint64_t begin, bytes;
};

struct PtxRunResult {
  int status = 0;      // a CUresult: 0, 700 (illegal address), 719 (trap), 801 (not supported)
  std::string message; // why, when status is not 0
  uint64_t issued = 0; // instructions the threads reached, predicated-off ones included
};

// The byte size of each parameter of entry `name`, in order (empty without such an entry).
[[nodiscard]] std::vector<unsigned> entryParamSizes(const PtxModule &module,
                                                    const std::string &name);

// Runs entry `name` over a grid of gridX blocks of blockX threads; params as cuLaunchKernel takes
// them (a pointer to each parameter's value, sized as the entry declares it). Accesses must lie in
// one of `allocations`, the module's variables or the thread's frames.
[[nodiscard]] PtxRunResult runPtxKernel(const PtxModule &module, const std::string &name,
                                        unsigned gridX, unsigned blockX, void **params,
                                        const std::vector<DeviceAllocation> &allocations);

} // namespace pwfake
