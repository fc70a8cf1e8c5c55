// The fake CUDA driver described in fake_cuda.h. Signatures follow NVIDIA's driver API as
// src/cuda/driver_api.h declares it; only what parawasm calls is here.
#include "fake_cuda.h"
#include "ptx_interpreter.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

namespace {

constexpr int kSuccess = 0, kInvalidValue = 1, kOutOfMemory = 2, kInvalidDevice = 101,
              kInvalidPtx = 218, kNotFound = 500, kNotReady = 600;
constexpr size_t kTotalMemory = size_t(1) << 30;

std::mutex mutex;
std::map<uintptr_t, size_t> allocations;
PwFakeStats stats{};
PwFakeKernel kernel = nullptr;
std::atomic<int> failNextSync{0};
std::atomic<int> busy{0};
struct Module {
  std::string ptx;
  std::shared_ptr<const pwfake::PtxModule> program; // with $PW_FAKE_CUDA_EXECUTE=1
};
struct Function {
  Module *module;
  std::string name;
};

// $PW_FAKE_CUDA_EXECUTE=1: launches run their PTX (ptx_interpreter.h) unless a test installed a
// C++ kernel. Each GPU runs one kernel at a time on a thread of its own, as a stream would:
// cuStreamQuery says whether it is still running, and cuCtxSynchronize and every copy wait for it
// (a kernel that never ends keeps them waiting, as on a GPU). A kernel's failure is the context's
// from then on, and its reason is printed on stderr.
bool executePtx() {
  static const bool on = [] {
    const char *text = std::getenv("PW_FAKE_CUDA_EXECUTE");
    return text && std::string(text) == "1";
  }();
  return on;
}
struct Stream {
  std::mutex mutex;
  std::condition_variable done;
  bool running = false;
  int error = 0; // sticky, as a failed kernel leaves a CUDA context
};

// $PARAWASM_FAKE_CUDA_DEVICES GPUs (1 by default, at most kMaxDevices), alike but for their
// contexts; the calling thread's current context says which GPU a call is for.
constexpr int kMaxDevices = 8;
int contextTokens[kMaxDevices];
thread_local int currentDevice = 0;
Stream streams[kMaxDevices];
std::atomic<size_t> executedLaunches{0};

// Waits for the current GPU's kernel; returns the context's error.
int waitForKernel() {
  Stream &s = streams[currentDevice];
  std::unique_lock lock(s.mutex);
  s.done.wait(lock, [&] { return !s.running; });
  return s.error;
}
int deviceCount() {
  const char *text = std::getenv("PARAWASM_FAKE_CUDA_DEVICES");
  int n = text && *text ? std::atoi(text) : 1;
  return n < 1 ? 1 : n > kMaxDevices ? kMaxDevices : n;
}

// With $PW_FAKE_CUDA_STATS naming a file, each process that opened the fake appends one line at
// exit: how far it got into the driver (scripts/gpu-check.sh --fake-driver reads it, to tell a
// test that reached the GPU device from one that skipped or fell back to the CPU). `parawasm run`
// ends with quick_exit, which runs no destructors: cuInit registers a quick_exit handler too, and
// whichever runs first writes the line.
struct StatsAtExit {
  ~StatsAtExit() { write(); }
  void write() {
    const char *path = std::getenv("PW_FAKE_CUDA_STATS");
    if (!path || !*path || written.exchange(true))
      return;
    if (FILE *f = std::fopen(path, "a")) {
      std::fprintf(f, "inits=%zu modules=%zu launches=%zu h2d=%zu d2h=%zu executed=%zu\n",
                   inits.load(), stats.modulesLoaded, stats.launches, stats.hostToDeviceBytes,
                   stats.deviceToHostBytes, executedLaunches.load());
      std::fclose(f);
    }
  }
  std::atomic<size_t> inits{0};
  std::atomic<bool> written{false};
} statsAtExit;

// Device ranges must lie inside one allocation, as on a GPU.
bool inside(unsigned long long p, size_t bytes) {
  std::lock_guard lock(mutex);
  auto it = allocations.upper_bound(p);
  if (it == allocations.begin())
    return false;
  --it;
  return p >= it->first && p + bytes <= it->first + it->second;
}

// The compute capability the fake presents: 8.6, or $PARAWASM_FAKE_CUDA_CC ("9.0": an H100's).
bool computeCapability(int &major, int &minor) {
  const char *cc = std::getenv("PARAWASM_FAKE_CUDA_CC");
  major = 8, minor = 6;
  return !cc || std::sscanf(cc, "%d.%d", &major, &minor) == 2;
}

// With $PW_FAKE_CUDA_PTXAS naming NVIDIA's ptxas, every module is assembled by it for the fake's
// SM first, as the real driver would: what it refuses (with its log), "" when it accepts.
std::string ptxasRefuses(const std::string &ptx) {
  const char *ptxas = std::getenv("PW_FAKE_CUDA_PTXAS");
  if (!ptxas || !*ptxas)
    return "";
  int major, minor;
  if (!computeCapability(major, minor))
    return "fake ptxas: bad $PARAWASM_FAKE_CUDA_CC";
  char dir[] = "/tmp/pw-fake-ptxas.XXXXXX";
  if (!mkdtemp(dir))
    return "fake ptxas: no temporary folder";
  std::string in = std::string(dir) + "/k.ptx", log = std::string(dir) + "/log";
  if (FILE *f = std::fopen(in.c_str(), "w")) {
    std::fwrite(ptx.data(), 1, ptx.size(), f);
    std::fclose(f);
  }
  std::string command = std::string("'") + ptxas + "' -arch=sm_" + std::to_string(major) +
                        std::to_string(minor) + " '" + in + "' -o /dev/null >'" + log + "' 2>&1";
  int status = std::system(command.c_str());
  std::string why;
  if (status != 0) {
    why = "ptxas -arch=sm_" + std::to_string(major) + std::to_string(minor) + " refused the PTX:";
    if (FILE *f = std::fopen(log.c_str(), "r")) {
      char line[512];
      while (std::fgets(line, sizeof line, f) && why.size() < 4000)
        why += std::string(" ") + line;
      std::fclose(f);
    }
  }
  std::remove(in.c_str());
  std::remove(log.c_str());
  rmdir(dir);
  return why;
}

} // namespace

extern "C" {

void pwFakeSetKernel(PwFakeKernel k) { kernel = k; }
void pwFakeGetStats(PwFakeStats *out) {
  std::lock_guard lock(mutex);
  *out = stats;
}
void pwFakeFailNextSynchronize(int result) { failNextSync = result; }
void pwFakeSetBusy(int b) { busy.store(b); }

int cuInit(unsigned flags) {
  ++statsAtExit.inits;
  if (flags != 0)
    return kInvalidValue;
  // Only after a successful init: parawasm keeps the library loaded from then on (a failed one
  // it unloads, and the handler would point at unmapped code).
  static const bool registered = std::at_quick_exit([] { statsAtExit.write(); }) == 0;
  (void)registered;
  return kSuccess;
}
int cuDriverGetVersion(int *v) {
  *v = 12040;
  return kSuccess;
}
int cuGetErrorName(int e, const char **name) {
  switch (e) {
  case kSuccess:
    *name = "CUDA_SUCCESS";
    return kSuccess;
  case kInvalidValue:
    *name = "CUDA_ERROR_INVALID_VALUE";
    return kSuccess;
  case kOutOfMemory:
    *name = "CUDA_ERROR_OUT_OF_MEMORY";
    return kSuccess;
  case kInvalidPtx:
    *name = "CUDA_ERROR_INVALID_PTX";
    return kSuccess;
  case 700:
    *name = "CUDA_ERROR_ILLEGAL_ADDRESS";
    return kSuccess;
  case 716:
    *name = "CUDA_ERROR_MISALIGNED_ADDRESS";
    return kSuccess;
  case 719:
    *name = "CUDA_ERROR_LAUNCH_FAILED";
    return kSuccess;
  case 801:
    *name = "CUDA_ERROR_NOT_SUPPORTED";
    return kSuccess;
  default:
    *name = nullptr;
    return kInvalidValue;
  }
}
int cuGetErrorString(int e, const char **text) {
  *text = e == kOutOfMemory ? "out of memory" : nullptr;
  return *text ? kSuccess : kInvalidValue;
}
int cuDeviceGetCount(int *count) {
  *count = deviceCount();
  return kSuccess;
}
int cuDeviceGet(int *device, int ordinal) {
  if (ordinal < 0 || ordinal >= deviceCount())
    return kInvalidDevice;
  *device = ordinal;
  return kSuccess;
}
int cuDeviceGetName(char *name, int len, int) {
  std::strncpy(name, "parawasm fake GPU", size_t(len));
  return kSuccess;
}
int cuDeviceTotalMem_v2(size_t *bytes, int) {
  *bytes = kTotalMemory;
  return kSuccess;
}
int cuDeviceGetAttribute(int *value, int attribute, int) {
  switch (attribute) {
  case 1:
    *value = 1024;
    return kSuccess; // max threads per block
  case 5: { // max grid x; $PARAWASM_FAKE_CUDA_MAX_GRID makes threads take several iterations
    const char *max = std::getenv("PARAWASM_FAKE_CUDA_MAX_GRID");
    *value = max && *max ? std::max(1, std::atoi(max)) : 2147483647;
    return kSuccess;
  }
  case 16:
    *value = 4;
    return kSuccess; // multiprocessors
  case 18:
    *value = 0;
    return kSuccess; // integrated
  case 75:           // compute capability
  case 76: {
    int major, minor;
    if (!computeCapability(major, minor))
      return kInvalidValue;
    *value = attribute == 75 ? major : minor;
    return kSuccess;
  }
  default:
    return kInvalidValue;
  }
}
int cuDevicePrimaryCtxRetain(void **context, int device) {
  if (device < 0 || device >= deviceCount())
    return kInvalidDevice;
  *context = &contextTokens[device];
  return kSuccess;
}
int cuDevicePrimaryCtxRelease_v2(int) { return kSuccess; }
int cuCtxSetCurrent(void *context) {
  for (int d = 0; d < deviceCount(); ++d)
    if (context == &contextTokens[d]) {
      currentDevice = d;
      return kSuccess;
    }
  return kInvalidValue;
}
int cuCtxSynchronize() {
  if (int injected = failNextSync.exchange(0))
    return injected;
  return waitForKernel();
}
int cuStreamQuery(void *stream) {
  if (stream)
    return kInvalidValue;
  if (busy.load())
    return kNotReady;
  Stream &s = streams[currentDevice];
  std::lock_guard lock(s.mutex);
  return s.running ? kNotReady : s.error;
}
int cuModuleLoadDataEx(void **module, const void *image, unsigned numOptions, int *options,
                       void **values) {
  std::string ptx(static_cast<const char *>(image));
  // A refusal's reason goes into the error log the caller passed (option 5, its size option 6).
  auto refuse = [&](const std::string &why) {
    for (unsigned i = 0; i < numOptions; ++i)
      if (options[i] == 5)
        for (unsigned j = 0; j < numOptions; ++j)
          if (options[j] == 6)
            std::snprintf(static_cast<char *>(values[i]), reinterpret_cast<uintptr_t>(values[j]),
                          "%s", why.c_str());
    return kInvalidPtx;
  };
  if (ptx.find(".entry") == std::string::npos)
    return refuse("fake ptxas: no .entry in this PTX");
  if (std::string why = ptxasRefuses(ptx); !why.empty()) {
    std::fprintf(stderr, "fake CUDA driver: %s\n", why.c_str());
    return refuse(why);
  }
  std::shared_ptr<const pwfake::PtxModule> program;
  if (executePtx()) {
    pwfake::PtxParse parsed = pwfake::parsePtx(ptx);
    if (!parsed.module) {
      std::fprintf(stderr, "fake CUDA driver: %s\n", parsed.error.c_str());
      return refuse(parsed.error);
    }
    program = std::move(parsed.module);
  }
  std::lock_guard lock(mutex);
  ++stats.modulesLoaded;
  *module = new Module{ptx, std::move(program)};
  return kSuccess;
}
int cuModuleUnload(void *module) {
  delete static_cast<Module *>(module);
  return kSuccess;
}
int cuModuleGetFunction(void **function, void *module, const char *name) {
  if (static_cast<Module *>(module)->ptx.find(std::string(".entry ") + name + "(") ==
      std::string::npos)
    return kNotFound;
  // Lives as long as the process: a CUfunction outlives nothing it could be used after.
  *function = new Function{static_cast<Module *>(module), name};
  return kSuccess;
}
int cuFuncGetAttribute(int *value, int attribute, void *) {
  *value = attribute == 0 ? 512 : 40; // max threads per block for this kernel; registers
  return kSuccess;
}
int cuMemAlloc_v2(unsigned long long *pointer, size_t bytes) {
  std::lock_guard lock(mutex);
  if (bytes == 0)
    return kInvalidValue;
  if (stats.liveBytes + bytes > kTotalMemory)
    return kOutOfMemory;
  // 256-byte aligned, as cuMemAlloc's allocations are.
  void *p = std::aligned_alloc(256, (bytes + 255) / 256 * 256);
  std::memset(p, 0xee, bytes); // device memory starts as garbage
  allocations[reinterpret_cast<uintptr_t>(p)] = bytes;
  ++stats.liveAllocations;
  stats.liveBytes += bytes;
  *pointer = reinterpret_cast<uintptr_t>(p);
  return kSuccess;
}
int cuMemFree_v2(unsigned long long pointer) {
  std::lock_guard lock(mutex);
  auto it = allocations.find(pointer);
  if (it == allocations.end())
    return kInvalidValue;
  stats.liveBytes -= it->second;
  --stats.liveAllocations;
  allocations.erase(it);
  std::free(reinterpret_cast<void *>(pointer));
  return kSuccess;
}
int cuMemcpyHtoD_v2(unsigned long long dst, const void *src, size_t bytes) {
  if (int e = waitForKernel())
    return e;
  if (!inside(dst, bytes))
    return kInvalidValue;
  std::memcpy(reinterpret_cast<void *>(dst), src, bytes);
  std::lock_guard lock(mutex);
  stats.hostToDeviceBytes += bytes;
  return kSuccess;
}
int cuMemcpyDtoH_v2(void *dst, unsigned long long src, size_t bytes) {
  if (int e = waitForKernel())
    return e;
  if (!inside(src, bytes))
    return kInvalidValue;
  std::memcpy(dst, reinterpret_cast<const void *>(src), bytes);
  std::lock_guard lock(mutex);
  stats.deviceToHostBytes += bytes;
  return kSuccess;
}
int cuMemcpyDtoD_v2(unsigned long long dst, unsigned long long src, size_t bytes) {
  if (int e = waitForKernel())
    return e;
  if (!inside(dst, bytes) || !inside(src, bytes))
    return kInvalidValue;
  std::memmove(reinterpret_cast<void *>(dst), reinterpret_cast<const void *>(src), bytes);
  return kSuccess;
}
int cuMemsetD8_v2(unsigned long long dst, unsigned char value, size_t bytes) {
  if (int e = waitForKernel())
    return e;
  if (!inside(dst, bytes))
    return kInvalidValue;
  std::memset(reinterpret_cast<void *>(dst), value, bytes);
  return kSuccess;
}
int cuLaunchKernel(void *function, unsigned gridX, unsigned gridY, unsigned gridZ, unsigned blockX,
                   unsigned blockY, unsigned blockZ, unsigned sharedBytes, void *stream,
                   void **params, void **extra) {
  if (gridY != 1 || gridZ != 1 || blockY != 1 || blockZ != 1 || sharedBytes || stream || extra ||
      gridX == 0 || blockX == 0 || blockX > 512)
    return kInvalidValue;
  {
    std::lock_guard lock(mutex);
    ++stats.launches;
    ++stats.launchesOn[currentDevice];
    stats.lastGridX = gridX;
    stats.lastBlockX = blockX;
  }
  if (kernel) {
    kernel(PwFakeLaunch{gridX, blockX, params, currentDevice});
    return kSuccess;
  }
  Module *module = static_cast<Function *>(function)->module;
  if (!module->program)
    return kSuccess;
  if (int e = waitForKernel())
    return e;
  // The parameters are copied now, as cuLaunchKernel does; allocations as they are now.
  std::shared_ptr<const pwfake::PtxModule> program = module->program;
  std::string name = static_cast<Function *>(function)->name;
  std::vector<std::vector<uint8_t>> values;
  std::vector<pwfake::DeviceAllocation> live;
  {
    std::lock_guard lock(mutex);
    for (auto &[begin, bytes] : allocations)
      live.push_back({begin, bytes});
  }
  std::vector<unsigned> sizes = pwfake::entryParamSizes(*program, name);
  for (size_t k = 0; k < sizes.size(); ++k) {
    auto *p = static_cast<const uint8_t *>(params[k]);
    values.emplace_back(p, p + sizes[k]);
  }
  Stream &s = streams[currentDevice];
  {
    std::lock_guard lock(s.mutex);
    s.running = true;
  }
  ++executedLaunches;
  std::thread([&s, program, name, gridX, blockX, values = std::move(values),
               live = std::move(live)] {
    std::vector<void *> pointers;
    for (auto &v : values)
      pointers.push_back(const_cast<uint8_t *>(v.data()));
    pwfake::PtxRunResult r =
        pwfake::runPtxKernel(*program, name, gridX, blockX, pointers.data(), live);
    if (r.status)
      std::fprintf(stderr, "fake CUDA driver: %s\n", r.message.c_str());
    std::lock_guard lock(s.mutex);
    s.running = false;
    if (r.status && !s.error)
      s.error = r.status;
    s.done.notify_all();
  }).detach();
  return kSuccess;
}

} // extern "C"
