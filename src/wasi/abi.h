// The wasi_snapshot_preview1 ABI: errno values, flags, rights and the guest layout of every
// structure the host reads or writes (witx offsets, little endian, wasm32 pointers).
#pragma once

#include <cstdint>

namespace parawasm::wasi {

using GuestPtr = uint32_t;
using GuestSize = uint32_t;
using Fd = uint32_t;

// clang-format 14 misreads an attribute on an enum (it would reflow the enumerators).
// clang-format off
enum class [[nodiscard]] Errno : uint16_t {
  Success = 0,
  TooBig = 1,
  Acces = 2,
  AddrInUse = 3,
  AddrNotAvail = 4,
  AfNoSupport = 5,
  Again = 6,
  Already = 7,
  Badf = 8,
  BadMsg = 9,
  Busy = 10,
  Canceled = 11,
  Child = 12,
  ConnAborted = 13,
  ConnRefused = 14,
  ConnReset = 15,
  Deadlk = 16,
  DestAddrReq = 17,
  Dom = 18,
  Dquot = 19,
  Exist = 20,
  Fault = 21,
  Fbig = 22,
  HostUnreach = 23,
  Idrm = 24,
  Ilseq = 25,
  InProgress = 26,
  Intr = 27,
  Inval = 28,
  Io = 29,
  IsConn = 30,
  IsDir = 31,
  Loop = 32,
  Mfile = 33,
  Mlink = 34,
  MsgSize = 35,
  Multihop = 36,
  NameTooLong = 37,
  NetDown = 38,
  NetReset = 39,
  NetUnreach = 40,
  Nfile = 41,
  NoBufs = 42,
  NoDev = 43,
  NoEnt = 44,
  NoExec = 45,
  NoLck = 46,
  NoLink = 47,
  NoMem = 48,
  NoMsg = 49,
  NoProtoOpt = 50,
  NoSpc = 51,
  NoSys = 52,
  NotConn = 53,
  NotDir = 54,
  NotEmpty = 55,
  NotRecoverable = 56,
  NotSock = 57,
  NotSup = 58,
  NoTty = 59,
  Nxio = 60,
  Overflow = 61,
  OwnerDead = 62,
  Perm = 63,
  Pipe = 64,
  Proto = 65,
  ProtoNoSupport = 66,
  ProtoType = 67,
  Range = 68,
  Rofs = 69,
  Spipe = 70,
  Srch = 71,
  Stale = 72,
  TimedOut = 73,
  TxtBsy = 74,
  Xdev = 75,
  NotCapable = 76,
};
// clang-format on

enum ClockId : uint32_t {
  ClockRealtime = 0,
  ClockMonotonic = 1,
  ClockProcessCputime = 2,
  ClockThreadCputime = 3,
};

enum FileType : uint8_t {
  FileTypeUnknown = 0,
  FileTypeBlockDevice = 1,
  FileTypeCharacterDevice = 2,
  FileTypeDirectory = 3,
  FileTypeRegularFile = 4,
  FileTypeSocketDgram = 5,
  FileTypeSocketStream = 6,
  FileTypeSymbolicLink = 7,
};

enum Whence : uint8_t { WhenceSet = 0, WhenceCur = 1, WhenceEnd = 2 };

enum Advice : uint8_t {
  AdviceNormal = 0,
  AdviceSequential = 1,
  AdviceRandom = 2,
  AdviceWillNeed = 3,
  AdviceDontNeed = 4,
  AdviceNoReuse = 5,
};

namespace fdflags {
constexpr uint16_t Append = 1 << 0;
constexpr uint16_t Dsync = 1 << 1;
constexpr uint16_t Nonblock = 1 << 2;
constexpr uint16_t Rsync = 1 << 3;
constexpr uint16_t Sync = 1 << 4;
constexpr uint16_t All = Append | Dsync | Nonblock | Rsync | Sync;
} // namespace fdflags

namespace oflags {
constexpr uint16_t Creat = 1 << 0;
constexpr uint16_t Directory = 1 << 1;
constexpr uint16_t Excl = 1 << 2;
constexpr uint16_t Trunc = 1 << 3;
constexpr uint16_t All = Creat | Directory | Excl | Trunc;
} // namespace oflags

namespace lookupflags {
constexpr uint32_t SymlinkFollow = 1 << 0;
}

namespace fstflags {
constexpr uint16_t Atim = 1 << 0;
constexpr uint16_t AtimNow = 1 << 1;
constexpr uint16_t Mtim = 1 << 2;
constexpr uint16_t MtimNow = 1 << 3;
constexpr uint16_t All = Atim | AtimNow | Mtim | MtimNow;
} // namespace fstflags

namespace rights {
constexpr uint64_t FdDatasync = 1ull << 0;
constexpr uint64_t FdRead = 1ull << 1;
constexpr uint64_t FdSeek = 1ull << 2;
constexpr uint64_t FdFdstatSetFlags = 1ull << 3;
constexpr uint64_t FdSync = 1ull << 4;
constexpr uint64_t FdTell = 1ull << 5;
constexpr uint64_t FdWrite = 1ull << 6;
constexpr uint64_t FdAdvise = 1ull << 7;
constexpr uint64_t FdAllocate = 1ull << 8;
constexpr uint64_t PathCreateDirectory = 1ull << 9;
constexpr uint64_t PathCreateFile = 1ull << 10;
constexpr uint64_t PathLinkSource = 1ull << 11;
constexpr uint64_t PathLinkTarget = 1ull << 12;
constexpr uint64_t PathOpen = 1ull << 13;
constexpr uint64_t FdReaddir = 1ull << 14;
constexpr uint64_t PathReadlink = 1ull << 15;
constexpr uint64_t PathRenameSource = 1ull << 16;
constexpr uint64_t PathRenameTarget = 1ull << 17;
constexpr uint64_t PathFilestatGet = 1ull << 18;
constexpr uint64_t PathFilestatSetSize = 1ull << 19;
constexpr uint64_t PathFilestatSetTimes = 1ull << 20;
constexpr uint64_t FdFilestatGet = 1ull << 21;
constexpr uint64_t FdFilestatSetSize = 1ull << 22;
constexpr uint64_t FdFilestatSetTimes = 1ull << 23;
constexpr uint64_t PathSymlink = 1ull << 24;
constexpr uint64_t PathRemoveDirectory = 1ull << 25;
constexpr uint64_t PathUnlinkFile = 1ull << 26;
constexpr uint64_t PollFdReadwrite = 1ull << 27;
constexpr uint64_t SockShutdown = 1ull << 28;
constexpr uint64_t SockAccept = 1ull << 29;
constexpr uint64_t All = (1ull << 30) - 1;

// What Wasmtime reports for a preopened directory (many guest runtimes expect exactly these).
constexpr uint64_t PreopenBase =
    PathCreateDirectory | PathCreateFile | PathLinkSource | PathLinkTarget | PathOpen | FdReaddir |
    PathReadlink | PathRenameSource | PathRenameTarget | PathSymlink | PathRemoveDirectory |
    PathUnlinkFile | PathFilestatGet | PathFilestatSetTimes | FdFilestatGet | FdFilestatSetTimes;
constexpr uint64_t PreopenInheriting = PreopenBase | FdDatasync | FdRead | FdSeek |
                                       FdFdstatSetFlags | FdSync | FdTell | FdWrite | FdAdvise |
                                       FdAllocate | FdFilestatGet | FdFilestatSetSize |
                                       FdFilestatSetTimes | PollFdReadwrite;
} // namespace rights

enum EventType : uint8_t { EventClock = 0, EventFdRead = 1, EventFdWrite = 2 };

namespace eventrwflags {
constexpr uint16_t Hangup = 1 << 0;
}
namespace subclockflags {
constexpr uint16_t AbsTime = 1 << 0;
}
namespace riflags {
constexpr uint16_t RecvPeek = 1 << 0;
constexpr uint16_t RecvWaitall = 1 << 1;
} // namespace riflags
namespace roflags {
constexpr uint16_t RecvDataTruncated = 1 << 0;
}
namespace sdflags {
constexpr uint8_t Rd = 1 << 0;
constexpr uint8_t Wr = 1 << 1;
} // namespace sdflags

constexpr uint8_t PreopenTypeDir = 0;

// Guest structure layouts: size and field offsets from the witx definitions.
namespace layout {
namespace iovec {
constexpr uint32_t Size = 8, Buf = 0, BufLen = 4;
}
namespace fdstat {
constexpr uint32_t Size = 24, FileType = 0, Flags = 2, RightsBase = 8, RightsInheriting = 16;
}
namespace filestat {
constexpr uint32_t Size = 64, Dev = 0, Ino = 8, FileType = 16, Nlink = 24, FileSize = 32, Atim = 40,
                   Mtim = 48, Ctim = 56;
}
namespace dirent {
constexpr uint32_t Size = 24, Next = 0, Ino = 8, Namlen = 16, Type = 20;
}
namespace prestat {
constexpr uint32_t Size = 8, Tag = 0, NameLen = 4;
}
namespace subscription {
constexpr uint32_t Size = 48, Userdata = 0, Tag = 8, ClockId = 16, ClockTimeout = 24,
                   ClockPrecision = 32, ClockFlags = 40, Fd = 16;
}
namespace event {
constexpr uint32_t Size = 32, Userdata = 0, Error = 8, Type = 10, NBytes = 16, Flags = 24;
}
} // namespace layout

} // namespace parawasm::wasi
