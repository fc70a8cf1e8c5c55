// The vector_add kernel in Rust: c[i] = a[i] + b[i] over f32 elements (as c/vector_add_kernel.c).
#![no_std]
use wasi_parallel_kernel::{In, Out};

#[no_mangle]
pub extern "C" fn kernel(
    i: i32,
    _num_iterations: i32,
    _block_size: i32,
    a: *const f32,
    a_len: u32,
    b: *const f32,
    b_len: u32,
    c: *mut f32,
    c_len: u32,
) {
    let (a, b, c) = (In::new(a, a_len), In::new(b, b_len), Out::new(c, c_len));
    let i = i as u32;
    c.set(i, a.get(i) + b.get(i));
}
