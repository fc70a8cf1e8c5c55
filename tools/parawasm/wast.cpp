// parawasm wast [OPTIONS] FILE...: runs spec-format scripts and counts assertions.
#include "cli.h"

#include "support/file_io.h"
#include "wasm/wast_script.h"
#include "wast_runner.h"

#include <cstdio>

namespace parawasm::cli {

int wastCommand(std::vector<std::string> args) {
  EngineConfig config;
  config.optLevel = OptLevel::Fast;
  config.useCache = false;
  config.compileThreads = 1;
  std::vector<std::string> files;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string error;
    if (args[i] == "--help" || args[i] == "-h") {
      std::puts("Usage: parawasm wast [-O0|-O2] FILE...\n\n"
                "Runs spec-format scripts; prints each failed assertion with its line and ends\n"
                "with 'N passed, M failed'. Exit status 1 if anything failed.");
      return 0;
    }
    if (parseEngineFlag(args, i, config, error)) {
      if (!error.empty())
        return usageError(error);
    } else if (!args[i].empty() && args[i][0] == '-') {
      return usageError("unknown option '" + args[i] + "' for 'wast'");
    } else {
      files.push_back(args[i]);
    }
  }
  if (files.empty())
    return usageError("'wast' needs at least one script");
  Engine engine(config);
  WastCounts total;
  for (const std::string &file : files) {
    auto bytes = support::readFile(file);
    if (!bytes) {
      printError(bytes.error());
      ++total.failed;
      continue;
    }
    auto commands =
        wasm::parseWast({reinterpret_cast<const char *>(bytes->data()), bytes->size()}, file);
    if (!commands) {
      std::printf("%s: script does not parse: %s\n", file.c_str(),
                  commands.error().message().c_str());
      ++total.failed;
      continue;
    }
    WastRunner runner(engine, file);
    WastCounts c = runner.run(*commands);
    total.passed += c.passed;
    total.failed += c.failed;
  }
  std::printf("%d passed, %d failed\n", total.passed, total.failed);
  return total.failed ? 1 : 0;
}

} // namespace parawasm::cli
