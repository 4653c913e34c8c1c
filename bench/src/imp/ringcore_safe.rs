//! The loops on ringcore's safe layer: owned events (`ringcore::event::events`) submitted as
//! `Submission` futures on the single-threaded `LocalDriver`, run by its `block_on`.

use super::{
    block_number, empty_pipe, file_blocks, read1_offset, BLOCK, ECHO_BUF, QD, READ1_ROUND,
    RING_ENTRIES, STORM,
};
use crate::join::JoinSlice;
use crate::outcome::Outcome;
use crate::prng::{SplitMix, SEED};
use crate::Error;
use ringcore::driver::LocalDriver;
use ringcore::event::events::{Nop, Read, Recv, Send};
use ringcore::event::{Batch, Submission};
use std::cell::{Cell, RefCell};
use std::fs::File;
use std::future::Future;
use std::os::fd::{AsRawFd, OwnedFd};
use std::pin::Pin;
use std::task::{Context, Waker};
use std::time::Instant;

/// NOPs in batches of `batch`: `batch` submissions polled together (their SQEs go out in one
/// `io_uring_enter`), awaited, repeat. The checksum is the sum of the NOPs' sequence numbers.
///
/// # Errors
/// Ring setup or `io_uring_enter` failed, or a NOP completed with an error.
pub fn nop(batch: u32, ops: u64) -> Result<Outcome, Error> {
    let driver = LocalDriver::new(RING_ENTRIES)?;
    let mut subs: Vec<Option<Submission<Nop, &LocalDriver>>> = Vec::with_capacity(batch as usize);
    let (mut next, mut done, mut check) = (0u64, 0u64, 0u64);
    let start = Instant::now();
    driver.block_on(async {
        while done < ops {
            let n = u64::from(batch).min(ops - next);
            subs.clear();
            subs.extend((0..n).map(|_| Some(driver.submit_event(Nop))));
            let base = next;
            next += n;
            JoinSlice::new(&mut subs, |i, (_, res)| {
                res?;
                check = check.wrapping_add(base + i as u64);
                done += 1;
                Ok::<_, ringcore::Errno>(())
            })
            .await?;
        }
        Ok::<_, ringcore::Errno>(())
    })??;
    Ok(Outcome {
        ops: done,
        check,
        ns: start.elapsed().as_nanos() as u64,
    })
}

/// NOPs in batches of `batch`, each batch one `BatchSubmission` (one completion slot, one
/// wake-up), awaited, its results checked, repeat. The checksum is the sum of the NOPs'
/// sequence numbers.
///
/// # Errors
/// Ring setup or `io_uring_enter` failed, or a NOP completed with an error.
pub fn nop_batch(batch: u32, ops: u64) -> Result<Outcome, Error> {
    let driver = LocalDriver::new(RING_ENTRIES)?;
    let start = Instant::now();
    let (done, check) = driver.block_on(async {
        let (mut next, mut check) = (0u64, 0u64);
        let mut nops = Batch::with_capacity(batch as usize);
        while next < ops {
            let n = u64::from(batch).min(ops - next);
            nops.clear();
            for _ in 0..n {
                nops.push(Nop);
            }
            nops = driver.submit_batch(nops).await;
            for res in nops.results() {
                res?;
                check = check.wrapping_add(next);
                next += 1;
            }
        }
        Ok::<_, ringcore::Errno>((next, check))
    })??;
    Ok(Outcome {
        ops: done,
        check,
        ns: start.elapsed().as_nanos() as u64,
    })
}

/// One of [`QD`] readers of the random-read workload: takes the next block from the shared
/// generator while reads remain, reads it into its own buffer with a `Submission`, adds the
/// block number found there to its checksum. Returns (reads, checksum).
async fn reader(
    driver: &LocalDriver,
    fd: i32,
    blocks: u64,
    rng: &RefCell<SplitMix>,
    left: &Cell<u64>,
) -> Result<(u64, u64), Error> {
    let mut buf = vec![0u8; BLOCK];
    let (mut reads, mut check) = (0u64, 0u64);
    while left.get() > 0 {
        left.set(left.get() - 1);
        let block = rng.borrow_mut().next_u64() % blocks;
        let (read, res) = driver
            .submit_event(Read::new(fd, buf, block * BLOCK as u64))
            .await;
        buf = read.buf;
        if res? as usize != BLOCK {
            return Err("short read".into());
        }
        check = check.wrapping_add(block_number(&buf));
        reads += 1;
    }
    Ok((reads, check))
}

/// A reader's future.
type ReaderFuture<'a> = Pin<Box<dyn Future<Output = Result<(u64, u64), Error>> + 'a>>;

/// 4 KiB reads at random blocks of `file` in the safe layer: [`QD`] readers, each a loop of
/// `Submission`s, joined on one `LocalDriver`. The checksum is the sum of the block numbers read.
///
/// # Errors
/// Ring setup or `io_uring_enter` failed, or a read failed or came back short.
pub fn randread(file: &File, ops: u64) -> Result<Outcome, Error> {
    let blocks = file_blocks(file)?;
    let fd = file.as_raw_fd();
    let driver = LocalDriver::new(RING_ENTRIES)?;
    let rng = RefCell::new(SplitMix::new(SEED));
    let left = Cell::new(ops);
    let start = Instant::now();
    let mut readers: Vec<Option<ReaderFuture<'_>>> = (0..QD)
        .map(|_| Some(Box::pin(reader(&driver, fd, blocks, &rng, &left)) as ReaderFuture<'_>))
        .collect();
    let (mut done, mut check) = (0u64, 0u64);
    driver.block_on(JoinSlice::new(
        &mut readers,
        |_, r: Result<(u64, u64), Error>| {
            let (n, c) = r?;
            done += n;
            check = check.wrapping_add(c);
            Ok::<_, Error>(())
        },
    ))??;
    Ok(Outcome {
        ops: done,
        check,
        ns: start.elapsed().as_nanos() as u64,
    })
}

/// The random-read workload with batches: [`QD`] reads as one `BatchSubmission`, awaited,
/// checked, and the same batch (buffers and all) aimed at new blocks, until done.
///
/// # Errors
/// Ring setup or `io_uring_enter` failed, or a read failed or came back short.
pub fn randread_batch(file: &File, ops: u64) -> Result<Outcome, Error> {
    let blocks = file_blocks(file)?;
    let fd = file.as_raw_fd();
    let driver = LocalDriver::new(RING_ENTRIES)?;
    let mut rng = SplitMix::new(SEED);
    let start = Instant::now();
    let (done, check) = driver.block_on(async {
        let (mut done, mut check) = (0u64, 0u64);
        let mut reads = Batch::with_capacity(QD);
        while done < ops {
            let n = (QD as u64).min(ops - done) as usize;
            if reads.len() > n {
                // The last round is shorter.
                let mut rest = reads.into_events();
                rest.truncate(n);
                reads = Batch::from(rest);
            }
            while reads.len() < n {
                reads.push(Read::new(fd, vec![0u8; BLOCK], 0));
            }
            for read in reads.events_mut() {
                read.offset = (rng.next_u64() % blocks) * BLOCK as u64;
            }
            reads = driver.submit_batch(reads).await;
            for (read, res) in reads.events().iter().zip(reads.results()) {
                if res? as usize != BLOCK {
                    return Err::<_, Error>("short read".into());
                }
                check = check.wrapping_add(block_number(&read.buf));
            }
            done += n as u64;
        }
        Ok((done, check))
    })??;
    Ok(Outcome {
        ops: done,
        check,
        ns: start.elapsed().as_nanos() as u64,
    })
}

/// Issue 14's reference loop on `LocalDriver`: 1-byte reads of `file` as `Submission`s,
/// rounds of [`READ1_ROUND`] joined with `futures::future::join_all`, in the driver's
/// `block_on`. The checksum is the sum of the bytes read.
///
/// # Errors
/// Ring setup or `io_uring_enter` failed, or a read failed.
pub fn read1(file: &File, ops: u64) -> Result<Outcome, Error> {
    let blocks = file_blocks(file)?;
    let fd = file.as_raw_fd();
    let driver = LocalDriver::new(RING_ENTRIES)?;
    let mut bufs: Vec<Vec<u8>> = (0..READ1_ROUND).map(|_| vec![0u8; 1]).collect();
    let start = Instant::now();
    let (done, check) = driver.block_on(async {
        let (mut done, mut check) = (0u64, 0u64);
        while done < ops {
            let n = (READ1_ROUND as u64).min(ops - done);
            let reads = (0..n).map(|k| {
                let buf = bufs.pop().expect("a buffer per read");
                driver.submit_event(Read::new(fd, buf, read1_offset(done + k, blocks)))
            });
            for (read, res) in futures::future::join_all(reads).await {
                if res? != 1 {
                    return Err::<_, Error>("short read".into());
                }
                check = check.wrapping_add(u64::from(read.buf[0]));
                bufs.push(read.buf);
            }
            done += n;
        }
        Ok((done, check))
    })??;
    Ok(Outcome {
        ops: done,
        check,
        ns: start.elapsed().as_nanos() as u64,
    })
}

/// One connection: receive, send it all back, until the peer closes; returns the bytes echoed.
/// (Also the safe-layer server of the scale benchmark's echo.)
pub async fn echo_conn(driver: &LocalDriver, fd: OwnedFd) -> Result<u64, Error> {
    let raw = fd.as_raw_fd();
    let mut buf = vec![0u8; ECHO_BUF];
    let mut bytes = 0;
    loop {
        let (ev, res) = driver
            .submit_event(Recv {
                fd: raw,
                buf,
                flags: 0,
            })
            .await;
        buf = ev.buf;
        let n = res? as usize;
        if n == 0 {
            return Ok(bytes);
        }
        bytes += n as u64;
        buf.truncate(n);
        while !buf.is_empty() {
            let (ev, res) = driver
                .submit_event(Send {
                    fd: raw,
                    buf,
                    flags: 0,
                })
                .await;
            buf = ev.buf;
            buf.drain(..res? as usize);
        }
        // SAFETY: the capacity is ECHO_BUF, and every byte of it was initialized by `vec!`
        // above (truncating and draining do not de-initialize memory; u8 has no invalid values).
        unsafe { buf.set_len(ECHO_BUF) };
    }
}

/// The future of one connection's echo loop.
type ConnFuture<'a> = Pin<Box<dyn Future<Output = Result<u64, Error>> + 'a>>;

/// Echoes on every connection until the peer closes it; returns the bytes echoed.
///
/// # Errors
/// Ring setup or `io_uring_enter` failed, or a receive or send failed.
pub fn echo_server(fds: Vec<OwnedFd>) -> Result<u64, Error> {
    let driver = LocalDriver::new(RING_ENTRIES)?;
    let mut conns: Vec<Option<ConnFuture<'_>>> = fds
        .into_iter()
        .map(|fd| Some(Box::pin(echo_conn(&driver, fd)) as ConnFuture<'_>))
        .collect();
    let mut bytes = 0;
    driver.block_on(JoinSlice::new(&mut conns, |_, r: Result<u64, Error>| {
        bytes += r?;
        Ok::<_, Error>(())
    }))??;
    Ok(bytes)
}

/// A read of the storm's pipe into an owned buffer.
type PipeRead<'a> = Submission<Read<Vec<u8>>, &'a LocalDriver>;

/// The cancellation storm in the safe layer: [`STORM`] reads of an empty pipe, each a
/// `Submission` owning a fresh 64-byte `Vec`, polled once (so the kernel owns it) and dropped,
/// which parks the buffer in a `Cancellation` and queues the cancel; then the driver runs
/// until the kernel owns nothing, by which time every buffer has been freed. The checksum
/// counts the reads dropped while in flight.
///
/// # Errors
/// Setup or `io_uring_enter` failed, a read was not in flight when dropped, or the driver
/// did not get every request back.
pub fn cancel_storm(ops: u64) -> Result<Outcome, Error> {
    let (rx, _tx) = empty_pipe()?;
    let fd = rx.as_raw_fd();
    // Declared after the pipe so that it is dropped (and drained) first.
    let driver = LocalDriver::new(RING_ENTRIES)?;
    let mut cx = Context::from_waker(Waker::noop());
    let (mut done, mut check) = (0u64, 0u64);
    let start = Instant::now();
    while done < ops {
        let n = (STORM as u64).min(ops - done);
        let mut subs: [Option<PipeRead<'_>>; STORM] = std::array::from_fn(|_| None);
        for slot in subs.iter_mut().take(n as usize) {
            let mut sub = driver.submit_event(Read::new(fd, vec![0u8; 64], u64::MAX));
            if Pin::new(&mut sub).poll(&mut cx).is_ready() {
                return Err("a read of an empty pipe completed".into());
            }
            if !sub.is_in_flight() {
                return Err("a read was not given to the kernel".into());
            }
            *slot = Some(sub);
        }
        // Dropping in-flight submissions: each parks its buffer and asks for a cancel.
        drop(subs);
        driver.run_until_idle()?;
        if driver.in_flight() != 0 {
            return Err("the kernel still owns requests after the driver ran idle".into());
        }
        done += n;
        check += n;
    }
    Ok(Outcome {
        ops: done,
        check,
        ns: start.elapsed().as_nanos() as u64,
    })
}
