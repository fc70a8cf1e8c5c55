// Shared pieces of the parawasm command-line tool; one file per subcommand.
#pragma once

#include "parawasm/parawasm.h"

#include <optional>
#include <string>
#include <vector>

namespace parawasm::cli {

int runCommand(std::vector<std::string> args);
int wastCommand(std::vector<std::string> args);
int compileCommand(std::vector<std::string> args);
int devicesCommand(std::vector<std::string> args);

// Prints "parawasm: error: MESSAGE" to stderr and returns the usage exit status (2).
int usageError(const std::string &message);
void printError(const Error &error);
// Parses engine flags shared by subcommands (--no-cache, --cache-dir, -O); true if consumed.
bool parseEngineFlag(const std::vector<std::string> &args, size_t &i, EngineConfig &config,
                     std::string &error);
// Parses a value of `type` from command-line text ("-1", "0x10", "1.5", "nan", "inf").
std::optional<Val> parseValue(ValType type, const std::string &text);
std::string formatValue(const Val &value);

} // namespace parawasm::cli
