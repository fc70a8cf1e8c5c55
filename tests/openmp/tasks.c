// `task`, `taskwait`, `taskgroup`, `task if(0)`, `depend` and `taskloop`: every task runs once and
// its results are there after the taskwait / taskgroup / taskloop.
#include "check.h"

static int fib(int n) {
  if (n < 2)
    return n;
  int a, b;
#pragma omp task shared(a)
  a = fib(n - 1);
#pragma omp task shared(b)
  b = fib(n - 2);
#pragma omp taskwait
  return a + b;
}

int main(void) {
  int f = 0;
#pragma omp parallel
#pragma omp single
  f = fib(20);
  CHECK(f == 6765, "fib(20) with tasks: %d", f);

  int runs[100] = {0};
#pragma omp parallel
  {
#pragma omp for
    for (int i = 0; i < 100; i++) {
#pragma omp task firstprivate(i)
      __atomic_fetch_add(&runs[i], 1, __ATOMIC_RELAXED);
    }
  }
  int bad = 0;
  for (int i = 0; i < 100; i++)
    bad += runs[i] != 1;
  CHECK(bad == 0, "%d tasks created in a loop did not run exactly once", bad);

  int x = 0;
#pragma omp task if (0) shared(x)
  x = 3;
#pragma omp taskgroup
  {
#pragma omp task depend(out : x) shared(x)
    x *= 2;
#pragma omp task depend(in : x) shared(x)
    x += 1;
  }
  CHECK(x == 7, "if(0), depend and taskgroup: %d", x);

  long sum = 0;
#pragma omp parallel
#pragma omp single
#pragma omp taskloop reduction(+ : sum) grainsize(10)
  for (int i = 0; i < 1000; i++)
    sum += i;
  CHECK(sum == 499500, "taskloop reduction: %ld", sum);
  return finish("tasks");
}
