// parawasm devices [--threads N] [--json]
#include "cli.h"

#include "cluster/cluster.h"
#include "parawasm/parallel.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace parawasm::cli {

namespace {

const char *kDevicesHelp = R"(Usage: parawasm devices [--threads N] [--json]

Lists the wasi-parallel devices of this machine, one per line: the get_device hint of its kind,
the kind, and a description. A guest's hint for a kind that is missing falls back to the next
best device (discrete_gpu -> integrated_gpu -> cpu); 'parawasm run --device KIND' forces one.
A last line says whether the cluster device can run here ('mpirun -np N parawasm run --device
cluster APP', docs/cluster.md).

Options:
  --threads N   Describe the cpu device with N threads (default $PARAWASM_THREADS, else one
                per hardware thread)
  --json        Print a JSON array instead: one object per device with "kind" (the hint),
                "kind_name", "name" and "details"
)";

std::string jsonString(const std::string &text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += char(c);
    }
  }
  return out + "\"";
}

} // namespace

int devicesCommand(std::vector<std::string> args) {
  ParallelConfig config;
  bool json = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    if (a == "--help" || a == "-h") {
      std::fputs(kDevicesHelp, stdout);
      return 0;
    }
    if (a == "--threads" || a.rfind("--threads=", 0) == 0) {
      std::string v = a == "--threads" ? (i + 1 < args.size() ? args[++i] : "") : a.substr(10);
      char *end = nullptr;
      long n = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end || n < 1 || n > 4096)
        return usageError("--threads needs a number from 1 to 4096");
      config.threads = unsigned(n);
      continue;
    }
    if (a == "--json") {
      json = true;
      continue;
    }
    return usageError("unknown option '" + a + "' for 'devices'");
  }
  auto devices = listParallelDevices(config);
  if (!devices) {
    printError(devices.error());
    return 1;
  }
  if (json) {
    std::printf("[");
    for (size_t k = 0; k < devices->size(); ++k) {
      const ParallelDeviceInfo &d = (*devices)[k];
      std::printf("%s\n  {\"kind\": %d, \"kind_name\": %s, \"name\": %s, \"details\": %s}",
                  k ? "," : "", d.kind, jsonString(d.kindName).c_str(), jsonString(d.name).c_str(),
                  jsonString(d.details).c_str());
    }
    std::printf("\n]\n");
    return 0;
  }
  for (const ParallelDeviceInfo &d : *devices)
    std::printf("%d  %-14s  %s: %s\n", d.kind, d.kindName.c_str(), d.name.c_str(),
                d.details.c_str());
  // The cluster device is made by mpirun, not found: say whether it can be.
  std::printf("   %s\n", cluster::availability().c_str());
  return 0;
}

} // namespace parawasm::cli
