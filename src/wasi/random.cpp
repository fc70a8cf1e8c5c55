#include "wasi/calls.h"
#include "wasi/host_errno.h"

#include <cerrno>
#include <sys/random.h>

namespace parawasm::wasi {

Errno randomGet(S &, M &mem, u32 buf, u32 bufLen) {
  uint8_t *p = mem.at(buf, bufLen);
  if (!p)
    return Errno::Fault;
  size_t done = 0;
  while (done < bufLen) {
    // getrandom returns at most 32 MiB per call and may be interrupted; loop until full.
    ssize_t n = getrandom(p + done, bufLen - done, 0);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return lastHostError();
    }
    done += size_t(n);
  }
  return Errno::Success;
}

} // namespace parawasm::wasi
