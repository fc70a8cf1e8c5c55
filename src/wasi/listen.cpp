#include "wasi/listen.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>

namespace parawasm::wasi {

Result<UniqueFd> listenTcp(const std::string &spec) {
  size_t colon = spec.rfind(':');
  if (colon == std::string::npos)
    return Error(ErrorKind::Usage, "--tcplisten needs ADDRESS:PORT, got '" + spec + "'");
  std::string host = spec.substr(0, colon), port = spec.substr(colon + 1);
  if (host == "localhost")
    host = "127.0.0.1";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  char *end = nullptr;
  long p = std::strtol(port.c_str(), &end, 10);
  if (port.empty() || *end || p < 0 || p > 65535 ||
      inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1)
    return Error(ErrorKind::Usage, "--tcplisten needs an IPv4 ADDRESS:PORT, got '" + spec + "'");
  addr.sin_port = htons(uint16_t(p));
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  int one = 1;
  if (!fd.valid() || setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      bind(fd.get(), reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
      listen(fd.get(), 128) != 0)
    return Error(ErrorKind::Io, "cannot listen on " + spec + ": " + std::strerror(errno));
  return fd;
}

} // namespace parawasm::wasi
