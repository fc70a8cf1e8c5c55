//! For writing wasi-parallel kernels in Rust (built with sdk/bin/wp-kernel, which compiles this
//! file into a `#![no_std]` rlib for wasm32-unknown-unknown and links it as
//! `wasi_parallel_kernel`).
//!
//! A kernel source is `#![no_std]` and defines exactly one entry point:
//!
//! ```ignore
//! #![no_std]
//! use wasi_parallel_kernel::{In, Out};
//!
//! #[no_mangle]
//! pub extern "C" fn kernel(i: i32, _n: i32, _block: i32,
//!                          a: *const f32, a_len: u32,   // in-buffers, in order
//!                          c: *mut f32, c_len: u32) {   // then out-buffers
//!     let (a, c) = (In::new(a, a_len), Out::new(c, c_len));
//!     c.set(i as u32, a.get(i as u32) * 2.0);
//! }
//! ```
//!
//! Each buffer arrives as (pointer into the caller's memory, length in bytes). The crate also
//! brings the panic handler a `#![no_std]` cdylib needs; a kernel that uses nothing from it
//! still names it (`use wasi_parallel_kernel as _;`) so that it is linked. The kernel rules
//! of docs/wasi-parallel.md hold as for C: no static data, no globals, no shadow stack, no
//! function pointers. Rust's own bounds-checked slice indexing breaks them (its panic path
//! formats a message from static data), so index through `In`/`Out`, whose checks trap with
//! `unreachable` instead: an out-of-range index becomes `kernel_trapped`, never a write
//! elsewhere in the caller's memory.
#![no_std]

use core::marker::PhantomData;
use core::sync::atomic::{AtomicI32, AtomicU32};

/// Traps the iteration: the host reports `kernel_trapped`.
#[inline(always)]
pub fn trap() -> ! {
    core::arch::wasm32::unreachable()
}

// A panic (overflow checks, an explicit panic!) traps too; its message is not kept.
#[panic_handler]
fn on_panic(_: &core::panic::PanicInfo) -> ! {
    trap()
}

/// An in-buffer: `len` bytes at `ptr`, read as elements of T.
#[derive(Clone, Copy)]
pub struct In<T> {
    ptr: *const T,
    count: u32,
    _element: PhantomData<T>,
}

/// An out-buffer: `len` bytes at `ptr`, written (and read) as elements of T. It is an `In`
/// view (length, bounds-checked `get`) that may also store.
#[derive(Clone, Copy)]
pub struct Out<T> {
    view: In<T>,
}

impl<T: Copy> In<T> {
    #[inline(always)]
    pub fn new(ptr: *const T, len_bytes: u32) -> Self {
        In { ptr, count: len_bytes / core::mem::size_of::<T>() as u32, _element: PhantomData }
    }

    /// Number of elements.
    #[inline(always)]
    pub fn len(&self) -> u32 {
        self.count
    }

    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Traps when `index` is outside the buffer; else the element's address.
    #[inline(always)]
    fn at(&self, index: u32) -> *const T {
        if index >= self.count {
            trap()
        }
        // SAFETY: index < count, and the host checked that the buffer lies in memory.
        unsafe { self.ptr.add(index as usize) }
    }

    /// Element `index`; traps when it is outside the buffer.
    #[inline(always)]
    pub fn get(&self, index: u32) -> T {
        // SAFETY: `at` checked the index. (A Wasm load's alignment is only a hint: a misaligned
        // buffer is slower, never wrong.)
        unsafe { self.at(index).read() }
    }
}

impl<T: Copy> Out<T> {
    #[inline(always)]
    pub fn new(ptr: *mut T, len_bytes: u32) -> Self {
        Out { view: In::new(ptr, len_bytes) }
    }

    /// Number of elements.
    #[inline(always)]
    pub fn len(&self) -> u32 {
        self.view.len()
    }

    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.view.is_empty()
    }

    /// Element `index`; traps when it is outside the buffer.
    #[inline(always)]
    pub fn get(&self, index: u32) -> T {
        self.view.get(index)
    }

    /// Stores `value` at element `index`; traps when it is outside the buffer.
    #[inline(always)]
    pub fn set(&self, index: u32, value: T) {
        // SAFETY: `at` checked the index; the buffer was handed over as writable. Iterations
        // running at once must write different elements (or use the atomic views below).
        unsafe { (self.view.at(index) as *mut T).write(value) }
    }
}

impl Out<u32> {
    /// Element `index` as an atomic, for counters and histograms shared by iterations. The
    /// kernel is built with +atomics, so its operations are real atomic instructions.
    #[inline(always)]
    pub fn atomic(&self, index: u32) -> &AtomicU32 {
        // SAFETY: `at` checked the index; u32 elements of a buffer are 4-byte aligned when its
        // start is (an unaligned atomic access traps, it does not corrupt).
        unsafe { &*(self.view.at(index) as *const AtomicU32) }
    }
}

impl Out<i32> {
    /// As `Out<u32>::atomic`.
    #[inline(always)]
    pub fn atomic(&self, index: u32) -> &AtomicI32 {
        // SAFETY: as Out<u32>::atomic.
        unsafe { &*(self.view.at(index) as *const AtomicI32) }
    }
}
