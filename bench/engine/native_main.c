// Native driver: native_main WORKLOAD N, prints the checksum as parawasm --invoke would.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double matmul(int); uint32_t hash(int); double nbody(int); int32_t interp(int);

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  int n = atoi(argv[2]);
  if (!strcmp(argv[1], "matmul")) printf("%.17g\n", matmul(n));
  else if (!strcmp(argv[1], "hash")) printf("%d\n", (int32_t)hash(n));
  else if (!strcmp(argv[1], "nbody")) printf("%.17g\n", nbody(n));
  else if (!strcmp(argv[1], "interp")) printf("%d\n", interp(n));
  else return 2;
  return 0;
}
