// Linux perf's map of JIT code, /tmp/perf-<pid>.map: one "START SIZE NAME" line (hex) per
// function the JIT links, so that `perf report` names the guest's functions instead of showing
// bare addresses (Wasmtime's --profile=perfmap). On with EngineConfig::perfMap
// (`parawasm run --profile=perfmap`); cached code is recorded as it is linked.
#pragma once

#include "vm/module_info.h"

#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace llvm::jitlink {
class LinkGraph;
}

namespace parawasm::compile {

class PerfMap {
public:
  PerfMap() = default;
  PerfMap(const PerfMap &) = delete;
  PerfMap &operator=(const PerfMap &) = delete;

  // The names of the functions of the module whose code the JITDylib named `dylib` will hold.
  void nameFunctions(const std::string &dylib, const vm::ModuleInfo &info);
  // One line per function of `graph`, linked into `dylib`, its addresses final.
  void record(const std::string &dylib, const llvm::jitlink::LinkGraph &graph);

private:
  std::mutex mutex_;
  std::FILE *file_ = nullptr;
  bool failed_ = false; // the file could not be opened: said once, then nothing is written
  // Per JITDylib (named uniquely, never reused): each function's display name by index.
  std::map<std::string, std::shared_ptr<const std::vector<std::string>>> names_;
};

} // namespace parawasm::compile
