// Rust guest mistakes whose reason must reach the user through wasi_parallel::Error:
//   mistakes_rs overrun     buffers of N/2 elements for N iterations: the Rust kernel's
//                           bounds-checked views trap (kernel_trapped), nothing is written outside
//   mistakes_rs signature   the 3-buffer kernel called with 2 buffers (invalid_kernel)
//   mistakes_rs ok          the right call: prints "ok sum=..."
use wasi_parallel::{Device, DeviceKind, Error};

static KERNEL: &[u8] = include_bytes!(env!("WP_KERNEL_PT_VECTOR_ADD_RS"));

const N: usize = 1024;

fn run(device: Device, mode: &str) -> Result<f32, Error> {
    let a = vec![1f32; N];
    let b = vec![2f32; N];
    // After the output, a guard region the kernel must never touch.
    let mut c = vec![0f32; N + 16];
    let half = if mode == "overrun" { N / 2 } else { N };
    let ins = [device.buffer_in(&a[..half])?, device.buffer_in(&b[..half])?];
    let out = device.buffer_out(&mut c[..half])?;
    let ins_used = if mode == "signature" { &ins[..1] } else { &ins[..] };
    let result = device.exec(KERNEL, N as u32, 64, ins_used, &[out]);
    if c[half..].iter().any(|&x| x != 0.0) {
        println!("wrote outside its buffer");
    }
    result?;
    out.read(&mut c[..half])?;
    Ok(c.iter().sum())
}

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let device = wasi_parallel::device(DeviceKind::from_args(2, DeviceKind::Cpu));
    match device.and_then(|d| run(d, &mode)) {
        Ok(sum) => println!("ok sum={}", sum),
        Err(err) => {
            eprintln!("wasi-parallel: {}", err);
            std::process::exit(1)
        }
    }
}
