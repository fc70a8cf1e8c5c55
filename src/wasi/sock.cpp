// sock_* calls on sockets the embedder handed over (WasiConfig::sockets, or a stdio descriptor
// that is a socket). Preview 1 can neither create nor connect sockets; every other descriptor is
// ENOTSOCK, as in Wasmtime.
#include "support/try.h"
#include "wasi/calls.h"
#include "wasi/host_errno.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>

namespace parawasm::wasi {
namespace {

bool isSocket(const FdEntry &e) {
  if (!e.host.valid())
    return false;
  if (e.kind == FdKind::Socket)
    return true;
  struct stat st;
  return fstat(e.host.get(), &st) == 0 && S_ISSOCK(st.st_mode);
}

Errno socketFor(S &s, u32 fd, uint64_t right, std::shared_ptr<FdEntry> &out) {
  out = s.fds.get(fd);
  if (!out)
    return Errno::Badf;
  if (!isSocket(*out))
    return Errno::NotSock;
  if (!out->hasRights(right))
    return Errno::NotCapable;
  return Errno::Success;
}

} // namespace

Errno sockAccept(S &s, M &mem, u32 fd, u32 flags, u32 fdOut) {
  if (flags & ~u32(fdflags::Nonblock))
    return Errno::Inval;
  std::shared_ptr<FdEntry> e;
  PW_TRY(socketFor(s, fd, rights::SockAccept, e));
  if (!mem.at(fdOut, 4))
    return Errno::Fault;
  int hostFlags = SOCK_CLOEXEC | ((flags & fdflags::Nonblock) ? SOCK_NONBLOCK : 0);
  int conn;
  do {
    conn = accept4(e->host.get(), nullptr, nullptr, hostFlags);
  } while (conn < 0 && errno == EINTR);
  if (conn < 0)
    return lastHostError();
  auto entry = makeEntry(UniqueFd(conn), true, true);
  if (e->restricted) {
    entry->rightsBase &= e->rightsInheriting;
    entry->rightsInheriting &= e->rightsInheriting;
    entry->restricted = true;
  }
  PW_WASI_STORE(mem, fdOut, s.fds.insert(std::move(entry)));
  return Errno::Success;
}

Errno sockRecv(S &s, M &mem, u32 fd, u32 iovs, u32 iovsLen, u32 riFlags, u32 roDatalenOut,
               u32 roFlagsOut) {
  if (riFlags & ~u32(riflags::RecvPeek | riflags::RecvWaitall))
    return Errno::Inval;
  std::shared_ptr<FdEntry> e;
  PW_TRY(socketFor(s, fd, rights::FdRead, e));
  std::vector<iovec> v;
  PW_TRY(guestIovecs(mem, iovs, iovsLen, v));
  if (!mem.at(roDatalenOut, 4) || !mem.at(roFlagsOut, 2))
    return Errno::Fault;
  msghdr msg{};
  msg.msg_iov = v.data();
  msg.msg_iovlen = v.size();
  int hostFlags = ((riFlags & riflags::RecvPeek) ? MSG_PEEK : 0) |
                  ((riFlags & riflags::RecvWaitall) ? MSG_WAITALL : 0);
  ssize_t n;
  do {
    n = recvmsg(e->host.get(), &msg, hostFlags);
  } while (n < 0 && errno == EINTR);
  if (n < 0)
    return lastHostError();
  PW_WASI_STORE(mem, roDatalenOut, static_cast<uint32_t>(n));
  PW_WASI_STORE(
      mem, roFlagsOut,
      static_cast<uint16_t>((msg.msg_flags & MSG_TRUNC) ? roflags::RecvDataTruncated : 0));
  return Errno::Success;
}

Errno sockSend(S &s, M &mem, u32 fd, u32 iovs, u32 iovsLen, u32 siFlags, u32 soDatalenOut) {
  if (siFlags != 0)
    return Errno::Inval; // preview 1 defines no send flags
  std::shared_ptr<FdEntry> e;
  PW_TRY(socketFor(s, fd, rights::FdWrite, e));
  std::vector<iovec> v;
  PW_TRY(guestIovecs(mem, iovs, iovsLen, v));
  if (!mem.at(soDatalenOut, 4))
    return Errno::Fault;
  msghdr msg{};
  msg.msg_iov = v.data();
  msg.msg_iovlen = v.size();
  ssize_t n;
  do {
    n = sendmsg(e->host.get(), &msg, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n < 0)
    return lastHostError();
  PW_WASI_STORE(mem, soDatalenOut, static_cast<uint32_t>(n));
  return Errno::Success;
}

Errno sockShutdown(S &s, M &, u32 fd, u32 how) {
  if (how == 0 || (how & ~u32(sdflags::Rd | sdflags::Wr)))
    return Errno::Inval;
  std::shared_ptr<FdEntry> e;
  PW_TRY(socketFor(s, fd, rights::SockShutdown, e));
  int h = how == (sdflags::Rd | sdflags::Wr) ? SHUT_RDWR : (how & sdflags::Rd) ? SHUT_RD : SHUT_WR;
  return shutdown(e->host.get(), h) == 0 ? Errno::Success : lastHostError();
}

} // namespace parawasm::wasi
