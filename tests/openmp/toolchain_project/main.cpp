#include <omp.h>

#include <cstdio>

extern "C" long long sumTo(long long n);

int main() {
  int threads = 0;
#pragma omp parallel
#pragma omp single
  threads = omp_get_num_threads();
  long long s = sumTo(100000);
  std::printf("toolchain: sum=%lld %s\n", s, threads >= 1 ? "ok" : "no team");
  return s != 5000050000LL;
}
