#include "support/file_io.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace parawasm::support {

Result<std::vector<uint8_t>> readFile(const std::string &path) {
  // One read of the whole size: the code cache's objects are read on every warm start.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Error(ErrorKind::Io, "cannot open '" + path + "': " + std::strerror(errno));
  // Room for one byte more than the file's size, so that the read which finds its end needs no
  // larger buffer; a file that grows meanwhile (or a pipe) doubles it.
  struct stat st {};
  size_t expected = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? size_t(st.st_size) : 0;
  std::vector<uint8_t> bytes(std::max<size_t>(expected + 1, 4096));
  size_t used = 0;
  for (;;) {
    if (used == bytes.size())
      bytes.resize(bytes.size() * 2);
    ssize_t got = ::read(fd, bytes.data() + used, bytes.size() - used);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      int saved = errno;
      ::close(fd);
      return Error(ErrorKind::Io, "cannot read '" + path + "': " + std::strerror(saved));
    }
    if (got == 0)
      break;
    used += size_t(got);
  }
  ::close(fd);
  bytes.resize(used);
  return bytes;
}

Result<void> writeFileAtomic(const std::string &path, std::span<const uint8_t> data,
                             Parents parents) {
  std::error_code ec;
  if (parents == Parents::Create)
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  std::string tmp = path + ".tmp" + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out)
      return Error(ErrorKind::Io, "cannot write '" + tmp + "'");
    out.write(reinterpret_cast<const char *>(data.data()), std::streamsize(data.size()));
    if (!out)
      return Error(ErrorKind::Io, "cannot write '" + tmp + "'");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Error(ErrorKind::Io, "cannot rename to '" + path + "'");
  }
  return {};
}

Result<void> checkWritableFile(const std::string &path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (path.empty())
    return Error(ErrorKind::Io, "empty file name");
  if (fs::is_directory(path, ec))
    return Error(ErrorKind::Io, "cannot write '" + path + "': it is a directory");
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty())
    dir = ".";
  if (!fs::is_directory(dir, ec))
    return Error(ErrorKind::Io,
                 "cannot write '" + path + "': directory '" + dir.string() + "' does not exist");
  // The file is written as a temporary beside it and renamed, so the directory must be writable.
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    return Error(ErrorKind::Io, "cannot write '" + path + "': " + std::strerror(errno));
  return {};
}

} // namespace parawasm::support
