#include "wasi/calls.h"

namespace parawasm::wasi {
namespace {

// Writes the pointer array and the NUL-terminated strings of args or environ. The sizes were
// handed out by *_sizes_get; checking the whole span first means a bad pointer writes nothing.
Errno writeStrings(const std::vector<std::string> &strings, M &mem, u32 ptrs, u32 buf) {
  uint64_t total = 0;
  for (const auto &s : strings)
    total += s.size() + 1;
  if (!mem.at(ptrs, uint64_t(strings.size()) * 4) || !mem.at(buf, total))
    return Errno::Fault;
  uint64_t at = buf;
  for (size_t i = 0; i < strings.size(); ++i) {
    (void)mem.store(ptrs + uint64_t(i) * 4, static_cast<uint32_t>(at));
    (void)mem.write(at, strings[i].c_str(), strings[i].size() + 1);
    at += strings[i].size() + 1;
  }
  return Errno::Success;
}

Errno writeSizes(const std::vector<std::string> &strings, M &mem, u32 countOut, u32 sizeOut) {
  uint64_t total = 0;
  for (const auto &s : strings)
    total += s.size() + 1;
  if (total > UINT32_MAX)
    return Errno::Overflow;
  if (!mem.at(countOut, 4) || !mem.at(sizeOut, 4))
    return Errno::Fault;
  (void)mem.store(countOut, static_cast<uint32_t>(strings.size()));
  (void)mem.store(sizeOut, static_cast<uint32_t>(total));
  return Errno::Success;
}

} // namespace

Errno argsGet(S &s, M &mem, u32 argv, u32 argvBuf) {
  return writeStrings(s.args, mem, argv, argvBuf);
}
Errno argsSizesGet(S &s, M &mem, u32 argcOut, u32 argvBufSizeOut) {
  return writeSizes(s.args, mem, argcOut, argvBufSizeOut);
}
Errno environGet(S &s, M &mem, u32 environPtrs, u32 environBuf) {
  return writeStrings(s.env, mem, environPtrs, environBuf);
}
Errno environSizesGet(S &s, M &mem, u32 countOut, u32 bufSizeOut) {
  return writeSizes(s.env, mem, countOut, bufSizeOut);
}

} // namespace parawasm::wasi
