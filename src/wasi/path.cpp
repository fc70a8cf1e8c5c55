// path_* calls. Every guest path goes through sandbox_path: path_open hands the whole path to
// openBeneath; the others resolve the parent directory beneath the guest's directory and then
// act on one name in it with an *at() call that does not follow a final symlink.
#include "support/try.h"
#include "wasi/calls.h"
#include "wasi/host_errno.h"
#include "wasi/sandbox_path.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace parawasm::wasi {
namespace {

using sandbox::FinalSymlink;
using sandbox::ParentRef;

// The directory a path_* call is relative to. As in Wasmtime, anything but an open directory is
// EBADF (path_open alone says ENOTDIR for a regular file).
Errno dirFor(S &s, u32 fd, uint64_t right, std::shared_ptr<FdEntry> &out) {
  out = s.fds.get(fd);
  if (!out || out->kind != FdKind::Directory)
    return Errno::Badf;
  if (!out->hasRights(right))
    return Errno::NotCapable;
  return Errno::Success;
}

Errno resolve(const FdEntry &dir, const std::string &path, FinalSymlink final, ParentRef &ref) {
  return fromHostErrno(sandbox::resolveParent(dir.host.get(), path, final, ref));
}

FinalSymlink lookupMode(u32 lookupFlags) {
  return (lookupFlags & lookupflags::SymlinkFollow) ? FinalSymlink::Follow
                                                    : FinalSymlink::FollowIfSlash;
}

// A guest path with a trailing slash names a directory; a resolved non-directory is ENOTDIR.
Errno checkTrailingSlash(const ParentRef &ref, struct stat *stOut = nullptr) {
  struct stat st;
  if (fstatat(ref.dir.get(), ref.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    return lastHostError();
  if (stOut)
    *stOut = st;
  if (ref.trailingSlash && !S_ISDIR(st.st_mode))
    return Errno::NotDir;
  return Errno::Success;
}

// Rights a directory passes on by default: its own, plus every right a file opened beneath it
// could use. (Wasmtime passes on only the directory's own rights for directories opened by
// path_open, which leaves wasi-libc's openat(dirfd, ..., O_WRONLY) without FD_WRITE.)
constexpr uint64_t FileRights = rights::FdDatasync | rights::FdRead | rights::FdSeek |
                                rights::FdFdstatSetFlags | rights::FdSync | rights::FdTell |
                                rights::FdWrite | rights::FdAdvise | rights::FdAllocate |
                                rights::FdFilestatGet | rights::FdFilestatSetSize |
                                rights::FdFilestatSetTimes | rights::PollFdReadwrite;

} // namespace

Errno pathOpen(S &s, M &mem, u32 dirFd, u32 dirFlags, u32 path, u32 pathLen, u32 oflagsArg,
               u64 rightsBase, u64, u32 fdFlags, u32 fdOut) {
  if ((dirFlags & ~lookupflags::SymlinkFollow) || (oflagsArg & ~u32(oflags::All)) ||
      (fdFlags & ~u32(fdflags::All)))
    return Errno::Inval;
  auto dir = s.fds.get(dirFd);
  if (!dir)
    return Errno::Badf;
  if (dir->kind == FdKind::File)
    return Errno::NotDir;
  if (dir->kind != FdKind::Directory)
    return Errno::Badf;
  if (!dir->hasRights(rights::PathOpen |
                      ((oflagsArg & oflags::Creat) ? rights::PathCreateFile : 0)))
    return Errno::NotCapable;
  std::string p;
  PW_TRY(readGuestString(mem, path, pathLen, p));
  if (!mem.at(fdOut, 4))
    return Errno::Fault;
  if ((oflagsArg & oflags::Directory) &&
      (oflagsArg & (oflags::Creat | oflags::Excl | oflags::Trunc)))
    return Errno::Inval;

  // The access mode comes from the rights asked for, as in Wasmtime: FD_WRITE (or creating or
  // truncating) opens for writing, FD_READ for reading, and a descriptor asking for neither
  // right is opened for reading so the OS lets it be opened at all.
  const bool askedWrite = rightsBase & rights::FdWrite;
  const bool write = askedWrite || (oflagsArg & (oflags::Creat | oflags::Trunc));
  const bool read = (rightsBase & (rights::FdRead | rights::FdReaddir)) || !askedWrite;
  if (dir->restricted &&
      ((write && !(dir->rightsInheriting & rights::FdWrite)) ||
       ((rightsBase & rights::FdRead) && !(dir->rightsInheriting & rights::FdRead))))
    return Errno::NotCapable;

  int flags = O_NOCTTY | (read && write ? O_RDWR : write ? O_WRONLY : O_RDONLY);
  if (oflagsArg & oflags::Creat)
    flags |= O_CREAT;
  if (oflagsArg & oflags::Excl)
    flags |= O_EXCL;
  if (oflagsArg & oflags::Trunc)
    flags |= O_TRUNC;
  if (oflagsArg & oflags::Directory)
    flags |= O_DIRECTORY;
  if (!(dirFlags & lookupflags::SymlinkFollow))
    flags |= O_NOFOLLOW;
  if (fdFlags & fdflags::Append)
    flags |= O_APPEND;
  if (fdFlags & fdflags::Dsync)
    flags |= O_DSYNC;
  if (fdFlags & (fdflags::Sync | fdflags::Rsync))
    flags |= O_SYNC;
  if (fdFlags & fdflags::Nonblock)
    flags |= O_NONBLOCK;

  UniqueFd fd;
  if (int err = sandbox::openBeneath(dir->host.get(), p, flags, 0666, fd))
    return fromHostErrno(err);
  auto entry = makeEntry(std::move(fd), read, write);
  // The rights reported follow the rights asked for, never the oflags: O_CREAT and O_TRUNC need
  // a host descriptor open for writing, but the same file opened again, through this name or a
  // link, with the same rights must report the same rights (wasi-testsuite rust/path_link).
  entry->rightsBase = entry->rightsInheriting = defaultRights(entry->kind, read, askedWrite);
  entry->rsync = fdFlags & fdflags::Rsync;
  if (entry->kind == FdKind::Directory)
    entry->rightsInheriting = entry->rightsBase | FileRights;
  if (dir->restricted) {
    entry->rightsBase &= dir->rightsInheriting;
    entry->rightsInheriting &= dir->rightsInheriting;
    entry->restricted = true;
  }
  Fd n = s.fds.insert(std::move(entry));
  PW_WASI_STORE(mem, fdOut, n);
  return Errno::Success;
}

Errno pathCreateDirectory(S &s, M &mem, u32 fd, u32 path, u32 pathLen) {
  std::shared_ptr<FdEntry> dir;
  PW_TRY(dirFor(s, fd, rights::PathCreateDirectory, dir));
  std::string p;
  PW_TRY(readGuestString(mem, path, pathLen, p));
  ParentRef ref;
  PW_TRY(resolve(*dir, p, FinalSymlink::Keep, ref));
  return mkdirat(ref.dir.get(), ref.nameForCreateOrRemove().c_str(), 0777) == 0 ? Errno::Success
                                                                                : lastHostError();
}

Errno pathFilestatGet(S &s, M &mem, u32 fd, u32 flags, u32 path, u32 pathLen, u32 statOut) {
  if (flags & ~lookupflags::SymlinkFollow)
    return Errno::Inval;
  std::shared_ptr<FdEntry> dir;
  PW_TRY(dirFor(s, fd, rights::PathFilestatGet, dir));
  std::string p;
  PW_TRY(readGuestString(mem, path, pathLen, p));
  if (!mem.at(statOut, layout::filestat::Size))
    return Errno::Fault;
  ParentRef ref;
  PW_TRY(resolve(*dir, p, lookupMode(flags), ref));
  struct stat st;
  PW_TRY(checkTrailingSlash(ref, &st));
  return writeFilestat(mem, statOut, st);
}

Errno pathFilestatSetTimes(S &s, M &mem, u32 fd, u32 flags, u32 path, u32 pathLen, u64 atim,
                           u64 mtim, u32 fstFlags) {
  if (flags & ~lookupflags::SymlinkFollow)
    return Errno::Inval;
  timespec ts[2];
  PW_TRY(toTimespecs(atim, mtim, fstFlags, ts));
  std::shared_ptr<FdEntry> dir;
  PW_TRY(dirFor(s, fd, rights::PathFilestatSetTimes, dir));
  std::string p;
  PW_TRY(readGuestString(mem, path, pathLen, p));
  ParentRef ref;
  PW_TRY(resolve(*dir, p, lookupMode(flags), ref));
  if (ref.trailingSlash)
    PW_TRY(checkTrailingSlash(ref));
  return utimensat(ref.dir.get(), ref.name.c_str(), ts, AT_SYMLINK_NOFOLLOW) == 0 ? Errno::Success
                                                                                  : lastHostError();
}

Errno pathLink(S &s, M &mem, u32 oldFd, u32 oldFlags, u32 oldPath, u32 oldPathLen, u32 newFd,
               u32 newPath, u32 newPathLen) {
  // Wasmtime rejects symlink_follow here (linking through a symlink is not supported), and so
  // do we: the link then always names what the guest named.
  if (oldFlags != 0)
    return Errno::Inval;
  std::shared_ptr<FdEntry> oldDir, newDir;
  PW_TRY(dirFor(s, oldFd, rights::PathLinkSource, oldDir));
  PW_TRY(dirFor(s, newFd, rights::PathLinkTarget, newDir));
  std::string from, to;
  PW_TRY(readGuestString(mem, oldPath, oldPathLen, from));
  PW_TRY(readGuestString(mem, newPath, newPathLen, to));
  ParentRef src, dst;
  PW_TRY(resolve(*oldDir, from, FinalSymlink::FollowIfSlash, src));
  if (src.trailingSlash) {
    struct stat st;
    PW_TRY(checkTrailingSlash(src, &st));
    return Errno::Perm; // a directory: Linux never hard-links those
  }
  PW_TRY(resolve(*newDir, to, FinalSymlink::Keep, dst));
  // Flags 0: linkat must not follow a final symlink (one swapped in since resolution included).
  return linkat(src.dir.get(), src.name.c_str(), dst.dir.get(), dst.nameForCreateOrRemove().c_str(),
                0) == 0
             ? Errno::Success
             : lastHostError();
}

Errno pathReadlink(S &s, M &mem, u32 fd, u32 path, u32 pathLen, u32 buf, u32 bufLen,
                   u32 bufusedOut) {
  std::shared_ptr<FdEntry> dir;
  PW_TRY(dirFor(s, fd, rights::PathReadlink, dir));
  std::string p;
  PW_TRY(readGuestString(mem, path, pathLen, p));
  uint8_t *out = mem.at(buf, bufLen);
  if (!out || !mem.at(bufusedOut, 4))
    return Errno::Fault;
  ParentRef ref;
  PW_TRY(resolve(*dir, p, FinalSymlink::FollowIfSlash, ref));
  if (ref.trailingSlash)
    PW_TRY(checkTrailingSlash(ref));
  std::vector<char> target(PATH_MAX + 1);
  ssize_t n = readlinkat(ref.dir.get(), ref.name.c_str(), target.data(), target.size());
  if (n < 0)
    return lastHostError();
  // Like Wasmtime: a buffer too small gets the target cut short, with no error.
  uint32_t used = static_cast<uint32_t>(std::min<uint64_t>(uint64_t(n), bufLen));
  if (used)
    std::memcpy(out, target.data(), used);
  PW_WASI_STORE(mem, bufusedOut, used);
  return Errno::Success;
}

Errno pathRemoveDirectory(S &s, M &mem, u32 fd, u32 path, u32 pathLen) {
  std::shared_ptr<FdEntry> dir;
  PW_TRY(dirFor(s, fd, rights::PathRemoveDirectory, dir));
  std::string p;
  PW_TRY(readGuestString(mem, path, pathLen, p));
  ParentRef ref;
  PW_TRY(resolve(*dir, p, FinalSymlink::Keep, ref));
  return unlinkat(ref.dir.get(), ref.nameForCreateOrRemove().c_str(), AT_REMOVEDIR) == 0
             ? Errno::Success
             : lastHostError();
}

Errno pathRename(S &s, M &mem, u32 fd, u32 oldPath, u32 oldPathLen, u32 newFd, u32 newPath,
                 u32 newPathLen) {
  std::shared_ptr<FdEntry> oldDir, newDir;
  PW_TRY(dirFor(s, fd, rights::PathRenameSource, oldDir));
  PW_TRY(dirFor(s, newFd, rights::PathRenameTarget, newDir));
  std::string from, to;
  PW_TRY(readGuestString(mem, oldPath, oldPathLen, from));
  PW_TRY(readGuestString(mem, newPath, newPathLen, to));
  ParentRef src, dst;
  PW_TRY(resolve(*oldDir, from, FinalSymlink::Keep, src));
  PW_TRY(resolve(*newDir, to, FinalSymlink::Keep, dst));
  return renameat(src.dir.get(), src.nameForCreateOrRemove().c_str(), dst.dir.get(),
                  dst.nameForCreateOrRemove().c_str()) == 0
             ? Errno::Success
             : lastHostError();
}

Errno pathSymlink(S &s, M &mem, u32 oldPath, u32 oldPathLen, u32 fd, u32 newPath, u32 newPathLen) {
  std::shared_ptr<FdEntry> dir;
  PW_TRY(dirFor(s, fd, rights::PathSymlink, dir));
  std::string target, link;
  PW_TRY(readGuestString(mem, oldPath, oldPathLen, target));
  PW_TRY(readGuestString(mem, newPath, newPathLen, link));
  // An absolute target could only ever lead outside (Wasmtime refuses it too). Relative targets
  // that climb out are allowed to exist: resolution refuses to follow them.
  if (!target.empty() && target.front() == '/')
    return Errno::Perm;
  ParentRef ref;
  PW_TRY(resolve(*dir, link, FinalSymlink::Keep, ref));
  if (ref.trailingSlash) {
    // "name/" for a new link: Linux says EEXIST whenever the name exists; Wasmtime (cap-std)
    // says ENOTDIR when it is not a directory, which is the more precise answer.
    struct stat st;
    if (fstatat(ref.dir.get(), ref.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0)
      return S_ISDIR(st.st_mode) ? Errno::Exist : Errno::NotDir;
  }
  return symlinkat(target.c_str(), ref.dir.get(), ref.nameForCreateOrRemove().c_str()) == 0
             ? Errno::Success
             : lastHostError();
}

Errno pathUnlinkFile(S &s, M &mem, u32 fd, u32 path, u32 pathLen) {
  std::shared_ptr<FdEntry> dir;
  PW_TRY(dirFor(s, fd, rights::PathUnlinkFile, dir));
  std::string p;
  PW_TRY(readGuestString(mem, path, pathLen, p));
  ParentRef ref;
  PW_TRY(resolve(*dir, p, FinalSymlink::Keep, ref));
  return unlinkat(ref.dir.get(), ref.nameForCreateOrRemove().c_str(), 0) == 0 ? Errno::Success
                                                                              : lastHostError();
}

} // namespace parawasm::wasi
