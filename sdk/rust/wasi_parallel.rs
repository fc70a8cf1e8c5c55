//! Guest bindings to wasi-parallel (host module `wasi_ephemeral_parallel`) for Rust programs
//! built for `wasm32-wasi`, with no crates: build this file as an rlib and link it with
//! `--extern wasi_parallel=...` (sdk/cmake/WasiParallel.cmake's `wasi_rust_guest_program` does).
//!
//! Two layers, as in `wasi_parallel.h`:
//!  - `raw`: the imports exactly as the host sees them (i32 error code, results through pointers);
//!  - safe wrappers (`device`, `Device`, `Buffer`) returning `Result<_, Error>`, where `Error`
//!    carries the host's reason for the failure (our `get_last_error` extension).
//!
//! Numbers are the ABI of docs/wasi-parallel.md; the host's copy is `src/parallel/abi.h`.

use std::fmt;

/// The raw imports. Every function returns an error code (0 = success).
pub mod raw {
    #[link(wasm_import_module = "wasi_ephemeral_parallel")]
    extern "C" {
        pub fn get_device(hint: i32, out_device: *mut i32) -> i32;
        pub fn create_buffer(device: i32, size: u32, access: i32, out_buffer: *mut i32) -> i32;
        pub fn write_buffer(data: *const u8, data_len: u32, buffer: i32) -> i32;
        pub fn read_buffer(buffer: i32, data: *mut u8, data_len: u32) -> i32;
        pub fn parallel_exec(
            device: i32,
            kernel: *const u8,
            kernel_len: u32,
            num_iterations: u32,
            block_size: u32,
            in_buffers: *const i32,
            in_buffers_len: u32,
            out_buffers: *const i32,
            out_buffers_len: u32,
        ) -> i32;
        /// Our extension: threads `device` runs at once.
        pub fn get_device_threads(device: i32, out_threads: *mut u32) -> i32;
        /// Our extension: "call: code_name: message" of the last failed call.
        pub fn get_last_error(buf: *mut u8, buf_len: u32, out_len: *mut u32) -> i32;
    }
}

/// Error codes; the numbers are stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Errno {
    InvalidHandle = 1,
    InvalidArgument = 2,
    InvalidKernel = 3,
    BufferOutOfBounds = 4,
    KernelTrapped = 5,
    OutOfResources = 6,
    DeviceFailure = 7,
    NotSupported = 8,
    /// A number this file does not know.
    Unknown = -1,
}

impl Errno {
    fn from_code(code: i32) -> Errno {
        match code {
            1 => Errno::InvalidHandle,
            2 => Errno::InvalidArgument,
            3 => Errno::InvalidKernel,
            4 => Errno::BufferOutOfBounds,
            5 => Errno::KernelTrapped,
            6 => Errno::OutOfResources,
            7 => Errno::DeviceFailure,
            8 => Errno::NotSupported,
            _ => Errno::Unknown,
        }
    }

    /// "invalid handle", "kernel trapped", ... (as `wp_strerror`).
    pub fn message(self) -> &'static str {
        match self {
            Errno::InvalidHandle => "invalid handle",
            Errno::InvalidArgument => "invalid argument",
            Errno::InvalidKernel => "invalid kernel",
            Errno::BufferOutOfBounds => "buffer out of bounds",
            Errno::KernelTrapped => "kernel trapped",
            Errno::OutOfResources => "out of resources",
            Errno::DeviceFailure => "device failure",
            Errno::NotSupported => "not supported",
            Errno::Unknown => "unknown error",
        }
    }
}

/// A failed call: which one, its error code, and the host's reason when it gave one.
#[derive(Clone, Debug)]
pub struct Error {
    pub call: &'static str,
    pub code: i32,
    pub errno: Errno,
    pub reason: String,
}

impl fmt::Display for Error {
    /// "CALL failed: ERROR (CODE): REASON", the line `wasi_parallel.h`'s helpers print.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {} ({})", self.call, self.errno.message(), self.code)?;
        if !self.reason.is_empty() {
            write!(f, ": {}", self.reason)?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// The host's reason for the last failure of `call`, without the "call: code_name: " prefix;
/// empty when the host has none or it is about another call.
fn last_error_reason(call: &str) -> String {
    let mut buf = [0u8; 1024];
    let mut len = 0u32;
    // SAFETY: buf is writable for buf.len() bytes and len is a valid out-pointer.
    let rc = unsafe { raw::get_last_error(buf.as_mut_ptr(), buf.len() as u32, &mut len) };
    if rc != 0 || len == 0 {
        return String::new();
    }
    let text = String::from_utf8_lossy(&buf[..(len as usize).min(buf.len())]).into_owned();
    let rest = match text.strip_prefix(call).and_then(|t| t.strip_prefix(": ")) {
        Some(rest) => rest,
        None => return String::new(),
    };
    match rest.find(": ") {
        Some(at) => rest[at + 2..].to_string(),
        None => String::new(),
    }
}

fn check(call: &'static str, code: i32) -> Result<(), Error> {
    if code == 0 {
        return Ok(());
    }
    Err(Error { call, code, errno: Errno::from_code(code), reason: last_error_reason(call) })
}

/// Device hints for `get_device`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviceKind {
    Sequential = 0,
    Cpu = 1,
    DiscreteGpu = 2,
    IntegratedGpu = 3,
}

impl DeviceKind {
    /// A number 0-3 or sequential|seq, cpu, discrete_gpu|gpu, integrated_gpu|igpu.
    pub fn parse(text: &str) -> Option<DeviceKind> {
        match text {
            "0" | "sequential" | "seq" => Some(DeviceKind::Sequential),
            "1" | "cpu" => Some(DeviceKind::Cpu),
            "2" | "discrete_gpu" | "gpu" => Some(DeviceKind::DiscreteGpu),
            "3" | "integrated_gpu" | "igpu" => Some(DeviceKind::IntegratedGpu),
            _ => None,
        }
    }

    /// The hint in `std::env::args()` at `index`, or `fallback` when there is none. An
    /// unreadable hint is reported and stops the program with status 2 (as the C SDK does).
    pub fn from_args(index: usize, fallback: DeviceKind) -> DeviceKind {
        match std::env::args().nth(index) {
            None => fallback,
            Some(text) => DeviceKind::parse(&text).unwrap_or_else(|| {
                eprintln!(
                    "wasi-parallel: unknown device hint '{}' (use 0-3, sequential, cpu, gpu, igpu)",
                    text
                );
                std::process::exit(2)
            }),
        }
    }
}

/// How `parallel_exec` may use a buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Read = 0,
    Write = 1,
    ReadWrite = 2,
}

/// A device handle; valid until the program ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Device(pub i32);

/// A buffer handle; valid until the program ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Buffer(pub i32);

/// The device that best matches `hint` (get_device always finds one).
pub fn device(hint: DeviceKind) -> Result<Device, Error> {
    let mut handle = -1;
    // SAFETY: handle is a valid out-pointer.
    check("get_device", unsafe { raw::get_device(hint as i32, &mut handle) })?;
    Ok(Device(handle))
}

fn byte_len<T>(data: &[T]) -> u32 {
    std::mem::size_of_val(data) as u32
}

impl Device {
    /// A buffer of `size` bytes with `access`, not bound to any data yet.
    pub fn create_buffer(self, size: u32, access: Access) -> Result<Buffer, Error> {
        let mut handle = -1;
        // SAFETY: handle is a valid out-pointer.
        check("create_buffer", unsafe {
            raw::create_buffer(self.0, size, access as i32, &mut handle)
        })?;
        Ok(Buffer(handle))
    }

    /// An input buffer over `data`: created, bound and its contents handed to the device.
    pub fn buffer_in<T: Copy>(self, data: &[T]) -> Result<Buffer, Error> {
        let buffer = self.create_buffer(byte_len(data), Access::Read)?;
        buffer.write(data)?;
        Ok(buffer)
    }

    /// An output buffer over `data`: kernels must write every element they want back, since a
    /// device with its own memory does not copy it in. Read it back with `Buffer::read`.
    pub fn buffer_out<T: Copy>(self, data: &mut [T]) -> Result<Buffer, Error> {
        let buffer = self.create_buffer(byte_len(data), Access::Write)?;
        buffer.write(data)?;
        Ok(buffer)
    }

    /// An input-and-output buffer over `data`.
    pub fn buffer_inout<T: Copy>(self, data: &mut [T]) -> Result<Buffer, Error> {
        let buffer = self.create_buffer(byte_len(data), Access::ReadWrite)?;
        buffer.write(data)?;
        Ok(buffer)
    }

    /// Runs `kernel(i, num_iterations, block_size, ins..., outs...)` for every i in
    /// [0, num_iterations) and returns when all are done. `kernel` is a kernel module's bytes
    /// (e.g. `include_bytes!` of what wp-kernel built).
    pub fn exec(
        self,
        kernel: &[u8],
        num_iterations: u32,
        block_size: u32,
        ins: &[Buffer],
        outs: &[Buffer],
    ) -> Result<(), Error> {
        // Buffer is a transparent i32 handle, so the slices are the i32 arrays the call takes.
        let ins: Vec<i32> = ins.iter().map(|b| b.0).collect();
        let outs: Vec<i32> = outs.iter().map(|b| b.0).collect();
        // SAFETY: every pointer/length pair describes a live slice.
        check("parallel_exec", unsafe {
            raw::parallel_exec(
                self.0,
                kernel.as_ptr(),
                kernel.len() as u32,
                num_iterations,
                block_size,
                ins.as_ptr(),
                ins.len() as u32,
                outs.as_ptr(),
                outs.len() as u32,
            )
        })
    }

    /// How many threads the device runs at once (1 for sequential).
    pub fn threads(self) -> Result<u32, Error> {
        let mut threads = 0;
        // SAFETY: threads is a valid out-pointer.
        check("get_device_threads", unsafe { raw::get_device_threads(self.0, &mut threads) })?;
        Ok(threads)
    }
}

impl Buffer {
    /// Binds the buffer to `data` and hands its current contents to the device. Call it again
    /// after changing the data on the guest side.
    pub fn write<T: Copy>(self, data: &[T]) -> Result<(), Error> {
        // SAFETY: data is a live slice of byte_len(data) bytes.
        check("write_buffer", unsafe {
            raw::write_buffer(data.as_ptr() as *const u8, byte_len(data), self.0)
        })
    }

    /// Makes the buffer's contents visible in `data` (normally the slice it is bound to).
    pub fn read<T: Copy>(self, data: &mut [T]) -> Result<(), Error> {
        // SAFETY: data is a live, writable slice of byte_len(data) bytes.
        check("read_buffer", unsafe {
            raw::read_buffer(self.0, data.as_mut_ptr() as *mut u8, byte_len(data))
        })
    }
}
