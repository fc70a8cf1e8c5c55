// poll_oneoff: clock subscriptions become one monotonic deadline; descriptor subscriptions on
// pipes, terminals and sockets go to ppoll(2); regular files are always ready, as POSIX and
// Wasmtime have it.
#include "support/try.h"
#include "wasi/calls.h"
#include "wasi/host_errno.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace parawasm::wasi {
namespace {

constexpr u64 Never = UINT64_MAX;

struct Sub {
  u64 userdata = 0;
  uint8_t tag = 0;
  u64 deadline = Never; // clock: monotonic nanoseconds
  std::shared_ptr<FdEntry> entry;
  bool alwaysReady = false; // regular files, directories, unconnected stdio
  int pollIndex = -1;
};

u64 monotonicNow() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return u64(ts.tv_sec) * 1000000000ull + u64(ts.tv_nsec);
}

u64 saturatingAdd(u64 a, u64 b) { return b > Never - a ? Never : a + b; }

void writeEvent(M &mem, u64 at, const Sub &sub, Errno error, u64 nbytes, uint16_t flags) {
  namespace L = layout::event;
  uint8_t *p = mem.at(at, L::Size);
  std::memset(p, 0, L::Size);
  (void)mem.store(at + L::Userdata, sub.userdata);
  (void)mem.store(at + L::Error, static_cast<uint16_t>(error));
  (void)mem.store(at + L::Type, sub.tag);
  (void)mem.store(at + L::NBytes, nbytes);
  (void)mem.store(at + L::Flags, flags);
}

} // namespace

Errno pollOneoff(S &s, M &mem, u32 in, u32 out, u32 nsubscriptions, u32 neventsOut) {
  namespace L = layout::subscription;
  // Wasmtime refuses an empty poll rather than block forever.
  if (nsubscriptions == 0)
    return Errno::Inval;
  if (!mem.at(in, uint64_t(nsubscriptions) * L::Size) ||
      !mem.at(out, uint64_t(nsubscriptions) * layout::event::Size) || !mem.at(neventsOut, 4))
    return Errno::Fault;

  std::vector<Sub> subs(nsubscriptions);
  std::vector<pollfd> pfds;
  const u64 start = monotonicNow();
  for (u32 i = 0; i < nsubscriptions; ++i) {
    u64 base = in + uint64_t(i) * L::Size;
    Sub &sub = subs[i];
    (void)mem.load(base + L::Userdata, sub.userdata);
    (void)mem.load(base + L::Tag, sub.tag);
    if (sub.tag == EventClock) {
      uint32_t id = 0;
      u64 timeout = 0;
      uint16_t flags = 0;
      (void)mem.load(base + L::ClockId, id);
      (void)mem.load(base + L::ClockTimeout, timeout);
      (void)mem.load(base + L::ClockFlags, flags);
      if (flags & ~subclockflags::AbsTime)
        return Errno::Inval;
      const bool absolute = flags & subclockflags::AbsTime;
      if (id == ClockMonotonic) {
        sub.deadline = absolute ? timeout : saturatingAdd(start, timeout);
      } else if (id == ClockRealtime) {
        if (absolute) {
          u64 now;
          PW_TRY(readClock(ClockRealtime, now));
          sub.deadline = saturatingAdd(start, timeout > now ? timeout - now : 0);
        } else {
          sub.deadline = saturatingAdd(start, timeout);
        }
      } else {
        // Waiting on CPU time has no meaning here; Wasmtime refuses it the same way.
        return Errno::Inval;
      }
    } else if (sub.tag == EventFdRead || sub.tag == EventFdWrite) {
      uint32_t fd = 0;
      (void)mem.load(base + L::Fd, fd);
      sub.entry = s.fds.get(fd);
      if (!sub.entry)
        return Errno::Badf;
      FdKind k = sub.entry->kind;
      bool ok = sub.tag == EventFdRead
                    ? (k == FdKind::Stdin || k == FdKind::File || k == FdKind::Socket)
                    : (k == FdKind::Stdout || k == FdKind::Stderr || k == FdKind::File ||
                       k == FdKind::Socket);
      if (!ok)
        return Errno::Badf;
      struct stat st;
      if (!sub.entry->host.valid() ||
          (fstat(sub.entry->host.get(), &st) == 0 &&
           (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) || S_ISBLK(st.st_mode)))) {
        sub.alwaysReady = true;
      } else {
        sub.pollIndex = int(pfds.size());
        pfds.push_back(
            {sub.entry->host.get(), short(sub.tag == EventFdRead ? POLLIN : POLLOUT), 0});
      }
    } else {
      return Errno::Inval;
    }
  }

  u64 deadline = Never;
  bool anyAlwaysReady = false;
  for (const Sub &sub : subs) {
    if (sub.tag == EventClock)
      deadline = std::min(deadline, sub.deadline);
    anyAlwaysReady |= sub.alwaysReady;
  }

  for (;;) {
    u64 now = monotonicNow();
    bool clockDue = deadline != Never && now >= deadline;
    bool wait = !anyAlwaysReady && !clockDue;
    int ready = 0;
    if (!pfds.empty()) {
      timespec ts{0, 0}, *tsp = &ts;
      if (wait) {
        if (deadline == Never) {
          tsp = nullptr;
        } else {
          u64 left = deadline - now;
          ts = {time_t(left / 1000000000ull), long(left % 1000000000ull)};
        }
      }
      ready = ppoll(pfds.data(), pfds.size(), tsp, nullptr);
      if (ready < 0) {
        if (errno == EINTR)
          continue;
        return lastHostError();
      }
    } else if (wait) {
      timespec ts{time_t(deadline / 1000000000ull), long(deadline % 1000000000ull)};
      int r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
      if (r != 0 && r != EINTR)
        return fromHostErrno(r);
      continue;
    }
    now = monotonicNow();
    clockDue = deadline != Never && now >= deadline;
    if (!(ready > 0 || anyAlwaysReady || clockDue))
      continue; // woken early: wait again for what is left

    uint32_t count = 0;
    for (const Sub &sub : subs) {
      u64 at = out + uint64_t(count) * layout::event::Size;
      if (sub.tag == EventClock) {
        if (now >= sub.deadline) {
          writeEvent(mem, at, sub, Errno::Success, 0, 0);
          ++count;
        }
        continue;
      }
      const FdEntry &e = *sub.entry;
      if (sub.alwaysReady) {
        u64 nbytes = 0;
        uint16_t flags = 0;
        if (sub.tag == EventFdRead) {
          if (e.host.valid()) {
            struct stat st;
            off_t pos = lseek(e.host.get(), 0, SEEK_CUR);
            if (fstat(e.host.get(), &st) == 0 && pos >= 0 && st.st_size > pos)
              nbytes = u64(st.st_size - pos);
          }
          if (nbytes == 0)
            flags = eventrwflags::Hangup; // at end of file, as Wasmtime reports it
        }
        writeEvent(mem, at, sub, Errno::Success, nbytes, flags);
        ++count;
        continue;
      }
      short rev = pfds[sub.pollIndex].revents;
      if (!rev)
        continue;
      if (rev & POLLNVAL) {
        writeEvent(mem, at, sub, Errno::Badf, 0, 0);
      } else {
        u64 nbytes = 0;
        int avail = 0;
        if (sub.tag == EventFdRead && ioctl(e.host.get(), FIONREAD, &avail) == 0 && avail > 0)
          nbytes = u64(avail);
        uint16_t flags = (rev & POLLHUP) ? eventrwflags::Hangup : 0;
        Errno err = ((rev & POLLERR) && !(rev & (POLLIN | POLLOUT))) ? Errno::Io : Errno::Success;
        writeEvent(mem, at, sub, err, nbytes, flags);
      }
      ++count;
    }
    PW_WASI_STORE(mem, neventsOut, count);
    return Errno::Success;
  }
}

} // namespace parawasm::wasi
