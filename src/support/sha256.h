// SHA-256 of a byte string, as lowercase hex: keys of the compiled-code and kernel caches.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace parawasm::support {

std::string sha256Hex(std::span<const uint8_t> data);

} // namespace parawasm::support
