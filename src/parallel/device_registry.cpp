#include "parallel/device_registry.h"

#include "parallel/cpu_device.h"
#include "parallel/thread_pool.h"

#include <charconv>
#include <cstdlib>
#include <mutex>

namespace parawasm::parallel {
namespace {

std::mutex providersMutex;
std::vector<DeviceProvider> &registeredProviders() {
  static std::vector<DeviceProvider> providers;
  return providers;
}

} // namespace

std::vector<std::shared_ptr<Device>> discoverDevices(const DeviceOptions &options) {
  std::vector<std::shared_ptr<Device>> devices;
  devices.push_back(std::make_shared<CpuDevice>(DeviceKind::Sequential, 1));
  devices.push_back(std::make_shared<CpuDevice>(DeviceKind::Cpu, options.threads));
  std::vector<DeviceProvider> providers;
  {
    std::lock_guard lock(providersMutex);
    providers.insert(providers.end(), registeredProviders().begin(), registeredProviders().end());
  }
  for (const DeviceProvider &provider : providers)
    provider(options, devices);
  return devices;
}

void registerDeviceProvider(DeviceProvider provider) {
  std::lock_guard lock(providersMutex);
  registeredProviders().push_back(std::move(provider));
}

Result<unsigned> resolveThreads(unsigned requested) {
  if (requested)
    return requested;
  if (const char *env = std::getenv("PARAWASM_THREADS"); env && *env) {
    std::string_view text(env);
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > 4096)
      return Error(ErrorKind::Usage, "PARAWASM_THREADS must be a number from 1 to 4096, got '" +
                                         std::string(text) + "'");
    return value;
  }
  return hardwareThreads();
}

std::optional<DeviceKind> parseDeviceKind(std::string_view text) {
  if (text == "sequential" || text == "seq" || text == "0")
    return DeviceKind::Sequential;
  if (text == "cpu" || text == "1")
    return DeviceKind::Cpu;
  if (text == "discrete_gpu" || text == "gpu" || text == "2")
    return DeviceKind::DiscreteGpu;
  if (text == "integrated_gpu" || text == "igpu" || text == "3")
    return DeviceKind::IntegratedGpu;
  return std::nullopt;
}

std::shared_ptr<Device> chooseDevice(const std::vector<std::shared_ptr<Device>> &devices,
                                     DeviceKind hint) {
  auto find = [&](DeviceKind kind) -> std::shared_ptr<Device> {
    for (const auto &d : devices)
      if (d->kind() == kind)
        return d;
    return nullptr;
  };
  std::vector<DeviceKind> order{hint};
  if (hint == DeviceKind::DiscreteGpu)
    order.push_back(DeviceKind::IntegratedGpu);
  if (hint == DeviceKind::IntegratedGpu)
    order.push_back(DeviceKind::DiscreteGpu);
  order.push_back(DeviceKind::Cpu);
  for (DeviceKind kind : order)
    if (auto d = find(kind))
      return d;
  return nullptr;
}

} // namespace parawasm::parallel
