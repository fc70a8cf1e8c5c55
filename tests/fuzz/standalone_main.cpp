// A driver for the fuzz targets where libFuzzer is not linked (any compiler; the CI's bounded run):
// replays the corpus, then runs random mutations of it. No coverage feedback, so it finds less
// than libFuzzer, but it runs the same target on the same inputs. Accepts libFuzzer's spelling:
//   fuzz_TARGET [-runs=N] [-max_total_time=SECONDS] [-seed=N] [-max_len=BYTES] DIR|FILE...
// The same flags give the same inputs; an input that aborts (std::abort, a sanitizer with
// abort_on_error) is also written to ./crash-standalone.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

std::vector<uint8_t> current; // the input being run, for the SIGABRT handler

void dumpCurrent(int) {
  int fd = ::open("crash-standalone", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    (void)!::write(fd, current.data(), current.size());
    ::close(fd);
  }
  std::signal(SIGABRT, SIG_DFL);
  std::raise(SIGABRT);
}

std::vector<uint8_t> readAll(const std::filesystem::path &p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void mutate(std::vector<uint8_t> &v, const std::vector<std::vector<uint8_t>> &corpus,
            std::mt19937_64 &rng, size_t maxLen) {
  static const uint8_t kInteresting[] = {0, 1, 0x7f, 0x80, 0xff, 0x40, 0x41, 0x0b, 0x20, 0x6a};
  auto pick = [&](size_t n) { return n ? size_t(rng() % n) : 0; };
  for (int k = 1 + int(rng() % 4); k > 0; --k) {
    switch (rng() % 7) {
    case 0: // flip a bit
      if (!v.empty())
        v[pick(v.size())] ^= uint8_t(1u << (rng() % 8));
      break;
    case 1: // an interesting byte
      if (!v.empty())
        v[pick(v.size())] = kInteresting[pick(std::size(kInteresting))];
      break;
    case 2: // a random byte
      if (!v.empty())
        v[pick(v.size())] = uint8_t(rng());
      break;
    case 3: // insert a byte
      v.insert(v.begin() + long(pick(v.size() + 1)), uint8_t(rng()));
      break;
    case 4: { // erase a short range
      if (v.empty())
        break;
      size_t at = pick(v.size()), n = 1 + pick(std::min<size_t>(8, v.size() - at));
      v.erase(v.begin() + long(at), v.begin() + long(std::min(v.size(), at + n)));
      break;
    }
    case 5: { // duplicate a short range
      if (v.empty())
        break;
      size_t at = pick(v.size()), n = 1 + pick(std::min<size_t>(16, v.size() - at));
      std::vector<uint8_t> piece(v.begin() + long(at), v.begin() + long(at + n));
      v.insert(v.begin() + long(pick(v.size() + 1)), piece.begin(), piece.end());
      break;
    }
    default: { // splice in a range of another input
      const auto &other = corpus[pick(corpus.size())];
      if (other.empty())
        break;
      size_t at = pick(other.size()), n = 1 + pick(std::min<size_t>(32, other.size() - at));
      v.insert(v.begin() + long(pick(v.size() + 1)), other.begin() + long(at),
               other.begin() + long(at + n));
      break;
    }
    }
  }
  if (v.size() > maxLen)
    v.resize(maxLen);
}

} // namespace

int main(int argc, char **argv) {
  long long runs = -1;
  double maxSeconds = 0;
  uint64_t seed = 1;
  size_t maxLen = 4096;
  std::vector<std::vector<uint8_t>> corpus;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char *flag) -> const char * {
      size_t n = std::strlen(flag);
      return a.compare(0, n, flag) == 0 ? a.c_str() + n : nullptr;
    };
    if (const char *v = value("-runs="))
      runs = std::atoll(v);
    else if (const char *v = value("-max_total_time="))
      maxSeconds = std::atof(v);
    else if (const char *v = value("-seed="))
      seed = std::strtoull(v, nullptr, 10);
    else if (const char *v = value("-max_len="))
      maxLen = std::strtoull(v, nullptr, 10);
    else if (a.size() > 1 && a[0] == '-')
      std::fprintf(stderr, "standalone fuzz driver: ignoring %s\n", a.c_str());
    else if (std::filesystem::is_directory(a)) {
      std::vector<std::filesystem::path> files;
      for (const auto &e : std::filesystem::directory_iterator(a))
        if (e.is_regular_file())
          files.push_back(e.path());
      std::sort(files.begin(), files.end()); // the same order everywhere, for -seed
      for (const auto &f : files)
        corpus.push_back(readAll(f));
    } else {
      corpus.push_back(readAll(a));
    }
  }
  std::signal(SIGABRT, dumpCurrent);
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  long long done = 0;
  for (const auto &input : corpus) {
    current = input;
    LLVMFuzzerTestOneInput(current.data(), current.size());
    ++done;
  }
  std::printf("standalone: replayed %zu corpus inputs in %.1f s\n", corpus.size(), elapsed());
  if (corpus.empty())
    corpus.push_back({});
  std::mt19937_64 rng(seed);
  for (long long i = 0; runs < 0 || i < runs; ++i) {
    if (maxSeconds > 0 && elapsed() >= maxSeconds)
      break;
    if (runs < 0 && maxSeconds <= 0)
      break;
    current = corpus[size_t(rng() % corpus.size())];
    mutate(current, corpus, rng, maxLen);
    LLVMFuzzerTestOneInput(current.data(), current.size());
    ++done;
    if ((i + 1) % 10000 == 0)
      std::printf("standalone: %lld mutated runs, %.1f s\n", i + 1, elapsed());
  }
  std::printf("Done %lld runs in %.0f second(s) (seed %llu)\n", done, elapsed(),
              (unsigned long long)seed);
  return 0;
}
