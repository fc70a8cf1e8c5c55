#include "parallel/trace.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace parawasm::parallel {

Tracer::Tracer(std::string path)
    : path_(std::move(path)), origin_(std::chrono::steady_clock::now()) {}

Tracer::~Tracer() {
  std::string error;
  if (!write(&error))
    std::fprintf(stderr, "parawasm: warning: %s\n", error.c_str());
}

double Tracer::now() const {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - origin_)
      .count();
}

void Tracer::complete(std::string name, double startUs, double endUs, uint32_t tid,
                      std::string args) {
  std::lock_guard lock(mutex_);
  events_.push_back({std::move(name), startUs, endUs, tid, std::move(args)});
  written_ = false;
}

std::string jsonEscape(const std::string &text) {
  std::string out;
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
    case '\t':
      out += "\\t";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += c;
      }
    }
  }
  return out;
}

bool Tracer::write(std::string *error) {
  std::lock_guard lock(mutex_);
  if (written_)
    return true;
  FILE *f = std::fopen(path_.c_str(), "w");
  if (!f) {
    if (error)
      *error = "cannot write trace file '" + path_ + "': " + std::strerror(errno);
    return false;
  }
  std::fprintf(f, "{\"displayTimeUnit\": \"ns\", \"traceEvents\": [\n");
  std::fprintf(f, "{\"name\": \"process_name\", \"ph\": \"M\", \"pid\": 1, \"tid\": 0, "
                  "\"args\": {\"name\": \"parawasm wasi-parallel\"}}");
  for (const Event &e : events_) {
    std::fprintf(f,
                 ",\n{\"name\": \"%s\", \"cat\": \"wasi-parallel\", \"ph\": \"X\", \"pid\": 1, "
                 "\"tid\": %u, \"ts\": %.3f, \"dur\": %.3f, \"args\": {%s}}",
                 jsonEscape(e.name).c_str(), e.tid, e.start, e.end - e.start, e.args.c_str());
  }
  std::fprintf(f, "\n]}\n");
  bool ok = std::fclose(f) == 0;
  if (!ok && error)
    *error = "cannot write trace file '" + path_ + "'";
  written_ = ok;
  return ok;
}

} // namespace parawasm::parallel
