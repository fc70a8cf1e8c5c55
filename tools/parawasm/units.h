// Quantities in option values, spelt as Wasmtime spells them.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace parawasm::cli {

// A duration: a number and a unit (ns, us, ms, s, m, h), e.g. 10s, 500ms, 1.5s; a bare number is
// seconds.
std::optional<std::chrono::nanoseconds> parseDuration(const std::string &text);
// A byte count: a number with an optional K/KiB, M/MiB, G/GiB suffix (powers of 1024).
std::optional<uint64_t> parseBytes(const std::string &text);

} // namespace parawasm::cli
