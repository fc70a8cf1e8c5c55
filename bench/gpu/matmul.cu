// Matrix multiply C = A B (order n, doubles) in CUDA C: the reference for parawasm's GPU device
// running the wasi-parallel kernels, with the same work decomposition as each:
//   row  - bench/parallel/kernels/matmul_kernel.c: one row of C per GPU thread, i-k-j order
//          (C's row zeroed, then C[i][j] += A[i][k] * B[k][j] in memory), n threads;
//   elem - bench/gpu/kernels/matmul_elem_kernel.c: one element of C per GPU thread, a dot product
//          over k in order, n * n threads.
// Both with a grid-stride loop as parawasm's kernel entry has, the launch shape parawasm picks
// for the guest's block_size, and --fmad=false (bench/gpu/run.sh), since Wasm rounds every
// multiply and add separately. No __restrict__: the Wasm kernel cannot promise it either.
//   matmul row|elem exec|kernel|copy|all [ORDER=512] [REPS=5] [BLOCK=1 for row, 256 for elem]
// One RESULT line per timing (cuda_common.cuh says what each one times); the checksum is the sum
// of C and must equal the guest's.
#include "cuda_common.cuh"

__global__ void matmulRowKernel(int n, const double *a, const double *b, double *c) {
  long stride = long(gridDim.x) * blockDim.x;
  for (long i = long(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    double *ci = c + i * n;
    for (int j = 0; j < n; j++)
      ci[j] = 0;
    for (int k = 0; k < n; k++) {
      double aik = a[i * n + k];
      const double *bk = b + long(k) * n;
      for (int j = 0; j < n; j++)
        ci[j] += aik * bk[j];
    }
  }
}

__global__ void matmulElemKernel(int n, const double *a, const double *b, double *c) {
  long count = long(n) * n, stride = long(gridDim.x) * blockDim.x;
  for (long id = long(blockIdx.x) * blockDim.x + threadIdx.x; id < count; id += stride) {
    int i = int(id) / n, j = int(id) % n; // 32-bit, as in the Wasm kernel (n * n < 2^31)
    const double *ai = a + long(i) * n;
    double s = 0;
    for (int k = 0; k < n; k++)
      s += ai[k] * b[long(k) * n + j];
    c[id] = s;
  }
}

int main(int argc, char **argv) {
  const char *timings[3];
  int numTimings = argc > 2 ? timingsFor(argv[2], timings) : 0;
  bool elem = argc > 1 && !strcmp(argv[1], "elem");
  if (!numTimings || (!elem && strcmp(argv[1], "row"))) {
    fprintf(stderr, "usage: matmul row|elem exec|kernel|copy|all [ORDER] [REPS] [BLOCK]\n");
    return 2;
  }
  long n = arg(argc, argv, 3, 512), reps = arg(argc, argv, 4, 5),
       block = arg(argc, argv, 5, elem ? 256 : 1);
  if (n < 1 || n > 46340 || reps < 1) { // n * n must fit the guest's 32-bit iteration count
    fprintf(stderr, "matmul: ORDER must be 1 to 46340 and REPS positive\n");
    return 2;
  }
  const char *device = deviceName();
  size_t bytes = sizeof(double) * size_t(n) * size_t(n);
  double *a = static_cast<double *>(hostAlloc(bytes)), *b = static_cast<double *>(hostAlloc(bytes)),
         *c = static_cast<double *>(hostAlloc(bytes)),
         *t = static_cast<double *>(hostAlloc(sizeof(double) * reps));
  matmul_init(a, b, n);
  double *da, *db, *dc;
  CUDA_CHECK(cudaMalloc(&da, bytes));
  CUDA_CHECK(cudaMalloc(&db, bytes));
  CUDA_CHECK(cudaMalloc(&dc, bytes));
  CUDA_CHECK(cudaMemcpy(da, a, bytes, cudaMemcpyHostToDevice));
  CUDA_CHECK(cudaMemcpy(db, b, bytes, cudaMemcpyHostToDevice));
  auto kernel = elem ? matmulElemKernel : matmulRowKernel;
  LaunchShape shape = launchShape(kernel, elem ? n * n : n, block);
  int order = int(n);

  for (int k = 0; k < numTimings; k++) {
    CUDA_CHECK(cudaMemset(dc, 0xff, bytes)); // a result left from the last timing cannot pass
    timeOffload(
        timings[k], reps, t, [&] { kernel<<<shape.blocks, shape.threads>>>(order, da, db, dc); },
        [&] {
          CUDA_CHECK(cudaMemcpy(da, a, bytes, cudaMemcpyHostToDevice));
          CUDA_CHECK(cudaMemcpy(db, b, bytes, cudaMemcpyHostToDevice));
        },
        [&] { CUDA_CHECK(cudaMemcpy(c, dc, bytes, cudaMemcpyDeviceToHost)); });
    CUDA_CHECK(cudaMemcpy(c, dc, bytes, cudaMemcpyDeviceToHost));
    report_gpu(elem ? "matmul_elem" : "matmul", "cuda", device, timings[k], n, int(reps), block,
               int(shape.threads), t, sum(c, n * n));
  }
  CUDA_CHECK(cudaFree(da));
  CUDA_CHECK(cudaFree(db));
  CUDA_CHECK(cudaFree(dc));
  free(a);
  free(b);
  free(c);
  free(t);
  return 0;
}
