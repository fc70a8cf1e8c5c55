// The write-merge: how a device that runs one launch in several copies of the caller's memory
// (the ranks of a cluster, several GPUs) puts the parts' results together. Each part starts from
// the same bytes; afterwards only the bytes a part changed are taken from it, so iterations that
// write disjoint bytes give the result one device would give, and a byte changed by two parts
// (iterations updating shared data, e.g. atomic counters) is found and reported.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace parawasm::parallel {

// Changed bytes: [offset, offset + length) relative to the merged region.
struct ChangedRun {
  uint64_t offset = 0, length = 0;
};

// The runs where `after` differs from `before` (same size), with gaps shorter than a few words
// merged into one run (a run costs 16 bytes where it travels); their bytes from `after` into
// `changed` and from `before` into `previous`, one run after another.
void diffRuns(std::span<const uint8_t> before, std::span<const uint8_t> after,
              std::vector<ChangedRun> &runs, std::vector<uint8_t> &changed,
              std::vector<uint8_t> &previous);

// Merges a part's runs into `target`, given their bytes as the part found them (`previous`: the
// region as it was when the launch began) and left them (`changed`): only bytes the part changed
// are written, so bytes a run merely spans keep what other parts wrote. A byte that another part
// had already changed (target differs from previous) is a conflict, even to the same value
// (atomic updates of one counter from several parts each count from the same start, and two
// counts to one value look exactly like that): its offset goes to `conflict` (the first one;
// this part's value wins). Fails, writing nothing, when a run lies outside the region or the
// bytes do not add up.
std::optional<std::string> mergeRuns(std::span<uint8_t> target, std::span<const ChangedRun> runs,
                                     std::span<const uint8_t> previous,
                                     std::span<const uint8_t> changed,
                                     std::optional<uint64_t> &conflict);

// mergeRuns of a part's whole copy of the region (`part`, as large as `target`): true when a
// byte conflicts.
bool mergeCopy(std::span<uint8_t> target, std::span<const uint8_t> before,
               std::span<const uint8_t> part);

} // namespace parawasm::parallel
