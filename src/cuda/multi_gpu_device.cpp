#include "cuda/multi_gpu_device.h"

#include "parallel/write_merge.h"
#include "support/try.h"

#include "parallel/kernel.h"
#include "parallel/split.h"
#include "runtime/objects.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <thread>

namespace parawasm::cuda {

using parallel::ErrorCode;
using parallel::LaunchBuffer;

namespace {

// A set of guest address ranges [start, end), kept as disjoint, non-adjacent ranges.
class Ranges {
public:
  void add(uint64_t start, uint64_t end) {
    if (start >= end)
      return;
    // Swallow every range that touches [start, end).
    auto it = ranges_.upper_bound(start);
    if (it != ranges_.begin() && std::prev(it)->second >= start)
      --it;
    while (it != ranges_.end() && it->first <= end) {
      start = std::min(start, it->first);
      end = std::max(end, it->second);
      it = ranges_.erase(it);
    }
    ranges_[start] = end;
  }
  void remove(uint64_t start, uint64_t end) {
    if (start >= end)
      return;
    auto it = ranges_.upper_bound(start);
    if (it != ranges_.begin() && std::prev(it)->second > start)
      --it;
    while (it != ranges_.end() && it->first < end) {
      auto [s, e] = *it;
      it = ranges_.erase(it);
      if (s < start)
        ranges_[s] = start;
      if (e > end)
        ranges_[end] = e;
    }
  }
  // The parts of [start, end) not in the set, in order.
  std::vector<std::pair<uint64_t, uint64_t>> gaps(uint64_t start, uint64_t end) const {
    std::vector<std::pair<uint64_t, uint64_t>> out;
    auto it = ranges_.upper_bound(start);
    if (it != ranges_.begin() && std::prev(it)->second > start)
      --it;
    for (uint64_t at = start; at < end; ++it) {
      uint64_t next = it == ranges_.end() ? end : std::min(end, it->first);
      if (next > at)
        out.push_back({at, next});
      if (it == ranges_.end())
        break;
      at = std::max(at, it->second);
    }
    return out;
  }
  const std::map<uint64_t, uint64_t> &all() const { return ranges_; }

private:
  std::map<uint64_t, uint64_t> ranges_; // start -> end
};

// Per buffer, as GpuBuffer: whether the shadow holds the bound region's contents, and whether a
// launch that may have written it ran since it was bound (read_buffer then reads the shadow).
struct MultiGpuBuffer final : parallel::DeviceBuffer {
  bool onDevice = false;
  bool writtenOnDevice = false;
};

} // namespace

struct MultiGpuDevice::Shadow {
  std::weak_ptr<runtime::MemoryObject> memory;
  const runtime::MemoryObject *key = nullptr;
  uint64_t start = 0, end = 0; // the guest addresses `bytes` holds
  std::vector<uint8_t> bytes;
  std::vector<Ranges> fresh; // per GPU: where its mirror holds what the shadow holds
  uint8_t *at(uint64_t address) { return bytes.data() + (address - start); }
  // The shadow changed at [s, e): no GPU holds those bytes any more.
  void changed(uint64_t s, uint64_t e) {
    for (Ranges &r : fresh)
      r.remove(s, e);
  }
};

MultiGpuDevice::MultiGpuDevice(std::vector<std::shared_ptr<GpuDevice>> gpus)
    : gpus_(std::move(gpus)) {}

MultiGpuDevice::~MultiGpuDevice() = default;

std::string MultiGpuDevice::name() const {
  std::string first = gpus_.front()->name();
  bool same = std::all_of(gpus_.begin(), gpus_.end(),
                          [&](const std::shared_ptr<GpuDevice> &g) { return g->name() == first; });
  if (same)
    return std::to_string(gpus_.size()) + " x " + first;
  std::string text;
  for (const auto &g : gpus_)
    text += (text.empty() ? "" : " + ") + g->name();
  return text;
}

std::string MultiGpuDevice::details() const {
  std::string text = std::to_string(gpus_.size()) + " GPUs, each launch split between them";
  for (size_t k = 0; k < gpus_.size(); ++k)
    text += "; GPU " + std::to_string(k) + ": " + gpus_[k]->name() + ", " + gpus_[k]->details();
  return text;
}

unsigned MultiGpuDevice::concurrency() const {
  unsigned n = 0;
  for (const auto &g : gpus_)
    n += g->concurrency();
  return n;
}

uint64_t MultiGpuDevice::bytesSent() const {
  std::lock_guard lock(mutex_);
  return bytesSent_;
}

uint64_t MultiGpuDevice::bytesMerged() const {
  std::lock_guard lock(mutex_);
  return bytesMerged_;
}

void MultiGpuDevice::pruneShadows() {
  std::erase_if(shadows_, [](const std::unique_ptr<Shadow> &s) { return s->memory.expired(); });
}

MultiGpuDevice::Shadow *MultiGpuDevice::findShadow(const GuestMemory &memory) {
  for (auto &s : shadows_)
    if (s->key == memory.object.get() && !s->memory.expired())
      return s.get();
  return nullptr;
}

MultiGpuDevice::Shadow &MultiGpuDevice::shadowFor(const GuestMemory &memory, uint64_t start,
                                                  uint64_t end) {
  pruneShadows();
  Shadow *s = findShadow(memory);
  if (!s) {
    shadows_.push_back(std::make_unique<Shadow>());
    s = shadows_.back().get();
    s->memory = memory.object;
    s->key = memory.object.get();
    s->fresh.resize(gpus_.size());
  }
  if (s->bytes.empty() || start < s->start || end > s->end) {
    uint64_t newStart = s->bytes.empty() ? start : std::min(start, s->start);
    uint64_t newEnd = s->bytes.empty() ? end : std::max(end, s->end);
    // Bytes covered for the first time start as the guest's (what a write-only buffer that no
    // launch wrote reads back as); bytes held already keep what the shadow has. No GPU holds the
    // new bytes yet: fresh ranges only ever lie inside the old span.
    std::vector<uint8_t> bytes(memory.base() + newStart, memory.base() + newEnd);
    if (!s->bytes.empty())
      std::memcpy(bytes.data() + (s->start - newStart), s->bytes.data(), s->bytes.size());
    s->bytes = std::move(bytes);
    s->start = newStart;
    s->end = newEnd;
  }
  return *s;
}

Status MultiGpuDevice::createBuffer(uint32_t size, AccessKind access,
                                    std::unique_ptr<DeviceBuffer> &out) {
  // It must fit on each GPU (every GPU mirrors every buffer).
  for (const auto &g : gpus_) {
    std::unique_ptr<DeviceBuffer> probe;
    PW_TRY(g->createBuffer(size, access, probe));
  }
  out = std::make_unique<MultiGpuBuffer>();
  return Status::ok();
}

Status MultiGpuDevice::writeBuffer(DeviceBuffer *buffer, const GuestMemory &memory,
                                   uint32_t address, uint32_t size, AccessKind access) {
  std::lock_guard lock(mutex_);
  if (buffer) {
    auto *b = static_cast<MultiGpuBuffer *>(buffer);
    b->onDevice = access != AccessKind::Write;
    b->writtenOnDevice = false;
  }
  if (size == 0)
    return Status::ok();
  const uint64_t end = uint64_t(address) + size;
  Shadow &s = shadowFor(memory, address, end);
  if (access == AccessKind::Write)
    return Status::ok(); // the kernel writes it; as on one GPU, nothing is sent
  std::memcpy(s.at(address), memory.base() + address, size);
  s.changed(address, end);
  return Status::ok();
}

Status MultiGpuDevice::readBuffer(DeviceBuffer *buffer, const GuestMemory &memory,
                                  uint32_t boundAddress, uint32_t destination, uint32_t size,
                                  AccessKind access) {
  if (size == 0)
    return Status::ok();
  std::lock_guard lock(mutex_);
  bool onDevice = buffer ? static_cast<MultiGpuBuffer *>(buffer)->writtenOnDevice
                         : access != AccessKind::Read; // no state kept: assume the worst
  if (!onDevice) {
    if (destination != boundAddress)
      std::memmove(memory.base() + destination, memory.base() + boundAddress, size);
    return Status::ok();
  }
  Shadow *s = findShadow(memory);
  if (!s || boundAddress < s->start || uint64_t(boundAddress) + size > s->end)
    return Status::fail(ErrorCode::InvalidArgument,
                        "the buffer was not bound in this memory on " + name());
  std::memmove(memory.base() + destination, s->at(boundAddress), size);
  return Status::ok();
}

Status MultiGpuDevice::launch(const Launch &launch) {
  const uint32_t first = launch.first, last = launch.end();
  if (first >= last)
    return Status::ok();
  std::lock_guard lock(mutex_);
  pruneShadows();
  Shadow *s = findShadow(launch.memory);
  for (const LaunchBuffer &b : launch.buffers)
    if (b.size && (!s || b.address < s->start || uint64_t(b.address) + b.size > s->end))
      return Status::fail(ErrorCode::InvalidArgument,
                          "a buffer of this launch is not bound in the caller's memory on " +
                              name());
  // The GPUs get plain regions: the buffer states are this device's.
  std::vector<LaunchBuffer> regions(launch.buffers.begin(), launch.buffers.end());
  for (LaunchBuffer &b : regions) {
    auto *state = static_cast<MultiGpuBuffer *>(b.deviceBuffer);
    b.deviceBuffer = nullptr;
    if (!state)
      continue;
    // A write buffer listed as an input is sent now (its region as the guest has it).
    if (b.copyIn && !state->onDevice && b.size) {
      std::memcpy(s->at(b.address), launch.memory.base() + b.address, b.size);
      s->changed(b.address, uint64_t(b.address) + b.size);
    }
    state->onDevice = true;
    if (b.copyOut)
      state->writtenOnDevice = true;
  }

  // A kernel whose parts changed the same bytes (updates of shared data, e.g. atomic counters)
  // runs on one GPU from then on: the merge is only right for iterations that write disjoint
  // bytes.
  const std::string key =
      launch.kernel->loaded.hash + "/" + std::to_string(launch.kernel->kernelFunc);
  std::vector<parallel::IterationRange> parts(gpus_.size());
  if (!wholeOnOneGpu_.find(key)) {
    std::vector<uint64_t> weights;
    for (const auto &g : gpus_)
      weights.push_back(g->concurrency());
    parts = parallel::splitIterations(first, last, weights);
    bool conflict = false;
    Status status = runParts(launch, s, regions, parts, conflict);
    if (!conflict)
      return status;
    wholeOnOneGpu_.insert(key, true);
  }
  // Run again from the contents before the launch, which the shadow still holds.
  parts.assign(gpus_.size(), {});
  parts[0] = {first, last};
  bool conflict = false;
  return runParts(launch, s, regions, parts, conflict);
}

Status MultiGpuDevice::runParts(const Launch &launch, Shadow *s,
                                const std::vector<LaunchBuffer> &regions,
                                const std::vector<parallel::IterationRange> &parts,
                                bool &conflict) {
  std::vector<size_t> ran;
  for (size_t k = 0; k < parts.size(); ++k)
    if (parts[k].size())
      ran.push_back(k);

  // Every region the kernel may read or write must hold the shadow's bytes on each GPU that runs
  // a part: inputs for what they say, outputs so that all GPUs start from the same bytes the
  // merge compares with (and bytes no iteration writes keep their value).
  for (size_t k : ran)
    for (const LaunchBuffer &b : regions) {
      if (!b.size)
        continue; // (a launch whose buffers are all empty may have no shadow)
      const uint64_t end = uint64_t(b.address) + b.size;
      for (auto [gs, ge] : s->fresh[k].gaps(b.address, end)) {
        PW_TRY(gpus_[k]->copyToMirror(launch.memory, uint32_t(gs), s->at(gs), uint32_t(ge - gs)));
        bytesSent_ += ge - gs;
      }
      s->fresh[k].add(b.address, end);
    }

  Ranges outputs;
  for (const LaunchBuffer &b : regions)
    if (b.copyOut)
      outputs.add(b.address, uint64_t(b.address) + b.size);
  // The outputs as they are before the launch, which the merge compares each GPU's with.
  struct Before {
    uint64_t start;
    std::vector<uint8_t> bytes;
  };
  std::vector<Before> before;
  if (s && ran.size() > 1)
    for (auto [os, oe] : outputs.all())
      before.push_back({os, std::vector<uint8_t>(s->at(os), s->at(oe))});
  // Whatever happens now, the GPUs' copies of the outputs may differ from the shadow (one GPU
  // that ran the whole launch is given its copy back below).
  if (s)
    for (auto [os, oe] : outputs.all())
      s->changed(os, oe);

  // Each part on its GPU, all at once; each GpuDevice waits for its own kernel.
  std::vector<Status> results(ran.size());
  {
    auto runPart = [&](size_t i) {
      Launch part = launch;
      part.first = parts[ran[i]].first;
      part.last = parts[ran[i]].last;
      part.buffers = regions;
      results[i] = gpus_[ran[i]]->launch(part);
    };
    std::vector<std::thread> threads;
    for (size_t i = 1; i < ran.size(); ++i)
      threads.emplace_back(runPart, i);
    runPart(0);
    for (std::thread &t : threads)
      t.join();
  }
  // A failure of any GPU is the launch's; else the first trap in iteration order (a lower part
  // holds lower iterations), after the merge, so what the other iterations wrote is kept as one
  // GPU would keep it.
  const Status *trapped = nullptr;
  for (const Status &r : results)
    if (!r.isOk() && r.code != ErrorCode::KernelTrapped)
      return r;
    else if (!r.isOk() && !trapped)
      trapped = &r;
  // An interrupted GPU's kernel may still be running (that GPU refuses work from now on): there
  // is nothing to merge from it.
  for (const Status &r : results)
    if (r.trap == TrapCode::Interrupted)
      return r;
  if (s) {
    for (const auto &[os, oe] : outputs.all()) {
      if (ran.size() == 1) {
        // One GPU ran everything: its bytes are the result, and it still holds them.
        PW_TRY(gpus_[ran.front()]->copyFromMirror(launch.memory, uint32_t(os), s->at(os),
                                                  uint32_t(oe - os)));
        bytesMerged_ += oe - os;
        s->fresh[ran.front()].add(os, oe);
        continue;
      }
      std::vector<uint8_t> got(oe - os);
      const uint64_t start =
          os; // (a structured binding cannot be captured before C++20's clang 16)
      const Before &b = *std::find_if(before.begin(), before.end(),
                                      [&](const Before &x) { return x.start == start; });
      uint8_t *result = s->at(os);
      for (size_t k : ran) {
        PW_TRY(gpus_[k]->copyFromMirror(launch.memory, uint32_t(os), got.data(),
                                        uint32_t(got.size())));
        bytesMerged_ += got.size();
        // Only the bytes this GPU's iterations changed. Iterations write disjoint bytes, so a
        // byte that an earlier GPU changed too is a conflict (missed only where one GPU's copy
        // of the byte ends as it began).
        conflict |= parallel::mergeCopy({result, got.size()}, b.bytes, got);
      }
    }
    if (conflict) // the shadow goes back to the contents before the launch
      for (const Before &b : before)
        std::memcpy(s->at(b.start), b.bytes.data(), b.bytes.size());
  }
  return trapped ? *trapped : Status::ok();
}

} // namespace parawasm::cuda
