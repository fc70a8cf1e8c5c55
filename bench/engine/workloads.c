// CPU-bound workloads for the engine benchmark. Each exported function runs its workload `n`
// times over and returns a checksum, so every engine's result can be checked against native.
// Built three ways by run.py: wasm32 (-O2 -nostdlib), native -O2, and called from node.
#include <stdint.h>

// -nostdlib: clang may still emit calls to these for loops it recognises.
void *memset(void *dst, int value, unsigned long len) {
  volatile unsigned char *p = dst;
  while (len--) *p++ = (unsigned char)value;
  return dst;
}

#ifdef __wasm__
#define EXPORT(name) __attribute__((export_name(#name)))
#else
#define EXPORT(name)
#endif

#define N 96
static double a[N * N], b[N * N], c[N * N];

EXPORT(matmul) double matmul(int reps) {
  for (int i = 0; i < N * N; ++i) {
    a[i] = (double)(i % 17) * 0.25;
    b[i] = (double)(i % 13) * 0.5;
  }
  double sum = 0;
  for (int r = 0; r < reps; ++r) {
    for (int i = 0; i < N; ++i)
      for (int j = 0; j < N; ++j) c[i * N + j] = 0;
    for (int i = 0; i < N; ++i)
      for (int k = 0; k < N; ++k) {
        double aik = a[i * N + k];
        for (int j = 0; j < N; ++j) c[i * N + j] += aik * b[k * N + j];
      }
    sum += c[(r * 7) % (N * N)];
  }
  return sum;
}

static uint8_t data[1 << 16];

EXPORT(hash) uint32_t hash(int reps) {
  for (int i = 0; i < (int)sizeof data; ++i) data[i] = (uint8_t)(i * 131 + 7);
  uint32_t h = 2166136261u;
  for (int r = 0; r < reps; ++r) {
    for (int i = 0; i < (int)sizeof data; ++i) {
      h ^= data[i];
      h *= 16777619u;
      h = (h << 13) | (h >> 19);
    }
    data[r % sizeof data] ^= (uint8_t)h;
  }
  return h;
}

#define BODIES 5
static double px[BODIES], py[BODIES], pz[BODIES], vx[BODIES], vy[BODIES], vz[BODIES], mass[BODIES];

static double sqrt_newton(double x) { return __builtin_sqrt(x); }

EXPORT(nbody) double nbody(int steps) {
  for (int i = 0; i < BODIES; ++i) {
    px[i] = i * 1.5; py[i] = i * -0.75; pz[i] = i * 0.2;
    vx[i] = 0.01 * i; vy[i] = 0.02; vz[i] = -0.01 * i;
    mass[i] = 1.0 + i * 0.1;
  }
  const double dt = 0.01;
  for (int s = 0; s < steps; ++s) {
    for (int i = 0; i < BODIES; ++i)
      for (int j = i + 1; j < BODIES; ++j) {
        double dx = px[i] - px[j], dy = py[i] - py[j], dz = pz[i] - pz[j];
        double d2 = dx * dx + dy * dy + dz * dz + 0.01;
        double mag = dt / (d2 * sqrt_newton(d2));
        vx[i] -= dx * mass[j] * mag; vy[i] -= dy * mass[j] * mag; vz[i] -= dz * mass[j] * mag;
        vx[j] += dx * mass[i] * mag; vy[j] += dy * mass[i] * mag; vz[j] += dz * mass[i] * mag;
      }
    for (int i = 0; i < BODIES; ++i) {
      px[i] += dt * vx[i]; py[i] += dt * vy[i]; pz[i] += dt * vz[i];
    }
  }
  double e = 0;
  for (int i = 0; i < BODIES; ++i) e += mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
  return e;
}

// A small bytecode interpreter: a loop of dispatches over a counting program.
enum { OP_PUSH, OP_ADD, OP_DEC, OP_JNZ, OP_SWAP, OP_DUP, OP_DROP, OP_XOR, OP_HALT };
static const int program[] = {OP_PUSH, 0, OP_PUSH, 0, /*loop:*/ OP_SWAP, OP_DUP, OP_XOR, OP_PUSH, 3,
                              OP_ADD, OP_SWAP, OP_DEC, OP_JNZ, 4, OP_DROP, OP_HALT};

EXPORT(interp) int32_t interp(int count) {
  int32_t stack[16];
  int sp = 0, pc = 0;
  stack[sp++] = 0;
  stack[sp++] = count;
  pc = 4;
  for (;;) {
    switch (program[pc]) {
    case OP_PUSH: stack[sp++] = program[pc + 1]; pc += 2; break;
    case OP_ADD: sp--; stack[sp - 1] += stack[sp]; pc++; break;
    case OP_DEC: stack[sp - 1]--; pc++; break;
    case OP_JNZ: pc = stack[sp - 1] ? program[pc + 1] : pc + 2; break;
    case OP_SWAP: { int32_t t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; pc++; break; }
    case OP_DUP: stack[sp] = stack[sp - 1]; sp++; pc++; break;
    case OP_DROP: sp--; pc++; break;
    case OP_XOR: sp--; stack[sp - 1] ^= stack[sp] * 2654435761u; pc++; break;
    case OP_HALT: return stack[sp - 1];
    default: return -1;
    }
  }
}
