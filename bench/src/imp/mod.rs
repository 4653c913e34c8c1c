//! The implementations: one module each, every one running the same loops.
//!
//! Common to all io_uring loops: a 256-entry ring with default parameters (the echo servers add
//! [`ECHO_SETUP`]); NOP and read loops take SQEs, submit with `submit_and_wait`, reap every CQE
//! there is, and repeat. Every CQE's
//! result is checked, and every loop reports the same checksum for the same work.

pub mod capi;
pub mod copy;
pub mod io_uring_crate;
pub mod liburing;
pub mod peers;
pub mod raw_c;
pub mod ringcore_ring;
pub mod ringcore_safe;
pub mod ringcore_tokio;
pub mod tokio_echo;
pub mod tokio_fs;

use crate::echo;
use crate::outcome::Outcome;
use crate::workload::{Impl, Workload};
use crate::Error;
use std::fs::File;

/// Entries in every benchmark ring.
pub const RING_ENTRIES: u32 = 256;
/// Reads in flight in the random-read workload.
pub const QD: usize = 32;
/// Bytes per read.
pub const BLOCK: usize = 4096;
/// Bytes of an echo server's per-connection buffer.
pub const ECHO_BUF: usize = 2048;
/// Setup flags of every io_uring echo server's ring (`BENCH_ECHO_SETUP` in `c/peer.h`):
/// `COOP_TASKRUN | TASKRUN_FLAG`, what ringcore's `LocalDriver` uses by default. Without them
/// the kernel interrupts the busy server with an IPI for every socket that becomes ready; the
/// epoll server is never interrupted, so a comparison without them measures the IPIs.
pub const ECHO_SETUP: ringcore::sys::SetupFlags =
    ringcore::sys::SetupFlags::COOP_TASKRUN.union(ringcore::sys::SetupFlags::TASKRUN_FLAG);

/// Runs `ops` operations of workload `w` with implementation `imp`, in this process.
///
/// `file` is the random-read file (needed by [`Workload::RandRead`] only). For echo workloads
/// `ops` is the number of round trips per connection.
///
/// # Errors
/// The implementation is missing or does not run this workload, or a call or CQE failed.
pub fn run(imp: Impl, w: Workload, ops: u64, file: Option<&File>) -> Result<Outcome, Error> {
    imp.available()?;
    let unsupported =
        || -> Result<Outcome, Error> { Err(format!("{imp} does not run {}", w.name()).into()) };
    if !w.impls().contains(&imp) {
        return unsupported();
    }
    if imp == Impl::RingcoreC {
        return capi::run(w, ops, file);
    }
    if peers::exe_name(imp).is_some() {
        return peers::run(imp, w, ops, file);
    }
    if let Some(out) = run_on_tokio(imp, w, ops, file) {
        return out;
    }
    if let Some(batch) = w.nop_batch() {
        return match imp {
            Impl::RingcoreRing => ringcore_ring::nop(batch, ops),
            Impl::IoUringCrate => io_uring_crate::nop(batch, ops),
            Impl::Liburing => liburing::nop(batch, ops),
            Impl::RawC => raw_c::nop(batch, ops),
            Impl::RingcoreSafe => ringcore_safe::nop(batch, ops),
            Impl::RingcoreBatch => ringcore_safe::nop_batch(batch, ops),
            _ => unsupported(),
        };
    }
    if w == Workload::RandRead {
        let file = file.ok_or("the random-read workload needs its file")?;
        return match imp {
            Impl::RingcoreRing => ringcore_ring::randread(file, ops),
            Impl::RingcoreSafe => ringcore_safe::randread(file, ops),
            Impl::RingcoreBatch => ringcore_safe::randread_batch(file, ops),
            Impl::IoUringCrate => io_uring_crate::randread(file, ops),
            Impl::Liburing => liburing::randread(file, ops),
            _ => unsupported(),
        };
    }
    if w == Workload::CancelStorm {
        return match imp {
            Impl::RingcoreRing => ringcore_ring::cancel_storm(ops),
            Impl::RingcoreSafe => ringcore_safe::cancel_storm(ops),
            Impl::IoUringCrate => io_uring_crate::cancel_storm(ops),
            Impl::Liburing => liburing::cancel_storm(ops),
            _ => unsupported(),
        };
    }
    let conns = w.echo_conns().ok_or("unknown workload")?;
    match imp {
        Impl::RingcoreRing => echo::run(conns, ops, ringcore_ring::echo_server),
        Impl::IoUringCrate => echo::run(conns, ops, io_uring_crate::echo_server),
        Impl::Liburing => echo::run(conns, ops, liburing::echo_server),
        Impl::TokioEpoll => echo::run(conns, ops, tokio_echo::echo_server),
        Impl::RingcoreSafe => echo::run(conns, ops, ringcore_safe::echo_server),
        _ => unsupported(),
    }
}

/// The workloads on tokio (and the 1-byte reads) with ringcore, tokio and std; `None` for the
/// others.
fn run_on_tokio(
    imp: Impl,
    w: Workload,
    ops: u64,
    file: Option<&File>,
) -> Option<Result<Outcome, Error>> {
    let needs_file = || file.ok_or_else(|| Error::from("this workload needs the data file"));
    Some(match (w, imp) {
        (Workload::TokioEcho1 | Workload::TokioEcho16 | Workload::TokioEcho256, _) => {
            let conns = w.echo_conns()?;
            match imp {
                Impl::RingcoreTokioCt => echo::run(conns, ops, |fds| {
                    ringcore_tokio::echo_server(false, ringcore_tokio::Send::WaitSent, fds)
                }),
                Impl::RingcoreTokioCtQueued => echo::run(conns, ops, |fds| {
                    ringcore_tokio::echo_server(false, ringcore_tokio::Send::Queued, fds)
                }),
                Impl::RingcoreTokioMt => echo::run(conns, ops, |fds| {
                    ringcore_tokio::echo_server(true, ringcore_tokio::Send::WaitSent, fds)
                }),
                Impl::TokioEpoll => echo::run(conns, ops, tokio_echo::echo_server),
                Impl::TokioMt => echo::run(conns, ops, tokio_echo::echo_server_mt),
                _ => return None,
            }
        }
        (Workload::TokioRandRead, Impl::RingcoreTokioCt) => {
            needs_file().and_then(|f| ringcore_tokio::randread(f, ops))
        }
        (Workload::TokioRandRead, Impl::TokioFs) => {
            needs_file().and_then(|f| tokio_fs::randread(f, ops))
        }
        (Workload::Copy, Impl::RingcoreTokioCt) => needs_file().and_then(ringcore_tokio::copy_file),
        (Workload::Copy, Impl::RingcoreTokioSplice) => {
            needs_file().and_then(ringcore_tokio::splice_copy_file)
        }
        (Workload::Copy, Impl::TokioFs) => needs_file().and_then(tokio_fs::copy_file),
        (Workload::Copy, Impl::StdFs) => needs_file().and_then(tokio_fs::std_copy_file),
        (Workload::Read1, Impl::RingcoreSafe) => {
            needs_file().and_then(|f| ringcore_safe::read1(f, ops))
        }
        (Workload::Read1, Impl::RingcoreTokioCt) => {
            needs_file().and_then(|f| ringcore_tokio::read1(f, ops))
        }
        _ => return None,
    })
}

/// The number of 4 KiB blocks in `file`.
///
/// # Errors
/// `fstat` failed, or the file holds no whole block.
pub fn file_blocks(file: &File) -> Result<u64, Error> {
    let blocks = file.metadata()?.len() / BLOCK as u64;
    if blocks == 0 {
        return Err("the random-read file is empty".into());
    }
    Ok(blocks)
}

/// The block number a random-read buffer starts with (little-endian).
#[inline]
pub fn block_number(buf: &[u8]) -> u64 {
    let mut head = [0u8; 8];
    head.copy_from_slice(&buf[..8]);
    u64::from_le_bytes(head)
}

/// Turns a negative CQE result into an error.
#[inline]
pub fn cqe_ok(res: i32) -> Result<u32, Error> {
    ringcore::Errno::from_cqe_res(res).map_err(Into::into)
}

/// Reads per round of the 1-byte read loop ([`Workload::Read1`]).
pub const READ1_ROUND: usize = 32;

/// Where 1-byte read number `j` of the loop reads, in a file of `blocks` blocks: the first
/// byte of block `j % blocks`, which holds the block number's low byte.
#[inline]
pub fn read1_offset(j: u64, blocks: u64) -> u64 {
    (j % blocks) * BLOCK as u64
}

/// The checksum of `ops` 1-byte reads over `blocks` blocks: the sum of the bytes read.
pub fn read1_check(blocks: u64, ops: u64) -> u64 {
    (0..ops).fold(0u64, |sum, j| {
        sum.wrapping_add(u64::from((j % blocks) as u8))
    })
}

/// Reads cancelled per round of the cancellation storm (`BENCH_STORM` in `c/peer.h`).
pub const STORM: usize = 16;

/// An empty pipe for the cancellation storm: (read end, write end).
///
/// # Errors
/// `pipe2` failed.
pub fn empty_pipe() -> Result<(std::os::fd::OwnedFd, std::os::fd::OwnedFd), Error> {
    use std::os::fd::FromRawFd;
    let mut fds = [0i32; 2];
    // SAFETY: `fds` is valid for two ints; the result is checked.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
        return Err(std::io::Error::last_os_error().into());
    }
    // SAFETY: both fds were just opened and are owned by nothing else.
    Ok(unsafe {
        (
            std::os::fd::OwnedFd::from_raw_fd(fds[0]),
            std::os::fd::OwnedFd::from_raw_fd(fds[1]),
        )
    })
}

/// The user_data of the cancel aimed at the read with user_data `slot`.
pub const CANCEL_TAG: u64 = 1 << 32;

/// Checks one CQE of a storm round; returns 1 for a read that ended `ECANCELED`, else 0.
///
/// # Errors
/// A cancel that did not find its read, or a read that ended any other way.
#[inline]
pub fn storm_cqe(user_data: u64, res: i32) -> Result<u64, Error> {
    if user_data & CANCEL_TAG != 0 {
        if res != 0 {
            return Err(format!("cancel of read {} ended {res}", user_data as u32).into());
        }
        return Ok(0);
    }
    if res == -libc::ECANCELED {
        Ok(1)
    } else {
        Err(format!("read {user_data} on an empty pipe ended {res}, not ECANCELED").into())
    }
}
