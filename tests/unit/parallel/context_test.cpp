// The public API around the calls: configuration, device listing, tracing, and running many
// execs (and many traps) without leaking memory, descriptors or threads.
#include "harness.h"
#include "parallel/thread_pool.h"

#include <algorithm>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <unistd.h>

// clang says it through __has_feature, gcc through __SANITIZE_ADDRESS__.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PW_HAS_ASAN 1
#endif
#endif
#ifndef PW_HAS_ASAN
#define PW_HAS_ASAN 0
#endif

namespace parawasm::test {
namespace {

constexpr int32_t kReadWrite = 2;

struct ScopedEnv {
  ScopedEnv(const char *name, const char *value) : name_(name) {
    if (const char *old = std::getenv(name))
      old_ = old;
    setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_)
      setenv(name_, old_->c_str(), 1);
    else
      unsetenv(name_);
  }
  const char *name_;
  std::optional<std::string> old_;
};

TEST(ParallelContext, ListsTheCpuDevices) {
  auto devices = listParallelDevices(ParallelConfig{"", 3, "", false});
  ASSERT_TRUE(devices.ok());
  ASSERT_GE(devices->size(), 2u);
  EXPECT_EQ((*devices)[0].kindName, "sequential");
  EXPECT_EQ((*devices)[0].kind, 0);
  EXPECT_EQ((*devices)[1].kindName, "cpu");
  EXPECT_EQ((*devices)[1].kind, 1);
  EXPECT_EQ((*devices)[1].details.rfind("3 threads", 0), 0u) << (*devices)[1].details;
}

TEST(ParallelContext, ThreadsFromTheEnvironment) {
  {
    ScopedEnv env("PARAWASM_THREADS", "3");
    auto ctx = ParallelContext::create(testEngine());
    ASSERT_TRUE(ctx.ok());
    EXPECT_EQ((*ctx)->devices()[1].details.rfind("3 threads", 0), 0u);
    // An explicit count wins.
    auto ctx2 = ParallelContext::create(testEngine(), ParallelConfig{"", 2, "", false});
    ASSERT_TRUE(ctx2.ok());
    EXPECT_EQ((*ctx2)->devices()[1].details.rfind("2 threads", 0), 0u);
  }
  for (const char *bad : {"zero", "0", "-2", "3x", "100000"}) {
    ScopedEnv env("PARAWASM_THREADS", bad);
    auto ctx = ParallelContext::create(testEngine());
    ASSERT_FALSE(ctx.ok()) << bad;
    EXPECT_EQ(ctx.error().kind(), ErrorKind::Usage);
    EXPECT_NE(ctx.error().message().find("PARAWASM_THREADS"), std::string::npos);
  }
}

TEST(ParallelContext, ForcedDevices) {
  for (const char *name : {"sequential", "seq", "0", "cpu", "1"}) {
    ParallelConfig config;
    config.device = name;
    auto g = Guest::make(config);
    ASSERT_TRUE(g) << name;
    int32_t d = g->device(0);
    for (int hint = 1; hint < 4; ++hint)
      EXPECT_EQ(g->device(hint), d) << name;
  }
  ParallelConfig unknown;
  unknown.device = "tpu";
  auto ctx = ParallelContext::create(testEngine(), unknown);
  ASSERT_FALSE(ctx.ok());
  EXPECT_EQ(ctx.error().kind(), ErrorKind::Usage);
  bool hasGpu = false;
  auto devices = listParallelDevices();
  ASSERT_TRUE(devices.ok());
  for (const auto &d : *devices)
    hasGpu |= d.kindName == "discrete_gpu";
  if (!hasGpu) {
    ParallelConfig gpu;
    gpu.device = "gpu";
    auto g = ParallelContext::create(testEngine(), gpu);
    ASSERT_FALSE(g.ok());
    EXPECT_NE(g.error().message().find("no discrete_gpu"), std::string::npos);
  }
}

TEST(ParallelContext, LinkerHasEveryFunction) {
  Linker linker(testEngine());
  ASSERT_TRUE(addWasiParallelToLinker(linker, ParallelConfig{}).ok());
  ASSERT_EQ(wasiParallelFunctionNames().size(), 8u);
  for (const std::string &name : wasiParallelFunctionNames()) {
    auto f = linker.find("wasi_ephemeral_parallel", name);
    ASSERT_TRUE(f.has_value()) << name;
    ASSERT_TRUE(std::holds_alternative<Func>(*f));
    const FuncType &t = std::get<Func>(*f).type();
    EXPECT_EQ(t.results, std::vector<ValType>{ValType::I32});
    for (ValType p : t.params)
      EXPECT_EQ(p, ValType::I32);
  }
  ParallelConfig bad;
  bad.device = "nonsense";
  EXPECT_FALSE(addWasiParallelToLinker(linker, bad).ok());
}

// The trace file (as text) of a guest on the cpu device with `threads` threads that runs
// `execs` with a one-buffer kernel placed in its memory (size `size` at `k`) and a buffer on
// 64 bytes.
std::string traceOf(unsigned threads,
                    const std::function<void(Guest &, int32_t dev, uint32_t k, uint32_t size,
                                             int32_t buffer)> &execs) {
  std::string path = ::testing::TempDir() + "/pw_trace_test.json";
  std::remove(path.c_str());
  {
    ParallelConfig config;
    config.device = "cpu";
    config.threads = threads;
    config.traceFile = path;
    auto g = Guest::make(config);
    EXPECT_TRUE(g);
    if (!g)
      return "";
    int32_t dev = g->device(1);
    auto bytes = wat(kernelText(1, ""));
    uint32_t k = g->place(bytes), data = g->alloc(64);
    execs(*g, dev, k, uint32_t(bytes.size()), g->buffer(dev, data, 64, kReadWrite));
  }
  std::ifstream in(path);
  EXPECT_TRUE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ParallelContext, WritesAChromeTrace) {
  std::string json = traceOf(2, [](Guest &g, int32_t dev, uint32_t k, uint32_t size, int32_t b) {
    EXPECT_EQ(g.exec(dev, k, size, 100, 10, {}, {b}), 0);
    EXPECT_NE(g.exec(dev, k, size, 100, 10, {}, {}), 0);
  });
  ASSERT_FALSE(json.empty());
  for (const char *want : {"\"traceEvents\"", "\"get_device\"", "\"create_buffer\"",
                           "\"write_buffer\"", "\"parallel_exec\"", "\"run\"", "\"chunks\"",
                           "\"invalid_kernel\"", "\"num_iterations\": 100"})
    EXPECT_NE(json.find(want), std::string::npos) << want << "\n" << json;
  EXPECT_EQ(json.back(), '\n');
}

// A thread takes its own share of a launch in halves of what is left, whole blocks, so that a
// launch costs a few guarded calls per thread rather than one per block (CpuDevice::launch);
// the pieces (the trace's "chunk" spans) still cover every iteration once.
std::vector<std::pair<uint64_t, uint64_t>> launchPieces(unsigned threads, uint32_t iterations,
                                                        uint32_t block) {
  std::string json =
      traceOf(threads, [&](Guest &g, int32_t dev, uint32_t k, uint32_t size, int32_t b) {
        EXPECT_EQ(g.exec(dev, k, size, iterations, block, {}, {b}), 0);
      });
  std::regex piece(R"re("name": "chunk".*?"args": \{"first": (\d+), "last": (\d+)\})re");
  std::vector<std::pair<uint64_t, uint64_t>> pieces;
  for (auto it = std::sregex_iterator(json.begin(), json.end(), piece);
       it != std::sregex_iterator(); ++it)
    pieces.push_back({std::stoull((*it)[1]), std::stoull((*it)[2])});
  std::sort(pieces.begin(), pieces.end());
  uint64_t covered = 0;
  for (auto [first, last] : pieces) {
    EXPECT_EQ(first, covered) << "a gap or an overlap before " << first;
    EXPECT_EQ(first % block, 0u);
    EXPECT_TRUE(last % block == 0 || last == iterations) << last;
    covered = last;
  }
  EXPECT_EQ(covered, iterations);
  return pieces;
}

TEST(ParallelContext, ThreadsTakeTheirSharesInHalves) {
  // One thread, 1200 iterations in blocks of 32 (37 whole ones and a part): 18, 9, 5, 2, 1, 1,
  // 1 blocks and the part left (38 calls before).
  auto one = launchPieces(1, 1200, 32);
  EXPECT_EQ(one.size(), 8u);
  ASSERT_FALSE(one.empty());
  EXPECT_EQ(one.front(), std::make_pair(uint64_t(0), uint64_t(18 * 32)));
  // Two threads: how the shares split depends on when the worker starts (the other takes from
  // its share a block at a time meanwhile), but the pieces cover the launch once.
  auto two = launchPieces(2, 1200, 32);
  EXPECT_LT(two.size(), 38u);
}

// Launches that take microseconds are claimed in whole shares once the kernel's time per
// iteration is known (CpuDevice::launch): over 200 launches of `cell[i] += 1`, whichever way each
// was taken, every iteration of every launch ran once.
TEST(ParallelContext, ShortLaunchesRunEveryIterationOnce) {
  ParallelConfig config;
  config.device = "cpu";
  config.threads = 2;
  auto g = Guest::make(config);
  ASSERT_TRUE(g);
  int32_t dev = g->device(1);
  auto bytes = wat(
      kernelText(1, R"((i32.store (i32.add (local.get $p0) (i32.shl (local.get $i) (i32.const 2)))
        (i32.add (i32.load (i32.add (local.get $p0) (i32.shl (local.get $i) (i32.const 2))))
                 (i32.const 1))))"));
  constexpr uint32_t kLaunches = 200, kIterations = 1200;
  uint32_t k = g->place(bytes), cells = g->alloc(4 * kIterations);
  int32_t b = g->buffer(dev, cells, 4 * kIterations, kReadWrite);
  for (uint32_t l = 0; l < kLaunches; ++l)
    ASSERT_EQ(g->exec(dev, k, uint32_t(bytes.size()), kIterations, 32, {}, {b}), 0);
  for (uint32_t i = 0; i < kIterations; ++i)
    ASSERT_EQ(g->read<int32_t>(cells + 4 * i), int32_t(kLaunches)) << "iteration " << i;
}

// Resident memory in bytes, open descriptors, threads of this process.
struct Usage {
  uint64_t rss = 0;
  size_t fds = 0, threads = 0;
};
size_t countDir(const char *path) {
  size_t n = 0;
  if (DIR *d = opendir(path)) {
    while (readdir(d))
      ++n;
    closedir(d);
  }
  return n;
}
Usage usage() {
  Usage u;
  std::ifstream statm("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  u.rss = resident * uint64_t(sysconf(_SC_PAGESIZE));
  u.fds = countDir("/proc/self/fd");
  u.threads = countDir("/proc/self/task");
  return u;
}

class ManyExecs : public ::testing::TestWithParam<DeviceParam> {};

TEST_P(ManyExecs, TenThousandSmallExecsLeakNothing) {
  ParallelConfig config;
  config.device = GetParam().device;
  config.threads = GetParam().threads;
  auto g = Guest::make(config);
  ASSERT_TRUE(g);
  int32_t dev = g->device(1);
  auto bytes = wat(kernelText(1, R"(
    (i32.store (i32.add (local.get $p0) (i32.shl (local.get $i) (i32.const 2)))
      (i32.add (i32.load (i32.add (local.get $p0) (i32.shl (local.get $i) (i32.const 2))))
               (i32.const 1))))"));
  auto trapping =
      wat(kernelText(1, "(if (i32.eq (local.get $i) (i32.const 3)) (then unreachable))"));
  uint32_t k = g->place(bytes), kt = g->place(trapping), data = g->alloc(64 * 4);
  std::memset(g->mem() + data, 0, 64 * 4);
  int32_t b = g->buffer(dev, data, 64 * 4, kReadWrite);
  uint32_t list = g->placeArray(std::vector<int32_t>{b});
  auto loop = [&](uint32_t kernel, uint32_t len, int count) {
    return g->call("exec_loop",
                   {count, dev, int32_t(kernel), int32_t(len), 64, 4, 0, 0, int32_t(list), 1});
  };
  // Warm up: compile, instantiate, start the pool, let allocators settle. As many execs as
  // below: under $PARAWASM_LAZY=1 the loop in exec_loop then moves from the interpreter into
  // compiled code here (which starts the process's compile thread), not in the measured part.
  ASSERT_EQ(loop(k, uint32_t(bytes.size()), 10000), 0);
  for (int i = 0; i < 200; ++i)
    ASSERT_EQ(loop(kt, uint32_t(trapping.size()), 1), 5);
  Usage before = usage();
  ASSERT_EQ(loop(k, uint32_t(bytes.size()), 10000), 0);
  for (int i = 0; i < 2000; ++i)
    ASSERT_EQ(loop(kt, uint32_t(trapping.size()), 1), 5);
  Usage after = usage();
  for (int i = 0; i < 64; ++i)
    ASSERT_EQ(g->read<int32_t>(data + 4 * i), 20000);
  EXPECT_EQ(after.fds, before.fds);
  EXPECT_EQ(after.threads, before.threads);
#if !defined(__SANITIZE_ADDRESS__) && !PW_HAS_ASAN
  // Under ASan freed memory sits in its quarantine, so RSS grows; LeakSanitizer checks instead.
  EXPECT_LT(after.rss, before.rss + (1u << 20))
      << "RSS grew from " << before.rss << " to " << after.rss;
#endif
}

TEST_P(ManyExecs, ContextsComeAndGoWithoutLeakingWorkers) {
  unsigned workersBefore = parallel::ThreadPool::liveWorkers();
  Usage before;
  // Round 0 may start what lives for the whole process (the lazy compile thread of a lazy or
  // tiered start, a sanitizer's own threads): the rounds after it must add nothing.
  for (int round = 0; round < 21; ++round) {
    if (round == 1)
      before = usage();
    ParallelConfig config;
    config.device = GetParam().device;
    config.threads = GetParam().threads + 7; // a pool nobody else holds
    auto g = Guest::make(config);
    ASSERT_TRUE(g);
    int32_t dev = g->device(1);
    auto bytes = wat(kernelText(0, ""));
    uint32_t k = g->place(bytes);
    ASSERT_EQ(g->exec(dev, k, uint32_t(bytes.size()), 100, 1, {}, {}), 0);
  }
  EXPECT_EQ(parallel::ThreadPool::liveWorkers(), workersBefore);
  EXPECT_EQ(usage().threads, before.threads);
  EXPECT_EQ(usage().fds, before.fds);
}

const DeviceParam kDevices[] = {
    {"sequential", "sequential", 0},
    {"cpu2", "cpu", 2},
    {"cpu4", "cpu", 4},
};
INSTANTIATE_TEST_SUITE_P(Devices, ManyExecs, ::testing::ValuesIn(kDevices),
                         [](const auto &info) { return std::string(info.param.name); });

} // namespace
} // namespace parawasm::test
