// Runs a (bounded) module in parawasm the way the fuzz targets do: every import is served by a
// stub (functions return zeros; memories, tables and globals are created to the import's type),
// then every exported function is called with arguments drawn from `seed`.
#pragma once

#include "parawasm/parawasm.h"

#include <span>
#include <string>
#include <vector>

namespace parawasm::fuzz {

struct CallOutcome {
  std::string name;
  bool trapped = false;
  bool exhausted = false; // the trap was call stack exhaustion (depths differ between engines)
  std::vector<Val> results;
};

struct RunOutcome {
  bool compiled = false, instantiated = false;
  std::string error; // why compiling or instantiating failed, or the start function's trap
  std::vector<CallOutcome> calls;
};

// The engine every input runs in: fast tier, no disk cache, compiled on the calling thread.
Engine &fuzzEngine();
// Arguments for `type`: small and boundary values chosen by `seed`, the same in every engine.
std::vector<Val> fuzzArgs(const FuncType &type, uint64_t seed);
uint64_t inputSeed(std::span<const uint8_t> bytes);
RunOutcome runInParawasm(std::span<const uint8_t> bytes, uint64_t seed);

} // namespace parawasm::fuzz
