//! [`SharedDriver`]: a driver several threads can use at once (needs `std`).

use super::engine::Engine;
use super::Drive;
use crate::event::{
    Batch, BatchMembers, BatchProgress, BatchSubmission, Cancellation, Event, Multishot, Submission,
};
use crate::ring::Entry;
use crate::sys::{self, GeteventsArg, Timespec};
use crate::{Errno, Ring};
use core::future::Future;
use core::pin::pin;
use core::sync::atomic::{AtomicBool, Ordering};
use core::task::{Context, Poll, Waker};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::task::Wake;
use std::vec::Vec;

/// A driver shared between threads: a [`Ring`] and its registry behind an `Arc<Mutex<_>>`.
///
/// Clone it into every thread. Each [`block_on`](Self::block_on) call submits and reaps on
/// its own thread; completions reaped by one thread wake the futures of the others. The lock
/// is held for a prepare, a submit or a reap, never while waiting in the kernel. When the last
/// clone is dropped, requests still in flight are cancelled and waited for.
///
/// Wakers run and Cancellations are dropped while the lock is held: a waker must not poll a
/// future of this driver from inside `wake` (executors never do; it would deadlock). Dropping
/// a `Submission` there is fine: a cancel that finds the lock taken is queued for its next
/// holder.
#[derive(Clone, Debug)]
pub struct SharedDriver {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    engine: Mutex<Engine>,
    /// Abandoned requests handed over while the engine's lock was taken — by another thread,
    /// or by this one further up the stack (a waker or a Cancellation's drop dropping a
    /// Submission while the engine dispatches) — with their Cancellation (`None`: only an
    /// early cancel was asked for). The next holder of the lock adopts them.
    orphans: Mutex<Vec<(u64, Option<Cancellation>)>>,
    /// Whether `orphans` may be non-empty: checked on every lock, without taking `orphans`.
    has_orphans: AtomicBool,
    ring_fd: i32,
}

impl Shared {
    /// Queues an abandoned request for the next holder of the engine's lock.
    #[cold]
    fn orphan(&self, key: u64, cancellation: Option<Cancellation>) {
        let mut orphans = self.orphans.lock().unwrap_or_else(|p| p.into_inner());
        orphans.push((key, cancellation));
        self.has_orphans.store(true, Ordering::Release);
    }

    /// Hands the engine the orphans, one at a time and with `orphans` unlocked while the engine
    /// works: dropping a Cancellation there may abandon more requests, which queue up behind.
    #[cold]
    fn adopt(&self, engine: &mut Engine) {
        loop {
            let next = {
                let mut orphans = self.orphans.lock().unwrap_or_else(|p| p.into_inner());
                let next = orphans.pop();
                if orphans.is_empty() {
                    self.has_orphans.store(false, Ordering::Relaxed);
                }
                next
            };
            match next {
                Some((key, Some(c))) => engine.cancel(key, c),
                Some((key, None)) => engine.request_cancel(key),
                None => return,
            }
        }
    }

    /// Cancels `key` now if the engine is free, or queues it for the lock's next holder; never
    /// waits for the lock, which this thread may hold already.
    fn cancel_or_orphan(&self, key: u64, cancellation: Option<Cancellation>) {
        let mut engine = match self.engine.try_lock() {
            Ok(engine) => engine,
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
            Err(TryLockError::WouldBlock) => return self.orphan(key, cancellation),
        };
        match cancellation {
            Some(c) => engine.cancel(key, c),
            None => engine.request_cancel(key),
        }
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        // The engine's own drop then cancels and waits for everything still in the kernel.
        let engine = self.engine.get_mut().unwrap_or_else(|p| p.into_inner());
        let orphans = core::mem::take(self.orphans.get_mut().unwrap_or_else(|p| p.into_inner()));
        for (key, cancellation) in orphans {
            match cancellation {
                Some(c) => engine.cancel(key, c),
                None => engine.request_cancel(key),
            }
        }
    }
}

/// The wake flag of one `block_on` call; its thread sleeps in the kernel for at most one
/// tick before it looks at the flag.
struct WakeFlag(AtomicBool);

impl Wake for WakeFlag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::Release);
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.store(true, Ordering::Release);
    }
}

/// The longest a `block_on` thread sleeps in the kernel before looking at its wake flag.
const TICK: Timespec = Timespec {
    tv_sec: 0,
    tv_nsec: 1_000_000,
};

impl SharedDriver {
    /// A driver over a new ring of `entries` SQEs.
    ///
    /// # Errors
    /// As [`Ring::new`].
    pub fn new(entries: u32) -> Result<SharedDriver, Errno> {
        SharedDriver::with_builder(Ring::builder(entries))
    }

    /// A driver over a new ring built by `builder`.
    ///
    /// # Errors
    /// As [`Builder::build`](crate::Builder::build).
    pub fn with_builder(builder: crate::Builder) -> Result<SharedDriver, Errno> {
        let ring = builder.build()?;
        // SAFETY: the ring was made just now and never left this function: no SQE was taken,
        // nothing is in flight, and no one else knows its fd yet.
        Ok(unsafe { SharedDriver::from_ring(ring) })
    }

    /// A driver over `ring`.
    ///
    /// # Safety
    /// As [`LocalDriver::from_ring`](super::LocalDriver::from_ring): no SQE taken, nothing in
    /// flight, no CQE waiting, and nothing but this driver makes CQEs appear in the ring.
    pub unsafe fn from_ring(mut ring: Ring) -> SharedDriver {
        let ring_fd = ring.split().0.ring_fd();
        SharedDriver {
            shared: Arc::new(Shared {
                engine: Mutex::new(Engine::new(ring)),
                orphans: Mutex::new(Vec::new()),
                has_orphans: AtomicBool::new(false),
                ring_fd,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Engine> {
        // A panic while the lock was held leaves the registry consistent (every update is a
        // single step), so a poisoned lock is used as is.
        let mut engine = self
            .shared
            .engine
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if self.shared.has_orphans.load(Ordering::Relaxed) {
            self.shared.adopt(&mut engine);
        }
        engine
    }

    /// A [`Submission`] of `event` on this driver (submitted as soon as it is prepared).
    pub fn submit_event<E: Event>(&self, event: E) -> Submission<E, SharedDriver> {
        Submission::new(event, self.clone()).eager()
    }

    /// A [`BatchSubmission`] of every event in `batch` on this driver.
    pub fn submit_batch<E: Event>(&self, batch: Batch<E>) -> BatchSubmission<E, SharedDriver> {
        BatchSubmission::new(batch, self.clone())
    }

    /// A [`Multishot`] stream of `event` on this driver.
    pub fn multishot<E: Event>(&self, event: E) -> Multishot<E, SharedDriver> {
        Multishot::new(event, self.clone())
    }

    /// Requests the kernel still owns.
    pub fn in_flight(&self) -> usize {
        self.lock().in_kernel()
    }

    /// Submits, dispatches the CQEs in the ring, and returns how many.
    ///
    /// # Errors
    /// The kernel's errno from `io_uring_enter` (a full CQ is not an error).
    pub fn run_once(&self) -> Result<usize, Errno> {
        self.lock().run(0)
    }

    /// Waits in the kernel, without the lock, for a CQE or one tick.
    fn wait(&self) -> Result<(), Errno> {
        let arg = GeteventsArg {
            ts: &TICK as *const Timespec as u64,
            ..GeteventsArg::default()
        };
        // SAFETY: no SQE is submitted by this call (to_submit 0); `arg` and the timespec it
        // names are valid for the call; the ring fd is open while `self.shared` lives.
        let r = unsafe {
            sys::io_uring_enter_ext(
                self.shared.ring_fd,
                0,
                1,
                sys::EnterFlags::GETEVENTS.bits(),
                &arg,
            )
        };
        match r {
            Ok(_) => Ok(()),
            Err(e) if e == Errno::ETIME || e == Errno::EINTR || e == Errno::EBUSY => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Runs `future` to completion on this thread, submitting and reaping as needed.
    ///
    /// # Errors
    /// The kernel's errno from `io_uring_enter` (`EINVAL` on kernels without
    /// `IORING_ENTER_EXT_ARG`, before 5.11).
    pub fn block_on<F: Future>(&self, future: F) -> Result<F::Output, Errno> {
        let flag = Arc::new(WakeFlag(AtomicBool::new(false)));
        let waker = Waker::from(flag.clone());
        let mut cx = Context::from_waker(&waker);
        let mut future = pin!(future);
        loop {
            flag.0.store(false, Ordering::Relaxed);
            if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
                return Ok(out);
            }
            let reaped = self.run_once()?;
            if reaped == 0 && !flag.0.load(Ordering::Acquire) {
                self.wait()?;
            }
        }
    }
}

// SAFETY: as for `&LocalDriver`: the shared engine keys, completes and cancels requests by the
// registry's rules, and the last clone's drop waits for the kernel before unmapping.
unsafe impl Drive for SharedDriver {
    unsafe fn poll_prepare<F: FnMut(u32, &mut Entry)>(
        &self,
        cx: &mut Context<'_>,
        count: u32,
        multishot: bool,
        prepare: F,
    ) -> Poll<Result<u64, Errno>> {
        match self.lock().prepare(count, multishot, cx.waker(), prepare) {
            Ok(Some(key)) => Poll::Ready(Ok(key)),
            Ok(None) => {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Err(e) => Poll::Ready(Err(e)),
        }
    }

    fn poll_submit(&self, _cx: &mut Context<'_>, eager: bool) -> Poll<Result<u32, Errno>> {
        if !eager {
            return Poll::Ready(Ok(0));
        }
        match self.lock().submit() {
            Err(e) if e == Errno::EBUSY || e == Errno::EAGAIN => Poll::Ready(Ok(0)),
            other => Poll::Ready(other),
        }
    }

    unsafe fn poll_prepare_batch<M: BatchMembers>(
        &self,
        cx: &mut Context<'_>,
        batch: &mut BatchProgress,
        members: M,
    ) -> Poll<Result<(), Errno>> {
        match self.lock().prepare_batch(batch, cx.waker(), members) {
            Ok(true) => Poll::Ready(Ok(())),
            Ok(false) => {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Err(e) => Poll::Ready(Err(e)),
        }
    }

    unsafe fn poll_batch(&self, cx: &mut Context<'_>, key: u64) -> Poll<Vec<(i32, u32)>> {
        self.lock().poll_batch(key, cx.waker())
    }

    unsafe fn poll_complete(&self, cx: &mut Context<'_>, key: u64) -> Poll<(i32, u32)> {
        self.lock().poll_complete(key, cx.waker())
    }

    unsafe fn poll_next(&self, cx: &mut Context<'_>, key: u64) -> Poll<Option<(i32, u32)>> {
        self.lock().poll_next(key, cx.waker())
    }

    unsafe fn request_cancel(&self, key: u64) {
        self.shared.cancel_or_orphan(key, None);
    }

    unsafe fn cancel(&self, key: u64, cancellation: Cancellation) {
        // Not `lock()`: this may run inside a waker or a Cancellation's drop while this very
        // thread holds the lock (a Submission dropped there), which would deadlock.
        self.shared.cancel_or_orphan(key, Some(cancellation));
    }
}
