#include "parawasm/wasi.h"
#include "support/try.h"
#include "wasi/listen.h"
#include "wasi/wasi_state.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>

namespace parawasm {
namespace wasi {

uint64_t defaultRights(FdKind kind, bool readable, bool writable) {
  using namespace rights;
  uint64_t r = All;
  switch (kind) {
  case FdKind::Stdin:
    return FdRead;
  case FdKind::Stdout:
  case FdKind::Stderr:
    return FdWrite;
  case FdKind::Socket:
    r = FdRead | FdWrite | FdFdstatSetFlags | FdFilestatGet | PollFdReadwrite | SockShutdown |
        SockAccept;
    break;
  case FdKind::Directory:
    r &= ~(FdSeek | FdFilestatSetSize | PathFilestatSetSize);
    break;
  case FdKind::File:
    break;
  }
  if (!readable)
    r &= ~(FdRead | FdReaddir);
  if (!writable)
    r &= ~FdWrite;
  return r;
}

bool hostRaisesSigpipe(int fd) {
  struct stat st;
  return fd >= 0 && fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

std::shared_ptr<FdEntry> makeEntry(UniqueFd host, bool readable, bool writable) {
  auto e = std::make_shared<FdEntry>();
  struct stat st;
  FdKind kind = FdKind::File;
  if (fstat(host.get(), &st) == 0) {
    if (S_ISDIR(st.st_mode))
      kind = FdKind::Directory;
    else if (S_ISSOCK(st.st_mode))
      kind = FdKind::Socket;
  }
  e->kind = kind;
  e->raisesSigpipe = hostRaisesSigpipe(host.get());
  e->host = std::move(host);
  e->readable = readable;
  e->writable = writable;
  e->rightsBase = e->rightsInheriting = defaultRights(kind, readable, writable);
  return e;
}

} // namespace wasi

namespace {

bool hasNul(const std::string &s) { return s.find('\0') != std::string::npos; }

std::string sysError(int err) { return std::strerror(err); }

} // namespace

WasiContext::WasiContext(std::unique_ptr<wasi::WasiState> state) : state_(std::move(state)) {}
WasiContext::~WasiContext() = default;

unsigned WasiContext::finishThreads(std::chrono::milliseconds grace) {
  return state_->threads ? state_->threads->finish(grace) : 0;
}

Result<std::shared_ptr<WasiContext>> WasiContext::create(const WasiConfig &config) {
  using namespace wasi;
  auto state = std::make_unique<WasiState>();
  for (size_t i = 0; i < config.args.size(); ++i) {
    if (hasNul(config.args[i]))
      return Error(ErrorKind::Usage, "argument " + std::to_string(i) + " contains a NUL byte");
    state->args.push_back(config.args[i]);
  }
  std::vector<std::string> names;
  for (const auto &[name, value] : config.env) {
    if (name.empty() || name.find('=') != std::string::npos || hasNul(name))
      return Error(ErrorKind::Usage, "invalid environment variable name '" + name + "'");
    if (hasNul(value))
      return Error(ErrorKind::Usage, "environment variable '" + name + "' contains a NUL byte");
    // A name given again replaces the earlier value in place (getenv would see only the first).
    auto same = std::find(names.begin(), names.end(), name);
    if (same != names.end()) {
      state->env[size_t(same - names.begin())] = name + "=" + value;
      continue;
    }
    names.push_back(name);
    state->env.push_back(name + "=" + value);
  }

  if (config.threads)
    state->threads = std::make_shared<ThreadGroup>(
        config.onThreadEnd ? config.onThreadEnd : ThreadGroup::EndHandler(&exitProcessFor));
  const int stdio[3] = {config.stdinFd, config.stdoutFd, config.stderrFd};
  const FdKind stdioKind[3] = {FdKind::Stdin, FdKind::Stdout, FdKind::Stderr};
  static const char *const stdioName[3] = {"stdin", "stdout", "stderr"};
  for (Fd i = 0; i < 3; ++i) {
    auto e = std::make_shared<FdEntry>();
    e->kind = stdioKind[i];
    e->readable = i == 0;
    e->writable = i != 0;
    e->rightsBase = e->rightsInheriting = defaultRights(e->kind, e->readable, e->writable);
    if (stdio[i] >= 0) {
      // A duplicate, so that the guest's fd_close never closes the embedder's descriptor.
      int fd = fcntl(stdio[i], F_DUPFD_CLOEXEC, 3);
      if (fd < 0)
        return Error(ErrorKind::Io, std::string("cannot use host descriptor ") +
                                        std::to_string(stdio[i]) + " as " + stdioName[i] + ": " +
                                        sysError(errno));
      e->host.reset(fd);
      e->raisesSigpipe = hostRaisesSigpipe(fd);
    }
    state->fds.insertAt(i, std::move(e));
  }

  Fd next = 3;
  for (const auto &pre : config.preopens) {
    int fd = open(pre.hostPath.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
      return Error(ErrorKind::Io, "cannot open directory '" + pre.hostPath +
                                      "' for the guest: " + sysError(errno));
    auto e = makeEntry(UniqueFd(fd), true, false);
    e->isPreopen = true;
    e->preopenPath = pre.guestPath.empty() ? pre.hostPath : pre.guestPath;
    e->rightsBase = rights::PreopenBase;
    e->rightsInheriting = rights::PreopenInheriting;
    state->fds.insertAt(next++, std::move(e));
  }
  for (int sock : config.sockets) {
    struct stat st;
    if (fstat(sock, &st) != 0 || !S_ISSOCK(st.st_mode))
      return Error(ErrorKind::Usage,
                   "host descriptor " + std::to_string(sock) + " is not a socket");
    int fd = fcntl(sock, F_DUPFD_CLOEXEC, 3);
    if (fd < 0)
      return Error(ErrorKind::Io,
                   "cannot use socket descriptor " + std::to_string(sock) + ": " + sysError(errno));
    int fl = fcntl(fd, F_GETFL);
    state->fds.insertAt(next++, makeEntry(UniqueFd(fd), true, (fl & O_ACCMODE) != O_RDONLY));
  }
  for (const std::string &address : config.tcpListen) {
    PW_TRY_ASSIGN(UniqueFd fd, listenTcp(address));
    state->fds.insertAt(next++, makeEntry(std::move(fd), true, true));
  }
  return std::shared_ptr<WasiContext>(new WasiContext(std::move(state)));
}

} // namespace parawasm
