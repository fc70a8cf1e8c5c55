#include "parallel/host_api.h"

#include "parallel/device_registry.h"
#include "parallel/kernel.h"
#include "runtime/interrupt.h"
#include "runtime/objects.h"
#include "support/file_io.h"
#include "support/trace.h"
#include "support/try.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace parawasm::parallel {

GuestMemory callerMemory(runtime::InstanceObject *instance) {
  if (!instance || instance->memories.empty())
    return {};
  const auto &object = instance->memories[0];
  return GuestMemory(object, object->vm.base, object->vm.sizeBytes.load());
}

namespace {

GuestMemory guestMemory(Caller &caller) { return callerMemory(caller.instance()); }

bool writeHandle(const GuestMemory &m, uint32_t address, int32_t value) {
  if (!m.contains(address, 4))
    return false;
  std::memcpy(m.base() + address, &value, 4); // little-endian host, like Wasm
  return true;
}

std::string hexHash(uint64_t hash) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, hash);
  return buf;
}

// Records one host call in the trace when tracing, with the error code it returns.
class CallSpan {
public:
  CallSpan(support::Trace *trace, const char *name) : span_(trace, name, "wasi-parallel") {}
  ~CallSpan() { span_.arg("result", result_); }
  template <class T> CallSpan &arg(std::string_view key, const T &value) {
    span_.arg(key, value);
    return *this;
  }
  ErrorCode result(ErrorCode code) {
    result_ = errorCodeName(code);
    return code;
  }
  support::TraceSpan *traceSpan() { return &span_; }

private:
  support::TraceSpan span_;
  const char *result_ = "success";
};

} // namespace

Result<std::unique_ptr<HostContext>> HostContext::create(KernelCompiler &compiler,
                                                         const ParallelConfig &config) {
  // A kind, or else the name of a device a provider offers ("cluster").
  std::optional<DeviceKind> forcedKind;
  if (!config.device.empty())
    forcedKind = parseDeviceKind(config.device);
  PW_TRY_ASSIGN(unsigned threads, resolveThreads(config.threads));
  std::unique_ptr<HostContext> ctx(new HostContext());
  ctx->compiler_ = &compiler;
  ctx->config_ = config;
  ctx->deviceOptions_.threads = threads;
  ctx->deviceOptions_.verbose = config.verbose;
  if (!config.device.empty()) {
    for (const auto &d : ctx->devices())
      if (forcedKind ? d->kind() == *forcedKind : d->name() == config.device) {
        ctx->forced_ = d;
        break;
      }
    if (!ctx->forced_ && !forcedKind)
      return Error(ErrorKind::Usage,
                   "unknown wasi-parallel device '" + config.device +
                       "' (sequential, cpu, gpu, igpu, 0-3, or cluster under mpirun)");
    if (!ctx->forced_)
      return Error(ErrorKind::Usage, std::string("this machine has no ") +
                                         deviceKindName(*forcedKind) +
                                         " device (see 'parawasm devices')");
  }
  ctx->kernels_ = KernelCache::forEngine(compiler);
  // A trace that could not be written at exit is an error now, before the program runs.
  if (!config.traceFile.empty())
    if (auto writable = support::checkWritableFile(config.traceFile); !writable)
      return Error(ErrorKind::Io, "trace: " + writable.error().message());
  if (!config.traceFile.empty())
    ctx->tracer_ = std::make_unique<support::Trace>(config.traceFile, "parawasm wasi-parallel");
  return ctx;
}

HostContext::~HostContext() = default;

const std::vector<std::shared_ptr<Device>> &HostContext::devices() const {
  std::call_once(discovered_, [this] { devices_ = discoverDevices(deviceOptions_); });
  return devices_;
}

std::optional<ParallelError> HostContext::lastError() const {
  std::lock_guard lock(errorMutex_);
  return lastError_;
}

void HostContext::clearLastError() {
  std::lock_guard lock(errorMutex_);
  lastError_.reset();
}

ErrorCode HostContext::fail(const char *call, Status status) {
  ParallelError e;
  e.code = static_cast<int32_t>(status.code);
  e.codeName = errorCodeName(status.code);
  e.call = call;
  e.message = std::move(status.message);
  e.trap = status.trap;
  if (config_.verbose)
    std::fprintf(stderr, "parawasm: wasi-parallel: %s failed: %s: %s\n", call, e.codeName.c_str(),
                 e.message.c_str());
  std::lock_guard lock(errorMutex_);
  lastError_ = std::move(e);
  return status.code;
}

Device *HostContext::deviceAt(int32_t handle, size_t *index) const {
  if (handle < 1 || size_t(handle) > devices().size())
    return nullptr;
  if (index)
    *index = size_t(handle - 1);
  return devices()[size_t(handle - 1)].get();
}

HostContext::BufferRecord *HostContext::bufferAt(int32_t handle) {
  if (handle < kFirstBuffer || size_t(handle - kFirstBuffer) >= buffers_.size())
    return nullptr;
  return buffers_[size_t(handle - kFirstBuffer)].get();
}

Status HostContext::chooseDeviceFor(Generation generation, int32_t hint, int32_t &handle) {
  auto kind = hintToDeviceKind(generation, hint);
  if (!kind)
    return Status::fail(ErrorCode::InvalidArgument, "unknown device hint " + std::to_string(hint));
  std::shared_ptr<Device> device = forced_ ? forced_ : chooseDevice(devices(), *kind);
  handle = 0;
  for (size_t i = 0; i < devices().size(); ++i)
    if (devices()[i] == device)
      handle = int32_t(i + 1);
  std::lock_guard lock(mutex_);
  lastDevice_ = handle;
  if (config_.verbose && !hintReported_[static_cast<int32_t>(*kind)]) {
    hintReported_[static_cast<int32_t>(*kind)] = true;
    std::fprintf(stderr, "parawasm: wasi-parallel: device hint %s -> %s (%s)\n",
                 deviceKindName(*kind), device->name().c_str(), device->details().c_str());
  }
  return Status::ok();
}

ErrorCode HostContext::getDevice(Caller &caller, int32_t hint, uint32_t outDevice) {
  CallSpan span(tracer_.get(), "get_device");
  runtime::InstanceObject *inst = caller.instance();
  Generation generation =
      inst ? generationOf(inst->module->info).generation.value_or(Generation::Witx)
           : Generation::Witx;
  int32_t handle = 0;
  Status st = chooseDeviceFor(generation, hint, handle);
  if (!st.isOk())
    return span.result(fail("get_device", std::move(st)));
  span.arg("hint", hint).arg("device", devices()[size_t(handle - 1)]->name());
  GuestMemory memory = guestMemory(caller);
  if (!writeHandle(memory, outDevice, handle))
    return span.result(fail(
        "get_device", Status::fail(ErrorCode::BufferOutOfBounds, "out_device is outside memory")));
  return ErrorCode::Success;
}

ErrorCode HostContext::getLastError(Caller &caller, uint32_t bufPtr, uint32_t bufLen,
                                    uint32_t outLen) {
  std::string text;
  if (auto e = lastError()) {
    text = e->call + ": " + e->codeName + ": " + e->message;
    std::replace(text.begin(), text.end(), '\n', ' ');
  }
  GuestMemory memory = guestMemory(caller);
  uint32_t copied = uint32_t(std::min<size_t>(text.size(), bufLen));
  if (!memory.contains(bufPtr, bufLen) || !memory.contains(outLen, 4))
    return ErrorCode::BufferOutOfBounds; // not recorded: the last error stays the one asked for
  std::memcpy(memory.base() + bufPtr, text.data(), copied);
  (void)writeHandle(memory, outLen, int32_t(text.size()));
  return ErrorCode::Success;
}

ErrorCode HostContext::getDeviceThreads(Caller &caller, int32_t device, uint32_t outThreads) {
  Device *dev = deviceAt(device);
  if (!dev)
    return fail(
        "get_device_threads",
        Status::fail(ErrorCode::InvalidHandle, "unknown device handle " + std::to_string(device)));
  if (!writeHandle(guestMemory(caller), outThreads, int32_t(dev->concurrency())))
    return fail("get_device_threads",
                Status::fail(ErrorCode::BufferOutOfBounds, "out_threads is outside memory"));
  return ErrorCode::Success;
}

Status HostContext::create(int32_t device, uint32_t size, int32_t access, int32_t &handle,
                           const runtime::InstanceObject *caller) {
  size_t deviceIndex = 0;
  Device *dev = deviceAt(device, &deviceIndex);
  if (!dev)
    return Status::fail(ErrorCode::InvalidHandle,
                        "unknown device handle " + std::to_string(device));
  auto kind = toAccessKind(access);
  if (!kind)
    return Status::fail(ErrorCode::InvalidArgument,
                        "unknown access kind " + std::to_string(access));
  std::lock_guard lock(mutex_);
  if (buffers_.size() >= kMaxBuffers)
    return Status::fail(ErrorCode::OutOfResources,
                        "too many buffers (" + std::to_string(kMaxBuffers) + ")");
  if (caller)
    if (auto why = caller->store->limiter->parallelBufferCreating(uint32_t(buffers_.size())))
      return Status::fail(ErrorCode::OutOfResources, *why);
  auto record = std::make_unique<BufferRecord>();
  record->device = deviceIndex;
  record->size = size;
  record->access = *kind;
  PW_TRY(dev->createBuffer(size, *kind, record->deviceBuffer));
  handle = kFirstBuffer + int32_t(buffers_.size());
  buffers_.push_back(std::move(record));
  return Status::ok();
}

ErrorCode HostContext::createBuffer(Caller &caller, int32_t device, uint32_t size, int32_t access,
                                    uint32_t outBuffer) {
  CallSpan span(tracer_.get(), "create_buffer");
  span.arg("size", size);
  GuestMemory memory = guestMemory(caller);
  if (deviceAt(device) && toAccessKind(access) && !memory.contains(outBuffer, 4))
    return span.result(fail("create_buffer", Status::fail(ErrorCode::BufferOutOfBounds,
                                                          "out_buffer is outside memory")));
  int32_t handle = 0;
  Status st = create(device, size, access, handle, caller.instance());
  if (!st.isOk())
    return span.result(fail("create_buffer", std::move(st)));
  if (!writeHandle(memory, outBuffer, handle)) // checked above; memory never shrinks
    return span.result(ErrorCode::BufferOutOfBounds);
  return ErrorCode::Success;
}

Status HostContext::bufferOfSize(int32_t buffer, uint32_t dataLen, BufferRecord *&out) {
  out = bufferAt(buffer);
  if (!out)
    return Status::fail(ErrorCode::InvalidHandle,
                        "unknown buffer handle " + std::to_string(buffer));
  if (dataLen != out->size)
    return Status::fail(ErrorCode::InvalidArgument, "data_len " + std::to_string(dataLen) +
                                                        " differs from the buffer's size " +
                                                        std::to_string(out->size));
  return Status::ok();
}

Status HostContext::bind(const GuestMemory &memory, uint32_t dataPtr, uint32_t dataLen,
                         int32_t buffer) {
  std::lock_guard lock(mutex_);
  BufferRecord *b = nullptr;
  PW_TRY(bufferOfSize(buffer, dataLen, b));
  if (!memory.contains(dataPtr, dataLen))
    return Status::fail(ErrorCode::BufferOutOfBounds, "the region is outside memory");
  PW_TRY(devices()[b->device]->writeBuffer(b->deviceBuffer.get(), memory, dataPtr, dataLen,
                                           b->access));
  b->bound = true;
  b->address = dataPtr;
  return Status::ok();
}

ErrorCode HostContext::writeBuffer(Caller &caller, uint32_t dataPtr, uint32_t dataLen,
                                   int32_t buffer) {
  CallSpan span(tracer_.get(), "write_buffer");
  span.arg("size", dataLen);
  Status st = bind(guestMemory(caller), dataPtr, dataLen, buffer);
  if (!st.isOk())
    return span.result(fail("write_buffer", std::move(st)));
  return ErrorCode::Success;
}

Status HostContext::fetch(const GuestMemory &memory, int32_t buffer, uint32_t dataPtr,
                          uint32_t dataLen) {
  std::lock_guard lock(mutex_);
  BufferRecord *b = nullptr;
  PW_TRY(bufferOfSize(buffer, dataLen, b));
  if (!b->bound)
    return Status::fail(ErrorCode::InvalidArgument, "the buffer was never bound by write_buffer");
  // The bound region too: the context may serve another instance with a smaller memory.
  if (!memory.contains(dataPtr, dataLen) || !memory.contains(b->address, dataLen))
    return Status::fail(ErrorCode::BufferOutOfBounds, "the region is outside memory");
  return devices()[b->device]->readBuffer(b->deviceBuffer.get(), memory, b->address, dataPtr,
                                          dataLen, b->access);
}

ErrorCode HostContext::readBuffer(Caller &caller, int32_t buffer, uint32_t dataPtr,
                                  uint32_t dataLen) {
  CallSpan span(tracer_.get(), "read_buffer");
  span.arg("size", dataLen);
  Status st = fetch(guestMemory(caller), buffer, dataPtr, dataLen);
  if (!st.isOk())
    return span.result(fail("read_buffer", std::move(st)));
  return ErrorCode::Success;
}

Status HostContext::resolveBuffers(const GuestMemory &memory, std::span<const ListedBuffer> listed,
                                   std::optional<size_t> &device, std::vector<LaunchBuffer> &out) {
  out.clear();
  out.reserve(listed.size());
  std::lock_guard lock(mutex_);
  for (const ListedBuffer &l : listed) {
    BufferRecord *b = bufferAt(l.handle);
    if (!b)
      return Status::fail(ErrorCode::InvalidHandle,
                          l.where() + ": unknown buffer handle " + std::to_string(l.handle));
    if (!device)
      device = b->device;
    else if (b->device != *device)
      return Status::fail(ErrorCode::InvalidArgument, l.where() + " was created on another device");
    if (!b->bound)
      return Status::fail(ErrorCode::InvalidArgument,
                          l.where() + " was never bound by write_buffer");
    if (!memory.contains(b->address, b->size))
      return Status::fail(ErrorCode::BufferOutOfBounds, l.where() + " is bound outside memory");
    LaunchBuffer launch;
    launch.address = b->address;
    launch.size = b->size;
    launch.access = b->access;
    launch.deviceBuffer = b->deviceBuffer.get();
    out.push_back(transferDirections(launch, l.listedIn, l.listedOut));
  }
  return Status::ok();
}

// The handles of a guest's handle array (little-endian i32, no alignment), already checked to
// lie inside memory.
static void readHandles(const GuestMemory &memory, uint32_t at, uint32_t count, const char *list,
                        bool input, std::vector<HostContext::ListedBuffer> &out);

Status HostContext::exec(const char *call, Device &dev, const GuestMemory &memory,
                         std::span<const uint8_t> kernelBytes, uint32_t numIterations,
                         uint32_t blockSize, std::span<const LaunchBuffer> buffers,
                         support::TraceSpan *span, const runtime::InstanceObject *caller) {
  if (numIterations > kMaxIterations)
    return Status::fail(ErrorCode::InvalidArgument,
                        "num_iterations " + std::to_string(numIterations) + " is above 2^31 - 1");
  if (caller)
    if (auto why = caller->store->limiter->kernelLoading(kernelBytes.size()))
      return Status::fail(ErrorCode::OutOfResources, *why);
  std::shared_ptr<KernelModule> kernel;
  bool isNew = false;
  double lookupStart = tracer_ ? tracer_->nowUs() : 0;
  Status st = kernels_->lookup(kernelBytes, kernel, &isNew);
  if (!st.isOk())
    return st;
  if (isNew && tracer_) // decoding and validating the kernel module; compiling is per device
    tracer_->complete(
        "kernel load", "wasi-parallel", lookupStart, tracer_->nowUs(),
        support::TraceArgs().add("kernel", hexHash(kernel->hash)).add("bytes", kernelBytes.size()));
  if (isNew && config_.verbose)
    std::fprintf(stderr, "parawasm: wasi-parallel: new kernel %s: %zu bytes, %u buffers\n",
                 hexHash(kernel->hash).c_str(), kernelBytes.size(), kernel->numBuffers);
  if (span && span->active())
    span->arg("device", dev.name())
        .arg("kernel", hexHash(kernel->hash))
        .arg("num_iterations", numIterations)
        .arg("block_size", blockSize)
        .arg("buffers", buffers.size());
  (void)call;
  if (kernel->numBuffers != buffers.size())
    return Status::fail(ErrorCode::InvalidKernel,
                        "'kernel' takes " + std::to_string(kernel->numBuffers) + " buffers (" +
                            std::to_string(kernelParamCount(kernel->numBuffers)) +
                            " parameters), the call passes " + std::to_string(buffers.size()));
  if (auto why = checkMemoryImport(kernel->memoryImport, memory.size()))
    return Status::fail(ErrorCode::InvalidKernel, *why);

  Launch launch;
  launch.kernel = std::move(kernel);
  launch.memory = memory;
  launch.numIterations = numIterations;
  launch.blockSize = blockSize;
  launch.buffers = buffers;
  launch.tracer = tracer_.get();
  if (caller) {
    launch.interrupt = caller->ctx.interrupt;
    launch.fuel = caller->ctx.fuel;
  }
  Status status = dev.launch(launch);
  if (status.trap == TrapCode::Interrupted)
    runtime::noteInterruptReported(); // the guest learns of it from kernel_trapped
  return status;
}

ErrorCode HostContext::parallelExec(Caller &caller, int32_t device, uint32_t kernelPtr,
                                    uint32_t kernelLen, uint32_t numIterations, uint32_t blockSize,
                                    uint32_t inPtr, uint32_t inLen, uint32_t outPtr,
                                    uint32_t outLen) {
  static const char *call = "parallel_exec";
  CallSpan span(tracer_.get(), call);
  auto failWith = [&](ErrorCode code, std::string message) {
    return span.result(fail(call, Status::fail(code, std::move(message))));
  };
  size_t deviceIndex = 0;
  Device *dev = deviceAt(device, &deviceIndex);
  if (!dev)
    return failWith(ErrorCode::InvalidHandle, "unknown device handle " + std::to_string(device));
  GuestMemory memory = guestMemory(caller);
  if (!memory.contains(kernelPtr, kernelLen))
    return failWith(ErrorCode::BufferOutOfBounds, "the kernel bytes are outside memory");
  if (!memory.contains(inPtr, uint64_t(inLen) * 4))
    return failWith(ErrorCode::BufferOutOfBounds, "the in-buffer list is outside memory");
  if (!memory.contains(outPtr, uint64_t(outLen) * 4))
    return failWith(ErrorCode::BufferOutOfBounds, "the out-buffer list is outside memory");
  if (numIterations > kMaxIterations)
    return failWith(ErrorCode::InvalidArgument,
                    "num_iterations " + std::to_string(numIterations) + " is above 2^31 - 1");
  // Per-thread lists reused from call to call: a guest calling parallel_exec in a loop
  // allocates nothing here once they have grown.
  thread_local std::vector<ListedBuffer> listed;
  thread_local std::vector<LaunchBuffer> buffers;
  listed.clear();
  readHandles(memory, inPtr, inLen, "in-buffer", true, listed);
  readHandles(memory, outPtr, outLen, "out-buffer", false, listed);
  std::optional<size_t> onDevice = deviceIndex;
  Status st = resolveBuffers(memory, listed, onDevice, buffers);
  if (st.isOk())
    st = exec(call, *dev, memory, {memory.base() + kernelPtr, kernelLen}, numIterations, blockSize,
              buffers, span.traceSpan(), caller.instance());
  if (!st.isOk())
    return span.result(fail(call, std::move(st)));
  return ErrorCode::Success;
}

static void readHandles(const GuestMemory &memory, uint32_t at, uint32_t count, const char *list,
                        bool input, std::vector<HostContext::ListedBuffer> &out) {
  for (uint32_t k = 0; k < count; ++k) {
    int32_t handle;
    std::memcpy(&handle, memory.base() + at + 4 * k, 4);
    out.push_back({handle, input, !input, list, k});
  }
}

} // namespace parawasm::parallel
