// `collapse`: the iteration space of nested loops is shared out as one.
#include "check.h"

int main(void) {
  static int grid[37][53];
#pragma omp parallel for collapse(2) schedule(static)
  for (int i = 0; i < 37; i++)
    for (int j = 0; j < 53; j++)
      grid[i][j] += i * 100 + j;
  static int cube[7][9][11];
#pragma omp parallel for collapse(3) schedule(dynamic, 5)
  for (int i = 0; i < 7; i++)
    for (int j = 0; j < 9; j++)
      for (int k = 10; k >= 0; k--)
        cube[i][j][k] += 1;
  long sum = 0;
#pragma omp parallel for collapse(2) reduction(+ : sum) schedule(guided)
  for (long i = 0; i < 300; i++)
    for (long j = 1; j < 90; j += 3)
      sum += i * j;
  int bad = 0;
  for (int i = 0; i < 37; i++)
    for (int j = 0; j < 53; j++)
      bad += grid[i][j] != i * 100 + j;
  CHECK(bad == 0, "collapse(2): %d cells wrong", bad);
  bad = 0;
  for (int i = 0; i < 7; i++)
    for (int j = 0; j < 9; j++)
      for (int k = 0; k < 11; k++)
        bad += cube[i][j][k] != 1;
  CHECK(bad == 0, "collapse(3): %d cells wrong", bad);
  long expect = 0;
  for (long i = 0; i < 300; i++)
    for (long j = 1; j < 90; j += 3)
      expect += i * j;
  CHECK(sum == expect, "collapse(2) with a step: %ld, expected %ld", sum, expect);
  return finish("collapse");
}
