//! The `make` demo: real I/O through the ring, printing what it did.
//!
//! Writes a file with one SQE, reads it back with another, and runs a batch of NOPs, checking
//! every result.

use ringcore::op::SqeOptions as _;
use ringcore::{op, Ring};
use std::os::fd::AsRawFd;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut ring = Ring::new(64)?;
    let p = ring.params();
    println!(
        "ring: fd {}, {} SQ / {} CQ entries, setup flags {:?}",
        ring.fd(),
        p.sq_entries,
        p.cq_entries,
        ring.setup_flags()
    );

    let path = std::env::temp_dir().join(format!("ringcore-demo-{}", std::process::id()));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .read(true)
        .write(true)
        .open(&path)?;
    let message = b"hello from io_uring, written and read back by ringcore\n";

    let sqe = ring.get_sqe().ok_or("SQ full")?;
    // SAFETY: `message` is a static buffer; we wait for the CQE before going on.
    unsafe {
        op::write(
            sqe,
            file.as_raw_fd(),
            message.as_ptr(),
            message.len() as u32,
            0,
        )
    };
    sqe.user_data(1);
    let cqe = ring.wait_cqe()?;
    ring.cqe_seen();
    let written = ringcore::Errno::from_cqe_res(cqe.res)?;
    println!("write: {written} bytes to {}", path.display());

    let mut back = vec![0u8; message.len()];
    let sqe = ring.get_sqe().ok_or("SQ full")?;
    // SAFETY: `back` lives until after the CQE is reaped below.
    unsafe {
        op::read(
            sqe,
            file.as_raw_fd(),
            back.as_mut_ptr(),
            back.len() as u32,
            0,
        )
    };
    sqe.user_data(2);
    let cqe = ring.wait_cqe()?;
    ring.cqe_seen();
    let read = ringcore::Errno::from_cqe_res(cqe.res)?;
    print!("read: {read} bytes: {}", String::from_utf8_lossy(&back));
    if back != message {
        return Err("read back different bytes".into());
    }

    for u in 0..32 {
        let sqe = ring.get_sqe().ok_or("SQ full")?;
        op::nop(sqe);
        sqe.user_data(100 + u);
    }
    let submitted = ring.submit_and_wait(32)?;
    let reaped = ring.completions().filter(|c| c.res == 0).count();
    println!("nop batch: submitted {submitted}, reaped {reaped} with one io_uring_enter");
    std::fs::remove_file(&path)?;
    Ok(())
}
