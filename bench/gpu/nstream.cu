// nstream in CUDA C: the reference for parawasm's GPU device running
// bench/parallel/kernels/nstream_kernel.c. Same work decomposition: one element per GPU thread
// (A[i] += B[i] + scalar * C[i]), a grid-stride loop as parawasm's kernel entry has, and the
// launch shape parawasm picks for the guest's block_size. Built with --fmad=false (bench/gpu/
// run.sh), since Wasm rounds the multiply and the add separately.
//   nstream exec|kernel|copy|all [LENGTH=16777216] [REPS=10] [BLOCK=8192]
// One RESULT line per timing (cuda_common.cuh says what each one times); each starts from fresh
// data and runs the kernel 1 + REPS times, so its checksum equals the guest's.
#include "cuda_common.cuh"

__global__ void nstreamKernel(long n, double scalar, const double *b, const double *c, double *a) {
  long stride = long(gridDim.x) * blockDim.x;
  for (long i = long(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride)
    a[i] += b[i] + scalar * c[i];
}

int main(int argc, char **argv) {
  const char *timings[3];
  int numTimings = argc > 1 ? timingsFor(argv[1], timings) : 0;
  if (!numTimings) {
    fprintf(stderr, "usage: nstream exec|kernel|copy|all [LENGTH] [REPS] [BLOCK]\n");
    return 2;
  }
  long n = arg(argc, argv, 2, 1L << 24), reps = arg(argc, argv, 3, 10),
       block = arg(argc, argv, 4, 8192);
  if (n < 1 || reps < 1) {
    fprintf(stderr, "nstream: LENGTH and REPS must be positive\n");
    return 2;
  }
  const char *device = deviceName();
  size_t bytes = sizeof(double) * size_t(n);
  double *a = static_cast<double *>(hostAlloc(bytes)), *b = static_cast<double *>(hostAlloc(bytes)),
         *c = static_cast<double *>(hostAlloc(bytes)),
         *t = static_cast<double *>(hostAlloc(sizeof(double) * reps));
  double *da, *db, *dc;
  CUDA_CHECK(cudaMalloc(&da, bytes));
  CUDA_CHECK(cudaMalloc(&db, bytes));
  CUDA_CHECK(cudaMalloc(&dc, bytes));
  const double scalar = 3.0;
  LaunchShape shape = launchShape(nstreamKernel, n, block);

  for (int k = 0; k < numTimings; k++) {
    nstream_init(a, b, c, n);
    CUDA_CHECK(cudaMemcpy(da, a, bytes, cudaMemcpyHostToDevice));
    CUDA_CHECK(cudaMemcpy(db, b, bytes, cudaMemcpyHostToDevice));
    CUDA_CHECK(cudaMemcpy(dc, c, bytes, cudaMemcpyHostToDevice));
    timeOffload(
        timings[k], reps, t,
        [&] { nstreamKernel<<<shape.blocks, shape.threads>>>(n, scalar, db, dc, da); },
        [&] { // B, C and A (which the kernel reads too), as the guest's write_buffer calls
          CUDA_CHECK(cudaMemcpy(db, b, bytes, cudaMemcpyHostToDevice));
          CUDA_CHECK(cudaMemcpy(dc, c, bytes, cudaMemcpyHostToDevice));
          CUDA_CHECK(cudaMemcpy(da, a, bytes, cudaMemcpyHostToDevice));
        },
        [&] { CUDA_CHECK(cudaMemcpy(a, da, bytes, cudaMemcpyDeviceToHost)); });
    CUDA_CHECK(cudaMemcpy(a, da, bytes, cudaMemcpyDeviceToHost));
    report_gpu("nstream", "cuda", device, timings[k], n, int(reps), block, int(shape.threads), t,
               sum(a, n));
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
