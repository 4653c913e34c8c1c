//! The loops on ringcore's Rust ring: `ringcore::Ring`, its batch cursor (`Ring::sq_batch`,
//! the fast way to take many SQEs) and the `ringcore::op` preparers.

use super::{
    block_number, cqe_ok, empty_pipe, file_blocks, storm_cqe, BLOCK, CANCEL_TAG, ECHO_BUF,
    ECHO_SETUP, QD, RING_ENTRIES, STORM,
};
use crate::outcome::Outcome;
use crate::prng::{SplitMix, SEED};
use crate::Error;
use ringcore::op::SqeOptions as _;
use ringcore::ring::SqBatch;
use ringcore::sys::CancelFlags;
use ringcore::{op, Ring};
use std::fs::File;
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::Instant;

/// NOPs in batches of `batch`: take, `submit_and_wait(batch)`, reap all, repeat.
/// The checksum is the sum of the `user_data` reaped.
///
/// # Errors
/// Ring setup or `io_uring_enter` failed, or a NOP completed with an error.
pub fn nop(batch: u32, ops: u64) -> Result<Outcome, Error> {
    let mut ring = Ring::new(RING_ENTRIES)?;
    let (mut next, mut done, mut check) = (0u64, 0u64, 0u64);
    let start = Instant::now();
    while done < ops {
        let mut n = 0;
        let mut sq = ring.sq_batch();
        while n < batch && next < ops {
            let sqe = sq.get_sqe().ok_or("SQ full")?;
            op::nop(sqe);
            sqe.user_data(next);
            next += 1;
            n += 1;
        }
        drop(sq);
        ring.submit_and_wait(n)?;
        for cqe in ring.completions() {
            cqe_ok(cqe.res)?;
            check = check.wrapping_add(cqe.user_data);
            done += 1;
        }
    }
    Ok(Outcome {
        ops: done,
        check,
        ns: start.elapsed().as_nanos() as u64,
    })
}

/// Takes an SQE and prepares a 4 KiB read of a random block of `fd` into slot `slot` of the
/// buffers at `base`; `user_data` is the slot.
///
/// Inlined like liburing's `static inline` preparers: out of line, the call alone (saving and
/// restoring registers) cost ~17 of the ~100 user-space instructions per read.
///
/// # Safety
/// Slot `slot` (4 KiB at `base + slot * BLOCK`) must stay valid and untouched until the read's
/// CQE has been reaped.
#[inline(always)]
unsafe fn prep_read(
    sq: &mut SqBatch<'_>,
    fd: i32,
    base: *mut u8,
    slot: usize,
    block: u64,
) -> Result<(), Error> {
    let sqe = sq.get_sqe().ok_or("SQ full")?;
    // SAFETY: the caller keeps the slot valid and unused until the CQE.
    unsafe {
        op::read(
            sqe,
            fd,
            base.add(slot * BLOCK),
            BLOCK as u32,
            block * BLOCK as u64,
        )
    };
    sqe.user_data(slot as u64);
    Ok(())
}

/// 4 KiB reads at random blocks of `file`, [`QD`] in flight; the checksum is the sum of the
/// block numbers read.
///
/// # Errors
/// Ring setup or `io_uring_enter` failed, or a read failed or came back short.
pub fn randread(file: &File, ops: u64) -> Result<Outcome, Error> {
    let blocks = file_blocks(file)?;
    let fd = file.as_raw_fd();
    let mut bufs = vec![0u8; QD * BLOCK];
    // Declared after the buffers so that it is dropped first, before they are freed.
    let mut ring = Ring::new(RING_ENTRIES)?;
    let mut rng = SplitMix::new(SEED);
    let (mut issued, mut done, mut check) = (0u64, 0u64, 0u64);
    let start = Instant::now();
    let base = bufs.as_mut_ptr();
    // Split, as in `echo_server`: CQEs read in place, the head released after the batch.
    let (submitter, sq, cq) = ring.split();
    let mut batch = sq.batch();
    for slot in 0..QD.min(ops as usize) {
        // SAFETY: each slot is 4 KiB inside `bufs`, used by one read at a time (a slot is
        // reused only after its CQE below); `bufs` outlives the ring.
        unsafe { prep_read(&mut batch, fd, base, slot, rng.next_u64() % blocks)? };
        issued += 1;
    }
    drop(batch);
    while done < ops {
        sq.sync();
        submitter.submit_and_wait(1)?;
        let mut batch = sq.batch();
        for cqe in cq.completions() {
            if cqe_ok(cqe.res)? != BLOCK as u32 {
                return Err("short read".into());
            }
            let slot = cqe.user_data as usize;
            check = check.wrapping_add(block_number(&bufs[slot * BLOCK..]));
            done += 1;
            if issued < ops {
                // SAFETY: as above; this slot's read has just completed.
                unsafe { prep_read(&mut batch, fd, base, slot, rng.next_u64() % blocks)? };
                issued += 1;
            }
        }
    }
    Ok(Outcome {
        ops: done,
        check,
        ns: start.elapsed().as_nanos() as u64,
    })
}

/// A connection of the echo server: what it received and how much of it went back.
struct Conn {
    fd: Option<OwnedFd>,
    len: u32,
    sent: u32,
    buf: Box<[u8; ECHO_BUF]>,
}

/// Queues the next request of connection `i`: a receive, or the rest of a send.
fn queue(sq: &mut SqBatch<'_>, conns: &mut [Conn], i: usize) -> Result<(), Error> {
    let c = &mut conns[i];
    let fd = c.fd.as_ref().ok_or("closed connection")?.as_raw_fd();
    let sqe = sq.get_sqe().ok_or("SQ full")?;
    if c.sent < c.len {
        // SAFETY: `c.buf` is boxed, owned by `conns`, which outlives the ring; one request per
        // connection is in flight at a time.
        unsafe {
            op::send(
                sqe,
                fd,
                c.buf.as_ptr().add(c.sent as usize),
                c.len - c.sent,
                0,
            )
        };
        sqe.user_data((i as u64) << 1 | 1);
    } else {
        // SAFETY: as above.
        unsafe { op::recv(sqe, fd, c.buf.as_mut_ptr(), ECHO_BUF as u32, 0) };
        sqe.user_data((i as u64) << 1);
    }
    Ok(())
}

/// Echoes on every connection until the peer closes it; returns the bytes echoed.
///
/// # Errors
/// Ring setup or `io_uring_enter` failed, or a receive or send failed.
pub fn echo_server(fds: Vec<OwnedFd>) -> Result<u64, Error> {
    let mut conns: Vec<Conn> = fds
        .into_iter()
        .map(|fd| Conn {
            fd: Some(fd),
            len: 0,
            sent: 0,
            buf: Box::new([0; ECHO_BUF]),
        })
        .collect();
    // Declared after the connections so that it is dropped first, before their buffers.
    let mut ring = Ring::builder(RING_ENTRIES).flags(ECHO_SETUP).build()?;
    // Split, as the peers' loops are: each CQE is read in place, its next request queued, and
    // the CQ head released once after the batch (liburing's for_each_cqe + cq_advance, the
    // io-uring crate's cq.sync + iteration).
    let (submitter, sq, cq) = ring.split();
    let mut batch = sq.batch();
    for i in 0..conns.len() {
        queue(&mut batch, &mut conns, i)?;
    }
    drop(batch);
    let mut open = conns.len();
    let mut bytes = 0u64;
    while open > 0 {
        sq.sync();
        submitter.submit_and_wait(1)?;
        let mut batch = sq.batch();
        for cqe in cq.completions() {
            let i = (cqe.user_data >> 1) as usize;
            let res = cqe_ok(cqe.res)?;
            let c = &mut conns[i];
            if cqe.user_data & 1 == 1 {
                c.sent += res;
            } else if res == 0 {
                c.fd = None;
                open -= 1;
                continue;
            } else {
                c.len = res;
                c.sent = 0;
                bytes += u64::from(res);
            }
            queue(&mut batch, &mut conns, i)?;
        }
    }
    Ok(bytes)
}

/// The cancellation storm by hand: [`STORM`] reads of an empty pipe, then a cancel for each,
/// one submit, reap all `2 * STORM` CQEs; a read's buffer is reused only after both its CQEs.
/// The checksum counts the reads that ended `ECANCELED`.
///
/// # Errors
/// Setup or `io_uring_enter` failed, or a read or cancel ended otherwise.
pub fn cancel_storm(ops: u64) -> Result<Outcome, Error> {
    let (rx, _tx) = empty_pipe()?;
    let fd = rx.as_raw_fd();
    let mut bufs = vec![[0u8; 64]; STORM];
    let base = bufs.as_mut_ptr();
    // Declared after the buffers and the pipe so that it is dropped first.
    let mut ring = Ring::new(RING_ENTRIES)?;
    let (mut done, mut check) = (0u64, 0u64);
    let start = Instant::now();
    while done < ops {
        let n = (STORM as u64).min(ops - done) as usize;
        let mut sq = ring.sq_batch();
        for i in 0..n {
            let sqe = sq.get_sqe().ok_or("SQ full")?;
            // SAFETY: buffer `i` is 64 bytes inside `bufs`, untouched until both CQEs of this
            // read are reaped below; `bufs` outlives the ring.
            unsafe { op::read(sqe, fd, base.add(i).cast(), 64, u64::MAX) };
            sqe.user_data(i as u64);
        }
        for i in 0..n {
            let sqe = sq.get_sqe().ok_or("SQ full")?;
            op::cancel(sqe, i as u64, CancelFlags::empty());
            sqe.user_data(CANCEL_TAG | i as u64);
        }
        drop(sq);
        let mut want = 2 * n;
        while want > 0 {
            ring.submit_and_wait(1)?;
            for cqe in ring.completions() {
                check += storm_cqe(cqe.user_data, cqe.res)?;
                want -= 1;
            }
        }
        done += n as u64;
    }
    Ok(Outcome {
        ops: done,
        check,
        ns: start.elapsed().as_nanos() as u64,
    })
}
