// Embedding parawasm in a C++ program (docs/embedding.md): runs a WASI guest with wasi-parallel,
// calls an export with arguments, and handles a trap.
//
//   embed_host GUEST.wasm [GUEST_ARGS...]      e.g. embed_host vector_add.wasm 1
//
// Built against an installed parawasm, with CMake (CMakeLists.txt) or pkg-config (Makefile).
#include <parawasm/parallel.h>
#include <parawasm/parawasm.h>
#include <parawasm/wasi.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace {

// A module of our own, given as text: an export that takes arguments and one that can trap.
constexpr const char *kMath = R"((module
  (import "host" "scale" (func $scale (param i32) (result i32)))
  (func (export "div") (param i32 i32) (result i32)
    (i32.div_s (call $scale (local.get 0)) (local.get 1))))
)";

int fail(const char *what, const parawasm::Error &error) {
  std::cerr << what << ": " << parawasm::errorKindName(error.kind()) << ": " << error.message()
            << "\n";
  return 1;
}

// Runs the guest's _start with WASI (its arguments, our stdio) and wasi-parallel; returns the
// guest's exit status.
int runGuest(parawasm::Engine &engine, const std::vector<std::string> &args) {
  auto module = parawasm::Module::fromFile(engine, args[0]);
  if (!module)
    return fail("load", module.error());

  parawasm::WasiConfig wasiConfig;
  wasiConfig.args = args;
  auto wasi = parawasm::WasiContext::create(wasiConfig);
  if (!wasi)
    return fail("wasi", wasi.error());
  auto parallel = parawasm::ParallelContext::create(engine);
  if (!parallel)
    return fail("wasi-parallel", parallel.error());
  // The guest's device hints choose among these (a GPU where the CUDA driver finds one).
  std::cout << "wasi-parallel devices:";
  for (const parawasm::ParallelDeviceInfo &device : (*parallel)->devices())
    std::cout << " " << device.kindName;
  std::cout << "\n";

  parawasm::Linker linker(engine);
  parawasm::addWasiToLinker(linker, *wasi);
  parawasm::addWasiParallelToLinker(linker, *parallel);
  auto instance = linker.instantiate(*module);
  if (!instance)
    return fail("instantiate", instance.error());

  auto start = instance->getFunc("_start");
  if (!start) {
    std::cerr << "the guest exports no _start\n";
    return 1;
  }
  // The guest writes to file descriptor 1 itself: what we printed must be out first.
  std::cout << std::flush;
  auto result = start->call({});
  int status = 0;
  if (!result) {
    if (!result.error().exitStatus())
      return fail("guest", result.error());
    status = *result.error().exitStatus();
  }
  if (auto error = (*parallel)->lastError())
    std::cout << "last wasi-parallel error: " << error->call << ": " << error->message << "\n";
  std::cout << "guest exited with status " << status << "\n";
  return status;
}

// Calls div(a, b) of kMath, whose import host.scale is a host function; a trap is an Error of
// kind Trap with its TrapCode and the spec's message.
int callExports(parawasm::Engine &engine) {
  auto module = parawasm::Module::fromText(engine, kMath, "math.wat");
  if (!module)
    return fail("compile", module.error());
  parawasm::Linker linker(engine);
  using parawasm::ValType;
  linker.defineFunction("host", "scale", {{ValType::I32}, {ValType::I32}},
                        [](parawasm::Caller &, std::span<const parawasm::Val> args,
                           std::span<parawasm::Val> results) {
                          results[0] = parawasm::Val::makeI32(args[0].of.i32 * 10);
                          return parawasm::HostStatus::ok();
                        });
  auto instance = linker.instantiate(*module);
  if (!instance)
    return fail("instantiate", instance.error());
  auto div = instance->getFunc("div");
  std::cout << "div: " << div->type().toString() << "\n";

  for (auto [a, b] : {std::pair{7, 2}, std::pair{1, 0}}) {
    parawasm::Val args[] = {parawasm::Val::makeI32(a), parawasm::Val::makeI32(b)};
    auto result = div->call(args);
    if (result) {
      std::cout << "div(" << a << ", " << b << ") = " << (*result)[0].of.i32 << "\n";
    } else if (auto code = result.error().trapCode()) {
      std::cout << "div(" << a << ", " << b << ") trapped: " << result.error().message() << " ("
                << parawasm::trapCodeName(*code) << ")\n";
    } else {
      return fail("div", result.error());
    }
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " GUEST.wasm [GUEST_ARGS...]\n";
    return 2;
  }
  std::cout << "parawasm " << parawasm::version() << "\n";
  parawasm::EngineConfig config;
  config.useCache = false; // no files written under ~/.cache for a demonstration
  parawasm::Engine engine(config);
  if (int status = runGuest(engine, std::vector<std::string>(argv + 1, argv + argc)))
    return status;
  return callExports(engine);
}
