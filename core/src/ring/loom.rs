//! A loom model of the SQ/CQ protocol: the production queues on one side, a simulated kernel
//! thread on the other side of the same shared words and entry arrays.
//!
//! Run with `make test-loom`, i.e.
//! `RUSTFLAGS="--cfg ringcore_loom" cargo test -p ringcore --lib ring::loom`. Under
//! `cfg(ringcore_loom)` the ring code's atomics ([`crate::sync`]) are loom's, so every load,
//! store and fence of `SubmissionQueue`, `CompletionQueue` and `Submitter` is scheduled and
//! checked by loom across every interleaving (up to the preemption bound) and every value the
//! orderings allow a load to return.
//!
//! What the simulated kernel does mirrors `io_uring/io_uring.c`: it loads the SQ tail with
//! acquire and stores the SQ head with release; it loads the CQ head with acquire and stores the
//! CQ tail with release; an SQPOLL poller sets `NEED_WAKEUP`, makes a full fence and re-reads the
//! tail before sleeping; a CQE that finds the CQ full goes to a backlog under the completion lock
//! and sets `CQ_OVERFLOW`, and `io_uring_enter(GETEVENTS)` flushes it in the caller's context.
//!
//! Entry contents are plain memory, which loom cannot see. Each slot therefore has a shadow
//! cell (`loom::cell::UnsafeCell`) that is written next to the entry and read next to the
//! copy of it: loom reports any shadow access that is not ordered after the previous one by
//! happens-before, which is exactly a torn or early read of the entry, or a slot reused while
//! the other side may still read it.
//!
//! Indices start near `u32::MAX` so that every model crosses the wrap-around.

use super::cq::{CompletionQueue, CqRaw};
use super::sq::{SqRaw, SubmissionQueue};
use super::Submitter;
use crate::sync::{fence, AtomicU32, Ordering};
use crate::sys::{Cqe, Features, SetupFlags, SqRingFlags, Sqe};
use ::loom::cell::UnsafeCell as LoomUnsafeCell;
use ::loom::sync::{Arc, Condvar, Mutex};
use ::loom::thread;
use core::cell::UnsafeCell;
use std::boxed::Box;
use std::collections::VecDeque;
use std::vec::Vec;

/// Two entries per ring: the smallest size that still has a "full" distinct from "empty", and
/// small enough for loom to explore.
const ENTRIES: u32 = 2;
const MASK: u32 = ENTRIES - 1;

/// The memory a real ring shares with the kernel, plus the kernel's private state.
struct Shared {
    sq_head: AtomicU32,
    sq_tail: AtomicU32,
    sq_flags: AtomicU32,
    sq_dropped: AtomicU32,
    cq_head: AtomicU32,
    cq_tail: AtomicU32,
    cq_overflow: AtomicU32,
    sqes: Box<[UnsafeCell<Sqe>]>,
    cqes: Box<[UnsafeCell<Cqe>]>,
    sq_shadow: Box<[LoomUnsafeCell<u64>]>,
    cq_shadow: Box<[LoomUnsafeCell<u64>]>,
    /// The kernel's completion lock and what it guards: the overflow backlog.
    backlog: Mutex<VecDeque<u64>>,
    /// The SQPOLL thread's sleep: `true` once woken (`io_uring_enter(SQ_WAKEUP)`).
    wake: Mutex<bool>,
    wake_cv: Condvar,
}

// SAFETY: the plain entry arrays are reached only through the ring protocol under test (the
// shadow cells make loom check that every access is ordered); everything else is loom-synced.
unsafe impl Sync for Shared {}
// SAFETY: as above; `Shared` owns all its memory.
unsafe impl Send for Shared {}

impl Shared {
    fn new(start: u32) -> Arc<Shared> {
        let n = ENTRIES as usize;
        Arc::new(Shared {
            sq_head: AtomicU32::new(start),
            sq_tail: AtomicU32::new(start),
            sq_flags: AtomicU32::new(0),
            sq_dropped: AtomicU32::new(0),
            cq_head: AtomicU32::new(start),
            cq_tail: AtomicU32::new(start),
            cq_overflow: AtomicU32::new(0),
            sqes: (0..n).map(|_| UnsafeCell::new(Sqe::ZERO)).collect(),
            cqes: (0..n).map(|_| UnsafeCell::new(Cqe::default())).collect(),
            sq_shadow: (0..n).map(|_| LoomUnsafeCell::new(u64::MAX)).collect(),
            cq_shadow: (0..n).map(|_| LoomUnsafeCell::new(u64::MAX)).collect(),
            backlog: Mutex::new(VecDeque::new()),
            wake: Mutex::new(false),
            wake_cv: Condvar::new(),
        })
    }

    fn sq_raw(&self) -> SqRaw {
        SqRaw {
            head: &self.sq_head,
            tail: &self.sq_tail,
            flags: &self.sq_flags,
            dropped: &self.sq_dropped,
            // `UnsafeCell<Sqe>` has the layout of `Sqe`.
            sqes: self.sqes.as_ptr() as *mut Sqe,
            entries: ENTRIES,
            sqe_shift: 0,
        }
    }

    fn cq_raw(&self) -> CqRaw {
        CqRaw {
            head: &self.cq_head,
            tail: &self.cq_tail,
            overflow: &self.cq_overflow,
            flags: core::ptr::null(),
            cqes: self.cqes.as_ptr() as *const Cqe,
            entries: ENTRIES,
            cqe_shift: 0,
        }
    }

    /// The production submission queue over this memory.
    fn sq(&self) -> SubmissionQueue {
        // SAFETY: the words and the SQE array live in `self`, which every model thread keeps
        // alive (through its `Arc`) for as long as it uses the queue; ENTRIES is a power of two.
        unsafe { SubmissionQueue::new(self.sq_raw()) }
    }

    /// The production completion queue over this memory.
    fn cq(&self) -> CompletionQueue {
        // SAFETY: as in `sq`; the CQE array has ENTRIES entries of 16 bytes.
        unsafe { CompletionQueue::new(self.cq_raw()) }
    }

    /// The production submitter's view of this memory, as `Ring::setup` builds it.
    fn submitter(&self, setup: SetupFlags) -> Submitter {
        Submitter::new(
            -1,
            setup,
            Features::empty(),
            &self.sq_head,
            &self.sq_tail,
            &self.sq_flags,
            &self.cq_head,
            &self.cq_tail,
        )
    }

    // ---- the application side: helpers around the production queues ----

    /// Takes an SQE through the production queue and fills it with `value`; `false` when full.
    fn app_push_sqe(&self, sq: &mut SubmissionQueue, value: u64) -> bool {
        let Some(sqe) = sq.get_sqe() else {
            return false;
        };
        sqe.raw.user_data = value;
        let slot = (sqe as *mut _ as usize - self.sqes.as_ptr() as usize) / 64;
        assert!(
            slot < ENTRIES as usize,
            "get_sqe handed out a slot outside the array"
        );
        // The shadow write stands for the entry's contents: loom checks that the kernel's read
        // of it is ordered after this write, and that this write is ordered after the kernel's
        // read of the slot's previous entry.
        self.sq_shadow[slot].with_mut(|p| {
            // SAFETY: loom checks the exclusivity of this access.
            unsafe { *p = value }
        });
        true
    }

    /// Records that the application read the CQE at ring position `pos`, whose copy says
    /// `user_data`. Must be called before the head moves past `pos`.
    fn app_saw_cqe(&self, pos: u32, user_data: u64) {
        let shadow = self.cq_shadow[(pos & MASK) as usize].with(|p| {
            // SAFETY: loom checks this read against the kernel's write of the slot.
            unsafe { *p }
        });
        assert_eq!(shadow, user_data, "torn or stale CQE at position {pos}");
    }

    // ---- the simulated kernel ----

    /// Consumes every SQE published so far, in ring order; returns their `user_data`.
    fn kernel_consume_sqes(&self) -> Vec<u64> {
        // The kernel owns the head; acquire on the tail pairs with the application's release.
        let head = self.sq_head.load(Ordering::Relaxed);
        let tail = self.sq_tail.load(Ordering::Acquire);
        let mut seen = Vec::new();
        let mut pos = head;
        while pos != tail {
            let slot = (pos & MASK) as usize;
            // SAFETY: the slot lies below the published tail, so the application wrote it.
            let user_data = unsafe { (*self.sqes[slot].get()).user_data };
            let shadow = self.sq_shadow[slot].with(|p| {
                // SAFETY: loom checks this read against the application's write.
                unsafe { *p }
            });
            assert_eq!(shadow, user_data, "torn or stale SQE at position {pos}");
            seen.push(user_data);
            pos = pos.wrapping_add(1);
        }
        // Release: the reads above are done before the application may reuse the slots.
        self.sq_head.store(tail, Ordering::Release);
        seen
    }

    /// Writes a CQE at the kernel's tail if the CQ has room (acquire of the head, release of the
    /// tail). Returns `false` when the CQ is full.
    fn kernel_try_post(&self, user_data: u64) -> bool {
        let tail = self.cq_tail.load(Ordering::Relaxed);
        let head = self.cq_head.load(Ordering::Acquire);
        if tail.wrapping_sub(head) == ENTRIES {
            return false;
        }
        let slot = (tail & MASK) as usize;
        // SAFETY: the slot is free: the application's head has moved past its previous use.
        unsafe {
            *self.cqes[slot].get() = Cqe {
                user_data,
                res: 0,
                flags: 0,
            }
        };
        self.cq_shadow[slot].with_mut(|p| {
            // SAFETY: loom checks this write against the application's read of the slot.
            unsafe { *p = user_data }
        });
        self.cq_tail.store(tail.wrapping_add(1), Ordering::Release);
        true
    }

    /// Posts a CQE as a kernel with `IORING_FEAT_NODROP`: when the CQ is full (or older CQEs are
    /// already held back) it goes to the backlog and `CQ_OVERFLOW` is set.
    fn kernel_post_nodrop(&self, user_data: u64) {
        let mut backlog = self.backlog.lock().unwrap();
        if backlog.is_empty() && self.kernel_try_post(user_data) {
            return;
        }
        backlog.push_back(user_data);
        self.sq_flags
            .fetch_or(SqRingFlags::CQ_OVERFLOW.bits(), Ordering::Relaxed);
    }

    /// `io_uring_enter(GETEVENTS)`: moves the backlog into the CQ as far as it has room, in
    /// the caller's context; clears `CQ_OVERFLOW` once the backlog is empty.
    fn kernel_flush_backlog(&self) {
        let mut backlog = self.backlog.lock().unwrap();
        while let Some(&user_data) = backlog.front() {
            if !self.kernel_try_post(user_data) {
                break;
            }
            backlog.pop_front();
        }
        if backlog.is_empty() {
            self.sq_flags
                .fetch_and(!SqRingFlags::CQ_OVERFLOW.bits(), Ordering::Relaxed);
        }
    }

    /// `io_uring_enter(SQ_WAKEUP)`: wakes the sleeping poller.
    fn kernel_wake_poller(&self) {
        *self.wake.lock().unwrap() = true;
        self.wake_cv.notify_one();
    }

    /// The SQPOLL thread: consumes `total` SQEs, going to sleep whenever the SQ is empty, with
    /// the kernel's protocol (set NEED_WAKEUP, full fence, re-check the tail, sleep).
    fn kernel_sqpoll(&self, total: usize) -> Vec<u64> {
        let mut seen = Vec::new();
        while seen.len() < total {
            let got = self.kernel_consume_sqes();
            if !got.is_empty() {
                seen.extend(got);
                continue;
            }
            self.sq_flags
                .fetch_or(SqRingFlags::NEED_WAKEUP.bits(), Ordering::Relaxed);
            fence(Ordering::SeqCst);
            let head = self.sq_head.load(Ordering::Relaxed);
            if self.sq_tail.load(Ordering::Acquire) == head {
                // Sleep until an enter with SQ_WAKEUP. A missed wake-up deadlocks here, which
                // loom reports.
                let mut woken = self.wake.lock().unwrap();
                while !*woken {
                    woken = self.wake_cv.wait(woken).unwrap();
                }
                *woken = false;
            }
            self.sq_flags
                .fetch_and(!SqRingFlags::NEED_WAKEUP.bits(), Ordering::Relaxed);
        }
        seen
    }
}

/// Runs `f` under loom and prints how many executions (interleavings) it explored.
fn model(name: &str, f: impl Fn() + Sync + Send + 'static) {
    use std::sync::atomic::{AtomicUsize, Ordering as StdOrdering};
    let runs = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = runs.clone();
    ::loom::model(move || {
        counter.fetch_add(1, StdOrdering::Relaxed);
        f();
    });
    std::println!(
        "loom model {name}: {} interleavings explored",
        runs.load(StdOrdering::Relaxed)
    );
}

/// Where the indices start: two entries before the u32 wrap.
const START: u32 = u32::MAX - 1;

/// SQEs go from the production queue to the kernel in order, each exactly once and whole,
/// across a full ring and the u32 wrap; a full queue hands out no SQE.
#[test]
fn sq_entries_are_neither_lost_duplicated_nor_torn() {
    model("sq_entries", || {
        const N: u64 = 3;
        let shared = Shared::new(START);
        let kernel = {
            let shared = shared.clone();
            thread::spawn(move || {
                let mut seen = Vec::new();
                while seen.len() < N as usize {
                    let got = shared.kernel_consume_sqes();
                    if got.is_empty() {
                        thread::yield_now();
                    }
                    seen.extend(got);
                }
                seen
            })
        };
        let mut sq = shared.sq();
        let mut next = 0;
        while next < N {
            if shared.app_push_sqe(&mut sq, next) {
                next += 1;
            } else {
                // Full: wait for the kernel to consume.
                thread::yield_now();
            }
            assert!(sq.len() <= ENTRIES, "more SQEs out than the ring holds");
            sq.sync();
        }
        let seen = kernel.join().unwrap();
        assert_eq!(seen, (0..N).collect::<Vec<_>>());
        assert_eq!(
            shared.sq_head.load(Ordering::Relaxed),
            START.wrapping_add(N as u32)
        );
    });
}

/// CQEs posted by the kernel reach the production queue in order, each exactly once and whole,
/// through `completions()` and through `peek` + `advance`, across the u32 wrap.
#[test]
fn cq_entries_are_neither_lost_duplicated_nor_torn() {
    model("cq_entries", || {
        const N: u64 = 3;
        let shared = Shared::new(START);
        let kernel = {
            let shared = shared.clone();
            thread::spawn(move || {
                for user_data in 0..N {
                    while !shared.kernel_try_post(user_data) {
                        thread::yield_now();
                    }
                }
            })
        };
        let mut cq = shared.cq();
        let mut seen = 0u64;
        let mut round = 0;
        while seen < N {
            if round % 2 == 0 {
                for cqe in cq.completions() {
                    shared.app_saw_cqe(START.wrapping_add(seen as u32), cqe.user_data);
                    assert_eq!(cqe.user_data, seen, "CQE out of order, lost or duplicated");
                    seen += 1;
                }
            } else if let Some(cqe) = cq.peek() {
                shared.app_saw_cqe(START.wrapping_add(seen as u32), cqe.user_data);
                assert_eq!(cqe.user_data, seen, "CQE out of order, lost or duplicated");
                seen += 1;
                cq.advance(1);
            }
            round += 1;
            if seen < N && cq.is_empty() {
                thread::yield_now();
            }
        }
        kernel.join().unwrap();
        assert!(cq.is_empty());
        assert_eq!(cq.overflow(), 0);
    });
}

/// With the CQ full, the kernel holds CQEs back and flags `CQ_OVERFLOW`; the application sees
/// the flag through the production submitter, flushes, and gets every CQE once, in order.
#[test]
fn cq_overflow_backlog_is_flushed_without_loss() {
    model("cq_overflow", || {
        const N: u64 = 4;
        let shared = Shared::new(START);
        let kernel = {
            let shared = shared.clone();
            thread::spawn(move || {
                for user_data in 0..N {
                    shared.kernel_post_nodrop(user_data);
                }
            })
        };
        let submitter = shared.submitter(SetupFlags::empty());
        let mut cq = shared.cq();
        let mut seen = 0u64;
        let mut reap = |cq: &mut CompletionQueue| {
            for cqe in cq.completions() {
                shared.app_saw_cqe(START.wrapping_add(seen as u32), cqe.user_data);
                assert_eq!(cqe.user_data, seen, "CQE out of order, lost or duplicated");
                seen += 1;
            }
        };
        // One pass while the kernel is still posting, flushing when the flag says so.
        reap(&mut cq);
        if submitter
            .sq_flags()
            .intersects(SqRingFlags::CQ_OVERFLOW | SqRingFlags::TASKRUN)
        {
            shared.kernel_flush_backlog();
        }
        reap(&mut cq);
        kernel.join().unwrap();
        // Then wait as `wait_cqe` does: each enter flushes what fits.
        for _ in 0..N {
            shared.kernel_flush_backlog();
            reap(&mut cq);
        }
        assert_eq!(seen, N);
        assert!(shared.backlog.lock().unwrap().is_empty());
        assert!(!submitter.sq_flags().contains(SqRingFlags::CQ_OVERFLOW));
    });
}

/// The SQPOLL wake-up is never missed: the application publishes SQEs and asks the production
/// `Submitter::sqpoll_needs_wakeup` whether to wake the poller; the poller sleeps with the
/// kernel's protocol. A missed wake-up leaves the poller asleep with SQEs pending, a deadlock
/// loom reports.
#[test]
fn sqpoll_wakeup_is_never_missed() {
    model("sqpoll_wakeup", || {
        const N: u64 = 2;
        let shared = Shared::new(START);
        let poller = {
            let shared = shared.clone();
            thread::spawn(move || shared.kernel_sqpoll(N as usize))
        };
        let submitter = shared.submitter(SetupFlags::SQPOLL);
        let mut sq = shared.sq();
        for user_data in 0..N {
            assert!(shared.app_push_sqe(&mut sq, user_data));
            sq.sync();
            if submitter.sqpoll_needs_wakeup() {
                shared.kernel_wake_poller();
            }
        }
        assert_eq!(poller.join().unwrap(), (0..N).collect::<Vec<_>>());
    });
}

/// The model can fail: without the full fence between the tail store and the flag load (the
/// bug liburing once shipped), loom finds the interleaving where the poller goes to sleep with
/// an SQE pending and nobody wakes it.
///
/// The poller makes one round here and reports whether it went to sleep, instead of blocking:
/// a loom deadlock aborts the test process, an assertion does not.
#[test]
#[should_panic(expected = "wake-up missed")]
fn sqpoll_wakeup_without_the_fence_is_caught() {
    ::loom::model(|| {
        let shared = Shared::new(START);
        let poller = {
            let shared = shared.clone();
            thread::spawn(move || {
                if !shared.kernel_consume_sqes().is_empty() {
                    return false;
                }
                shared
                    .sq_flags
                    .fetch_or(SqRingFlags::NEED_WAKEUP.bits(), Ordering::Relaxed);
                fence(Ordering::SeqCst);
                shared.kernel_consume_sqes().is_empty()
            })
        };
        let mut sq = shared.sq();
        assert!(shared.app_push_sqe(&mut sq, 7));
        sq.sync();
        // The broken decision: the flag load is not fenced against the tail store.
        let flags = SqRingFlags::from_bits_retain(shared.sq_flags.load(Ordering::Relaxed));
        let woke = flags.contains(SqRingFlags::NEED_WAKEUP);
        let slept = poller.join().unwrap();
        assert!(
            !slept || woke,
            "wake-up missed: the poller sleeps with an SQE pending"
        );
    });
}
