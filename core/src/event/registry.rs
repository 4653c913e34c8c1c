//! The completion registry: `user_data` → completion slot.
//!
//! Only ringcore writes `user_data`. A key is a slot index in the low 32 bits and the slot's
//! generation in the high 32 bits; [`RESERVED_USER_DATA`] marks SQEs whose CQEs nobody awaits
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

/// What a slot holds.
#[derive(Debug)]
enum State {
    /// Unused; the next free slot's index.
    Free(u32),
    /// The kernel owns the request; someone awaits it.
    Submitted,
    /// The last CQE arrived; the result waits to be collected.
    Completed,
    /// Nobody awaits the request; its resources are dropped after the last CQE.
    Cancelled(Cancellation),
}

#[derive(Debug)]
struct Slot {
    generation: u32,
    state: State,
    multishot: bool,
    /// A single-shot request saw its first CQE (which carries the result) and waits for the
    /// last (one without `IORING_CQE_F_MORE`, as zero-copy send's notification).
    has_result: bool,
    res: i32,
    flags: u32,
    waker: Option<Waker>,
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

#[inline]
fn slot_in(slots: &mut [Slot], key: u64) -> Option<&mut Slot> {
    let (index, generation) = split(key);
    slots
        .get_mut(index)
        .filter(|slot| slot.generation == generation)
}

#[inline]
fn split(key: u64) -> (usize, u32) {
    (key as u32 as usize, (key >> 32) as u32)
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
            generation: 0,
            state: State::Free(self.free),
            multishot: false,
            has_result: false,
            res: 0,
            flags: 0,
            waker: None,
            queue: VecDeque::new(),
        });
        self.free = index;
    }

    /// Takes a free slot for a request about to be submitted; returns its key (the SQE's
    /// `user_data`).
    #[inline]
    pub fn insert(&mut self, multishot: bool) -> u64 {
        if self.free == NO_SLOT {
            self.grow();
        }
        let index = self.free;
        let slot = &mut self.slots[index as usize];
        if let State::Free(next) = slot.state {
            self.free = next;
        }
        slot.state = State::Submitted;
        slot.multishot = multishot;
        slot.has_result = false;
        self.in_kernel += 1;
        (u64::from(slot.generation) << 32) | u64::from(index)
    }

    #[inline]
    fn release(&mut self, index: usize) {
        let slot = &mut self.slots[index];
        slot.generation = slot.generation.wrapping_add(1);
        slot.state = State::Free(self.free);
        self.free = index as u32;
    }

    #[inline]
    fn slot(&mut self, key: u64) -> Option<&mut Slot> {
        slot_in(&mut self.slots, key)
    }

    /// Records a CQE. Returns the waker to wake, if any. A CQE for a cancelled request drops
    /// its Cancellation once the request's last CQE is in. CQEs with
    /// [`RESERVED_USER_DATA`] or an unknown key are ignored.
    #[inline]
    pub fn dispatch(&mut self, cqe: &Cqe) -> Option<Waker> {
        let (index, _) = split(cqe.user_data);
        let slot = slot_in(&mut self.slots, cqe.user_data)?;
        let last = cqe.flags & CqeFlags::MORE.bits() == 0;
        match slot.state {
            State::Submitted => {
                if slot.multishot {
                    slot.queue.push_back((cqe.res, cqe.flags));
                } else if !slot.has_result {
                    slot.has_result = true;
                    slot.res = cqe.res;
                    slot.flags = cqe.flags;
                }
                if last {
                    if !slot.multishot {
                        slot.state = State::Completed;
                    }
                    // A multishot slot stays `Submitted`; its queue ends with this CQE.
                    slot.has_result = true;
                    self.in_kernel -= 1;
                }
                slot.waker.take()
            }
            State::Cancelled(_) => {
                if last {
                    self.in_kernel -= 1;
                    slot.queue.clear();
                    // Dropping the old state runs the Cancellation: the kernel is done.
                    self.release(index);
                }
                None
            }
            State::Completed | State::Free(_) => None,
        }
    }

    #[inline]
    fn park_waker(slot: &mut Slot, waker: &Waker) {
        match &slot.waker {
            Some(w) if w.will_wake(waker) => {}
            _ => slot.waker = Some(waker.clone()),
        }
    }

    /// The result `(res, flags)` of a single-shot request once its last CQE arrived (the
    /// slot is then freed), or `Pending` after remembering `waker`.
    #[inline]
    pub fn poll_complete(&mut self, key: u64, waker: &Waker) -> Poll<(i32, u32)> {
        let (index, _) = split(key);
        let Some(slot) = self.slot(key) else {
            return Poll::Pending;
        };
        match slot.state {
            State::Completed => {
                let out = (slot.res, slot.flags);
                slot.waker = None;
                self.release(index);
                Poll::Ready(out)
            }
            State::Submitted => {
                Self::park_waker(slot, waker);
                Poll::Pending
            }
            _ => Poll::Pending,
        }
    }

    /// The next CQE `(res, flags)` of a multishot request; `None` after the last one (the
    /// slot is then freed); `Pending` after remembering `waker`.
    pub fn poll_next(&mut self, key: u64, waker: &Waker) -> Poll<Option<(i32, u32)>> {
        let (index, _) = split(key);
        let Some(slot) = self.slot(key) else {
            return Poll::Ready(None);
        };
        if !matches!(slot.state, State::Submitted) {
            return Poll::Pending;
        }
        if let Some(cqe) = slot.queue.pop_front() {
            return Poll::Ready(Some(cqe));
        }
        if slot.has_result {
            // The last CQE has been delivered.
            slot.waker = None;
            self.release(index);
            return Poll::Ready(None);
        }
        Self::park_waker(slot, waker);
        Poll::Pending
    }

    /// Gives up interest in `key`. If the kernel is done with it, the slot is freed and
    /// `cancellation` dropped now; otherwise it is parked until the last CQE.
    pub fn cancel(&mut self, key: u64, cancellation: Cancellation) -> CancelOutcome {
        let (index, _) = split(key);
        let Some(slot) = self.slot(key) else {
            // Unknown key: the kernel cannot hold anything under it.
            return CancelOutcome::Finished;
        };
        let finished = match slot.state {
            State::Completed => true,
            State::Submitted => slot.multishot && slot.has_result,
            _ => true,
        };
        slot.waker = None;
        if finished {
            slot.queue.clear();
            self.release(index);
            drop(cancellation);
            CancelOutcome::Finished
        } else {
            slot.state = State::Cancelled(cancellation);
            CancelOutcome::Parked
        }
    }

    /// True when the kernel still owns `key`'s request.
    pub fn is_in_kernel(&self, key: u64) -> bool {
        let (index, generation) = split(key);
        self.slots.get(index).is_some_and(|slot| {
            slot.generation == generation
                && match slot.state {
                    State::Submitted => !(slot.multishot && slot.has_result),
                    State::Cancelled(_) => true,
                    _ => false,
                }
        })
    }

    /// Keys of every request the kernel still owns, appended to `out`.
    pub fn keys_in_kernel(&self, out: &mut Vec<u64>) {
        for (index, slot) in self.slots.iter().enumerate() {
            let key = (u64::from(slot.generation) << 32) | index as u64;
            if self.is_in_kernel(key) {
                out.push(key);
            }
        }
    }

    /// Forgets every parked Cancellation without running it: for a ring that can no longer
    /// be waited on, leaking is the only way to keep memory the kernel may touch alive.
    pub fn leak_cancellations(&mut self) {
        for slot in &mut self.slots {
            if let State::Cancelled(_) = slot.state {
                let State::Cancelled(c) = core::mem::replace(&mut slot.state, State::Completed)
                else {
                    continue;
                };
                core::mem::forget(c);
            }
        }
        self.in_kernel = 0;
    }
}
