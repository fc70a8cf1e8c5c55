// parawasm compile [--emit=llvm|ptx] [-O0|-O2] FILE
#include "cli.h"

#include "compile/compiler.h"
#include "support/file_io.h"
#include "wasm/loaded_module.h"

#include <cstdio>

namespace parawasm::cli {

int compileCommand(std::vector<std::string> args) {
  std::string emit = "llvm";
  OptLevel level = OptLevel::Full;
  std::string file;
  for (const std::string &a : args) {
    if (a == "--help" || a == "-h") {
      std::puts("Usage: parawasm compile [--emit=llvm|ptx] [-O0|-O2] FILE\n\n"
                "Prints the LLVM IR (or PTX) that parawasm makes of a module.");
      return 0;
    }
    if (a.rfind("--emit=", 0) == 0) emit = a.substr(7);
    else if (a == "-O0") level = OptLevel::Fast;
    else if (a == "-O2") level = OptLevel::Full;
    else if (!a.empty() && a[0] == '-') return usageError("unknown option '" + a + "' for 'compile'");
    else if (file.empty()) file = a;
    else return usageError("'compile' takes one module file");
  }
  if (file.empty()) return usageError("'compile' needs a module file");
  if (emit != "llvm" && emit != "ptx") return usageError("--emit must be llvm or ptx");
  auto bytes = support::readFile(file);
  if (!bytes) {
    printError(bytes.error());
    return 1;
  }
  auto loaded = bytes->size() >= 4 && (*bytes)[0] == 0 && (*bytes)[1] == 'a'
                    ? wasm::loadBinary(*bytes)
                    : wasm::loadText({reinterpret_cast<const char *>(bytes->data()), bytes->size()}, file);
  if (!loaded) {
    printError(loaded.error());
    return 1;
  }
  if (emit == "ptx") return usageError("--emit=ptx is not available in this build yet");
  auto text = compile::emitLLVMText(*loaded, level);
  if (!text) {
    printError(text.error());
    return 1;
  }
  std::fwrite(text->data(), 1, text->size(), stdout);
  return 0;
}

} // namespace parawasm::cli
