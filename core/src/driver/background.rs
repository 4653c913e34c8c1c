//! [`BackgroundDriver`]: a [`SharedDriver`] with its own reaper thread, so its futures make
//! progress under any executor (needs `std`).

use super::{Drive, SharedDriver};
use crate::event::{BatchMembers, BatchProgress, Cancellation};
use crate::ring::Entry;
use crate::{Errno, Ring};
use core::sync::atomic::{AtomicBool, Ordering};
use core::task::{Context, Poll};
use std::sync::{Arc, OnceLock};
use std::thread;
use std::vec::Vec;

/// SQ entries of the process-wide driver: the polling threads queue SQEs and the reaper
/// submits them, so the SQ must absorb a burst between two reaper turns.
const GLOBAL_ENTRIES: u32 = 1024;

/// A driver whose requests are submitted, and whose completions are reaped, by a thread of
/// its own.
///
/// Executors such as `futures::executor::block_on` or tokio know nothing of io_uring; they only
/// poll futures and wait for wakers. A future polled on any thread prepares its SQE under the
/// driver's lock and rings a doorbell (an eventfd, written only when the reaper has not been
/// rung since its last turn). The reaper thread submits everything queued, dispatches the
/// completions in the ring (waking their futures), and sleeps in `poll(2)` on the ring fd and
/// the doorbell.
///
/// Only the reaper submits, because the kernel ties a request to the thread that submitted it
/// and cancels it if that thread exits: a request submitted by a short-lived executor or test
/// thread would fail with `ECANCELED` when that thread ends. The reaper lives as long as the
/// driver. That holds when the SQ is full too: the preparing future then rings the reaper and
/// waits (`Pending`) until the reaper has submitted and made room, and is woken then. Clones
/// share the ring; the reaper stops shortly after the last clone (including those held by
/// in-flight submissions) is dropped, and the ring then waits for the kernel as every driver
/// does (on the reaper's thread, which holds the last clone).
///
/// [`global`](Self::global) is the process-wide instance the std file and socket types use
/// unless they are given another driver.
/// # Example
///
/// Any executor can wait for its requests; here `futures`' `block_on`, which knows nothing of
/// io_uring:
///
/// ```
/// use ringcore::driver::BackgroundDriver;
/// use ringcore::event::{events::Nop, Submission};
///
/// let driver = BackgroundDriver::new(32)?;
/// let results = futures::executor::block_on(async {
///     let a = Submission::new(Nop, driver.clone());
///     let b = Submission::new(Nop, driver.clone());
///     futures::join!(a, b)
/// });
/// assert_eq!((results.0 .1, results.1 .1), (Ok(0), Ok(0)));
/// # Ok::<(), ringcore::Errno>(())
/// ```
#[derive(Clone, Debug)]
pub struct BackgroundDriver {
    driver: SharedDriver,
    handle: Arc<StopOnDrop>,
}

/// Wakes the reaper: an eventfd, a flag that saves writes while a ring is pending, and the
/// stop flag (set when the last handle is dropped).
#[derive(Debug)]
struct Doorbell {
    eventfd: i32,
    rung: AtomicBool,
    stop: AtomicBool,
}

impl Doorbell {
    /// Writes the eventfd: the reaper wakes.
    fn write(&self) {
        let one: u64 = 1;
        // SAFETY: the eventfd is open while the doorbell lives; 8 bytes from a live u64.
        // A full counter (EAGAIN) still leaves the reaper woken, so the result is moot.
        unsafe { libc::write(self.eventfd, (&one as *const u64).cast(), 8) };
    }

    fn ring(&self) {
        // Whoever sets the flag writes; the reaper clears it before it submits, so a request
        // prepared after that clear always rings again.
        if !self.rung.swap(true, Ordering::AcqRel) {
            self.write();
        }
    }

    /// Resets the eventfd after a wake-up.
    fn drain(&self) {
        let mut count: u64 = 0;
        // SAFETY: as above; non-blocking, so an empty counter returns EAGAIN at once.
        unsafe { libc::read(self.eventfd, (&mut count as *mut u64).cast(), 8) };
    }
}

impl Drop for Doorbell {
    fn drop(&mut self) {
        // SAFETY: the eventfd was opened by `BackgroundDriver::new` and is closed once, here;
        // the reaper holds its own handle to the flags, not this struct.
        unsafe { libc::close(self.eventfd) };
    }
}

/// What the reaper thread keeps: its driver clone, the ring fd to wait on, and the doorbell.
struct Reaper {
    driver: SharedDriver,
    ring_fd: i32,
    doorbell: Arc<Doorbell>,
}

impl Reaper {
    fn run(self) {
        while !self.doorbell.stop.load(Ordering::Acquire) {
            self.doorbell.rung.store(false, Ordering::Release);
            if self.driver.run_once().is_err() {
                // The ring itself failed; back off instead of spinning on the error.
                thread::sleep(core::time::Duration::from_millis(1));
            }
            let mut fds = [
                libc::pollfd {
                    fd: self.ring_fd,
                    events: libc::POLLIN,
                    revents: 0,
                },
                libc::pollfd {
                    fd: self.doorbell.eventfd,
                    events: libc::POLLIN,
                    revents: 0,
                },
            ];
            // SAFETY: `fds` is a live array of two pollfds; both fds are open (the ring's while
            // `self.driver` lives, the eventfd while `self.doorbell` lives).
            // No timeout: requests, completions and the stop all wake the reaper.
            let n = unsafe { libc::poll(fds.as_mut_ptr(), 2, -1) };
            if n > 0 && fds[1].revents != 0 {
                self.doorbell.drain();
            }
        }
    }
}

/// Stops the reaper when the last user handle goes.
#[derive(Debug)]
struct StopOnDrop(Arc<Doorbell>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.stop.store(true, Ordering::Release);
        // Written whether or not the doorbell was rung already: the reaper's `poll` returns
        // after this write, and its next look at `stop` (after the poll) sees it. Going
        // through `rung` could skip the write for a ring the reaper already drained.
        self.0.write();
    }
}

impl BackgroundDriver {
    /// A driver over a new ring of `entries` SQEs, with its reaper thread started.
    ///
    /// # Errors
    /// As [`Ring::new`]; the kernel's error from `eventfd`; `EAGAIN` if the thread cannot be
    /// spawned.
    pub fn new(entries: u32) -> Result<BackgroundDriver, Errno> {
        let mut ring = Ring::new(entries)?;
        let ring_fd = ring.split().0.ring_fd();
        // A plain ring: only `run_once`, which the reaper calls, submits on it.
        // SAFETY: a new ring no one else has seen; its fd goes only to the reaper thread,
        // which posts nothing into it.
        let driver = unsafe { SharedDriver::from_ring(ring) };
        // SAFETY: plain system call with constant arguments.
        let eventfd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
        if eventfd < 0 {
            return Err(Errno::last());
        }
        let doorbell = Arc::new(Doorbell {
            eventfd,
            rung: AtomicBool::new(false),
            stop: AtomicBool::new(false),
        });
        let reaper = Reaper {
            driver: driver.clone(),
            ring_fd,
            doorbell: doorbell.clone(),
        };
        thread::Builder::new()
            .name("ringcore-reaper".into())
            .spawn(move || reaper.run())
            .map_err(|_| Errno::EAGAIN)?;
        Ok(BackgroundDriver {
            driver,
            handle: Arc::new(StopOnDrop(doorbell)),
        })
    }
    /// The process-wide driver, created on first use.
    ///
    /// # Errors
    /// As [`new`](Self::new), on first use; the error is not cached, so a later call tries
    /// again.
    pub fn global() -> Result<BackgroundDriver, Errno> {
        static GLOBAL: OnceLock<BackgroundDriver> = OnceLock::new();
        if let Some(driver) = GLOBAL.get() {
            return Ok(driver.clone());
        }
        let driver = BackgroundDriver::new(GLOBAL_ENTRIES)?;
        // A racing thread may have won; its driver is used and ours is dropped.
        Ok(GLOBAL.get_or_init(|| driver).clone())
    }

    /// Requests the kernel still owns.
    pub fn in_flight(&self) -> usize {
        self.driver.in_flight()
    }

    /// Wakes the reaper to submit what was queued.
    #[inline]
    fn ring(&self) {
        self.handle.0.ring();
    }
}

// SAFETY: every call is forwarded to the `SharedDriver`, which keeps the contract; this type
// only decides which thread submits (the reaper) and adds a thread that reaps.
unsafe impl Drive for BackgroundDriver {
    #[inline]
    unsafe fn poll_prepare<F: FnMut(u32, &mut Entry)>(
        &self,
        cx: &mut Context<'_>,
        count: u32,
        multishot: bool,
        prepare: F,
    ) -> Poll<Result<u64, Errno>> {
        // SAFETY: forwarded from this method's caller.
        let prepared = unsafe { self.driver.poll_prepare(cx, count, multishot, prepare) };
        // Prepared: the reaper submits it. Pending: the SQ is full, and the reaper makes room
        // (and then wakes this task).
        if matches!(prepared, Poll::Ready(Ok(_)) | Poll::Pending) {
            self.ring();
        }
        prepared
    }

    #[inline]
    fn poll_submit(&self, _cx: &mut Context<'_>, _eager: bool) -> Poll<Result<u32, Errno>> {
        // The reaper submits (see the type's docs); ringing it is all a submit can do here.
        self.ring();
        Poll::Ready(Ok(0))
    }

    unsafe fn poll_prepare_batch<M: BatchMembers>(
        &self,
        cx: &mut Context<'_>,
        batch: &mut BatchProgress,
        members: M,
    ) -> Poll<Result<(), Errno>> {
        let before = batch.prepared;
        // SAFETY: forwarded from this method's caller.
        let prepared = unsafe { self.driver.poll_prepare_batch(cx, batch, members) };
        if batch.prepared != before || prepared.is_pending() {
            self.ring();
        }
        prepared
    }

    #[inline]
    unsafe fn poll_batch(&self, cx: &mut Context<'_>, key: u64) -> Poll<Vec<(i32, u32)>> {
        // SAFETY: forwarded from this method's caller.
        unsafe { self.driver.poll_batch(cx, key) }
    }

    #[inline]
    unsafe fn poll_complete(&self, cx: &mut Context<'_>, key: u64) -> Poll<(i32, u32)> {
        // SAFETY: forwarded from this method's caller.
        unsafe { self.driver.poll_complete(cx, key) }
    }

    unsafe fn poll_next(&self, cx: &mut Context<'_>, key: u64) -> Poll<Option<(i32, u32)>> {
        // SAFETY: forwarded from this method's caller.
        unsafe { self.driver.poll_next(cx, key) }
    }

    unsafe fn request_cancel(&self, key: u64) {
        // SAFETY: forwarded from this method's caller.
        unsafe { self.driver.request_cancel(key) };
        self.ring();
    }

    unsafe fn cancel(&self, key: u64, cancellation: Cancellation) {
        // SAFETY: forwarded from this method's caller.
        unsafe { self.driver.cancel(key, cancellation) };
        self.ring();
    }
}
