// The WIT generation (wit/wasi-parallel.wit): the canonical-ABI lowering of our WIT interface, as
// wit-bindgen's C output imports it from "parawasm:parallel/parallel@0.1.0". Every function is an
// adapter over the same cores as the witx calls; results of type result<T, error> are written to
// the guest's return pointer (discriminant byte at 0, payload at the payload's alignment), and
// read-buffer's list is allocated with the guest's own cabi_realloc.
#include "parallel/host_api.h"

#include "runtime/objects.h"

#include <cstring>

namespace parawasm::parallel {
namespace {

GuestMemory memoryOf(Caller &caller) { return callerMemory(caller.instance()); }

// The WIT `error` enum is wasi-parallel's errno less `success`.
uint8_t witError(ErrorCode code) { return uint8_t(static_cast<int32_t>(code) - 1); }

// A result<T, error> area of `size` bytes at `retptr`: inside memory and 4-aligned, or a trap.
HostStatus checkReturnArea(const GuestMemory &m, uint32_t retptr, uint32_t size) {
  if (retptr % 4 || !m.contains(retptr, size))
    return HostStatus::trap(TrapCode::MemoryOutOfBounds,
                            "wasi-parallel: the return area is outside memory or misaligned");
  return HostStatus::ok();
}

void writeU32(const GuestMemory &m, uint32_t at, uint32_t value) {
  std::memcpy(m.base() + at, &value, 4);
}

// result<_, error> / result<u32, error> / result<list<u8>, error>: the payload of an error is the
// enum byte right after the discriminant's padding.
void writeErr(const GuestMemory &m, uint32_t retptr, uint32_t payloadOffset, ErrorCode code) {
  m.base()[retptr] = 1;
  m.base()[retptr + payloadOffset] = witError(code);
}

HostStatus listOutside(const char *what) {
  return HostStatus::trap(TrapCode::MemoryOutOfBounds,
                          std::string("wasi-parallel: the ") + what + " list is outside memory");
}

} // namespace

HostStatus HostContext::witGetDevice(Caller &, int32_t hint, int32_t &handle) {
  if (!toDeviceKind(hint)) // lifting an enum out of range traps in the canonical ABI
    return HostStatus::trap("wasi-parallel: get-device: hint " + std::to_string(hint) +
                            " is not a device-kind");
  Status st = chooseDeviceFor(Generation::Wit, hint, handle);
  if (!st.isOk())
    return HostStatus::trap("wasi-parallel: get-device: " + st.message);
  return HostStatus::ok();
}

HostStatus HostContext::witCreateBuffer(Caller &caller, int32_t device, uint32_t size,
                                        int32_t access, uint32_t retptr) {
  GuestMemory m = memoryOf(caller);
  if (HostStatus s = checkReturnArea(m, retptr, 8); !s.isOk())
    return s;
  if (!toAccessKind(access))
    return HostStatus::trap("wasi-parallel: create-buffer: access " + std::to_string(access) +
                            " is not a buffer-access-kind");
  int32_t handle = 0;
  Status st = create(device, size, access, handle, caller.instance());
  if (!st.isOk()) {
    writeErr(m, retptr, 4, fail("create-buffer", std::move(st)));
    return HostStatus::ok();
  }
  m.base()[retptr] = 0;
  writeU32(m, retptr + 4, uint32_t(handle));
  return HostStatus::ok();
}

HostStatus HostContext::witWriteBuffer(Caller &caller, uint32_t dataPtr, uint32_t dataLen,
                                       int32_t buffer, uint32_t retptr) {
  GuestMemory m = memoryOf(caller);
  if (HostStatus s = checkReturnArea(m, retptr, 4); !s.isOk())
    return s;
  if (!m.contains(dataPtr, dataLen))
    return listOutside("data");
  Status st = bind(m, dataPtr, dataLen, buffer);
  if (!st.isOk()) {
    writeErr(m, retptr, 1, fail("write-buffer", std::move(st)));
    return HostStatus::ok();
  }
  m.base()[retptr] = 0;
  return HostStatus::ok();
}

HostStatus HostContext::witReadBuffer(Caller &caller, int32_t buffer, uint32_t retptr) {
  GuestMemory m = memoryOf(caller);
  if (HostStatus s = checkReturnArea(m, retptr, 12); !s.isOk())
    return s;
  uint32_t size = 0;
  Status known = Status::ok();
  {
    std::lock_guard lock(mutex_);
    BufferRecord *b = bufferAt(buffer);
    if (!b)
      known =
          Status::fail(ErrorCode::InvalidHandle, "unknown buffer handle " + std::to_string(buffer));
    else if (!b->bound)
      known =
          Status::fail(ErrorCode::InvalidArgument, "the buffer was never bound by write-buffer");
    else
      size = b->size;
  }
  if (!known.isOk()) {
    writeErr(m, retptr, 4, fail("read-buffer", std::move(known)));
    return HostStatus::ok();
  }
  // The list is the guest's: it comes from its cabi_realloc(0, 0, 1, size).
  runtime::InstanceObject *inst = caller.instance();
  std::shared_ptr<runtime::FuncObject> realloc;
  for (const vm::ExportInfo &e : inst->module->info.exports)
    if (e.kind == ExternKind::Func && e.name == "cabi_realloc")
      realloc = inst->funcs[e.index];
  const FuncType reallocType{{ValType::I32, ValType::I32, ValType::I32, ValType::I32},
                             {ValType::I32}};
  if (!realloc || realloc->type != reallocType)
    return HostStatus::trap("wasi-parallel: read-buffer needs the export cabi_realloc "
                            "(i32 i32 i32 i32) -> i32");
  Val args[] = {Val::makeI32(0), Val::makeI32(0), Val::makeI32(1), Val::makeI32(int32_t(size))};
  auto ptr = runtime::call(*realloc, args);
  if (!ptr)
    return HostStatus::trap(ptr.error().trapCode().value_or(TrapCode::HostTrap),
                            "wasi-parallel: cabi_realloc: " + ptr.error().message());
  uint32_t list = uint32_t((*ptr)[0].of.i32);
  m = memoryOf(caller); // cabi_realloc may have grown memory
  if (!m.contains(list, size))
    return HostStatus::trap(TrapCode::MemoryOutOfBounds,
                            "wasi-parallel: cabi_realloc returned a region outside memory");
  Status st = fetch(m, buffer, list, size);
  if (!st.isOk()) {
    writeErr(m, retptr, 4, fail("read-buffer", std::move(st)));
    return HostStatus::ok();
  }
  m.base()[retptr] = 0;
  writeU32(m, retptr + 4, list);
  writeU32(m, retptr + 8, size);
  return HostStatus::ok();
}

HostStatus HostContext::witParallelExec(Caller &caller, int32_t device, uint32_t kernelPtr,
                                        uint32_t kernelLen, uint32_t numIterations,
                                        uint32_t blockSize, uint32_t buffersPtr,
                                        uint32_t buffersLen, uint32_t retptr) {
  static const char *call = "parallel-exec";
  GuestMemory m = memoryOf(caller);
  if (HostStatus s = checkReturnArea(m, retptr, 4); !s.isOk())
    return s;
  if (!m.contains(kernelPtr, kernelLen))
    return listOutside("kernel");
  if (!m.contains(buffersPtr, uint64_t(buffersLen) * 4) || buffersPtr % 4)
    return listOutside("buffers");
  auto result = [&](Status st) {
    if (st.isOk())
      m.base()[retptr] = 0;
    else
      writeErr(m, retptr, 1, fail(call, std::move(st)));
    return HostStatus::ok();
  };
  size_t deviceIndex = 0;
  Device *dev = deviceAt(device, &deviceIndex);
  if (!dev)
    return result(
        Status::fail(ErrorCode::InvalidHandle, "unknown device handle " + std::to_string(device)));
  // One list: each buffer's access kind gives its direction.
  std::vector<ListedBuffer> listed;
  for (uint32_t k = 0; k < buffersLen; ++k) {
    int32_t handle;
    std::memcpy(&handle, m.base() + buffersPtr + 4 * k, 4);
    listed.push_back({handle, false, false, "buffer", k});
  }
  std::optional<size_t> onDevice = deviceIndex;
  std::vector<LaunchBuffer> buffers;
  Status st = resolveBuffers(m, listed, onDevice, buffers);
  if (st.isOk())
    st = exec(call, *dev, m, {m.base() + kernelPtr, kernelLen}, numIterations, blockSize, buffers,
              nullptr, caller.instance());
  return result(std::move(st));
}

} // namespace parawasm::parallel
