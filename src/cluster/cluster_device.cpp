#include "cluster/cluster_device.h"

#include "cluster/mpi.h"
#include "parallel/device_registry.h"
#include "parallel/kernel.h"
#include "parallel/split.h"
#include "support/try.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace parawasm::cluster {

namespace {

using parallel::ErrorCode;

Status lost(const std::string &what) { return Status::fail(ErrorCode::DeviceFailure, what); }

} // namespace

Ranks::Ranks(Mpi &mpi, std::vector<Hello> workers) : mpi_(mpi) {
  for (Hello &hello : workers)
    workers_.push_back({std::move(hello), {}, 0, {}});
}

Traffic Ranks::traffic() const {
  std::lock_guard lock(mutex_);
  return traffic_;
}

void Ranks::stopWorkers() {
  std::lock_guard lock(mutex_);
  if (stopped_)
    return;
  stopped_ = true;
  if (!failure_.empty())
    return;
  for (size_t r = 0; r < workers_.size(); ++r)
    (void)mpi_.sendEmpty(int(r + 1), kTagShutdown);
}

ClusterDevice::ClusterDevice(std::shared_ptr<Ranks> ranks, unsigned threads)
    : ranks_(std::move(ranks)), local_(parallel::DeviceKind::Cpu, threads) {}

std::string ClusterDevice::details() const {
  const auto &workers = ranks_->workers_;
  std::string d = std::to_string(workers.size() + 1) + " ranks (" + ranks_->mpi_.version() +
                  "): rank 0 cpu, " + std::to_string(local_.concurrency()) + " threads";
  for (size_t r = 0; r < workers.size(); ++r)
    d += "; rank " + std::to_string(r + 1) + " " + workers[r].hello.device + ", " +
         std::to_string(workers[r].hello.concurrency) + " threads";
  return d;
}

unsigned ClusterDevice::concurrency() const {
  unsigned total = local_.concurrency();
  for (const Ranks::Worker &w : ranks_->workers_)
    total += w.hello.concurrency;
  return total;
}

Status ClusterDevice::createBuffer(uint32_t size, AccessKind access,
                                   std::unique_ptr<DeviceBuffer> &out) {
  return local_.createBuffer(size, access, out);
}

Status ClusterDevice::writeBuffer(DeviceBuffer *buffer, const GuestMemory &memory, uint32_t address,
                                  uint32_t size, AccessKind access) {
  return local_.writeBuffer(buffer, memory, address, size, access);
}

Status ClusterDevice::readBuffer(DeviceBuffer *buffer, const GuestMemory &memory,
                                 uint32_t boundAddress, uint32_t destination, uint32_t size,
                                 AccessKind access) {
  return local_.readBuffer(buffer, memory, boundAddress, destination, size, access);
}

Status ClusterDevice::launch(const Launch &launch) {
  std::lock_guard lock(ranks_->mutex_);
  Mpi &mpi = ranks_->mpi_;
  auto &workers = ranks_->workers_;
  auto &traffic = ranks_->traffic_;
  auto &failure = ranks_->failure_;
  if (!failure.empty())
    return lost(failure);
  if (ranks_->stopped_)
    return lost("the cluster's workers have been stopped");
  const uint32_t lo = launch.first, hi = launch.end();
  if (lo >= hi)
    return Status::ok();
  ++traffic.launches;

  std::vector<uint64_t> weights{local_.concurrency()};
  for (const Ranks::Worker &w : workers)
    weights.push_back(w.hello.concurrency);
  const std::vector<parallel::IterationRange> parts = parallel::splitIterations(lo, hi, weights);

  // Nothing for the workers (one rank, or too few iterations): the cpu device's launch.
  if (std::all_of(parts.begin() + 1, parts.end(),
                  [](const parallel::IterationRange &p) { return p.first == p.last; }))
    return local_.launch(launch);

  // The window each worker's copy must hold: the buffers' span rounded out to whole Wasm pages,
  // cut at every buffer edge into pieces; a piece is sent unless the worker's copy is current.
  const uint64_t memorySize = launch.memory.size();
  const auto [spanStart, spanEnd] = parallel::bufferSpan(launch.buffers);
  const uint64_t windowStart = spanStart / vm::kPageSize * vm::kPageSize;
  const uint64_t windowEnd =
      std::min(memorySize, (spanEnd + vm::kPageSize - 1) / vm::kPageSize * vm::kPageSize);
  std::vector<uint64_t> cuts{windowStart, windowEnd};
  for (const parallel::LaunchBuffer &b : launch.buffers)
    if (b.size) {
      cuts.push_back(b.address);
      cuts.push_back(uint64_t(b.address) + b.size);
    }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  struct Piece {
    uint64_t start, size, hash;
  };
  std::vector<Piece> pieces;
  for (size_t k = 0; k + 1 < cuts.size(); ++k)
    pieces.push_back(
        {cuts[k], cuts[k + 1] - cuts[k],
         parallel::hashBytes({launch.memory.base() + cuts[k], cuts[k + 1] - cuts[k]})});

  LaunchPart part;
  part.kernelHash = launch.kernel->hash;
  part.memorySize = memorySize;
  part.numIterations = launch.numIterations;
  part.blockSize = launch.blockSize;
  part.fuel = launch.fuel;
  part.windowStart = windowStart;
  part.windowEnd = windowEnd;
  for (const parallel::LaunchBuffer &b : launch.buffers)
    part.buffers.push_back({b.address, b.size, uint8_t(b.access), b.copyIn, b.copyOut});

  std::vector<int> pending;
  std::vector<uint8_t> message;
  for (size_t r = 0; r < workers.size(); ++r) {
    const parallel::IterationRange range = parts[r + 1];
    if (range.first == range.last)
      continue;
    Ranks::Worker &w = workers[r];
    part.first = range.first;
    part.last = range.last;
    part.forgetKernels = false;
    part.kernelBytes = {};
    if (!w.kernels.count(part.kernelHash)) {
      if (w.kernels.size() >= kMaxKernelsPerWorker) {
        w.kernels.clear();
        part.forgetKernels = true;
      }
      part.kernelBytes = launch.kernel->bytes;
      w.kernels.insert(part.kernelHash);
    }
    if (w.memorySize != memorySize || w.current.size() > kMaxCurrentRegions) {
      w.current.clear(); // a new copy of the memory (or too much to remember)
      w.memorySize = memorySize;
    }
    part.regions.clear();
    for (const Piece &piece : pieces) {
      auto [held, isNew] = w.current.try_emplace({piece.start, piece.size}, piece.hash);
      if (!isNew && held->second == piece.hash)
        continue;
      held->second = piece.hash;
      part.regions.push_back({piece.start, {launch.memory.base() + piece.start, piece.size}});
    }
    message.clear();
    encode(part, message);
    if (auto sent = mpi.sendBlob(int(r + 1), kTagLaunch, message); !sent) {
      failure = "rank " + std::to_string(r + 1) + " is lost: " + sent.error().message();
      return lost(failure);
    }
    traffic.bytesSent += message.size();
    pending.push_back(int(r + 1));
  }

  Status local = Status::ok();
  if (parts[0].first < parts[0].last) {
    Launch own = launch;
    own.first = parts[0].first;
    own.last = parts[0].last;
    local = local_.launch(own);
  }
  Status remote = awaitReplies(launch, std::move(pending), windowStart, windowEnd);
  if (!local.isOk())
    return local;
  return remote;
}

// The regions a worker's part changed are no longer as rank 0 has them: its own writes are in
// its copy, the other parts' are not.
void ClusterDevice::forgetChanged(Ranks::Worker &w, uint64_t windowStart,
                                  std::span<const ChangedRun> runs) {
  if (runs.empty())
    return;
  for (auto it = w.current.begin(); it != w.current.end();) {
    const uint64_t start = it->first.first, end = start + it->first.second;
    // The first run that ends after the region starts (runs are sorted and disjoint).
    auto run = std::partition_point(runs.begin(), runs.end(), [&](const ChangedRun &r) {
      return windowStart + r.offset + r.length <= start;
    });
    if (run != runs.end() && windowStart + run->offset < end)
      it = w.current.erase(it);
    else
      ++it;
  }
}

Status ClusterDevice::awaitReplies(const Launch &launch, std::vector<int> pending,
                                   uint64_t windowStart, uint64_t windowEnd) {
  Mpi &mpi = ranks_->mpi_;
  auto &workers = ranks_->workers_;
  auto &traffic = ranks_->traffic_;
  auto &failure = ranks_->failure_;
  Status first = Status::ok();
  std::optional<uint64_t> conflict;
  int conflictRank = 0;
  bool cancelled = false;
  Backoff backoff;
  std::vector<uint8_t> message;
  const std::span<uint8_t> window(launch.memory.base() + windowStart, windowEnd - windowStart);
  while (!pending.empty()) {
    if (!cancelled && launch.interrupt && launch.interrupt->load(std::memory_order_relaxed)) {
      cancelled = true; // the workers answer at once, as interrupted
      for (int rank : pending)
        if (auto sent = mpi.sendEmpty(rank, kTagCancel); !sent) {
          failure = "rank " + std::to_string(rank) + " is lost: " + sent.error().message();
          return lost(failure);
        }
    }
    bool progressed = false;
    for (size_t k = 0; k < pending.size();) {
      const int rank = pending[k];
      auto ready = mpi.probe(rank, kTagReply);
      if (ready && !*ready) {
        ++k;
        continue;
      }
      auto received = ready ? mpi.recvBlob(rank, kTagReply, message) : Result<void>(ready.error());
      PartReply reply;
      std::optional<std::string> bad;
      if (!received)
        bad = received.error().message();
      else if ((bad = decode(message, reply)))
        ;
      else
        bad = mergeRuns(window, reply.runs, reply.previous, reply.changed, conflict);
      if (conflict && !conflictRank)
        conflictRank = rank;
      if (bad) {
        failure = "rank " + std::to_string(rank) + " is lost: " + *bad;
        return lost(failure);
      }
      traffic.bytesReceived += message.size();
      Ranks::Worker &w = workers[size_t(rank - 1)];
      forgetChanged(w, windowStart, reply.runs);
      if (reply.code != uint32_t(ErrorCode::Success) && first.isOk()) {
        std::string m = "rank " + std::to_string(rank) + ": " + reply.message;
        first = reply.trap >= 0 ? Status::trapped(TrapCode(reply.trap), std::move(m))
                                : Status::fail(ErrorCode(reply.code), std::move(m));
      }
      pending.erase(pending.begin() + ptrdiff_t(k));
      progressed = true;
    }
    if (progressed)
      backoff.reset();
    else if (!pending.empty())
      backoff.pause();
  }
  if (conflict && first.isOk())
    return Status::fail(ErrorCode::NotSupported,
                        "rank " + std::to_string(conflictRank) +
                            " and another rank both changed guest address " +
                            std::to_string(windowStart + *conflict) +
                            ": the cluster device merges iterations that write disjoint bytes, not "
                            "updates of shared data (e.g. atomic counters) from several ranks");
  return first;
}

} // namespace parawasm::cluster
