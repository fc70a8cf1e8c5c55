// Runs parsed spec-format scripts against the public API: `parawasm wast`, and the wast fuzz target
// (tests/fuzz), which rewrites each module before it is compiled.
#pragma once

#include "parawasm/parawasm.h"
#include "wasm/wast_script.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace parawasm::cli {

struct WastCounts {
  int passed = 0, failed = 0;
};

class WastRunner {
public:
  struct Options {
    bool quiet = false; // do not print failed assertions
    // Applied to each module's bytes before compiling (the fuzzer bounds execution with it).
    std::function<std::vector<uint8_t>(const std::vector<uint8_t> &)> prepareModule;
  };
  WastRunner(Engine &engine, std::string file, Options options);
  WastRunner(Engine &engine, std::string file) : WastRunner(engine, std::move(file), Options()) {}
  WastCounts run(const std::vector<wasm::WastCommand> &commands);

private:
  void fail(const wasm::WastCommand &cmd, const std::string &what);
  void pass() { ++counts_.passed; }
  void defineSpectest();
  Result<Module> compile(const wasm::WastCommand &cmd);
  std::optional<Instance> findInstance(const std::string &name);
  Result<std::vector<Val>> perform(const wasm::WastAction &action);
  void runCommand(const wasm::WastCommand &cmd);

  Engine &engine_;
  std::string file_;
  Options options_;
  Linker linker_;
  std::optional<Instance> current_;
  std::map<std::string, Instance> named_;
  WastCounts counts_;
};

} // namespace parawasm::cli
