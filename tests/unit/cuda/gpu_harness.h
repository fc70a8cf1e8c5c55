// What the tests of tests/unit/cuda share to run kernels on a device: the GPU device when there is
// one, kernel modules from WAT, a caller's memory, and one exec (write_buffer for each buffer, a
// launch, read_buffer for each output), as host_api does it.
#pragma once

#include "cuda/gpu_device.h"
#include "engine_access.h"
#include "parallel/device.h"
#include "parallel/kernel.h"
#include "runtime/objects.h"
#include "uncached_engine.h"
#include "wasm/loaded_module.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace parawasm::parallel {

// The device the provider offers: on a machine with several GPUs, the one over all of them.
inline std::shared_ptr<Device> gpu() {
  std::vector<std::shared_ptr<Device>> devices;
  cuda::provideGpuDevices(DeviceOptions{}, devices);
  return devices.empty() ? nullptr : devices.front();
}

#define PW_NEED_GPU(device)                                                                        \
  std::shared_ptr<Device> device = gpu();                                                          \
  if (!device)                                                                                     \
  GTEST_SKIP() << "no CUDA GPU"

// A kernel module from WAT text, or null with *why saying what is wrong with it.
inline std::shared_ptr<KernelModule> kernelModule(const std::string &text,
                                                  std::string *why = nullptr) {
  auto fail = [&](std::string message) {
    if (why)
      *why = std::move(message);
    return nullptr;
  };
  auto bytes = wasm::watToWasm(text, "kernel.wat");
  if (!bytes)
    return fail(bytes.error().message());
  auto k = std::make_shared<KernelModule>();
  k->bytes = *bytes;
  auto loaded = wasm::loadBinary(k->bytes);
  if (!loaded)
    return fail(loaded.error().message());
  k->loaded = std::move(*loaded);
  if (auto broken = checkKernelRules(k->loaded.info, *k))
    return fail(*broken);
  return k;
}

// A caller memory of `pages` pages.
struct Guest {
  explicit Guest(uint32_t pages = 4) {
    auto m = runtime::MemoryObject::create(MemoryType{pages, std::nullopt, false});
    EXPECT_TRUE(m.ok());
    memory = GuestMemory(*m, (*m)->vm.base, (*m)->vm.sizeBytes.load());
  }
  template <class T> T *at(uint32_t address) {
    return reinterpret_cast<T *>(memory.base() + address);
  }
  GuestMemory memory;
};

struct Buffer {
  uint32_t address, size;
  AccessKind access;
  bool output;
};

// A launch of iterations [first, last) of n of kernel k over g's memory.
inline Launch launchOf(std::shared_ptr<KernelModule> k, const Guest &g, uint32_t n,
                       uint32_t blockSize, std::vector<LaunchBuffer> buffers, uint32_t first = 0,
                       uint32_t last = Launch::kToTheEnd) {
  Launch launch;
  launch.kernel = std::move(k);
  launch.memory = g.memory;
  launch.numIterations = n;
  launch.blockSize = blockSize;
  launch.first = first;
  launch.last = last;
  launch.buffers = std::move(buffers);
  return launch;
}

// write_buffer for every buffer, one launch of iterations [first, last) of n, then read_buffer
// for every output.
inline Status run(Device &d, Guest &g, const std::shared_ptr<KernelModule> &k, uint32_t n,
                  uint32_t blockSize, std::vector<Buffer> buffers, uint32_t first = 0,
                  uint32_t last = Launch::kToTheEnd) {
  std::vector<LaunchBuffer> launchBuffers;
  std::vector<std::unique_ptr<DeviceBuffer>> state(buffers.size());
  for (size_t i = 0; i < buffers.size(); ++i) {
    const Buffer &b = buffers[i];
    if (Status s = d.createBuffer(b.size, b.access, state[i]); !s.isOk())
      return s;
    if (Status s = d.writeBuffer(state[i].get(), g.memory, b.address, b.size, b.access); !s.isOk())
      return s;
    launchBuffers.push_back(transferDirections(
        {b.address, b.size, b.access, false, false, state[i].get()}, !b.output, b.output));
  }
  if (Status s = d.launch(launchOf(k, g, n, blockSize, std::move(launchBuffers), first, last));
      !s.isOk())
    return s;
  for (size_t i = 0; i < buffers.size(); ++i)
    if (buffers[i].output)
      if (Status s = d.readBuffer(state[i].get(), g.memory, buffers[i].address, buffers[i].address,
                                  buffers[i].size, buffers[i].access);
          !s.isOk())
        return s;
  return Status::ok();
}

// Asserts that a Status is OK, naming its error if not.
#define PW_ASSERT_OK(status)                                                                       \
  do {                                                                                             \
    Status pw_s = (status);                                                                        \
    ASSERT_TRUE(pw_s.isOk()) << errorCodeName(pw_s.code) << ": " << pw_s.message;                  \
  } while (0)

// A kernel module from WAT text for every device (the CPU's compiled by an engine that caches
// nothing).
inline std::shared_ptr<KernelModule> anyDeviceKernel(const char *text, std::string &why) {
  static KernelCache cache(test::kernelCompiler(test::uncachedEngine()), 4);
  auto bytes = wasm::watToWasm(text, "kernel.wat");
  if (!bytes) {
    why = bytes.error().message();
    return nullptr;
  }
  std::shared_ptr<KernelModule> k;
  if (Status s = cache.lookup(*bytes, k); !s.isOk())
    why = s.message;
  return k;
}

} // namespace parawasm::parallel
