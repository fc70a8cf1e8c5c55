// A Chrome trace-event recorder (chrome://tracing, ui.perfetto.dev): one complete event ("ph":
// "X") per host call and per worker's share of a launch. Written as JSON when finished.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace parawasm::parallel {

class Tracer {
public:
  explicit Tracer(std::string path);
  ~Tracer(); // writes the file (errors are reported on stderr)

  // Microseconds since the tracer was made.
  double now() const;
  // `args` is the body of a JSON object ("\"n\": 4, \"device\": \"cpu\"") or empty.
  void complete(std::string name, double startUs, double endUs, uint32_t tid,
                std::string args = {});
  // Writes the file now (also done by the destructor). False with a message on failure.
  bool write(std::string *error = nullptr);
  const std::string &path() const { return path_; }

private:
  struct Event {
    std::string name;
    double start, end;
    uint32_t tid;
    std::string args;
  };
  std::string path_;
  std::chrono::steady_clock::time_point origin_;
  std::mutex mutex_;
  std::vector<Event> events_;
  bool written_ = false;
};

// `text` as the inside of a JSON string.
std::string jsonEscape(const std::string &text);

} // namespace parawasm::parallel
