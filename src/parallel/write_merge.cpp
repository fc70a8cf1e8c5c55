#include "parallel/write_merge.h"

#include <algorithm>
#include <cstring>

namespace parawasm::parallel {

void diffRuns(std::span<const uint8_t> before, std::span<const uint8_t> after,
              std::vector<ChangedRun> &runs, std::vector<uint8_t> &changed,
              std::vector<uint8_t> &previous) {
  runs.clear();
  changed.clear();
  previous.clear();
  constexpr size_t kMergeGap = 16; // runs closer than this become one
  constexpr size_t kBlock = 256;   // compared with memcmp first; only differing blocks bytewise
  const size_t n = std::min(before.size(), after.size());
  for (size_t block = 0; block < n; block += kBlock) {
    const size_t end = std::min(n, block + kBlock);
    if (std::memcmp(before.data() + block, after.data() + block, end - block) == 0)
      continue;
    for (size_t i = block; i < end; ++i) {
      if (before[i] == after[i])
        continue;
      if (!runs.empty() && i - (runs.back().offset + runs.back().length) <= kMergeGap)
        runs.back().length = i + 1 - runs.back().offset;
      else
        runs.push_back({i, 1});
    }
  }
  for (const ChangedRun &run : runs) {
    changed.insert(changed.end(), after.begin() + ptrdiff_t(run.offset),
                   after.begin() + ptrdiff_t(run.offset + run.length));
    previous.insert(previous.end(), before.begin() + ptrdiff_t(run.offset),
                    before.begin() + ptrdiff_t(run.offset + run.length));
  }
}

namespace {

// One run: the part's bytes `from` over target[start, start + n). Branch-free, so that large
// regions merge at memory speed; returns whether any byte conflicts.
bool mergeBytes(uint8_t *target, const uint8_t *before, const uint8_t *from, size_t n) {
  uint8_t clash = 0;
  for (size_t i = 0; i < n; ++i) {
    const bool mine = from[i] != before[i];
    clash |= uint8_t(mine & (target[i] != before[i]));
    target[i] = mine ? from[i] : target[i];
  }
  return clash != 0;
}

} // namespace

std::optional<std::string> mergeRuns(std::span<uint8_t> target, std::span<const ChangedRun> runs,
                                     std::span<const uint8_t> previous,
                                     std::span<const uint8_t> changed,
                                     std::optional<uint64_t> &conflict) {
  uint64_t total = 0;
  for (const ChangedRun &run : runs) {
    if (run.offset > target.size() || run.length > target.size() - run.offset)
      return std::string("a changed run lies outside the region");
    total += run.length;
  }
  if (total != changed.size() || total != previous.size())
    return std::string("the changed runs and their bytes do not match");
  const uint8_t *from = changed.data(), *was = previous.data();
  for (const ChangedRun &run : runs) {
    const size_t n = size_t(run.length);
    uint8_t *t = target.data() + run.offset;
    if (!conflict)
      for (size_t i = 0; i < n; ++i) // where, for the message: before the bytes change
        if (from[i] != was[i] && t[i] != was[i]) {
          conflict = run.offset + i;
          break;
        }
    mergeBytes(t, was, from, n);
    from += n;
    was += n;
  }
  return std::nullopt;
}

bool mergeCopy(std::span<uint8_t> target, std::span<const uint8_t> before,
               std::span<const uint8_t> part) {
  const size_t n = std::min({target.size(), before.size(), part.size()});
  return mergeBytes(target.data(), before.data(), part.data(), n);
}

} // namespace parawasm::parallel
