//! The copy workload's frame, common to every implementation: where the copy goes, the
//! timing, and the check of what landed.

use super::{block_number, BLOCK};
use crate::outcome::Outcome;
use crate::Error;
use std::fs::File;
use std::io::Read;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Times `copy(source, destination)` of `file` to a fresh file next to it (after a `sync`,
/// so that no earlier run's writeback runs meanwhile; the copy itself is not synced), then
/// checks the copy (its size, and every 4 KiB block starting with its own number) and
/// removes it.
/// Returns the bytes copied and, as the checksum, the sum of the block numbers in the copy.
///
/// # Errors
/// The paths could not be found, the copy failed, or the copy is wrong.
pub fn timed<C>(file: &File, copy: C) -> Result<Outcome, Error>
where
    C: FnOnce(&Path, &Path) -> Result<(), Error>,
{
    let src = std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd()))?;
    let dst = PathBuf::from(format!("{}.copy-{}", src.display(), std::process::id()));
    let _ = std::fs::remove_file(&dst);
    // Every run starts with no dirty pages of earlier runs being written back.
    // SAFETY: plain system call without arguments.
    unsafe { libc::sync() };
    let start = Instant::now();
    let copied = copy(&src, &dst);
    let ns = start.elapsed().as_nanos() as u64;
    let checked = copied.and_then(|()| check(&dst));
    let _ = std::fs::remove_file(&dst);
    let (ops, check) = checked?;
    Ok(Outcome { ops, check, ns })
}

/// The size of the copy at `path` and the sum of its blocks' numbers.
fn check(path: &Path) -> Result<(u64, u64), Error> {
    let mut f = File::open(path)?;
    let mut buf = vec![0u8; 256 * BLOCK];
    let (mut bytes, mut sum) = (0u64, 0u64);
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            return Ok((bytes, sum));
        }
        if n % BLOCK != 0 {
            return Err("the copy does not read back in whole blocks".into());
        }
        for block in buf[..n].chunks(BLOCK) {
            let b = block_number(block);
            if b != bytes / BLOCK as u64 {
                return Err(format!("block {} of the copy holds {b}", bytes / BLOCK as u64).into());
            }
            sum = sum.wrapping_add(b);
            bytes += BLOCK as u64;
        }
    }
}
