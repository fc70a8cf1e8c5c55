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

// Section ids of the binary format that a kernel may not carry.
const SECTION_START = 8;
const SECTION_DATA = 11;

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

// The kernel rules the JS API cannot see: no start function, no data segments.
function checkSections(bytes) {
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos++];
    let size;
    [size, pos] = readLeb(bytes, pos);
    if (id === SECTION_START) return 'has a start function';
    if (id === SECTION_DATA) {
      const [count] = readLeb(bytes, pos);
      if (count > 0) return 'has data segments';
    }
    pos += size;
  }
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
  }

  setMemory(memory) {
    this.memory = memory;
  }

  getImports() {
    const self = this;
    const wrap = (name, fn) => (...args) => {
      const rc = fn.apply(self, args);
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
      },
    };
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

  // Returns { instance } or { error } for the kernel bytes, compiling each distinct kernel once.
  kernelFor(bytes) {
    const key = Buffer.from(bytes).toString('latin1');
    let entry = this.kernels.get(key);
    if (!entry) {
      entry = {};
      try {
        const module = new WebAssembly.Module(bytes);
        const imports = WebAssembly.Module.imports(module);
        const exports = WebAssembly.Module.exports(module);
        const problem = checkSections(bytes) ??
          (imports.length !== 1 || imports[0].kind !== 'memory'
            ? 'must import exactly one memory'
            : !exports.some((e) => e.name === 'kernel' && e.kind === 'function')
              ? 'does not export a function named kernel'
              : null);
        if (problem) {
          entry.error = problem;
        } else {
          const importObject = { [imports[0].module]: { [imports[0].name]: this.memory } };
          entry.instance = new WebAssembly.Instance(module, importObject);
        }
      } catch (e) {
        entry.error = String(e.message ?? e);
      }
      this.kernels.set(key, entry);
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
    const lists = [[inPtr, inLen, (a) => a !== AccessKind.write],
                   [outPtr, outLen, (a) => a !== AccessKind.read]];
    for (const [ptr, len, allowed] of lists) {
      for (let i = 0; i < len >>> 0; i++) {
        const b = this.buffers.get(view.getInt32((ptr >>> 0) + 4 * i, true));
        if (!b) return E.invalid_handle;
        if (b.device !== device || !allowed(b.access) || b.ptr === null) return E.invalid_argument;
        args.push(b.ptr | 0, b.size | 0);
      }
    }
    if (numIterations >>> 0 > MAX_ITERATIONS || blockSize >>> 0 === 0) return E.invalid_argument;
    const bytes = new Uint8Array(this.memory.buffer, kernelPtr >>> 0, kernelLen >>> 0).slice();
    const entry = this.kernelFor(bytes);
    if (entry.error) {
      if (this.trace) console.error(`wasi-parallel: invalid kernel: ${entry.error}`);
      return E.invalid_kernel;
    }
    const kernel = entry.instance.exports.kernel;
    if (kernel.length !== 3 + args.length) return E.invalid_kernel;
    try {
      for (let i = 0; i < numIterations; i++) kernel(i, numIterations, blockSize, ...args);
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) {
        if (this.trace) console.error(`wasi-parallel: kernel trapped: ${e.message}`);
        return E.kernel_trapped;
      }
      throw e;
    }
    return E.success;
  }
}
