//! The loops on the `io-uring` crate (0.7), written the way its docs suggest for speed: the ring
//! split into submitter, SQ and CQ, one `sync` per batch on each queue.

use super::{
    block_number, cqe_ok, empty_pipe, file_blocks, storm_cqe, BLOCK, CANCEL_TAG, ECHO_BUF, QD,
    RING_ENTRIES, STORM,
};
use crate::outcome::Outcome;
use crate::prng::{SplitMix, SEED};
use crate::Error;
use io_uring::{opcode, squeue, types, IoUring};
use std::fs::File;
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::Instant;

/// Pushes one entry, mapping a full queue to an error.
///
/// # Safety
/// Whatever `entry` points to must stay valid until its CQE is reaped.
unsafe fn push(sq: &mut io_uring::SubmissionQueue<'_>, entry: &squeue::Entry) -> Result<(), Error> {
    // SAFETY: the caller keeps the entry's memory valid until completion.
    unsafe { sq.push(entry) }.map_err(|_| "SQ full".into())
}

/// NOPs in batches of `batch`; the checksum is the sum of the `user_data` reaped.
///
/// # Errors
/// Ring setup or `io_uring_enter` failed, or a NOP completed with an error.
pub fn nop(batch: u32, ops: u64) -> Result<Outcome, Error> {
    let mut ring = IoUring::new(RING_ENTRIES)?;
    let (submitter, mut sq, mut cq) = ring.split();
    let (mut next, mut done, mut check) = (0u64, 0u64, 0u64);
    let start = Instant::now();
    while done < ops {
        let mut n = 0;
        while n < batch && next < ops {
            // SAFETY: a NOP points to no memory.
            unsafe { push(&mut sq, &opcode::Nop::new().build().user_data(next))? };
            next += 1;
            n += 1;
        }
        sq.sync();
        submitter.submit_and_wait(n as usize)?;
        cq.sync();
        for cqe in &mut cq {
            cqe_ok(cqe.result())?;
            check = check.wrapping_add(cqe.user_data());
            done += 1;
        }
    }
    Ok(Outcome {
        ops: done,
        check,
        ns: start.elapsed().as_nanos() as u64,
    })
}

/// 4 KiB reads at random blocks of `file`, [`QD`] in flight; the checksum is the sum of the
/// block numbers read.
///
/// # Errors
/// Ring setup or `io_uring_enter` failed, or a read failed or came back short.
pub fn randread(file: &File, ops: u64) -> Result<Outcome, Error> {
    let blocks = file_blocks(file)?;
    let fd = types::Fd(file.as_raw_fd());
    let mut bufs = vec![0u8; QD * BLOCK];
    let base = bufs.as_mut_ptr();
    // Declared after the buffers so that it is dropped first, before they are freed.
    let mut ring = IoUring::new(RING_ENTRIES)?;
    let (submitter, mut sq, mut cq) = ring.split();
    let mut rng = SplitMix::new(SEED);
    let read = |slot: usize, rng: &mut SplitMix| {
        let block = rng.next_u64() % blocks;
        // Slot `slot` is 4 KiB inside `bufs`, used by this read alone until its CQE; `bufs`
        // outlives the ring (the pushes below rely on this).
        let buf = base.wrapping_add(slot * BLOCK);
        opcode::Read::new(fd, buf, BLOCK as u32)
            .offset(block * BLOCK as u64)
            .build()
            .user_data(slot as u64)
    };
    let (mut issued, mut done, mut check) = (0u64, 0u64, 0u64);
    let start = Instant::now();
    for slot in 0..QD.min(ops as usize) {
        // SAFETY: see `read`.
        unsafe { push(&mut sq, &read(slot, &mut rng))? };
        issued += 1;
    }
    while done < ops {
        sq.sync();
        submitter.submit_and_wait(1)?;
        cq.sync();
        for cqe in &mut cq {
            if cqe_ok(cqe.result())? != BLOCK as u32 {
                return Err("short read".into());
            }
            let slot = cqe.user_data() as usize;
            check = check.wrapping_add(block_number(&bufs[slot * BLOCK..]));
            done += 1;
            if issued < ops {
                // SAFETY: see `read`.
                unsafe { push(&mut sq, &read(slot, &mut rng))? };
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

/// The next request of connection `i`: a receive, or the rest of a send.
fn next_entry(conns: &mut [Conn], i: usize) -> Result<squeue::Entry, Error> {
    let c = &mut conns[i];
    let fd = types::Fd(c.fd.as_ref().ok_or("closed connection")?.as_raw_fd());
    Ok(if c.sent < c.len {
        let rest = c.buf[c.sent as usize..].as_ptr();
        opcode::Send::new(fd, rest, c.len - c.sent)
            .build()
            .user_data((i as u64) << 1 | 1)
    } else {
        opcode::Recv::new(fd, c.buf.as_mut_ptr(), ECHO_BUF as u32)
            .build()
            .user_data((i as u64) << 1)
    })
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
    // Declared after the connections so that it is dropped first, before their buffers
    // (flags: see `ECHO_SETUP`).
    let mut ring: IoUring = IoUring::builder()
        .setup_coop_taskrun()
        .setup_taskrun_flag()
        .build(RING_ENTRIES)?;
    let (submitter, mut sq, mut cq) = ring.split();
    for i in 0..conns.len() {
        // SAFETY: the buffer is boxed and owned by `conns`, which outlives the ring; one
        // request per connection is in flight at a time.
        unsafe { push(&mut sq, &next_entry(&mut conns, i)?)? };
    }
    let mut open = conns.len();
    let mut bytes = 0u64;
    while open > 0 {
        sq.sync();
        submitter.submit_and_wait(1)?;
        cq.sync();
        for cqe in &mut cq {
            let i = (cqe.user_data() >> 1) as usize;
            let res = cqe_ok(cqe.result())?;
            let c = &mut conns[i];
            if cqe.user_data() & 1 == 1 {
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
            // SAFETY: as above.
            unsafe { push(&mut sq, &next_entry(&mut conns, i)?)? };
        }
    }
    Ok(bytes)
}

/// The cancellation storm (see [`ringcore_ring::cancel_storm`](super::ringcore_ring::cancel_storm)).
///
/// # Errors
/// Setup or `io_uring_enter` failed, or a read or cancel ended otherwise.
pub fn cancel_storm(ops: u64) -> Result<Outcome, Error> {
    let (rx, _tx) = empty_pipe()?;
    let fd = types::Fd(rx.as_raw_fd());
    let mut bufs = vec![[0u8; 64]; STORM];
    let base = bufs.as_mut_ptr();
    // Declared after the buffers and the pipe so that it is dropped first.
    let mut ring = IoUring::new(RING_ENTRIES)?;
    let (submitter, mut sq, mut cq) = ring.split();
    let (mut done, mut check) = (0u64, 0u64);
    let start = Instant::now();
    while done < ops {
        let n = (STORM as u64).min(ops - done) as usize;
        for i in 0..n {
            let read = opcode::Read::new(fd, base.wrapping_add(i).cast(), 64)
                .offset(u64::MAX)
                .build()
                .user_data(i as u64);
            // SAFETY: buffer `i` is 64 bytes inside `bufs`, untouched until both CQEs of
            // this read are reaped below; `bufs` outlives the ring.
            unsafe { push(&mut sq, &read)? };
        }
        for i in 0..n {
            let cancel = opcode::AsyncCancel::new(i as u64)
                .build()
                .user_data(CANCEL_TAG | i as u64);
            // SAFETY: a cancel points to no memory.
            unsafe { push(&mut sq, &cancel)? };
        }
        sq.sync();
        let mut want = 2 * n;
        while want > 0 {
            submitter.submit_and_wait(1)?;
            cq.sync();
            for cqe in &mut cq {
                check += storm_cqe(cqe.user_data(), cqe.result())?;
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
