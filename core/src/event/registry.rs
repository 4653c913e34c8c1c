//! The completion registry: `user_data` → completion slot.
//!
//! Only ringcore writes `user_data`. A key is a slot index in the low 32 bits and the slot's
//! generation in the high 32 bits (the slot stores its whole current key, so a CQE is matched
//! with one compare); [`RESERVED_USER_DATA`] marks SQEs whose CQEs nobody awaits
//! (the layer's own async-cancel requests and the tails of linked chains). Slots live in one
//! vector, are reused through a free list, and the vector grows only when every slot is busy,
//! so after warm-up inserting, completing and freeing allocate nothing.

use super::Cancellation;
use crate::sys::{Cqe, CqeFlags};
use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::task::{Poll, Waker};

/// `user_data` of SQEs whose completions are ignored (async-cancel requests, linked tails).
pub const RESERVED_USER_DATA: u64 = u64::MAX;

const NO_SLOT: u32 = u32::MAX;

/// What a slot holds (one byte; the data lives in the slot's other fields).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Unused; `next_free` links the free list.
    Free,
    /// A single-shot request the kernel owns; someone awaits it (`waker`).
    Single,
    /// A multishot request; its CQEs queue up in `queue` until the last one.
    Multi,
    /// The last CQE of a single-shot request arrived; `res`/`flags` wait to be collected.
    Completed,
    /// Nobody awaits the request; `cancellation` is dropped after the last CQE.
    Cancelled,
}

#[derive(Debug)]
struct Slot {
    /// The key of the request in this slot (generation and index).
    key: u64,
    state: State,
    /// `Single`: the first CQE (which carries the result) is in and the request waits for its
    /// last (one without `IORING_CQE_F_MORE`, as zero-copy send's notification). `Multi`: the
    /// last CQE is queued.
    has_result: bool,
    res: i32,
    flags: u32,
    next_free: u32,
    /// The waiter's waker. It stays in the slot after the request is done, so that the next
    /// request in this slot awaited by the same task needs no clone.
    waker: Option<Waker>,
    cancellation: Option<Cancellation>,
    /// Multishot CQEs not yet delivered, oldest first; the last one ends the stream.
    queue: VecDeque<(i32, u32)>,
}

/// What [`Registry::cancel`] decided.
#[derive(Debug, PartialEq, Eq)]
pub enum CancelOutcome {
    /// The request had already finished; the slot is free and the Cancellation was dropped.
    Finished,
    /// The kernel still owns the request; the Cancellation is parked and an async-cancel
    /// request should be sent for the key.
    Parked,
}

/// Completion slots keyed by `user_data`.
#[derive(Debug, Default)]
pub struct Registry {
    slots: Vec<Slot>,
    free: u32,
    /// Requests whose last CQE has not arrived yet.
    in_kernel: usize,
}

/// The slot whose current key is `key`.
#[inline]
fn slot_in(slots: &mut [Slot], key: u64) -> Option<&mut Slot> {
    slots
        .get_mut(key as u32 as usize)
        .filter(|slot| slot.key == key)
}

impl Slot {
    /// Frees the slot: a new generation, and the head of the free list.
    #[inline]
    fn release(&mut self, free: &mut u32) {
        // The next generation: the high half counts up (and wraps), the index stays.
        self.key = self.key.wrapping_add(1 << 32);
        self.state = State::Free;
        self.next_free = *free;
        *free = self.key as u32;
    }

    #[inline]
    fn park_waker(&mut self, waker: &Waker) {
        match &self.waker {
            Some(w) if w.will_wake(waker) => {}
            _ => self.waker = Some(waker.clone()),
        }
    }

    #[inline]
    fn wake(&self) {
        if let Some(waker) = &self.waker {
            waker.wake_by_ref();
        }
    }

    /// Whether the kernel may still post CQEs for the request in this slot.
    fn in_kernel(&self) -> bool {
        match self.state {
            State::Single | State::Cancelled => true,
            State::Multi => !self.has_result,
            State::Free | State::Completed => false,
        }
    }
}

impl Registry {
    /// An empty registry.
    pub const fn new() -> Registry {
        Registry {
            slots: Vec::new(),
            free: NO_SLOT,
            in_kernel: 0,
        }
    }

    /// A registry with `n` slots allocated up front.
    pub fn with_capacity(n: u32) -> Registry {
        let mut registry = Registry::new();
        registry.slots.reserve(n as usize);
        for _ in 0..n.min(NO_SLOT - 1) {
            registry.grow();
        }
        registry
    }

    /// Requests the kernel still owns (whose last CQE has not been dispatched).
    #[inline]
    pub fn in_kernel(&self) -> usize {
        self.in_kernel
    }

    /// Slots allocated so far (busy and free).
    pub fn capacity(&self) -> usize {
        self.slots.len()
    }

    #[cold]
    fn grow(&mut self) {
        let index = self.slots.len() as u32;
        self.slots.push(Slot {
            key: u64::from(index),
            state: State::Free,
            has_result: false,
            res: 0,
            flags: 0,
            next_free: self.free,
            waker: None,
            cancellation: None,
            queue: VecDeque::new(),
        });
        self.free = index;
    }

    /// Takes a free slot for a request about to be submitted, awaited by `waker`; returns its
    /// key (the SQE's `user_data`).
    #[inline]
    pub fn insert(&mut self, multishot: bool, waker: &Waker) -> u64 {
        if self.free == NO_SLOT {
            self.grow();
        }
        let Some(slot) = self.slots.get_mut(self.free as usize) else {
            // The free list only holds indices of existing slots.
            return RESERVED_USER_DATA;
        };
        self.free = slot.next_free;
        slot.state = if multishot {
            State::Multi
        } else {
            State::Single
        };
        slot.has_result = false;
        slot.park_waker(waker);
        self.in_kernel += 1;
        slot.key
    }

    /// Records a CQE and wakes the request's waiter. A CQE for a cancelled request drops its
    /// Cancellation once the request's last CQE is in. CQEs with [`RESERVED_USER_DATA`] or an
    /// unknown key are ignored.
    #[inline]
    pub fn dispatch(&mut self, cqe: &Cqe) {
        let Some(slot) = slot_in(&mut self.slots, cqe.user_data) else {
            return;
        };
        let last = cqe.flags & CqeFlags::MORE.bits() == 0;
        if slot.state == State::Single && last && !slot.has_result {
            // The common case: a single-shot request's only CQE.
            slot.res = cqe.res;
            slot.flags = cqe.flags;
            slot.state = State::Completed;
            self.in_kernel -= 1;
            slot.wake();
            return;
        }
        match slot.state {
            State::Single => {
                if !slot.has_result {
                    slot.res = cqe.res;
                    slot.flags = cqe.flags;
                }
                if last {
                    slot.state = State::Completed;
                    self.in_kernel -= 1;
                    slot.wake();
                } else {
                    slot.has_result = true;
                }
            }
            State::Multi => {
                slot.queue.push_back((cqe.res, cqe.flags));
                if last {
                    slot.has_result = true;
                    self.in_kernel -= 1;
                }
                slot.wake();
            }
            State::Cancelled => {
                if last {
                    self.in_kernel -= 1;
                    slot.queue.clear();
                    // The kernel is done: the Cancellation runs now, exactly once.
                    let cancellation = slot.cancellation.take();
                    slot.release(&mut self.free);
                    drop(cancellation);
                }
            }
            State::Completed | State::Free => {}
        }
    }

    /// The result `(res, flags)` of a single-shot request once its last CQE arrived (the
    /// slot is then freed), or `Pending` after remembering `waker`.
    #[inline]
    pub fn poll_complete(&mut self, key: u64, waker: &Waker) -> Poll<(i32, u32)> {
        let Some(slot) = slot_in(&mut self.slots, key) else {
            return Poll::Pending;
        };
        match slot.state {
            State::Completed => {
                let out = (slot.res, slot.flags);
                slot.release(&mut self.free);
                Poll::Ready(out)
            }
            State::Single => {
                slot.park_waker(waker);
                Poll::Pending
            }
            _ => Poll::Pending,
        }
    }

    /// The next CQE `(res, flags)` of a multishot request; `None` after the last one (the
    /// slot is then freed); `Pending` after remembering `waker`.
    pub fn poll_next(&mut self, key: u64, waker: &Waker) -> Poll<Option<(i32, u32)>> {
        let Some(slot) = slot_in(&mut self.slots, key) else {
            return Poll::Ready(None);
        };
        if slot.state != State::Multi {
            return Poll::Pending;
        }
        if let Some(cqe) = slot.queue.pop_front() {
            return Poll::Ready(Some(cqe));
        }
        if slot.has_result {
            // The last CQE has been delivered.
            slot.release(&mut self.free);
            return Poll::Ready(None);
        }
        slot.park_waker(waker);
        Poll::Pending
    }

    /// Gives up interest in `key`. If the kernel is done with it, the slot is freed and
    /// `cancellation` dropped now; otherwise it is parked until the last CQE.
    pub fn cancel(&mut self, key: u64, cancellation: Cancellation) -> CancelOutcome {
        let Some(slot) = slot_in(&mut self.slots, key) else {
            // Unknown key: the kernel cannot hold anything under it.
            return CancelOutcome::Finished;
        };
        slot.waker = None;
        if slot.in_kernel() {
            slot.state = State::Cancelled;
            slot.cancellation = Some(cancellation);
            CancelOutcome::Parked
        } else {
            slot.queue.clear();
            slot.release(&mut self.free);
            drop(cancellation);
            CancelOutcome::Finished
        }
    }

    /// True when the kernel still owns `key`'s request.
    pub fn is_in_kernel(&self, key: u64) -> bool {
        self.slots
            .get(key as u32 as usize)
            .is_some_and(|slot| slot.key == key && slot.in_kernel())
    }

    /// Keys of every request the kernel still owns, appended to `out`.
    pub fn keys_in_kernel(&self, out: &mut Vec<u64>) {
        out.extend(
            self.slots
                .iter()
                .filter(|slot| slot.in_kernel())
                .map(|slot| slot.key),
        );
    }

    /// Forgets every parked Cancellation without running it: for a ring that can no longer
    /// be waited on, leaking is the only way to keep memory the kernel may touch alive.
    pub fn leak_cancellations(&mut self) {
        for slot in &mut self.slots {
            if let Some(c) = slot.cancellation.take() {
                slot.state = State::Completed;
                core::mem::forget(c);
            }
        }
        self.in_kernel = 0;
    }
}
