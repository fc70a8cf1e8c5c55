// Listening sockets the host opens for the guest (WasiConfig::tcpListen): preview 1 cannot
// create sockets, so they exist before the guest starts and it only accepts on them.
#pragma once

#include "parawasm/parawasm.h"
#include "wasi/unique_fd.h"

#include <string>

namespace parawasm::wasi {

// A listening IPv4 TCP socket on ADDRESS:PORT ("localhost" or a numeric address). Errors: Usage
// for a malformed address, Io when the socket cannot be made, bound or put to listen.
Result<UniqueFd> listenTcp(const std::string &address);

} // namespace parawasm::wasi
