// The wasi_snapshot_preview1 functions, one C++ function each, independent of the engine: they
// see guest memory only through GuestMemory, so unit tests call them on a plain byte buffer.
// Parameters mirror the import signatures (i32 -> uint32_t, i64 -> uint64_t); the result is the
// errno the guest receives. proc_exit and proc_raise end the guest, so src/api/wasi.cpp handles
// them.
#pragma once

#include "wasi/abi.h"
#include "wasi/guest_memory.h"
#include "wasi/wasi_state.h"

#include <ctime>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <sys/uio.h>

namespace parawasm::wasi {

using S = WasiState;
using M = const GuestMemory;
using u32 = uint32_t;
using u64 = uint64_t;

// args_env.cpp
Errno argsGet(S &, M &, u32 argv, u32 argvBuf);
Errno argsSizesGet(S &, M &, u32 argcOut, u32 argvBufSizeOut);
Errno environGet(S &, M &, u32 environPtrs, u32 environBuf);
Errno environSizesGet(S &, M &, u32 countOut, u32 bufSizeOut);

// clocks.cpp
Errno clockResGet(S &, M &, u32 id, u32 resolutionOut);
Errno clockTimeGet(S &, M &, u32 id, u64 precision, u32 timeOut);
// Current time of a WASI clock in nanoseconds; EINVAL for an unknown clock.
Errno readClock(u32 id, u64 &out);

// fd.cpp
Errno fdAdvise(S &, M &, u32 fd, u64 offset, u64 len, u32 advice);
Errno fdAllocate(S &, M &, u32 fd, u64 offset, u64 len);
Errno fdClose(S &, M &, u32 fd);
Errno fdDatasync(S &, M &, u32 fd);
Errno fdFdstatGet(S &, M &, u32 fd, u32 statOut);
Errno fdFdstatSetFlags(S &, M &, u32 fd, u32 flags);
Errno fdFdstatSetRights(S &, M &, u32 fd, u64 base, u64 inheriting);
Errno fdFilestatGet(S &, M &, u32 fd, u32 statOut);
Errno fdFilestatSetSize(S &, M &, u32 fd, u64 size);
Errno fdFilestatSetTimes(S &, M &, u32 fd, u64 atim, u64 mtim, u32 fstFlags);
Errno fdPread(S &, M &, u32 fd, u32 iovs, u32 iovsLen, u64 offset, u32 nreadOut);
Errno fdPrestatGet(S &, M &, u32 fd, u32 prestatOut);
Errno fdPrestatDirName(S &, M &, u32 fd, u32 path, u32 pathLen);
Errno fdPwrite(S &, M &, u32 fd, u32 iovs, u32 iovsLen, u64 offset, u32 nwrittenOut);
Errno fdRead(S &, M &, u32 fd, u32 iovs, u32 iovsLen, u32 nreadOut);
Errno fdReaddir(S &, M &, u32 fd, u32 buf, u32 bufLen, u64 cookie, u32 bufusedOut);
Errno fdRenumber(S &, M &, u32 from, u32 to);
Errno fdSeek(S &, M &, u32 fd, u64 offset, u32 whence, u32 newOffsetOut);
Errno fdSync(S &, M &, u32 fd);
Errno fdTell(S &, M &, u32 fd, u32 offsetOut);
Errno fdWrite(S &, M &, u32 fd, u32 iovs, u32 iovsLen, u32 nwrittenOut);

// path.cpp
Errno pathCreateDirectory(S &, M &, u32 fd, u32 path, u32 pathLen);
Errno pathFilestatGet(S &, M &, u32 fd, u32 flags, u32 path, u32 pathLen, u32 statOut);
Errno pathFilestatSetTimes(S &, M &, u32 fd, u32 flags, u32 path, u32 pathLen, u64 atim, u64 mtim,
                           u32 fstFlags);
Errno pathLink(S &, M &, u32 oldFd, u32 oldFlags, u32 oldPath, u32 oldPathLen, u32 newFd,
               u32 newPath, u32 newPathLen);
Errno pathOpen(S &, M &, u32 dirFd, u32 dirFlags, u32 path, u32 pathLen, u32 oflags, u64 rightsBase,
               u64 rightsInheriting, u32 fdFlags, u32 fdOut);
Errno pathReadlink(S &, M &, u32 fd, u32 path, u32 pathLen, u32 buf, u32 bufLen, u32 bufusedOut);
Errno pathRemoveDirectory(S &, M &, u32 fd, u32 path, u32 pathLen);
Errno pathRename(S &, M &, u32 fd, u32 oldPath, u32 oldPathLen, u32 newFd, u32 newPath,
                 u32 newPathLen);
Errno pathSymlink(S &, M &, u32 oldPath, u32 oldPathLen, u32 fd, u32 newPath, u32 newPathLen);
Errno pathUnlinkFile(S &, M &, u32 fd, u32 path, u32 pathLen);

// poll.cpp
Errno pollOneoff(S &, M &, u32 in, u32 out, u32 nsubscriptions, u32 neventsOut);

// proc.cpp
// What proc_exit / proc_raise do to the guest: exit with a status, or trap with a message.
struct ProcOutcome {
  std::optional<int> exitStatus;
  std::optional<std::string> trapMessage;
  Errno errno_ = Errno::Success; // when the guest goes on
};
ProcOutcome procExit(u32 status);
ProcOutcome procRaise(u32 signal);
Errno schedYield(S &, M &);

// random.cpp
Errno randomGet(S &, M &, u32 buf, u32 bufLen);

// sock.cpp
Errno sockAccept(S &, M &, u32 fd, u32 flags, u32 fdOut);
Errno sockRecv(S &, M &, u32 fd, u32 iovs, u32 iovsLen, u32 riFlags, u32 roDatalenOut,
               u32 roFlagsOut);
Errno sockSend(S &, M &, u32 fd, u32 iovs, u32 iovsLen, u32 siFlags, u32 soDatalenOut);
Errno sockShutdown(S &, M &, u32 fd, u32 how);

// Shared helpers (fd.cpp).
// Host iovecs over guest memory for a guest iovec array; EFAULT when the array or a buffer
// leaves memory.
Errno guestIovecs(M &mem, u32 iovs, u32 iovsLen, std::vector<iovec> &out);
uint8_t fileTypeOf(unsigned hostMode);
Errno writeFilestat(M &mem, u32 ptr, const struct stat &st);
// Timestamp argument pair of *_set_times to utimensat's form; EINVAL for contradictory flags.
Errno toTimespecs(u64 atim, u64 mtim, u32 fstFlags, timespec ts[2]);

} // namespace parawasm::wasi
