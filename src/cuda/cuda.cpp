#include "cuda/cuda.h"
#include "support/try.h"

#include "cuda/driver_api.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <mutex>
#include <thread>

namespace parawasm::cuda {

using namespace api;

struct Driver::Api {
#define PW_CUDA_FN(member, symbol, ret, params) ret(*member) params = nullptr;
  PW_CUDA_FUNCTIONS(PW_CUDA_FN)
#undef PW_CUDA_FN
};
using Api = Driver::Api;

namespace {

std::string describe(const Driver::Api &api, CUresult result) {
  const char *name = nullptr, *text = nullptr;
  if (api.getErrorName && api.getErrorName(result, &name) != CUDA_SUCCESS)
    name = nullptr;
  if (api.getErrorString && api.getErrorString(result, &text) != CUDA_SUCCESS)
    text = nullptr;
  std::string s = name ? name : "CUDA error " + std::to_string(result);
  if (text)
    s += std::string(" (") + text + ")";
  return s;
}

Error driverError(const Driver::Api &api, const char *call, CUresult result) {
  bool exhausted =
      result == CUDA_ERROR_OUT_OF_MEMORY || result == CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES;
  return Error(exhausted ? ErrorKind::Exhaustion : ErrorKind::Io,
               std::string(call) + ": " + describe(api, result));
}

// Calls api.fn(args...) and returns its failure as an Error, named after the driver function.
#define PW_CU(api, fn, name, ...)                                                                  \
  do {                                                                                             \
    if (CUresult pw_result = (api).fn(__VA_ARGS__); pw_result != CUDA_SUCCESS)                     \
      return driverError((api), name, pw_result);                                                  \
  } while (0)

bool disabledByEnvironment() {
  const char *v = std::getenv("PARAWASM_CUDA_DISABLE");
  return v && *v && std::strcmp(v, "0") != 0;
}

} // namespace

// ---- Driver -------------------------------------------------------------------------------

// The library stays loaded for the process: unloading a CUDA driver is not safe.
Driver::~Driver() = default;

Result<Driver *> Driver::get() {
  // The first call decides for the whole process: the driver is initialised once.
  static std::once_flag once;
  static Driver *driver = nullptr;
  static std::string why;
  std::call_once(once, [] { driver = open(why); });
  if (!driver)
    return Error(ErrorKind::Io, why);
  return driver;
}

Driver *Driver::open(std::string &why) {
  if (disabledByEnvironment()) {
    why = "CUDA is disabled by PARAWASM_CUDA_DISABLE";
    return nullptr;
  }
  const char *path = std::getenv("PARAWASM_CUDA_DRIVER");
  if (!path || !*path)
    path = "libcuda.so.1";
  void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *text = dlerror();
    why = std::string("no CUDA driver (") + (text ? text : path) + ")";
    return nullptr;
  }
  auto api = std::make_unique<Api>();
  std::string missing;
  auto resolve = [&](const char *symbol) -> void * {
    if (void *p = dlsym(library, symbol))
      return p;
    // Drivers older than a _v2 entry point export the function under its first name.
    std::string plain(symbol);
    if (plain.size() > 3 && plain.compare(plain.size() - 3, 3, "_v2") == 0) {
      plain.resize(plain.size() - 3);
      if (void *p = dlsym(library, plain.c_str()))
        return p;
    }
    missing += (missing.empty() ? "" : ", ") + std::string(symbol);
    return nullptr;
  };
#define PW_CUDA_FN(member, symbol, ret, params)                                                    \
  api->member = reinterpret_cast<ret(*) params>(resolve(symbol));
  PW_CUDA_FUNCTIONS(PW_CUDA_FN)
#undef PW_CUDA_FN
  if (!missing.empty()) {
    why = std::string("the CUDA driver ") + path + " lacks " + missing;
    dlclose(library);
    return nullptr;
  }
  CUresult r = api->init(0);
  // A driver without a GPU is no error: it simply has no devices to offer.
  if (r != CUDA_SUCCESS && r != CUDA_ERROR_NO_DEVICE) {
    why = "cuInit: " + describe(*api, r);
    if (r == CUDA_ERROR_STUB_LIBRARY)
      why += "; " + std::string(path) + " is not a real driver";
    dlclose(library);
    return nullptr;
  }
  auto *driver = new Driver(); // lives as long as the process, like the library
  driver->library_ = library;
  driver->api_ = std::move(api);
  if (r == CUDA_SUCCESS) {
    if (auto e = driver->enumerate(); !e) {
      why = e.error().message();
      delete driver;
      return nullptr;
    }
  }
  return driver;
}

Result<void> Driver::enumerate() {
  const Api &a = *api_;
  PW_CU(a, driverGetVersion, "cuDriverGetVersion", &version_);
  int count = 0;
  PW_CU(a, deviceGetCount, "cuDeviceGetCount", &count);
  for (int ordinal = 0; ordinal < count; ++ordinal) {
    CUdevice dev;
    PW_CU(a, deviceGet, "cuDeviceGet", &dev, ordinal);
    DeviceInfo info;
    info.ordinal = ordinal;
    char name[256] = {};
    PW_CU(a, deviceGetName, "cuDeviceGetName", name, int(sizeof name) - 1, dev);
    info.name = name;
    size_t total = 0;
    PW_CU(a, deviceTotalMem, "cuDeviceTotalMem", &total, dev);
    info.totalMemory = total;
    struct {
      int attribute;
      int *out;
    } attributes[] = {
        {CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, &info.computeMajor},
        {CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, &info.computeMinor},
        {CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, &info.multiprocessors},
        {CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK, &info.maxThreadsPerBlock},
        {CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X, &info.maxGridX},
    };
    for (auto &at : attributes)
      PW_CU(a, deviceGetAttribute, "cuDeviceGetAttribute", at.out, at.attribute, dev);
    int integrated = 0;
    PW_CU(a, deviceGetAttribute, "cuDeviceGetAttribute", &integrated,
          CU_DEVICE_ATTRIBUTE_INTEGRATED, dev);
    info.integrated = integrated != 0;
    devices_.push_back(std::move(info));
  }
  return {};
}

std::vector<DeviceInfo> listDevices(std::string *whyNone) {
  auto driver = Driver::get();
  if (!driver) {
    if (whyNone)
      *whyNone = driver.error().message();
    return {};
  }
  if (whyNone && (*driver)->devices().empty())
    *whyNone = "the CUDA driver sees no GPU";
  return (*driver)->devices();
}

// ---- Context ------------------------------------------------------------------------------

Result<std::unique_ptr<Context>> Context::create(int ordinal) {
  PW_TRY_ASSIGN(Driver * driver, Driver::get());
  const std::vector<DeviceInfo> &devices = driver->devices();
  if (ordinal < 0 || size_t(ordinal) >= devices.size())
    return Error(ErrorKind::Internal, "no CUDA device " + std::to_string(ordinal));
  const Api &a = driver->api();
  std::unique_ptr<Context> c(new Context(*driver, devices[ordinal]));
  CUdevice dev;
  PW_CU(a, deviceGet, "cuDeviceGet", &dev, ordinal);
  CUcontext context = nullptr;
  PW_CU(a, primaryCtxRetain, "cuDevicePrimaryCtxRetain", &context, dev);
  c->context_ = context;
  return c;
}

Context::~Context() {
  if (!context_)
    return;
  const Api &a = driver_.api();
  CUdevice dev;
  if (a.deviceGet(&dev, device_.ordinal) == CUDA_SUCCESS)
    a.primaryCtxRelease(dev);
}

Result<void> Context::makeCurrent() {
  const Api &a = driver_.api();
  PW_CU(a, ctxSetCurrent, "cuCtxSetCurrent", static_cast<CUcontext>(context_));
  return {};
}

Result<DevicePtr> Context::alloc(size_t bytes) {
  if (bytes == 0)
    return Error(ErrorKind::Internal, "cuda::Context::alloc of 0 bytes");
  PW_TRY(makeCurrent());
  CUdeviceptr p = 0;
  PW_CU(driver_.api(), memAlloc, "cuMemAlloc", &p, bytes);
  return DevicePtr(p);
}

void Context::free(DevicePtr pointer) {
  if (!pointer || !makeCurrent())
    return;
  (void)driver_.api().memFree(pointer); // a failed free leaves nothing to repair
}

Result<void> Context::copyToDevice(DevicePtr dst, const void *src, size_t bytes) {
  if (bytes == 0)
    return {};
  if (auto r = makeCurrent(); !r)
    return r;
  PW_CU(driver_.api(), memcpyHtoD, "cuMemcpyHtoD", dst, src, bytes);
  return {};
}

Result<void> Context::copyToHost(void *dst, DevicePtr src, size_t bytes) {
  if (bytes == 0)
    return {};
  if (auto r = makeCurrent(); !r)
    return r;
  PW_CU(driver_.api(), memcpyDtoH, "cuMemcpyDtoH", dst, src, bytes);
  return {};
}

Result<void> Context::copyOnDevice(DevicePtr dst, DevicePtr src, size_t bytes) {
  if (bytes == 0)
    return {};
  if (auto r = makeCurrent(); !r)
    return r;
  PW_CU(driver_.api(), memcpyDtoD, "cuMemcpyDtoD", dst, src, bytes);
  return {};
}

Result<void> Context::fill(DevicePtr dst, uint8_t value, size_t bytes) {
  if (bytes == 0)
    return {};
  if (auto r = makeCurrent(); !r)
    return r;
  PW_CU(driver_.api(), memsetD8, "cuMemsetD8", dst, value, bytes);
  return {};
}

Result<std::shared_ptr<Module>> Context::loadModule(const std::string &ptx) {
  PW_TRY(makeCurrent());
  const Api &a = driver_.api();
  std::string errorLog(8192, '\0'), infoLog(8192, '\0');
  int options[] = {CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
                   CU_JIT_INFO_LOG_BUFFER, CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES};
  // Size options travel as integers in the pointer-sized value slots (the driver's convention).
  void *values[] = {errorLog.data(), reinterpret_cast<void *>(uintptr_t(errorLog.size())),
                    infoLog.data(), reinterpret_cast<void *>(uintptr_t(infoLog.size()))};
  CUmodule module = nullptr;
  CUresult r = a.moduleLoadDataEx(&module, ptx.c_str(), 4, options, values);
  if (r != CUDA_SUCCESS) {
    Error e = driverError(a, "cuModuleLoadDataEx", r);
    std::string log(errorLog.c_str());
    return Error(e.kind(), e.message() + (log.empty() ? "" : ": " + log));
  }
  return std::shared_ptr<Module>(new Module(*this, module));
}

Result<void> Context::launch(const Kernel &kernel, unsigned gridX, unsigned blockX, void **params) {
  if (auto r = makeCurrent(); !r)
    return r;
  PW_CU(driver_.api(), launchKernel, "cuLaunchKernel", static_cast<CUfunction>(kernel.handle),
        gridX, 1, 1, blockX, 1, 1, 0, nullptr, params, nullptr);
  return {};
}

Result<bool> Context::synchronizeUnless(const std::atomic<uint32_t> *stop) {
  if (stop) {
    PW_TRY(makeCurrent());
    // Polls the legacy stream the launches go to, backing off to a millisecond.
    auto pause = std::chrono::microseconds(20);
    for (;;) {
      CUresult r = driver_.api().streamQuery(nullptr);
      if (r == CUDA_SUCCESS)
        break;
      if (r != CUDA_ERROR_NOT_READY)
        return driverError(driver_.api(), "cuStreamQuery", r);
      if (stop->load())
        return false;
      std::this_thread::sleep_for(pause);
      pause = std::min<std::chrono::microseconds>(pause * 2, std::chrono::milliseconds(1));
    }
  }
  PW_TRY(synchronize());
  return true;
}

Result<void> Context::synchronize() {
  if (auto r = makeCurrent(); !r)
    return r;
  PW_CU(driver_.api(), ctxSynchronize, "cuCtxSynchronize");
  return {};
}

// ---- Module -------------------------------------------------------------------------------

Module::~Module() {
  if (context_.makeCurrent())
    (void)context_.driver_.api().moduleUnload(static_cast<CUmodule>(handle_));
}

Result<Kernel> Module::kernel(const std::string &name) {
  PW_TRY(context_.makeCurrent());
  const Api &a = context_.driver_.api();
  CUfunction f = nullptr;
  PW_CU(a, moduleGetFunction, "cuModuleGetFunction", &f, static_cast<CUmodule>(handle_),
        name.c_str());
  Kernel k;
  k.handle = f;
  PW_CU(a, funcGetAttribute, "cuFuncGetAttribute", &k.maxThreadsPerBlock,
        CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, f);
  PW_CU(a, funcGetAttribute, "cuFuncGetAttribute", &k.registers, CU_FUNC_ATTRIBUTE_NUM_REGS, f);
  return k;
}

} // namespace parawasm::cuda
