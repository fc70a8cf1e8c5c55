// What a WasiContext holds: the guest's arguments, environment and descriptor table.
#pragma once

#include "wasi/fd_table.h"
#include "wasi/threads.h"

#include <string>
#include <vector>

namespace parawasm::wasi {

class WasiState {
public:
  std::vector<std::string> args;
  std::vector<std::string> env; // "NAME=VALUE"
  FdTable fds;
  std::shared_ptr<ThreadGroup> threads; // null when wasi-threads is off
};

// Rights fd_fdstat_get reports for a descriptor of this kind and access mode, computed as
// Wasmtime does (every right, less those the kind or mode cannot honour).
uint64_t defaultRights(FdKind kind, bool readable, bool writable);

// Whether writing to `fd` can raise SIGPIPE (a pipe or a socket).
bool hostRaisesSigpipe(int fd);

// A table entry for a host descriptor opened by path_open or accepted by sock_accept: its kind
// comes from fstat.
std::shared_ptr<FdEntry> makeEntry(UniqueFd host, bool readable, bool writable);

} // namespace parawasm::wasi
