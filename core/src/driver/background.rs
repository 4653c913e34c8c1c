//! [`BackgroundDriver`]: a [`SharedDriver`] with its own reaper thread, so its futures make
//! progress under any executor (needs `std`).

use super::{Drive, SharedDriver};
use crate::event::Cancellation;
use crate::sys::{Sqe, Timespec};
use crate::Errno;
use core::sync::atomic::{AtomicBool, Ordering};
use core::task::{Context, Poll};
use std::sync::{Arc, OnceLock};
use std::thread;

/// How long the reaper sleeps in the kernel before it looks at its stop flag. Every SQE is
/// submitted by the thread that prepares it, so nothing waits for this tick but shutdown.
const REAPER_TICK: Timespec = Timespec {
    tv_sec: 0,
    tv_nsec: 100_000_000,
};

/// SQ entries of the process-wide driver.
const GLOBAL_ENTRIES: u32 = 256;

/// A driver whose completions are reaped by a thread of its own.
///
/// Executors such as `futures::executor::block_on` or tokio know nothing of io_uring; they only
/// poll futures and wait for wakers. A `BackgroundDriver` submits each request as soon as it is
/// prepared (on the polling thread), and a reaper thread waits in the kernel — without the
/// driver's lock — for completions and wakes the futures they belong to. Clones share the ring;
/// the reaper stops shortly after the last clone (including those held by in-flight
/// submissions) is dropped, and the ring then waits for the kernel as every driver does.
///
/// [`global`](Self::global) is the process-wide instance the std file and socket types use
/// unless they are given another driver.
#[derive(Clone, Debug)]
pub struct BackgroundDriver {
    driver: SharedDriver,
    _reaper: Arc<ReaperHandle>,
}

/// Tells the reaper to stop when the last handle is dropped.
#[derive(Debug)]
struct ReaperHandle {
    stop: Arc<AtomicBool>,
}

impl Drop for ReaperHandle {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
    }
}

fn reap(driver: SharedDriver, stop: Arc<AtomicBool>) {
    while !stop.load(Ordering::Acquire) {
        let waited = driver.wait_for_completion(&REAPER_TICK);
        if driver.run_once().is_err() || waited.is_err() {
            // The ring itself failed; back off instead of spinning on the error.
            thread::sleep(core::time::Duration::from_millis(1));
        }
    }
}

impl BackgroundDriver {
    /// A driver over a new ring of `entries` SQEs, with its reaper thread started.
    ///
    /// # Errors
    /// As [`Ring::new`](crate::Ring::new); `EAGAIN` if the thread cannot be spawned.
    pub fn new(entries: u32) -> Result<BackgroundDriver, Errno> {
        BackgroundDriver::from_shared(SharedDriver::new(entries)?)
    }

    /// Adds a reaper thread to `driver`. Other threads may keep using the `SharedDriver`
    /// directly (its `block_on` reaps too).
    ///
    /// # Errors
    /// `EAGAIN` if the thread cannot be spawned.
    pub fn from_shared(driver: SharedDriver) -> Result<BackgroundDriver, Errno> {
        let stop = Arc::new(AtomicBool::new(false));
        let reaper_driver = driver.clone();
        let reaper_stop = stop.clone();
        thread::Builder::new()
            .name("ringcore-reaper".into())
            .spawn(move || reap(reaper_driver, reaper_stop))
            .map_err(|_| Errno::EAGAIN)?;
        Ok(BackgroundDriver {
            driver,
            _reaper: Arc::new(ReaperHandle { stop }),
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

    /// The underlying shared driver.
    pub fn shared(&self) -> &SharedDriver {
        &self.driver
    }

    /// Requests the kernel still owns.
    pub fn in_flight(&self) -> usize {
        self.driver.in_flight()
    }

    /// Dispatches the CQEs in the ring on this thread; true if there were any.
    #[inline]
    fn reap_here(&self) -> bool {
        matches!(self.driver.run_once(), Ok(n) if n > 0)
    }

    /// Submits what is queued (cancel requests queued while the SQ was full included).
    fn flush(&self) {
        // An error here is the ring's; the request's own CQE (or the reaper) reports it.
        let _ = self.driver.run_once();
    }
}

// SAFETY: every call is forwarded to the `SharedDriver`, which keeps the contract; this type
// only adds submissions (which never release memory) and a thread that reaps.
unsafe impl Drive for BackgroundDriver {
    #[inline]
    fn poll_prepare<F: FnMut(u32, &mut Sqe)>(
        &self,
        cx: &mut Context<'_>,
        count: u32,
        multishot: bool,
        prepare: F,
    ) -> Poll<Result<u64, Errno>> {
        let prepared = self.driver.poll_prepare(cx, count, multishot, prepare);
        if let Poll::Ready(Ok(_)) = prepared {
            // Nobody else would submit it: the reaper only waits.
            let _ = self.driver.poll_submit(cx, true);
        }
        prepared
    }

    #[inline]
    fn poll_submit(&self, cx: &mut Context<'_>, _eager: bool) -> Poll<Result<u32, Errno>> {
        self.driver.poll_submit(cx, true)
    }

    #[inline]
    fn poll_complete(&self, cx: &mut Context<'_>, key: u64) -> Poll<(i32, u32)> {
        match self.driver.poll_complete(cx, key) {
            // The CQE may be in the ring already, ahead of the reaper: reaping here (no
            // syscall when there is nothing to submit) saves a hop through its thread.
            Poll::Pending if self.reap_here() => self.driver.poll_complete(cx, key),
            other => other,
        }
    }

    fn poll_next(&self, cx: &mut Context<'_>, key: u64) -> Poll<Option<(i32, u32)>> {
        match self.driver.poll_next(cx, key) {
            Poll::Pending if self.reap_here() => self.driver.poll_next(cx, key),
            other => other,
        }
    }

    fn request_cancel(&self, key: u64) {
        self.driver.request_cancel(key);
        self.flush();
    }

    fn cancel(&self, key: u64, cancellation: Cancellation) {
        self.driver.cancel(key, cancellation);
        self.flush();
    }
}
