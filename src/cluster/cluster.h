// The cluster device (docs/cluster.md): one wasi-parallel device over the ranks of an MPI job.
// `mpirun -np N parawasm run --device cluster app.wasm` starts N copies of the CLI; rank 0 runs
// the guest, every other rank serves as a worker until rank 0 leaves. What the CLI calls:
//
//   join()          every rank, first: opens Open MPI and says which rank this is;
//   serveWorker()   ranks other than 0: runs parts of launches until told to stop;
//   offerDevice()   rank 0: hears from each worker what it runs on and registers the device
//                   "cluster" with parallel's registry (`--device cluster` forces it);
//   leave()         rank 0, at exit: stops the workers and leaves the job.
#pragma once

#include "parawasm/parawasm.h"

#include <string>

namespace parawasm::cluster {

struct Role {
  int rank = 0;
  int ranks = 1;
};

[[nodiscard]] Result<Role> join();
// Returns the worker's exit status once rank 0 says stop (0) or the job fails (1). `config` is
// the engine configuration rank 0 runs with (kernels compile as there: the memory outside a
// part's window is inaccessible in the worker's copy, so reaching it traps without checks).
// `threads` as --threads (0: $PARAWASM_THREADS, else every hardware thread).
int serveWorker(const EngineConfig &config, unsigned threads, bool verbose);
[[nodiscard]] Result<void> offerDevice(unsigned threads, bool verbose);
void leave();

// One line for `parawasm devices`: whether this machine can run the cluster device.
std::string availability();

} // namespace parawasm::cluster
