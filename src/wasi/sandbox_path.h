// Path resolution that cannot leave a directory: every guest path is resolved beneath the
// directory descriptor it is relative to. Absolute paths, ".." above that directory, and symlinks
// that are absolute or lead above it fail with EPERM (Wasmtime's errno for an escape attempt).
//
// The kernel does the work when it can: openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS
// checks every component atomically, so a concurrent rename or symlink swap cannot move a lookup
// outside. Where openat2 is missing (Linux < 5.6, or a seccomp filter refuses it) a walker opens
// one component at a time with O_NOFOLLOW, keeps its own stack of directories for "..", and
// expands symlinks itself; each step holds a descriptor, so a race can at worst make a lookup fail.
#pragma once

#include "wasi/unique_fd.h"

#include <string>
#include <string_view>
#include <sys/types.h>

namespace parawasm::wasi::sandbox {

enum class Strategy { Auto, Openat2, Walk };

// Tests force one strategy; Auto uses openat2 when a probe at first use finds it working.
void setStrategy(Strategy strategy);
bool openat2Available();

// Maximum symlinks expanded in one resolution (Linux's limit); more is ELOOP.
constexpr int MaxSymlinks = 40;

// openat(dirFd, path, flags, mode) confined beneath dirFd. `flags` are open(2) flags; O_NOFOLLOW
// applies to the final component only, as in open(2); O_CLOEXEC is always added. Returns 0 and
// sets `out`, or a host errno.
int openBeneath(int dirFd, std::string_view path, int flags, mode_t mode, UniqueFd &out);

// The directory that holds the final component of `path`, for the *at() calls that act on a name
// in a directory (mkdirat, unlinkat, renameat, linkat, symlinkat, readlinkat, fstatat,
// utimensat). `name` is one component with no '/'; it is "." when the path names a directory
// itself (".", "a/..", "a/."), in which case `dir` is that directory. A final symlink is followed
// (beneath dirFd, and the result names its target) as `final` says; otherwise it is returned as
// itself. Callers pass `name` to *at() calls with AT_SYMLINK_NOFOLLOW (or calls that never
// follow), so swapping the name for a symlink afterwards cannot lead outside.
enum class FinalSymlink {
  Keep,          // never follow: the call creates, removes or renames the name itself
  FollowIfSlash, // lookupflags without symlink_follow: only "link/" follows, as in POSIX
  Follow,        // lookupflags symlink_follow
};
struct ParentRef {
  UniqueFd dir;
  std::string name;
  bool trailingSlash = false; // the guest path ended in '/': the target must be a directory
  // `name` with the guest's trailing slash restored, for calls whose kernel semantics for a
  // trailing slash do not follow symlinks (mkdirat, unlinkat, renameat, symlinkat, linkat's
  // new path): they then report ENOTDIR / EEXIST exactly as Linux does.
  std::string nameForCreateOrRemove() const { return trailingSlash ? name + "/" : name; }
};
int resolveParent(int dirFd, std::string_view path, FinalSymlink final, ParentRef &out);

} // namespace parawasm::wasi::sandbox
