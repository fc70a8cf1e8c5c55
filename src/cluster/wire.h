// The cluster protocol's messages (docs/cluster.md, "Protocol"), as bytes: what rank 0 sends a
// worker for its part of a launch, what the worker answers, and the write-merge that carries
// only the bytes a part changed (parallel/write_merge.h). Pure data: no MPI here, so all of it is
// unit-tested.
#pragma once

#include "parallel/write_merge.h"
#include "parawasm/parawasm.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace parawasm::cluster {

using parallel::ChangedRun;

// Little-endian fields appended to a byte vector, and read back with every read bounds-checked.
class WireWriter {
public:
  explicit WireWriter(std::vector<uint8_t> &out) : out_(out) {}
  void u8(uint8_t v) { out_.push_back(v); }
  void u32(uint32_t v) { raw(&v, sizeof v); }
  void u64(uint64_t v) { raw(&v, sizeof v); }
  void i64(int64_t v) { raw(&v, sizeof v); }
  void bytes(std::span<const uint8_t> b) {
    u64(b.size());
    raw(b.data(), b.size());
  }
  void text(const std::string &s) {
    bytes({reinterpret_cast<const uint8_t *>(s.data()), s.size()});
  }

private:
  void raw(const void *p, size_t n);
  std::vector<uint8_t> &out_;
};

class WireReader {
public:
  explicit WireReader(std::span<const uint8_t> in) : in_(in) {}
  // Each read fails (returns false, and every later read too) past the end.
  bool u8(uint8_t &v) { return raw(&v, 1); }
  bool u32(uint32_t &v) { return raw(&v, sizeof v); }
  bool u64(uint64_t &v) { return raw(&v, sizeof v); }
  bool i64(int64_t &v) { return raw(&v, sizeof v); }
  // A view into the message (valid while it lives).
  bool bytes(std::span<const uint8_t> &v);
  bool text(std::string &s);
  bool atEnd() const { return ok_ && at_ == in_.size(); }

private:
  bool raw(void *p, size_t n);
  std::span<const uint8_t> in_;
  size_t at_ = 0;
  bool ok_ = true;
};

// A worker's hello: what its part of each launch runs on.
struct Hello {
  uint32_t concurrency = 1; // weight of its parts (splitIterations)
  std::string device;       // "cpu", a GPU's name
  std::string details;      // its `parawasm devices` line
};

struct WireBuffer {
  uint32_t address = 0, size = 0;
  uint8_t access = 0; // AccessKind
  bool copyIn = true, copyOut = true;
};

// Bytes of the caller's memory at `address`, for the worker's copy.
struct WireRegion {
  uint64_t address = 0;
  std::span<const uint8_t> bytes;
};

// One part of a launch. The worker keeps one copy of the caller's memory, of which only the
// window [windowStart, windowEnd) is accessible during the part: the buffers' span rounded out to
// whole Wasm pages, so that an access outside it traps (the pages beyond are inaccessible) and
// every byte inside it is rank 0's. `regions` bring the pieces of the window whose bytes the
// worker's copy does not hold yet; the worker compares the window before and after its part to
// find the bytes it changed.
struct LaunchPart {
  uint64_t kernelHash = 0;
  std::span<const uint8_t> kernelBytes; // empty when the worker has this kernel already
  bool forgetKernels = false;           // drop every kernel kept so far (rank 0's list is full)
  uint64_t memorySize = 0;              // the caller's memory size: what memory.size reports
  uint32_t numIterations = 0, first = 0, last = 0, blockSize = 0;
  int64_t fuel = INT64_MAX;
  std::vector<WireBuffer> buffers;
  uint64_t windowStart = 0, windowEnd = 0;
  std::vector<WireRegion> regions;
};

struct PartReply {
  uint32_t code = 0;                 // parallel::ErrorCode
  int32_t trap = -1;                 // TrapCode with KernelTrapped, else -1
  std::string message;               // why, for a failure
  std::vector<ChangedRun> runs;      // what the part changed in the window
  std::span<const uint8_t> changed;  // the runs' bytes after the part
  std::span<const uint8_t> previous; // and before it (what the merge compares with)
};

void encode(const Hello &hello, std::vector<uint8_t> &out);
void encode(const LaunchPart &part, std::vector<uint8_t> &out);
void encode(const PartReply &reply, std::vector<uint8_t> &out);
// Each fails with a message on a truncated or inconsistent message; views point into `in`.
std::optional<std::string> decode(std::span<const uint8_t> in, Hello &out);
std::optional<std::string> decode(std::span<const uint8_t> in, LaunchPart &out);
std::optional<std::string> decode(std::span<const uint8_t> in, PartReply &out);

} // namespace parawasm::cluster
