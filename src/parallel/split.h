// Splitting one launch's iterations between several devices (the GPUs of a machine, the ranks of
// a cluster): the one split rule both use, so that a call gives the same parts wherever it runs.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace parawasm::parallel {

struct IterationRange {
  uint32_t first = 0;
  uint32_t last = 0; // one past the part's last iteration; first == last: an empty part
  uint32_t size() const { return last - first; }
  bool operator==(const IterationRange &) const = default;
};

// [first, last) cut into weights.size() consecutive parts, part k about weights[k] / sum of the
// weights of the whole (a device's concurrency, say): every iteration lies in exactly one part,
// parts come in order, and a part's size is within one iteration of its exact share. Weight 0
// gets an empty part; all weights 0 count as equal weights. No weights: no parts.
std::vector<IterationRange> splitIterations(uint32_t first, uint32_t last,
                                            std::span<const uint64_t> weights);

} // namespace parawasm::parallel
