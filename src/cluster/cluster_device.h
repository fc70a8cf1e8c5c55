// Rank 0's side of the cluster device: a parallel::Device that keeps buffers like the cpu device
// (zero-copy in the caller's memory) and splits each launch's iterations between itself and the
// workers with splitIterations, weighted by what each rank runs on. Each worker gets the kernel
// once (by hash), the pieces of the memory window its buffers cover that its copy does not hold
// yet, and its range; it answers with the bytes its part changed (the write-merge, wire.h), which
// are written into the caller's memory before the launch returns.
#pragma once

#include "cluster/cluster.h"
#include "cluster/wire.h"
#include "parallel/cpu_device.h"

#include <map>
#include <mutex>
#include <unordered_set>
#include <vector>

namespace parawasm::cluster {

class Mpi;
using parallel::AccessKind;
using parallel::DeviceBuffer;
using parallel::GuestMemory;
using parallel::Launch;
using parallel::Status;

// What the cluster device has sent to and received from workers so far (--verbose prints it at
// the end).
struct Traffic {
  uint64_t launches = 0, bytesSent = 0, bytesReceived = 0;
};

// The workers of the job as rank 0 knows them: shared by every ClusterDevice of the process
// (one per wasi-parallel context), and outliving them.
class Ranks {
public:
  // `workers[r - 1]` is rank r's hello.
  Ranks(Mpi &mpi, std::vector<Hello> workers);
  // Tells every worker to leave (once); later launches fail.
  void stopWorkers();
  Traffic traffic() const;

private:
  friend class ClusterDevice;
  // What rank 0 knows a worker holds.
  struct Worker {
    Hello hello;
    std::unordered_set<uint64_t> kernels; // hashes of the kernels it has
    uint64_t memorySize = 0;              // of its copy of the caller's memory
    // Pieces {address, size} of memory its copy holds as rank 0 had them, with their hash.
    std::map<std::pair<uint64_t, uint64_t>, uint64_t> current;
  };
  Mpi &mpi_;
  mutable std::mutex mutex_; // one launch at a time; guards everything below
  std::vector<Worker> workers_;
  Traffic traffic_;
  std::string failure_; // a lost worker or a broken message: every later launch fails
  bool stopped_ = false;
};

class ClusterDevice final : public parallel::Device {
public:
  ClusterDevice(std::shared_ptr<Ranks> ranks, unsigned threads);

  parallel::DeviceKind kind() const override { return parallel::DeviceKind::Cpu; }
  std::string name() const override { return "cluster"; }
  std::string details() const override;
  unsigned concurrency() const override;

  Status createBuffer(uint32_t size, AccessKind access,
                      std::unique_ptr<DeviceBuffer> &out) override;
  Status writeBuffer(DeviceBuffer *buffer, const GuestMemory &memory, uint32_t address,
                     uint32_t size, AccessKind access) override;
  Status readBuffer(DeviceBuffer *buffer, const GuestMemory &memory, uint32_t boundAddress,
                    uint32_t destination, uint32_t size, AccessKind access) override;
  Status launch(const Launch &launch) override;

private:
  // Beyond this many kernels per worker, rank 0 tells it to forget them all and starts over;
  // beyond this many current regions, it forgets them (and sends them again).
  static constexpr size_t kMaxKernelsPerWorker = 256;
  static constexpr size_t kMaxCurrentRegions = 1024;

  // Collects the workers' replies and merges their changes into the caller's memory; sends
  // them a cancel when the launch is interrupted meanwhile. Holds ranks_->mutex_.
  Status awaitReplies(const Launch &launch, std::vector<int> pending, uint64_t windowStart,
                      uint64_t windowEnd);

  static void forgetChanged(Ranks::Worker &worker, uint64_t windowStart,
                            std::span<const ChangedRun> runs);

  std::shared_ptr<Ranks> ranks_;
  parallel::CpuDevice local_; // rank 0's own part, zero-copy in the caller's memory
};

} // namespace parawasm::cluster
