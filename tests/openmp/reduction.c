// Reductions with every operator, on `parallel for` (nowait reduce) and on `for` inside a region
// (blocking reduce), for integer and floating types.
#include "check.h"

#define N 1000

int main(void) {
  int sum = 0, diff = 0, band = ~0, bor = 0, bxor = 0, land = 1, lor = 0, mx = -1, mn = N;
  long long prod = 1;
  double dsum = 0.0, dprod = 1.0, dmax = -1.0, dmin = 1e30;
  float fsum = 0.0f;
#pragma omp parallel for reduction(+ : sum) reduction(- : diff) reduction(& : band)           \
    reduction(| : bor) reduction(^ : bxor) reduction(&& : land) reduction(|| : lor)          \
    reduction(max : mx) reduction(min : mn) schedule(dynamic, 17)
  for (int i = 0; i < N; i++) {
    sum += i;
    diff -= i;
    band &= i | 0x400;
    bor |= i;
    bxor ^= i;
    land = land && (i < N);
    lor = lor || (i == 777);
    if (i > mx)
      mx = i;
    if (i < mn)
      mn = i;
  }
  CHECK(sum == N * (N - 1) / 2, "+: %d", sum);
  CHECK(diff == -N * (N - 1) / 2, "-: %d", diff);
  CHECK(band == 0x400, "&: %d", band); // bit 10 is set in all, other bits are clear in i = 0
  CHECK(bor == 1023, "|: %d", bor);
  int x = 0;
  for (int i = 0; i < N; i++)
    x ^= i;
  CHECK(bxor == x, "^: %d, expected %d", bxor, x);
  CHECK(land == 1 && lor == 1, "&&: %d ||: %d", land, lor);
  CHECK(mx == N - 1 && mn == 0, "max %d min %d", mx, mn);

#pragma omp parallel for reduction(* : prod) reduction(* : dprod) schedule(static, 3)
  for (int i = 1; i <= 40; i++) {
    prod *= (i % 4 == 0) ? 2 : 1;
    dprod *= (i % 5 == 0) ? 0.5 : 1.0;
  }
  CHECK(prod == 1024, "*: %lld", prod);
  CHECK(dprod == 1.0 / 256, "* on double: %g", dprod);

#pragma omp parallel for reduction(+ : dsum, fsum) reduction(max : dmax) reduction(min : dmin)
  for (int i = 0; i < N; i++) {
    dsum += 0.5 * i;
    fsum += 1.0f;
    dmax = dmax > i * 0.25 ? dmax : i * 0.25;
    dmin = dmin < i + 3.0 ? dmin : i + 3.0;
  }
  CHECK(dsum == 0.25 * N * (N - 1), "+ on double: %f", dsum);
  CHECK(fsum == (float)N, "+ on float: %f", fsum);
  CHECK(dmax == (N - 1) * 0.25 && dmin == 3.0, "max %f min %f on double", dmax, dmin);

  // `for reduction` inside a region: the blocking reduce, then every thread sees the result.
  long total = 0;
  int agreed = 0;
#pragma omp parallel
  {
#pragma omp for reduction(+ : total)
    for (int i = 0; i < N; i++)
      total += i;
    // The implicit barrier of the `for` makes the combined value visible to everyone.
    if (total == (long)N * (N - 1) / 2)
      __atomic_fetch_add(&agreed, 1, __ATOMIC_RELAXED);
  }
  CHECK(total == (long)N * (N - 1) / 2, "for reduction: %ld", total);
  CHECK(agreed >= 1, "no thread saw the combined value after the loop");

  // A reduction on the region itself.
  int threads = 0;
#pragma omp parallel reduction(+ : threads)
  threads += 1;
  CHECK(defaultTeamOk(threads), "parallel reduction counted %d threads", threads);
  return finish("reduction");
}
