//! [`TokioDriver`]: rings that live on tokio's own threads (feature `tokio`).

use super::{Drive, SharedDriver};
use crate::event::{BatchMembers, BatchProgress, Cancellation};
use crate::ring::Entry;
use crate::{Errno, Ring};
use core::future::poll_fn;
use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use core::task::{Context, Poll, Waker};
use std::cell::RefCell;
use std::os::fd::{AsRawFd, RawFd};
use std::sync::{Arc, Mutex};
use std::thread_local;
use std::vec::Vec;
use tokio::io::unix::AsyncFd;
use tokio::io::Interest;

/// SQ entries of each thread's ring.
const ENTRIES: u32 = 256;

/// A driver whose rings live on the threads of the tokio runtime that polls its futures: no
/// thread of its own, no doorbell.
///
/// Each thread that starts I/O inside a runtime gets a ring of its own (made on first use,
/// kept in a thread-local), and a *reaper task* spawned on the runtime for it. The reaper
/// submits what the thread's futures queued and reaps what completed: the ring's fd sits in
/// tokio's reactor (an [`AsyncFd`]), so a completion wakes the reaper like a readable socket
/// wakes its task, and the reaper wakes the futures, all on the runtime's threads. A future
/// that queues a request wakes the reaper (a task wake-up, no system call); on the
/// current-thread runtime, and mostly on the multi-thread one, the reaper then runs on the
/// same thread, right after the task that woke it. On a runtime with several workers the
/// reaper holds the ring's lock only to publish the queued SQEs and to record the CQEs: it
/// enters the kernel (where a loopback send runs to its end) and wakes the futures without
/// it, so tasks on other workers that prepare requests or poll their results meanwhile do not
/// wait for it.
///
/// A handle made by [`new`](Self::new) is not bound to a ring: each request goes to the ring
/// of the thread that first polls it, and stays with that ring until it ends, so a task that
/// migrates between workers (or a future moved to another task) still completes — its
/// requests are found through the handle its `Submission` keeps, and the other thread reaps
/// or polls them under the ring's lock. A request is submitted only by a reaper task, that
/// is, by one of the runtime's worker threads, which live as long as the runtime: the kernel
/// cancels a request whose submitting thread exits, and no worker exits while the runtime
/// runs. (Only `tokio::task::block_in_place` turns a worker into a thread that may exit
/// earlier; a request that worker submitted may then end with `ECANCELED` — never with its
/// buffer freed early.)
///
/// When the runtime shuts down, its tasks are dropped: their requests are cancelled and
/// their buffers handed to the ring, which keeps them until the kernel lets go (the last
/// handle's drop waits for the kernel, as every driver does). A thread that later runs
/// another runtime gets a new ring.
///
/// Polled outside a tokio runtime, or in one built without I/O (`enable_io`), a request fails
/// with `ENXIO` (no reactor to wake it).
#[derive(Debug, Default)]
pub struct TokioDriver {
    /// The ring this handle's request went to; empty until the first prepare.
    bound: BoundRing,
}

impl Clone for TokioDriver {
    /// A clone is bound to the same ring, or unbound if this handle is.
    fn clone(&self) -> TokioDriver {
        TokioDriver {
            bound: self.bound.clone(),
        }
    }
}

/// A slot that is set once to a strong reference to a ring, and keeps it until dropped: a
/// `OnceLock<Arc<Inner>>` in one compare-and-swap. Every request of an unbound handle binds
/// one (a `Submission`'s clone of the file's or stream's handle), so binding is on the path of
/// every request; `OnceLock`'s general machinery cost ~80 instructions there.
#[derive(Default)]
struct BoundRing(AtomicPtr<Inner>);

// The slot hands `&Inner` to any thread (an `AtomicPtr` is `Send` and `Sync` whatever it
// points to): it may only hold what may be shared.
static_assertions::assert_impl_all!(Inner: Send, Sync);

impl BoundRing {
    /// An empty slot.
    const fn new() -> BoundRing {
        BoundRing(AtomicPtr::new(core::ptr::null_mut()))
    }

    /// The ring, if the slot is set.
    #[inline]
    fn get(&self) -> Option<&Inner> {
        let p = self.0.load(Ordering::Acquire);
        // SAFETY: a non-null pointer came from `Arc::into_raw` in `set` or `clone`, and the
        // slot owns that strong reference until it is dropped, which outlives `&self`.
        (!p.is_null()).then(|| unsafe { &*p })
    }

    /// Sets the slot to `inner` unless it is set already; returns the ring it holds.
    fn set(&self, inner: Arc<Inner>) -> &Inner {
        let raw = Arc::into_raw(inner).cast_mut();
        match self.0.compare_exchange(
            core::ptr::null_mut(),
            raw,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            // SAFETY: the slot now owns the reference `raw` came from (see `get`).
            Ok(_) => unsafe { &*raw },
            Err(held) => {
                // SAFETY: `raw` came from `Arc::into_raw` just above and was not stored:
                // the reference is given back once.
                drop(unsafe { Arc::from_raw(raw) });
                // SAFETY: `held` is non-null (the exchange failed), owned by the slot.
                unsafe { &*held }
            }
        }
    }
}

impl Clone for BoundRing {
    fn clone(&self) -> BoundRing {
        let p = self.0.load(Ordering::Acquire);
        if !p.is_null() {
            // SAFETY: `p` came from `Arc::into_raw` and the slot keeps that reference alive
            // while `&self` lives; the new slot owns the count added here.
            unsafe { Arc::increment_strong_count(p) };
        }
        BoundRing(AtomicPtr::new(p))
    }
}

impl Drop for BoundRing {
    fn drop(&mut self) {
        let p = *self.0.get_mut();
        if !p.is_null() {
            // SAFETY: the slot owns one strong reference from `Arc::into_raw` (or
            // `increment_strong_count`), given back here, once.
            drop(unsafe { Arc::from_raw(p) });
        }
    }
}

impl core::fmt::Debug for BoundRing {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("BoundRing")
            .field(&self.get().map(|inner| inner.driver.in_flight()))
            .finish()
    }
}

#[derive(Debug)]
struct Inner {
    driver: SharedDriver,
    /// Enters `driver`'s ring without its lock (see `SharedDriver::run_once_unlocked`);
    /// valid while `driver` lives, which is as long as this. Used when
    /// `shared_by_workers`.
    submitter: crate::ring::Submitter,
    /// Requests were queued (or the SQ filled) since the reaper last submitted.
    kick: AtomicBool,
    /// The reaper task's waker.
    reaper: Mutex<Option<Waker>>,
    /// False once the reaper task is gone (its runtime shut down): the thread then makes a
    /// new ring for the next runtime.
    alive: AtomicBool,
    /// Whether the runtime has several workers, which may use this ring at once: then the
    /// reaper enters the kernel and wakes futures without the ring's lock (a woken task may
    /// run on another worker at once and poll its result). On the current-thread runtime
    /// nobody else waits for the lock, and one pass under it costs less.
    shared_by_workers: bool,
}

impl Inner {
    /// Makes the reaper submit (and reap) soon.
    #[inline]
    fn kick(&self) {
        if !self.kick.swap(true, Ordering::AcqRel) {
            self.kick_slow();
        }
    }

    #[cold]
    fn kick_slow(&self) {
        let reaper = self.reaper.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(waker) = reaper.as_ref() {
            waker.wake_by_ref();
        }
    }
}

thread_local! {
    static RING: RefCell<Option<Arc<Inner>>> = const { RefCell::new(None) };
}

/// The ring fd, as tokio's reactor wants it.
struct RingFd(RawFd);

impl AsRawFd for RingFd {
    fn as_raw_fd(&self) -> RawFd {
        self.0
    }
}

/// Marks the ring dead when the reaper task is dropped (its runtime shut down).
struct AliveGuard(Arc<Inner>);

impl Drop for AliveGuard {
    fn drop(&mut self) {
        self.0.alive.store(false, Ordering::Release);
    }
}

/// What the reaper task owns. Fields drop in order: the reactor's registration of the ring
/// fd goes before the last handle that keeps the ring open may.
struct Reaper {
    fd: AsyncFd<RingFd>,
    guard: AliveGuard,
}

/// The reaper task of one ring: submits what is queued, reaps what completed, and sleeps
/// until a future queues more or the ring's fd turns readable.
async fn reap(reaper: Reaper) {
    let inner = &reaper.guard.0;
    let fd = &reaper.fd;
    // Scratch space for the wakers of each dispatch, kept to spare an allocation per turn.
    let mut wakers = Vec::new();
    poll_fn(|cx| loop {
        inner.kick.store(false, Ordering::Release);
        // Submits, then dispatches what is in the CQ and wakes the futures. An error means
        // the ring failed; the futures see it when they submit again.
        let _ = if inner.shared_by_workers {
            inner
                .driver
                .run_once_unlocked(&inner.submitter, &mut wakers)
        } else {
            inner.driver.run_once()
        };
        match fd.poll_read_ready(cx) {
            Poll::Ready(Ok(mut ready)) => {
                // Completions arrived after (or while) the CQ was read: forget the readiness
                // and read it again. A CQE posted after this is a new readiness event.
                ready.clear_ready();
                continue;
            }
            Poll::Ready(Err(_)) => return Poll::Ready(()),
            Poll::Pending => {}
        }
        {
            let mut waker = inner.reaper.lock().unwrap_or_else(|p| p.into_inner());
            if !waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                *waker = Some(cx.waker().clone());
            }
        }
        // A kick between the submit and the waker's registration found no (or an old)
        // waker: look again.
        if !inner.kick.load(Ordering::Acquire) {
            return Poll::Pending;
        }
    })
    .await;
}

/// This thread's ring for the current runtime: made, with its reaper task, on first use.
fn current() -> Result<Arc<Inner>, Errno> {
    RING.with(|ring| {
        let mut ring = ring.borrow_mut();
        if let Some(inner) = ring.as_ref() {
            if inner.alive.load(Ordering::Acquire) {
                return Ok(inner.clone());
            }
        }
        let handle = tokio::runtime::Handle::try_current().map_err(|_| Errno::ENXIO)?;
        let mut new_ring = match Ring::builder(ENTRIES).coop_taskrun().taskrun_flag().build() {
            Err(Errno::EINVAL) => Ring::new(ENTRIES)?,
            other => other?,
        };
        let ring_fd = new_ring.split().0.ring_fd();
        // A plain ring whose only submitter is the reaper (`run_once` or
        // `run_once_unlocked`).
        // SAFETY: the ring was made just now: nothing is queued or in flight, and its fd goes
        // only to tokio's reactor, which polls it and posts nothing into it.
        let driver = unsafe { SharedDriver::from_ring(new_ring) };
        // SAFETY: the submitter is kept in `Inner` next to `driver`, which keeps the ring
        // alive as long as `Inner` lives.
        let submitter = unsafe { driver.detached_submitter() };
        let inner = Arc::new(Inner {
            driver,
            submitter,
            kick: AtomicBool::new(false),
            reaper: Mutex::new(None),
            alive: AtomicBool::new(true),
            shared_by_workers: handle.runtime_flavor()
                != tokio::runtime::RuntimeFlavor::CurrentThread,
        });
        let registered = {
            let _entered = handle.enter();
            // `register_with_interest` panics where the runtime has no reactor (built without
            // `enable_io`): report that as an error instead.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                // SAFETY: `ring_fd` is the ring's fd, open and naming the same ring for as
                // long as `inner.driver` lives; the `Reaper` that owns the registration drops
                // it before its own handle to `inner`, and `RingFd` always returns the same
                // number.
                unsafe { AsyncFd::register_with_interest(RingFd(ring_fd), Interest::READABLE) }
            }))
        };
        let Ok(Ok(fd)) = registered else {
            return Err(Errno::ENXIO);
        };
        handle.spawn(reap(Reaper {
            fd,
            guard: AliveGuard(inner.clone()),
        }));
        if !inner.alive.load(Ordering::Acquire) {
            // The runtime is shutting down and dropped the reaper at once.
            return Err(Errno::ENXIO);
        }
        // The old ring, if any, is dropped here: its runtime is gone, and its drop cancels
        // and waits for what the kernel still owns.
        *ring = Some(inner.clone());
        Ok(inner)
    })
}

impl TokioDriver {
    /// A handle whose requests go to the ring of the thread that polls them (see the type's
    /// docs). Cheap: it makes nothing until a request is polled.
    pub const fn new() -> TokioDriver {
        TokioDriver {
            bound: BoundRing::new(),
        }
    }

    /// Whether the calling thread runs inside a tokio runtime (then the std types pick this
    /// driver by default).
    pub fn in_runtime() -> bool {
        tokio::runtime::Handle::try_current().is_ok()
    }

    /// Whether this thread can run a ring on the current runtime: inside one built with I/O
    /// enabled. Makes the thread's ring (and its reaper task) if there is none yet.
    pub(crate) fn usable_here() -> bool {
        current().is_ok()
    }

    /// The ring this handle is bound to, binding it to this thread's ring first.
    #[inline]
    fn inner(&self) -> Result<&Inner, Errno> {
        if let Some(inner) = self.bound.get() {
            return Ok(inner);
        }
        self.bind()
    }

    fn bind(&self) -> Result<&Inner, Errno> {
        Ok(self.bound.set(current()?))
    }

    /// The bound ring; only for calls that a key (which only a bound handle hands out) led
    /// to.
    #[inline]
    fn bound(&self) -> Option<&Inner> {
        self.bound.get()
    }

    /// Requests this handle's ring still owns (0 for an unbound handle).
    pub fn in_flight(&self) -> usize {
        self.bound().map_or(0, |inner| inner.driver.in_flight())
    }
}

// SAFETY: every call is forwarded to the bound ring's `SharedDriver`, which keeps the contract;
// a key is only ever handed out by a bound handle, and a bound handle stays bound to the same
// ring (clones included), so a key always reaches the driver that issued it. This type only
// decides which thread submits (the reaper task) and how the reaper is woken.
unsafe impl Drive for TokioDriver {
    #[inline]
    unsafe fn poll_prepare<F: FnMut(u32, &mut Entry)>(
        &self,
        cx: &mut Context<'_>,
        count: u32,
        multishot: bool,
        prepare: F,
    ) -> Poll<Result<u64, Errno>> {
        let inner = match self.inner() {
            Ok(inner) => inner,
            Err(e) => return Poll::Ready(Err(e)),
        };
        // SAFETY: forwarded from this method's caller.
        let prepared = unsafe { inner.driver.poll_prepare(cx, count, multishot, prepare) };
        if matches!(prepared, Poll::Ready(Ok(_)) | Poll::Pending) {
            inner.kick();
        }
        prepared
    }

    #[inline]
    fn poll_submit(&self, _cx: &mut Context<'_>, _eager: bool) -> Poll<Result<u32, Errno>> {
        // The reaper submits; it was kicked when the request was prepared.
        Poll::Ready(Ok(0))
    }

    unsafe fn poll_prepare_batch<M: BatchMembers>(
        &self,
        cx: &mut Context<'_>,
        batch: &mut BatchProgress,
        members: M,
    ) -> Poll<Result<(), Errno>> {
        let inner = match self.inner() {
            Ok(inner) => inner,
            Err(e) => return Poll::Ready(Err(e)),
        };
        let before = batch.prepared;
        // SAFETY: forwarded from this method's caller.
        let prepared = unsafe { inner.driver.poll_prepare_batch(cx, batch, members) };
        if batch.prepared != before || prepared.is_pending() {
            inner.kick();
        }
        prepared
    }

    #[inline]
    unsafe fn poll_batch(&self, cx: &mut Context<'_>, key: u64) -> Poll<Vec<(i32, u32)>> {
        match self.bound() {
            // SAFETY: forwarded from this method's caller.
            Some(inner) => unsafe { inner.driver.poll_batch(cx, key) },
            None => Poll::Pending,
        }
    }

    #[inline]
    unsafe fn poll_complete(&self, cx: &mut Context<'_>, key: u64) -> Poll<(i32, u32)> {
        match self.bound() {
            // SAFETY: forwarded from this method's caller.
            Some(inner) => unsafe { inner.driver.poll_complete(cx, key) },
            None => Poll::Pending,
        }
    }

    unsafe fn poll_next(&self, cx: &mut Context<'_>, key: u64) -> Poll<Option<(i32, u32)>> {
        match self.bound() {
            // SAFETY: forwarded from this method's caller.
            Some(inner) => unsafe { inner.driver.poll_next(cx, key) },
            None => Poll::Ready(None),
        }
    }

    unsafe fn request_cancel(&self, key: u64) {
        if let Some(inner) = self.bound() {
            // SAFETY: forwarded from this method's caller.
            unsafe { inner.driver.request_cancel(key) };
            inner.kick();
        }
    }

    unsafe fn cancel(&self, key: u64, cancellation: Cancellation) {
        match self.bound() {
            Some(inner) => {
                // SAFETY: forwarded from this method's caller.
                unsafe { inner.driver.cancel(key, cancellation) };
                inner.kick();
            }
            // No key was ever handed out by an unbound handle; a caller that breaks that
            // contract gets its Cancellation leaked, never dropped under the kernel.
            None => core::mem::forget(cancellation),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::future::Future;
    use core::pin::Pin;

    /// On a runtime with several workers the reaper wakes a request's waker after it has
    /// released the ring's lock: a waker that uses the driver while it is woken (here: asks
    /// what is in flight, which takes the lock) neither deadlocks nor sees the request still
    /// in flight. (A task that a worker wakes may poll its result on another worker at once.)
    #[test]
    fn wakers_run_after_the_ring_is_unlocked() {
        use crate::event::events::Nop;
        use crate::event::Submission;
        use std::sync::mpsc;
        use std::task::Wake;
        use std::time::{Duration, Instant};

        struct Probe {
            driver: Mutex<Option<TokioDriver>>,
            seen: Mutex<Option<usize>>,
        }
        impl Wake for Probe {
            fn wake(self: Arc<Self>) {
                self.wake_by_ref();
            }
            fn wake_by_ref(self: &Arc<Self>) {
                if let Some(driver) = self.driver.lock().unwrap().as_ref() {
                    *self.seen.lock().unwrap() = Some(driver.in_flight());
                }
            }
        }

        let (tx, rx) = mpsc::channel();
        // On a thread of its own: a deadlock hangs that thread and its runtime's worker, and
        // the test fails instead.
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_io()
                .build()
                .unwrap();
            let seen = rt.block_on(async {
                let probe = Arc::new(Probe {
                    driver: Mutex::new(None),
                    seen: Mutex::new(None),
                });
                // A handle bound to this thread's ring (bound by its first request).
                let mut first = Submission::new(Nop, TokioDriver::new());
                assert_eq!((&mut first).await.1, Ok(0));
                let driver = first.driver().clone();
                *probe.driver.lock().unwrap() = Some(driver.clone());
                let waker = Waker::from(probe.clone());
                let mut nop = Submission::new(Nop, driver);
                let polled = Pin::new(&mut nop).poll(&mut Context::from_waker(&waker));
                assert!(polled.is_pending(), "queued, not submitted yet");
                // The reaper runs on the worker; this thread only waits for what it saw.
                let start = Instant::now();
                while start.elapsed() < Duration::from_secs(5) {
                    if let Some(seen) = *probe.seen.lock().unwrap() {
                        return Some(seen);
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
                None
            });
            let _ = tx.send(seen);
        });
        let seen = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("the runtime hung");
        assert_eq!(
            seen,
            Some(0),
            "woken once the NOP was done, without a deadlock"
        );
    }

    /// The slot owns exactly one strong reference while set, and each clone one more; a
    /// second `set` keeps the first ring and gives the offered reference back.
    #[test]
    fn bound_ring_counts_its_references() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .unwrap();
        rt.block_on(async {
            let ring = current().unwrap();
            let base = Arc::strong_count(&ring);
            let slot = BoundRing::new();
            assert!(slot.get().is_none());
            let got: *const Inner = slot.set(current().unwrap());
            assert!(core::ptr::eq(got, Arc::as_ptr(&ring)));
            assert_eq!(Arc::strong_count(&ring), base + 1);
            slot.set(current().unwrap());
            assert_eq!(Arc::strong_count(&ring), base + 1);
            let copy = slot.clone();
            assert!(core::ptr::eq(copy.get().unwrap(), Arc::as_ptr(&ring)));
            assert_eq!(Arc::strong_count(&ring), base + 2);
            drop(copy);
            drop(slot);
            assert_eq!(Arc::strong_count(&ring), base);
            let empty = BoundRing::new().clone();
            assert!(empty.get().is_none());
        });
    }
}
