// A Chrome trace-event writer (chrome://tracing, ui.perfetto.dev; docs/trace.md): complete
// events ("ph": "X") with begin time, duration, thread id, name, category and arguments, plus
// instants and thread names. Recording is thread-safe; the JSON file is written on flush(), by
// the destructor, and at process exit for any trace still alive.
//
//   support::Trace trace(path);                        // empty path: disabled
//   {
//     support::TraceSpan span(&trace, "parallel_exec", "wasi-parallel");
//     span.arg("iterations", n).arg("device", "cpu"); // no work unless enabled
//     ...
//   }                                                   // the span ends here
//
// A disabled trace (empty path, or a null Trace pointer) costs one branch per span.
#pragma once

#include "parawasm/types.h"

#include <atomic>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace parawasm::support {

// The "args" object of an event, rendered as JSON as it is built.
class TraceArgs {
public:
  TraceArgs &add(std::string_view key, std::string_view value);
  TraceArgs &add(std::string_view key, const char *value) {
    return add(key, std::string_view(value));
  }
  TraceArgs &add(std::string_view key, const std::string &value) {
    return add(key, std::string_view(value));
  }
  TraceArgs &add(std::string_view key, double value);
  TraceArgs &add(std::string_view key, bool value);
  template <std::integral T>
  requires(!std::same_as<T, bool>) TraceArgs &add(std::string_view key, T value) {
    if constexpr (std::is_signed_v<T>)
      return addInt(key, int64_t(value));
    else
      return addUint(key, uint64_t(value));
  }

  bool empty() const { return body_.empty(); }
  // The members, without the enclosing braces.
  const std::string &body() const { return body_; }

private:
  TraceArgs &addInt(std::string_view key, int64_t value);
  TraceArgs &addUint(std::string_view key, uint64_t value);
  void addKey(std::string_view key);
  std::string body_;
};

class Trace {
public:
  // Records into `path` (written on flush/destruction/exit); an empty path disables the trace.
  explicit Trace(std::string path, std::string processName = "parawasm");
  ~Trace(); // flushes; a failure is reported on stderr
  Trace(const Trace &) = delete;
  Trace &operator=(const Trace &) = delete;

  bool enabled() const { return enabled_; }
  const std::string &path() const { return path_; }

  // Microseconds since the trace was made: the timestamps of every event.
  double nowUs() const {
    return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - origin_)
        .count();
  }

  // A complete event on the calling thread (or on `tid`, for work measured elsewhere).
  void complete(std::string_view name, std::string_view category, double startUs, double endUs,
                const TraceArgs &args = {});
  void complete(std::string_view name, std::string_view category, double startUs, double endUs,
                const TraceArgs &args, uint64_t tid);
  // A point in time on the calling thread.
  void instant(std::string_view name, std::string_view category, const TraceArgs &args = {});
  // Names the calling thread in the viewer ("worker 3"); by default a thread shows its OS name
  // (pthread_setname_np) as it was when the thread first recorded into this trace.
  void nameThread(std::string_view name);

  // Writes every event recorded so far (the whole file, replacing it atomically).
  Result<void> flush();

  // Events past this many are dropped (and counted in the file's "otherData"), so that tracing
  // a long run cannot exhaust memory.
  static constexpr uint64_t kDefaultMaxEvents = 1'000'000;
  void setMaxEvents(uint64_t max) { maxEvents_ = max; }
  uint64_t droppedEvents() const { return dropped_.load(std::memory_order_relaxed); }

  // The id the calling thread's events carry (the OS thread id).
  static uint64_t currentThreadId();

private:
  struct Event {
    std::string name, category;
    char phase; // 'X' complete, 'i' instant
    double ts, dur;
    uint64_t tid;
    std::string args;
  };
  struct ThreadBuffer {
    uint64_t tid;
    std::mutex mutex; // taken by its thread per event (uncontended) and by flush
    std::string name; // the thread's name in the viewer
    std::vector<Event> events;
  };
  ThreadBuffer &buffer();
  void record(Event event);

  bool enabled_;
  std::string path_;
  std::string processName_;
  uint64_t id_; // unique per trace, so a thread's cached buffer never outlives its trace
  std::chrono::steady_clock::time_point origin_;
  std::atomic<uint64_t> maxEvents_{kDefaultMaxEvents};
  std::atomic<uint64_t> recorded_{0}, dropped_{0};
  std::mutex mutex_; // guards buffers_ and serialises flushes
  std::vector<std::unique_ptr<ThreadBuffer>> buffers_;
};

// A complete event from construction to end() or destruction. Arguments added with arg() cost
// nothing when the trace is disabled.
class TraceSpan {
public:
  TraceSpan(Trace *trace, std::string_view name, std::string_view category = "parawasm");
  ~TraceSpan() { end(); }
  TraceSpan(const TraceSpan &) = delete;
  TraceSpan &operator=(const TraceSpan &) = delete;

  bool active() const { return trace_ != nullptr; }
  template <typename T> TraceSpan &arg(std::string_view key, const T &value) {
    if (trace_)
      args_.add(key, value);
    return *this;
  }
  void end();

private:
  Trace *trace_; // null when disabled or ended
  std::string name_, category_;
  double start_ = 0;
  TraceArgs args_;
};

// `text` as the inside of a JSON string.
std::string jsonEscape(std::string_view text);

} // namespace parawasm::support
