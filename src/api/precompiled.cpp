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

#include "support/sha256.h"
#include "wasm/loaded_module.h"

#include <algorithm>
#include <cstring>

namespace parawasm {

namespace {

constexpr char kMagic[8] = {'P', 'W', 'A', 'S', 'M', 'P', 'R', 'E'};
constexpr uint32_t kFormatVersion = 1;
constexpr size_t kChecksumChars = 64;

void putU32(std::vector<uint8_t> &out, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out.push_back(uint8_t(v >> (8 * i)));
}
void putU64(std::vector<uint8_t> &out, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out.push_back(uint8_t(v >> (8 * i)));
}

// Reads fields front to back; every read checks the remaining length.
class Reader {
public:
  explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  bool u32(uint32_t &v) { return little(v, 4); }
  bool u64(uint64_t &v) { return little(v, 8); }
  bool take(uint64_t n, std::span<const uint8_t> &out) {
    if (n > bytes_.size() - pos_)
      return false;
    out = bytes_.subspan(pos_, n);
    pos_ += n;
    return true;
  }
  bool atEnd() const { return pos_ == bytes_.size(); }

private:
  template <class T> bool little(T &v, size_t n) {
    if (n > bytes_.size() - pos_)
      return false;
    v = 0;
    for (size_t i = 0; i < n; ++i)
      v |= T(bytes_[pos_ + i]) << (8 * i);
    pos_ += n;
    return true;
  }
  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
};

Error damaged(const std::string &what) {
  return Error(ErrorKind::Malformed, "precompiled module is damaged: " + what);
}

} // namespace

bool Module::isPrecompiled(std::span<const uint8_t> bytes) {
  return bytes.size() >= sizeof kMagic && std::memcmp(bytes.data(), kMagic, sizeof kMagic) == 0;
}

Result<std::vector<uint8_t>> Engine::precompileModule(std::span<const uint8_t> bytes) {
  std::vector<uint8_t> wasmBytes;
  static const uint8_t wasmMagic[4] = {0, 'a', 's', 'm'};
  if (bytes.size() >= 4 && std::equal(wasmMagic, wasmMagic + 4, bytes.begin())) {
    wasmBytes.assign(bytes.begin(), bytes.end());
  } else {
    auto converted = wasm::watToWasm(
        std::string_view(reinterpret_cast<const char *>(bytes.data()), bytes.size()), "module");
    if (!converted)
      return converted.takeError();
    wasmBytes = std::move(*converted);
  }
  auto loaded = wasm::loadBinary(wasmBytes);
  if (!loaded)
    return loaded.takeError();
  auto jit = state_->jit();
  if (!jit)
    return jit.takeError();
  compile::CompileOptions options = state_->compileOptions();
  options.keepObjects = true;
  auto code = (*jit)->compile(*loaded, options);
  if (!code)
    return code.takeError();
  std::string key = compile::codegenKey(options);
  std::vector<uint8_t> out(kMagic, kMagic + sizeof kMagic);
  putU32(out, kFormatVersion);
  putU32(out, uint32_t(key.size()));
  out.insert(out.end(), key.begin(), key.end());
  putU64(out, wasmBytes.size());
  out.insert(out.end(), wasmBytes.begin(), wasmBytes.end());
  putU64(out, (*code)->packedObjects.size());
  out.insert(out.end(), (*code)->packedObjects.begin(), (*code)->packedObjects.end());
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
  Reader in(body.subspan(sizeof kMagic));
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
  auto loaded = wasm::loadBinary(wasmBytes);
  if (!loaded)
    return loaded.takeError();
  std::vector<uint8_t> packed(objects.begin(), objects.end());
  auto m = engine.state().compileModule(std::move(*loaded), std::nullopt, &packed);
  if (!m)
    return m.takeError();
  (*m)->bytes = std::make_shared<const std::vector<uint8_t>>(wasmBytes.begin(), wasmBytes.end());
  return Module(std::move(*m));
}

} // namespace parawasm
