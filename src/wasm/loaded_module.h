// A module decoded and validated by wabt: its IR (for src/compile) and its plain description.
#pragma once

#include "vm/module_info.h"

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wabt {
struct Module;
}

namespace parawasm::wasm {

struct LoadedModule {
  std::shared_ptr<wabt::Module> ir; // only src/wasm and src/compile look inside
  vm::ModuleInfo info;
  std::string hash; // hex digest of the binary: key of the compiled-code cache
  // Per defined function, the size in bytes of its body in the code section (empty when not
  // read from a binary): a bound on its nesting depth that spares a walk of its code.
  std::vector<uint32_t> bodyBytes;
  size_t decodeParts = 1; // how many threads decoded and validated it (loadBinary)
};

// Whether `bytes` start with the binary format's magic number "\0asm" (else: text, or not Wasm).
bool isBinaryModule(std::span<const uint8_t> bytes);
// Decodes and validates a binary module. Errors: Malformed (decoding) or Invalid (validation),
// with wabt's message and the byte offset. A big module is decoded on up to `decodeThreads`
// threads (0: one per core, at most 4), with the same result as on one.
Result<LoadedModule> loadBinary(std::span<const uint8_t> bytes, unsigned decodeThreads = 0);
// An Unsupported error when `bytes` is a WebAssembly component (magic, then a version word whose
// layer half is 1, e.g. 0x1000d) rather than a core module; `what` names it in the message.
std::optional<Error> refuseComponent(std::span<const uint8_t> bytes, std::string_view what);
// Parses a text module and validates it; the result is identical to loading its binary.
Result<LoadedModule> loadText(std::string_view text, std::string_view fileName);
// Text to binary (for tools and tests).
Result<std::vector<uint8_t>> watToWasm(std::string_view text, std::string_view fileName);

} // namespace parawasm::wasm
