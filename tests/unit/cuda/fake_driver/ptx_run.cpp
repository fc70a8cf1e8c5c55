// pw_ptx_run: runs one entry of a PTX file on the fake driver's interpreter and prints how many
// instructions its threads issued, a repeatable figure for comparing the PTX of two compilers
// (bench/gpu/ptx_count.sh) on a machine without a GPU.
//
//   pw_ptx_run FILE.ptx ENTRY GRID BLOCK [ITEM...]
//     alloc:NAME:BYTES          zeroed device memory, 256-byte aligned
//     set:NAME:OFFSET:u32:V     a 32-bit value in it (also f64:V, a double)
//     u32:V | u64:V | f64:V     the next kernel parameter, a value
//     ptr:NAME[:OFFSET]         the next kernel parameter, a device address
//
// Prints "issued=N"; exit status 1 with the interpreter's reason if the kernel fails, 2 for a
// usage error.
#include "ptx_interpreter.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::vector<std::string> fields(const std::string &item) {
  std::vector<std::string> out;
  std::stringstream in(item);
  for (std::string f; std::getline(in, f, ':');)
    out.push_back(f);
  return out;
}

[[noreturn]] void usage(const std::string &why) {
  std::fprintf(stderr, "pw_ptx_run: %s\nusage: pw_ptx_run FILE.ptx ENTRY GRID BLOCK [ITEM...]\n",
               why.c_str());
  std::exit(2);
}

uint64_t number(const std::string &text) {
  char *end = nullptr;
  uint64_t v = std::strtoull(text.c_str(), &end, 0);
  if (text.empty() || *end)
    usage("not a number: " + text);
  return v;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 5)
    usage("too few arguments");
  std::ifstream file(argv[1]);
  if (!file)
    usage(std::string("cannot read ") + argv[1]);
  std::stringstream text;
  text << file.rdbuf();
  pwfake::PtxParse parsed = pwfake::parsePtx(text.str());
  if (!parsed.module) {
    std::fprintf(stderr, "pw_ptx_run: %s\n", parsed.error.c_str());
    return 1;
  }
  std::map<std::string, std::vector<uint8_t>> memory; // each with 256 spare bytes for alignment
  auto base = [&](const std::string &name) {
    auto it = memory.find(name);
    if (it == memory.end())
      usage("no allocation " + name);
    return (reinterpret_cast<uint64_t>(it->second.data()) + 255) / 256 * 256;
  };
  std::vector<pwfake::DeviceAllocation> allocations;
  std::vector<uint64_t> values; // one 8-byte slot per parameter
  for (int i = 5; i < argc; ++i) {
    std::vector<std::string> f = fields(argv[i]);
    if (f[0] == "alloc" && f.size() == 3) {
      memory[f[1]].assign(number(f[2]) + 256, 0);
      allocations.push_back({base(f[1]), number(f[2])});
    } else if (f[0] == "set" && f.size() == 5) {
      uint64_t at = base(f[1]) + number(f[2]);
      if (f[3] == "u32") {
        auto v = uint32_t(number(f[4]));
        std::memcpy(reinterpret_cast<void *>(at), &v, 4);
      } else if (f[3] == "f64") {
        double v = std::strtod(f[4].c_str(), nullptr);
        std::memcpy(reinterpret_cast<void *>(at), &v, 8);
      } else {
        usage(std::string("bad item ") + argv[i]);
      }
    } else if ((f[0] == "u32" || f[0] == "u64") && f.size() == 2) {
      values.push_back(number(f[1]));
    } else if (f[0] == "f64" && f.size() == 2) {
      double v = std::strtod(f[1].c_str(), nullptr);
      uint64_t bits;
      std::memcpy(&bits, &v, 8);
      values.push_back(bits);
    } else if (f[0] == "ptr" && (f.size() == 2 || f.size() == 3)) {
      values.push_back(base(f[1]) + (f.size() == 3 ? number(f[2]) : 0));
    } else {
      usage(std::string("bad item ") + argv[i]);
    }
  }
  std::vector<unsigned> sizes = pwfake::entryParamSizes(*parsed.module, argv[2]);
  if (sizes.size() != values.size())
    usage("entry " + std::string(argv[2]) + " takes " + std::to_string(sizes.size()) +
          " parameters, " + std::to_string(values.size()) + " given");
  std::vector<void *> params;
  for (uint64_t &v : values)
    params.push_back(&v); // little-endian: a u32 parameter reads the low half
  pwfake::PtxRunResult r =
      pwfake::runPtxKernel(*parsed.module, argv[2], unsigned(number(argv[3])),
                           unsigned(number(argv[4])), params.data(), allocations);
  if (r.status) {
    std::fprintf(stderr, "pw_ptx_run: %s\n", r.message.c_str());
    return 1;
  }
  std::printf("issued=%llu\n", static_cast<unsigned long long>(r.issued));
  return 0;
}
