#include "cli.h"

#include <cstdio>
#include <cstring>
#include <malloc.h>

namespace parawasm::cli {

int usageError(const std::string &message) {
  std::fprintf(stderr, "parawasm: error: %s\nRun 'parawasm --help' for usage.\n", message.c_str());
  return 2;
}

void printError(const Error &error) {
  const char *what = "error";
  switch (error.kind()) {
  case ErrorKind::Malformed:
    what = "malformed module";
    break;
  case ErrorKind::Invalid:
    what = "invalid module";
    break;
  case ErrorKind::Unlinkable:
    what = "unlinkable module";
    break;
  case ErrorKind::Uninstantiable:
    what = "instantiation failed";
    break;
  case ErrorKind::Trap:
  case ErrorKind::Exhaustion:
    what = "wasm trap";
    break;
  case ErrorKind::Io:
    what = "i/o";
    break;
  case ErrorKind::Usage:
    what = "usage";
    break;
  case ErrorKind::Unsupported:
    what = "not supported";
    break;
  case ErrorKind::Internal:
    what = "internal error";
    break;
  }
  std::fprintf(stderr, "parawasm: error: %s: %s\n", what, error.message().c_str());
}

bool parseEngineFlag(const std::vector<std::string> &args, size_t &i, EngineConfig &config,
                     std::string &error) {
  const std::string &a = args[i];
  if (a == "--no-cache") {
    config.useCache = false;
    return true;
  }
  if (a == "--cache-dir" || a.rfind("--cache-dir=", 0) == 0) {
    if (a == "--cache-dir") {
      if (i + 1 >= args.size()) {
        error = "--cache-dir needs a directory";
        return true;
      }
      config.cacheDir = args[++i];
    } else {
      config.cacheDir = a.substr(12);
    }
    return true;
  }
  if (a == "--profile" || a.rfind("--profile=", 0) == 0) {
    std::string strategy;
    if (a == "--profile") {
      if (i + 1 >= args.size()) {
        error = "--profile needs a strategy: perfmap";
        return true;
      }
      strategy = args[++i];
    } else {
      strategy = a.substr(10);
    }
    if (strategy != "perfmap")
      error = "unknown profiling strategy '" + strategy + "' (parawasm has perfmap)";
    config.perfMap = true;
    return true;
  }
  if (a == "-O0" || a == "--opt-level=0") {
    config.optLevel = OptLevel::Fast;
    return true;
  }
  if (a == "-O2" || a == "--opt-level=2") {
    config.optLevel = OptLevel::Full;
    return true;
  }
  return false;
}

} // namespace parawasm::cli

namespace {

const char *kHelp = R"(parawasm — a WebAssembly runtime with wasi-parallel on CPU threads and GPUs

Usage:
  parawasm run [OPTIONS] FILE [ARGS...]   Run a module (_start, or --invoke NAME)
  parawasm FILE [ARGS...]                 Same as 'run'
  parawasm wast [OPTIONS] FILE...         Run spec-format test scripts
  parawasm compile [--emit=llvm|ptx] FILE Print the code the compiler makes
  parawasm compile -o OUT FILE            Write a precompiled module (run --allow-precompiled)
  parawasm devices [--json]               List wasi-parallel devices
  parawasm --version | --help

Run 'parawasm run --help' for the options of 'run'.
)";

} // namespace

int main(int argc, char **argv) {
  using namespace parawasm::cli;
  // The heap grows 32 MiB at a time instead of 128 KiB: decoding a big module allocates tens of
  // MiB in small pieces on several threads, and each growth of a thread's arena was a system
  // call (a 1.3 MB module then loads 15 % faster). Pages are still touched only when used.
  mallopt(M_TOP_PAD, 32 << 20);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::fputs(kHelp, stderr);
    return 2;
  }
  const std::string &cmd = args[0];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::fputs(kHelp, stdout);
    return 0;
  }
  if (cmd == "--version" || cmd == "-V") {
    std::printf("parawasm %s\n", parawasm::version());
    return 0;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (cmd == "run")
    return runCommand(rest);
  if (cmd == "wast")
    return wastCommand(rest);
  if (cmd == "compile")
    return compileCommand(rest);
  if (cmd == "devices")
    return devicesCommand(rest);
  if (!cmd.empty() && cmd[0] == '-')
    return runCommand(args); // options of 'run' before FILE
  if (cmd.find('.') != std::string::npos || cmd.find('/') != std::string::npos)
    return runCommand(args);
  return usageError("unknown command '" + cmd + "'");
}
