#include "compile/perf_map.h"

#include "compile/module_translator.h"

#include <llvm/ExecutionEngine/JITLink/JITLink.h>

#include <cerrno>
#include <cinttypes>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace parawasm::compile {

void PerfMap::nameFunctions(const std::string &dylib, const vm::ModuleInfo &info) {
  auto names = std::make_shared<std::vector<std::string>>();
  names->reserve(info.funcTypes.size());
  for (uint32_t f = 0; f < info.funcTypes.size(); ++f)
    names->push_back(info.funcDisplayName(f));
  std::lock_guard lock(mutex_);
  names_[dylib] = std::move(names);
}

void PerfMap::record(const std::string &dylib, const llvm::jitlink::LinkGraph &graph) {
  std::lock_guard lock(mutex_);
  if (failed_)
    return;
  if (!file_) {
    std::string path = "/tmp/perf-" + std::to_string(::getpid()) + ".map";
    // Not through a link someone left in /tmp; a stale map of an earlier process with this pid
    // is replaced.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    file_ = fd < 0 ? nullptr : ::fdopen(fd, "w");
    if (!file_) {
      failed_ = true;
      std::fprintf(stderr, "parawasm: warning: cannot write the perf map '%s': %s\n", path.c_str(),
                   std::strerror(errno));
      if (fd >= 0)
        ::close(fd);
      return;
    }
  }
  auto it = names_.find(dylib);
  const std::vector<std::string> *names = it == names_.end() ? nullptr : it->second.get();
  for (const llvm::jitlink::Symbol *sym : graph.defined_symbols()) {
    if (!sym->hasName() || !sym->isCallable() || sym->getSize() == 0)
      continue;
    llvm::StringRef symbol = sym->getName();
    std::string name;
    if (std::optional<uint32_t> f = functionOfSymbol(symbol); f && names && *f < names->size())
      // "wasm::$fib", a lazy body "wasm::$fib.body", a loop entry "wasm::$fib.loop0".
      name = "wasm::" + (*names)[*f] + symbol.drop_until([](char c) { return c == '.'; }).str();
    else
      name = "parawasm::" + symbol.str(); // entry thunks, host adapters, kernel drivers
    std::fprintf(file_, "%" PRIx64 " %" PRIx64 " %s\n", sym->getAddress().getValue(),
                 uint64_t(sym->getSize()), name.c_str());
  }
  // `parawasm run` ends with quick_exit, which flushes no stdio stream.
  std::fflush(file_);
}

} // namespace parawasm::compile
