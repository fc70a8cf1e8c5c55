// The Chrome trace writer: spans from many threads, argument escaping, the event cap, and a
// disabled trace that records nothing.
#include "support/trace.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

using namespace parawasm::support;

namespace {

std::string readAll(const std::string &path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

size_t count(const std::string &text, const std::string &needle) {
  size_t n = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
    ++n;
  return n;
}

std::string tempPath(const char *name) {
  return (std::filesystem::temp_directory_path() / (std::string("pw_trace_") + name)).string();
}

} // namespace

TEST(Trace, DisabledTraceRecordsNothing) {
  Trace off("");
  TraceSpan s(&off, "x");
  s.arg("a", 1);
  TraceSpan n(nullptr, "y");
  EXPECT_FALSE(s.active());
  EXPECT_FALSE(n.active());
}

TEST(Trace, SpansFromManyThreadsAreAllWritten) {
  std::string path = tempPath("threads.json");
  {
    Trace trace(path, "trace_test");
    trace.nameThread("main");
    TraceSpan all(&trace, "all", "test");
    all.arg("name", "quote\" back\\ nl\n").arg("pi", 3.5).arg("ok", true).arg("neg", -5);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&, t] {
        trace.nameThread("worker " + std::to_string(t));
        for (int i = 0; i < 250; ++i) {
          TraceSpan s(&trace, "chunk", "test");
          s.arg("i", i);
        }
      });
    for (auto &t : threads) t.join();
    trace.instant("done", "test");
  }
  std::string json = readAll(path);
  ASSERT_FALSE(json.empty());
  EXPECT_NE(json.find("\"traceEvents\": ["), std::string::npos) << json.substr(0, 80);
  EXPECT_EQ(count(json, "\"name\": \"chunk\""), 1000u);
  EXPECT_NE(json.find("quote\\\" back\\\\ nl\\n"), std::string::npos); // escaped, still JSON
  EXPECT_NE(json.find("worker 3"), std::string::npos);
  if (!HasFailure()) std::filesystem::remove(path);
}

TEST(Trace, TheEventCapCountsWhatItDrops) {
  std::string path = tempPath("cap.json");
  Trace trace(path);
  trace.setMaxEvents(10);
  for (int i = 0; i < 25; ++i) TraceSpan s(&trace, "e");
  EXPECT_EQ(trace.droppedEvents(), 15u);
  EXPECT_TRUE(trace.flush());
  std::filesystem::remove(path);
}
