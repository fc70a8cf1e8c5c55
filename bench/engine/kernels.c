// PRK-style kernels for the engine benchmark, built the way users build: plain -O2/-O3 (clang
// unrolls and interleaves the inner loops), with and without -msimd128. The loop bodies are the
// PRK suite's own (bench/kernels/*/*.h); sha256 is a byte-crunching contrast. Each exported
// function runs its kernel `iters` times over fixed-size data and returns a checksum, so every
// engine's result can be checked against native's. Freestanding: no libc, no allocator (the
// arrays are static, so the Wasm module and the native program both fault their pages in on
// first touch).
#include <stdint.h>

#include "../kernels/dgemm/dgemm.h"
#include "../kernels/nstream/nstream.h"
#include "../kernels/stencil/stencil.h"
#include "../kernels/transpose/transpose.h"

#ifdef __wasm__
#define EXPORT(name) __attribute__((export_name(#name)))
// -nostdlib: clang turns the zeroing loops below into memset calls. no_builtin keeps this loop
// from becoming a call to itself.
__attribute__((no_builtin("memset"))) void *memset(void *dst, int value, unsigned long len) {
  unsigned char *p = dst;
  while (len--)
    *p++ = (unsigned char)value;
  return dst;
}
#else
#define EXPORT(name)
#endif

#define NSTREAM_LENGTH (1 << 21) // 3 x 16 MiB
#define DGEMM_ORDER 384
#define STENCIL_N 1500
#define TRANSPOSE_ORDER 2000
#define SHA_BYTES (1 << 20)

static double ns_a[NSTREAM_LENGTH], ns_b[NSTREAM_LENGTH], ns_c[NSTREAM_LENGTH];

EXPORT(nstream) double nstream(int32_t iters) {
  for (int32_t j = 0; j < NSTREAM_LENGTH; j++) {
    ns_a[j] = 0;
    ns_b[j] = 2;
    ns_c[j] = 2;
  }
  for (int32_t it = 0; it < iters; it++)
    for (int32_t j = 0; j < NSTREAM_LENGTH; j++)
      nstreamElement(j, ns_a, ns_b, ns_c);
  double sum = 0;
  for (int32_t j = 0; j < NSTREAM_LENGTH; j++)
    sum += ns_a[j];
  return sum;
}

static double dg_a[DGEMM_ORDER * DGEMM_ORDER], dg_b[DGEMM_ORDER * DGEMM_ORDER],
    dg_c[DGEMM_ORDER * DGEMM_ORDER];

// The order is a run-time value (as in the PRK), so the compiler cannot specialise the loops.
static volatile int32_t dgemm_order = DGEMM_ORDER;

EXPORT(dgemm) double dgemm(int32_t iters) {
  int32_t order = dgemm_order;
  for (int32_t i = 0; i < order; i++)
    for (int32_t j = 0; j < order; j++) {
      dg_a[i * order + j] = j;
      dg_b[i * order + j] = j;
      dg_c[i * order + j] = 0;
    }
  for (int32_t it = 0; it < iters; it++)
    for (int32_t i = 0; i < order; i++)
      dgemmRow(i, order, dg_a, dg_b, dg_c);
  double sum = 0;
  for (int32_t i = 0; i < order * order; i++)
    sum += dg_c[i];
  return sum;
}

static double st_in[STENCIL_N * STENCIL_N], st_out[STENCIL_N * STENCIL_N];
static volatile int32_t stencil_n = STENCIL_N;

EXPORT(stencil) double stencil(int32_t iters) {
  int32_t n = stencil_n;
  for (int32_t i = 0; i < n; i++)
    for (int32_t j = 0; j < n; j++) {
      st_in[i * n + j] = i + j;
      st_out[i * n + j] = 0;
    }
  for (int32_t it = 0; it < iters; it++) {
    for (int32_t i = STENCIL_RADIUS; i < n - STENCIL_RADIUS; i++)
      stencilRow(i, n, st_in, st_out);
    for (int32_t i = 0; i < n; i++)
      stencilShiftRow(i, n, st_in);
  }
  double norm = 0;
  for (int32_t i = STENCIL_RADIUS; i < n - STENCIL_RADIUS; i++)
    for (int32_t j = STENCIL_RADIUS; j < n - STENCIL_RADIUS; j++)
      norm += st_out[i * n + j] < 0 ? -st_out[i * n + j] : st_out[i * n + j];
  return norm;
}

static double tr_a[TRANSPOSE_ORDER * TRANSPOSE_ORDER], tr_b[TRANSPOSE_ORDER * TRANSPOSE_ORDER];
static volatile int32_t transpose_order = TRANSPOSE_ORDER;

EXPORT(transpose) double transpose(int32_t iters) {
  int32_t order = transpose_order;
  for (int32_t i = 0; i < order; i++)
    for (int32_t j = 0; j < order; j++) {
      tr_a[i * order + j] = i * order + j;
      tr_b[i * order + j] = 0;
    }
  int32_t tiles = transposeTilesPerSide(order);
  for (int32_t it = 0; it < iters; it++)
    for (int32_t t = 0; t < tiles * tiles; t++)
      transposeTile(t, order, tr_a, tr_b);
  double sum = 0;
  for (int32_t i = 0; i < order * order; i++)
    sum += tr_b[i];
  return sum;
}

static const uint32_t kSha256K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha256Block(uint32_t h[8], const uint8_t *p) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
           p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) +
                  kSha256K[i] + w[i];
    uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    k = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

static uint8_t sha_data[SHA_BYTES];

// Hashes a 1 MiB buffer `iters` times, each time over the previous digest's bytes mixed in.
EXPORT(sha256) double sha256(int32_t iters) {
  for (int32_t i = 0; i < SHA_BYTES; i++)
    sha_data[i] = (uint8_t)(i * 131 + 7);
  uint32_t h[8] = {0};
  for (int32_t it = 0; it < iters; it++) {
    h[0] = 0x6a09e667, h[1] = 0xbb67ae85, h[2] = 0x3c6ef372, h[3] = 0xa54ff53a;
    h[4] = 0x510e527f, h[5] = 0x9b05688c, h[6] = 0x1f83d9ab, h[7] = 0x5be0cd19;
    for (int32_t off = 0; off < SHA_BYTES; off += 64)
      sha256Block(h, sha_data + off);
    sha_data[it % SHA_BYTES] ^= (uint8_t)h[0];
  }
  return (double)h[0] * 4294967296.0 + h[1];
}
