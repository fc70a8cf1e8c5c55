// A sequential wasi-parallel host for Node.js: a reference for the ABI in docs/wasi-parallel.md
// and a way to run wasi-parallel guests where parawasm is not available. It offers one device
// (every hint resolves to it), runs the iterations in order on the calling thread, and works
// on the caller's memory directly, as parawasm's CPU device does.
//
//   const wp = new WasiParallel();
//   const instance = await WebAssembly.instantiate(module, { ...wasi.getImportObject(),
//                                                          ...wp.getImports() });
//   wp.setMemory(instance.exports.memory);

export const ErrorCode = Object.freeze({
  success: 0,
  invalid_handle: 1,
  invalid_argument: 2,
  invalid_kernel: 3,
  buffer_out_of_bounds: 4,
  kernel_trapped: 5,
  out_of_resources: 6,
  device_failure: 7,
  not_supported: 8,
});
export const DeviceKind = Object.freeze({ sequential: 0, cpu: 1, discrete_gpu: 2, integrated_gpu: 3 });
export const AccessKind = Object.freeze({ read: 0, write: 1, read_write: 2 });

const E = ErrorCode;
const MAX_ITERATIONS = 0x7fffffff;

function readLeb(bytes, pos) {
  let result = 0, shift = 0, byte;
  do {
    if (pos >= bytes.length) throw new Error('truncated LEB128');
    byte = bytes[pos++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [result, pos];
}

const VALTYPE = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128',
                  0x70: 'funcref', 0x6f: 'externref' };
const IMPORT_KIND = ['func', 'table', 'memory', 'global'];

// The kernel rules of docs/wasi-parallel.md, checked on the binary: returns a problem or null.
// (WebAssembly.Module has already validated the module, so the walk can trust its structure.)
function kernelProblem(bytes, numBuffers) {
  const types = [], funcs = [], imports = [];
  let pos = 8, kernelIndex = -1, importedFuncs = 0;
  const leb = () => { let v; [v, pos] = readLeb(bytes, pos); return v; };
  const name = () => { const n = leb(); pos += n; return new TextDecoder().decode(bytes.subarray(pos - n, pos)); };
  const limits = () => { const flags = bytes[pos++]; leb(); if (flags & 1) leb(); };
  while (pos < bytes.length) {
    const id = bytes[pos++];
    const size = leb();
    const end = pos + size;
    if (id === 1) {
      for (let n = leb(); n > 0; n--) {
        pos++; // 0x60
        const params = [], results = [];
        for (let k = leb(); k > 0; k--) params.push(VALTYPE[bytes[pos++]]);
        for (let k = leb(); k > 0; k--) results.push(VALTYPE[bytes[pos++]]);
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = leb(); n > 0; n--) {
        name(), name();
        const kind = bytes[pos++];
        imports.push(IMPORT_KIND[kind]);
        if (kind === 0) leb(), importedFuncs++;
        else if (kind === 1) pos++, limits();
        else if (kind === 2) limits();
        else pos += 2;
      }
    } else if (id === 3) {
      for (let n = leb(); n > 0; n--) funcs.push(leb());
    } else if (id === 7) {
      for (let n = leb(); n > 0; n--) {
        const exportName = name();
        const kind = bytes[pos++];
        const index = leb();
        if (exportName === 'kernel' && kind === 0) kernelIndex = index;
      }
    } else if (id === 8) {
      return 'has a start function';
    } else if (id === 11) {
      if (leb() > 0) return 'has data segments';
    }
    pos = end;
  }
  if (imports.length !== 1 || imports[0] !== 'memory') return 'must import exactly one memory';
  if (kernelIndex < importedFuncs) return 'does not export a function named kernel';
  const type = types[funcs[kernelIndex - importedFuncs]];
  if (type.results.length !== 0 || type.params.length !== 3 + 2 * numBuffers ||
      type.params.some((t) => t !== 'i32'))
    return `kernel has type (${type.params}) -> (${type.results}), which does not fit ` +
           `${numBuffers} buffers`;
  return null;
}

export class WasiParallel {
  constructor({ trace = false } = {}) {
    this.memory = null;
    this.trace = trace;
    this.nextHandle = 1; // devices and buffers share one numbering, so a mix-up is caught
    this.devices = new Map(); // handle -> { kind }
    this.buffers = new Map(); // handle -> { device, size, access, ptr }
    this.kernels = new Map(); // kernel bytes (as a string key) -> { module, instance, error }
    this.lastError = ''; // "call: code_name: message" of the last failed call (get_last_error)
    this.reason = null; // the message of the call in progress, when it says more than its code
  }

  setMemory(memory) {
    this.memory = memory;
  }

  getImports() {
    const self = this;
    const codeNames = Object.fromEntries(Object.entries(ErrorCode).map(([k, v]) => [v, k]));
    const wrap = (name, fn) => (...args) => {
      self.reason = null;
      const rc = fn.apply(self, args);
      if (rc !== E.success)
        self.lastError = `${name}: ${codeNames[rc]}: ${self.reason ?? `arguments (${args.join(', ')})`}`;
      if (self.trace) console.error(`wasi-parallel: ${name}(${args.join(', ')}) -> ${rc}`);
      return rc;
    };
    return {
      wasi_ephemeral_parallel: {
        get_device: wrap('get_device', this.getDevice),
        create_buffer: wrap('create_buffer', this.createBuffer),
        write_buffer: wrap('write_buffer', this.writeBuffer),
        read_buffer: wrap('read_buffer', this.readBuffer),
        parallel_exec: wrap('parallel_exec', this.parallelExec),
        // The table-index generation's team call and parawasm's get_device_threads: this host
        // runs one thread, so it has no teams; a guest (e.g. the OpenMP runtime) then runs the
        // region as a team of one itself.
        parallel_for: wrap('parallel_for', () => E.not_supported),
        get_device_threads: wrap('get_device_threads', this.getDeviceThreads),
        get_last_error: (...args) => self.getLastError(...args), // ours: leaves lastError as it is
      },
    };
  }

  // Our extension: the last failed call's reason, truncated to bufLen, and its full length.
  getLastError(bufPtr, bufLen, outLen) {
    const text = new TextEncoder().encode(this.lastError);
    if (!this.inBounds(bufPtr, bufLen) || !this.inBounds(outLen, 4)) return E.buffer_out_of_bounds;
    new Uint8Array(this.memory.buffer, bufPtr >>> 0, Math.min(text.length, bufLen >>> 0))
        .set(text.subarray(0, bufLen >>> 0));
    this.storeHandle(outLen, text.length);
    return E.success;
  }

  inBounds(ptr, len) {
    return (ptr >>> 0) + (len >>> 0) <= this.memory.buffer.byteLength;
  }

  storeHandle(ptr, handle) {
    new DataView(this.memory.buffer).setInt32(ptr >>> 0, handle, true);
  }

  getDevice(hint, outDevice) {
    if (hint < 0 || hint > 3) return E.invalid_argument;
    if (!this.inBounds(outDevice, 4)) return E.buffer_out_of_bounds;
    // One sequential device stands in for every kind; the same device keeps its handle.
    let handle = [...this.devices.keys()][0];
    if (handle === undefined) {
      handle = this.nextHandle++;
      this.devices.set(handle, { kind: DeviceKind.sequential });
    }
    this.storeHandle(outDevice, handle);
    return E.success;
  }

  getDeviceThreads(device, outThreads) {
    if (!this.devices.has(device)) return E.invalid_handle;
    if (!this.inBounds(outThreads, 4)) return E.buffer_out_of_bounds;
    this.storeHandle(outThreads, 1);
    return E.success;
  }

  createBuffer(device, size, access, outBuffer) {
    if (!this.devices.has(device)) return E.invalid_handle;
    if (access < 0 || access > 2) return E.invalid_argument;
    if (!this.inBounds(outBuffer, 4)) return E.buffer_out_of_bounds;
    const handle = this.nextHandle++;
    this.buffers.set(handle, { device, size: size >>> 0, access, ptr: null });
    this.storeHandle(outBuffer, handle);
    return E.success;
  }

  writeBuffer(dataPtr, dataLen, buffer) {
    const b = this.buffers.get(buffer);
    if (!b) return E.invalid_handle;
    if (dataLen >>> 0 !== b.size) return E.invalid_argument;
    if (!this.inBounds(dataPtr, dataLen)) return E.buffer_out_of_bounds;
    b.ptr = dataPtr >>> 0; // zero copy: the buffer is a view of the caller's memory
    return E.success;
  }

  readBuffer(buffer, dataPtr, dataLen) {
    const b = this.buffers.get(buffer);
    if (!b) return E.invalid_handle;
    if (dataLen >>> 0 !== b.size || b.ptr === null) return E.invalid_argument;
    if (!this.inBounds(dataPtr, dataLen)) return E.buffer_out_of_bounds;
    if (dataPtr >>> 0 !== b.ptr) {
      const bytes = new Uint8Array(this.memory.buffer);
      bytes.copyWithin(dataPtr >>> 0, b.ptr, b.ptr + b.size);
    }
    return E.success;
  }

  // Returns { instance } or { error } for the kernel bytes used with numBuffers buffers,
  // compiling and instantiating each distinct kernel once.
  kernelFor(bytes, numBuffers) {
    const key = Buffer.from(bytes).toString('latin1');
    let entry = this.kernels.get(key);
    if (!entry) {
      entry = {};
      try {
        entry.module = new WebAssembly.Module(bytes);
      } catch (e) {
        entry.error = String(e.message ?? e);
      }
      this.kernels.set(key, entry);
    }
    if (entry.error) return { error: entry.error };
    const problem = kernelProblem(bytes, numBuffers);
    if (problem) return { error: problem };
    if (!entry.instance) {
      const [memoryImport] = WebAssembly.Module.imports(entry.module);
      try {
        entry.instance = new WebAssembly.Instance(
            entry.module, { [memoryImport.module]: { [memoryImport.name]: this.memory } });
      } catch (e) {
        return { error: String(e.message ?? e) }; // e.g. memory limits that do not match
      }
    }
    return entry;
  }

  parallelExec(device, kernelPtr, kernelLen, numIterations, blockSize, inPtr, inLen, outPtr,
               outLen) {
    if (!this.devices.has(device)) return E.invalid_handle;
    if (!this.inBounds(kernelPtr, kernelLen) || !this.inBounds(inPtr, (inLen >>> 0) * 4) ||
        !this.inBounds(outPtr, (outLen >>> 0) * 4))
      return E.buffer_out_of_bounds;
    const view = new DataView(this.memory.buffer);
    const args = [];
    // Access kinds are transfer hints, not a gate: any buffer may be in either list.
    for (const [ptr, len] of [[inPtr, inLen], [outPtr, outLen]]) {
      for (let i = 0; i < len >>> 0; i++) {
        const b = this.buffers.get(view.getInt32((ptr >>> 0) + 4 * i, true));
        if (!b) return E.invalid_handle;
        if (b.device !== device || b.ptr === null) return E.invalid_argument;
        args.push(b.ptr | 0, b.size | 0);
      }
    }
    if (numIterations >>> 0 > MAX_ITERATIONS) return E.invalid_argument;
    const bytes = new Uint8Array(this.memory.buffer, kernelPtr >>> 0, kernelLen >>> 0).slice();
    const entry = this.kernelFor(bytes, args.length / 2);
    if (entry.error) {
      this.reason = entry.error;
      if (this.trace) console.error(`wasi-parallel: invalid kernel: ${entry.error}`);
      return E.invalid_kernel;
    }
    const kernel = entry.instance.exports.kernel;
    try {
      for (let i = 0; i < numIterations; i++) kernel(i, numIterations, blockSize, ...args);
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) {
        this.reason = e.message;
        if (this.trace) console.error(`wasi-parallel: kernel trapped: ${e.message}`);
        return E.kernel_trapped;
      }
      throw e;
    }
    return E.success;
  }
}
