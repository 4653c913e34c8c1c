//! `tokio::fs` (each call a job on tokio's blocking thread pool) and `std::fs`, for the
//! file workloads on tokio.

use super::tokio_echo::runtime;
use super::{block_number, copy, file_blocks, BLOCK, QD};
use crate::outcome::Outcome;
use crate::Error;
use std::fs::File;
use std::io::SeekFrom;
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

/// 4 KiB reads at the random blocks of `file`: [`QD`] tasks on a current-thread runtime, each
/// with a `tokio::fs::File` of its own (tokio's files have no positional read: seek, then
/// `read_exact`). The checksum is the sum of the block numbers read.
///
/// # Errors
/// The runtime could not start, or a seek or read failed.
pub fn randread(file: &File, ops: u64) -> Result<Outcome, Error> {
    let list: Arc<[u64]> = crate::prng::random_blocks(file_blocks(file)?, ops).into();
    // Opened anew, not `try_clone`d: each handle needs a file position of its own.
    let path = format!("/proc/self/fd/{}", file.as_raw_fd());
    let handles = (0..QD)
        .map(|_| File::open(&path))
        .collect::<Result<Vec<_>, _>>()?;
    runtime(false)?.block_on(async move {
        let next = Arc::new(AtomicUsize::new(0));
        let start = Instant::now();
        let readers: Vec<_> = handles
            .into_iter()
            .map(|h| {
                let (next, list) = (next.clone(), list.clone());
                tokio::spawn(async move {
                    let mut f = tokio::fs::File::from_std(h);
                    let mut buf = vec![0u8; BLOCK];
                    let (mut reads, mut check) = (0u64, 0u64);
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&block) = list.get(i) else { break };
                        f.seek(SeekFrom::Start(block * BLOCK as u64)).await?;
                        f.read_exact(&mut buf).await?;
                        check = check.wrapping_add(block_number(&buf));
                        reads += 1;
                    }
                    Ok::<_, std::io::Error>((reads, check))
                })
            })
            .collect();
        let (mut done, mut check) = (0u64, 0u64);
        for r in readers {
            let (n, c) = r.await??;
            done += n;
            check = check.wrapping_add(c);
        }
        Ok(Outcome {
            ops: done,
            check,
            ns: start.elapsed().as_nanos() as u64,
        })
    })
}

/// The `file`'s copy by `tokio::fs::copy` on a current-thread runtime.
///
/// # Errors
/// The runtime could not start, or the copy failed or is wrong.
pub fn copy_file(file: &File) -> Result<Outcome, Error> {
    copy::timed(file, |src, dst| {
        runtime(false)?.block_on(tokio::fs::copy(src, dst))?;
        Ok(())
    })
}

/// The `file`'s copy by `std::fs::copy`, on this thread.
///
/// # Errors
/// The copy failed or is wrong.
pub fn std_copy_file(file: &File) -> Result<Outcome, Error> {
    copy::timed(file, |src, dst| {
        std::fs::copy(src, dst)?;
        Ok(())
    })
}
