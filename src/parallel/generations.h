// The three shapes wasi-parallel's API has had (docs/wasi-parallel.md, "Generations"), told apart
// by a module's imports. Each is a thin adapter over the same HostContext: one module, one
// generation, decided at link time.
#pragma once

#include "parallel/abi.h"
#include "vm/module_info.h"

#include <optional>
#include <string>

namespace parawasm::parallel {

enum class Generation {
  TableIndex, // parallel_for(worker, ...): the kernel is a function of the program's own table
  Witx,       // parallel_exec(device, kernel bytes, ..., in-list, out-list)
  Wit,        // parallel-exec(device, kernel: list<u8>, ..., buffers: list<buffer>)
};

const char *generationName(Generation generation);

// The core-module import name of our WIT package (wit/wasi-parallel.wit) and its functions.
inline constexpr const char *kWitModuleName = "parawasm:parallel/parallel@0.1.0";

// The table-index generation's parallel_for: (worker, num_threads, block_size, in_ptr, in_len,
// out_ptr, out_len) -> errno.
inline constexpr const char *kParallelForName = "parallel_for";
inline constexpr unsigned kParallelForParams = 7;

struct GenerationUse {
  std::optional<Generation> generation; // none when the module imports no wasi-parallel call
  std::optional<std::string> error;     // why the imports cannot be served (mixed, wrong type)
};
GenerationUse generationOf(const vm::ModuleInfo &info);

// get_device's hint as a device kind in `generation`: the table-index generation numbers its
// kinds CPU = 0, DISCRETE_GPU = 1, INTEGRATED_GPU = 2 (it has no sequential device).
std::optional<DeviceKind> hintToDeviceKind(Generation generation, int32_t hint);

} // namespace parawasm::parallel
