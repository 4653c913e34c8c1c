//! The random-read workload's file: created once, kept, checked and reused.
//!
//! Block `b` (4 KiB) starts with `b` as a little-endian u64, so a read proves where it read from.

use crate::imp::BLOCK;
use crate::Error;
use std::fs::{self, File};
use std::io::{Read, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// The file of `bytes` bytes in `dir`, made if missing or wrong, then read once so that it is in
/// the page cache; returns its path.
///
/// # Errors
/// The file could not be created, written or read.
pub fn prepare(dir: &Path, bytes: u64) -> Result<PathBuf, Error> {
    fs::create_dir_all(dir)?;
    let path = dir.join(format!("randread-{}MiB.dat", bytes >> 20));
    if !is_valid(&path, bytes) {
        eprintln!("creating {} ({} MiB)", path.display(), bytes >> 20);
        create(&path, bytes)?;
    }
    warm(&path)?;
    Ok(path)
}

/// Whether `path` is a finished file of `bytes` bytes (size and a few block headers).
fn is_valid(path: &Path, bytes: u64) -> bool {
    let Ok(f) = File::open(path) else {
        return false;
    };
    let blocks = bytes / BLOCK as u64;
    if blocks == 0 || f.metadata().map(|m| m.len()).ok() != Some(bytes) {
        return false;
    }
    [0, blocks / 2, blocks - 1].into_iter().all(|b| {
        let mut head = [0u8; 8];
        f.read_exact_at(&mut head, b * BLOCK as u64).is_ok() && u64::from_le_bytes(head) == b
    })
}

/// Writes the file under a temporary name and renames it into place when complete.
fn create(path: &Path, bytes: u64) -> Result<(), Error> {
    let tmp = path.with_extension("tmp");
    let mut f = std::io::BufWriter::with_capacity(1 << 20, File::create(&tmp)?);
    let mut block = vec![0u8; BLOCK];
    for b in 0..bytes / BLOCK as u64 {
        block[..8].copy_from_slice(&b.to_le_bytes());
        f.write_all(&block)?;
    }
    f.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    fs::rename(&tmp, path)?;
    Ok(())
}

/// Reads the whole file once, so that the benchmark reads from the page cache.
fn warm(path: &Path) -> Result<(), Error> {
    let mut f = File::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    while f.read(&mut buf)? > 0 {}
    Ok(())
}
