// fd_* calls. Which kinds of descriptor each call accepts, and the errno for the others, follow
// Wasmtime's wasi_snapshot_preview1 (e.g. fd_read on a directory is EBADF, fd_seek on stdio is
// ESPIPE), so guests see the same errors under both runtimes.
#include "support/try.h"
#include "wasi/calls.h"
#include "wasi/host_errno.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

namespace parawasm::wasi {
namespace {

u64 nanos(const timespec &ts) { return u64(ts.tv_sec) * 1000000000ull + u64(ts.tv_nsec); }

bool isStdio(FdKind k) { return k == FdKind::Stdin || k == FdKind::Stdout || k == FdKind::Stderr; }

// Retries a system call interrupted by a signal before it transferred anything.
template <class F> ssize_t retryEintr(F f) {
  ssize_t n;
  do {
    n = f();
  } while (n < 0 && errno == EINTR);
  return n;
}

// writev that turns SIGPIPE into EPIPE. A write to a pipe whose reader has gone raises SIGPIPE,
// which by default kills the whole embedding process; the guest must get EPIPE instead, as under
// Wasmtime. The signal is blocked on this thread for the write and a SIGPIPE the write caused
// is taken back, so the embedder's own disposition is left alone.
ssize_t writevNoSigpipe(int fd, const iovec *iov, int count) {
  sigset_t pipeSet, old, pending;
  sigemptyset(&pipeSet);
  sigaddset(&pipeSet, SIGPIPE);
  sigemptyset(&pending);
  sigpending(&pending);
  const bool wasPending = sigismember(&pending, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipeSet, &old);
  ssize_t n = retryEintr([&] { return writev(fd, iov, count); });
  int err = errno;
  if (n < 0 && err == EPIPE && !wasPending) {
    const timespec zero{0, 0};
    while (sigtimedwait(&pipeSet, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  errno = err;
  return n;
}

uint8_t stdioFileType(const FdEntry &e) {
  return e.host.valid() && isatty(e.host.get()) ? FileTypeCharacterDevice : FileTypeUnknown;
}

uint8_t socketFileType(int fd) {
  int type = 0;
  socklen_t len = sizeof type;
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_DGRAM)
    return FileTypeSocketDgram;
  return FileTypeSocketStream;
}

Errno loadDirList(FdEntry &e) {
  int fd = e.host.get();
  struct stat self;
  if (fstat(fd, &self) != 0)
    return lastHostError();
  std::vector<DirListEntry> list;
  // "." and ".." first, with the directory's own inode for both, as Wasmtime reports them: the
  // parent's inode of a preopen would describe a directory outside the sandbox.
  list.push_back({".", u64(self.st_ino), FileTypeDirectory});
  list.push_back({"..", u64(self.st_ino), FileTypeDirectory});
  if (lseek(fd, 0, SEEK_SET) < 0)
    return lastHostError();
  alignas(8) char buf[32 * 1024];
  for (;;) {
    long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return lastHostError();
    }
    if (n == 0)
      break;
    for (long off = 0; off < n;) {
      // struct linux_dirent64: ino u64, off s64, reclen u16, type u8, name[]
      uint64_t ino;
      uint16_t reclen;
      uint8_t dtype;
      std::memcpy(&ino, buf + off, 8);
      std::memcpy(&reclen, buf + off + 16, 2);
      dtype = static_cast<uint8_t>(buf[off + 18]);
      const char *name = buf + off + 19;
      off += reclen;
      if (!std::strcmp(name, ".") || !std::strcmp(name, ".."))
        continue;
      uint8_t type = FileTypeUnknown;
      switch (dtype) {
      case DT_REG:
        type = FileTypeRegularFile;
        break;
      case DT_DIR:
        type = FileTypeDirectory;
        break;
      case DT_LNK:
        type = FileTypeSymbolicLink;
        break;
      case DT_CHR:
        type = FileTypeCharacterDevice;
        break;
      case DT_BLK:
        type = FileTypeBlockDevice;
        break;
      case DT_SOCK:
        type = FileTypeSocketStream;
        break;
      case DT_UNKNOWN: {
        struct stat st;
        if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
          type = fileTypeOf(st.st_mode);
        break;
      }
      default:
        break; // FIFOs and the like: p1 has no type for them
      }
      list.push_back({name, ino, type});
    }
  }
  e.dirList = std::move(list);
  e.dirListValid = true;
  return Errno::Success;
}

} // namespace

Errno guestIovecs(M &mem, u32 iovs, u32 iovsLen, std::vector<struct iovec> &out) {
  if (!mem.at(iovs, uint64_t(iovsLen) * layout::iovec::Size))
    return Errno::Fault;
  out.clear();
  for (u32 i = 0; i < iovsLen; ++i) {
    uint32_t buf = 0, len = 0;
    (void)mem.load(iovs + uint64_t(i) * 8 + layout::iovec::Buf, buf);
    (void)mem.load(iovs + uint64_t(i) * 8 + layout::iovec::BufLen, len);
    uint8_t *p = mem.at(buf, len);
    if (!p)
      return Errno::Fault;
    // Past IOV_MAX buffers the transfer is simply short, which every caller must handle.
    if (len != 0 && out.size() < IOV_MAX)
      out.push_back({p, len});
  }
  return Errno::Success;
}

uint8_t fileTypeOf(unsigned mode) {
  switch (mode & S_IFMT) {
  case S_IFREG:
    return FileTypeRegularFile;
  case S_IFDIR:
    return FileTypeDirectory;
  case S_IFCHR:
    return FileTypeCharacterDevice;
  case S_IFBLK:
    return FileTypeBlockDevice;
  case S_IFLNK:
    return FileTypeSymbolicLink;
  case S_IFSOCK:
    return FileTypeSocketStream;
  default:
    return FileTypeUnknown; // FIFOs: preview 1 never had a type for them
  }
}

Errno writeFilestat(M &mem, u32 ptr, const struct stat &st) {
  namespace L = layout::filestat;
  uint8_t *p = mem.at(ptr, L::Size);
  if (!p)
    return Errno::Fault;
  std::memset(p, 0, L::Size);
  (void)mem.store(ptr + L::Dev, u64(st.st_dev));
  (void)mem.store(ptr + L::Ino, u64(st.st_ino));
  (void)mem.store(ptr + L::FileType, fileTypeOf(st.st_mode));
  (void)mem.store(ptr + L::Nlink, u64(st.st_nlink));
  (void)mem.store(ptr + L::FileSize, u64(st.st_size));
  (void)mem.store(ptr + L::Atim, nanos(st.st_atim));
  (void)mem.store(ptr + L::Mtim, nanos(st.st_mtim));
  (void)mem.store(ptr + L::Ctim, nanos(st.st_ctim));
  return Errno::Success;
}

Errno toTimespecs(u64 atim, u64 mtim, u32 fstFlags, struct timespec ts[2]) {
  if (fstFlags & ~u32(fstflags::All))
    return Errno::Inval;
  auto one = [](bool set, bool now, u64 t, timespec &out) {
    if (set && now)
      return false;
    if (set)
      out = {time_t(t / 1000000000ull), long(t % 1000000000ull)};
    else
      out = {0, now ? UTIME_NOW : UTIME_OMIT};
    return true;
  };
  if (!one(fstFlags & fstflags::Atim, fstFlags & fstflags::AtimNow, atim, ts[0]) ||
      !one(fstFlags & fstflags::Mtim, fstFlags & fstflags::MtimNow, mtim, ts[1]))
    return Errno::Inval;
  return Errno::Success;
}

Errno fdAdvise(S &s, M &, u32 fd, u64 offset, u64 len, u32 advice) {
  static const int hostAdvice[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                   POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED,   POSIX_FADV_NOREUSE};
  if (advice > AdviceNoReuse)
    return Errno::Inval;
  auto e = s.fds.get(fd);
  if (!e || e->kind != FdKind::File)
    return Errno::Badf;
  if (!e->hasRights(rights::FdAdvise))
    return Errno::NotCapable;
  if (offset > u64(INT64_MAX) || len > u64(INT64_MAX))
    return Errno::Inval;
  return fromHostErrno(posix_fadvise(e->host.get(), off_t(offset), off_t(len), hostAdvice[advice]));
}

Errno fdAllocate(S &s, M &, u32 fd, u64 offset, u64 len) {
  auto e = s.fds.get(fd);
  if (!e || e->kind != FdKind::File)
    return Errno::Badf;
  if (!e->hasRights(rights::FdAllocate))
    return Errno::NotCapable;
  if (offset > u64(INT64_MAX) || len > u64(INT64_MAX) - offset)
    return Errno::Fbig;
  int r;
  do {
    r = posix_fallocate(e->host.get(), off_t(offset), off_t(len));
  } while (r == EINTR);
  return fromHostErrno(r);
}

Errno fdClose(S &s, M &, u32 fd) { return s.fds.remove(fd) ? Errno::Success : Errno::Badf; }

Errno fdDatasync(S &s, M &, u32 fd) {
  auto e = s.fds.get(fd);
  if (!e || e->kind != FdKind::File)
    return Errno::Badf;
  if (!e->hasRights(rights::FdDatasync))
    return Errno::NotCapable;
  return fdatasync(e->host.get()) == 0 ? Errno::Success : lastHostError();
}

Errno fdSync(S &s, M &, u32 fd) {
  auto e = s.fds.get(fd);
  if (!e || e->kind != FdKind::File)
    return Errno::Badf;
  if (!e->hasRights(rights::FdSync))
    return Errno::NotCapable;
  return fsync(e->host.get()) == 0 ? Errno::Success : lastHostError();
}

Errno fdFdstatGet(S &s, M &mem, u32 fd, u32 statOut) {
  namespace L = layout::fdstat;
  auto e = s.fds.get(fd);
  if (!e)
    return Errno::Badf;
  uint8_t type = FileTypeUnknown;
  uint16_t flags = 0;
  if (isStdio(e->kind)) {
    type = stdioFileType(*e);
  } else {
    struct stat st;
    if (fstat(e->host.get(), &st) != 0)
      return lastHostError();
    type = e->kind == FdKind::Socket ? socketFileType(e->host.get()) : fileTypeOf(st.st_mode);
    if (!e->isPreopen) {
      int fl = fcntl(e->host.get(), F_GETFL);
      if (fl < 0)
        return lastHostError();
      if (fl & O_APPEND)
        flags |= fdflags::Append;
      if (fl & O_NONBLOCK)
        flags |= fdflags::Nonblock;
      if ((fl & O_SYNC) == O_SYNC)
        flags |= fdflags::Sync | (e->rsync ? fdflags::Rsync : 0);
      else if (fl & O_DSYNC)
        flags |= fdflags::Dsync;
    }
  }
  uint8_t *p = mem.at(statOut, L::Size);
  if (!p)
    return Errno::Fault;
  std::memset(p, 0, L::Size);
  (void)mem.store(statOut + L::FileType, type);
  (void)mem.store(statOut + L::Flags, flags);
  (void)mem.store(statOut + L::RightsBase, e->rightsBase);
  (void)mem.store(statOut + L::RightsInheriting, e->rightsInheriting);
  return Errno::Success;
}

Errno fdFdstatSetFlags(S &s, M &, u32 fd, u32 flags) {
  if (flags & ~u32(fdflags::All))
    return Errno::Inval;
  auto e = s.fds.get(fd);
  if (!e || (e->kind != FdKind::File && e->kind != FdKind::Socket))
    return Errno::Badf;
  if (!e->hasRights(rights::FdFdstatSetFlags))
    return Errno::NotCapable;
  // Only APPEND and NONBLOCK can change after open (Wasmtime refuses the sync flags too).
  if (flags & (fdflags::Dsync | fdflags::Sync | fdflags::Rsync))
    return Errno::Inval;
  int fl = fcntl(e->host.get(), F_GETFL);
  if (fl < 0)
    return lastHostError();
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (flags & fdflags::Append)
    fl |= O_APPEND;
  if (flags & fdflags::Nonblock)
    fl |= O_NONBLOCK;
  return fcntl(e->host.get(), F_SETFL, fl) == 0 ? Errno::Success : lastHostError();
}

Errno fdFdstatSetRights(S &s, M &, u32 fd, u64 base, u64 inheriting) {
  auto e = s.fds.get(fd);
  if (!e)
    return Errno::Badf;
  // Rights only ever shrink.
  if ((base & ~e->rightsBase) || (inheriting & ~e->rightsInheriting))
    return Errno::NotCapable;
  e->rightsBase = base;
  e->rightsInheriting = inheriting;
  e->restricted = true;
  return Errno::Success;
}

Errno fdFilestatGet(S &s, M &mem, u32 fd, u32 statOut) {
  auto e = s.fds.get(fd);
  if (!e)
    return Errno::Badf;
  if (!e->hasRights(rights::FdFilestatGet))
    return Errno::NotCapable;
  if (isStdio(e->kind)) {
    // Wasmtime's stdio are streams, not files: all zero but the type.
    uint8_t *p = mem.at(statOut, layout::filestat::Size);
    if (!p)
      return Errno::Fault;
    std::memset(p, 0, layout::filestat::Size);
    p[layout::filestat::FileType] = stdioFileType(*e);
    return Errno::Success;
  }
  struct stat st;
  if (fstat(e->host.get(), &st) != 0)
    return lastHostError();
  PW_TRY(writeFilestat(mem, statOut, st));
  if (e->kind == FdKind::Socket)
    (void)mem.store(statOut + layout::filestat::FileType, socketFileType(e->host.get()));
  return Errno::Success;
}

Errno fdFilestatSetSize(S &s, M &, u32 fd, u64 size) {
  auto e = s.fds.get(fd);
  if (!e || e->kind != FdKind::File)
    return Errno::Badf;
  if (!e->hasRights(rights::FdFilestatSetSize))
    return Errno::NotCapable;
  if (size > u64(INT64_MAX))
    return Errno::Fbig;
  return retryEintr([&] { return ftruncate(e->host.get(), off_t(size)); }) == 0 ? Errno::Success
                                                                                : lastHostError();
}

Errno fdFilestatSetTimes(S &s, M &, u32 fd, u64 atim, u64 mtim, u32 fstFlags) {
  timespec ts[2];
  PW_TRY(toTimespecs(atim, mtim, fstFlags, ts));
  auto e = s.fds.get(fd);
  if (!e || isStdio(e->kind))
    return Errno::Badf;
  if (!e->hasRights(rights::FdFilestatSetTimes))
    return Errno::NotCapable;
  return futimens(e->host.get(), ts) == 0 ? Errno::Success : lastHostError();
}

Errno fdRead(S &s, M &mem, u32 fd, u32 iovs, u32 iovsLen, u32 nreadOut) {
  auto e = s.fds.get(fd);
  if (!e || !e->readable ||
      (e->kind != FdKind::Stdin && e->kind != FdKind::File && e->kind != FdKind::Socket))
    return Errno::Badf;
  if (!e->hasRights(rights::FdRead))
    return Errno::NotCapable;
  std::vector<iovec> v;
  PW_TRY(guestIovecs(mem, iovs, iovsLen, v));
  // Checked before reading: data taken from a pipe could not be put back.
  if (!mem.at(nreadOut, 4))
    return Errno::Fault;
  ssize_t n = 0;
  if (e->host.valid() && !v.empty()) {
    n = retryEintr([&] { return readv(e->host.get(), v.data(), int(v.size())); });
    if (n < 0)
      return lastHostError();
  }
  PW_WASI_STORE(mem, nreadOut, static_cast<uint32_t>(n));
  return Errno::Success;
}

Errno fdWrite(S &s, M &mem, u32 fd, u32 iovs, u32 iovsLen, u32 nwrittenOut) {
  auto e = s.fds.get(fd);
  if (!e || !e->writable ||
      (e->kind != FdKind::Stdout && e->kind != FdKind::Stderr && e->kind != FdKind::File &&
       e->kind != FdKind::Socket))
    return Errno::Badf;
  if (!e->hasRights(rights::FdWrite))
    return Errno::NotCapable;
  std::vector<iovec> v;
  PW_TRY(guestIovecs(mem, iovs, iovsLen, v));
  if (!mem.at(nwrittenOut, 4))
    return Errno::Fault;
  ssize_t n = 0;
  if (!e->host.valid()) {
    for (const auto &io : v)
      n += ssize_t(io.iov_len); // an unconnected stdout discards, successfully
  } else if (!v.empty()) {
    if (e->kind == FdKind::Socket) {
      msghdr msg{};
      msg.msg_iov = v.data();
      msg.msg_iovlen = v.size();
      // MSG_NOSIGNAL: a peer that went away is EPIPE for the guest, not SIGPIPE for the host.
      n = retryEintr([&] { return sendmsg(e->host.get(), &msg, MSG_NOSIGNAL); });
      if (n < 0 && errno == ENOTSOCK)
        n = writevNoSigpipe(e->host.get(), v.data(), int(v.size()));
    } else if (e->raisesSigpipe) {
      n = writevNoSigpipe(e->host.get(), v.data(), int(v.size()));
    } else {
      n = retryEintr([&] { return writev(e->host.get(), v.data(), int(v.size())); });
    }
    if (n < 0)
      return lastHostError();
  }
  PW_WASI_STORE(mem, nwrittenOut, static_cast<uint32_t>(n));
  return Errno::Success;
}

namespace {

// fd_pread and fd_pwrite: the same checks and errnos, one direction each. A stream (stdin for a
// read, stdout/stderr for a write) has no position: Spipe, as in Wasmtime.
Errno positionalIo(S &s, M &mem, u32 fd, u32 iovs, u32 iovsLen, u64 offset, u32 countOut,
                   bool write) {
  auto e = s.fds.get(fd);
  if (!e)
    return Errno::Badf;
  const bool stream =
      write ? e->kind == FdKind::Stdout || e->kind == FdKind::Stderr : e->kind == FdKind::Stdin;
  if (stream)
    return Errno::Spipe;
  if (e->kind != FdKind::File || !(write ? e->writable : e->readable))
    return Errno::Badf;
  if (!e->hasRights(write ? rights::FdWrite : rights::FdRead))
    return Errno::NotCapable;
  std::vector<iovec> v;
  PW_TRY(guestIovecs(mem, iovs, iovsLen, v));
  if (!mem.at(countOut, 4))
    return Errno::Fault;
  if (offset > u64(INT64_MAX))
    return Errno::Inval;
  ssize_t n = 0;
  if (!v.empty()) {
    // On a file opened with O_APPEND Linux appends and ignores the offset; so does Wasmtime.
    n = retryEintr([&] {
      return write ? pwritev(e->host.get(), v.data(), int(v.size()), off_t(offset))
                   : preadv(e->host.get(), v.data(), int(v.size()), off_t(offset));
    });
    if (n < 0)
      return lastHostError();
  }
  PW_WASI_STORE(mem, countOut, static_cast<uint32_t>(n));
  return Errno::Success;
}

} // namespace

Errno fdPread(S &s, M &mem, u32 fd, u32 iovs, u32 iovsLen, u64 offset, u32 nreadOut) {
  return positionalIo(s, mem, fd, iovs, iovsLen, offset, nreadOut, false);
}

Errno fdPwrite(S &s, M &mem, u32 fd, u32 iovs, u32 iovsLen, u64 offset, u32 nwrittenOut) {
  return positionalIo(s, mem, fd, iovs, iovsLen, offset, nwrittenOut, true);
}

Errno fdPrestatGet(S &s, M &mem, u32 fd, u32 prestatOut) {
  namespace L = layout::prestat;
  auto e = s.fds.get(fd);
  // EBADF also for an open descriptor that is no preopen: wasi-libc's scan of fds 3, 4, ...
  // stops at the first EBADF.
  if (!e || !e->isPreopen)
    return Errno::Badf;
  uint8_t *p = mem.at(prestatOut, L::Size);
  if (!p)
    return Errno::Fault;
  std::memset(p, 0, L::Size);
  p[L::Tag] = PreopenTypeDir;
  (void)mem.store(prestatOut + L::NameLen, static_cast<uint32_t>(e->preopenPath.size()));
  return Errno::Success;
}

Errno fdPrestatDirName(S &s, M &mem, u32 fd, u32 path, u32 pathLen) {
  auto e = s.fds.get(fd);
  if (!e)
    return Errno::Badf;
  if (!e->isPreopen)
    return Errno::NotDir;
  if (pathLen < e->preopenPath.size())
    return Errno::NameTooLong;
  return mem.write(path, e->preopenPath.data(), e->preopenPath.size()) ? Errno::Success
                                                                       : Errno::Fault;
}

Errno fdReaddir(S &s, M &mem, u32 fd, u32 buf, u32 bufLen, u64 cookie, u32 bufusedOut) {
  namespace L = layout::dirent;
  auto e = s.fds.get(fd);
  if (!e || e->kind != FdKind::Directory)
    return Errno::Badf;
  if (!e->hasRights(rights::FdReaddir))
    return Errno::NotCapable;
  uint8_t *out = mem.at(buf, bufLen);
  if (!out || !mem.at(bufusedOut, 4))
    return Errno::Fault;
  std::lock_guard<std::mutex> lock(e->dirMutex);
  // A read from the start takes a fresh listing; later cookies index into it, so entries added
  // or removed meanwhile neither repeat nor shift the guest's position.
  if (cookie == 0 || !e->dirListValid)
    PW_TRY(loadDirList(*e));
  uint32_t used = 0;
  for (u64 i = cookie; i < e->dirList.size() && used < bufLen; ++i) {
    const DirListEntry &d = e->dirList[i];
    uint8_t header[L::Size] = {};
    u64 next = i + 1;
    u64 ino = d.ino;
    uint32_t namlen = static_cast<uint32_t>(d.name.size());
    std::memcpy(header + L::Next, &next, 8);
    std::memcpy(header + L::Ino, &ino, 8);
    std::memcpy(header + L::Namlen, &namlen, 4);
    header[L::Type] = d.type;
    // Like Wasmtime (and as the spec asks): fill the buffer completely, cutting the last entry
    // short; the guest sees bufused == buf_len and retries with a larger buffer if it must.
    uint32_t n = std::min<uint32_t>(L::Size, bufLen - used);
    std::memcpy(out + used, header, n);
    used += n;
    n = std::min<uint32_t>(namlen, bufLen - used);
    std::memcpy(out + used, d.name.data(), n);
    used += n;
  }
  PW_WASI_STORE(mem, bufusedOut, used);
  return Errno::Success;
}

Errno fdRenumber(S &s, M &, u32 from, u32 to) { return s.fds.renumber(from, to); }

Errno fdSeek(S &s, M &mem, u32 fd, u64 offset, u32 whence, u32 newOffsetOut) {
  if (whence > WhenceEnd)
    return Errno::Inval;
  auto e = s.fds.get(fd);
  if (!e || e->kind == FdKind::Directory)
    return Errno::Badf;
  if (e->kind != FdKind::File)
    return Errno::Spipe;
  uint64_t needed = (offset == 0 && whence == WhenceCur) ? rights::FdTell : rights::FdSeek;
  if (!e->hasRights(needed) && !e->hasRights(rights::FdSeek))
    return Errno::NotCapable;
  if (!mem.at(newOffsetOut, 8))
    return Errno::Fault;
  static const int hostWhence[] = {SEEK_SET, SEEK_CUR, SEEK_END};
  off_t pos = lseek(e->host.get(), off_t(int64_t(offset)), hostWhence[whence]);
  if (pos < 0)
    return lastHostError();
  PW_WASI_STORE(mem, newOffsetOut, u64(pos));
  return Errno::Success;
}

Errno fdTell(S &s, M &mem, u32 fd, u32 offsetOut) {
  auto e = s.fds.get(fd);
  if (!e || e->kind == FdKind::Directory)
    return Errno::Badf;
  if (e->kind != FdKind::File)
    return Errno::Spipe;
  if (!e->hasRights(rights::FdTell))
    return Errno::NotCapable;
  if (!mem.at(offsetOut, 8))
    return Errno::Fault;
  off_t pos = lseek(e->host.get(), 0, SEEK_CUR);
  if (pos < 0)
    return lastHostError();
  PW_WASI_STORE(mem, offsetOut, u64(pos));
  return Errno::Success;
}

} // namespace parawasm::wasi
