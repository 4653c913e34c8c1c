//! Block-device commands against the running kernel, on a loop device over a temp file.

mod op_common;

use op_common::*;
use ringcore::op;
use ringcore::sys;
use ringcore::Ring;
use std::fs::OpenOptions;
use std::os::fd::AsRawFd;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::process::Command;

/// A loop device over a file, detached on drop.
struct Loop(String);

impl Loop {
    fn attach(file: &std::path::Path) -> Option<Loop> {
        let out = Command::new("losetup")
            .args(["-f", "--show"])
            .arg(file)
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        Some(Loop(String::from_utf8(out.stdout).ok()?.trim().to_string()))
    }
}

impl Drop for Loop {
    fn drop(&mut self) {
        let _ = Command::new("losetup").args(["-d", &self.0]).status();
    }
}

#[test]
fn cmd_discard_zeroes_a_range_of_a_loop_device() {
    let mut ring = Ring::new(4).unwrap();
    require!(ring, sys::IORING_OP_URING_CMD);
    let dir = TempDir::new("discard");
    let backing = dir.path("disk");
    std::fs::write(&backing, vec![0xa5u8; 1 << 20]).unwrap();
    let Some(dev) = Loop::attach(&backing) else {
        skip!("no loop device could be attached (losetup failed)");
    };
    let disk = OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_CLOEXEC)
        .open(&dev.0)
        .unwrap();
    op::cmd_discard(
        ring.get_sqe().unwrap(),
        disk.as_raw_fd(),
        64 << 10,
        128 << 10,
    );
    let res = complete_one(&mut ring).res;
    if res == -libc::EOPNOTSUPP || res == -libc::ENOTTY {
        skip!("BLOCK_URING_CMD_DISCARD is not supported here ({res})");
    }
    assert_eq!(res, 0);
    let mut buf = vec![0u8; 256 << 10];
    disk.read_exact_at(&mut buf, 0).unwrap();
    assert!(
        buf[..64 << 10].iter().all(|&b| b == 0xa5),
        "before the range"
    );
    assert!(
        buf[64 << 10..192 << 10].iter().all(|&b| b == 0),
        "the discarded range"
    );
    assert!(
        buf[192 << 10..].iter().all(|&b| b == 0xa5),
        "after the range"
    );
    // Misaligned ranges are the CQE's EINVAL.
    op::cmd_discard(ring.get_sqe().unwrap(), disk.as_raw_fd(), 1, 100);
    assert_eq!(complete_one(&mut ring).res, -libc::EINVAL);
    // A discard on a regular file is refused.
    let plain = OpenOptions::new()
        .read(true)
        .write(true)
        .open(&backing)
        .unwrap();
    op::cmd_discard(ring.get_sqe().unwrap(), plain.as_raw_fd(), 0, 4096);
    assert!(complete_one(&mut ring).res < 0);
    drop(disk);
}
