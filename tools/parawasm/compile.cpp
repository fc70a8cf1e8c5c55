// parawasm compile [--emit=llvm|ptx|ptx-llvm] [--sm=NN] [--kernel=NAME] [-O0|-O2] [-o OUT] FILE
#include "cli.h"

#include "compile/compiler.h"
#include "compile/ptx.h"
#include "support/file_io.h"
#include "wasm/loaded_module.h"

#include <charconv>
#include <cstdio>
#include <string_view>

namespace parawasm::cli {

namespace {

constexpr const char *kUsage =
    "Usage: parawasm compile [--emit=llvm|ptx|ptx-llvm] [--sm=NN] [--kernel=NAME] [-O0|-O2]\n"
    "                        [-o OUT] FILE\n"
    "\n"
    "  -o OUT           without --emit: write a precompiled module (native code for this CPU\n"
    "                   and parawasm build) that 'parawasm run --allow-precompiled OUT' runs\n"
    "                   without compiling; run refuses it when made by another build, at\n"
    "                   another -O level or for another CPU. With --emit: write the text there.\n"
    "\n"
    "Prints what parawasm makes of a module:\n"
    "  --emit=llvm      LLVM IR for the CPU (default)\n"
    "  --emit=ptx       PTX for an NVIDIA GPU of compute capability NN (--sm, default 80)\n"
    "  --emit=ptx-llvm  the NVPTX LLVM IR that becomes that PTX\n"
    "For ptx and ptx-llvm, the module's export `kernel` (or --kernel=NAME) becomes the\n"
    "wasi-parallel kernel entry; a module without one is emitted as device functions, leaving\n"
    "out (with a note on stderr) those a GPU cannot run.";

// Index of the exported function `name`, if any.
std::optional<uint32_t> exportedFunction(const vm::ModuleInfo &info, const std::string &name) {
  for (const vm::ExportInfo &e : info.exports)
    if (e.kind == ExternKind::Func && e.name == name)
      return e.index;
  return std::nullopt;
}

// `compile -o OUT FILE`: a precompiled module for `run --allow-precompiled`.
int precompile(const std::string &file, const std::string &output, OptLevel level) {
  auto bytes = support::readFile(file);
  if (!bytes) {
    printError(bytes.error());
    return 1;
  }
  EngineConfig config;
  config.optLevel = level;
  config.useCache = false; // the file is the cache
  Engine engine(config);
  auto precompiled = engine.precompileModule(*bytes);
  if (!precompiled) {
    printError(precompiled.error());
    return 1;
  }
  auto written = support::writeFileAtomic(output, *precompiled, support::Parents::MustExist);
  if (!written) {
    printError(written.error());
    return 1;
  }
  return 0;
}

} // namespace

int compileCommand(std::vector<std::string> args) {
  std::string emit;
  OptLevel level = OptLevel::Full;
  std::string file, kernelName;
  std::optional<std::string> output;
  int sm = 80;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    if (a == "--help" || a == "-h") {
      std::puts(kUsage);
      return 0;
    }
    if (a == "-o" || a == "--output") {
      if (output)
        return usageError(a + " may be given once");
      if (i + 1 >= args.size())
        return usageError(a + " needs a file");
      output = args[++i];
    } else if (a.rfind("--emit=", 0) == 0)
      emit = a.substr(7);
    else if (a.rfind("--sm=", 0) == 0) {
      std::string_view v = std::string_view(a).substr(5);
      if (v.rfind("sm_", 0) == 0)
        v.remove_prefix(3);
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), sm);
      if (ec != std::errc() || end != v.data() + v.size() || v.empty())
        return usageError("--sm takes a compute capability such as 80 or 90");
    } else if (a.rfind("--kernel=", 0) == 0)
      kernelName = a.substr(9);
    else if (a == "-O0")
      level = OptLevel::Fast;
    else if (a == "-O2")
      level = OptLevel::Full;
    else if (!a.empty() && a[0] == '-')
      return usageError("unknown option '" + a + "' for 'compile'");
    else if (file.empty())
      file = a;
    else
      return usageError("'compile' takes one module file");
  }
  if (file.empty())
    return usageError("'compile' needs a module file");
  if (output) {
    if (auto writable = support::checkWritableFile(*output); !writable) {
      printError(writable.error());
      return 1;
    }
  }
  if (output && emit.empty())
    return precompile(file, *output, level);
  if (emit.empty())
    emit = "llvm";
  if (emit != "llvm" && emit != "ptx" && emit != "ptx-llvm")
    return usageError("--emit must be llvm, ptx or ptx-llvm");
  auto bytes = support::readFile(file);
  if (!bytes) {
    printError(bytes.error());
    return 1;
  }
  auto loaded =
      wasm::isBinaryModule(*bytes)
          ? wasm::loadBinary(*bytes)
          : wasm::loadText({reinterpret_cast<const char *>(bytes->data()), bytes->size()}, file);
  if (!loaded) {
    printError(loaded.error());
    return 1;
  }
  Result<std::string> text = std::string();
  if (emit == "llvm") {
    text = compile::emitLLVMText(*loaded, level);
  } else {
    std::optional<uint32_t> kernel =
        exportedFunction(loaded->info, kernelName.empty() ? "kernel" : kernelName);
    if (!kernel && !kernelName.empty())
      return usageError("the module exports no function '" + kernelName + "'");
    if (kernel && emit == "ptx")
      text = compile::emitPTX(*loaded, *kernel, sm);
    else if (kernel)
      text = compile::emitPTXLLVM(*loaded, *kernel, sm, level);
    else {
      std::vector<std::string> skipped;
      text = compile::emitPTXFunctions(*loaded, sm, level, emit == "ptx-llvm", &skipped);
      for (const std::string &s : skipped)
        std::fprintf(stderr, "parawasm: note: left out %s\n", s.c_str());
    }
  }
  if (!text) {
    printError(text.error());
    return 1;
  }
  if (output) {
    auto written = support::writeFileAtomic(
        *output, {reinterpret_cast<const uint8_t *>(text->data()), text->size()},
        support::Parents::MustExist);
    if (!written) {
      printError(written.error());
      return 1;
    }
    return 0;
  }
  std::fwrite(text->data(), 1, text->size(), stdout);
  return 0;
}

} // namespace parawasm::cli
