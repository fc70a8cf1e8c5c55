// `atomic` update, read, write and capture on every arithmetic type, including long double,
// which has no Wasm atomic instruction (the runtime's lock-based __atomic_* calls).
#include "check.h"

int main(void) {
  int i32 = 0, captured = 0, maxCapture = -1;
  long long i64 = 0;
  unsigned char u8 = 0;
  short i16 = 0;
  float f = 0.0f;
  double d = 0.0;
  long double ld = 0.0L;
  int flag = 0, readBack = 0;
#pragma omp parallel for schedule(dynamic, 3)
  for (int i = 0; i < 3000; i++) {
#pragma omp atomic
    i32 += 2;
#pragma omp atomic update
    i64 += 3;
#pragma omp atomic
    u8++;
#pragma omp atomic
    i16 += 1;
#pragma omp atomic
    f += 1.0f;
#pragma omp atomic
    d += 0.5;
#pragma omp atomic
    ld += 1.0L;
    int mine;
#pragma omp atomic capture
    mine = captured++;
    if (mine > maxCapture) {
#pragma omp critical
      if (mine > maxCapture)
        maxCapture = mine;
    }
  }
  CHECK(i32 == 6000, "int: %d", i32);
  CHECK(i64 == 9000, "long long: %lld", i64);
  CHECK(u8 == (unsigned char)3000, "unsigned char: %d", u8);
  CHECK(i16 == 3000, "short: %d", i16);
  CHECK(f == 3000.0f, "float: %f", f);
  CHECK(d == 1500.0, "double: %f", d);
  CHECK(ld == 3000.0L, "long double: %Lf", ld);
  CHECK(captured == 3000 && maxCapture == 2999, "capture: %d, largest %d", captured, maxCapture);

#pragma omp parallel num_threads(2)
  {
    if (omp_get_thread_num() == 0) {
#pragma omp atomic write
      flag = 7;
    }
    int v;
#pragma omp atomic read
    v = flag;
    if (v == 7 || v == 0)
      __atomic_fetch_add(&readBack, 1, __ATOMIC_RELAXED);
  }
  CHECK(flag == 7, "atomic write: %d", flag);
  CHECK(teamOk(readBack, 2), "atomic read saw a torn value (%d good reads)", readBack);
  return finish("atomic");
}
