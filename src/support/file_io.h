// Whole-file reads and writes with error values.
#pragma once

#include "parawasm/types.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace parawasm::support {

Result<std::vector<uint8_t>> readFile(const std::string &path);
// Writes atomically (temporary file + rename), creating parent directories.
Result<void> writeFileAtomic(const std::string &path, std::span<const uint8_t> data);

} // namespace parawasm::support
