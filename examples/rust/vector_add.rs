// Adds two float vectors on a wasi-parallel device: the Rust twin of c/vector_add.c, with its
// kernel in Rust too (vector_add_kernel.rs).
//   vector_add_rs [DEVICE_HINT]     hint: 0-3 or sequential|cpu|gpu|igpu (default cpu)
// Prints "vector_add: n=65536 sum=6442352640 errors=0".
use wasi_parallel::{Device, DeviceKind, Error};

// The kernel module wp-kernel built; the build names its path in WP_KERNEL_VECTOR_ADD_RS.
static KERNEL: &[u8] = include_bytes!(env!("WP_KERNEL_VECTOR_ADD_RS"));

const N: usize = 65536;

fn run(device: Device) -> Result<Vec<f32>, Error> {
    // Every value and sum stays exact in f32 (< 2^24).
    let a: Vec<f32> = (0..N).map(|i| i as f32).collect();
    let b: Vec<f32> = (0..N).map(|i| (2 * i) as f32).collect();
    let mut c = vec![0f32; N];
    let ins = [device.buffer_in(&a)?, device.buffer_in(&b)?];
    let out = device.buffer_out(&mut c)?;
    device.exec(KERNEL, N as u32, 256, &ins, &[out])?;
    out.read(&mut c)?;
    Ok(c)
}

fn main() {
    let hint = DeviceKind::from_args(1, DeviceKind::Cpu);
    let c = wasi_parallel::device(hint).and_then(run).unwrap_or_else(|err| {
        eprintln!("wasi-parallel: {}", err);
        std::process::exit(1)
    });
    let sum: i64 = c.iter().map(|&x| x as i64).sum();
    let errors = c.iter().enumerate().filter(|&(i, &x)| x != (3 * i) as f32).count();
    println!("vector_add: n={} sum={} errors={}", N, sum, errors);
    std::process::exit((errors != 0) as i32);
}
