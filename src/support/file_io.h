// Whole-file reads and writes with error values.
#pragma once

#include "parawasm/types.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace parawasm::support {

Result<std::vector<uint8_t>> readFile(const std::string &path);
enum class Parents { Create, MustExist };
// Writes atomically (temporary file + rename), creating parent directories unless told not to
// (a user's output file never makes directories appear: caches do, traces do not).
Result<void> writeFileAtomic(const std::string &path, std::span<const uint8_t> data,
                             Parents parents = Parents::Create);
// Whether `path` can be written as writeFileAtomic(..., Parents::MustExist) will: its directory
// exists and is writable, and the path is not a directory. Creates nothing.
Result<void> checkWritableFile(const std::string &path);

} // namespace parawasm::support
