// join/offerDevice/leave, and the worker ranks' side of the protocol.
#include "cluster/cluster.h"

#include "api/engine_state.h"
#include "cluster/cluster_device.h"
#include "cluster/mpi.h"
#include "parallel/device_registry.h"
#include "parallel/kernel.h"
#include "runtime/interrupt.h"
#include "runtime/objects.h"
#include "support/try.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <sys/mman.h>
#include <thread>
#include <unordered_map>

namespace parawasm::cluster {

namespace {

using parallel::ErrorCode;

std::mutex deviceMutex;
std::shared_ptr<Ranks> theRanks; // rank 0's view of the workers, once offerDevice has run
bool reportTraffic = false;      // --verbose: what moved, at leave()

// A worker rank: the kernels it has been sent, its copy of the caller's memory, and the device
// its parts run on.
class Worker {
public:
  Worker(Mpi &mpi, const EngineConfig &config, unsigned threads, bool verbose)
      : mpi_(mpi), engine_(config), kernels_(engine_.state()) {
    parallel::DeviceOptions options;
    options.threads = threads;
    options.verbose = verbose;
    devices_ = parallel::discoverDevices(options);
    device_ = parallel::chooseDevice(devices_, parallel::DeviceKind::DiscreteGpu);
  }

  int serve() {
    Hello hello{device_->concurrency(), device_->name(), device_->details()};
    std::vector<uint8_t> message;
    encode(hello, message);
    if (!mpi_.sendBlob(0, kTagHello, message))
      return 1;
    Backoff backoff;
    for (;;) {
      MpiStatus status{};
      auto ready = mpi_.probe(0, -1, &status);
      if (!ready)
        return 1;
      if (!*ready) {
        backoff.pause();
        continue;
      }
      backoff.reset();
      if (!mpi_.recvBlob(0, status.tag, message))
        return 1;
      if (status.tag == kTagShutdown) {
        mpi_.finalize();
        return 0;
      }
      if (status.tag != kTagLaunch)
        continue; // a cancel that came after its part had finished
      PartReply reply;
      std::vector<uint8_t> changed, previous;
      runPart(message, reply, changed, previous);
      reply.changed = changed;
      reply.previous = previous;
      message.clear();
      encode(reply, message);
      if (!mpi_.sendBlob(0, kTagReply, message))
        return 1;
    }
  }

private:
  static void fail(PartReply &reply, ErrorCode code, std::string message) {
    reply.code = uint32_t(code);
    reply.message = std::move(message);
  }

  void runPart(std::span<const uint8_t> message, PartReply &reply, std::vector<uint8_t> &changed,
               std::vector<uint8_t> &previous) {
    LaunchPart part;
    if (auto bad = decode(message, part))
      return fail(reply, ErrorCode::DeviceFailure, *bad);
    if (part.forgetKernels)
      known_.clear();
    std::shared_ptr<parallel::KernelModule> kernel;
    if (!part.kernelBytes.empty()) {
      if (Status st = kernels_.lookup(part.kernelBytes, kernel); !st.isOk())
        return fail(reply, st.code, st.message);
      known_[part.kernelHash] = kernel;
    } else if (auto found = known_.find(part.kernelHash); found != known_.end()) {
      kernel = found->second;
    } else {
      return fail(reply, ErrorCode::DeviceFailure, "the kernel was never sent to this rank");
    }
    if (!memory_ || memory_->vm.sizeBytes.load() != part.memorySize) {
      auto made = runtime::MemoryObject::create(
          MemoryType{part.memorySize / vm::kPageSize, std::nullopt, false, false});
      if (!made)
        return fail(reply, ErrorCode::OutOfResources, made.error().message());
      memory_ = *made;
      windowStart_ = 0;
      windowEnd_ = part.memorySize; // all of it accessible, as made
    }
    GuestMemory memory(memory_, memory_->vm.base, memory_->vm.sizeBytes.load());
    if (auto bad = openWindow(part.windowStart, part.windowEnd))
      return fail(reply, ErrorCode::DeviceFailure, *bad);
    for (const WireRegion &region : part.regions)
      std::memcpy(memory.base() + region.address, region.bytes.data(), region.bytes.size());
    uint8_t *window = memory.base() + part.windowStart;
    const size_t windowBytes = size_t(part.windowEnd - part.windowStart);
    std::vector<uint8_t> before(window, window + windowBytes);

    std::vector<std::unique_ptr<DeviceBuffer>> deviceBuffers(part.buffers.size());
    std::vector<parallel::LaunchBuffer> buffers;
    for (size_t k = 0; k < part.buffers.size(); ++k) {
      const WireBuffer &b = part.buffers[k];
      const auto access = AccessKind(b.access);
      Status st = device_->createBuffer(b.size, access, deviceBuffers[k]);
      if (st.isOk())
        st = device_->writeBuffer(deviceBuffers[k].get(), memory, b.address, b.size, access);
      if (!st.isOk())
        return fail(reply, st.code, st.message);
      buffers.push_back({b.address, b.size, access, b.copyIn, b.copyOut, deviceBuffers[k].get()});
    }
    runtime::InterruptFlag cancel{0};
    parallel::Launch launch;
    launch.kernel = kernel;
    launch.memory = memory;
    launch.numIterations = part.numIterations;
    launch.first = part.first;
    launch.last = part.last;
    launch.blockSize = part.blockSize;
    launch.buffers = buffers;
    launch.interrupt = &cancel;
    launch.fuel = part.fuel;
    // While the part runs, this thread is the only one calling MPI: it looks for a cancel.
    std::atomic<bool> done{false};
    std::thread watcher([&] {
      Backoff backoff;
      while (!done.load()) {
        auto ready = mpi_.probe(0, kTagCancel);
        if (ready && *ready) {
          std::vector<uint8_t> ignored;
          (void)mpi_.recvBlob(0, kTagCancel, ignored);
          runtime::raiseInterrupt(cancel); // stops the kernel's threads too
          return;
        }
        backoff.pause();
      }
    });
    Status st = device_->launch(launch);
    done.store(true);
    watcher.join();
    runtime::clearInterrupt(cancel);
    for (const parallel::LaunchBuffer &b : buffers)
      if (b.copyOut && st.isOk())
        st = device_->readBuffer(b.deviceBuffer, memory, b.address, b.address, b.size, b.access);
    if (!st.isOk()) {
      fail(reply, st.code, st.message);
      if (st.trap)
        reply.trap = int32_t(*st.trap);
    }
    diffRuns(before, {window, windowBytes}, reply.runs, changed, previous);
  }

  // Makes [start, end) of the memory copy the only accessible part: its other bytes are not
  // rank 0's, so a kernel that reaches them must trap (out of bounds), not read them.
  std::optional<std::string> openWindow(uint64_t start, uint64_t end) {
    if (start == windowStart_ && end == windowEnd_)
      return std::nullopt;
    uint8_t *base = memory_->vm.base;
    const uint64_t size = memory_->vm.sizeBytes.load();
    auto protect = [&](uint64_t from, uint64_t to, int access) {
      return from >= to || mprotect(base + from, to - from, access) == 0;
    };
    if (!protect(0, size, PROT_NONE) || !protect(start, end, PROT_READ | PROT_WRITE))
      return "mprotect failed: " + std::string(std::strerror(errno));
    windowStart_ = start;
    windowEnd_ = end;
    return std::nullopt;
  }

  Mpi &mpi_;
  Engine engine_;
  parallel::KernelCache kernels_;
  std::vector<std::shared_ptr<parallel::Device>> devices_;
  std::shared_ptr<parallel::Device> device_;
  std::unordered_map<uint64_t, std::shared_ptr<parallel::KernelModule>> known_;
  std::shared_ptr<runtime::MemoryObject> memory_;
  uint64_t windowStart_ = 0, windowEnd_ = 0; // the accessible part of memory_
};

} // namespace

Result<Role> join() {
  PW_TRY_ASSIGN(Mpi * mpi, Mpi::get());
  return Role{mpi->rank(), mpi->size()};
}

int serveWorker(const EngineConfig &config, unsigned threads, bool verbose) {
  auto mpi = Mpi::get();
  if (!mpi)
    return 1;
  auto resolved = parallel::resolveThreads(threads);
  if (!resolved) {
    std::fprintf(stderr, "parawasm: error: %s\n", resolved.error().message().c_str());
    mpi.value()->abort(2);
  }
  Worker worker(**mpi, config, *resolved, verbose);
  int status = worker.serve();
  if (status != 0)
    std::fprintf(stderr, "parawasm: error: cluster rank %d: lost contact with rank 0\n",
                 (*mpi)->rank());
  return status;
}

Result<void> offerDevice(unsigned threads, bool verbose) {
  PW_TRY_ASSIGN(Mpi * mpi, Mpi::get());
  PW_TRY_ASSIGN(threads, parallel::resolveThreads(threads));
  std::vector<Hello> workers(size_t(mpi->size() - 1));
  std::vector<uint8_t> message;
  for (int r = 1; r < mpi->size(); ++r) {
    PW_TRY(mpi->recvBlob(r, kTagHello, message));
    if (auto bad = decode(message, workers[size_t(r - 1)]))
      return Error(ErrorKind::Io, "cluster device: rank " + std::to_string(r) + ": " + *bad);
  }
  auto ranks = std::make_shared<Ranks>(*mpi, std::move(workers));
  if (verbose)
    std::fprintf(stderr, "parawasm: cluster: %s\n",
                 ClusterDevice(ranks, threads).details().c_str());
  {
    std::lock_guard lock(deviceMutex);
    theRanks = ranks;
    reportTraffic = verbose;
  }
  // A device per context (its kernel instances belong to the context's engine), over the same
  // workers.
  parallel::registerDeviceProvider(
      [ranks, threads](const parallel::DeviceOptions &,
                       std::vector<std::shared_ptr<parallel::Device>> &out) {
        out.push_back(std::make_shared<ClusterDevice>(ranks, threads));
      });
  return {};
}

void leave() {
  std::shared_ptr<Ranks> ranks;
  {
    std::lock_guard lock(deviceMutex);
    ranks = theRanks;
  }
  if (!ranks)
    return; // never joined as rank 0
  ranks->stopWorkers();
  if (reportTraffic) {
    Traffic t = ranks->traffic();
    std::fprintf(stderr,
                 "parawasm: cluster: %llu launches, %llu bytes sent to workers, %llu bytes "
                 "received\n",
                 (unsigned long long)t.launches, (unsigned long long)t.bytesSent,
                 (unsigned long long)t.bytesReceived);
  }
  if (auto mpi = Mpi::get())
    (*mpi)->finalize();
}

std::string availability() {
  if (!Mpi::libraryPresent())
    return "cluster: not available (Open MPI's libmpi.so.40 not found; install openmpi-bin)";
  return "cluster: available under MPI: mpirun -np N parawasm run --device cluster APP";
}

} // namespace parawasm::cluster
