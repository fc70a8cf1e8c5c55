// wasi-parallel (`wasi_ephemeral_parallel`) for guests run by parawasm: a guest hands a kernel
// module to the host, which runs it once per iteration id on a device — the calling thread, a
// pool of CPU threads, or a GPU. docs/wasi-parallel.md is the guest-visible contract;
// docs/parallel-design.md says how the host does it.
//
//   parawasm::ParallelConfig config;
//   config.threads = 8;                                        // cpu device workers
//   auto context = parawasm::ParallelContext::create(engine, config);
//   parawasm::Linker linker(engine);
//   parawasm::addWasiToLinker(linker, wasi);
//   parawasm::addWasiParallelToLinker(linker, *context);
//   auto instance = linker.instantiate(module);
//   ... run the guest ...
//   if (auto e = (*context)->lastError()) std::cerr << e->call << ": " << e->message << "\n";
//
// Kernels are compiled once per Engine and cached by their bytes; the cpu device's threads are
// created on first use and shared by every context with the same thread count.
#pragma once

#include "parawasm/parawasm.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace parawasm {

namespace parallel {
class HostContext;
}

struct ParallelConfig {
  // Force one device for every get_device hint: "sequential", "cpu", "gpu" (= "discrete_gpu"),
  // "igpu" (= "integrated_gpu"), the hint numbers "0"-"3", or the name of a device a registered
  // provider offers ("cluster", which the CLI offers under mpirun). Empty: follow the guest's
  // hints (with fallback to the best device present). A forced device the machine lacks is an
  // error.
  std::string device;
  // Threads of the cpu device (the calling thread included). 0: $PARAWASM_THREADS, else one per
  // hardware thread the process may use.
  unsigned threads = 0;
  // Write a Chrome trace-event JSON file here (every call, and each thread's share of each
  // launch) when the context is destroyed. Empty: no tracing.
  std::string traceFile;
  // Report on stderr: the device each hint resolves to, every kernel first seen, and every
  // failed call with its reason (e.g. a kernel's trap message).
  bool verbose = false;
};

// A failed wasi-parallel call, as the embedder can see it.
struct ParallelError {
  int32_t code = 0;             // the error number the guest got (docs/wasi-parallel.md)
  std::string codeName;         // "kernel_trapped", "invalid_kernel", ...
  std::string call;             // "parallel_exec", "write_buffer", ...
  std::string message;          // why: the trap message, the kernel rule broken, the bad argument
  std::optional<TrapCode> trap; // for kernel_trapped
};

struct ParallelDeviceInfo {
  int32_t kind = 0;     // the get_device hint of its kind: 0 sequential, 1 cpu, 2 discrete_gpu, ...
  std::string kindName; // "sequential", "cpu", "discrete_gpu", "integrated_gpu"
  std::string name;     // "cpu", or a GPU's product name
  std::string details;  // one line: threads, memory...
};

// The host state of wasi-parallel for the guests linked with it: devices, buffer and device
// handles, the last error. Thread-safe; may serve several instances (they share the handles).
class ParallelContext {
public:
  // Errors: Usage for an unknown or absent forced device or a malformed $PARAWASM_THREADS.
  static Result<std::shared_ptr<ParallelContext>> create(Engine &engine,
                                                         const ParallelConfig &config = {});
  ~ParallelContext();
  ParallelContext(const ParallelContext &) = delete;
  ParallelContext &operator=(const ParallelContext &) = delete;

  std::vector<ParallelDeviceInfo> devices() const;
  // The most recent failed call of any guest of this context, if any.
  std::optional<ParallelError> lastError() const;
  void clearLastError();

  parallel::HostContext &host() { return *host_; }

private:
  explicit ParallelContext(std::unique_ptr<parallel::HostContext> host);
  std::unique_ptr<parallel::HostContext> host_;
};

// Defines wasi-parallel on `linker`, bound to `context`, in all three generations
// (docs/wasi-parallel.md, "Generations"): the witx calls and the table-index parallel_for of
// module "wasi_ephemeral_parallel" (with our extensions get_device_threads and
// get_last_error), and the WIT interface's lowering from "parawasm:parallel/parallel@0.1.0". A
// module that mixes generations is refused at link time. The witx and table-index calls return an
// error code to the guest and never trap it (a kernel's trap becomes kernel_trapped); the WIT ones
// return result<_, error>.

void addWasiParallelToLinker(Linker &linker, std::shared_ptr<ParallelContext> context);
// The same with a new context made from `config` for the linker's engine.
Result<void> addWasiParallelToLinker(Linker &linker, const ParallelConfig &config);

// The devices this machine offers (what `parawasm devices` prints), in handle order.
Result<std::vector<ParallelDeviceInfo>> listParallelDevices(const ParallelConfig &config = {});

// The functions of "wasi_ephemeral_parallel": "get_device", "create_buffer", "write_buffer",
// "read_buffer", "parallel_exec", "get_device_threads", "get_last_error", "parallel_for".
const std::vector<std::string> &wasiParallelFunctionNames();

// The wasi-parallel generation a module uses ("table-index (parallel_for)", "witx
// (parallel_exec)", "WIT (parallel-exec)"), or nullopt when it imports none.
std::optional<std::string> wasiParallelGeneration(const Module &module);

} // namespace parawasm
