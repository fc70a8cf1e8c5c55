// Which devices this machine has, and which one answers a get_device hint.
#pragma once

#include "parallel/device.h"

#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace parawasm::parallel {

struct DeviceOptions {
  unsigned threads = 1; // cpu device slots (already resolved, see resolveThreads)
  bool verbose = false;
};

// A provider appends the devices it finds (none when its hardware or driver is absent). It runs
// once per context (and for `parawasm devices`), so it should cache expensive probing itself.
using DeviceProvider =
    std::function<void(const DeviceOptions &, std::vector<std::shared_ptr<Device>> &)>;

// sequential, cpu, then whatever the registered providers find (GPUs: src/cuda registers its
// own at start-up).
std::vector<std::shared_ptr<Device>> discoverDevices(const DeviceOptions &options);
// Adds a provider for every later discoverDevices (embedders, tests).
void registerDeviceProvider(DeviceProvider provider);

// Worker threads of the cpu device: `requested` if not 0, else $PARAWASM_THREADS, else one per
// hardware thread. Usage error for a malformed $PARAWASM_THREADS.
Result<unsigned> resolveThreads(unsigned requested);

// "sequential"/"seq"/"0", "cpu"/"1", "discrete_gpu"/"gpu"/"2", "integrated_gpu"/"igpu"/"3".
std::optional<DeviceKind> parseDeviceKind(std::string_view text);

// The device that serves `hint`: one of that kind, else the fallback chain of
// docs/wasi-parallel.md (a GPU of the other kind, then cpu). Null only if `devices` has no cpu.
std::shared_ptr<Device> chooseDevice(const std::vector<std::shared_ptr<Device>> &devices,
                                     DeviceKind hint);

} // namespace parawasm::parallel
