// The sandboxed path resolver, under both strategies (openat2 and the component walker): what
// resolves, what is refused, and that a symlink swapped in during lookups never leads outside.
#include "test_util.h"
#include "wasi/sandbox_path.h"

#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <thread>

namespace parawasm::wasi {
namespace {

namespace fs = std::filesystem;
using sandbox::FinalSymlink;
using sandbox::ParentRef;
using sandbox::Strategy;
using test::TempDir;

class SandboxPath : public ::testing::TestWithParam<Strategy> {
protected:
  void SetUp() override {
    if (GetParam() == Strategy::Openat2 && !sandbox::openat2Available())
      GTEST_SKIP() << "openat2 is not available on this kernel";
    sandbox::setStrategy(GetParam());
    // tmp/outside.txt, tmp/outdir/secret and tmp/root/ (the sandbox) with:
    //   file, dir/f2, dir/sub/, link_rel -> dir/f2, link_dir -> dir, link_up -> ../outside.txt,
    //   link_abs -> /etc, link_updir -> ../outdir, dangling_out -> ../created_outside,
    //   dangling_in -> made_inside, loop1 <-> loop2, dir/back -> ../file
    root = tmp / "root";
    fs::create_directories(root + "/dir/sub");
    fs::create_directories(tmp / "outdir");
    test::writeFile(tmp / "outside.txt", "outside");
    test::writeFile(tmp / "outdir/secret", "outside");
    test::writeFile(root + "/file", "inside");
    test::writeFile(root + "/dir/f2", "f2");
    fs::create_symlink("dir/f2", root + "/link_rel");
    fs::create_symlink("dir", root + "/link_dir");
    fs::create_symlink("../outside.txt", root + "/link_up");
    fs::create_symlink("/etc", root + "/link_abs");
    fs::create_symlink("../outdir", root + "/link_updir");
    fs::create_symlink("../created_outside", root + "/dangling_out");
    fs::create_symlink("made_inside", root + "/dangling_in");
    fs::create_symlink("loop2", root + "/loop1");
    fs::create_symlink("loop1", root + "/loop2");
    fs::create_symlink("../file", root + "/dir/back");
    rootFd.reset(open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(rootFd.valid());
  }
  void TearDown() override { sandbox::setStrategy(Strategy::Auto); }

  int openErr(const std::string &path, int flags = O_RDONLY) {
    UniqueFd fd;
    return sandbox::openBeneath(rootFd.get(), path, flags, 0644, fd);
  }
  std::string readVia(const std::string &path) {
    UniqueFd fd;
    if (sandbox::openBeneath(rootFd.get(), path, O_RDONLY, 0, fd) != 0)
      return "<error>";
    char buf[64];
    ssize_t n = read(fd.get(), buf, sizeof buf);
    return n < 0 ? "<read error>" : std::string(buf, size_t(n));
  }

  TempDir tmp;
  std::string root;
  UniqueFd rootFd;
};

TEST_P(SandboxPath, OpensInside) {
  EXPECT_EQ(readVia("file"), "inside");
  EXPECT_EQ(readVia("dir/f2"), "f2");
  EXPECT_EQ(readVia("./dir//f2"), "f2");
  EXPECT_EQ(readVia("dir/../file"), "inside");
  EXPECT_EQ(readVia("dir/sub/../../dir/./f2"), "f2");
  EXPECT_EQ(readVia("link_rel"), "f2");
  EXPECT_EQ(readVia("link_dir/f2"), "f2");
  EXPECT_EQ(readVia("dir/back"), "inside");
  EXPECT_EQ(openErr(".", O_RDONLY | O_DIRECTORY), 0);
  EXPECT_EQ(openErr("dir/", O_RDONLY | O_DIRECTORY), 0);
  EXPECT_EQ(openErr("link_dir/", O_RDONLY | O_DIRECTORY), 0);
}

TEST_P(SandboxPath, RefusesEscapes) {
  EXPECT_EQ(openErr(".."), EPERM);
  EXPECT_EQ(openErr("../outside.txt"), EPERM);
  EXPECT_EQ(openErr("dir/../../outside.txt"), EPERM);
  EXPECT_EQ(openErr("dir/sub/../../../root/file"), EPERM); // leaves, even if it comes back
  EXPECT_EQ(openErr("/etc/passwd"), EPERM);
  EXPECT_EQ(openErr("/"), EPERM);
  EXPECT_EQ(openErr("link_up"), EPERM);
  EXPECT_EQ(openErr("link_abs/passwd"), EPERM);
  EXPECT_EQ(openErr("link_abs"), EPERM);
  EXPECT_EQ(openErr("link_updir/secret"), EPERM);
  EXPECT_EQ(openErr("dir/sub/../../link_up"), EPERM);
}

TEST_P(SandboxPath, CreatesOnlyInside) {
  EXPECT_EQ(openErr("dangling_out", O_WRONLY | O_CREAT), EPERM);
  EXPECT_FALSE(fs::exists(tmp / "created_outside"));
  EXPECT_EQ(openErr("../created_outside", O_WRONLY | O_CREAT), EPERM);
  EXPECT_FALSE(fs::exists(tmp / "created_outside"));
  EXPECT_EQ(openErr("dangling_in", O_WRONLY | O_CREAT), 0);
  EXPECT_TRUE(fs::exists(root + "/made_inside"));
  EXPECT_EQ(openErr("newfile", O_WRONLY | O_CREAT | O_EXCL), 0);
  EXPECT_EQ(openErr("newfile", O_WRONLY | O_CREAT | O_EXCL), EEXIST);
  EXPECT_EQ(openErr("link_rel", O_WRONLY | O_CREAT | O_EXCL), EEXIST);
}

TEST_P(SandboxPath, PosixErrors) {
  EXPECT_EQ(openErr(""), ENOENT);
  EXPECT_EQ(openErr("missing"), ENOENT);
  EXPECT_EQ(openErr("missing/x"), ENOENT);
  EXPECT_EQ(openErr("file/"), ENOTDIR);
  EXPECT_EQ(openErr("file/x"), ENOTDIR);
  EXPECT_EQ(openErr("file", O_RDONLY | O_DIRECTORY), ENOTDIR);
  EXPECT_EQ(openErr("loop1"), ELOOP);
  EXPECT_EQ(openErr("loop1/x"), ELOOP);
  // O_NOFOLLOW refuses a final symlink, but intermediate ones are still followed.
  EXPECT_EQ(openErr("link_rel", O_RDONLY | O_NOFOLLOW), ELOOP);
  EXPECT_EQ(openErr("link_dir/f2", O_RDONLY | O_NOFOLLOW), 0);
  int e = openErr("link_dir", O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  EXPECT_TRUE(e == ENOTDIR || e == ELOOP) << e;
}

TEST_P(SandboxPath, ResolvesParents) {
  ParentRef ref;
  ASSERT_EQ(sandbox::resolveParent(rootFd.get(), "dir/f2", FinalSymlink::Keep, ref), 0);
  EXPECT_EQ(ref.name, "f2");
  EXPECT_FALSE(ref.trailingSlash);
  struct stat st;
  EXPECT_EQ(fstatat(ref.dir.get(), ref.name.c_str(), &st, AT_SYMLINK_NOFOLLOW), 0);

  ASSERT_EQ(sandbox::resolveParent(rootFd.get(), "link_dir/f2", FinalSymlink::Keep, ref), 0);
  EXPECT_EQ(ref.name, "f2");

  ASSERT_EQ(sandbox::resolveParent(rootFd.get(), "dir/", FinalSymlink::Keep, ref), 0);
  EXPECT_EQ(ref.name, "dir");
  EXPECT_TRUE(ref.trailingSlash);
  EXPECT_EQ(ref.nameForCreateOrRemove(), "dir/");

  for (const char *self : {".", "dir/..", "./", "dir/sub/../.."}) {
    ASSERT_EQ(sandbox::resolveParent(rootFd.get(), self, FinalSymlink::Keep, ref), 0) << self;
    EXPECT_EQ(ref.name, ".");
  }
  EXPECT_EQ(sandbox::resolveParent(rootFd.get(), "..", FinalSymlink::Keep, ref), EPERM);
  EXPECT_EQ(sandbox::resolveParent(rootFd.get(), "/x", FinalSymlink::Keep, ref), EPERM);
  EXPECT_EQ(sandbox::resolveParent(rootFd.get(), "", FinalSymlink::Keep, ref), ENOENT);
  EXPECT_EQ(sandbox::resolveParent(rootFd.get(), "../x", FinalSymlink::Keep, ref), EPERM);
  EXPECT_EQ(sandbox::resolveParent(rootFd.get(), "link_updir/x", FinalSymlink::Keep, ref), EPERM);
  EXPECT_EQ(sandbox::resolveParent(rootFd.get(), "file/x", FinalSymlink::Keep, ref), ENOTDIR);
}

TEST_P(SandboxPath, FinalSymlinkModes) {
  ParentRef ref;
  // Keep: the link itself.
  ASSERT_EQ(sandbox::resolveParent(rootFd.get(), "link_up", FinalSymlink::Keep, ref), 0);
  EXPECT_EQ(ref.name, "link_up");
  ASSERT_EQ(sandbox::resolveParent(rootFd.get(), "link_up", FinalSymlink::FollowIfSlash, ref), 0);
  EXPECT_EQ(ref.name, "link_up");
  // Follow: the target, if it is inside.
  ASSERT_EQ(sandbox::resolveParent(rootFd.get(), "link_rel", FinalSymlink::Follow, ref), 0);
  EXPECT_EQ(ref.name, "f2");
  ASSERT_EQ(sandbox::resolveParent(rootFd.get(), "dir/back", FinalSymlink::Follow, ref), 0);
  EXPECT_EQ(ref.name, "file");
  EXPECT_EQ(sandbox::resolveParent(rootFd.get(), "link_up", FinalSymlink::Follow, ref), EPERM);
  EXPECT_EQ(sandbox::resolveParent(rootFd.get(), "link_abs", FinalSymlink::Follow, ref), EPERM);
  EXPECT_EQ(sandbox::resolveParent(rootFd.get(), "loop1", FinalSymlink::Follow, ref), ELOOP);
  // A trailing slash follows, as in POSIX.
  ASSERT_EQ(sandbox::resolveParent(rootFd.get(), "link_dir/", FinalSymlink::FollowIfSlash, ref), 0);
  EXPECT_EQ(ref.name, "dir");
  EXPECT_TRUE(ref.trailingSlash);
  EXPECT_EQ(sandbox::resolveParent(rootFd.get(), "link_updir/", FinalSymlink::FollowIfSlash, ref),
            EPERM);
  // A dangling link followed names the missing target, so the caller reports ENOENT.
  ASSERT_EQ(sandbox::resolveParent(rootFd.get(), "dangling_in", FinalSymlink::Follow, ref), 0);
  EXPECT_EQ(ref.name, "made_inside");
}

// A directory inside the sandbox is swapped, as fast as possible, with a symlink to a directory
// outside holding a file of the same name. Lookups through it may fail, but must never reach the
// outside file.
TEST_P(SandboxPath, SymlinkSwapRaceNeverEscapes) {
  fs::create_directories(root + "/swap");
  test::writeFile(root + "/swap/secret", "inside");
  std::atomic<bool> stop{false};
  std::thread swapper([&] {
    std::string dir = root + "/swap", held = root + "/swap.dir", link = root + "/swap.link";
    symlink("../outdir", link.c_str());
    while (!stop) {
      rename(dir.c_str(), held.c_str());
      rename(link.c_str(), dir.c_str()); // swap is now the outside link
      rename(dir.c_str(), link.c_str());
      rename(held.c_str(), dir.c_str()); // swap is the real directory again
    }
  });
  int inside = 0, refused = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string got = readVia("swap/secret");
    ASSERT_NE(got, "outside") << "escaped on iteration " << i;
    if (got == "inside")
      ++inside;
    else
      ++refused;
    ParentRef ref;
    if (sandbox::resolveParent(rootFd.get(), "swap/secret", FinalSymlink::Follow, ref) == 0) {
      UniqueFd f(openat(ref.dir.get(), ref.name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
      if (f.valid()) {
        char buf[16];
        ssize_t n = read(f.get(), buf, sizeof buf);
        ASSERT_NE(std::string(buf, size_t(std::max<ssize_t>(n, 0))), "outside");
      }
    }
  }
  stop = true;
  swapper.join();
  EXPECT_GT(inside + refused, 0);
}

INSTANTIATE_TEST_SUITE_P(Strategies, SandboxPath,
                         ::testing::Values(Strategy::Openat2, Strategy::Walk),
                         [](const auto &info) {
                           return info.param == Strategy::Openat2 ? "Openat2" : "Walk";
                         });

} // namespace
} // namespace parawasm::wasi
