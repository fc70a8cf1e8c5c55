#include <omp.h>

long long sumTo(long long n) {
  long long sum = 0;
#pragma omp parallel for reduction(+ : sum)
  for (long long i = 1; i <= n; i++)
    sum += i;
  return sum;
}
