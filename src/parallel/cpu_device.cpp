#include "parallel/cpu_device.h"

#include "parallel/kernel.h"
#include "parallel/thread_pool.h"
#include "runtime/interrupt.h"
#include "runtime/memory.h"
#include "runtime/objects.h"
#include "support/trace.h"
#include "support/try.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <optional>

namespace parawasm::parallel {

std::string cpuModelName() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        size_t start = line.find_first_not_of(' ', colon + 1);
        return start == std::string::npos ? "" : line.substr(start);
      }
    }
  }
  return "";
}

CpuDevice::CpuDevice(DeviceKind kind, unsigned threads)
    : kind_(kind), threads_(kind == DeviceKind::Sequential ? 1 : std::max(1u, threads)),
      slots_(new Slot[threads_]) {}

CpuDevice::~CpuDevice() = default;

std::string CpuDevice::details() const {
  if (kind_ == DeviceKind::Sequential)
    return "every iteration in order on the calling thread";
  std::string model = cpuModelName();
  std::string text = std::to_string(threads_) + (threads_ == 1 ? " thread" : " threads") + " (" +
                     std::to_string(hardwareThreads()) + " hardware threads)";
  if (!model.empty())
    text += ", " + model;
  return text;
}

Status CpuDevice::createBuffer(uint32_t, AccessKind, std::unique_ptr<DeviceBuffer> &out) {
  out.reset(); // a buffer is the region it is bound to: nothing to keep
  return Status::ok();
}

Status CpuDevice::writeBuffer(DeviceBuffer *, const GuestMemory &, uint32_t, uint32_t, AccessKind) {
  return Status::ok();
}

Status CpuDevice::readBuffer(DeviceBuffer *, const GuestMemory &memory, uint32_t boundAddress,
                             uint32_t destination, uint32_t size, AccessKind) {
  // host_api checked that both regions lie inside memory.
  if (boundAddress != destination && size)
    std::memmove(memory.base() + destination, memory.base() + boundAddress, size);
  return Status::ok();
}

size_t CpuDevice::cachedKernels() const {
  std::lock_guard lock(mutex_);
  return kernels_.size();
}

Status CpuDevice::ensurePool() {
  if (pool_)
    return Status::ok();
  auto pool = ThreadPool::shared(threads_);
  if (!pool)
    return Status::fail(ErrorCode::OutOfResources, pool.error().message());
  pool_ = std::move(*pool);
  return Status::ok();
}

Status CpuDevice::prepare(const Launch &launch, unsigned slots, KernelSet *&out) {
  const KernelModule *key = launch.kernel.get();
  // Execs in a loop reuse one kernel: the most recent entry is checked before any lookup.
  std::unique_ptr<KernelSet> *found = nullptr;
  if (auto *last = kernels_.mostRecent(); last && last->first == key)
    found = &last->second;
  else
    found = kernels_.find(key);
  // The launch holds its kernel, so a set whose kernel is still alive at the same address is
  // its; one whose kernel died belongs to an earlier kernel at that address.
  if (found && (*found)->kernel.expired()) {
    kernels_.erase(key);
    found = nullptr;
  }
  if (!found) {
    // Sets of kernels that died hold instances and code: drop them before adding one.
    kernels_.eraseIf([](const KernelModule *, const std::unique_ptr<KernelSet> &set) {
      return set->kernel.expired();
    });
    support::TraceSpan compileSpan(launch.tracer, "kernel compile", "cpu");
    auto module = launch.kernel->cpuModule(); // compiles on the first use of the kernel
    compileSpan.end();
    if (!module)
      return Status::fail(ErrorCode::DeviceFailure,
                          "cannot compile the kernel: " + module.error().message());
    auto set = std::make_unique<KernelSet>();
    set->kernel = launch.kernel;
    set->module = *module;
    set->driver = reinterpret_cast<runtime::EntryThunk>(set->module->kernelDriver);
    found = &kernels_.insert(key, std::move(set));
  }
  KernelSet &set = **found;
  const auto &memory = launch.memory.object;
  if (set.memoryKey != memory.get() || set.memory.expired() || !set.view) {
    set.instances.clear();
    set.view = runtime::makeFixedView(*memory);
    set.memory = memory;
    set.memoryKey = memory.get();
  } else {
    runtime::refreshFixedView(*set.view, *memory);
  }
  support::TraceSpan instantiateSpan(set.instances.size() < slots ? launch.tracer : nullptr,
                                     "kernel instantiate", "cpu");
  instantiateSpan.arg("instances", slots - std::min<size_t>(slots, set.instances.size()));
  while (set.instances.size() < slots) {
    runtime::ResolvedImport import;
    import.memory = set.view;
    std::vector<runtime::ResolvedImport> imports;
    imports.push_back(std::move(import));
    auto inst = runtime::instantiate(set.module, std::move(imports));
    if (!inst)
      return Status::fail(ErrorCode::OutOfResources,
                          "cannot instantiate the kernel: " + inst.error().message());
    set.instances.push_back(std::move(*inst));
  }
  out = &set;
  return Status::ok();
}

namespace {

// See `wholeShares` in CpuDevice::launch.
constexpr double kShortLaunchNanos = 20'000;

std::string trapMessage(const Error &error, uint32_t first, uint32_t last, bool wholeRange) {
  std::string m = error.message();
  if (!wholeRange) {
    if (last - first == 1)
      m += " in iteration " + std::to_string(first);
    else
      m += " in iterations [" + std::to_string(first) + ", " + std::to_string(last) + ")";
  }
  return m;
}

} // namespace

Status CpuDevice::launch(const Launch &launch) {
  std::lock_guard lock(mutex_);
  const uint32_t n = launch.numIterations;
  const uint32_t lo = launch.first, hi = launch.end(); // this launch's iterations
  if (lo >= hi)
    return Status::ok();
  const uint32_t count = hi - lo;

  const unsigned slots = threads_;
  // block_size is the smallest chunk; tiny ones grow until each slot has about 64 chunks, which
  // still balances uneven iterations but keeps the per-chunk cost (an atomic add and a guarded
  // call) away from kernels that do little per iteration. 0: about 8 chunks per slot.
  const uint32_t chunk = launch.blockSize
                             ? std::max<uint32_t>(launch.blockSize, count / (slots * 64))
                             : std::max<uint32_t>(1, count / (slots * 8));
  const uint64_t chunks = (uint64_t(count) + chunk - 1) / chunk;
  const unsigned runners = unsigned(std::min<uint64_t>(slots, chunks));
  if (runners > 1)
    PW_TRY(ensurePool());
  KernelSet *set = nullptr;
  PW_TRY(prepare(launch, runners, set));
  // The kernel instances are the device's, kept across launches and callers: each launch points
  // them at its caller's interrupt flag, so interrupting the caller stops every worker, and at
  // its slot's kernel context, which holds this exec's buffer span for checked kernels.
  const bool checked = set->module->checksKernelBuffers;
  const auto [spanStart, spanEnd] = bufferSpan(launch.buffers);
  for (unsigned s = 0; s < runners; ++s) {
    runtime::InstanceObject &inst = *set->instances[s];
    inst.ctx.interrupt = launch.interrupt ? launch.interrupt : &inst.store->interruptFlag;
    inst.ctx.fuel = launch.fuel;
    slots_[s].kernel = {spanStart, spanEnd, 0};
    inst.ctx.kernel = &slots_[s].kernel;
  }

  // Driver arguments: {first, last, numIterations, blockSize, (address, size) per buffer}.
  const size_t used = 4 + 2 * launch.buffers.size();
  const size_t stride = (used + 15) & ~size_t(15);
  if (io_.size() < stride * runners)
    io_.resize(stride * runners);
  for (unsigned s = 0; s < runners; ++s) {
    int32_t *io = io_.data() + stride * s;
    io[2] = int32_t(n);
    io[3] = int32_t(launch.blockSize);
    for (size_t b = 0; b < launch.buffers.size(); ++b) {
      io[4 + 2 * b] = int32_t(launch.buffers[b].address);
      io[5 + 2 * b] = int32_t(launch.buffers[b].size);
    }
    // Slot s's share: chunks [chunks * s / runners, chunks * (s + 1) / runners).
    Slot &slot = slots_[s];
    slot.next.store(lo + chunks * s / runners * chunk, std::memory_order_relaxed);
    slot.end = std::min<uint64_t>(hi, lo + chunks * (s + 1) / runners * chunk);
    slot.error.reset();
    slot.chunks = 0;
  }

  // A launch expected to take a few microseconds (its kernel's measured time per iteration
  // times its count) is bound by the hand-off, not by its balance: each thread then claims its
  // whole share at once (one guarded call and one atomic claim; a thread that starts late still
  // has chunks of its share taken by the others until it claims the rest). p2p, a launch of
  // 500 to 4,000 points per anti-diagonal, took 10-15 % less time at medium and large sizes. A
  // longer launch takes its share in halves, so that uneven iterations stay balanced.
  const bool wholeShares =
      set->nanosPerIteration >= 0 && set->nanosPerIteration * count < kShortLaunchNanos;
  std::atomic<bool> stop{false};
  support::Trace *tracer = launch.tracer;
  support::TraceSpan launchSpan(tracer, "cpu launch", "cpu");
  launchSpan.arg("iterations", count).arg("chunk", chunk).arg("runners", runners);
  auto runSlot = [&](unsigned self) {
    if (self >= runners)
      return;
    Slot &r = slots_[self];
    // This thread's share of the launch, then one span per chunk inside it (recorded here, so
    // each thread has its own lane in the viewer).
    double start = tracer ? tracer->nowUs() : 0;
    int32_t *io = io_.data() + stride * self;
    runtime::InstanceObject *inst = set->instances[self].get();
    // One interrupt scope for all of this thread's calls in the launch (callGuarded).
    runtime::InterruptScope interruptScope(inst->ctx.interrupt);
    // Its own share first, then the others', in slot order after its own. Its own share in
    // halves of what is left (whole chunks), the last pieces single chunks that the others can
    // take: fewer calls, each of which costs a trap scope and the kernel's loop set-up (p2p, one
    // launch per anti-diagonal of 64-point chunks, took 12 % less time). What it takes from
    // the others it takes a chunk at a time.
    for (unsigned k = 0; k < runners && !stop.load(std::memory_order_relaxed); ++k) {
      Slot &share = slots_[(self + k) % runners];
      while (!stop.load(std::memory_order_relaxed)) {
        // A plain load first: the atomic add is a full barrier on x86, which waits until the
        // kernel's stores have drained, and a share is usually done when it is looked at last.
        uint64_t next = share.next.load(std::memory_order_relaxed);
        if (next >= share.end)
          break;
        uint64_t take = k != 0 ? chunk
                        : wholeShares
                            ? share.end - next
                            : std::max<uint64_t>(1, (share.end - next) / chunk / 2) * chunk;
        uint64_t first = share.next.fetch_add(take, std::memory_order_relaxed);
        if (first >= share.end)
          break;
        uint64_t last = std::min<uint64_t>(share.end, first + take);
        io[0] = int32_t(first);
        io[1] = int32_t(last);
        ++r.chunks;
        double chunkStart = tracer ? tracer->nowUs() : 0;
        auto done =
            runtime::callGuarded(interruptScope, set->driver, nullptr, &inst->ctx, &inst->ctx, io);
        if (tracer)
          tracer->complete("chunk", "cpu", chunkStart, tracer->nowUs(),
                           support::TraceArgs().add("first", first).add("last", last));
        if (!done) {
          r.error.emplace(done.takeError());
          r.errorFirst = uint32_t(first);
          r.errorLast = uint32_t(last);
          stop.store(true, std::memory_order_relaxed);
          break;
        }
      }
    }
    if (tracer && r.chunks) // a worker that came too late did nothing
      tracer->complete("run", "cpu", start, tracer->nowUs(),
                       support::TraceArgs().add("slot", self).add("chunks", r.chunks));
  };
  if (runners == 1) {
    runSlot(0);
  } else {
    // Timing every launch would cost p2p's a few percent (two clock reads of ~25 ns).
    const bool timed = set->launches++ % 16 == 0;
    auto started =
        timed ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
    pool_->run(runSlot);
    if (timed)
      set->nanosPerIteration = double(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::steady_clock::now() - started)
                                          .count()) /
                               count;
  }

  for (unsigned s = 0; s < runners; ++s) {
    const Slot &r = slots_[s];
    if (r.error) {
      TrapCode code = r.error->trapCode().value_or(TrapCode::HostTrap);
      if (checked && code != TrapCode::Interrupted) {
        // The driver recorded the iteration it was running: name it, and the span it left. (An
        // interrupt may come before the slot's first iteration: it keeps the chunk's range.)
        std::string m = trapMessage(*r.error, r.kernel.iteration, r.kernel.iteration + 1, false);
        if (code == TrapCode::MemoryOutOfBounds)
          m += " (a checked kernel may only reach its buffers, guest bytes [" +
               std::to_string(spanStart) + ", " + std::to_string(spanEnd) + "))";
        return Status::trapped(code, m);
      }
      bool whole = r.errorFirst == 0 && r.errorLast == n;
      return Status::trapped(code, trapMessage(*r.error, r.errorFirst, r.errorLast, whole));
    }
  }
  return Status::ok();
}

} // namespace parawasm::parallel
