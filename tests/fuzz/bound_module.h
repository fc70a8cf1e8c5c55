// Bounds what a fuzzed module can do when it runs, without any help from the engine: the module is
// rewritten (wabt IR) so that every function entry and loop iteration spends one unit of a fuel
// global, bulk memory and table operations spend one unit per KiB/element block, calls nest at
// most kMaxCallDepth deep (counted in functions of at most one result), and memories and tables
// get small maxima. Running out of fuel or depth is an `unreachable` trap. Both engines of the
// differential target run the same rewritten module, so they must agree on it too; the depth
// keeps wabt 1.0.32's interpreter from its own stack limits, where it aborts (`(func $f (result
// i32) (call $f))` fails an assertion in `Thread::PopValues`) instead of trapping.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace parawasm::fuzz {

inline constexpr uint32_t kFuel = 100000;       // calls + loop iterations per instance
inline constexpr uint32_t kMaxCallDepth = 100;  // nested calls (wabt's interpreter: ~1,600)
inline constexpr uint32_t kMaxMemoryPages = 16; // 1 MiB
inline constexpr uint32_t kMaxTableElements = 1000;

struct Bounded {
  bool valid = false;         // the input decoded and validated (else it is left as it is)
  bool tooLarge = false;      // a memory or table minimum above the caps: do not instantiate
  std::vector<uint8_t> bytes; // the rewritten module when valid
  bool tailCalls = false;     // it has return_call or return_call_indirect
};
Bounded boundModule(std::span<const uint8_t> bytes);

} // namespace parawasm::fuzz
