#include "support/file_io.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace parawasm::support {

Result<std::vector<uint8_t>> readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error(ErrorKind::Io, "cannot open '" + path + "': " + std::strerror(errno));
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (in.bad())
    return Error(ErrorKind::Io, "cannot read '" + path + "'");
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
