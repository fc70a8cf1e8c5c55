// WASI preview 1 (`wasi_snapshot_preview1`) for guests run by parawasm.
//
//   parawasm::WasiConfig config;
//   config.args = {"app.wasm", "--verbose"};
//   config.env = {{"HOME", "/"}};
//   config.preopens = {{"/srv/data", "/data"}};
//   auto wasi = parawasm::WasiContext::create(config);   // Io error: a preopen cannot be opened
//   parawasm::Linker linker(engine);
//   parawasm::addWasiToLinker(linker, *wasi);
//   auto instance = linker.instantiate(module);
//   auto status = instance->getFunc("_start")->call({});  // proc_exit: error().exitStatus()
//
// The guest sees nothing of the host file system except the preopened directories, and no path
// it names can lead outside them (see docs/wasi.md for the sandbox and for where the behaviour
// differs from Wasmtime's).
#pragma once

#include "parawasm/parawasm.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace parawasm {

namespace wasi {
class WasiState;
}

// A host directory made visible to the guest under `guestPath` (the name fd_prestat_dir_name
// reports and wasi-libc matches absolute paths against). An empty guestPath means hostPath.
struct WasiPreopen {
  std::string hostPath;
  std::string guestPath;
};

struct WasiConfig {
  // argv as the guest sees it; args[0] is the program name (the CLI passes the module's file).
  std::vector<std::string> args;
  // The environment, in order. Names must be non-empty and contain no '='; a name given again
  // replaces the earlier value in its place (so inherited variables can be overridden). Nothing
  // is inherited from the host unless the embedder copies it in (the CLI does for --inherit-env).
  std::vector<std::pair<std::string, std::string>> env;
  // Guest fds 3, 4, ... in this order.
  std::vector<WasiPreopen> preopens;
  // Host descriptors behind guest fds 0, 1 and 2; they are duplicated, never closed by the
  // guest. -1 gives an empty stdin (reads return end of file) or a stdout/stderr that discards.
  int stdinFd = 0;
  int stdoutFd = 1;
  int stderrFd = 2;
  // Host sockets (connected or listening) the guest may use with sock_accept/recv/send/shutdown;
  // duplicated, and numbered after the preopens.
  std::vector<int> sockets;
  // Listening IPv4 TCP sockets WasiContext::create opens, on ADDRESS:PORT each ("localhost" or a
  // numeric address; the CLI's --tcplisten, whose name its errors use), numbered after `sockets`.
  std::vector<std::string> tcpListen;
  // wasi-threads: addWasiToLinker also defines `wasi` `thread-spawn` (docs/wasi.md).
  bool threads = true;
  // Called once, on that thread, when a thread made by thread-spawn calls proc_exit (the error's
  // exitStatus() is set) or traps: the whole program must end, and the handler must not return.
  // Unset: the process ends as in Wasmtime, with the exit status, or "Error: <message>" on
  // stderr and status 1 for a trap.
  std::function<void(const Error &)> onThreadEnd;
};

// The state of one WASI guest: its arguments, environment and descriptor table. One context may
// serve several instances (they share the descriptor table); calls are thread-safe.
class WasiContext {
public:
  // Opens the preopened directories and the listening sockets and duplicates the stdio
  // descriptors. Errors: Usage for a malformed argument, environment entry or listening address,
  // Io for a preopen that cannot be opened as a directory (the message names the host path and
  // the reason) or a socket that cannot listen.
  static Result<std::shared_ptr<WasiContext>> create(const WasiConfig &config);
  ~WasiContext();
  WasiContext(const WasiContext &) = delete;
  WasiContext &operator=(const WasiContext &) = delete;

  wasi::WasiState &state() { return *state_; }
  // Waits up to `grace` for the threads made by thread-spawn to return; the number still
  // running. An embedder must not let the module or this context go while any run: the CLI ends
  // the process with _exit when the main thread returns and threads are left.
  unsigned finishThreads(std::chrono::milliseconds grace);

private:
  explicit WasiContext(std::unique_ptr<wasi::WasiState> state);
  std::unique_ptr<wasi::WasiState> state_;
};

// Defines every function of module "wasi_snapshot_preview1" on `linker`, all bound to `context`.
// proc_exit(status) ends the guest with Error::exit(status) (statuses of 126 and more trap, as in
// Wasmtime); every other call returns a WASI errno. With WasiConfig::threads it also defines
// `wasi` `thread-spawn(start_arg: i32) -> i32` (wasi-threads; a negative result on failure).
void addWasiToLinker(Linker &linker, std::shared_ptr<WasiContext> context);

// The name of module `wasi_snapshot_preview1`'s functions that addWasiToLinker defines.
const std::vector<std::string> &wasiFunctionNames();

} // namespace parawasm
