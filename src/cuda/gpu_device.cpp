#include "cuda/gpu_device.h"
#include "support/try.h"

#include "compile/ptx.h"
#include "cuda/cuda.h"
#include "cuda/multi_gpu_device.h"
#include "parallel/kernel.h"
#include "runtime/objects.h"
#include "support/trace.h"
#include "vm/gpu_launch.h"
#include "vm/trap_codes.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace parawasm::cuda {

using parallel::ErrorCode;
using parallel::KernelModule;
using parallel::LaunchBuffer;

namespace {

// The mirror's ends are kept on this boundary, so guest addresses and device addresses agree in
// their low bits and aligned guest accesses are aligned device accesses (cuMemAlloc gives at
// least this alignment).
constexpr uint64_t kMirrorAlign = 256;
static_assert(kMirrorAlign % vm::kGpuMirrorAlignment == 0);
// Threads per block when the guest's block_size is below a warp.
constexpr unsigned kDefaultBlock = 256;
constexpr unsigned kWarp = 32;

Status fromError(const Error &e) {
  return Status::fail(e.kind() == ErrorKind::Exhaustion ? ErrorCode::OutOfResources
                                                        : ErrorCode::DeviceFailure,
                      e.message());
}

// The provider registers itself: a program that links the CUDA back end has GPU devices.
[[maybe_unused]] const bool registered = [] {
  parallel::registerDeviceProvider(provideGpuDevices);
  return true;
}();

std::string gib(uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f GiB", double(bytes) / double(1ull << 30));
  return text;
}

} // namespace

struct GpuDevice::Mirror {
  std::weak_ptr<runtime::MemoryObject> memory;
  const runtime::MemoryObject *key = nullptr;
  DevicePtr base = 0; // 0 until the first region is bound
  uint64_t start = 0, end = 0;
};

// Per buffer: whether the device holds its contents. A write-only buffer is bound without a
// copy, so until a launch uses it its contents are still the guest's region (read_buffer after
// an exec of zero iterations must give back what the guest had there, as on the CPU).
struct GpuBuffer final : parallel::DeviceBuffer {
  // The mirror holds the bound region's contents (sent by write_buffer or by a launch).
  bool onDevice = false;
  // A launch that may have written it ran since it was bound: read_buffer fetches the mirror.
  bool writtenOnDevice = false;
};

struct GpuDevice::LoadedKernel {
  std::shared_ptr<Module> module;
  Kernel kernel;
};

// ---- Discovery ----------------------------------------------------------------------------

void provideGpuDevices(const DeviceOptions &options, std::vector<std::shared_ptr<Device>> &out) {
  static std::once_flag once;
  // Never destroyed: a device torn down at exit would call into a driver that may already have
  // shut itself down. The process's end frees the device memory anyway.
  static auto *devices = new std::vector<std::shared_ptr<Device>>;
  static std::string whyNone;
  std::call_once(once, [] {
    std::vector<std::shared_ptr<GpuDevice>> discrete;
    for (const DeviceInfo &info : listDevices(&whyNone)) {
      // Older GPUs than LLVM's oldest PTX target cannot run what we emit.
      if (compile::ptxTargetSm(info.sm()) == 0)
        continue;
      auto gpu = std::make_shared<GpuDevice>(info);
      if (info.integrated)
        devices->push_back(std::move(gpu));
      else
        discrete.push_back(std::move(gpu));
    }
    // Several discrete GPUs are one device that splits each launch between them; one stays
    // itself.
    if (discrete.size() > 1)
      devices->insert(devices->begin(), std::make_shared<MultiGpuDevice>(std::move(discrete)));
    else
      devices->insert(devices->begin(), discrete.begin(), discrete.end());
  });
  if (devices->empty() && options.verbose && !whyNone.empty())
    std::fprintf(stderr, "parawasm: no GPU device: %s\n", whyNone.c_str());
  out.insert(out.end(), devices->begin(), devices->end());
}

// ---- GpuDevice ----------------------------------------------------------------------------

GpuDevice::GpuDevice(const DeviceInfo &info)
    : info_(std::make_unique<DeviceInfo>(info)), ptx_(std::make_unique<compile::PtxCache>()),
      kernels_(kMaxLoadedKernels) {}

GpuDevice::~GpuDevice() {
  kernels_.clear(); // modules go before their context
  if (context_) {
    for (auto &m : mirrors_)
      context_->free(m->base);
    context_->free(trapRecord_);
  }
}

parallel::DeviceKind GpuDevice::kind() const {
  return info_->integrated ? parallel::DeviceKind::IntegratedGpu
                           : parallel::DeviceKind::DiscreteGpu;
}

std::string GpuDevice::name() const { return info_->name; }

std::string GpuDevice::details() const {
  std::string text = "compute capability " + std::to_string(info_->computeMajor) + "." +
                     std::to_string(info_->computeMinor) + ", " + gib(info_->totalMemory) + ", " +
                     std::to_string(info_->multiprocessors) + " multiprocessors";
  if (auto driver = Driver::get()) {
    int v = (*driver)->version();
    text += ", CUDA driver " + std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10);
  }
  return text + ", PTX for sm_" + std::to_string(compile::ptxTargetSm(info_->sm()));
}

size_t GpuDevice::compiledKernels() const {
  std::lock_guard lock(mutex_);
  return kernels_.size();
}

size_t GpuDevice::mirrors() const {
  std::lock_guard lock(mutex_);
  return mirrors_.size();
}

Status GpuDevice::ensureContext() {
  if (failed_)
    return Status::fail(ErrorCode::DeviceFailure, "the GPU failed earlier: " + contextError_);
  if (context_)
    return Status::ok();
  if (!contextError_.empty())
    return Status::fail(ErrorCode::DeviceFailure, contextError_);
  auto c = Context::create(info_->ordinal);
  if (!c) {
    contextError_ = c.error().message();
    return Status::fail(ErrorCode::DeviceFailure, contextError_);
  }
  auto record = (*c)->alloc(sizeof(vm::GpuTrapRecord));
  if (!record)
    return fromError(record.error());
  context_ = std::move(*c);
  trapRecord_ = *record;
  return Status::ok();
}

void GpuDevice::pruneMirrors() {
  // A mirror lives as long as its guest memory: gone memories give their device memory back.
  std::erase_if(mirrors_, [&](const std::unique_ptr<Mirror> &m) {
    if (!m->memory.expired())
      return false;
    if (context_)
      context_->free(m->base);
    return true;
  });
}

GpuDevice::Mirror *GpuDevice::findMirror(const GuestMemory &memory) {
  for (auto &m : mirrors_)
    if (m->key == memory.object.get() && !m->memory.expired())
      return m.get();
  return nullptr;
}

Status GpuDevice::cover(Mirror &m, uint64_t start, uint64_t end) {
  if (start == end || (m.base && start >= m.start && end <= m.end))
    return Status::ok();
  uint64_t newStart = start / kMirrorAlign * kMirrorAlign;
  uint64_t newEnd = (end + kMirrorAlign - 1) / kMirrorAlign * kMirrorAlign;
  if (m.base) {
    newStart = std::min(newStart, m.start);
    newEnd = std::max(newEnd, m.end);
  }
  auto base = context_->alloc(newEnd - newStart);
  if (!base)
    return fromError(base.error());
  if (m.base) {
    // Regions bound earlier keep what the device holds for them (e.g. results not read yet).
    if (auto r = context_->copyOnDevice(*base + (m.start - newStart), m.base, m.end - m.start);
        !r) {
      context_->free(*base);
      return fromError(r.error());
    }
    context_->free(m.base);
  }
  m.base = *base;
  m.start = newStart;
  m.end = newEnd;
  return Status::ok();
}

unsigned GpuDevice::concurrency() const { return unsigned(std::max(1, info_->multiprocessors)); }

Status GpuDevice::createBuffer(uint32_t size, AccessKind, std::unique_ptr<DeviceBuffer> &out) {
  if (size > info_->totalMemory)
    return Status::fail(ErrorCode::OutOfResources, "a buffer of " + std::to_string(size) +
                                                       " bytes does not fit in " + info_->name +
                                                       "'s " + gib(info_->totalMemory));
  out = std::make_unique<GpuBuffer>(); // its bytes live in the mirror
  return Status::ok();
}

Status GpuDevice::writeBuffer(DeviceBuffer *buffer, const GuestMemory &memory, uint32_t address,
                              uint32_t size, AccessKind access) {
  std::lock_guard lock(mutex_);
  if (buffer) {
    auto *b = static_cast<GpuBuffer *>(buffer);
    // A write buffer is sent only if a launch lists it as an input (see launch()).
    b->onDevice = access != AccessKind::Write;
    b->writtenOnDevice = false;
  }
  if (size == 0)
    return Status::ok();
  Mirror *m = nullptr;
  PW_TRY(bind(memory, address, uint64_t(address) + size, m));
  if (access == AccessKind::Write)
    return Status::ok(); // the kernel writes it; nothing to send
  if (auto r =
          context_->copyToDevice(m->base + (address - m->start), memory.base() + address, size);
      !r)
    return fromError(r.error());
  return Status::ok();
}

Status GpuDevice::bind(const GuestMemory &memory, uint64_t start, uint64_t end, Mirror *&out) {
  PW_TRY(ensureContext());
  pruneMirrors();
  Mirror *m = findMirror(memory);
  if (!m) {
    mirrors_.push_back(std::make_unique<Mirror>());
    m = mirrors_.back().get();
    m->memory = memory.object;
    m->key = memory.object.get();
  }
  PW_TRY(cover(*m, start, end));
  out = m;
  return Status::ok();
}

Status GpuDevice::copyToMirror(const GuestMemory &memory, uint32_t address, const uint8_t *src,
                               uint32_t size) {
  if (size == 0)
    return Status::ok();
  std::lock_guard lock(mutex_);
  Mirror *m = nullptr;
  PW_TRY(bind(memory, address, uint64_t(address) + size, m));
  if (auto r = context_->copyToDevice(m->base + (address - m->start), src, size); !r)
    return fromError(r.error());
  return Status::ok();
}

Status GpuDevice::copyFromMirror(const GuestMemory &memory, uint32_t address, uint8_t *dst,
                                 uint32_t size) {
  if (size == 0)
    return Status::ok();
  std::lock_guard lock(mutex_);
  PW_TRY(ensureContext());
  Mirror *m = findMirror(memory);
  if (!m || !m->base || address < m->start || uint64_t(address) + size > m->end)
    return Status::fail(ErrorCode::InvalidArgument,
                        "the region was not bound in this memory on " + info_->name);
  if (auto r = context_->copyToHost(dst, m->base + (address - m->start), size); !r)
    return fromError(r.error());
  return Status::ok();
}

Status GpuDevice::readBuffer(DeviceBuffer *buffer, const GuestMemory &memory, uint32_t boundAddress,
                             uint32_t destination, uint32_t size, AccessKind access) {
  if (size == 0)
    return Status::ok();
  std::lock_guard lock(mutex_);
  // Only a launch that may write the buffer (listed as an output, or writable) leaves newer
  // contents on the device; otherwise the bound region already has them.
  bool onDevice = buffer ? static_cast<GpuBuffer *>(buffer)->writtenOnDevice
                         : access != AccessKind::Read; // no state kept: assume the worst
  if (!onDevice) {
    if (destination != boundAddress)
      std::memmove(memory.base() + destination, memory.base() + boundAddress, size);
    return Status::ok();
  }
  PW_TRY(ensureContext());
  Mirror *m = findMirror(memory);
  if (!m || !m->base || boundAddress < m->start || uint64_t(boundAddress) + size > m->end)
    return Status::fail(ErrorCode::InvalidArgument,
                        "the buffer was not bound in this memory on " + info_->name);
  if (auto r = context_->copyToHost(memory.base() + destination,
                                    m->base + (boundAddress - m->start), size);
      !r)
    return fromError(r.error());
  return Status::ok();
}

Status GpuDevice::kernelFor(const Launch &launch, LoadedKernel *&out) {
  const KernelModule &k = *launch.kernel;
  std::string key = k.loaded.hash + "/" + std::to_string(k.kernelFunc);
  if (auto *loaded = kernels_.find(key)) {
    out = loaded->get();
    return Status::ok();
  }
  // What a GPU cannot run is NotSupported (the same call works on the cpu device).
  if (auto r = k.worker ? compile::checkGpuWorker(k.loaded, k.kernelFunc)
                        : compile::checkGpuKernel(k.loaded, k.kernelFunc);
      !r)
    return Status::fail(ErrorCode::NotSupported, r.error().message());
  double t0 = launch.tracer ? launch.tracer->nowUs() : 0;
  auto ptx = ptx_->get(k.loaded, k.kernelFunc, info_->sm());
  if (!ptx) {
    // The compiler says which failures are refusals (an operator, a limit or a compute
    // capability this GPU path cannot handle); an invalid kernel is the guest's, the rest ours.
    ErrorKind kind = ptx.error().kind();
    return Status::fail(kind == ErrorKind::Unsupported ? ErrorCode::NotSupported
                        : kind == ErrorKind::Invalid   ? ErrorCode::InvalidKernel
                                                       : ErrorCode::DeviceFailure,
                        ptx.error().message());
  }
  double t1 = launch.tracer ? launch.tracer->nowUs() : 0;
  auto module = context_->loadModule(**ptx);
  if (!module)
    return fromError(module.error());
  auto kernel = (*module)->kernel(vm::kGpuEntrySymbol);
  if (!kernel)
    return fromError(kernel.error());
  if (launch.tracer) {
    launch.tracer->complete("kernel compile", "gpu", t0, t1);               // Wasm -> PTX
    launch.tracer->complete("gpu load", "gpu", t1, launch.tracer->nowUs()); // PTX -> SASS
  }
  auto loaded = std::make_unique<LoadedKernel>();
  loaded->module = std::move(*module);
  loaded->kernel = *kernel;
  out = kernels_.insert(std::move(key), std::move(loaded)).get();
  return Status::ok();
}

Status GpuDevice::launch(const Launch &launch) {
  const uint32_t first = launch.first, last = launch.end();
  if (first >= last)
    return Status::ok();
  const uint32_t n = last - first; // iterations this launch runs
  std::lock_guard lock(mutex_);
  PW_TRY(ensureContext());
  pruneMirrors();
  LoadedKernel *kernel = nullptr;
  PW_TRY(kernelFor(launch, kernel));

  vm::GpuLaunchParams p{};
  if (Mirror *m = findMirror(launch.memory)) {
    p.memory = m->base;
    p.spanStart = m->start;
    p.spanEnd = m->end;
  }
  if ((p.memory - p.spanStart) % vm::kGpuMirrorAlignment)
    return Status::fail(ErrorCode::DeviceFailure,
                        "the mirror on " + info_->name +
                            " is not aligned like the guest memory it holds");
  for (const LaunchBuffer &b : launch.buffers)
    if (b.size &&
        (!p.memory || b.address < p.spanStart || uint64_t(b.address) + b.size > p.spanEnd))
      return Status::fail(ErrorCode::InvalidArgument,
                          "a buffer of this launch is not bound in the caller's memory on " +
                              info_->name);
  p.memorySize = launch.memory.size();
  p.trapRecord = trapRecord_;
  p.numIterations = launch.numIterations;
  p.blockSize = launch.blockSize;
  p.firstIteration = first;
  p.lastIteration = last;
  std::vector<uint32_t> args;
  for (const LaunchBuffer &b : launch.buffers) {
    args.push_back(b.address);
    args.push_back(b.size);
  }
  std::vector<void *> params(vm::kGpuLaunchParamCount);
  vm::gpuLaunchParamPointers(p, params.data());
  for (uint32_t &a : args)
    params.push_back(&a);

  unsigned limit =
      unsigned(kernel->kernel.maxThreadsPerBlock > 0 ? kernel->kernel.maxThreadsPerBlock
                                                     : info_->maxThreadsPerBlock);
  unsigned threads = launch.blockSize >= kWarp ? launch.blockSize : kDefaultBlock;
  threads = std::max(1u, std::min(threads, limit));
  if (threads > kWarp)
    threads = threads / kWarp * kWarp;
  uint64_t blocks = (uint64_t(n) + threads - 1) / threads;
  // Past the grid's limit, each thread takes several iterations (the entry's grid-stride loop).
  blocks = std::min<uint64_t>(blocks, uint64_t(std::max(1, info_->maxGridX)));

  if (auto r = context_->fill(trapRecord_, 0, sizeof(vm::GpuTrapRecord)); !r)
    return fromError(r.error());
  // Access kinds are hints: a write buffer listed as an input is sent now, and every buffer the
  // kernel may write is fetched by the next read_buffer.
  Mirror *mirror = findMirror(launch.memory);
  for (const LaunchBuffer &b : launch.buffers) {
    auto *state = static_cast<GpuBuffer *>(b.deviceBuffer);
    if (!state)
      continue;
    if (b.copyIn && !state->onDevice && b.size) {
      if (auto r = context_->copyToDevice(mirror->base + (b.address - mirror->start),
                                          launch.memory.base() + b.address, b.size);
          !r)
        return fromError(r.error());
    }
    state->onDevice = true;
    if (b.copyOut)
      state->writtenOnDevice = true;
  }
  double t0 = launch.tracer ? launch.tracer->nowUs() : 0;
  if (auto r = context_->launch(kernel->kernel, unsigned(blocks), threads, params.data()); !r)
    return fromError(r.error());
  auto finished = context_->synchronizeUnless(launch.interrupt);
  if (!finished) {
    // A kernel that ran out of resources leaves the context usable; any other failure of a
    // running kernel does not.
    if (finished.error().kind() != ErrorKind::Exhaustion) {
      failed_ = true;
      contextError_ = finished.error().message();
    }
    return fromError(finished.error());
  }
  if (!*finished) {
    // Interrupted. The driver API cannot stop a running kernel (only the end of the process
    // does), and the kernel may still write the mirror: the device takes no more work.
    failed_ = true;
    contextError_ = "an interrupted kernel may still be running on the GPU";
    return Status::trapped(TrapCode::Interrupted,
                           std::string(trapCodeMessage(TrapCode::Interrupted)) +
                               " (the kernel was abandoned: the CUDA driver cannot stop it)");
  }
  if (launch.tracer)
    launch.tracer->complete("gpu run", "gpu", t0, launch.tracer->nowUs(),
                            support::TraceArgs().add("blocks", blocks).add("threads", threads));
  vm::GpuTrapRecord record{};
  if (auto r = context_->copyToHost(&record, trapRecord_, sizeof record); !r)
    return fromError(r.error());
  if (record.code == 0)
    return Status::ok();
  if (record.code > vm::kNumTrapCodes)
    return Status::fail(ErrorCode::DeviceFailure,
                        "the GPU reported an unknown trap code " + std::to_string(record.code));
  auto trap = static_cast<TrapCode>(record.code - 1);
  return Status::trapped(trap, std::string(trapCodeMessage(trap)) + " in iteration " +
                                   std::to_string(record.iteration));
}

} // namespace parawasm::cuda

// Nothing calls into this file, so a program linked against libparawasm.a would leave it out,
// and the registration above with it; the installed package's link flags name this symbol
// (--undefined) to keep it (cmake/install.cmake).
extern "C" const bool parawasm_cuda_backend = parawasm::cuda::registered;
