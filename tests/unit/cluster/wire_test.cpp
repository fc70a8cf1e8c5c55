// The cluster protocol's messages (src/cluster/wire.h), without MPI.
#include "cluster/wire.h"

#include <gtest/gtest.h>

namespace parawasm::cluster {
namespace {

std::vector<uint8_t> bytes(std::initializer_list<int> v) { return {v.begin(), v.end()}; }

TEST(ClusterWire, LaunchPartRoundTrip) {
  const auto kernel = bytes({0, 'a', 's', 'm'});
  const auto contents = bytes({1, 2, 3, 4, 5, 6});
  LaunchPart part;
  part.kernelHash = 0x1234;
  part.kernelBytes = kernel;
  part.forgetKernels = true;
  part.memorySize = 65536;
  part.numIterations = 100;
  part.first = 10;
  part.last = 60;
  part.blockSize = 7;
  part.fuel = 99;
  part.buffers = {{16, 4, 1, true, false}, {20, 2, 3, false, true}};
  part.windowStart = 0;
  part.windowEnd = 65536;
  part.regions = {{16, std::span(contents).first(4)}, {0, {}}};
  std::vector<uint8_t> message;
  encode(part, message);
  LaunchPart back;
  ASSERT_EQ(decode(message, back), std::nullopt);
  EXPECT_EQ(back.kernelHash, 0x1234u);
  EXPECT_EQ(std::vector<uint8_t>(back.kernelBytes.begin(), back.kernelBytes.end()), kernel);
  EXPECT_TRUE(back.forgetKernels);
  EXPECT_EQ(back.first, 10u);
  EXPECT_EQ(back.last, 60u);
  EXPECT_EQ(back.fuel, 99);
  ASSERT_EQ(back.buffers.size(), 2u);
  EXPECT_TRUE(back.buffers[0].copyIn);
  EXPECT_FALSE(back.buffers[0].copyOut);
  EXPECT_FALSE(back.buffers[1].copyIn);
  EXPECT_TRUE(back.buffers[1].copyOut);
  EXPECT_EQ(back.buffers[1].access, 3);
  EXPECT_EQ(back.windowEnd, 65536u);
  ASSERT_EQ(back.regions.size(), 2u);
  EXPECT_EQ(back.regions[0].address, 16u);
  EXPECT_EQ(std::vector<uint8_t>(back.regions[0].bytes.begin(), back.regions[0].bytes.end()),
            bytes({1, 2, 3, 4}));
  EXPECT_TRUE(back.regions[1].bytes.empty());

  // Every truncation is refused, never read past the end.
  for (size_t n = 0; n < message.size(); ++n) {
    LaunchPart cut;
    EXPECT_NE(decode(std::span<const uint8_t>(message.data(), n), cut), std::nullopt) << n;
  }
}

TEST(ClusterWire, LaunchPartInconsistenciesAreRefused) {
  LaunchPart part;
  part.memorySize = 64;
  part.numIterations = 10;
  part.last = 10;
  part.buffers = {{60, 8, 0, true, true}}; // past the memory's end
  std::vector<uint8_t> message;
  encode(part, message);
  LaunchPart back;
  EXPECT_EQ(decode(message, back), "launch message: a buffer lies outside the memory");

  part.buffers.clear();
  part.first = 11; // first > last
  message.clear();
  encode(part, message);
  EXPECT_EQ(decode(message, back), "launch message: the iteration range is inconsistent");

  part.first = 0;
  part.buffers = {{4, 8, 0, true, true}};
  part.windowStart = 8; // does not cover the buffer
  part.windowEnd = 16;
  message.clear();
  encode(part, message);
  EXPECT_EQ(decode(message, back), "launch message: the memory window is inconsistent");

  part.buffers.clear();
  const auto three = bytes({1, 2, 3});
  part.regions = {{14, three}}; // reaches past the window
  message.clear();
  encode(part, message);
  EXPECT_EQ(decode(message, back), "launch message: the memory window is inconsistent");
}

TEST(ClusterWire, ReplyAndHelloRoundTrip) {
  const auto changed = bytes({9, 8, 7});
  PartReply reply;
  reply.code = 5;
  reply.trap = 2;
  reply.message = "unreachable in iteration 7";
  reply.runs = {{0, 1}, {10, 2}};
  reply.changed = changed;
  const auto previous = bytes({0, 0, 0});
  reply.previous = previous;
  std::vector<uint8_t> message;
  encode(reply, message);
  PartReply back;
  ASSERT_EQ(decode(message, back), std::nullopt);
  EXPECT_EQ(back.code, 5u);
  EXPECT_EQ(back.trap, 2);
  EXPECT_EQ(back.message, reply.message);
  ASSERT_EQ(back.runs.size(), 2u);
  EXPECT_EQ(back.runs[1].offset, 10u);
  EXPECT_EQ(back.changed.size(), 3u);
  EXPECT_EQ(back.previous.size(), 3u);
  message.pop_back();
  EXPECT_NE(decode(message, back), std::nullopt);

  Hello hello{8, "cpu", "8 threads"}, hello2;
  message.clear();
  encode(hello, message);
  ASSERT_EQ(decode(message, hello2), std::nullopt);
  EXPECT_EQ(hello2.concurrency, 8u);
  EXPECT_EQ(hello2.details, "8 threads");
}

} // namespace
} // namespace parawasm::cluster
