// The guest's descriptor table: guest fd numbers to host descriptors with their WASI kind, access
// mode and rights.
#pragma once

#include "wasi/abi.h"
#include "wasi/unique_fd.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace parawasm::wasi {

enum class FdKind : uint8_t { Stdin, Stdout, Stderr, File, Directory, Socket };

struct DirListEntry {
  std::string name;
  uint64_t ino;
  uint8_t type; // FileType
};

struct FdEntry {
  FdKind kind = FdKind::File;
  // -1 only for a stdio entry the embedder left unconnected (empty stdin, discarding stdout).
  UniqueFd host;
  bool readable = false;
  bool writable = false;
  // Rights as fd_fdstat_get reports them. They are enforced (ENOTCAPABLE) only once the guest
  // narrows them with fd_fdstat_set_rights, or on descriptors opened beneath such a directory:
  // by default Wasmtime enforces none, and programs depend on that.
  uint64_t rightsBase = 0;
  uint64_t rightsInheriting = 0;
  bool restricted = false;
  // fd_fdstat_get reports RSYNC only when it was asked for: Linux makes it the same as SYNC.
  bool rsync = false;
  // A pipe or socket: writing after the reader has gone raises SIGPIPE (see fd.cpp).
  bool raisesSigpipe = false;
  bool isPreopen = false;
  std::string preopenPath;
  // fd_readdir listing, taken when a read starts at cookie 0 so later cookies stay stable.
  std::mutex dirMutex;
  std::vector<DirListEntry> dirList;
  bool dirListValid = false;

  bool hasRights(uint64_t wanted) const { return !restricted || (rightsBase & wanted) == wanted; }
};

class FdTable {
public:
  // Inserts at the lowest free number, as POSIX open does.
  Fd insert(std::shared_ptr<FdEntry> entry);
  // Inserts at `fd` (used while building the initial table); replaces what was there.
  void insertAt(Fd fd, std::shared_ptr<FdEntry> entry);
  // Null when `fd` is not open.
  std::shared_ptr<FdEntry> get(Fd fd) const;
  // Removes and returns the entry; null when `fd` is not open. The host descriptor closes when
  // the last user of the entry lets go of it.
  std::shared_ptr<FdEntry> remove(Fd fd);
  // Moves `from` onto `to`, closing what `to` held. Both must be open (EBADF otherwise).
  Errno renumber(Fd from, Fd to);
  size_t openCount() const;

private:
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<FdEntry>> slots_;
};

} // namespace parawasm::wasi
