#include "units.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace parawasm::cli {

std::optional<std::chrono::nanoseconds> parseDuration(const std::string &text) {
  char *end = nullptr;
  double n = std::strtod(text.c_str(), &end);
  if (text.empty() || end == text.c_str() || !(n >= 0) || !std::isfinite(n))
    return std::nullopt;
  static const std::pair<const char *, double> kUnits[] = {
      {"", 1e9}, {"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}};
  for (const auto &[unit, ns] : kUnits)
    if (std::strcmp(end, unit) == 0 && n * ns < 9e18)
      return std::chrono::nanoseconds(int64_t(n * ns));
  return std::nullopt;
}

std::optional<uint64_t> parseBytes(const std::string &text) {
  char *end = nullptr;
  errno = 0;
  unsigned long long n = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || end == text.c_str() || errno || text[0] == '-')
    return std::nullopt;
  static const std::pair<const char *, unsigned> kUnits[] = {
      {"", 0}, {"K", 10}, {"KiB", 10}, {"M", 20}, {"MiB", 20}, {"G", 30}, {"GiB", 30}};
  for (const auto &[unit, shift] : kUnits)
    if (std::strcmp(end, unit) == 0 && n <= (UINT64_MAX >> shift))
      return uint64_t(n) << shift;
  return std::nullopt;
}

} // namespace parawasm::cli
