#include "parallel/split.h"

#include <algorithm>
#include <numeric>

namespace parawasm::parallel {

std::vector<IterationRange> splitIterations(uint32_t first, uint32_t last,
                                            std::span<const uint64_t> weights) {
  std::vector<IterationRange> parts;
  if (weights.empty())
    return parts;
  const uint64_t count = last > first ? last - first : 0;
  // Weights are capped at 2^32 so that their sum fits 64 bits for any realistic number of parts
  // (the product below is taken in 128 bits).
  constexpr uint64_t kMaxWeight = uint64_t(1) << 32;
  std::vector<uint64_t> w(weights.begin(), weights.end());
  for (uint64_t &x : w)
    x = std::min(x, kMaxWeight);
  uint64_t total = std::accumulate(w.begin(), w.end(), uint64_t(0));
  if (total == 0) {
    std::fill(w.begin(), w.end(), 1);
    total = w.size();
  }
  // Part k ends where the running share of the weights ends: floor(count * prefix / total). The
  // cut points only grow, so parts are consecutive and cover everything.
  uint64_t prefix = 0;
  uint32_t start = first;
  for (uint64_t x : w) {
    prefix += x;
    const uint32_t end = uint32_t(first + static_cast<unsigned __int128>(count) * prefix / total);
    parts.push_back({start, end});
    start = end;
  }
  return parts;
}

} // namespace parawasm::parallel
