#include "wasi/fd_table.h"

namespace parawasm::wasi {

Fd FdTable::insert(std::shared_ptr<FdEntry> entry) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (!slots_[i]) {
      slots_[i] = std::move(entry);
      return static_cast<Fd>(i);
    }
  }
  slots_.push_back(std::move(entry));
  return static_cast<Fd>(slots_.size() - 1);
}

void FdTable::insertAt(Fd fd, std::shared_ptr<FdEntry> entry) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (fd >= slots_.size())
    slots_.resize(size_t(fd) + 1);
  slots_[fd] = std::move(entry);
}

std::shared_ptr<FdEntry> FdTable::get(Fd fd) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return fd < slots_.size() ? slots_[fd] : nullptr;
}

std::shared_ptr<FdEntry> FdTable::remove(Fd fd) {
  std::shared_ptr<FdEntry> out;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (fd >= slots_.size())
      return nullptr;
    out = std::move(slots_[fd]);
    slots_[fd] = nullptr;
    while (!slots_.empty() && !slots_.back())
      slots_.pop_back();
  }
  return out;
}

Errno FdTable::renumber(Fd from, Fd to) {
  std::shared_ptr<FdEntry> displaced;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (from >= slots_.size() || !slots_[from] || to >= slots_.size() || !slots_[to])
      return Errno::Badf;
    if (from == to)
      return Errno::Success;
    displaced = std::move(slots_[to]);
    slots_[to] = std::move(slots_[from]);
    slots_[from] = nullptr;
    while (!slots_.empty() && !slots_.back())
      slots_.pop_back();
  }
  // `displaced` closes here, outside the lock: close() may block (NFS, sockets with linger).
  return Errno::Success;
}

size_t FdTable::openCount() const {
  std::lock_guard<std::mutex> lock(mutex_);
  size_t n = 0;
  for (const auto &s : slots_)
    n += s != nullptr;
  return n;
}

} // namespace parawasm::wasi
