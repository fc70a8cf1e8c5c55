// include/parawasm/wasi.h: binds the calls of src/wasi/calls.h to module
// "wasi_snapshot_preview1" on a Linker (here, above src/wasi, where the Linker is). The import
// signature of each function is derived from the C++ parameter types (uint32_t -> i32,
// uint64_t -> i64, result i32 errno), so the table below cannot disagree with the code.
#include "parawasm/wasi.h"
#include "wasi/calls.h"
#include "wasi/wasi_state.h"

#include <type_traits>
#include <utility>

namespace parawasm {
namespace {

using namespace wasi;

constexpr const char *ModuleName = "wasi_snapshot_preview1";

template <class T> constexpr ValType valTypeOf() {
  static_assert(std::is_same_v<T, uint32_t> || std::is_same_v<T, uint64_t>);
  return std::is_same_v<T, uint32_t> ? ValType::I32 : ValType::I64;
}

template <class T> T argAs(const Val &v) {
  if constexpr (std::is_same_v<T, uint32_t>)
    return static_cast<uint32_t>(v.of.i32);
  else
    return static_cast<uint64_t>(v.of.i64);
}

GuestMemory memoryOf(Caller &caller) {
  return GuestMemory(caller.memoryBase(), caller.memorySize());
}

template <auto Fn> struct Binding;
template <class... A, Errno (*Fn)(WasiState &, const GuestMemory &, A...)> struct Binding<Fn> {
  static FuncType type() { return FuncType{{valTypeOf<A>()...}, {ValType::I32}}; }

  static HostCallback callback(std::shared_ptr<WasiContext> ctx) {
    return
        [ctx = std::move(ctx)](Caller &caller, std::span<const Val> args, std::span<Val> results) {
          GuestMemory mem = memoryOf(caller);
          Errno e = invoke(ctx->state(), mem, args, std::index_sequence_for<A...>{});
          results[0] = Val::makeI32(static_cast<int32_t>(e));
          return HostStatus::ok();
        };
  }

  template <size_t... I>
  static Errno invoke(WasiState &s, const GuestMemory &mem, std::span<const Val> args,
                      std::index_sequence<I...>) {
    (void)args; // sched_yield takes none
    return Fn(s, mem, argAs<A>(args[I])...);
  }
};

HostStatus outcomeStatus(const ProcOutcome &o, std::span<Val> results) {
  if (o.exitStatus)
    return HostStatus::exit(*o.exitStatus);
  if (o.trapMessage)
    return HostStatus::trap(*o.trapMessage);
  if (!results.empty())
    results[0] = Val::makeI32(static_cast<int32_t>(o.errno_));
  return HostStatus::ok();
}

struct Entry {
  const char *name;
  FuncType type;
  HostCallback (*make)(std::shared_ptr<WasiContext>);
};

#define PW_WASI_FN(name, fn)                                                                       \
  { name, Binding<&fn>::type(), &Binding<&fn>::callback }

const std::vector<Entry> &entries() {
  static const std::vector<Entry> table = {
      PW_WASI_FN("args_get", argsGet),
      PW_WASI_FN("args_sizes_get", argsSizesGet),
      PW_WASI_FN("environ_get", environGet),
      PW_WASI_FN("environ_sizes_get", environSizesGet),
      PW_WASI_FN("clock_res_get", clockResGet),
      PW_WASI_FN("clock_time_get", clockTimeGet),
      PW_WASI_FN("fd_advise", fdAdvise),
      PW_WASI_FN("fd_allocate", fdAllocate),
      PW_WASI_FN("fd_close", fdClose),
      PW_WASI_FN("fd_datasync", fdDatasync),
      PW_WASI_FN("fd_fdstat_get", fdFdstatGet),
      PW_WASI_FN("fd_fdstat_set_flags", fdFdstatSetFlags),
      PW_WASI_FN("fd_fdstat_set_rights", fdFdstatSetRights),
      PW_WASI_FN("fd_filestat_get", fdFilestatGet),
      PW_WASI_FN("fd_filestat_set_size", fdFilestatSetSize),
      PW_WASI_FN("fd_filestat_set_times", fdFilestatSetTimes),
      PW_WASI_FN("fd_pread", fdPread),
      PW_WASI_FN("fd_prestat_get", fdPrestatGet),
      PW_WASI_FN("fd_prestat_dir_name", fdPrestatDirName),
      PW_WASI_FN("fd_pwrite", fdPwrite),
      PW_WASI_FN("fd_read", fdRead),
      PW_WASI_FN("fd_readdir", fdReaddir),
      PW_WASI_FN("fd_renumber", fdRenumber),
      PW_WASI_FN("fd_seek", fdSeek),
      PW_WASI_FN("fd_sync", fdSync),
      PW_WASI_FN("fd_tell", fdTell),
      PW_WASI_FN("fd_write", fdWrite),
      PW_WASI_FN("path_create_directory", pathCreateDirectory),
      PW_WASI_FN("path_filestat_get", pathFilestatGet),
      PW_WASI_FN("path_filestat_set_times", pathFilestatSetTimes),
      PW_WASI_FN("path_link", pathLink),
      PW_WASI_FN("path_open", pathOpen),
      PW_WASI_FN("path_readlink", pathReadlink),
      PW_WASI_FN("path_remove_directory", pathRemoveDirectory),
      PW_WASI_FN("path_rename", pathRename),
      PW_WASI_FN("path_symlink", pathSymlink),
      PW_WASI_FN("path_unlink_file", pathUnlinkFile),
      PW_WASI_FN("poll_oneoff", pollOneoff),
      PW_WASI_FN("sched_yield", schedYield),
      PW_WASI_FN("random_get", randomGet),
      PW_WASI_FN("sock_accept", sockAccept),
      PW_WASI_FN("sock_recv", sockRecv),
      PW_WASI_FN("sock_send", sockSend),
      PW_WASI_FN("sock_shutdown", sockShutdown),
      {"proc_exit", FuncType{{ValType::I32}, {}},
       [](std::shared_ptr<WasiContext>) -> HostCallback {
         return [](Caller &, std::span<const Val> args, std::span<Val> results) {
           return outcomeStatus(procExit(static_cast<uint32_t>(args[0].of.i32)), results);
         };
       }},
      {"proc_raise", FuncType{{ValType::I32}, {ValType::I32}},
       [](std::shared_ptr<WasiContext>) -> HostCallback {
         return [](Caller &, std::span<const Val> args, std::span<Val> results) {
           return outcomeStatus(procRaise(static_cast<uint32_t>(args[0].of.i32)), results);
         };
       }},
  };
  return table;
}

#undef PW_WASI_FN

} // namespace

void addWasiToLinker(Linker &linker, std::shared_ptr<WasiContext> context) {
  for (const Entry &e : entries())
    linker.defineFunction(ModuleName, e.name, e.type, e.make(context));
  if (std::shared_ptr<ThreadGroup> threads = context->state().threads)
    linker.defineFunction(
        "wasi", "thread-spawn", FuncType{{ValType::I32}, {ValType::I32}},
        [threads](Caller &caller, std::span<const Val> args, std::span<Val> results) {
          results[0] = Val::makeI32(threads->spawn(caller.instance(), uint32_t(args[0].of.i32)));
          return HostStatus::ok();
        });
}

const std::vector<std::string> &wasiFunctionNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const Entry &e : entries())
      out.push_back(e.name);
    return out;
  }();
  return names;
}

} // namespace parawasm
