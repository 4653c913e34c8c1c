//! [`LocalDriver`]: a single-threaded driver that needs no std, with a tiny executor.

use super::engine::Engine;
use super::engine_cell::{EngineCell, EngineRef};
use super::wake::Signal;
use super::Drive;
use crate::event::{
    Batch, BatchMembers, BatchProgress, BatchSubmission, Cancellation, Event, Multishot, Submission,
};
use crate::ring::Entry;
use crate::sys::SetupFlags;
use crate::{Errno, Ring};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::cell::RefCell;
use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

/// A driver for one thread: a [`Ring`] and its completion registry behind a borrow flag (a
/// `RefCell` that also knows whether the driver has been run).
///
/// Submissions hold a `&LocalDriver`, so they cannot outlive it. [`block_on`](Self::block_on)
/// runs a future to completion on the current thread, submitting and reaping as it goes.
/// Dropping the driver cancels every request the kernel still owns, waits for their CQEs,
/// runs their Cancellations, and only then unmaps the ring.
///
/// A waker must not poll a future of this driver from inside `wake` (executors never do); if
/// one does, that poll sees the driver busy and returns `Pending` after waking itself.
///
/// A future of a driver that has never been run (no `block_on`, `run_once` or
/// `run_until_idle` yet), awaited by another executor, still completes: its polls submit and
/// reap, and with std a watcher thread wakes it when the ring has a completion (one thread hop
/// per wait; see the repository's `docs/drivers.md`). Once the driver runs, its own loop does
/// that work.
///
/// # Example
///
/// Two reads of the same file in flight at once, on one thread:
///
/// ```
/// use ringcore::driver::LocalDriver;
/// use ringcore::event::events::Read;
/// use std::os::fd::AsRawFd;
///
/// let driver = LocalDriver::new(16)?;
/// let file = std::fs::File::open("Cargo.toml").unwrap();
/// let fd = file.as_raw_fd();
/// let (head, tail) = driver.block_on(async {
///     let head = driver.submit_event(Read::new(fd, vec![0u8; 9], 0));
///     let tail = driver.submit_event(Read::new(fd, vec![0u8; 4], 1));
///     futures::join!(head, tail)
/// })?;
/// assert_eq!(head.1, Ok(9));
/// assert_eq!(&head.0.buf, b"[package]");
/// assert_eq!(&tail.0.buf, b"pack");
/// # Ok::<(), ringcore::Errno>(())
/// ```
#[derive(Debug)]
pub struct LocalDriver {
    /// The engine, and whether the driver has been run yet (see [`EngineCell`]).
    engine: EngineCell,
    /// Abandoned requests handed over while the engine was busy — a waker, or the drop of a
    /// Cancellation, re-entered the driver — with their Cancellation (`None`: only an early
    /// cancel was asked for). The engine takes them at its next run, or when the driver drops.
    orphans: RefCell<Vec<(u64, Option<Cancellation>)>>,
    setup: SetupFlags,
    /// The thread that wakes futures of a driver nobody runs (see `watch.rs`).
    #[cfg(feature = "std")]
    watcher: core::cell::OnceCell<super::watch::Watcher>,
}

impl LocalDriver {
    /// A driver over a new ring of `entries` SQEs.
    ///
    /// The ring runs completion work cooperatively (`IORING_SETUP_COOP_TASKRUN` with
    /// `IORING_SETUP_TASKRUN_FLAG`) where the kernel has it (5.19 and later; a plain ring
    /// otherwise): when a socket becomes ready while this thread is busy in user space, the
    /// kernel queues the work and raises a flag instead of interrupting the thread with an
    /// inter-processor interrupt, and the run loop, which enters the kernel anyway before it
    /// waits, does the work then. For a busy network server that is much cheaper. A thread that
    /// is asleep in the kernel is still woken as before.
    ///
    /// The ring is not tied to a thread (no `SINGLE_ISSUER`), so the driver may move between
    /// threads. For a driver that stays on the thread that creates it,
    /// `with_builder(Ring::builder(n).single_issuer().defer_taskrun().taskrun_flag())`
    /// goes one step further: completion work then waits until the thread asks for events.
    ///
    /// # Errors
    /// As [`Ring::new`].
    pub fn new(entries: u32) -> Result<LocalDriver, Errno> {
        let ring = local_ring(entries)?;
        // SAFETY: a new ring no one else has seen (see `with_builder`).
        Ok(unsafe { LocalDriver::from_ring(ring) })
    }

    /// The setup flags of the driver's ring.
    pub fn setup_flags(&self) -> SetupFlags {
        self.setup
    }

    /// A driver over a new ring built by `builder`, for the setup flags [`new`](Self::new)
    /// does not choose (`SINGLE_ISSUER`, `DEFER_TASKRUN`, SQPOLL, a larger CQ, ...).
    ///
    /// ```
    /// use ringcore::driver::LocalDriver;
    /// use ringcore::Ring;
    ///
    /// let driver = LocalDriver::with_builder(Ring::builder(64).cq_entries(256))?;
    /// assert_eq!(driver.in_flight(), 0);
    /// # Ok::<(), ringcore::Errno>(())
    /// ```
    ///
    /// # Errors
    /// As [`Builder::build`](crate::Builder::build).
    pub fn with_builder(builder: crate::Builder) -> Result<LocalDriver, Errno> {
        let ring = builder.build()?;
        // SAFETY: the ring was made just now and never left this function: no SQE was taken,
        // nothing is in flight, and no one else knows its fd yet.
        Ok(unsafe { LocalDriver::from_ring(ring) })
    }

    /// A driver over `ring`. The registry starts with one slot per SQ entry.
    ///
    /// # Safety
    /// The driver trusts every CQE in the ring to be the kernel's answer to a request it
    /// submitted. The caller promises that `ring` has no SQE taken and not yet submitted, no
    /// request in flight and no CQE waiting, and that nothing but this driver will make CQEs
    /// appear in it: no `IORING_OP_MSG_RING` or [`send_msg_ring`](crate::register::send_msg_ring)
    /// aimed at it, no submission through its fd from another process or thread. A forged
    /// CQE could complete a request early and let its buffer be freed while the kernel still
    /// writes into it. [`new`](Self::new) and [`with_builder`](Self::with_builder) build a
    /// ring that satisfies this.
    pub unsafe fn from_ring(ring: Ring) -> LocalDriver {
        LocalDriver {
            setup: ring.setup_flags(),
            engine: EngineCell::new(Engine::new(ring)),
            orphans: RefCell::new(Vec::new()),
            #[cfg(feature = "std")]
            watcher: core::cell::OnceCell::new(),
        }
    }

    /// A [`Submission`] of `event` on this driver.
    pub fn submit_event<E: Event>(&self, event: E) -> Submission<E, &LocalDriver> {
        Submission::new(event, self)
    }

    /// A [`BatchSubmission`] of every event in `batch` on this driver: one future, one wake-up.
    pub fn submit_batch<E: Event>(&self, batch: Batch<E>) -> BatchSubmission<E, &LocalDriver> {
        BatchSubmission::new(batch, self)
    }

    /// A [`Multishot`] stream of `event` on this driver.
    pub fn multishot<E: Event>(&self, event: E) -> Multishot<E, &LocalDriver> {
        Multishot::new(event, self)
    }

    /// Requests the kernel still owns (including abandoned ones awaiting their CQE).
    ///
    /// # Panics
    /// When called from inside this driver (a waker, a Cancellation's drop), as a `RefCell`
    /// borrowed twice.
    pub fn in_flight(&self) -> usize {
        self.engine
            .with(Engine::in_kernel)
            .expect("LocalDriver::in_flight called from inside the driver")
    }

    /// Submits pending SQEs, waits for `want` CQEs (0: does not wait), dispatches the CQEs in
    /// the ring and returns how many.
    ///
    /// # Errors
    /// The kernel's errno from `io_uring_enter` (a full CQ is not an error); `EBUSY` when
    /// called from inside a waker of this driver.
    pub fn run_once(&self, want: u32) -> Result<usize, Errno> {
        self.engine.set_driven();
        let mut engine = self.engine.try_borrow_mut().ok_or(Errno::EBUSY)?;
        self.adopt_orphans(&mut engine);
        engine.run(want)
    }

    /// Hands the engine the requests abandoned while it was busy.
    #[inline]
    fn adopt_orphans(&self, engine: &mut Engine) {
        if self.orphans.borrow().is_empty() {
            return;
        }
        self.adopt_orphans_slow(engine);
    }

    #[cold]
    fn adopt_orphans_slow(&self, engine: &mut Engine) {
        // One at a time, with the queue unborrowed while the engine works: dropping a
        // Cancellation there may abandon more requests, which queue up behind.
        loop {
            let Some((key, cancellation)) = self.orphans.borrow_mut().pop() else {
                return;
            };
            engine.abandon(key, cancellation);
        }
    }

    /// Queues an abandoned request for the engine, which is busy further up the stack.
    #[cold]
    fn orphan(&self, key: u64, cancellation: Option<Cancellation>) {
        match self.orphans.try_borrow_mut() {
            Ok(mut orphans) => orphans.push((key, cancellation)),
            // Only `adopt_orphans_slow` borrows the queue, and never across foreign code; if
            // it ever were busy, leaking keeps the memory alive, never frees it early.
            Err(_) => core::mem::forget(cancellation),
        }
    }

    /// A result poll of a future of this driver found the engine busy, or the driver never
    /// run.
    ///
    /// Busy (a waker or a Cancellation re-entered the driver): wakes the task to be polled
    /// again, and returns `None`. Never run: another executor awaits the future and nobody
    /// else would submit or reap for it, so this poll does — it submits on this thread, reaps
    /// if the driver's watcher thread saw a completion, and hands the watcher the wakers of
    /// the requests in the kernel (see `watch.rs`); it returns the engine for the poll to go
    /// on. Without std there is no watcher: such a poll submits and reaps, and the future
    /// waits for the driver to run, or to be polled again.
    #[cold]
    #[inline(never)]
    fn on_busy(&self, waker: &Waker) -> Option<EngineRef<'_>> {
        let Some(mut engine) = self.engine.borrow_unless_busy() else {
            waker.wake_by_ref();
            return None;
        };
        self.adopt_orphans(&mut engine);
        #[cfg(feature = "std")]
        {
            let reap = self.watcher.get().is_some_and(|w| w.take_ready());
            let entered = match if reap {
                engine.run(0)
            } else {
                engine.submit().map(|n| n as usize)
            } {
                Ok(_) => true,
                Err(e) => e == Errno::EBUSY || e == Errno::EAGAIN,
            };
            let mut wakers = Vec::new();
            engine.waiting_wakers(&mut wakers);
            wakers.push(waker.clone());
            if entered && self.watcher.get().is_none() {
                if let Ok(watcher) = super::watch::Watcher::start(engine.ring.fd()) {
                    let _ = self.watcher.set(watcher);
                }
            }
            match self.watcher.get() {
                Some(watcher) if entered => watcher.watch(wakers),
                // No thread to spare, or the ring cannot be entered now: polled again
                // rather than never.
                _ => waker.wake_by_ref(),
            }
        }
        #[cfg(not(feature = "std"))]
        let _ = engine.run(0);
        Some(engine)
    }

    /// Runs the ring until the kernel owns no request of this driver (for example, until every
    /// abandoned request has completed and its Cancellation has run).
    ///
    /// # Errors
    /// As [`run_once`](Self::run_once).
    pub fn run_until_idle(&self) -> Result<(), Errno> {
        while self.in_flight() > 0 {
            self.run_once(1)?;
        }
        self.run_once(0).map(|_| ())
    }

    /// Runs `future` to completion on this thread: polls it, and whenever it is pending,
    /// submits and sleeps in the kernel until a completion arrives or the future is woken,
    /// then polls again.
    ///
    /// The thread sleeps without a tick: a wake from another thread (a channel, a timer
    /// thread) interrupts the sleep at once, through an eventfd whose poll the driver keeps in
    /// its ring while it sleeps (created on the first sleep; one `write(2)` per wake that
    /// finds the thread asleep, nothing for one that finds it awake).
    ///
    /// # Errors
    /// The kernel's errno from `io_uring_enter` or `eventfd`; `EDEADLK` when the future is
    /// pending, nothing woke it, the ring has nothing in flight and nobody holds a clone of
    /// its waker (it would wait forever).
    pub fn block_on<F: Future>(&self, future: F) -> Result<F::Output, Errno> {
        self.engine.set_driven();
        let signal = Arc::new(Signal::new());
        let waker = Waker::from(signal.clone());
        let mut cx = Context::from_waker(&waker);
        let mut future = pin!(future);
        loop {
            signal.reset();
            if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
                return Ok(out);
            }
            if signal.is_woken() {
                // Woken while polling: submit what is queued, collect what is in, poll again.
                self.run_once(0)?;
                continue;
            }
            let mut engine = self.engine.try_borrow_mut().ok_or(Errno::EBUSY)?;
            self.adopt_orphans(&mut engine);
            // `signal` and `waker` hold two references; any more is a clone the future gave
            // away, through which someone may still wake it.
            if engine.in_kernel() == 0
                && engine.ring.sq_pending() == 0
                && Arc::strong_count(&signal) <= 2
            {
                return Err(Errno::EDEADLK);
            }
            let entered = match engine.wake_fd() {
                Ok(fd) => {
                    let want = u32::from(signal.sleep(fd));
                    let entered = engine.enter(want);
                    // Awake before dispatching: the wakes it runs need no write.
                    signal.woke();
                    entered
                }
                Err(Errno::EBUSY) => engine.enter(0),
                Err(e) => Err(e),
            };
            entered?;
            engine.dispatch();
        }
    }
}

/// The ring of [`LocalDriver::new`]: `COOP_TASKRUN | TASKRUN_FLAG`, or a plain ring where the
/// kernel rejects them (`EINVAL` before 5.19; bad sizes fail again, with the same errno).
///
/// Why: without `COOP_TASKRUN` the kernel adds completion work with `TWA_SIGNAL`, which sends
/// an IPI to the submitting thread whenever it runs, so that it enters the kernel to post the
/// CQE. A single-threaded event loop gains nothing from that interruption: it reaps when it
/// has polled its futures and enters the kernel anyway. On the benchmark's 16-connection TCP
/// echo (2-core VM, kernel 6.18) the IPIs cost ~4.5 µs of CPU per round trip (15.0 against
/// 10.5). `TASKRUN_FLAG` makes the pending work visible in the SQ ring flags, so that a
/// non-waiting `run_once(0)` still enters to collect it.
fn local_ring(entries: u32) -> Result<Ring, Errno> {
    match Ring::builder(entries).coop_taskrun().taskrun_flag().build() {
        Err(Errno::EINVAL) => Ring::new(entries),
        other => other,
    }
}

// SAFETY: the engine's registry keys each request by the user_data written here, reports ends
// only from the last CQE, drops Cancellations after it (or leaks them), and `Engine::drop`
// waits for the kernel before the ring is unmapped.
unsafe impl Drive for &LocalDriver {
    #[inline]
    unsafe fn poll_prepare<F: FnMut(u32, &mut Entry)>(
        &self,
        cx: &mut Context<'_>,
        count: u32,
        multishot: bool,
        prepare: F,
    ) -> Poll<Result<u64, Errno>> {
        let Some(mut engine) = self.engine.borrow_unless_busy() else {
            cx.waker().wake_by_ref();
            return Poll::Pending;
        };
        match engine.prepare(count, multishot, cx.waker(), prepare) {
            Ok(Some(key)) => Poll::Ready(Ok(key)),
            Ok(None) => {
                // The SQ is full until the run loop reaps: try again after it ran.
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Err(e) => Poll::Ready(Err(e)),
        }
    }

    #[inline]
    fn poll_submit(&self, cx: &mut Context<'_>, eager: bool) -> Poll<Result<u32, Errno>> {
        if !eager {
            return Poll::Ready(Ok(0));
        }
        let Some(mut engine) = self
            .engine
            .try_borrow_mut()
            .or_else(|| self.on_busy(cx.waker()))
        else {
            return Poll::Pending;
        };
        match engine.submit() {
            Err(e) if e == Errno::EBUSY || e == Errno::EAGAIN => Poll::Ready(Ok(0)),
            other => Poll::Ready(other),
        }
    }

    #[inline]
    unsafe fn poll_prepare_batch<M: BatchMembers>(
        &self,
        cx: &mut Context<'_>,
        batch: &mut BatchProgress,
        members: M,
    ) -> Poll<Result<(), Errno>> {
        let Some(mut engine) = self.engine.borrow_unless_busy() else {
            cx.waker().wake_by_ref();
            return Poll::Pending;
        };
        match engine.prepare_batch(batch, cx.waker(), members) {
            Ok(true) => Poll::Ready(Ok(())),
            Ok(false) => {
                // The SQ is full until the run loop reaps: go on after it ran.
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Err(e) => Poll::Ready(Err(e)),
        }
    }

    #[inline]
    unsafe fn poll_batch(&self, cx: &mut Context<'_>, key: u64) -> Poll<Vec<(i32, u32)>> {
        let Some(mut engine) = self
            .engine
            .try_borrow_mut()
            .or_else(|| self.on_busy(cx.waker()))
        else {
            return Poll::Pending;
        };
        engine.poll_batch(key, cx.waker())
    }

    #[inline]
    unsafe fn poll_complete(&self, cx: &mut Context<'_>, key: u64) -> Poll<(i32, u32)> {
        let Some(mut engine) = self
            .engine
            .try_borrow_mut()
            .or_else(|| self.on_busy(cx.waker()))
        else {
            return Poll::Pending;
        };
        engine.poll_complete(key, cx.waker())
    }

    unsafe fn poll_next(&self, cx: &mut Context<'_>, key: u64) -> Poll<Option<(i32, u32)>> {
        let Some(mut engine) = self
            .engine
            .try_borrow_mut()
            .or_else(|| self.on_busy(cx.waker()))
        else {
            return Poll::Pending;
        };
        engine.poll_next(key, cx.waker())
    }

    unsafe fn request_cancel(&self, key: u64) {
        match self.engine.borrow_unless_busy() {
            Some(mut engine) => engine.request_cancel(key),
            None => self.orphan(key, None),
        }
    }

    unsafe fn cancel(&self, key: u64, cancellation: Cancellation) {
        match self.engine.borrow_unless_busy() {
            Some(mut engine) => engine.cancel(key, cancellation),
            // Re-entered from a waker or a Cancellation: queued for the engine's next run.
            None => self.orphan(key, Some(cancellation)),
        }
    }
}

impl Drop for LocalDriver {
    fn drop(&mut self) {
        // The watcher sleeps on the ring's fd: stopped before the ring goes, woken by a NOP.
        #[cfg(feature = "std")]
        if let Some(watcher) = self.watcher.take() {
            let engine = self.engine.get_mut();
            watcher.stop(|| engine.kick());
        }
        // The engine's own drop then cancels and waits for everything still in the kernel.
        let engine = self.engine.get_mut();
        loop {
            let Some((key, cancellation)) = self.orphans.get_mut().pop() else {
                break;
            };
            engine.abandon(key, cancellation);
        }
    }
}
