// Native driver for kernels.c: kernels_main KERNEL ITERS, prints the checksum as parawasm --invoke would.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
double nstream(int32_t), dgemm(int32_t), stencil(int32_t), transpose(int32_t), sha256(int32_t);
int main(int argc, char **argv) {
  if (argc != 3) return 2;
  int n = atoi(argv[2]);
  double r;
  if (!strcmp(argv[1], "nstream")) r = nstream(n);
  else if (!strcmp(argv[1], "dgemm")) r = dgemm(n);
  else if (!strcmp(argv[1], "stencil")) r = stencil(n);
  else if (!strcmp(argv[1], "transpose")) r = transpose(n);
  else if (!strcmp(argv[1], "sha256")) r = sha256(n);
  else return 2;
  printf("%.17g\n", r);
  return 0;
}
