#include "support/trace.h"

#include "support/file_io.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace parawasm::support {
namespace {

std::atomic<uint64_t> nextTraceId{1};

// Traces alive now, flushed by an atexit handler: a guest or host that ends the process with
// exit() skips the destructors of traces owned by frames on the stack.
struct LiveTraces {
  std::mutex mutex;
  std::vector<Trace *> traces;
};
LiveTraces &liveTraces() {
  static LiveTraces *live = new LiveTraces; // never destroyed: atexit handlers may still use it
  return *live;
}

void flushLiveTraces() {
  LiveTraces &live = liveTraces();
  std::lock_guard lock(live.mutex);
  for (Trace *trace : live.traces)
    if (auto r = trace->flush(); !r)
      std::fprintf(stderr, "parawasm: warning: %s\n", r.error().message().c_str());
}

void appendNumber(std::string &out, double value) {
  if (!std::isfinite(value)) {
    out += "null"; // JSON has no NaN or infinity
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, r.ptr);
}

void appendFixed(std::string &out, double value) {
  char buf[40];
  int n = std::snprintf(buf, sizeof buf, "%.3f", value);
  out.append(buf, size_t(n));
}

} // namespace

std::string jsonEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(c));
        out += buf;
      } else {
        out += c;
      }
    }
  }
  return out;
}

void TraceArgs::addKey(std::string_view key) {
  if (!body_.empty())
    body_ += ", ";
  body_ += '"';
  body_ += jsonEscape(key);
  body_ += "\": ";
}

TraceArgs &TraceArgs::add(std::string_view key, std::string_view value) {
  addKey(key);
  body_ += '"';
  body_ += jsonEscape(value);
  body_ += '"';
  return *this;
}

TraceArgs &TraceArgs::add(std::string_view key, double value) {
  addKey(key);
  appendNumber(body_, value);
  return *this;
}

TraceArgs &TraceArgs::add(std::string_view key, bool value) {
  addKey(key);
  body_ += value ? "true" : "false";
  return *this;
}

TraceArgs &TraceArgs::addInt(std::string_view key, int64_t value) {
  addKey(key);
  body_ += std::to_string(value);
  return *this;
}

TraceArgs &TraceArgs::addUint(std::string_view key, uint64_t value) {
  addKey(key);
  body_ += std::to_string(value);
  return *this;
}

Trace::Trace(std::string path, std::string processName)
    : enabled_(!path.empty()), path_(std::move(path)), processName_(std::move(processName)),
      id_(nextTraceId.fetch_add(1)), origin_(std::chrono::steady_clock::now()) {
  if (!enabled_)
    return;
  static std::once_flag registered;
  std::call_once(registered, [] {
    std::atexit(flushLiveTraces);
    std::at_quick_exit(flushLiveTraces); // how `parawasm run` ends
  });
  LiveTraces &live = liveTraces();
  std::lock_guard lock(live.mutex);
  live.traces.push_back(this);
}

Trace::~Trace() {
  if (!enabled_)
    return;
  {
    LiveTraces &live = liveTraces();
    std::lock_guard lock(live.mutex);
    std::erase(live.traces, this);
  }
  if (auto r = flush(); !r)
    std::fprintf(stderr, "parawasm: warning: %s\n", r.error().message().c_str());
}

uint64_t Trace::currentThreadId() {
  thread_local uint64_t tid = uint64_t(::syscall(SYS_gettid));
  return tid;
}

Trace::ThreadBuffer &Trace::buffer() {
  // One buffer per thread and trace, so recording never contends with other threads. Trace ids
  // are never reused, so an entry of a destroyed trace is never matched again; the cache stays
  // small, and a trace evicted from it just gets a second buffer on this thread.
  struct Cached {
    uint64_t traceId;
    ThreadBuffer *buffer;
  };
  thread_local std::vector<Cached> cache;
  for (const Cached &c : cache)
    if (c.traceId == id_)
      return *c.buffer;
  auto made = std::make_unique<ThreadBuffer>();
  made->tid = currentThreadId();
  char name[64] = {};
  if (pthread_getname_np(pthread_self(), name, sizeof name) == 0)
    made->name = name;
  ThreadBuffer *b = made.get();
  {
    std::lock_guard lock(mutex_);
    buffers_.push_back(std::move(made));
  }
  if (cache.size() >= 8)
    cache.erase(cache.begin());
  cache.push_back({id_, b});
  return *b;
}

void Trace::record(Event event) {
  if (recorded_.fetch_add(1, std::memory_order_relaxed) >=
      maxEvents_.load(std::memory_order_relaxed)) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  ThreadBuffer &b = buffer();
  std::lock_guard lock(b.mutex);
  b.events.push_back(std::move(event));
}

void Trace::complete(std::string_view name, std::string_view category, double startUs, double endUs,
                     const TraceArgs &args) {
  complete(name, category, startUs, endUs, args, currentThreadId());
}

void Trace::complete(std::string_view name, std::string_view category, double startUs, double endUs,
                     const TraceArgs &args, uint64_t tid) {
  if (!enabled_)
    return;
  record({std::string(name), std::string(category), 'X', startUs, std::max(endUs - startUs, 0.0),
          tid, args.body()});
}

void Trace::instant(std::string_view name, std::string_view category, const TraceArgs &args) {
  if (!enabled_)
    return;
  record(
      {std::string(name), std::string(category), 'i', nowUs(), 0, currentThreadId(), args.body()});
}

void Trace::nameThread(std::string_view name) {
  if (!enabled_)
    return;
  ThreadBuffer &b = buffer();
  std::lock_guard lock(b.mutex);
  b.name = name;
}

Result<void> Trace::flush() {
  if (!enabled_)
    return {};
  std::lock_guard lock(mutex_);
  std::vector<Event> events;
  std::map<uint64_t, std::string> threadNames;
  for (auto &b : buffers_) {
    std::lock_guard bufferLock(b->mutex);
    events.insert(events.end(), b->events.begin(), b->events.end());
    if (!b->name.empty())
      threadNames[b->tid] = b->name;
  }
  // The viewers do not need sorted events, but sorted files read better and diff well.
  std::stable_sort(events.begin(), events.end(),
                   [](const Event &a, const Event &b) { return a.ts < b.ts; });
  std::string pid = std::to_string(::getpid());
  auto metadata = [&](const char *what, uint64_t tid, const std::string &name) {
    return "{\"name\": \"" + std::string(what) + "\", \"ph\": \"M\", \"pid\": " + pid +
           ", \"tid\": " + std::to_string(tid) + ", \"args\": {" +
           TraceArgs().add("name", name).body() + "}}";
  };
  std::string out = "{\"displayTimeUnit\": \"ns\", \"traceEvents\": [\n";
  out += metadata("process_name", 0, processName_);
  for (const auto &[tid, name] : threadNames)
    out += ",\n" + metadata("thread_name", tid, name);
  for (const Event &e : events) {
    out += ",\n{\"name\": \"";
    out += jsonEscape(e.name);
    out += "\", ";
    if (!e.category.empty()) {
      out += "\"cat\": \"";
      out += jsonEscape(e.category);
      out += "\", ";
    }
    out += "\"ph\": \"";
    out += e.phase;
    out += "\", \"pid\": " + pid + ", \"tid\": " + std::to_string(e.tid) + ", \"ts\": ";
    appendFixed(out, e.ts);
    if (e.phase == 'X') {
      out += ", \"dur\": ";
      appendFixed(out, e.dur);
    } else {
      out += ", \"s\": \"t\""; // an instant marks its thread only
    }
    out += ", \"args\": {" + e.args + "}}";
  }
  out += "\n], \"otherData\": {\"dropped_events\": " + std::to_string(droppedEvents()) + "}}\n";
  return writeFileAtomic(path_, {reinterpret_cast<const uint8_t *>(out.data()), out.size()},
                         Parents::MustExist);
}

TraceSpan::TraceSpan(Trace *trace, std::string_view name, std::string_view category)
    : trace_(trace && trace->enabled() ? trace : nullptr) {
  if (!trace_)
    return;
  name_ = name;
  category_ = category;
  start_ = trace_->nowUs();
}

void TraceSpan::end() {
  if (!trace_)
    return;
  trace_->complete(name_, category_, start_, trace_->nowUs(), args_);
  trace_ = nullptr;
}

} // namespace parawasm::support
