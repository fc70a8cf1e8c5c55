/* random_get through libc and directly: bytes that differ between draws, a plausible spread of
 * values, and EFAULT for a buffer outside memory. */
#include "wasi_test.h"

#include <unistd.h>

static unsigned char big[1 << 20];

int main(void) {
  unsigned char a[256], b[256];
  memset(a, 0, sizeof a);
  memset(b, 0, sizeof b);
  int ok = getentropy(a, sizeof a) == 0 && getentropy(b, sizeof b) == 0;
  int zero = 1;
  for (size_t i = 0; i < sizeof a; ++i)
    zero &= a[i] == 0;
  printf("getentropy: %s\n", ok && !zero && memcmp(a, b, sizeof a) != 0 ? "ok" : "FAIL");

  uint32_t x = arc4random(), y = arc4random(), z = arc4random();
  printf("arc4random: %s\n", x != y || y != z ? "ok" : "FAIL");

  EXPECT_OK(__wasi_random_get(big, sizeof big));
  static unsigned counts[256];
  for (size_t i = 0; i < sizeof big; ++i)
    ++counts[big[i]];
  int spread = 1; /* 4096 expected per value; 3500..4700 is beyond 9 sigma */
  for (int v = 0; v < 256; ++v)
    spread &= counts[v] > 3500 && counts[v] < 4700;
  printf("random_get 1 MiB: %s\n", spread ? "evenly spread" : "FAIL: skewed");

  EXPECT_OK(__wasi_random_get(a, 0));
  EXPECT_ERRNO(__wasi_random_get((uint8_t *)0xFFFFFF00u, 0x1000), __WASI_ERRNO_FAULT);
  printf("random_get outside memory: %s\n", pw_failures ? "FAIL" : "EFAULT");
  return pw_failures != 0;
}
