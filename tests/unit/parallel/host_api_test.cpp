// The five calls end to end, through a guest instance, on every CPU device: results, error codes
// and what the embedder learns about failures.
#include "harness.h"
#include "parallel/abi.h"
#include "parallel/host_api.h"
#include "parallel/kernel.h"

#include <cmath>
#include <thread>

namespace parawasm::test {
namespace {

using parallel::ErrorCode;
constexpr int32_t kRead = 0, kWrite = 1, kReadWrite = 2;

int32_t code(ErrorCode c) { return static_cast<int32_t>(c); }

// counts[i] += 1; meta = {n, block_size} (written by iteration 0). Iterations also do
// (i % 13) * 200 rounds of busy work, so their costs differ.
const std::string kCountKernel = kernelText(2, R"(
  (local $a i32) (local $k i32) (local $acc i32)
  (local.set $k (i32.mul (i32.rem_u (local.get $i) (i32.const 13)) (i32.const 200)))
  (block $done (loop $spin
    (br_if $done (i32.eqz (local.get $k)))
    (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (local.get $k)))
    (local.set $k (i32.sub (local.get $k) (i32.const 1)))
    (br $spin)))
  (local.set $a (i32.add (local.get $p0) (i32.shl (local.get $i) (i32.const 2))))
  (i32.store (local.get $a)
    (i32.add (i32.load (local.get $a)) (i32.add (i32.const 1) (i32.mul (local.get $acc) (i32.const 0)))))
  (if (i32.eqz (local.get $i)) (then
    (i32.store (local.get $p1) (local.get $n))
    (i32.store offset=4 (local.get $p1) (local.get $bs)))))");

// out[i] = some f64 arithmetic of in[i] (no fused multiply-add in Wasm: bit-exact everywhere).
const std::string kFloatKernel = kernelText(2, R"(
  (local $x f64) (local $o i32)
  (local.set $x (f64.load (i32.add (local.get $p0) (i32.shl (local.get $i) (i32.const 3)))))
  (local.set $o (i32.add (local.get $p1) (i32.shl (local.get $i) (i32.const 3))))
  (f64.store (local.get $o)
    (f64.add
      (f64.div (f64.sqrt (f64.add (local.get $x) (f64.const 1)))
               (f64.add (f64.mul (local.get $x) (local.get $x)) (f64.const 3)))
      (f64.mul (local.get $x) (f64.const 0.1)))))");

// Traps at the iteration whose id is in[0]; marks every iteration it finishes in out.
const std::string kTrapAtKernel = kernelText(2, R"(
  (if (i32.eq (local.get $i) (i32.load (local.get $p0))) (then unreachable))
  (i32.store8 (i32.add (local.get $p1) (local.get $i)) (i32.const 1)))");

struct Fixture : ::testing::TestWithParam<DeviceParam> {
  void SetUp() override {
    ParallelConfig config;
    config.device = GetParam().device;
    config.threads = GetParam().threads;
    guest = Guest::make(config);
    ASSERT_TRUE(guest);
    dev = guest->device(1); // forced: every hint gives the device under test
  }
  uint32_t kernel(const std::string &text, uint32_t *len) {
    auto bytes = wat(text);
    *len = uint32_t(bytes.size());
    return guest->place(bytes);
  }
  std::unique_ptr<Guest> guest;
  int32_t dev = 0;
};

TEST_P(Fixture, EveryIterationRunsExactlyOnce) {
  uint32_t klen;
  uint32_t k = kernel(kCountKernel, &klen);
  struct Shape {
    uint32_t n, block;
  } shapes[] = {{1, 1}, {1000, 1}, {1000, 7}, {1000, 0}, {1000, 5000}, {4099, 64}, {65, 16}};
  for (Shape s : shapes) {
    uint32_t counts = guest->alloc(s.n * 4), meta = guest->alloc(8);
    std::memset(guest->mem() + counts, 0, s.n * 4);
    int32_t c = guest->buffer(dev, counts, s.n * 4, kReadWrite);
    int32_t m = guest->buffer(dev, meta, 8, kWrite);
    ASSERT_EQ(guest->exec(dev, k, klen, s.n, s.block, {}, {c, m}), 0);
    ASSERT_EQ(guest->call("read_buffer", {c, int32_t(counts), int32_t(s.n * 4)}), 0);
    int wrong = 0;
    for (uint32_t i = 0; i < s.n; ++i)
      wrong += guest->read<int32_t>(counts + 4 * i) != 1;
    EXPECT_EQ(wrong, 0) << "n=" << s.n << " block=" << s.block;
    EXPECT_EQ(guest->read<uint32_t>(meta), s.n);
    EXPECT_EQ(guest->read<uint32_t>(meta + 4), s.block) << "block_size reaches the kernel as is";
  }
}

TEST_P(Fixture, ZeroIterationsRunNothing) {
  uint32_t klen;
  uint32_t k = kernel(kCountKernel, &klen);
  uint32_t counts = guest->alloc(16), meta = guest->alloc(8);
  guest->write<int32_t>(meta, -5);
  int32_t c = guest->buffer(dev, counts, 16, kReadWrite), m = guest->buffer(dev, meta, 8, kWrite);
  EXPECT_EQ(guest->exec(dev, k, klen, 0, 4, {}, {c, m}), 0);
  EXPECT_EQ(guest->read<int32_t>(meta), -5);
}

TEST_P(Fixture, FloatResultsMatchTheSequentialDeviceBitForBit) {
  const uint32_t n = 3001;
  std::vector<double> input(n);
  for (uint32_t i = 0; i < n; ++i)
    input[i] = double(i) * 0.37;
  uint32_t klen;
  uint32_t k = kernel(kFloatKernel, &klen);
  uint32_t in = guest->placeArray(input), out = guest->alloc(n * 8);
  int32_t bi = guest->buffer(dev, in, n * 8, kRead), bo = guest->buffer(dev, out, n * 8, kWrite);
  ASSERT_EQ(guest->exec(dev, k, klen, n, 32, {bi}, {bo}), 0);
  ASSERT_EQ(guest->call("read_buffer", {bo, int32_t(out), int32_t(n * 8)}), 0);
  std::vector<double> got(n);
  std::memcpy(got.data(), guest->mem() + out, n * 8);

  // The same on a sequential device.
  ParallelConfig seq;
  seq.device = "sequential";
  auto other = Guest::make(seq);
  ASSERT_TRUE(other);
  int32_t sdev = other->device(0);
  auto bytes = wat(kFloatKernel);
  uint32_t sk = other->place(bytes);
  uint32_t sin = other->placeArray(input), sout = other->alloc(n * 8);
  int32_t sbi = other->buffer(sdev, sin, n * 8, kRead),
          sbo = other->buffer(sdev, sout, n * 8, kWrite);
  ASSERT_EQ(other->exec(sdev, sk, uint32_t(bytes.size()), n, 1, {sbi}, {sbo}), 0);
  EXPECT_EQ(std::memcmp(other->mem() + sout, got.data(), n * 8), 0);
  // And against the host's own arithmetic (Wasm f64 is IEEE binary64, no contraction).
  for (uint32_t i = 0; i < n; i += 97) {
    volatile double x = input[i];
    double want = std::sqrt(x + 1) / (x * x + 3) + x * 0.1;
    EXPECT_EQ(got[i], want) << i;
  }
}

TEST_P(Fixture, ATrapStopsTheExecAndTheDeviceStaysUsable) {
  const uint32_t n = 2000;
  uint32_t klen;
  uint32_t k = kernel(kTrapAtKernel, &klen);
  uint32_t trapAt = guest->alloc(4), done = guest->alloc(n);
  int32_t bt = guest->buffer(dev, trapAt, 4, kRead), bd = guest->buffer(dev, done, n, kWrite);
  for (uint32_t at : {0u, 5u, 1999u}) {
    guest->write<uint32_t>(trapAt, at);
    std::memset(guest->mem() + done, 0, n);
    guest->context->clearLastError();
    ASSERT_EQ(guest->exec(dev, k, klen, n, 8, {bt}, {bd}), code(ErrorCode::KernelTrapped));
    auto e = guest->context->lastError();
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->call, "parallel_exec");
    EXPECT_EQ(e->codeName, "kernel_trapped");
    EXPECT_EQ(e->trap, std::optional<TrapCode>(TrapCode::Unreachable));
    EXPECT_NE(e->message.find("unreachable"), std::string::npos) << e->message;
    EXPECT_NE(e->message.find("iteration"), std::string::npos) << e->message;
    EXPECT_EQ(guest->mem()[done + at], 0) << "the trapping iteration did not finish";
    if (std::string(GetParam().device) == "sequential") {
      // In order on one thread: everything before ran, nothing after.
      for (uint32_t i = 0; i < n; ++i)
        ASSERT_EQ(guest->mem()[done + i], i < at ? 1 : 0) << i;
    }
  }
  // No trap this time: all of them run.
  guest->write<uint32_t>(trapAt, n);
  std::memset(guest->mem() + done, 0, n);
  ASSERT_EQ(guest->exec(dev, k, klen, n, 8, {bt}, {bd}), 0);
  for (uint32_t i = 0; i < n; ++i)
    ASSERT_EQ(guest->mem()[done + i], 1) << i;
}

// Issue 14: a kernel may throw and catch; an exception it lets out stops the exec like a trap.
const std::string kThrowAtKernel = kernelText(2, R"(
  (i32.store8 (i32.add (local.get $p1) (local.get $i))
    (try (result i32)
      (do (throw $e (i32.const 1)))
      (catch $e)))
  (if (i32.eq (local.get $i) (i32.load (local.get $p0))) (then (throw $e (i32.const 2)))))",
                                              "(tag $e (param i32))");

TEST_P(Fixture, AnUncaughtExceptionStopsTheExec) {
  const uint32_t n = 500;
  uint32_t klen;
  uint32_t k = kernel(kThrowAtKernel, &klen);
  uint32_t throwAt = guest->alloc(4), done = guest->alloc(n);
  int32_t bt = guest->buffer(dev, throwAt, 4, kRead), bd = guest->buffer(dev, done, n, kWrite);
  guest->write<uint32_t>(throwAt, 7);
  guest->context->clearLastError();
  ASSERT_EQ(guest->exec(dev, k, klen, n, 8, {bt}, {bd}), code(ErrorCode::KernelTrapped));
  auto e = guest->context->lastError();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->trap, std::optional<TrapCode>(TrapCode::UncaughtException)) << e->message;
  // Caught inside each iteration: all of them run.
  guest->write<uint32_t>(throwAt, n);
  std::memset(guest->mem() + done, 0, n);
  ASSERT_EQ(guest->exec(dev, k, klen, n, 8, {bt}, {bd}), 0);
  for (uint32_t i = 0; i < n; ++i)
    ASSERT_EQ(guest->mem()[done + i], 1) << i;
}

TEST_P(Fixture, EveryKindOfTrapBecomesKernelTrapped) {
  struct Case {
    const char *body;
    const char *extra;
    TrapCode trap;
  } cases[] = {
      {"(unreachable)", "", TrapCode::Unreachable},
      {"(drop (i32.load (i32.const 0xfffffff0)))", "", TrapCode::MemoryOutOfBounds},
      {"(drop (i32.div_s (i32.const 1) (i32.sub (local.get $i) (local.get $i))))", "",
       TrapCode::IntegerDivideByZero},
      {"(drop (i32.trunc_f64_s (f64.const nan)))", "", TrapCode::InvalidConversionToInteger},
      // Not a tail call (sub does not commute), so the recursion really needs stack.
      {"(drop (call $down (i32.const 0)))",
       "(func $down (param i32) (result i32) (i32.sub (i32.load (i32.const 16))"
       " (call $down (i32.add (local.get 0) (i32.const 1)))))",
       TrapCode::CallStackExhausted},
  };
  for (const Case &c : cases) {
    uint32_t klen;
    uint32_t k = kernel(kernelText(0, c.body, c.extra), &klen);
    for (int round = 0; round < 2; ++round) {
      guest->context->clearLastError();
      EXPECT_EQ(guest->exec(dev, k, klen, 64, 4, {}, {}), code(ErrorCode::KernelTrapped)) << c.body;
      auto e = guest->context->lastError();
      ASSERT_TRUE(e.has_value());
      EXPECT_EQ(e->trap, std::optional<TrapCode>(c.trap)) << c.body << ": " << e->message;
    }
  }
}

TEST_P(Fixture, KernelGlobalsArePrivateToEachWorker) {
  // Each iteration parks its id in a global, works a while, then writes the global out: a global
  // shared between threads would show another iteration's id.
  const uint32_t n = 3000;
  uint32_t klen;
  uint32_t k =
      kernel(kernelText(1, R"(
    (local $k i32)
    (global.set $g (local.get $i))
    (local.set $k (i32.mul (i32.rem_u (local.get $i) (i32.const 7)) (i32.const 300)))
    (block $done (loop $spin
      (br_if $done (i32.eqz (local.get $k)))
      (global.set $h (i32.add (global.get $h) (local.get $k)))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $spin)))
    (i32.store (i32.add (local.get $p0) (i32.shl (local.get $i) (i32.const 2))) (global.get $g)))",
                        "(global $g (mut i32) (i32.const -1)) (global $h (mut i32) (i32.const 0))"),
             &klen);
  uint32_t out = guest->alloc(n * 4);
  int32_t b = guest->buffer(dev, out, n * 4, kWrite);
  ASSERT_EQ(guest->exec(dev, k, klen, n, 1, {}, {b}), 0);
  for (uint32_t i = 0; i < n; ++i)
    ASSERT_EQ(guest->read<uint32_t>(out + 4 * i), i);
}

TEST_P(Fixture, KernelsCannotGrowTheCallersMemory) {
  uint32_t klen;
  uint32_t k = kernel(kernelText(1, R"(
    (i32.store (i32.add (local.get $p0) (i32.shl (local.get $i) (i32.const 3))) (memory.grow (i32.const 1)))
    (i32.store offset=4 (i32.add (local.get $p0) (i32.shl (local.get $i) (i32.const 3))) (memory.size)))"),
                      &klen);
  uint64_t before = guest->memSize();
  uint32_t out = guest->alloc(16 * 8);
  int32_t b = guest->buffer(dev, out, 16 * 8, kWrite);
  ASSERT_EQ(guest->exec(dev, k, klen, 16, 2, {}, {b}), 0);
  for (uint32_t i = 0; i < 16; ++i) {
    EXPECT_EQ(guest->read<int32_t>(out + 8 * i), -1);
    EXPECT_EQ(guest->read<uint32_t>(out + 8 * i + 4), before / 65536);
  }
  EXPECT_EQ(guest->memSize(), before);
  // After the guest grows its memory, kernels see the new size.
  ASSERT_EQ(guest->call("grow", {2}), int32_t(before / 65536));
  ASSERT_EQ(guest->exec(dev, k, klen, 16, 2, {}, {b}), 0);
  EXPECT_EQ(guest->read<uint32_t>(out + 4), before / 65536 + 2);
}

TEST_P(Fixture, InvalidKernelsAreRefusedBeforeAnyIteration) {
  uint32_t out = guest->alloc(64);
  int32_t b = guest->buffer(dev, out, 64, kReadWrite);
  std::vector<std::vector<uint8_t>> bad = {
      {},
      {0, 'a', 's', 'm', 1, 0, 0, 0, 0xff},
      {'n', 'o', 'p', 'e'},
      wat(R"((module (import "env" "memory" (memory 0)) (import "env" "f" (func))
          (func (export "kernel") (param i32 i32 i32 i32 i32))))"),
      wat(R"((module (import "env" "memory" (memory 0)) (data (i32.const 0) "x")
          (func (export "kernel") (param i32 i32 i32 i32 i32))))"),
      wat(R"((module (import "env" "memory" (memory 0)) (func $s) (start $s)
          (func (export "kernel") (param i32 i32 i32 i32 i32))))"),
      wat(R"((module (import "env" "memory" (memory 0))
          (func (export "kernel") (param i32 i32 i32 i32 i32) (result i32) (i32.const 0))))"),
      wat(R"((module (import "env" "memory" (memory 0)) (func (export "kernel") (param i32 i32 i32 i64 i32))))"),
      wat(R"((module (func (export "kernel") (param i32 i32 i32 i32 i32))))"),
      wat(kernelText(1, "", "", "1000")), // needs more memory than the caller has
      wat(kernelText(1, "", "", "1 2")),  // allows less than the caller has
      wat(kernelText(2, "")),             // two buffers, the call passes one
      wat(kernelText(0, "")),             // none
  };
  for (size_t i = 0; i < bad.size(); ++i) {
    uint32_t k = guest->place(bad[i]);
    std::memset(guest->mem() + out, 0x5a, 64);
    guest->context->clearLastError();
    EXPECT_EQ(guest->exec(dev, k, uint32_t(bad[i].size()), 16, 1, {}, {b}),
              code(ErrorCode::InvalidKernel))
        << "kernel " << i;
    auto e = guest->context->lastError();
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->codeName, "invalid_kernel");
    EXPECT_FALSE(e->message.empty());
    EXPECT_EQ(guest->mem()[out], 0x5a);
  }
  // Accepted: other import names, shared or unshared, limits that fit.
  for (const char *memType : {"1 8", "4", "0 65536 shared"}) {
    auto bytes = wat(kernelText(1, "", "", memType));
    uint32_t k = guest->place(bytes);
    EXPECT_EQ(guest->exec(dev, k, uint32_t(bytes.size()), 16, 1, {}, {b}), 0) << memType;
  }
}

TEST_P(Fixture, BadArgumentsGetTheirErrorCodes) {
  uint32_t klen;
  uint32_t k = kernel(kernelText(1, ""), &klen);
  uint32_t data = guest->alloc(64);
  uint32_t out = guest->alloc(4);
  const int32_t far = int32_t(0xfffffff0u);
  int32_t end = int32_t(guest->memSize() - 8);
  auto call = [&](const char *f, std::vector<int32_t> a) { return guest->call(f, a); };

  EXPECT_EQ(call("get_device", {4, int32_t(out)}), code(ErrorCode::InvalidArgument));
  EXPECT_EQ(call("get_device", {-1, int32_t(out)}), code(ErrorCode::InvalidArgument));
  EXPECT_EQ(call("get_device", {1, far}), code(ErrorCode::BufferOutOfBounds));
  EXPECT_EQ(call("get_device", {1, end + 6}), code(ErrorCode::BufferOutOfBounds));

  EXPECT_EQ(call("create_buffer", {0x7eadbeef, 16, kRead, int32_t(out)}),
            code(ErrorCode::InvalidHandle));
  EXPECT_EQ(call("create_buffer", {0, 16, kRead, int32_t(out)}), code(ErrorCode::InvalidHandle));
  EXPECT_EQ(call("create_buffer", {dev, 16, 3, int32_t(out)}), code(ErrorCode::InvalidArgument));
  EXPECT_EQ(call("create_buffer", {dev, 16, -1, int32_t(out)}), code(ErrorCode::InvalidArgument));
  EXPECT_EQ(call("create_buffer", {dev, 16, kRead, far}), code(ErrorCode::BufferOutOfBounds));
  EXPECT_EQ(call("create_buffer", {dev, 16, kReadWrite, int32_t(out)}), 0);
  int32_t b = guest->read<int32_t>(out);
  EXPECT_NE(b, dev);
  // A device handle is not a buffer handle, nor the other way round.
  EXPECT_EQ(call("write_buffer", {int32_t(data), 16, dev}), code(ErrorCode::InvalidHandle));
  EXPECT_EQ(call("create_buffer", {b, 16, kRead, int32_t(out)}), code(ErrorCode::InvalidHandle));

  EXPECT_EQ(call("read_buffer", {b, int32_t(data), 16}), code(ErrorCode::InvalidArgument))
      << "unbound";
  EXPECT_EQ(call("write_buffer", {int32_t(data), 15, b}), code(ErrorCode::InvalidArgument));
  EXPECT_EQ(call("write_buffer", {far, 16, b}), code(ErrorCode::BufferOutOfBounds));
  EXPECT_EQ(call("write_buffer", {end, 16, b}), code(ErrorCode::BufferOutOfBounds));
  EXPECT_EQ(call("write_buffer", {-1, 16, b}), code(ErrorCode::BufferOutOfBounds));
  EXPECT_EQ(call("write_buffer", {int32_t(data), 16, b}), 0);
  EXPECT_EQ(call("read_buffer", {b, far, 16}), code(ErrorCode::BufferOutOfBounds));
  EXPECT_EQ(call("read_buffer", {b, int32_t(data), 17}), code(ErrorCode::InvalidArgument));
  EXPECT_EQ(call("read_buffer", {12345, int32_t(data), 16}), code(ErrorCode::InvalidHandle));

  // Overlapping read_buffer into another region behaves like memmove.
  for (int i = 0; i < 16; ++i)
    guest->mem()[data + i] = uint8_t(i);
  EXPECT_EQ(call("read_buffer", {b, int32_t(data + 4), 16}), 0);
  for (int i = 0; i < 16; ++i)
    EXPECT_EQ(guest->mem()[data + 4 + i], i);

  // Zero-size buffers and empty regions, even at the very end of memory.
  EXPECT_EQ(call("create_buffer", {dev, 0, kRead, int32_t(out)}), 0);
  int32_t empty = guest->read<int32_t>(out);
  EXPECT_EQ(call("write_buffer", {int32_t(guest->memSize()), 0, empty}), 0);
  EXPECT_EQ(call("write_buffer", {int32_t(guest->memSize() + 1), 0, empty}),
            code(ErrorCode::BufferOutOfBounds));

  uint32_t list = guest->placeArray(std::vector<int32_t>{b});
  auto exec = [&](int32_t d, int32_t kp, int32_t kl, int32_t n, int32_t bs, int32_t ip, int32_t il,
                  int32_t op, int32_t ol) {
    return call("parallel_exec", {d, kp, kl, n, bs, ip, il, op, ol});
  };
  int32_t L = int32_t(list);
  EXPECT_EQ(exec(dev, int32_t(k), int32_t(klen), 8, 1, 0, 0, L, 1), 0);
  EXPECT_EQ(exec(0x7eadbeef, int32_t(k), int32_t(klen), 8, 1, 0, 0, L, 1),
            code(ErrorCode::InvalidHandle));
  EXPECT_EQ(exec(dev, far, int32_t(klen), 8, 1, 0, 0, L, 1), code(ErrorCode::BufferOutOfBounds));
  EXPECT_EQ(exec(dev, int32_t(k), -1, 8, 1, 0, 0, L, 1), code(ErrorCode::BufferOutOfBounds));
  EXPECT_EQ(exec(dev, int32_t(k), int32_t(klen), 8, 1, far, 1, L, 0),
            code(ErrorCode::BufferOutOfBounds));
  EXPECT_EQ(exec(dev, int32_t(k), int32_t(klen), 8, 1, 0, 0, L, 0x40000001),
            code(ErrorCode::BufferOutOfBounds));
  EXPECT_EQ(exec(dev, int32_t(k), int32_t(klen), int32_t(0x80000000u), 1, 0, 0, L, 1),
            code(ErrorCode::InvalidArgument));
  uint32_t bogus = guest->placeArray(std::vector<int32_t>{0x7eadbeef});
  EXPECT_EQ(exec(dev, int32_t(k), int32_t(klen), 8, 1, 0, 0, int32_t(bogus), 1),
            code(ErrorCode::InvalidHandle));
  uint32_t devAsBuffer = guest->placeArray(std::vector<int32_t>{dev});
  EXPECT_EQ(exec(dev, int32_t(k), int32_t(klen), 8, 1, 0, 0, int32_t(devAsBuffer), 1),
            code(ErrorCode::InvalidHandle));
  // Access kinds are transfer hints, not a gate: a read buffer may be an output and a write
  // buffer an input (the Wasmtime prototype's programs list every buffer as an input).
  int32_t ro = guest->buffer(dev, data, 8, kRead), wo = guest->buffer(dev, data, 8, kWrite);
  uint32_t roList = guest->placeArray(std::vector<int32_t>{ro});
  uint32_t woList = guest->placeArray(std::vector<int32_t>{wo});
  EXPECT_EQ(exec(dev, int32_t(k), int32_t(klen), 8, 1, 0, 0, int32_t(roList), 1), 0);
  EXPECT_EQ(exec(dev, int32_t(k), int32_t(klen), 8, 1, int32_t(woList), 1, 0, 0), 0);
  EXPECT_EQ(exec(dev, int32_t(k), int32_t(klen), 8, 1, int32_t(roList), 1, 0, 0), 0);
  EXPECT_EQ(exec(dev, int32_t(k), int32_t(klen), 8, 1, 0, 0, int32_t(woList), 1), 0);
  // Unaligned handle lists are fine.
  uint32_t odd = guest->alloc(8) + 1;
  guest->write<int32_t>(odd, b);
  EXPECT_EQ(exec(dev, int32_t(k), int32_t(klen), 8, 1, 0, 0, int32_t(odd), 1), 0);
}

TEST_P(Fixture, BuffersOfAnotherDeviceAreRefused) {
  // An unforced context has both CPU devices.
  auto g = Guest::make(ParallelConfig{"", GetParam().threads, "", false});
  ASSERT_TRUE(g);
  int32_t seq = g->device(0), cpu = g->device(1);
  ASSERT_NE(seq, cpu);
  EXPECT_EQ(g->device(2), cpu) << "no GPU here: discrete_gpu falls back to cpu";
  EXPECT_EQ(g->device(3), cpu);
  auto bytes = wat(kernelText(1, ""));
  uint32_t k = g->place(bytes), data = g->alloc(16);
  int32_t b = g->buffer(seq, data, 16, kReadWrite);
  EXPECT_EQ(g->exec(cpu, k, uint32_t(bytes.size()), 4, 1, {b}, {}),
            code(ErrorCode::InvalidArgument));
  EXPECT_EQ(g->exec(seq, k, uint32_t(bytes.size()), 4, 1, {b}, {}), 0);
}

TEST_P(Fixture, OneBufferMayAppearSeveralTimes) {
  auto bytes = wat(kernelText(2, R"(
    (i32.store (i32.add (local.get $p1) (i32.shl (local.get $i) (i32.const 2)))
      (i32.add (i32.load (i32.add (local.get $p0) (i32.shl (local.get $i) (i32.const 2))))
               (i32.const 1))))"));
  uint32_t k = guest->place(bytes), data = guest->alloc(400);
  for (int i = 0; i < 100; ++i)
    guest->write<int32_t>(data + 4 * i, i);
  int32_t b = guest->buffer(dev, data, 400, kReadWrite);
  ASSERT_EQ(guest->exec(dev, k, uint32_t(bytes.size()), 100, 3, {b}, {b}), 0);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(guest->read<int32_t>(data + 4 * i), i + 1);
}

TEST_P(Fixture, AKernelIsLoadedOnceAndCompiledOnce) {
  auto bytes = wat(kernelText(1, "(drop (i32.const 1))"));
  auto &cache = guest->context->host().kernels();
  uint32_t data = guest->alloc(16);
  int32_t b = guest->buffer(dev, data, 16, kWrite);
  auto before = cache.stats();
  for (int copy = 0; copy < 3; ++copy) {
    uint32_t k = guest->place(bytes); // the same bytes at another address
    for (int i = 0; i < 20; ++i)
      ASSERT_EQ(guest->exec(dev, k, uint32_t(bytes.size()), 4, 1, {}, {b}), 0);
  }
  auto after = cache.stats();
  EXPECT_EQ(after.loads - before.loads, 1u);
  EXPECT_EQ(after.lookups - before.lookups, 60u);
  // The same bytes changed in place are a different kernel.
  uint32_t k = guest->place(bytes);
  auto changed = wat(kernelText(1, "(drop (i32.const 2))"));
  ASSERT_EQ(changed.size(), bytes.size());
  std::memcpy(guest->mem() + k, changed.data(), changed.size());
  ASSERT_EQ(guest->exec(dev, k, uint32_t(changed.size()), 4, 1, {}, {b}), 0);
  EXPECT_EQ(cache.stats().loads - after.loads, 1u);
}

TEST_P(Fixture, InstancesWithTheirOwnMemoriesShareOneContext) {
  auto sibling = guest->sibling("(memory (export \"memory\") 2)");
  ASSERT_TRUE(sibling);
  auto bytes = wat(kCountKernel);
  Guest *gs[] = {guest.get(), sibling.get()};
  uint32_t ks[2], counts[2], metas[2];
  int32_t cs[2], ms[2];
  for (int g = 0; g < 2; ++g) {
    ks[g] = gs[g]->place(bytes);
    counts[g] = gs[g]->alloc(400);
    metas[g] = gs[g]->alloc(8);
    std::memset(gs[g]->mem() + counts[g], 0, 400);
    cs[g] = gs[g]->buffer(dev, counts[g], 400, kReadWrite);
    ms[g] = gs[g]->buffer(dev, metas[g], 8, kWrite);
  }
  for (int round = 0; round < 3; ++round)
    for (int g = 0; g < 2; ++g)
      ASSERT_EQ(gs[g]->exec(dev, ks[g], uint32_t(bytes.size()), 100, 9, {}, {cs[g], ms[g]}), 0);
  for (int g = 0; g < 2; ++g)
    for (int i = 0; i < 100; ++i)
      EXPECT_EQ(gs[g]->read<int32_t>(counts[g] + 4 * i), 3);

  // A handle bound in a bigger memory, used by an instance whose memory is smaller.
  uint32_t high = uint32_t(guest->memSize() - 64);
  int32_t far = guest->buffer(dev, high, 64, kReadWrite);
  EXPECT_EQ(sibling->exec(dev, ks[1], uint32_t(bytes.size()), 1, 1, {}, {far, ms[1]}),
            code(ErrorCode::BufferOutOfBounds));
  EXPECT_EQ(sibling->call("read_buffer", {far, 0, 64}), code(ErrorCode::BufferOutOfBounds));
}

TEST_P(Fixture, GuestsOnSeveralThreadsAtOnce) {
  auto sibling = guest->sibling();
  ASSERT_TRUE(sibling);
  auto bytes = wat(kCountKernel);
  auto work = [&](Guest *g, int *failures) {
    uint32_t k = g->place(bytes), counts = g->alloc(4000), meta = g->alloc(8);
    std::memset(g->mem() + counts, 0, 4000);
    int32_t c = g->buffer(dev, counts, 4000, kReadWrite), m = g->buffer(dev, meta, 8, kWrite);
    uint32_t list = g->placeArray(std::vector<int32_t>{c, m});
    int32_t err = g->call("exec_loop", {50, dev, int32_t(k), int32_t(bytes.size()), 1000, 16, 0, 0,
                                        int32_t(list), 2});
    *failures += err != 0;
    for (int i = 0; i < 1000; ++i)
      *failures += g->read<int32_t>(counts + 4 * i) != 50;
  };
  int f1 = 0, f2 = 0;
  std::thread t1(work, guest.get(), &f1), t2(work, sibling.get(), &f2);
  t1.join();
  t2.join();
  EXPECT_EQ(f1, 0);
  EXPECT_EQ(f2, 0);
}

const DeviceParam kDevices[] = {
    {"sequential", "sequential", 0},
    {"cpu1", "cpu", 1},
    {"cpu2", "cpu", 2},
    {"cpu5", "cpu", 5},
};
INSTANTIATE_TEST_SUITE_P(Devices, Fixture, ::testing::ValuesIn(kDevices),
                         [](const auto &info) { return std::string(info.param.name); });

} // namespace
} // namespace parawasm::test
