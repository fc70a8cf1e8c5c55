// Import matching of limits (the spec's "Limits" subtyping under Import Matching): whether a
// table or memory that is provided satisfies the limits an import declares. The one rule for
// Linker::instantiate (tables and memories) and for wasi-parallel, which matches a kernel's
// memory import against the caller's memory.
#pragma once

#include <cstdint>
#include <optional>

namespace parawasm::vm {

// Which bound of the import a provided {min, max} fails, if any.
enum class LimitsMismatch : uint8_t {
  None,
  Min, // the provided minimum (current size) is below the import's minimum
  Max, // the import declares a maximum, and the provided one is absent or above it
};

inline LimitsMismatch matchLimits(uint64_t min, std::optional<uint64_t> max, uint64_t importMin,
                                  std::optional<uint64_t> importMax) {
  if (min < importMin)
    return LimitsMismatch::Min;
  if (importMax && (!max || *max > *importMax))
    return LimitsMismatch::Max;
  return LimitsMismatch::None;
}

} // namespace parawasm::vm
