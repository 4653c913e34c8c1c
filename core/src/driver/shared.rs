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
use std::sync::{Arc, Mutex, MutexGuard};
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
/// future of this driver from inside `wake` (executors never do), and a Cancellation must not
/// own a `Submission` of it.
#[derive(Clone, Debug)]
pub struct SharedDriver {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    engine: Mutex<Engine>,
    ring_fd: i32,
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
                ring_fd,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Engine> {
        // A panic while the lock was held leaves the registry consistent (every update is a
        // single step), so a poisoned lock is used as is.
        self.shared
            .engine
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
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
        self.lock().request_cancel(key);
    }

    unsafe fn cancel(&self, key: u64, cancellation: Cancellation) {
        self.lock().cancel(key, cancellation);
    }
}
