// include/parawasm/parallel.h: the context and the binding of the five calls to a Linker. Here,
// above src/parallel, the Engine becomes the KernelCompiler that wasi-parallel compiles with.
#include "parawasm/parallel.h"
#include "api/engine_state.h"
#include "parallel/device_registry.h"
#include "parallel/host_api.h"
#include "runtime/objects.h"
#include "support/try.h"

#include <new>

namespace parawasm {
namespace {

using parallel::ErrorCode;

ParallelDeviceInfo describe(const parallel::Device &d) {
  ParallelDeviceInfo info;
  info.kind = static_cast<int32_t>(d.kind());
  info.kindName = parallel::deviceKindName(d.kind());
  info.name = d.name();
  info.details = d.details();
  return info;
}

uint32_t u32(const Val &v) { return static_cast<uint32_t>(v.of.i32); }

// Host code may run out of memory; the guest gets out_of_resources, never a trap.
template <class F> HostCallback binding(std::shared_ptr<ParallelContext> ctx, F call) {
  return [ctx = std::move(ctx), call](Caller &caller, std::span<const Val> args,
                                      std::span<Val> results) {
    ErrorCode code;
    try {
      code = call(ctx->host(), caller, args);
    } catch (const std::bad_alloc &) {
      code = ErrorCode::OutOfResources;
    }
    results[0] = Val::makeI32(static_cast<int32_t>(code));
    return HostStatus::ok();
  };
}

FuncType i32s(size_t n) { return FuncType{std::vector<ValType>(n, ValType::I32), {ValType::I32}}; }
FuncType i32sNoResult(size_t n) { return FuncType{std::vector<ValType>(n, ValType::I32), {}}; }

// A WIT-generation binding: results through the guest's return pointer; a trap for what the
// canonical ABI traps on.
template <class F> HostCallback witBinding(std::shared_ptr<ParallelContext> ctx, F call) {
  return [ctx = std::move(ctx), call](Caller &caller, std::span<const Val> args, std::span<Val>) {
    try {
      return call(ctx->host(), caller, args);
    } catch (const std::bad_alloc &) {
      return HostStatus::trap("wasi-parallel: out of host memory");
    }
  };
}

} // namespace

ParallelContext::ParallelContext(std::unique_ptr<parallel::HostContext> host)
    : host_(std::move(host)) {}
ParallelContext::~ParallelContext() = default;

Result<std::shared_ptr<ParallelContext>> ParallelContext::create(Engine &engine,
                                                                 const ParallelConfig &config) {
  PW_TRY_ASSIGN(auto host, parallel::HostContext::create(engine.state(), config));
  return std::shared_ptr<ParallelContext>(new ParallelContext(std::move(host)));
}

std::vector<ParallelDeviceInfo> ParallelContext::devices() const {
  std::vector<ParallelDeviceInfo> out;
  for (const auto &d : host_->devices())
    out.push_back(describe(*d));
  return out;
}

std::optional<ParallelError> ParallelContext::lastError() const { return host_->lastError(); }
void ParallelContext::clearLastError() { host_->clearLastError(); }

void addWasiParallelToLinker(Linker &linker, std::shared_ptr<ParallelContext> context) {
  using parallel::HostContext;
  using Args = std::span<const Val>;
  const char *m = parallel::kModuleName;
  linker.defineFunction(m, "get_device", i32s(2),
                        binding(context, [](HostContext &h, Caller &c, Args a) {
                          return h.getDevice(c, a[0].of.i32, u32(a[1]));
                        }));
  linker.defineFunction(m, "create_buffer", i32s(4),
                        binding(context, [](HostContext &h, Caller &c, Args a) {
                          return h.createBuffer(c, a[0].of.i32, u32(a[1]), a[2].of.i32, u32(a[3]));
                        }));
  linker.defineFunction(m, "write_buffer", i32s(3),
                        binding(context, [](HostContext &h, Caller &c, Args a) {
                          return h.writeBuffer(c, u32(a[0]), u32(a[1]), a[2].of.i32);
                        }));
  linker.defineFunction(m, "read_buffer", i32s(3),
                        binding(context, [](HostContext &h, Caller &c, Args a) {
                          return h.readBuffer(c, a[0].of.i32, u32(a[1]), u32(a[2]));
                        }));
  linker.defineFunction(
      m, "parallel_exec", i32s(9), binding(context, [](HostContext &h, Caller &c, Args a) {
        return h.parallelExec(c, a[0].of.i32, u32(a[1]), u32(a[2]), u32(a[3]), u32(a[4]), u32(a[5]),
                              u32(a[6]), u32(a[7]), u32(a[8]));
      }));
  linker.defineFunction(m, "get_device_threads", i32s(2),
                        binding(context, [](HostContext &h, Caller &c, Args a) {
                          return h.getDeviceThreads(c, a[0].of.i32, u32(a[1]));
                        }));
  linker.defineFunction(m, "get_last_error", i32s(3),
                        binding(context, [](HostContext &h, Caller &c, Args a) {
                          return h.getLastError(c, u32(a[0]), u32(a[1]), u32(a[2]));
                        }));
  // The table-index generation. A worker's proc_exit ends the caller too.
  linker.defineFunction(m, parallel::kParallelForName, i32s(parallel::kParallelForParams),
                        [context](Caller &c, std::span<const Val> a, std::span<Val> results) {
                          std::optional<Error> unwind;
                          ErrorCode code;
                          try {
                            code = context->host().parallelFor(c, u32(a[0]), u32(a[1]), u32(a[2]),
                                                               u32(a[3]), u32(a[4]), u32(a[5]),
                                                               u32(a[6]), unwind);
                          } catch (const std::bad_alloc &) {
                            code = ErrorCode::OutOfResources;
                          }
                          if (unwind && unwind->exitStatus())
                            return HostStatus::exit(*unwind->exitStatus());
                          results[0] = Val::makeI32(static_cast<int32_t>(code));
                          return HostStatus::ok();
                        });

  // The WIT generation: canonical-ABI lowerings of wit/wasi-parallel.wit.
  const char *w = parallel::kWitModuleName;
  linker.defineFunction(w, "get-device", FuncType{{ValType::I32}, {ValType::I32}},
                        [context](Caller &c, std::span<const Val> a, std::span<Val> results) {
                          int32_t handle = 0;
                          HostStatus st = context->host().witGetDevice(c, a[0].of.i32, handle);
                          results[0] = Val::makeI32(handle);
                          return st;
                        });
  linker.defineFunction(w, "create-buffer", i32sNoResult(4),
                        witBinding(context, [](HostContext &h, Caller &c, Args a) {
                          return h.witCreateBuffer(c, a[0].of.i32, u32(a[1]), a[2].of.i32,
                                                   u32(a[3]));
                        }));
  linker.defineFunction(w, "write-buffer", i32sNoResult(4),
                        witBinding(context, [](HostContext &h, Caller &c, Args a) {
                          return h.witWriteBuffer(c, u32(a[0]), u32(a[1]), a[2].of.i32, u32(a[3]));
                        }));
  linker.defineFunction(w, "read-buffer", i32sNoResult(2),
                        witBinding(context, [](HostContext &h, Caller &c, Args a) {
                          return h.witReadBuffer(c, a[0].of.i32, u32(a[1]));
                        }));
  linker.defineFunction(w, "parallel-exec", i32sNoResult(8),
                        witBinding(context, [](HostContext &h, Caller &c, Args a) {
                          return h.witParallelExec(c, a[0].of.i32, u32(a[1]), u32(a[2]), u32(a[3]),
                                                   u32(a[4]), u32(a[5]), u32(a[6]), u32(a[7]));
                        }));

  // One module, one generation: mixed or mistyped imports are refused before linking.
  linker.addImportCheck([](const Module &module) -> std::optional<std::string> {
    auto use = parallel::generationOf(module.object()->info);
    if (use.error)
      return "wasi-parallel: " + *use.error;
    return std::nullopt;
  });
}

Result<void> addWasiParallelToLinker(Linker &linker, const ParallelConfig &config) {
  PW_TRY_ASSIGN(auto context, ParallelContext::create(linker.engine(), config));
  addWasiParallelToLinker(linker, std::move(context));
  return {};
}

Result<std::vector<ParallelDeviceInfo>> listParallelDevices(const ParallelConfig &config) {
  parallel::DeviceOptions options;
  PW_TRY_ASSIGN(options.threads, parallel::resolveThreads(config.threads));
  options.verbose = config.verbose;
  std::vector<ParallelDeviceInfo> out;
  for (const auto &d : parallel::discoverDevices(options))
    out.push_back(describe(*d));
  return out;
}

std::optional<std::string> wasiParallelGeneration(const Module &module) {
  auto use = parallel::generationOf(module.object()->info);
  if (!use.generation)
    return std::nullopt;
  return parallel::generationName(*use.generation);
}

const std::vector<std::string> &wasiParallelFunctionNames() {
  static const std::vector<std::string> names = {
      "get_device",    "create_buffer",      "write_buffer",   "read_buffer",
      "parallel_exec", "get_device_threads", "get_last_error", "parallel_for"};
  return names;
}

} // namespace parawasm
