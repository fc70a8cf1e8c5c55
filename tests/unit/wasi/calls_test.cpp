// The WASI calls themselves, without an engine: guest memory is a byte vector and each test
// calls the C++ function behind an import directly.
#include "parawasm/wasi.h"
#include "test_util.h"
#include "wasi/calls.h"

#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

namespace parawasm::wasi {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

// 64 KiB of guest memory with a bump allocator for test data.
struct Memory {
  std::vector<uint8_t> bytes = std::vector<uint8_t>(65536);
  GuestMemory view{bytes.data(), bytes.size()};
  uint32_t next = 1024;

  uint32_t alloc(uint32_t n) {
    uint32_t at = (next + 7) & ~7u;
    next = at + n;
    return at;
  }
  uint32_t str(const std::string &s) {
    uint32_t at = alloc(uint32_t(s.size()) + 1);
    std::memcpy(&bytes[at], s.data(), s.size());
    return at;
  }
  template <class T> T get(uint32_t at) const {
    T v;
    std::memcpy(&v, &bytes[at], sizeof v);
    return v;
  }
  template <class T> void set(uint32_t at, T v) { std::memcpy(&bytes[at], &v, sizeof v); }
  std::string text(uint32_t at, uint32_t len) const {
    return std::string(reinterpret_cast<const char *>(&bytes[at]), len);
  }
  // One iovec over a fresh buffer of `len` bytes holding `content`.
  uint32_t iov(const std::string &content, uint32_t len = 0) {
    len = std::max<uint32_t>(len, uint32_t(content.size()));
    uint32_t buf = alloc(len), iovAt = alloc(8);
    std::memcpy(&bytes[buf], content.data(), content.size());
    set<uint32_t>(iovAt, buf);
    set<uint32_t>(iovAt + 4, len);
    return iovAt;
  }
};

class WasiCalls : public ::testing::Test {
protected:
  void SetUp() override {
    sandbox = tmp / "sandbox";
    fs::create_directories(sandbox);
    test::writeFile(tmp / "outside.txt", "outside");
    ASSERT_EQ(pipe2(stdinPipe, O_CLOEXEC), 0);
    ASSERT_EQ(pipe2(stdoutPipe, O_CLOEXEC), 0);
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets), 0);
    WasiConfig config;
    config.args = {"prog.wasm", "one", "two words"};
    config.env = {{"A", "1"}, {"EMPTY", ""}};
    config.preopens = {{sandbox, "/sandbox"}};
    config.stdinFd = stdinPipe[0];
    config.stdoutFd = stdoutPipe[1];
    config.stderrFd = -1;
    config.sockets = {sockets[0]};
    auto ctx = WasiContext::create(config);
    ASSERT_TRUE(ctx.ok()) << ctx.error().message();
    context = *ctx;
    for (int fd : {stdinPipe[0], stdoutPipe[1], sockets[0]})
      close(fd);
  }
  void TearDown() override {
    for (int fd : {stdinPipe[1], stdoutPipe[0], sockets[1]})
      if (fd >= 0)
        close(fd);
  }

  WasiState &s() { return context->state(); }
  const GuestMemory &m() { return mem.view; }

  // path_open relative to the preopen; returns the errno and sets `fd`.
  Errno open(const std::string &path, uint32_t oflags, uint64_t rights, uint32_t &fd,
             uint32_t lookup = 0, uint32_t fdflags = 0, uint32_t dirFd = Preopen) {
    uint32_t p = mem.str(path), out = mem.alloc(4);
    Errno e = pathOpen(s(), m(), dirFd, lookup, p, uint32_t(path.size()), oflags, rights, rights,
                       fdflags, out);
    fd = mem.get<uint32_t>(out);
    return e;
  }
  Errno write(uint32_t fd, const std::string &data, uint32_t *n = nullptr) {
    uint32_t iov = mem.iov(data), out = mem.alloc(4);
    Errno e = fdWrite(s(), m(), fd, iov, 1, out);
    if (n)
      *n = mem.get<uint32_t>(out);
    return e;
  }
  Errno read(uint32_t fd, std::string &data, uint32_t max = 256) {
    uint32_t iov = mem.iov("", max), out = mem.alloc(4);
    Errno e = fdRead(s(), m(), fd, iov, 1, out);
    data = mem.text(mem.get<uint32_t>(iov), mem.get<uint32_t>(out));
    return e;
  }
  Errno pathCall(Errno (*fn)(S &, M &, u32, u32, u32), const std::string &path) {
    uint32_t p = mem.str(path);
    return fn(s(), m(), Preopen, p, uint32_t(path.size()));
  }

  static constexpr uint32_t Preopen = 3, Socket = 4;
  static constexpr uint64_t RW = rights::FdRead | rights::FdWrite;
  TempDir tmp;
  std::string sandbox;
  int stdinPipe[2], stdoutPipe[2], sockets[2];
  std::shared_ptr<WasiContext> context;
  Memory mem;
};

TEST_F(WasiCalls, ArgsAndEnvironment) {
  uint32_t count = mem.alloc(4), size = mem.alloc(4);
  ASSERT_EQ(argsSizesGet(s(), m(), count, size), Errno::Success);
  EXPECT_EQ(mem.get<uint32_t>(count), 3u);
  EXPECT_EQ(mem.get<uint32_t>(size), 10u + 4 + 10);
  uint32_t argv = mem.alloc(12), buf = mem.alloc(24);
  ASSERT_EQ(argsGet(s(), m(), argv, buf), Errno::Success);
  EXPECT_EQ(mem.text(mem.get<uint32_t>(argv + 8), 10), std::string("two words\0", 10));
  ASSERT_EQ(environSizesGet(s(), m(), count, size), Errno::Success);
  EXPECT_EQ(mem.get<uint32_t>(count), 2u);
  EXPECT_EQ(mem.get<uint32_t>(size), 4u + 7);
  uint32_t env = mem.alloc(8), envBuf = mem.alloc(11);
  ASSERT_EQ(environGet(s(), m(), env, envBuf), Errno::Success);
  EXPECT_EQ(mem.text(mem.get<uint32_t>(env + 4), 7), std::string("EMPTY=\0", 7));
  // A buffer that runs off the end of memory writes nothing.
  EXPECT_EQ(argsGet(s(), m(), 65530, buf), Errno::Fault);
  EXPECT_EQ(environGet(s(), m(), env, 65530), Errno::Fault);
}

TEST_F(WasiCalls, InvalidConfigurationIsRejected) {
  WasiConfig bad;
  bad.env = {{"A=B", "x"}};
  auto r = WasiContext::create(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::Usage);
  WasiConfig missing;
  missing.preopens = {{tmp / "does-not-exist", "/x"}};
  auto r2 = WasiContext::create(missing);
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().kind(), ErrorKind::Io);
  EXPECT_NE(r2.error().message().find("does-not-exist"), std::string::npos);
}

TEST_F(WasiCalls, Prestat) {
  uint32_t out = mem.alloc(8);
  ASSERT_EQ(fdPrestatGet(s(), m(), Preopen, out), Errno::Success);
  EXPECT_EQ(mem.bytes[out], PreopenTypeDir);
  EXPECT_EQ(mem.get<uint32_t>(out + 4), 8u);
  uint32_t name = mem.alloc(16);
  EXPECT_EQ(fdPrestatDirName(s(), m(), Preopen, name, 7), Errno::NameTooLong);
  ASSERT_EQ(fdPrestatDirName(s(), m(), Preopen, name, 16), Errno::Success);
  EXPECT_EQ(mem.text(name, 8), "/sandbox");
  EXPECT_EQ(fdPrestatGet(s(), m(), 0, out), Errno::Badf);
  EXPECT_EQ(fdPrestatGet(s(), m(), Socket, out), Errno::Badf);
  EXPECT_EQ(fdPrestatGet(s(), m(), 99, out), Errno::Badf);
  EXPECT_EQ(fdPrestatDirName(s(), m(), 0, name, 16), Errno::NotDir);
  EXPECT_EQ(fdPrestatDirName(s(), m(), 99, name, 16), Errno::Badf);
  EXPECT_EQ(fdPrestatGet(s(), m(), Preopen, 65535), Errno::Fault);
}

TEST_F(WasiCalls, FileReadWriteSeekTruncate) {
  uint32_t fd;
  ASSERT_EQ(open("f.txt", oflags::Creat, RW, fd), Errno::Success);
  EXPECT_EQ(fd, 5u);
  uint32_t n;
  ASSERT_EQ(write(fd, "hello world", &n), Errno::Success);
  EXPECT_EQ(n, 11u);
  uint32_t pos = mem.alloc(8);
  ASSERT_EQ(fdTell(s(), m(), fd, pos), Errno::Success);
  EXPECT_EQ(mem.get<uint64_t>(pos), 11u);
  ASSERT_EQ(fdSeek(s(), m(), fd, uint64_t(-5), WhenceCur, pos), Errno::Success);
  EXPECT_EQ(mem.get<uint64_t>(pos), 6u);
  std::string got;
  ASSERT_EQ(read(fd, got), Errno::Success);
  EXPECT_EQ(got, "world");
  EXPECT_EQ(fdSeek(s(), m(), fd, uint64_t(-100), WhenceCur, pos), Errno::Inval);
  EXPECT_EQ(fdSeek(s(), m(), fd, 0, 3, pos), Errno::Inval);

  uint32_t iov = mem.iov("J"), out = mem.alloc(4);
  ASSERT_EQ(fdPwrite(s(), m(), fd, iov, 1, 0, out), Errno::Success);
  uint32_t riov = mem.iov("", 5);
  ASSERT_EQ(fdPread(s(), m(), fd, riov, 1, 0, out), Errno::Success);
  EXPECT_EQ(mem.text(mem.get<uint32_t>(riov), mem.get<uint32_t>(out)), "Jello");

  ASSERT_EQ(fdFilestatSetSize(s(), m(), fd, 4), Errno::Success);
  uint32_t st = mem.alloc(64);
  ASSERT_EQ(fdFilestatGet(s(), m(), fd, st), Errno::Success);
  EXPECT_EQ(mem.get<uint64_t>(st + layout::filestat::FileSize), 4u);
  EXPECT_EQ(mem.bytes[st + layout::filestat::FileType], FileTypeRegularFile);
  ASSERT_EQ(fdClose(s(), m(), fd), Errno::Success);
  EXPECT_EQ(test::readFile(sandbox + "/f.txt"), "Jell");
  EXPECT_EQ(fdClose(s(), m(), fd), Errno::Badf);
}

TEST_F(WasiCalls, AccessModeFollowsRights) {
  test::writeFile(sandbox + "/ro", "data");
  uint32_t fd;
  ASSERT_EQ(open("ro", 0, rights::FdRead, fd), Errno::Success);
  EXPECT_EQ(write(fd, "x"), Errno::Badf);
  uint32_t st = mem.alloc(24);
  ASSERT_EQ(fdFdstatGet(s(), m(), fd, st), Errno::Success);
  EXPECT_TRUE(mem.get<uint64_t>(st + 8) & rights::FdRead);
  EXPECT_FALSE(mem.get<uint64_t>(st + 8) & rights::FdWrite);
  ASSERT_EQ(open("ro", 0, rights::FdWrite, fd), Errno::Success);
  std::string got;
  EXPECT_EQ(read(fd, got), Errno::Badf);
}

TEST_F(WasiCalls, NarrowedRightsAreEnforced) {
  uint32_t fd;
  ASSERT_EQ(open("r.txt", oflags::Creat, RW, fd), Errno::Success);
  uint32_t st = mem.alloc(24);
  ASSERT_EQ(fdFdstatGet(s(), m(), fd, st), Errno::Success);
  uint64_t base = mem.get<uint64_t>(st + 8);
  ASSERT_EQ(fdFdstatSetRights(s(), m(), fd, base & ~rights::FdWrite, 0), Errno::Success);
  EXPECT_EQ(write(fd, "x"), Errno::NotCapable);
  EXPECT_EQ(fdFdstatSetRights(s(), m(), fd, base, 0), Errno::NotCapable); // cannot grow back
  // A directory whose inheriting rights lost FD_WRITE cannot open files for writing.
  ASSERT_EQ(fdFdstatSetRights(s(), m(), Preopen, rights::PreopenBase,
                              rights::PreopenInheriting & ~rights::FdWrite),
            Errno::Success);
  EXPECT_EQ(open("r.txt", 0, RW, fd), Errno::NotCapable);
  ASSERT_EQ(open("r.txt", 0, rights::FdRead, fd), Errno::Success);
}

TEST_F(WasiCalls, BadPointersAreEfault) {
  uint32_t fd;
  ASSERT_EQ(open("e.txt", oflags::Creat, RW, fd), Errno::Success);
  uint32_t out = mem.alloc(4);
  EXPECT_EQ(fdWrite(s(), m(), fd, 65532, 1, out), Errno::Fault);       // iovec array off the end
  EXPECT_EQ(fdWrite(s(), m(), fd, 0xFFFFFFF8u, 2, out), Errno::Fault); // wraps past 4 GiB
  uint32_t iov = mem.iov("x");
  mem.set<uint32_t>(iov, 0xFFFFFFF0u); // buffer outside memory
  EXPECT_EQ(fdWrite(s(), m(), fd, iov, 1, out), Errno::Fault);
  mem.set<uint32_t>(iov, 65000);
  mem.set<uint32_t>(iov + 4, 1000); // buffer runs off the end
  EXPECT_EQ(fdRead(s(), m(), fd, iov, 1, out), Errno::Fault);
  uint32_t good = mem.iov("abc");
  EXPECT_EQ(fdWrite(s(), m(), fd, good, 1, 65534), Errno::Fault); // result pointer
  EXPECT_EQ(test::readFile(sandbox + "/e.txt"), "");              // nothing was written
  // Path and result pointers of path_open: nothing is created when the result cannot be stored.
  uint32_t p = mem.str("never");
  EXPECT_EQ(pathOpen(s(), m(), Preopen, 0, p, 5, oflags::Creat, RW, RW, 0, 65535), Errno::Fault);
  EXPECT_FALSE(fs::exists(sandbox + "/never"));
  EXPECT_EQ(pathOpen(s(), m(), Preopen, 0, 65530, 100, 0, RW, RW, 0, out), Errno::Fault);
  EXPECT_EQ(randomGet(s(), m(), 65000, 1000), Errno::Fault);
  EXPECT_EQ(clockTimeGet(s(), m(), ClockMonotonic, 0, 65530), Errno::Fault);
  uint32_t sub = mem.alloc(48);
  EXPECT_EQ(pollOneoff(s(), m(), sub, 65520, 1, out), Errno::Fault);
  // No memory at all.
  GuestMemory none(nullptr, 0);
  EXPECT_EQ(fdWrite(s(), none, fd, 0, 0, 0), Errno::Fault);
}

TEST_F(WasiCalls, PathStringsMustBeValid) {
  uint32_t fd;
  EXPECT_EQ(open(std::string("a\0b", 3), oflags::Creat, RW, fd), Errno::Inval);
  EXPECT_EQ(open("bad\xff", oflags::Creat, RW, fd), Errno::Ilseq);
  EXPECT_EQ(open("", 0, RW, fd), Errno::NoEnt);
}

TEST_F(WasiCalls, EscapesAreRefused) {
  uint32_t fd;
  EXPECT_EQ(open("../outside.txt", 0, rights::FdRead, fd), Errno::Perm);
  EXPECT_EQ(open("/etc/passwd", 0, rights::FdRead, fd), Errno::Perm);
  fs::create_symlink("/etc", sandbox + "/etc");
  EXPECT_EQ(open("etc/passwd", 0, rights::FdRead, fd, lookupflags::SymlinkFollow), Errno::Perm);
  test::writeFile(sandbox + "/mine", "mine");
  uint32_t a = mem.str("mine"), b = mem.str("../moved");
  EXPECT_EQ(pathRename(s(), m(), Preopen, a, 4, Preopen, b, 8), Errno::Perm);
  EXPECT_TRUE(fs::exists(sandbox + "/mine"));
  EXPECT_FALSE(fs::exists(tmp / "moved"));
  EXPECT_EQ(pathCall(pathUnlinkFile, "../outside.txt"), Errno::Perm);
  EXPECT_EQ(pathCall(pathCreateDirectory, "../newdir"), Errno::Perm);
  EXPECT_EQ(pathCall(pathRemoveDirectory, ".."), Errno::Perm);
  EXPECT_TRUE(fs::exists(tmp / "outside.txt"));
  uint32_t target = mem.str("/etc/passwd"), link = mem.str("abs");
  EXPECT_EQ(pathSymlink(s(), m(), target, 11, Preopen, link, 3), Errno::Perm);
  uint32_t out = mem.alloc(64);
  uint32_t etcPasswd = mem.str("etc/passwd");
  EXPECT_EQ(pathFilestatGet(s(), m(), Preopen, lookupflags::SymlinkFollow, etcPasswd, 10, out),
            Errno::Perm);
  uint32_t up = mem.str("../outside.txt"), here = mem.str("hardlink");
  EXPECT_EQ(pathLink(s(), m(), Preopen, 0, up, 14, Preopen, here, 8), Errno::Perm);
}

TEST_F(WasiCalls, PathOperations) {
  ASSERT_EQ(pathCall(pathCreateDirectory, "d"), Errno::Success);
  EXPECT_EQ(pathCall(pathCreateDirectory, "d"), Errno::Exist);
  uint32_t fd;
  ASSERT_EQ(open("d/f", oflags::Creat | oflags::Excl, RW, fd), Errno::Success);
  EXPECT_EQ(open("d/f", oflags::Creat | oflags::Excl, RW, fd), Errno::Exist);
  EXPECT_EQ(pathCall(pathRemoveDirectory, "d"), Errno::NotEmpty);
  EXPECT_EQ(pathCall(pathUnlinkFile, "d"), Errno::IsDir);
  EXPECT_EQ(pathCall(pathUnlinkFile, "d/f/"), Errno::NotDir);

  uint32_t target = mem.str("d/f"), link = mem.str("ln");
  ASSERT_EQ(pathSymlink(s(), m(), target, 3, Preopen, link, 2), Errno::Success);
  uint32_t buf = mem.alloc(16), used = mem.alloc(4);
  ASSERT_EQ(pathReadlink(s(), m(), Preopen, link, 2, buf, 16, used), Errno::Success);
  EXPECT_EQ(mem.text(buf, mem.get<uint32_t>(used)), "d/f");
  ASSERT_EQ(pathReadlink(s(), m(), Preopen, link, 2, buf, 2, used), Errno::Success);
  EXPECT_EQ(mem.get<uint32_t>(used), 2u); // cut short, as in Wasmtime

  uint32_t st = mem.alloc(64);
  ASSERT_EQ(pathFilestatGet(s(), m(), Preopen, 0, link, 2, st), Errno::Success);
  EXPECT_EQ(mem.bytes[st + layout::filestat::FileType], FileTypeSymbolicLink);
  ASSERT_EQ(pathFilestatGet(s(), m(), Preopen, lookupflags::SymlinkFollow, link, 2, st),
            Errno::Success);
  EXPECT_EQ(mem.bytes[st + layout::filestat::FileType], FileTypeRegularFile);
  EXPECT_EQ(open("ln", 0, RW, fd), Errno::Loop); // O_NOFOLLOW without symlink_follow

  uint32_t from = mem.str("d/f"), to = mem.str("g");
  ASSERT_EQ(pathLink(s(), m(), Preopen, 0, from, 3, Preopen, to, 1), Errno::Success);
  ASSERT_EQ(pathRename(s(), m(), Preopen, to, 1, Preopen, mem.str("h"), 1), Errno::Success);
  EXPECT_TRUE(fs::exists(sandbox + "/h"));
  EXPECT_EQ(pathCall(pathUnlinkFile, "h"), Errno::Success);

  // Timestamps in nanoseconds, exactly.
  uint64_t t = 1234567890123456789ull;
  ASSERT_EQ(
      pathFilestatSetTimes(s(), m(), Preopen, 0, from, 3, t, t, fstflags::Atim | fstflags::Mtim),
      Errno::Success);
  ASSERT_EQ(pathFilestatGet(s(), m(), Preopen, 0, from, 3, st), Errno::Success);
  EXPECT_EQ(mem.get<uint64_t>(st + layout::filestat::Mtim), t);
  EXPECT_EQ(mem.get<uint64_t>(st + layout::filestat::Atim), t);
  EXPECT_EQ(
      pathFilestatSetTimes(s(), m(), Preopen, 0, from, 3, t, t, fstflags::Atim | fstflags::AtimNow),
      Errno::Inval);
}

TEST_F(WasiCalls, Readdir) {
  test::writeFile(sandbox + "/a", "");
  fs::create_directory(sandbox + "/b");
  uint32_t buf = mem.alloc(4096), used = mem.alloc(4);
  ASSERT_EQ(fdReaddir(s(), m(), Preopen, buf, 4096, 0, used), Errno::Success);
  std::vector<std::pair<std::string, uint8_t>> names;
  uint64_t lastCookie = 0;
  for (uint32_t at = buf; at < buf + mem.get<uint32_t>(used);) {
    uint32_t len = mem.get<uint32_t>(at + 16);
    names.emplace_back(mem.text(at + 24, len), mem.bytes[at + 20]);
    lastCookie = mem.get<uint64_t>(at);
    at += 24 + len;
  }
  ASSERT_EQ(names.size(), 4u);
  EXPECT_EQ(names[0], std::make_pair(std::string("."), uint8_t(FileTypeDirectory)));
  EXPECT_EQ(names[1], std::make_pair(std::string(".."), uint8_t(FileTypeDirectory)));
  EXPECT_EQ(lastCookie, 4u);
  // A small buffer is filled completely, the last entry cut short.
  ASSERT_EQ(fdReaddir(s(), m(), Preopen, buf, 30, 0, used), Errno::Success);
  EXPECT_EQ(mem.get<uint32_t>(used), 30u);
  // Resuming from a cookie.
  ASSERT_EQ(fdReaddir(s(), m(), Preopen, buf, 4096, 3, used), Errno::Success);
  EXPECT_EQ(mem.get<uint32_t>(used), 24u + uint32_t(names[3].first.size()));
  ASSERT_EQ(fdReaddir(s(), m(), Preopen, buf, 4096, 99, used), Errno::Success);
  EXPECT_EQ(mem.get<uint32_t>(used), 0u);
  EXPECT_EQ(fdReaddir(s(), m(), 0, buf, 4096, 0, used), Errno::Badf);
}

TEST_F(WasiCalls, WasmtimeErrnosForDirectoriesAndStdio) {
  uint32_t out = mem.alloc(8), iov = mem.iov("", 8);
  EXPECT_EQ(fdRead(s(), m(), Preopen, iov, 1, out), Errno::Badf);
  EXPECT_EQ(fdWrite(s(), m(), Preopen, iov, 1, out), Errno::Badf);
  EXPECT_EQ(fdPread(s(), m(), Preopen, iov, 1, 0, out), Errno::Badf);
  EXPECT_EQ(fdSeek(s(), m(), Preopen, 0, WhenceCur, out), Errno::Badf);
  EXPECT_EQ(fdTell(s(), m(), Preopen, out), Errno::Badf);
  EXPECT_EQ(fdSync(s(), m(), Preopen), Errno::Badf);
  EXPECT_EQ(fdAllocate(s(), m(), Preopen, 0, 1), Errno::Badf);
  EXPECT_EQ(fdFilestatSetSize(s(), m(), Preopen, 0), Errno::Badf);
  EXPECT_EQ(fdFdstatSetFlags(s(), m(), Preopen, fdflags::Nonblock), Errno::Badf);
  EXPECT_EQ(fdSeek(s(), m(), 1, 0, WhenceCur, out), Errno::Spipe);
  EXPECT_EQ(fdPread(s(), m(), 0, iov, 1, 0, out), Errno::Spipe);
  EXPECT_EQ(fdPwrite(s(), m(), 1, iov, 1, 0, out), Errno::Spipe);
  EXPECT_EQ(fdRead(s(), m(), 1, iov, 1, out), Errno::Badf);
  EXPECT_EQ(fdWrite(s(), m(), 0, iov, 1, out), Errno::Badf);
  uint32_t file;
  ASSERT_EQ(open("x", oflags::Creat, RW, file), Errno::Success);
  uint32_t p = mem.str("y");
  EXPECT_EQ(pathOpen(s(), m(), file, 0, p, 1, oflags::Creat, RW, RW, 0, out), Errno::NotDir);
  EXPECT_EQ(pathCreateDirectory(s(), m(), file, p, 1), Errno::Badf);
  EXPECT_EQ(open("x", oflags::Directory | oflags::Creat, RW, file), Errno::Inval);
  uint32_t st = mem.alloc(24);
  ASSERT_EQ(fdFdstatGet(s(), m(), Preopen, st), Errno::Success);
  EXPECT_EQ(mem.bytes[st], FileTypeDirectory);
  EXPECT_EQ(mem.get<uint64_t>(st + 8), rights::PreopenBase);
  EXPECT_EQ(mem.get<uint64_t>(st + 16), rights::PreopenInheriting);
  ASSERT_EQ(fdFdstatGet(s(), m(), 1, st), Errno::Success);
  EXPECT_EQ(mem.bytes[st], FileTypeUnknown); // a pipe
  EXPECT_EQ(mem.get<uint64_t>(st + 8), rights::FdWrite);
}

TEST_F(WasiCalls, StdioPipes) {
  ASSERT_EQ(::write(stdinPipe[1], "in", 2), 2);
  std::string got;
  ASSERT_EQ(read(0, got), Errno::Success);
  EXPECT_EQ(got, "in");
  ASSERT_EQ(write(1, "out"), Errno::Success);
  char buf[8];
  ASSERT_EQ(::read(stdoutPipe[0], buf, sizeof buf), 3);
  uint32_t n;
  ASSERT_EQ(write(2, "discarded", &n), Errno::Success); // stderrFd = -1
  EXPECT_EQ(n, 9u);
  // Closing the guest's stdout closes only its duplicate.
  ASSERT_EQ(fdClose(s(), m(), 1), Errno::Success);
  EXPECT_EQ(write(1, "x"), Errno::Badf);
}

TEST_F(WasiCalls, WritingToAClosedPipeIsEpipeNotSigpipe) {
  close(stdoutPipe[0]);
  stdoutPipe[0] = -1;
  // Without the guard the default SIGPIPE action would end this test process here.
  EXPECT_EQ(write(1, "nobody reads this"), Errno::Pipe);
  sigset_t pending;
  sigpending(&pending);
  EXPECT_FALSE(sigismember(&pending, SIGPIPE));
  close(sockets[1]);
  sockets[1] = -1;
  uint32_t iov = mem.iov("x"), out = mem.alloc(4);
  EXPECT_EQ(sockSend(s(), m(), Socket, iov, 1, 0, out), Errno::Pipe);
}

TEST_F(WasiCalls, RenumberAndClose) {
  uint32_t a, b;
  ASSERT_EQ(open("a", oflags::Creat, RW, a), Errno::Success);
  ASSERT_EQ(open("b", oflags::Creat, RW, b), Errno::Success);
  ASSERT_EQ(write(a, "A"), Errno::Success);
  ASSERT_EQ(fdRenumber(s(), m(), a, b), Errno::Success);
  EXPECT_EQ(fdClose(s(), m(), a), Errno::Badf);
  ASSERT_EQ(write(b, "B"), Errno::Success);
  EXPECT_EQ(test::readFile(sandbox + "/a"), "AB");
  EXPECT_EQ(fdRenumber(s(), m(), b, 77), Errno::Badf);
  // Closing a preopen is allowed.
  EXPECT_EQ(fdClose(s(), m(), Preopen), Errno::Success);
  uint32_t fd;
  EXPECT_EQ(open("a", 0, RW, fd), Errno::Badf);
}

TEST_F(WasiCalls, ClocksAndRandom) {
  uint32_t out = mem.alloc(8);
  for (uint32_t id : {ClockRealtime, ClockMonotonic, ClockProcessCputime, ClockThreadCputime}) {
    ASSERT_EQ(clockResGet(s(), m(), id, out), Errno::Success) << id;
    EXPECT_GT(mem.get<uint64_t>(out), 0u);
    ASSERT_EQ(clockTimeGet(s(), m(), id, 0, out), Errno::Success) << id;
    EXPECT_GT(mem.get<uint64_t>(out), 0u);
  }
  EXPECT_EQ(clockTimeGet(s(), m(), 4, 0, out), Errno::Inval);
  uint32_t buf = mem.alloc(64);
  ASSERT_EQ(randomGet(s(), m(), buf, 64), Errno::Success);
  EXPECT_NE(mem.text(buf, 64), std::string(64, '\0'));
  EXPECT_EQ(randomGet(s(), m(), buf, 0), Errno::Success);
}

TEST_F(WasiCalls, PollSleepsOnClocks) {
  namespace L = layout::subscription;
  uint32_t subs = mem.alloc(2 * 48), events = mem.alloc(2 * 32), n = mem.alloc(4);
  mem.set<uint64_t>(subs + L::Userdata, 42);
  mem.bytes[subs + L::Tag] = EventClock;
  mem.set<uint32_t>(subs + L::ClockId, ClockMonotonic);
  mem.set<uint64_t>(subs + L::ClockTimeout, 20'000'000); // 20 ms
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(pollOneoff(s(), m(), subs, events, 1, n), Errno::Success);
  auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(elapsed, std::chrono::milliseconds(20));
  EXPECT_EQ(mem.get<uint32_t>(n), 1u);
  EXPECT_EQ(mem.get<uint64_t>(events), 42u);
  EXPECT_EQ(mem.bytes[events + layout::event::Type], EventClock);
  EXPECT_EQ(pollOneoff(s(), m(), subs, events, 0, n), Errno::Inval);

  // stdin (a pipe with data) next to a long timer: only the read is reported.
  ASSERT_EQ(::write(stdinPipe[1], "abc", 3), 3);
  mem.set<uint64_t>(subs + L::ClockTimeout, 10'000'000'000ull);
  uint32_t second = subs + 48;
  mem.set<uint64_t>(second + L::Userdata, 7);
  mem.bytes[second + L::Tag] = EventFdRead;
  mem.set<uint32_t>(second + L::Fd, 0);
  ASSERT_EQ(pollOneoff(s(), m(), subs, events, 2, n), Errno::Success);
  ASSERT_EQ(mem.get<uint32_t>(n), 1u);
  EXPECT_EQ(mem.get<uint64_t>(events), 7u);
  EXPECT_EQ(mem.bytes[events + layout::event::Type], EventFdRead);
  EXPECT_EQ(mem.get<uint64_t>(events + layout::event::NBytes), 3u);
  mem.set<uint32_t>(second + L::Fd, 99);
  EXPECT_EQ(pollOneoff(s(), m(), subs, events, 2, n), Errno::Badf);
}

TEST_F(WasiCalls, Sockets) {
  uint32_t out = mem.alloc(4), flags = mem.alloc(2);
  uint32_t iov = mem.iov("ping");
  ASSERT_EQ(sockSend(s(), m(), Socket, iov, 1, 0, out), Errno::Success);
  EXPECT_EQ(mem.get<uint32_t>(out), 4u);
  char buf[8];
  ASSERT_EQ(::read(sockets[1], buf, sizeof buf), 4);
  ASSERT_EQ(::write(sockets[1], "pong", 4), 4);
  uint32_t riov = mem.iov("", 8);
  ASSERT_EQ(sockRecv(s(), m(), Socket, riov, 1, 0, out, flags), Errno::Success);
  EXPECT_EQ(mem.text(mem.get<uint32_t>(riov), mem.get<uint32_t>(out)), "pong");
  ASSERT_EQ(sockShutdown(s(), m(), Socket, sdflags::Wr), Errno::Success);
  EXPECT_EQ(::read(sockets[1], buf, sizeof buf), 0);
  EXPECT_EQ(sockSend(s(), m(), Preopen, iov, 1, 0, out), Errno::NotSock);
  EXPECT_EQ(sockRecv(s(), m(), 99, riov, 1, 0, out, flags), Errno::Badf);
  EXPECT_EQ(sockAccept(s(), m(), 1, 0, out), Errno::NotSock);
}

TEST_F(WasiCalls, ProcExitAndRaise) {
  EXPECT_EQ(procExit(0).exitStatus, 0);
  EXPECT_EQ(procExit(125).exitStatus, 125);
  EXPECT_FALSE(procExit(126).exitStatus);
  EXPECT_TRUE(procExit(126).trapMessage);
  EXPECT_TRUE(procRaise(6).trapMessage); // SIGABRT
  EXPECT_EQ(procRaise(0).errno_, Errno::Success);
  EXPECT_EQ(procRaise(31).errno_, Errno::Inval);
}

} // namespace
} // namespace parawasm::wasi
