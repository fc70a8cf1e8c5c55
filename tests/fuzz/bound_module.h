// Bounds what a fuzzed module can do when it runs, without any help from the engine: the module is
// rewritten (wabt IR) so that every function entry and loop iteration spends one unit of a fuel
// global, bulk memory and table operations spend one unit per KiB/element block, and memories and
// tables get small maxima. Running out of fuel is an `unreachable` trap. Both engines of the
// differential target run the same rewritten module, so they must agree on it too.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace parawasm::fuzz {

inline constexpr uint32_t kFuel = 100000;       // calls + loop iterations per instance
inline constexpr uint32_t kMaxMemoryPages = 16; // 1 MiB
inline constexpr uint32_t kMaxTableElements = 1000;

struct Bounded {
  bool valid = false;         // the input decoded and validated (else it is left as it is)
  bool tooLarge = false;      // a memory or table minimum above the caps: do not instantiate
  std::vector<uint8_t> bytes; // the rewritten module when valid
};
Bounded boundModule(std::span<const uint8_t> bytes);

} // namespace parawasm::fuzz
