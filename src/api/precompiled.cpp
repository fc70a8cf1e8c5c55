// Precompiled modules (`parawasm compile -o`, Engine::precompileModule, Module::deserialize).
//
// Layout, integers little-endian:
//   "PWASMPRE"  u32 format version
//   u32 length, codegen key  (compile::codegenKey: parawasm build, settings, host CPU)
//   u64 length, the module's Wasm binary (decoded and validated again on load: the runtime
//                                         needs its types, imports and segments)
//   u64 length, the native code (the disk cache's packed objects)
//   64 bytes: SHA-256 (hex) of everything before it, so a damaged file is refused before any of
//             its code is linked.
#include "api/engine_state.h"

#include "support/byte_io.h"
#include "support/sha256.h"
#include "support/try.h"
#include "wasm/loaded_module.h"

#include <algorithm>
#include <cstring>

namespace parawasm {

namespace {

constexpr char kMagic[8] = {'P', 'W', 'A', 'S', 'M', 'P', 'R', 'E'};
constexpr uint32_t kFormatVersion = 1;
constexpr size_t kChecksumChars = 64;

Error damaged(const std::string &what) {
  return Error(ErrorKind::Malformed, "precompiled module is damaged: " + what);
}

} // namespace

bool Module::isPrecompiled(std::span<const uint8_t> bytes) {
  return bytes.size() >= sizeof kMagic && std::memcmp(bytes.data(), kMagic, sizeof kMagic) == 0;
}

Result<std::vector<uint8_t>> Engine::precompileModule(std::span<const uint8_t> bytes) {
  std::vector<uint8_t> wasmBytes;
  if (wasm::isBinaryModule(bytes)) {
    wasmBytes.assign(bytes.begin(), bytes.end());
  } else {
    PW_TRY_ASSIGN(wasmBytes,
                  wasm::watToWasm(
                      std::string_view(reinterpret_cast<const char *>(bytes.data()), bytes.size()),
                      "module"));
  }
  PW_TRY_ASSIGN(auto loaded, wasm::loadBinary(wasmBytes));
  PW_TRY_ASSIGN(compile::Jit * jit, state_->jit());
  compile::CompileOptions options = state_->compileOptions();
  options.keepObjects = true;
  PW_TRY_ASSIGN(auto code, jit->compile(loaded, options));
  std::string key = compile::codegenKey(options);
  std::vector<uint8_t> out(kMagic, kMagic + sizeof kMagic);
  support::putU32(out, kFormatVersion);
  support::putU32(out, uint32_t(key.size()));
  out.insert(out.end(), key.begin(), key.end());
  support::putU64(out, wasmBytes.size());
  out.insert(out.end(), wasmBytes.begin(), wasmBytes.end());
  support::putU64(out, code->packedObjects.size());
  out.insert(out.end(), code->packedObjects.begin(), code->packedObjects.end());
  std::string sum = support::sha256Hex(out);
  out.insert(out.end(), sum.begin(), sum.end());
  return out;
}

Result<Module> Module::deserialize(Engine &engine, std::span<const uint8_t> bytes) {
  if (!isPrecompiled(bytes))
    return Error(ErrorKind::Malformed, "not a precompiled parawasm module (bad magic number)");
  if (bytes.size() < sizeof kMagic + kChecksumChars)
    return damaged("too short");
  std::span<const uint8_t> body = bytes.first(bytes.size() - kChecksumChars);
  std::string stored(reinterpret_cast<const char *>(bytes.data() + body.size()), kChecksumChars);
  if (support::sha256Hex(body) != stored)
    return damaged("checksum mismatch");
  support::ByteReader in(body.subspan(sizeof kMagic));
  uint32_t version = 0, keyLen = 0;
  std::span<const uint8_t> key, wasmBytes, objects;
  uint64_t wasmLen = 0, objectsLen = 0;
  if (!in.u32(version))
    return damaged("truncated header");
  if (version != kFormatVersion)
    return Error(ErrorKind::Unlinkable,
                 "precompiled module has format version " + std::to_string(version) +
                     ", this parawasm reads version " + std::to_string(kFormatVersion) +
                     "; compile it again with 'parawasm compile -o'");
  if (!in.u32(keyLen) || !in.take(keyLen, key) || !in.u64(wasmLen) ||
      !in.take(wasmLen, wasmBytes) || !in.u64(objectsLen) || !in.take(objectsLen, objects) ||
      !in.atEnd())
    return damaged("truncated or overlong section");
  compile::CompileOptions options = engine.state().compileOptions();
  std::string expected = compile::codegenKey(options);
  std::string found(key.begin(), key.end());
  if (found != expected)
    return Error(ErrorKind::Unlinkable,
                 "precompiled module does not match this engine: it was made for '" + found +
                     "', this engine needs '" + expected +
                     "' (another parawasm build, -O level or CPU); compile it again with "
                     "'parawasm compile -o'");
  PW_TRY_ASSIGN(auto loaded, wasm::loadBinary(wasmBytes));
  std::vector<uint8_t> packed(objects.begin(), objects.end());
  PW_TRY_ASSIGN(auto m, engine.state().compileModule(std::move(loaded), std::nullopt, &packed));
  m->bytes = std::make_shared<const std::vector<uint8_t>>(wasmBytes.begin(), wasmBytes.end());
  m->fromPrecompiled = true;
  return Module(std::move(m));
}

} // namespace parawasm
