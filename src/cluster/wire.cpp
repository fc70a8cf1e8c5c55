#include "cluster/wire.h"

#include <algorithm>
#include <cstring>

namespace parawasm::cluster {

void WireWriter::raw(const void *p, size_t n) {
  const auto *b = static_cast<const uint8_t *>(p);
  out_.insert(out_.end(), b, b + n);
}

bool WireReader::raw(void *p, size_t n) {
  if (!ok_ || in_.size() - at_ < n)
    return ok_ = false;
  std::memcpy(p, in_.data() + at_, n);
  at_ += n;
  return true;
}

bool WireReader::bytes(std::span<const uint8_t> &v) {
  uint64_t n = 0;
  if (!u64(n) || in_.size() - at_ < n)
    return ok_ = false;
  v = in_.subspan(at_, size_t(n));
  at_ += size_t(n);
  return true;
}

bool WireReader::text(std::string &s) {
  std::span<const uint8_t> b;
  if (!bytes(b))
    return false;
  s.assign(b.begin(), b.end());
  return true;
}

namespace {

std::optional<std::string> truncated(const char *what) {
  return std::string("malformed ") + what + " message";
}

} // namespace

void encode(const Hello &hello, std::vector<uint8_t> &out) {
  WireWriter w(out);
  w.u32(hello.concurrency);
  w.text(hello.device);
  w.text(hello.details);
}

std::optional<std::string> decode(std::span<const uint8_t> in, Hello &out) {
  WireReader r(in);
  if (!r.u32(out.concurrency) || !r.text(out.device) || !r.text(out.details) || !r.atEnd())
    return truncated("hello");
  return std::nullopt;
}

void encode(const LaunchPart &part, std::vector<uint8_t> &out) {
  WireWriter w(out);
  w.u64(part.kernelHash);
  w.bytes(part.kernelBytes);
  w.u8(part.forgetKernels);
  w.u64(part.memorySize);
  w.u32(part.numIterations);
  w.u32(part.first);
  w.u32(part.last);
  w.u32(part.blockSize);
  w.i64(part.fuel);
  w.u32(uint32_t(part.buffers.size()));
  for (const WireBuffer &b : part.buffers) {
    w.u32(b.address);
    w.u32(b.size);
    w.u8(b.access);
    w.u8(uint8_t(b.copyIn | b.copyOut << 1));
  }
  w.u64(part.windowStart);
  w.u64(part.windowEnd);
  w.u32(uint32_t(part.regions.size()));
  for (const WireRegion &region : part.regions) {
    w.u64(region.address);
    w.bytes(region.bytes);
  }
}

std::optional<std::string> decode(std::span<const uint8_t> in, LaunchPart &out) {
  WireReader r(in);
  uint8_t forget = 0;
  uint32_t count = 0;
  if (!r.u64(out.kernelHash) || !r.bytes(out.kernelBytes) || !r.u8(forget) ||
      !r.u64(out.memorySize) || !r.u32(out.numIterations) || !r.u32(out.first) ||
      !r.u32(out.last) || !r.u32(out.blockSize) || !r.i64(out.fuel) || !r.u32(count))
    return truncated("launch");
  out.forgetKernels = forget != 0;
  out.buffers.clear();
  for (uint32_t k = 0; k < count; ++k) {
    WireBuffer b;
    uint8_t directions = 0;
    if (!r.u32(b.address) || !r.u32(b.size) || !r.u8(b.access) || !r.u8(directions))
      return truncated("launch");
    b.copyIn = directions & 1;
    b.copyOut = directions & 2;
    if (uint64_t(b.address) + b.size > out.memorySize)
      return std::string("launch message: a buffer lies outside the memory");
    out.buffers.push_back(b);
  }
  if (!r.u64(out.windowStart) || !r.u64(out.windowEnd) || !r.u32(count))
    return truncated("launch");
  out.regions.clear();
  for (uint32_t k = 0; k < count; ++k) {
    WireRegion region;
    if (!r.u64(region.address) || !r.bytes(region.bytes))
      return truncated("launch");
    out.regions.push_back(region);
  }
  if (!r.atEnd())
    return truncated("launch");
  auto inside = [&](uint64_t address, uint64_t size) {
    return address >= out.windowStart && address <= out.windowEnd &&
           size <= out.windowEnd - address;
  };
  bool covered = out.windowStart <= out.windowEnd && out.windowEnd <= out.memorySize;
  for (const WireBuffer &b : out.buffers)
    covered = covered && (!b.size || inside(b.address, b.size));
  for (const WireRegion &region : out.regions)
    covered = covered && inside(region.address, region.bytes.size());
  if (!covered)
    return std::string("launch message: the memory window is inconsistent");
  if (out.first > out.last || out.last > out.numIterations)
    return std::string("launch message: the iteration range is inconsistent");
  return std::nullopt;
}

void encode(const PartReply &reply, std::vector<uint8_t> &out) {
  WireWriter w(out);
  w.u32(reply.code);
  w.u32(uint32_t(reply.trap));
  w.text(reply.message);
  w.u64(reply.runs.size());
  for (const ChangedRun &run : reply.runs) {
    w.u64(run.offset);
    w.u64(run.length);
  }
  w.bytes(reply.changed);
  w.bytes(reply.previous);
}

std::optional<std::string> decode(std::span<const uint8_t> in, PartReply &out) {
  WireReader r(in);
  uint32_t trap = 0;
  uint64_t count = 0;
  if (!r.u32(out.code) || !r.u32(trap) || !r.text(out.message) || !r.u64(count) ||
      count > in.size() / 16)
    return truncated("reply");
  out.trap = int32_t(trap);
  out.runs.resize(size_t(count));
  for (ChangedRun &run : out.runs)
    if (!r.u64(run.offset) || !r.u64(run.length))
      return truncated("reply");
  if (!r.bytes(out.changed) || !r.bytes(out.previous) || !r.atEnd())
    return truncated("reply");
  return std::nullopt;
}

} // namespace parawasm::cluster
