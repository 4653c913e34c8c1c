//! Requests in flight: `depth` one-shot polls of an eventfd, submitted and left pending, then
//! completed together by one write to the eventfd and reaped. The same protocol on each
//! implementation; `rounds` repeats it on the same ring or driver.
//!
//! A poll carries no buffer, so whatever memory a request costs is the implementation's own.

use ringcore::driver::{LocalDriver, SharedDriver};
use ringcore::event::events::PollAdd;
use ringcore::event::Batch;
use ringcore::op::SqeOptions as _;
use ringcore::{op, Ring};
use std::future::Future;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::Instant;

/// SQ entries of every ring unless a run asks for others (the CQ gets the kernel's default,
/// twice as many).
pub const RING_ENTRIES: u32 = 4096;
const POLLIN: u32 = libc::POLLIN as u32;

pub type Error = Box<dyn std::error::Error>;

/// What one child run measured.
pub struct Measured {
    /// Wall time per request over the rounds after the first (the first when there is one).
    pub ns_per_request: f64,
    /// Resident memory added while the first round's requests were in flight, per request.
    pub bytes_per_request: f64,
    /// Completions reaped with the expected result, over all rounds.
    pub completed: u64,
}

/// The Rust implementations (the C API's is a C program, `bench/c/scale_capi.c`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Imp {
    Ring,
    LocalSubmission,
    LocalBatch,
    Shared,
    Capi,
}

impl Imp {
    pub const ALL: [Imp; 5] = [
        Imp::Ring,
        Imp::LocalSubmission,
        Imp::LocalBatch,
        Imp::Shared,
        Imp::Capi,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Imp::Ring => "ring",
            Imp::LocalSubmission => "local-submission",
            Imp::LocalBatch => "local-batch",
            Imp::Shared => "shared",
            Imp::Capi => "capi-callback",
        }
    }

    pub fn from_name(name: &str) -> Option<Imp> {
        Imp::ALL.into_iter().find(|i| i.name() == name)
    }
}

pub fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

fn eventfd() -> Result<OwnedFd, Error> {
    // SAFETY: plain system call; the result is checked and owned below.
    let fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error().into());
    }
    // SAFETY: a new descriptor nobody else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Makes every poll of `fd` ready.
fn fire(fd: &OwnedFd) -> Result<(), Error> {
    let one = 1u64.to_ne_bytes();
    // SAFETY: writes 8 bytes from a live array.
    let n = unsafe { libc::write(fd.as_raw_fd(), one.as_ptr().cast(), 8) };
    if n != 8 {
        return Err(std::io::Error::last_os_error().into());
    }
    Ok(())
}

/// Makes it not ready again.
fn reset(fd: &OwnedFd) -> Result<(), Error> {
    let mut value = [0u8; 8];
    // SAFETY: reads 8 bytes into a live array.
    let n = unsafe { libc::read(fd.as_raw_fd(), value.as_mut_ptr().cast(), 8) };
    if n != 8 {
        return Err(std::io::Error::last_os_error().into());
    }
    Ok(())
}

/// Runs `round(first)` `rounds` times and times all rounds but the first (when there are
/// more), measuring resident memory in flight during the first through `in_flight`.
fn measure(
    rounds: u64,
    depth: u64,
    mut round: impl FnMut(&mut dyn FnMut()) -> Result<u64, Error>,
) -> Result<Measured, Error> {
    let mut completed = 0;
    let before = resident_bytes();
    let mut during = before;
    completed += round(&mut || during = resident_bytes())?;
    let start = Instant::now();
    for _ in 1..rounds {
        completed += round(&mut || ())?;
    }
    let timed = if rounds > 1 { rounds - 1 } else { 1 };
    let ns = start.elapsed().as_nanos() as f64;
    Ok(Measured {
        ns_per_request: ns / (timed * depth) as f64,
        bytes_per_request: during.saturating_sub(before) as f64 / depth as f64,
        completed,
    })
}

/// One implementation at one depth.
///
/// # Errors
/// Setup, submission or a wrong completion.
pub fn run(imp: Imp, depth: u64, rounds: u64, entries: u32) -> Result<Measured, Error> {
    let efd = eventfd()?;
    let m = match imp {
        Imp::Ring => ring(&efd, depth, rounds, entries)?,
        Imp::LocalSubmission => local_submission(&efd, depth, rounds, entries)?,
        Imp::LocalBatch => local_batch(&efd, depth, rounds, entries)?,
        Imp::Shared => shared(&efd, depth, rounds, entries)?,
        Imp::Capi => return Err("the C API runs as its own program".into()),
    };
    if m.completed != depth * rounds {
        return Err(format!("{} of {} polls completed", m.completed, depth * rounds).into());
    }
    Ok(m)
}

fn check(res: i32) -> Result<u64, Error> {
    if res < 0 || res as u32 & POLLIN == 0 {
        return Err(format!("poll completed with {res}").into());
    }
    Ok(1)
}

fn ring(efd: &OwnedFd, depth: u64, rounds: u64, entries: u32) -> Result<Measured, Error> {
    let mut ring = Ring::new(entries)?;
    let fd = efd.as_raw_fd();
    measure(rounds, depth, |in_flight| {
        let mut sq = ring.sq_batch();
        for i in 0..depth {
            let sqe = match sq.get_sqe() {
                Some(sqe) => sqe,
                None => {
                    drop(sq);
                    ring.submit()?;
                    sq = ring.sq_batch();
                    sq.get_sqe().ok_or("SQ full after submit")?
                }
            };
            op::poll_add(sqe, fd, POLLIN);
            sqe.user_data(i);
        }
        drop(sq);
        ring.submit()?;
        in_flight();
        fire(efd)?;
        let mut done = 0;
        while done < depth {
            ring.submit_and_wait(1)?;
            for cqe in ring.completions() {
                done += check(cqe.res)?;
            }
        }
        reset(efd)?;
        Ok(done)
    })
}

fn noop_cx() -> Context<'static> {
    Context::from_waker(Waker::noop())
}

fn local_submission(
    efd: &OwnedFd,
    depth: u64,
    rounds: u64,
    entries: u32,
) -> Result<Measured, Error> {
    let driver = LocalDriver::new(entries)?;
    let fd = efd.as_raw_fd();
    let mut futures = Vec::with_capacity(depth as usize);
    let mut cx = noop_cx();
    measure(rounds, depth, |in_flight| {
        for _ in 0..depth {
            futures.push(driver.submit_event(PollAdd { fd, events: POLLIN }));
        }
        for f in futures.iter_mut() {
            if Pin::new(f).poll(&mut cx).is_ready() {
                return Err("a poll completed before the eventfd was written".into());
            }
        }
        in_flight();
        fire(efd)?;
        driver.run_until_idle()?;
        let mut done = 0;
        for mut f in futures.drain(..) {
            match Pin::new(&mut f).poll(&mut cx) {
                Poll::Ready((_, Ok(mask))) => done += check(mask as i32)?,
                Poll::Ready((_, Err(e))) => return Err(e.into()),
                Poll::Pending => return Err("pending after run_until_idle".into()),
            }
        }
        reset(efd)?;
        Ok(done)
    })
}

/// Members one batch may have (the registry's limit); deeper runs use several batches.
const MAX_BATCH: u64 = 1 << 16;

fn local_batch(efd: &OwnedFd, depth: u64, rounds: u64, entries: u32) -> Result<Measured, Error> {
    let driver = LocalDriver::new(entries)?;
    let fd = efd.as_raw_fd();
    let mut cx = noop_cx();
    let batches = depth.div_ceil(MAX_BATCH);
    let mut spare: Vec<_> = (0..batches)
        .map(|i| Batch::with_capacity(share(depth, batches, i) as usize))
        .collect();
    let mut futures = Vec::with_capacity(batches as usize);
    measure(rounds, depth, |in_flight| {
        for (i, mut batch) in spare.drain(..).enumerate() {
            batch.clear();
            for _ in 0..share(depth, batches, i as u64) {
                batch.push(PollAdd { fd, events: POLLIN });
            }
            futures.push(driver.submit_batch(batch));
        }
        for future in futures.iter_mut() {
            if let Poll::Ready(batch) = Pin::new(future).poll(&mut cx) {
                let first = batch.results().position(|r| r.is_err());
                return Err(format!(
                    "a batch completed before the eventfd was written: member {first:?} {:?}",
                    first.map(|i| batch.result(i))
                )
                .into());
            }
        }
        in_flight();
        fire(efd)?;
        driver.run_until_idle()?;
        let mut done = 0;
        for mut future in futures.drain(..) {
            let Poll::Ready(batch) = Pin::new(&mut future).poll(&mut cx) else {
                return Err("batch pending after run_until_idle".into());
            };
            for r in batch.results() {
                done += check(r? as i32)?;
            }
            spare.push(batch);
        }
        reset(efd)?;
        Ok(done)
    })
}

/// Members of batch `i` of `batches` sharing `depth`.
fn share(depth: u64, batches: u64, i: u64) -> u64 {
    depth / batches + u64::from(i < depth % batches)
}

fn shared(efd: &OwnedFd, depth: u64, rounds: u64, entries: u32) -> Result<Measured, Error> {
    let driver = SharedDriver::new(entries)?;
    let fd = efd.as_raw_fd();
    let mut futures = Vec::with_capacity(depth as usize);
    let mut cx = noop_cx();
    measure(rounds, depth, |in_flight| {
        for _ in 0..depth {
            futures.push(driver.submit_event(PollAdd { fd, events: POLLIN }));
        }
        for f in futures.iter_mut() {
            if Pin::new(f).poll(&mut cx).is_ready() {
                return Err("a poll completed before the eventfd was written".into());
            }
        }
        in_flight();
        fire(efd)?;
        // As a user waits: block_on runs the driver, sleeping in the kernel (not spinning)
        // while the completion work is still to run.
        driver.block_on(std::future::poll_fn(|_| {
            if driver.in_flight() == 0 {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        }))?;
        let mut done = 0;
        for mut f in futures.drain(..) {
            match Pin::new(&mut f).poll(&mut cx) {
                Poll::Ready((_, Ok(mask))) => done += check(mask as i32)?,
                Poll::Ready((_, Err(e))) => return Err(e.into()),
                Poll::Pending => return Err("pending after the driver ran dry".into()),
            }
        }
        reset(efd)?;
        Ok(done)
    })
}
