// OpenMP in C++: a template over the element type, std::vector, lambdas and a user-declared
// reduction, parallelised with ordinary pragmas.
//   sdk/bin/wp-c++ -O2 -fopenmp examples/openmp/stats.cpp -o stats.wasm
//   parawasm run --env OMP_NUM_THREADS=4 stats.wasm
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace {

struct MinMax {
  double lo = INFINITY, hi = -INFINITY;
  void add(double x) {
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  void merge(const MinMax &o) {
    lo = std::min(lo, o.lo);
    hi = std::max(hi, o.hi);
  }
};

#pragma omp declare reduction(minmax:MinMax : omp_out.merge(omp_in))

template <typename T, typename F> std::vector<T> tabulate(long n, F f) {
  std::vector<T> v(n);
#pragma omp parallel for schedule(static)
  for (long i = 0; i < n; i++)
    v[i] = f(i);
  return v;
}

template <typename T> double mean(const std::vector<T> &v) {
  double sum = 0;
#pragma omp parallel for reduction(+ : sum)
  for (size_t i = 0; i < v.size(); i++)
    sum += v[i];
  return sum / v.size();
}

} // namespace

int main() {
  const long n = 2000000;
  auto v = tabulate<double>(n, [](long i) { return std::sin(0.001 * i) * 100.0; });
  auto w = tabulate<int>(n, [](long i) { return int(i % 1000); });
  MinMax range;
#pragma omp parallel for reduction(minmax : range)
  for (long i = 0; i < n; i++)
    range.add(v[i]);
  // Each thread keeps a vector of its own (the heap is safe in regions).
  long evens = 0;
#pragma omp parallel reduction(+ : evens)
  {
    std::vector<int> mine;
#pragma omp for nowait
    for (long i = 0; i < n; i++)
      if (w[i] % 2 == 0)
        mine.push_back(w[i]);
    evens += (long)mine.size();
  }
  std::printf("stats: n=%ld mean(v)=%.4f mean(w)=%.1f min=%.4f max=%.4f evens=%ld\n", n, mean(v),
              mean(w), range.lo, range.hi, evens);
  return 0;
}
