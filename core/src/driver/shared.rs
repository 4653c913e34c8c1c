//! [`SharedDriver`]: a driver several threads can use at once (needs `std`).

use super::engine::Engine;
use super::wake::Signal;
use super::Drive;
use crate::event::{
    Batch, BatchMembers, BatchProgress, BatchSubmission, Cancellation, Event, Multishot, Submission,
};
use crate::ring::Entry;
use crate::sys::{self, SetupFlags};
use crate::{Errno, Ring};
use core::future::Future;
use core::pin::pin;
use core::sync::atomic::{AtomicBool, Ordering};
use core::task::{Context, Poll, Waker};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::vec::Vec;

/// A driver shared between threads: a [`Ring`] and its registry behind an `Arc<Mutex<_>>`.
///
/// Clone it into every thread. Each [`block_on`](Self::block_on) call reaps on its own thread;
/// completions reaped by one thread wake the futures of the others. The lock is held for a
/// prepare, a submit or a reap, never while waiting in the kernel. When the last clone is
/// dropped, requests still in flight are cancelled and waited for.
///
/// Wakers run and Cancellations are dropped while the lock is held: a waker must not poll a
/// future of this driver from inside `wake` (executors never do; it would deadlock). Dropping
/// a `Submission` there is fine: a cancel that finds the lock taken is queued for its next
/// holder.
///
/// # Which thread submits
///
/// The kernel ties a request to the thread that submitted it: once that thread has exited, the
/// request's completion work cannot run and it ends with `ECANCELED`, though nobody cancelled
/// it. The threads that share a driver come and go (a thread per connection, a scoped thread,
/// whichever thread polls a future first), and they share one SQ, so any of them may submit
/// the others' SQEs. Therefore [`new`](Self::new) makes a ring with a kernel SQ polling thread
/// (`IORING_SETUP_SQPOLL`): that thread takes every SQE and owns every request (their
/// completion work runs there), and a request lives until it completes, whichever threads
/// polled it, waited for it or exited meanwhile. Handing SQEs over costs no system call while
/// the poller is awake; after [`SQ_THREAD_IDLE_MS`](Self::SQ_THREAD_IDLE_MS) without work it
/// sleeps, and the next submit wakes it (one `io_uring_enter` with `IORING_ENTER_SQ_WAKEUP`).
///
/// The price is the poller's CPU time: it spins while there is work and for the idle time
/// after it, which the kernel counts in scheduler ticks (at `HZ=250`, 4 to 8 ms). Per
/// operation, wall / CPU time (all threads), medians of 5 runs of the `shared_driver_cost`
/// example on a 2-core VM (kernel 6.18), this driver against [`from_ring`](Self::from_ring)
/// over a plain ring (its `block_on` thread submits) and against
/// [`BackgroundDriver`](super::BackgroundDriver) (its own thread submits):
///
/// | | SQPOLL (`new`) | plain ring | background |
/// |---|---|---|---|
/// | 32 NOPs per `block_on` | 0.32 / 0.58 µs | 0.31 / 0.30 µs | 2.0 / 1.7 µs |
/// | 1 NOP per `block_on` | 1.0 / 1.8 µs | 0.44 / 0.43 µs | 52 / 39 µs |
/// | pipe ping-pong with a thread | 45 / 82 µs | 53 / 44 µs | 106 / 82 µs |
/// | 1 NOP every 2 ms | a whole CPU | 23 µs of CPU | 46 µs of CPU |
///
/// Where the threads that run the driver are known to outlive its requests,
/// [`from_ring`](Self::from_ring) over a plain ring avoids that cost; several drivers can
/// share one poller ([`Builder::sqpoll`](crate::Builder::sqpoll) with
/// [`Builder::attach_wq`](crate::Builder::attach_wq)).
/// # Example
///
/// Four threads share one ring; each runs its own requests with `block_on`:
///
/// ```
/// use ringcore::driver::SharedDriver;
/// use ringcore::event::events::Nop;
///
/// let driver = SharedDriver::new(32)?;
/// let threads: Vec<_> = (0..4)
///     .map(|_| {
///         let driver = driver.clone();
///         std::thread::spawn(move || {
///             for _ in 0..10 {
///                 let (_, res) = driver.block_on(driver.submit_event(Nop)).unwrap();
///                 assert_eq!(res, Ok(0));
///             }
///         })
///     })
///     .collect();
/// for t in threads {
///     t.join().unwrap();
/// }
/// assert_eq!(driver.in_flight(), 0);
/// # Ok::<(), ringcore::Errno>(())
/// ```
#[derive(Clone, Debug)]
pub struct SharedDriver {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    /// Abandoned requests handed over while the engine's lock was taken — by another thread,
    /// or by this one further up the stack (a waker or a Cancellation's drop dropping a
    /// Submission while the engine dispatches) — with their Cancellation (`None`: only an
    /// early cancel was asked for). The next holder of the lock adopts them.
    orphans: Mutex<Vec<(u64, Option<Cancellation>)>>,
    /// Whether `orphans` may be non-empty: checked on every lock, without taking `orphans`.
    has_orphans: AtomicBool,
    ring_fd: i32,
    submitters: Submitters,
}

/// What the lock guards.
#[derive(Debug)]
struct State {
    engine: Engine,
    /// Tasks waiting for room in the SQ (only with [`Submitters::Runners`]), woken when a
    /// runner has submitted.
    room_waiters: Vec<Waker>,
}

/// Which threads enter the kernel to submit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Submitters {
    /// The ring has an SQ polling thread, which submits and owns every request; any thread may
    /// publish SQEs and wake it.
    KernelThread,
    /// Only the threads that run [`SharedDriver::block_on`] or [`SharedDriver::run_once`]
    /// (the runners) submit; polling a future only prepares its SQE, and with the SQ full
    /// waits for a runner to make room. For a plain ring given to
    /// [`from_ring`](SharedDriver::from_ring), and for the background driver, whose one runner
    /// is its own thread.
    Runners,
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
            let Some((key, cancellation)) = next else {
                return;
            };
            engine.abandon(key, cancellation);
        }
    }

    /// Cancels `key` now if the engine is free, or queues it for the lock's next holder; never
    /// waits for the lock, which this thread may hold already.
    fn cancel_or_orphan(&self, key: u64, cancellation: Option<Cancellation>) {
        let mut state = match self.state.try_lock() {
            Ok(state) => state,
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
            Err(TryLockError::WouldBlock) => return self.orphan(key, cancellation),
        };
        state.engine.abandon(key, cancellation);
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        // The engine's own drop then cancels and waits for everything still in the kernel.
        let engine = &mut self
            .state
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .engine;
        let orphans = core::mem::take(self.orphans.get_mut().unwrap_or_else(|p| p.into_inner()));
        for (key, cancellation) in orphans {
            engine.abandon(key, cancellation);
        }
    }
}

impl SharedDriver {
    /// How long the SQ polling thread of [`new`](Self::new) spins without work before it
    /// sleeps, in milliseconds: the shortest the kernel takes (it rounds up to a scheduler
    /// tick).
    pub const SQ_THREAD_IDLE_MS: u32 = 1;

    /// A driver over a new ring of `entries` SQEs with an SQ polling thread
    /// (`IORING_SETUP_SQPOLL`, idle after [`SQ_THREAD_IDLE_MS`](Self::SQ_THREAD_IDLE_MS)), so
    /// that no request depends on the thread that happened to submit it (see the type's docs).
    ///
    /// # Errors
    /// As [`Ring::new`]; `EPERM` where SQPOLL is not allowed (then
    /// [`BackgroundDriver`](super::BackgroundDriver) gives the same guarantee with a thread of
    /// its own).
    pub fn new(entries: u32) -> Result<SharedDriver, Errno> {
        let ring = Ring::builder(entries)
            .sqpoll(Self::SQ_THREAD_IDLE_MS)
            .build()?;
        // SAFETY: the ring was made just now and never left this function: no SQE was taken,
        // nothing is in flight, and no one else knows its fd yet.
        Ok(unsafe { SharedDriver::from_ring(ring) })
    }

    /// A driver over a new ring built by `builder` (with SQPOLL it behaves as one from
    /// [`new`](Self::new); see [`from_ring`](Self::from_ring) for a plain ring).
    ///
    /// # Errors
    /// As [`Builder::build`](crate::Builder::build).
    pub fn with_builder(builder: crate::Builder) -> Result<SharedDriver, Errno> {
        let ring = builder.build()?;
        // SAFETY: as in `new`.
        Ok(unsafe { SharedDriver::from_ring(ring) })
    }

    /// A driver over `ring`.
    ///
    /// With an SQPOLL ring it behaves as one from [`new`](Self::new). With any other ring, the
    /// threads that call [`block_on`](Self::block_on) or [`run_once`](Self::run_once) submit
    /// every SQE that is queued, whichever future prepared it, and polling a future only
    /// prepares its SQE. The kernel ends a request with `ECANCELED` when the thread that
    /// submitted it exits first, so every such thread must outlive the requests in flight
    /// while it runs the driver: a fixed pool of threads that live as long as the driver does.
    /// Threads that only poll futures (on another executor) may come and go.
    ///
    /// # Safety
    /// As [`LocalDriver::from_ring`](super::LocalDriver::from_ring): no SQE taken, nothing in
    /// flight, no CQE waiting, and nothing but this driver makes CQEs appear in the ring.
    pub unsafe fn from_ring(mut ring: Ring) -> SharedDriver {
        let submitters = if ring.setup_flags().contains(SetupFlags::SQPOLL) {
            Submitters::KernelThread
        } else {
            Submitters::Runners
        };
        let ring_fd = ring.split().0.ring_fd();
        let mut engine = Engine::new(ring);
        // A poller takes the entries; a runner makes room when it submits.
        engine.submit_when_full = submitters == Submitters::KernelThread;
        SharedDriver {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    engine,
                    room_waiters: Vec::new(),
                }),
                orphans: Mutex::new(Vec::new()),
                has_orphans: AtomicBool::new(false),
                ring_fd,
                submitters,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while the lock was held leaves the registry consistent (every update is a
        // single step), so a poisoned lock is used as is.
        let mut state = self
            .shared
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if self.shared.has_orphans.load(Ordering::Relaxed) {
            self.shared.adopt(&mut state.engine);
        }
        state
    }

    /// With an SQ polling thread and the SQ full: wakes the poller if it sleeps and waits,
    /// without the lock, until it has taken an entry (`IORING_ENTER_SQ_WAIT`), so that a
    /// prepare finds room as when the caller submits itself.
    fn wait_for_sq_room(&self) -> Result<(), Errno> {
        let flags = sys::EnterFlags::SQ_WAKEUP | sys::EnterFlags::SQ_WAIT;
        loop {
            // SAFETY: submits nothing (with SQPOLL the kernel ignores `to_submit`; it is 0) and
            // passes no argument; the ring fd is open while `self.shared` lives.
            let r = unsafe {
                sys::io_uring_enter(
                    self.shared.ring_fd,
                    0,
                    0,
                    flags.bits(),
                    core::ptr::null(),
                    0,
                )
            };
            match r {
                Err(Errno::EINTR) => continue,
                r => return r.map(|_| ()),
            }
        }
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
        self.lock().engine.in_kernel()
    }

    /// Submits, dispatches the CQEs in the ring, and returns how many.
    ///
    /// Without an SQ polling thread, the calling thread submits: see
    /// [`from_ring`](Self::from_ring) for how long it must live.
    ///
    /// # Errors
    /// The kernel's errno from `io_uring_enter` (a full CQ is not an error).
    pub fn run_once(&self) -> Result<usize, Errno> {
        let mut state = self.lock();
        let mut reaped = state.engine.run(0);
        // Without `IORING_SETUP_SUBMIT_ALL` the kernel ends a batch at an SQE that fails its
        // preparation (an `openat` of an empty path, say) and leaves the SQEs after it in the
        // SQ; a reaper that then sleeps until a completion would strand them. Submit again
        // while that makes progress (an SQ polling thread consumes them by itself).
        if !state.engine.ring.setup_flags().contains(SetupFlags::SQPOLL) {
            let mut pending = state.engine.ring.sq_pending();
            while pending > 0 {
                let Ok(before) = reaped else { break };
                reaped = state.engine.run(0).map(|n| n + before);
                let left = state.engine.ring.sq_pending();
                if left >= pending {
                    break;
                }
                pending = left;
            }
        }
        if !state.room_waiters.is_empty() && state.engine.ring.sq_space_left() > 0 {
            for waker in state.room_waiters.drain(..) {
                waker.wake();
            }
        }
        reaped
    }

    /// A submitter for this driver's ring to enter with, without the lock, in
    /// [`run_once_unlocked`](Self::run_once_unlocked).
    ///
    /// # Safety
    /// The submitter points into the ring: it must not be used after the last clone of this
    /// driver is dropped.
    #[cfg(feature = "tokio")]
    pub(crate) unsafe fn detached_submitter(&self) -> crate::ring::Submitter {
        // SAFETY: forwarded to this function's caller.
        unsafe { self.lock().engine.ring.submitter().detached() }
    }

    /// [`run_once`](Self::run_once) for a ring without SQPOLL whose `io_uring_enter` runs
    /// without the lock, through `submitter` (from
    /// [`detached_submitter`](Self::detached_submitter)): the lock is held to publish the SQ
    /// and to dispatch, not while the kernel runs the submitted requests (sends through
    /// loopback run to completion inside the call), so threads that poll or prepare meanwhile
    /// do not wait.
    ///
    /// The wakers of the requests that completed are woken after the lock is released, so
    /// that tasks woken onto other threads, which run at once and poll their results, do not
    /// find it held: `wakers` is the caller's scratch space for them, empty before and after.
    ///
    /// # Errors
    /// The kernel's errno from `io_uring_enter` (a full CQ is not an error).
    #[cfg(feature = "tokio")]
    pub(crate) fn run_once_unlocked(
        &self,
        submitter: &crate::ring::Submitter,
        wakers: &mut Vec<Waker>,
    ) -> Result<usize, Errno> {
        let mut reaped = 0;
        loop {
            self.lock().engine.publish();
            let submitted = match submitter.submit() {
                Ok(n) => n,
                Err(Errno::EINTR) => continue,
                Err(e) if e == Errno::EBUSY || e == Errno::EAGAIN => 0,
                Err(e) => return Err(e),
            };
            let more = {
                let mut state = self.lock();
                reaped += state.engine.dispatch_deferred(wakers);
                if !state.room_waiters.is_empty() && state.engine.ring.sq_space_left() > 0 {
                    wakers.append(&mut state.room_waiters);
                }
                state.engine.ring.sq_pending() > 0 || state.engine.has_deferred_cancels()
            };
            for waker in wakers.drain(..) {
                waker.wake();
            }
            // As in `run_once`: submit again while SQEs are left (a batch the kernel ended
            // early at a failed SQE) or cancels wait for room, as long as that makes
            // progress. Without progress (a full CQ), the CQEs it waits for make the ring's
            // fd readable and the caller runs again.
            if !more || submitted == 0 {
                return Ok(reaped);
            }
        }
    }

    /// Sleeps in the kernel, without the lock, until a CQE arrives (a completion, or the
    /// wake-up poll's).
    fn wait(&self) -> Result<(), Errno> {
        // SAFETY: no SQE is submitted by this call (to_submit 0) and no argument is passed;
        // the ring fd is open while `self.shared` lives.
        let r = unsafe {
            sys::io_uring_enter(
                self.shared.ring_fd,
                0,
                1,
                sys::EnterFlags::GETEVENTS.bits(),
                core::ptr::null(),
                0,
            )
        };
        match r {
            Ok(_) => Ok(()),
            Err(e) if e == Errno::EINTR || e == Errno::EBUSY => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Runs `future` to completion on this thread, submitting and reaping as needed.
    ///
    /// Between polls the thread sleeps in the kernel, without a tick, until a completion
    /// arrives or the future is woken: a wake from another thread interrupts the sleep at
    /// once (see [`LocalDriver::block_on`](super::LocalDriver::block_on)).
    ///
    /// Without an SQ polling thread, this thread submits: see [`from_ring`](Self::from_ring)
    /// for how long it must live.
    ///
    /// # Errors
    /// The kernel's errno from `io_uring_enter` or `eventfd`.
    pub fn block_on<F: Future>(&self, future: F) -> Result<F::Output, Errno> {
        let signal = Arc::new(Signal::new());
        let waker = Waker::from(signal.clone());
        let mut cx = Context::from_waker(&waker);
        let mut future = pin!(future);
        loop {
            signal.reset();
            if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
                return Ok(out);
            }
            if self.run_once()? > 0 || signal.is_woken() {
                continue;
            }
            let armed = {
                let mut state = self.lock();
                match state.engine.wake_fd() {
                    Ok(fd) => {
                        // The poll must be in the kernel before this thread sleeps on it.
                        match state.engine.submit() {
                            Ok(_) => Ok(Some(fd)),
                            Err(e) if e == Errno::EBUSY || e == Errno::EAGAIN => Ok(None),
                            Err(e) => Err(e),
                        }
                    }
                    Err(Errno::EBUSY) => Ok(None),
                    Err(e) => Err(e),
                }
            };
            if let Some(fd) = armed? {
                let slept = if signal.sleep(fd) {
                    self.wait()
                } else {
                    Ok(())
                };
                signal.woke();
                slept?;
            }
        }
    }
}

/// Members lent to the engine for one `prepare_batch` call, so that the driver can call it
/// again after waiting for room.
struct Lent<'a, M>(&'a mut M);

impl<M: BatchMembers> BatchMembers for Lent<'_, M> {
    #[inline]
    fn sqe_count(&self, member: u32) -> u32 {
        self.0.sqe_count(member)
    }

    #[inline]
    fn prepare(&mut self, member: u32, index: u32, sqe: &mut Entry) {
        self.0.prepare(member, index, sqe);
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
        let mut prepare = prepare;
        loop {
            let mut state = self.lock();
            match state
                .engine
                .prepare(count, multishot, cx.waker(), &mut prepare)
            {
                Ok(Some(key)) => return Poll::Ready(Ok(key)),
                // The SQ is full, and nothing was prepared.
                Ok(None) => match self.shared.submitters {
                    Submitters::KernelThread => {
                        drop(state);
                        if let Err(e) = self.wait_for_sq_room() {
                            return Poll::Ready(Err(e));
                        }
                    }
                    Submitters::Runners => {
                        state.room_waiters.push(cx.waker().clone());
                        return Poll::Pending;
                    }
                },
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }

    fn poll_submit(&self, _cx: &mut Context<'_>, eager: bool) -> Poll<Result<u32, Errno>> {
        // With runners, the polling thread must not submit (it may be short-lived): the next
        // `run_once` or `block_on` turn does.
        if !eager || self.shared.submitters == Submitters::Runners {
            return Poll::Ready(Ok(0));
        }
        match self.lock().engine.submit() {
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
        let mut members = members;
        loop {
            let mut state = self.lock();
            match state
                .engine
                .prepare_batch(batch, cx.waker(), Lent(&mut members))
            {
                Ok(true) => return Poll::Ready(Ok(())),
                // The SQ is full; the members prepared so far are recorded in `batch`.
                Ok(false) => match self.shared.submitters {
                    Submitters::KernelThread => {
                        drop(state);
                        if self.wait_for_sq_room().is_err() {
                            // The ring itself fails, as the runners' next enter will report;
                            // this batch tries again when polled.
                            cx.waker().wake_by_ref();
                            return Poll::Pending;
                        }
                    }
                    Submitters::Runners => {
                        state.room_waiters.push(cx.waker().clone());
                        return Poll::Pending;
                    }
                },
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }

    unsafe fn poll_batch(&self, cx: &mut Context<'_>, key: u64) -> Poll<Vec<(i32, u32)>> {
        self.lock().engine.poll_batch(key, cx.waker())
    }

    unsafe fn poll_complete(&self, cx: &mut Context<'_>, key: u64) -> Poll<(i32, u32)> {
        self.lock().engine.poll_complete(key, cx.waker())
    }

    unsafe fn poll_next(&self, cx: &mut Context<'_>, key: u64) -> Poll<Option<(i32, u32)>> {
        self.lock().engine.poll_next(key, cx.waker())
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
