#include "wasi/sandbox_path.h"

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace parawasm::wasi::sandbox {
namespace {

std::atomic<Strategy> gStrategy{Strategy::Auto};

bool probeOpenat2() {
  // glibc 2.36 has no openat2 wrapper, so the syscall is made directly.
  open_how how{};
  how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  long fd = syscall(SYS_openat2, AT_FDCWD, ".", &how, sizeof how);
  if (fd < 0)
    return false;
  ::close(static_cast<int>(fd));
  return true;
}

// Reads the symlink `name` in `dirFd` ("" with an O_PATH descriptor of the link itself). Returns
// 0, or EINVAL when it is not a symlink, or another host errno.
int readLink(int dirFd, const char *name, std::string &target) {
  std::vector<char> buf(256);
  for (;;) {
    ssize_t n = readlinkat(dirFd, name, buf.data(), buf.size());
    if (n < 0)
      return errno;
    if (size_t(n) < buf.size()) {
      target.assign(buf.data(), size_t(n));
      return 0;
    }
    if (buf.size() > PATH_MAX)
      return ENAMETOOLONG;
    buf.resize(buf.size() * 2);
  }
}

// Splits a relative path into components. Empty components from "a//b" are dropped; a trailing
// slash becomes a final "." so that the walker requires a directory there, as POSIX does.
void splitInto(std::string_view path, std::deque<std::string> &front) {
  std::deque<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos)
      j = path.size();
    if (j > i)
      parts.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  if (!path.empty() && path.back() == '/')
    parts.emplace_back(".");
  front.insert(front.begin(), parts.begin(), parts.end());
}

// A symbolic link met while resolving a guest path: at most MaxSymlinks of them, and only
// relative targets (an absolute one would leave the sandbox). 0, or the errno to fail with.
int checkLinkTarget(std::string_view target, int &links) {
  if (++links > MaxSymlinks)
    return ELOOP;
  if (target.empty())
    return ENOENT;
  if (target.front() == '/')
    return EPERM;
  return 0;
}

int walkOpen(int dirFd, std::string_view path, int flags, mode_t mode, UniqueFd &out) {
  if (path.empty())
    return ENOENT;
  if (path.front() == '/')
    return EPERM;
  const bool followFinal = !(flags & O_NOFOLLOW);
  flags |= O_CLOEXEC;
  std::deque<std::string> comps;
  splitInto(path, comps);
  // Our own stack of the directories entered: ".." pops it and never asks the file system for a
  // parent, so it cannot climb above dirFd even if a directory was moved meanwhile.
  std::vector<UniqueFd> stack;
  auto cur = [&] { return stack.empty() ? dirFd : stack.back().get(); };
  int links = 0;
  auto expand = [&](std::string_view target) {
    if (int err = checkLinkTarget(target, links))
      return err;
    splitInto(target, comps);
    return 0;
  };
  if (comps.empty())
    comps.emplace_back(".");
  while (!comps.empty()) {
    std::string c = std::move(comps.front());
    comps.pop_front();
    const bool last = comps.empty();
    if (c == "..") {
      if (stack.empty())
        return EPERM;
      stack.pop_back();
      c = ".";
    }
    if (c == ".") {
      if (!last)
        continue;
    }
    if (last) {
      int fd = openat(cur(), c.c_str(), flags | O_NOFOLLOW, mode);
      if (fd >= 0) {
        out.reset(fd);
        return 0;
      }
      int err = errno;
      // O_NOFOLLOW makes a final symlink fail with ELOOP (ENOTDIR with O_DIRECTORY); only then
      // is it worth asking whether it is a link to expand.
      if (!followFinal || c == "." || (err != ELOOP && err != ENOTDIR))
        return err;
      std::string target;
      if (readLink(cur(), c.c_str(), target) != 0)
        return err;
      if (int e = expand(target))
        return e;
      continue;
    }
    int fd = openat(cur(), c.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
      return errno;
    UniqueFd step(fd);
    struct stat st;
    if (fstat(fd, &st) != 0)
      return errno;
    if (S_ISDIR(st.st_mode)) {
      stack.push_back(std::move(step));
    } else if (S_ISLNK(st.st_mode)) {
      std::string target;
      if (int e = readLink(fd, "", target))
        return e;
      if (int e = expand(target))
        return e;
    } else {
      return ENOTDIR;
    }
  }
  return ENOENT; // not reached: the loop returns at the last component
}

int openat2Open(int dirFd, const std::string &path, int flags, mode_t mode, UniqueFd &out) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.mode = (flags & O_CREAT) ? mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  for (int attempt = 0;; ++attempt) {
    long fd = syscall(SYS_openat2, dirFd, path.c_str(), &how, sizeof how);
    if (fd >= 0) {
      out.reset(static_cast<int>(fd));
      return 0;
    }
    int err = errno;
    if (err == EINTR)
      continue;
    // EAGAIN: a concurrent rename or mount made the kernel unsure the lookup stayed beneath;
    // retry a few times, then let the walker decide.
    if (err == EAGAIN) {
      if (attempt < 8)
        continue;
      return walkOpen(dirFd, path, flags, mode, out);
    }
    // RESOLVE_BENEATH reports every escape (absolute path or symlink, ".." above dirFd) as EXDEV.
    return err == EXDEV ? EPERM : err;
  }
}

} // namespace

void setStrategy(Strategy strategy) { gStrategy = strategy; }

namespace {
// PARAWASM_WASI_RESOLVE=walk|openat2 forces a strategy for the whole process; the guest tests
// use it to run the walker end to end on kernels that have openat2.
Strategy strategyFromEnvironment() {
  const char *v = getenv("PARAWASM_WASI_RESOLVE");
  if (v && !strcmp(v, "walk"))
    return Strategy::Walk;
  if (v && !strcmp(v, "openat2"))
    return Strategy::Openat2;
  return Strategy::Auto;
}
} // namespace

bool openat2Available() {
  static const bool available = probeOpenat2();
  return available;
}

int openBeneath(int dirFd, std::string_view path, int flags, mode_t mode, UniqueFd &out) {
  static const Strategy fromEnvironment = strategyFromEnvironment();
  Strategy s = gStrategy.load();
  if (s == Strategy::Auto)
    s = fromEnvironment;
  if (s == Strategy::Walk || (s == Strategy::Auto && !openat2Available()))
    return walkOpen(dirFd, path, flags, mode, out);
  if (path.empty())
    return ENOENT;
  return openat2Open(dirFd, std::string(path), flags, mode, out);
}

int resolveParent(int dirFd, std::string_view path, FinalSymlink final, ParentRef &out) {
  std::string p(path);
  if (p.empty())
    return ENOENT;
  for (int links = 0;;) {
    size_t end = p.size();
    bool trailing = false;
    while (end > 0 && p[end - 1] == '/') {
      --end;
      trailing = true;
    }
    if (end == 0)
      return EPERM; // "/" and "//": absolute
    size_t slash = p.rfind('/', end - 1);
    size_t nameStart = slash == std::string::npos ? 0 : slash + 1;
    std::string name = p.substr(nameStart, end - nameStart);
    std::string parentPath = slash == std::string::npos ? std::string(".") : p.substr(0, nameStart);
    if (name == "." || name == "..") {
      UniqueFd dir;
      if (int e = openBeneath(dirFd, p, O_PATH | O_DIRECTORY, 0, dir))
        return e;
      out.dir = std::move(dir);
      out.name = ".";
      out.trailingSlash = trailing;
      return 0;
    }
    UniqueFd parent;
    if (int e = openBeneath(dirFd, parentPath, O_PATH | O_DIRECTORY, 0, parent))
      return e;
    bool follow =
        final == FinalSymlink::Follow || (final == FinalSymlink::FollowIfSlash && trailing);
    if (follow) {
      std::string target;
      if (readLink(parent.get(), name.c_str(), target) == 0) {
        if (int err = checkLinkTarget(target, links))
          return err;
        // Re-resolve from dirFd: the link's ".." components are checked like the guest's own.
        p = (slash == std::string::npos ? std::string() : p.substr(0, nameStart)) + target +
            (trailing ? "/" : "");
        continue;
      }
    }
    out.dir = std::move(parent);
    out.name = std::move(name);
    out.trailingSlash = trailing;
    return 0;
  }
}

} // namespace parawasm::wasi::sandbox
