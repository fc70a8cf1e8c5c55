#include "cluster/mpi.h"

#include <algorithm>
#include <cstring>
#include <dlfcn.h>
#include <mutex>

namespace parawasm::cluster {

namespace {

using Handle = void *; // MPI_Comm, MPI_Datatype, MPI_Errhandler: pointers in Open MPI
constexpr int kMpiSuccess = 0;
constexpr int kMpiThreadSerialized = 2;
constexpr int kMaxErrorString = 256;
constexpr int kMaxVersionString = 256;
constexpr size_t kPiece = size_t(1) << 30; // bytes per MPI message of a blob

constexpr const char *kLibrary = "libmpi.so.40";

} // namespace

struct Mpi::Api {
  void *library = nullptr;
  Handle commWorld = nullptr, byte = nullptr, errorsReturn = nullptr;
  int (*initThread)(int *, char ***, int, int *) = nullptr;
  int (*initialized)(int *) = nullptr;
  int (*finalize)() = nullptr;
  int (*commRank)(Handle, int *) = nullptr;
  int (*commSize)(Handle, int *) = nullptr;
  int (*commSetErrhandler)(Handle, Handle) = nullptr;
  int (*send)(const void *, int, Handle, int, int, Handle) = nullptr;
  int (*recv)(void *, int, Handle, int, int, Handle, MpiStatus *) = nullptr;
  int (*iprobe)(int, int, Handle, int *, MpiStatus *) = nullptr;
  int (*getCount)(const MpiStatus *, Handle, int *) = nullptr;
  int (*abort)(Handle, int) = nullptr;
  int (*errorString)(int, char *, int *) = nullptr;
  int (*libraryVersion)(char *, int *) = nullptr;
};

bool Mpi::libraryPresent() {
  // RTLD_NOLOAD first: already open in this process is present too.
  if (void *h = dlopen(kLibrary, RTLD_LAZY | RTLD_NOLOAD))
    return dlclose(h), true;
  void *h = dlopen(kLibrary, RTLD_LAZY | RTLD_LOCAL);
  if (!h)
    return false;
  dlclose(h);
  return true;
}

Result<Mpi *> Mpi::get() {
  static std::mutex mutex;
  static Mpi *instance = nullptr;
  static std::optional<Error> failed;
  std::lock_guard lock(mutex);
  if (instance)
    return instance;
  if (failed)
    return *failed;
  auto fail = [&](std::string message) -> Error {
    failed = Error(ErrorKind::Usage, "cluster device: " + std::move(message));
    return *failed;
  };
  // RTLD_GLOBAL: Open MPI's own plugins, which it opens later, resolve their symbols in it.
  void *library = dlopen(kLibrary, RTLD_NOW | RTLD_GLOBAL);
  if (!library)
    return fail(std::string("cannot open ") + kLibrary +
                " (install Open MPI: apt-get install openmpi-bin): " + dlerror());
  auto *api = new Api();
  api->library = library;
  bool missing = false;
  auto symbol = [&](const char *name) {
    void *p = dlsym(library, name);
    if (!p)
      missing = true;
    return p;
  };
  api->commWorld = symbol("ompi_mpi_comm_world");
  api->byte = symbol("ompi_mpi_byte");
  api->errorsReturn = symbol("ompi_mpi_errors_return");
#define PW_MPI_FN(member, name) api->member = reinterpret_cast<decltype(api->member)>(symbol(name))
  PW_MPI_FN(initThread, "MPI_Init_thread");
  PW_MPI_FN(initialized, "MPI_Initialized");
  PW_MPI_FN(finalize, "MPI_Finalize");
  PW_MPI_FN(commRank, "MPI_Comm_rank");
  PW_MPI_FN(commSize, "MPI_Comm_size");
  PW_MPI_FN(commSetErrhandler, "MPI_Comm_set_errhandler");
  PW_MPI_FN(send, "MPI_Send");
  PW_MPI_FN(recv, "MPI_Recv");
  PW_MPI_FN(iprobe, "MPI_Iprobe");
  PW_MPI_FN(getCount, "MPI_Get_count");
  PW_MPI_FN(abort, "MPI_Abort");
  PW_MPI_FN(errorString, "MPI_Error_string");
  PW_MPI_FN(libraryVersion, "MPI_Get_library_version");
#undef PW_MPI_FN
  if (missing) {
    delete api;
    return fail(std::string(kLibrary) + " is not the Open MPI this build expects (a symbol is "
                                        "missing)");
  }
  int provided = 0;
  if (int rc = api->initThread(nullptr, nullptr, kMpiThreadSerialized, &provided);
      rc != kMpiSuccess)
    return fail("MPI_Init_thread failed (error " + std::to_string(rc) + ")");
  if (provided < kMpiThreadSerialized)
    return fail("the MPI library does not allow calls from more than one thread");
  // Errors come back as codes (turned into device_failure) instead of ending the job at once.
  api->commSetErrhandler(api->commWorld, api->errorsReturn);
  auto *mpi = new Mpi();
  mpi->api_ = api;
  api->commRank(api->commWorld, &mpi->rank_);
  api->commSize(api->commWorld, &mpi->size_);
  char version[kMaxVersionString] = {};
  int length = 0;
  if (api->libraryVersion(version, &length) == kMpiSuccess)
    mpi->version_.assign(version, size_t(std::clamp(length, 0, kMaxVersionString - 1)));
  if (auto eol = mpi->version_.find_first_of(",\n"); eol != std::string::npos)
    mpi->version_.resize(eol);
  instance = mpi;
  return instance;
}

Error Mpi::failure(const char *call, int code) const {
  char text[kMaxErrorString] = {};
  int length = 0;
  std::string message = std::string(call) + " failed";
  if (api_->errorString(code, text, &length) == kMpiSuccess && length > 0)
    message += ": " + std::string(text, size_t(std::min(length, kMaxErrorString - 1)));
  return Error(ErrorKind::Io, message);
}

Result<void> Mpi::sendBlob(int dest, int tag, std::span<const uint8_t> bytes) {
  if (finalized_)
    return Error(ErrorKind::Io, "MPI has been finalised");
  const uint64_t length = bytes.size();
  if (int rc = api_->send(&length, sizeof length, api_->byte, dest, tag, api_->commWorld);
      rc != kMpiSuccess)
    return failure("MPI_Send", rc);
  for (size_t done = 0; done < bytes.size();) {
    const size_t piece = std::min(kPiece, bytes.size() - done);
    if (int rc =
            api_->send(bytes.data() + done, int(piece), api_->byte, dest, tag, api_->commWorld);
        rc != kMpiSuccess)
      return failure("MPI_Send", rc);
    done += piece;
  }
  return {};
}

Result<void> Mpi::recvBlob(int source, int tag, std::vector<uint8_t> &out) {
  if (finalized_)
    return Error(ErrorKind::Io, "MPI has been finalised");
  uint64_t length = 0;
  MpiStatus status{};
  if (int rc =
          api_->recv(&length, sizeof length, api_->byte, source, tag, api_->commWorld, &status);
      rc != kMpiSuccess)
    return failure("MPI_Recv", rc);
  out.resize(length);
  for (size_t done = 0; done < length;) {
    const size_t piece = std::min<size_t>(kPiece, length - done);
    if (int rc = api_->recv(out.data() + done, int(piece), api_->byte, status.source, tag,
                            api_->commWorld, nullptr);
        rc != kMpiSuccess)
      return failure("MPI_Recv", rc);
    done += piece;
  }
  return {};
}

Result<void> Mpi::sendEmpty(int dest, int tag) { return sendBlob(dest, tag, {}); }

Result<bool> Mpi::probe(int source, int tag, MpiStatus *status) {
  if (finalized_)
    return Error(ErrorKind::Io, "MPI has been finalised");
  int flag = 0;
  MpiStatus local{};
  if (int rc = api_->iprobe(source, tag, api_->commWorld, &flag, status ? status : &local);
      rc != kMpiSuccess)
    return failure("MPI_Iprobe", rc);
  return flag != 0;
}

void Mpi::finalize() {
  if (!finalized_)
    api_->finalize();
  finalized_ = true;
}

void Mpi::abort(int status) {
  api_->abort(api_->commWorld, status);
  std::_Exit(status); // MPI_Abort does not return; this is for a library that does
}

} // namespace parawasm::cluster
