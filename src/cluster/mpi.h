// The few MPI calls the cluster device makes, on Open MPI (Debian's libmpi.so.40) opened at run
// time: nothing MPI is needed to build parawasm, a machine without Open MPI runs everything but
// the cluster device, and the self-contained release bundle stays free of it. The handles and
// constants are Open MPI's ABI (its mpi.h): MPI_COMM_WORLD, MPI_BYTE and MPI_ERRORS_RETURN are
// addresses of library globals, a status is {source, tag, error, cancelled, count}.
// Only src/cluster includes this file.
#pragma once

#include "parawasm/parawasm.h"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace parawasm::cluster {

struct MpiStatus { // Open MPI's struct ompi_status_public_t
  int source;
  int tag;
  int error;
  int cancelled;
  size_t count;
};
static_assert(sizeof(MpiStatus) == 24);

// Message tags of the cluster protocol (wire.h).
enum Tag : int {
  kTagHello = 1,    // worker -> rank 0, once: what the worker runs kernels on
  kTagLaunch = 2,   // rank 0 -> worker: one part of a launch
  kTagCancel = 3,   // rank 0 -> worker: stop the part it is running (interrupt)
  kTagReply = 4,    // worker -> rank 0: the part's status and the bytes it changed
  kTagShutdown = 5, // rank 0 -> worker: leave
};

// Waiting for a message by polling: spin briefly, then sleep longer and longer (up to a
// millisecond), so that idle ranks leave the CPU to the ranks that compute (Open MPI's blocking
// calls spin).
class Backoff {
public:
  void pause() {
    if (++rounds_ < 64)
      return std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::microseconds(std::min<int>(1000, rounds_ - 63)));
  }
  void reset() { rounds_ = 0; }

private:
  int rounds_ = 0;
};

class Mpi {
public:
  // The process's MPI library, opened and initialised on first use (MPI_Init_thread with
  // MPI_THREAD_SERIALIZED: calls come from several threads, never two at once). Errors say what
  // is missing (Open MPI not installed, MPI_Init failed).
  [[nodiscard]] static Result<Mpi *> get();
  // Whether libmpi.so.40 can be opened at all (for `parawasm devices`), without initialising it.
  static bool libraryPresent();

  int rank() const { return rank_; }
  int size() const { return size_; }
  const std::string &version() const { return version_; }

  // Point-to-point on MPI_COMM_WORLD, in bytes. A blob of any size goes as a length and then
  // pieces of at most 1 GiB (MPI counts are int).
  [[nodiscard]] Result<void> sendBlob(int dest, int tag, std::span<const uint8_t> bytes);
  [[nodiscard]] Result<void> recvBlob(int source, int tag, std::vector<uint8_t> &out);
  [[nodiscard]] Result<void> sendEmpty(int dest, int tag);
  // Whether a message with `tag` from `source` (-1: any) is waiting; its status if so.
  [[nodiscard]] Result<bool> probe(int source, int tag, MpiStatus *status = nullptr);
  // Ends this process's part in the job (MPI_Finalize); later calls fail.
  void finalize();
  // Ends the whole job (MPI_Abort) with `status`.
  [[noreturn]] void abort(int status);

  struct Api;

private:
  Mpi() = default;
  Error failure(const char *call, int code) const;
  Api *api_ = nullptr;
  int rank_ = 0, size_ = 1;
  bool finalized_ = false;
  std::string version_;
};

} // namespace parawasm::cluster
