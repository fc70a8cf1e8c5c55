#include "wasi/guest_memory.h"

namespace parawasm::wasi {

bool isValidUtf8(const std::string &s) {
  size_t i = 0, n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n)
      return false;
    for (size_t k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80)
        return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
    static const uint32_t minForLen[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < minForLen[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

Errno readGuestString(const GuestMemory &mem, GuestPtr ptr, GuestSize len, std::string &out) {
  const uint8_t *p = mem.at(ptr, len);
  if (!p)
    return Errno::Fault;
  out.assign(reinterpret_cast<const char *>(p), len);
  if (out.find('\0') != std::string::npos)
    return Errno::Inval;
  if (!isValidUtf8(out))
    return Errno::Ilseq;
  return Errno::Success;
}

} // namespace parawasm::wasi
