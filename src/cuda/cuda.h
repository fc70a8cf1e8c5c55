// NVIDIA GPUs through the CUDA driver API, opened with dlopen("libcuda.so.1") at run time: a
// build never needs CUDA, and a machine without the driver (or without a GPU) simply has no CUDA
// devices. No CUDA type appears here; driver failures become Error values that carry the
// driver's error name ("cuMemAlloc: CUDA_ERROR_OUT_OF_MEMORY (out of memory)").
//
// Error kinds: Exhaustion when the device ran out of memory or launch resources, Io for every
// other driver failure, Internal for misuse.
//
// $PARAWASM_CUDA_DRIVER names another driver library to open (tests use it), and
// PARAWASM_CUDA_DISABLE=1 hides every CUDA device.
#pragma once

#include "parawasm/types.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace parawasm::cuda {

struct DeviceInfo {
  int ordinal = 0;
  std::string name;
  uint64_t totalMemory = 0; // bytes
  int computeMajor = 0, computeMinor = 0;
  bool integrated = false; // shares memory with the host
  int multiprocessors = 0;
  int maxThreadsPerBlock = 0;
  int maxGridX = 0;
  int sm() const { return computeMajor * 10 + computeMinor; } // 86 for compute capability 8.6
};

// The driver library, opened and initialised once per process.
class Driver {
public:
  // The driver, or why there is none: no libcuda.so.1, a stub library, cuInit failed. A driver
  // that initialises but sees no GPU succeeds with no devices.
  static Result<Driver *> get();
  int version() const { return version_; } // e.g. 12040 for CUDA 12.4
  const std::vector<DeviceInfo> &devices() const { return devices_; }
  struct Api;
  const Api &api() const { return *api_; }
  ~Driver();

private:
  Driver() = default;
  static Driver *open(std::string &why);
  Result<void> enumerate();
  void *library_ = nullptr;
  std::unique_ptr<Api> api_;
  int version_ = 0;
  std::vector<DeviceInfo> devices_;
};

// Devices the driver sees; empty (never an error) without a driver. `whyNone`, when given,
// receives the reason there is no driver.
std::vector<DeviceInfo> listDevices(std::string *whyNone = nullptr);

using DevicePtr = uint64_t;

class Module;

// A kernel entry of a loaded module.
struct Kernel {
  void *handle = nullptr;
  int maxThreadsPerBlock = 0; // the most this kernel can launch per block (its register use)
  int registers = 0;          // per thread
};

// A device's primary context, retained for the object's lifetime. Every call makes it current on
// the calling thread first, so any thread may use it (one at a time: the device serialises).
class Context {
public:
  static Result<std::unique_ptr<Context>> create(int ordinal);
  ~Context();
  Context(const Context &) = delete;
  Context &operator=(const Context &) = delete;

  const DeviceInfo &device() const { return device_; }

  Result<DevicePtr> alloc(size_t bytes); // bytes > 0
  void free(DevicePtr pointer);          // 0 is ignored
  Result<void> copyToDevice(DevicePtr dst, const void *src, size_t bytes);
  Result<void> copyToHost(void *dst, DevicePtr src, size_t bytes);
  Result<void> copyOnDevice(DevicePtr dst, DevicePtr src, size_t bytes);
  Result<void> fill(DevicePtr dst, uint8_t value, size_t bytes);

  // Loads PTX text (the driver compiles it for this device); errors carry the driver's log.
  Result<std::shared_ptr<Module>> loadModule(const std::string &ptx);
  // Starts `kernel` on a one-dimensional grid; `params` points to each parameter's value.
  Result<void> launch(const Kernel &kernel, unsigned gridX, unsigned blockX, void **params);
  // Waits for everything started on the context; reports launch failures.
  Result<void> synchronize();
  // Waits like synchronize() while `stop` (if not null) stays 0: false when it was set first.
  // The driver API has no call that stops a running kernel, so the work then goes on running.
  Result<bool> synchronizeUnless(const std::atomic<uint32_t> *stop);

private:
  Context(const Driver &driver, DeviceInfo device) : driver_(driver), device_(std::move(device)) {}
  Result<void> makeCurrent();
  friend class Module;
  const Driver &driver_;
  DeviceInfo device_;
  void *context_ = nullptr;
};

// A loaded module; unloaded when the last reference goes (before its context).
class Module {
public:
  ~Module();
  Module(const Module &) = delete;
  Module &operator=(const Module &) = delete;
  Result<Kernel> kernel(const std::string &name);

private:
  friend class Context;
  Module(Context &context, void *handle) : context_(context), handle_(handle) {}
  Context &context_;
  void *handle_;
};

} // namespace parawasm::cuda
