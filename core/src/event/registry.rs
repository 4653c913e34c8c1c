//! The completion registry: `user_data` → completion slot.
//!
//! Only ringcore writes `user_data`. A key holds a slot index in its low 24 bits, a batch
//! member index in the next 16 (zero for a single request) and the slot's generation in the top
//! 24; the slot stores its current key, so a CQE is matched with one mask and one compare.
//! [`RESERVED_USER_DATA`] marks SQEs whose CQEs nobody awaits (the layer's own async-cancel
//! requests and the tails of linked chains). Slots live in one vector, are reused through a
//! free list, and the vector grows only when every slot is busy, so after warm-up inserting,
//! completing and freeing allocate nothing.
//!
//! A *batch* is one slot for many requests: each member's CQE lands in the batch's result
//! vector at the member's index, and the waiter is woken once, when the last member is done.

use super::Cancellation;
use crate::ring::Completions;
use crate::sys::{Cqe, CqeFlags};
use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::mem::ManuallyDrop;
use core::task::{Poll, Waker};

/// `user_data` of SQEs whose completions are ignored (async-cancel requests, linked tails).
pub const RESERVED_USER_DATA: u64 = u64::MAX;

const NO_SLOT: u32 = u32::MAX;

/// Bits of a key that hold the slot index.
const SLOT_MASK: u64 = (1 << 24) - 1;
/// Where the member index of a batch request starts in its key.
const MEMBER_SHIFT: u32 = 24;
/// Bits of a key that hold a batch member's index.
const MEMBER_MASK: u64 = 0xffff << MEMBER_SHIFT;
/// One step of a slot's generation (the top 24 bits of its key).
const GENERATION: u64 = 1 << 40;
/// Most slots a registry holds: an index must fit its 24 bits and never be all ones, so that
/// no key can equal [`RESERVED_USER_DATA`].
const MAX_SLOTS: usize = SLOT_MASK as usize;

/// Most members one batch can have (the member index has 16 bits).
pub const MAX_BATCH_MEMBERS: u32 = 1 << 16;

/// The `(res, flags)` a batch member holds until its CQE arrives (no CQE has this `res`).
pub const BATCH_UNSET: (i32, u32) = (i32::MIN, 0);

/// The `user_data` of member `member` of the batch whose key is `key`.
#[inline]
pub const fn batch_member_key(key: u64, member: u32) -> u64 {
    key | ((member as u64) << MEMBER_SHIFT)
}

/// What a slot holds (one byte; the data lives in the slot's other fields).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Unused; `next_free` links the free list.
    Free,
    /// A batch: `pending` members are in the kernel, `closed` once every member is prepared.
    Batch,
    /// A single-shot request the kernel owns; someone awaits it (`waker`).
    Single,
    /// A multishot request; its CQEs queue up in `queue` until the last one.
    Multi,
    /// The last CQE of a single-shot request arrived; `res`/`flags` wait to be collected.
    Completed,
    /// Every prepared member of a closed batch is done; `results` wait to be collected.
    BatchDone,
    /// Nobody awaits the request; `cancellation` is dropped after the last CQE.
    Cancelled,
    /// A driver's own multishot wake-up poll (see `driver/wake.rs`): not counted in
    /// `in_kernel` (it holds nobody's memory, and closing the ring ends it), its CQEs are
    /// dropped, and its last CQE frees the slot.
    Wake,
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
    /// What only some requests need (a parked Cancellation, multishot CQEs), boxed so that a
    /// slot stays small; made on first need and kept while the slot is reused.
    rare: Option<Box<Rare>>,
    /// Batch: the members in flight. Cancelled: requests whose last CQE is still to come (1
    /// for a single or multishot request).
    pending: u32,
    /// The slot holds a batch (also after it was cancelled).
    batch: bool,
    /// Batch: every member has been prepared, so `pending == 0` means done.
    closed: bool,
    /// Batch: members prepared so far (members `0..prepared` went to the kernel).
    prepared: u32,
    /// Batch: each member's `(res, flags)`, [`BATCH_UNSET`] until its CQE arrives.
    results: Vec<(i32, u32)>,
}

/// The parts of a [`Slot`] that only cancelled and multishot requests use.
#[derive(Debug, Default)]
struct Rare {
    /// The abandoned request's Cancellation, dropped after its last CQE.
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

/// The count of requests in the kernel while [`Registry::dispatch_all`] runs, stored back
/// into the registry when dropped, on return or while a panic unwinds.
struct LiveCount<'a> {
    count: usize,
    total: &'a mut usize,
}

impl Drop for LiveCount<'_> {
    #[inline]
    fn drop(&mut self) {
        *self.total = self.count;
    }
}

/// Completion slots keyed by `user_data`.
#[derive(Debug, Default)]
pub struct Registry {
    slots: Vec<Slot>,
    free: u32,
    /// Requests whose last CQE has not arrived yet.
    in_kernel: usize,
}

/// The slot whose current key is `key` (any member of a batch names its slot).
#[inline]
fn slot_in(slots: &mut [Slot], key: u64) -> Option<&mut Slot> {
    slots
        .get_mut((key & SLOT_MASK) as usize)
        .filter(|slot| slot.key == key & !MEMBER_MASK)
}

/// Takes from `cqes` the CQEs that end members of the batch `key` without more to come, up to
/// the first that does not, storing each `(res, flags)` at its member's index; returns how
/// many it took. Kept out of line so its loop has the registers to itself.
#[inline(never)]
fn copy_run(results: &mut [(i32, u32)], key: u64, cqes: &mut Completions<'_>) -> u32 {
    cqes.consume_while(|c| {
        if c.user_data & !MEMBER_MASK != key || c.flags & NOT_PLAIN != 0 {
            return false;
        }
        if let Some(r) = results.get_mut(member_of(c.user_data)) {
            *r = (c.res, c.flags);
        }
        true
    })
}

/// What a dispatch does with the waker of a request that has news: wake it at once
/// ([`WakeNow`]), or keep a clone to wake later (a `Vec<Waker>`, for a driver that wakes after
/// releasing its lock, so that the woken tasks, running on other threads, do not find it held).
pub(crate) trait Wakeups {
    fn wake(&mut self, waker: &Waker);
}

/// Wakes each waiter during the dispatch.
pub(crate) struct WakeNow;

impl Wakeups for WakeNow {
    #[inline(always)]
    fn wake(&mut self, waker: &Waker) {
        waker.wake_by_ref();
    }
}

impl Wakeups for Vec<Waker> {
    #[inline]
    fn wake(&mut self, waker: &Waker) {
        self.push(waker.clone());
    }
}

/// Flags of a CQE that is not a request's only one.
const NOT_PLAIN: u32 = CqeFlags::MORE.bits() | CqeFlags::NOTIF.bits();

/// Dispatches `cqe`, the only CQE of a member of the batch in `slot`, and the CQEs after it in
/// `cqes` that are the same; returns how many it took from `cqes`, and `cqes`.
#[inline(never)]
fn batch_run<'a, W: Wakeups>(
    slot: &mut Slot,
    cqe: &Cqe,
    mut cqes: Completions<'a>,
    in_kernel: &mut usize,
    wakeups: &mut W,
) -> (usize, Completions<'a>) {
    let results = &mut slot.results[..];
    if let Some(r) = results.get_mut(member_of(cqe.user_data)) {
        *r = (cqe.res, cqe.flags);
    }
    let more = copy_run(results, slot.key, &mut cqes);
    slot.pending = slot.pending.saturating_sub(more + 1);
    if slot.pending == 0 {
        *in_kernel -= 1;
        if slot.closed {
            slot.state = State::BatchDone;
            slot.wake(wakeups);
        }
    }
    (more as usize, cqes)
}

/// Records `cqe` in `slot` (whose key it carries) and wakes the waiter; see
/// [`Registry::dispatch`]. Out of line: the dispatch loop handles the common cases itself.
#[inline(never)]
fn dispatch_to<W: Wakeups>(
    slot: &mut Slot,
    cqe: &Cqe,
    in_kernel: &mut usize,
    free: &mut u32,
    wakeups: &mut W,
) {
    let last = cqe.flags & CqeFlags::MORE.bits() == 0;
    if slot.state == State::Single && last && !slot.has_result {
        // The common case: a single-shot request's only CQE.
        slot.res = cqe.res;
        slot.flags = cqe.flags;
        slot.state = State::Completed;
        *in_kernel -= 1;
        slot.wake(wakeups);
        return;
    }
    match slot.state {
        State::Batch => {
            // A member's result is its first CQE; a zero-copy notification only ends it.
            if cqe.flags & CqeFlags::NOTIF.bits() == 0 {
                if let Some(r) = slot.results.get_mut(member_of(cqe.user_data)) {
                    *r = (cqe.res, cqe.flags);
                }
            }
            if last && slot.pending > 0 {
                slot.pending -= 1;
                if slot.pending == 0 {
                    *in_kernel -= 1;
                    if slot.closed {
                        slot.state = State::BatchDone;
                        slot.wake(wakeups);
                    }
                }
            }
        }
        State::Single => {
            if !slot.has_result {
                slot.res = cqe.res;
                slot.flags = cqe.flags;
            }
            if last {
                slot.state = State::Completed;
                *in_kernel -= 1;
                slot.wake(wakeups);
            } else {
                slot.has_result = true;
            }
        }
        State::Multi => {
            slot.rare().queue.push_back((cqe.res, cqe.flags));
            if last {
                slot.has_result = true;
                *in_kernel -= 1;
            }
            slot.wake(wakeups);
        }
        State::Cancelled => {
            let result = cqe.flags & CqeFlags::NOTIF.bits() == 0;
            if result
                && cqe.res >= 0
                && slot
                    .rare
                    .as_ref()
                    .and_then(|rare| rare.cancellation.as_ref())
                    .is_some_and(Cancellation::closes_fd_results)
            {
                close_orphan(cqe.res);
            }
            if slot.batch && result {
                // Marks the member done, so no async cancel is sent for it any more.
                if let Some(r) = slot.results.get_mut(member_of(cqe.user_data)) {
                    *r = (-1, cqe.flags);
                }
            }
            if last {
                slot.pending = slot.pending.saturating_sub(1);
            }
            if slot.pending == 0 {
                *in_kernel -= 1;
                // The kernel is done: the Cancellation runs now, exactly once.
                let cancellation = slot.rare.as_mut().and_then(|rare| {
                    rare.queue.clear();
                    rare.cancellation.take()
                });
                slot.release(free);
                drop(cancellation);
            }
        }
        State::Wake => {
            if last {
                slot.release(free);
            }
        }
        State::Completed | State::BatchDone | State::Free => {}
    }
}

/// Closes `fd`, a descriptor the kernel created for a request whose result nobody collects.
fn close_orphan(fd: i32) {
    // SAFETY: the kernel made `fd` for an abandoned request and the result was never
    // delivered, so nothing else refers to the descriptor; it is closed once.
    unsafe { libc::close(fd) };
}

/// The member index a batch member's key carries.
#[inline]
fn member_of(key: u64) -> usize {
    ((key & MEMBER_MASK) >> MEMBER_SHIFT) as usize
}

impl Slot {
    /// The slot's rarely used parts, made on first need.
    #[inline]
    fn rare(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Box::default)
    }

    /// Frees the slot: a new generation, and the head of the free list.
    #[inline]
    fn release(&mut self, free: &mut u32) {
        // The next generation: the top bits count up (and wrap), the index stays.
        self.key = self.key.wrapping_add(GENERATION);
        self.state = State::Free;
        self.next_free = *free;
        *free = (self.key & SLOT_MASK) as u32;
    }

    #[inline]
    fn park_waker(&mut self, waker: &Waker) {
        match &self.waker {
            Some(w) if w.will_wake(waker) => {}
            _ => self.waker = Some(waker.clone()),
        }
    }

    #[inline]
    fn wake<W: Wakeups>(&self, wakeups: &mut W) {
        if let Some(waker) = &self.waker {
            wakeups.wake(waker);
        }
    }

    /// Whether the kernel may still post CQEs for the request(s) in this slot.
    fn in_kernel(&self) -> bool {
        match self.state {
            State::Single | State::Cancelled => true,
            State::Multi => !self.has_result,
            State::Batch => self.pending > 0,
            State::Free | State::Completed | State::BatchDone | State::Wake => false,
        }
    }

    /// Closes the descriptors among the results this slot holds but never delivered (called
    /// when it is abandoned with a Cancellation that [closes fd results](
    /// Cancellation::closes_fd_results)), and forgets those results.
    fn close_undelivered(&mut self) {
        match self.state {
            State::Completed if self.res >= 0 => {
                close_orphan(self.res);
                self.res = -1;
            }
            State::Multi => {
                let Some(rare) = self.rare.as_mut() else {
                    return;
                };
                for (res, flags) in rare.queue.drain(..) {
                    if res >= 0 && flags & CqeFlags::NOTIF.bits() == 0 {
                        close_orphan(res);
                    }
                }
            }
            State::Batch | State::BatchDone => {
                for r in &mut self.results {
                    if r.0 >= 0 {
                        close_orphan(r.0);
                        r.0 = -1;
                    }
                }
            }
            _ => {}
        }
    }

    /// Whether member `member` of the batch in this slot may still be in the kernel: it was
    /// prepared and its CQE has not arrived.
    fn member_in_kernel(&self, member: usize) -> bool {
        member < self.prepared as usize
            && self.results.get(member).is_some_and(|r| *r == BATCH_UNSET)
    }

    /// Keys of the requests the kernel may still own in this slot: the slot's key, or for a
    /// batch the key of each member in flight.
    fn keys_in_kernel(&self) -> impl Iterator<Item = u64> + '_ {
        let single = (!self.batch && self.in_kernel()).then_some(self.key);
        let members = (self.batch && self.in_kernel())
            .then(|| {
                (0..self.prepared)
                    .filter(|&m| self.member_in_kernel(m as usize))
                    .map(|m| batch_member_key(self.key, m))
            })
            .into_iter()
            .flatten();
        single.into_iter().chain(members)
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
        for _ in 0..n {
            if !registry.grow() {
                break;
            }
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

    /// Adds a free slot; false when the registry holds [`MAX_SLOTS`] already.
    #[cold]
    fn grow(&mut self) -> bool {
        if self.slots.len() >= MAX_SLOTS {
            return false;
        }
        let index = self.slots.len() as u32;
        self.slots.push(Slot {
            key: u64::from(index),
            state: State::Free,
            has_result: false,
            res: 0,
            flags: 0,
            next_free: self.free,
            waker: None,
            rare: None,
            pending: 0,
            batch: false,
            closed: false,
            prepared: 0,
            results: Vec::new(),
        });
        self.free = index;
        true
    }

    /// Takes a free slot after parking `waker` in it; `None` when all [`MAX_SLOTS`] are busy.
    ///
    /// The waker is parked first, while the slot is still on the free list: cloning the new
    /// waker or dropping the old one runs foreign code, and if that panics the slot is still
    /// free and no count has changed.
    #[inline]
    fn take_free(&mut self, waker: &Waker) -> Option<(&mut Slot, &mut usize)> {
        if self.free == NO_SLOT && !self.grow() {
            return None;
        }
        // The free list only holds indices of existing slots.
        let slot = self.slots.get_mut(self.free as usize)?;
        slot.park_waker(waker);
        self.free = slot.next_free;
        Some((slot, &mut self.in_kernel))
    }

    /// Takes a free slot for a request about to be submitted, awaited by `waker`; returns its
    /// key (the SQE's `user_data`), or `None` when 2^24 - 1 requests are already in flight.
    #[inline]
    pub fn insert(&mut self, multishot: bool, waker: &Waker) -> Option<u64> {
        let (slot, in_kernel) = self.take_free(waker)?;
        *in_kernel += 1;
        slot.state = if multishot {
            State::Multi
        } else {
            State::Single
        };
        slot.has_result = false;
        slot.batch = false;
        Some(slot.key)
    }

    /// Frees the slot of `key`, a request [`insert`](Self::insert)ed whose SQEs were taken
    /// back before they were submitted (its `prepare` panicked): the kernel never saw it.
    pub fn remove_unsubmitted(&mut self, key: u64) {
        let Some(slot) = slot_in(&mut self.slots, key) else {
            return;
        };
        if matches!(slot.state, State::Single | State::Multi) {
            self.in_kernel -= 1;
            slot.release(&mut self.free);
        }
    }

    /// Takes a free slot for a batch whose members will report into `results` (one entry per
    /// member, each [`BATCH_UNSET`]), awaited by `waker`. No member is in the kernel yet: add
    /// them with [`batch_prepared`](Self::batch_prepared) as their SQEs are written (member
    /// `m`'s `user_data` is [`batch_member_key`]`(key, m)`), then
    /// [`batch_close`](Self::batch_close). `None` when every slot is busy.
    pub fn insert_batch(&mut self, results: Vec<(i32, u32)>, waker: &Waker) -> Option<u64> {
        let (slot, _) = self.take_free(waker)?;
        slot.state = State::Batch;
        slot.batch = true;
        slot.closed = false;
        slot.pending = 0;
        slot.prepared = 0;
        slot.results = results;
        Some(slot.key)
    }

    /// Records that the next `count` members of batch `key` went to the kernel.
    #[inline]
    pub fn batch_prepared(&mut self, key: u64, count: u32) {
        let Some(slot) = slot_in(&mut self.slots, key) else {
            return;
        };
        if slot.state != State::Batch || count == 0 {
            return;
        }
        if slot.pending == 0 {
            self.in_kernel += 1;
        }
        slot.pending += count;
        slot.prepared += count;
    }

    /// Marks batch `key` complete as to members: it finishes when the prepared ones are done.
    #[inline]
    pub fn batch_close(&mut self, key: u64) {
        let Some(slot) = slot_in(&mut self.slots, key) else {
            return;
        };
        if slot.state == State::Batch {
            slot.closed = true;
            if slot.pending == 0 {
                slot.state = State::BatchDone;
            }
        }
    }

    /// Dispatches every CQE `cqes` yields (see [`dispatch`](Self::dispatch)) and returns how
    /// many. A run of consecutive CQEs of one batch — the usual case, as a batch's members
    /// complete together — takes one slot lookup for the whole run.
    pub fn dispatch_all(&mut self, cqes: Completions<'_>) -> usize {
        self.dispatch_all_with(cqes, &mut WakeNow)
    }

    /// [`dispatch_all`](Self::dispatch_all), handing the wakers of the requests with news to
    /// `wakeups`.
    #[inline(always)]
    pub(crate) fn dispatch_all_with<W: Wakeups>(
        &mut self,
        mut cqes: Completions<'_>,
        wakeups: &mut W,
    ) -> usize {
        let Registry {
            slots,
            free,
            in_kernel,
        } = self;
        // Counted in a local, so the loop need not store it after every CQE; the guard stores
        // it back also when a waker or a Cancellation's drop panics in the middle.
        let mut live = LiveCount {
            count: *in_kernel,
            total: in_kernel,
        };
        let live = &mut live.count;
        let mut n = 0;
        while let Some(cqe) = cqes.next() {
            n += 1;
            let Some(slot) = slot_in(slots, cqe.user_data) else {
                continue;
            };
            match slot.state {
                State::Single if cqe.flags & CqeFlags::MORE.bits() == 0 && !slot.has_result => {
                    // The common case: a single-shot request's only CQE.
                    slot.res = cqe.res;
                    slot.flags = cqe.flags;
                    slot.state = State::Completed;
                    *live -= 1;
                    slot.wake(wakeups);
                }
                State::Batch if cqe.flags & NOT_PLAIN == 0 => {
                    // The iterator goes by value, so that this loop keeps it in registers.
                    let (more, rest) = batch_run(slot, &cqe, cqes, live, wakeups);
                    n += more;
                    cqes = rest;
                }
                _ => dispatch_to(slot, &cqe, live, free, wakeups),
            }
        }
        n
    }

    /// Takes a free slot for a driver's own wake-up poll ([`State::Wake`]); returns its key
    /// (the poll's `user_data`), or `None` when every slot is busy.
    pub(crate) fn insert_wake(&mut self) -> Option<u64> {
        if self.free == NO_SLOT && !self.grow() {
            return None;
        }
        let slot = self.slots.get_mut(self.free as usize)?;
        self.free = slot.next_free;
        slot.state = State::Wake;
        slot.waker = None;
        Some(slot.key)
    }

    /// Whether the wake-up poll of `key` is still in the kernel (its last CQE has not come).
    #[inline]
    pub(crate) fn is_wake(&self, key: u64) -> bool {
        self.slots
            .get((key & SLOT_MASK) as usize)
            // The key changes when the slot is freed, so the key names the wake slot as long
            // as it lives.
            .is_some_and(|slot| slot.key == key)
    }

    /// Records a CQE and wakes the request's waiter. A CQE for a cancelled request drops its
    /// Cancellation once the request's last CQE is in. CQEs with [`RESERVED_USER_DATA`] or an
    /// unknown key are ignored.
    #[inline]
    pub fn dispatch(&mut self, cqe: &Cqe) {
        let Registry {
            slots,
            free,
            in_kernel,
            ..
        } = self;
        if let Some(slot) = slot_in(slots, cqe.user_data) {
            dispatch_to(slot, cqe, in_kernel, free, &mut WakeNow);
        }
    }

    /// The result `(res, flags)` of a single-shot request once its last CQE arrived (the
    /// slot is then freed), or `Pending` after remembering `waker`.
    #[inline]
    pub fn poll_complete(&mut self, key: u64, waker: &Waker) -> Poll<(i32, u32)> {
        // A single request's key names no member, so it must match the slot's key exactly.
        let Some(slot) = self
            .slots
            .get_mut((key & SLOT_MASK) as usize)
            .filter(|slot| slot.key == key)
        else {
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

    /// The members' results of batch `key` once it is closed and every prepared member's last
    /// CQE arrived (the slot is then freed); `Pending` after remembering `waker`.
    #[inline]
    pub fn poll_batch(&mut self, key: u64, waker: &Waker) -> Poll<Vec<(i32, u32)>> {
        let Some(slot) = slot_in(&mut self.slots, key) else {
            return Poll::Pending;
        };
        match slot.state {
            State::BatchDone => {
                let results = core::mem::take(&mut slot.results);
                slot.release(&mut self.free);
                Poll::Ready(results)
            }
            State::Batch => {
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
        if let Some(cqe) = slot.rare.as_mut().and_then(|rare| rare.queue.pop_front()) {
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
    ///
    /// Foreign code runs here (dropping the old waker, dropping `cancellation`); if it
    /// panics before the Cancellation is parked, the Cancellation is leaked, never dropped
    /// while the kernel may own its memory.
    pub fn cancel(&mut self, key: u64, cancellation: Cancellation) -> CancelOutcome {
        let cancellation = ManuallyDrop::new(cancellation);
        let Some(slot) = slot_in(&mut self.slots, key) else {
            // Unknown key: the kernel cannot hold anything under it.
            drop(ManuallyDrop::into_inner(cancellation));
            return CancelOutcome::Finished;
        };
        let old_waker = slot.waker.take();
        if cancellation.closes_fd_results() {
            slot.close_undelivered();
        }
        let outcome = if slot.in_kernel() {
            if !slot.batch {
                // A single or multishot request ends with one last CQE.
                slot.pending = 1;
            }
            slot.state = State::Cancelled;
            slot.rare().cancellation = Some(ManuallyDrop::into_inner(cancellation));
            CancelOutcome::Parked
        } else {
            if let Some(rare) = slot.rare.as_mut() {
                rare.queue.clear();
            }
            slot.release(&mut self.free);
            drop(ManuallyDrop::into_inner(cancellation));
            CancelOutcome::Finished
        };
        drop(old_waker);
        outcome
    }

    /// True when the kernel still owns `key`'s request; for a batch's key, any of its
    /// members.
    pub fn is_in_kernel(&self, key: u64) -> bool {
        self.keys_in_kernel_of(key).next().is_some()
    }

    /// The keys under which the kernel still owns requests of `key`: `key` itself for a
    /// single or multishot request, each member in flight for a batch (given the batch's key
    /// or any member's, which then names only itself). Empty for a stale or unknown key.
    pub fn keys_in_kernel_of(&self, key: u64) -> impl Iterator<Item = u64> + '_ {
        let slot = self
            .slots
            .get((key & SLOT_MASK) as usize)
            .filter(|slot| slot.key == key & !MEMBER_MASK);
        let member = member_of(key);
        slot.into_iter()
            .flat_map(|slot| slot.keys_in_kernel())
            .filter(move |&k| member == 0 || member_of(k) == member)
    }

    /// Keys of every request the kernel still owns, appended to `out` (one per batch member
    /// in flight).
    pub fn keys_in_kernel(&self, out: &mut Vec<u64>) {
        out.extend(self.slots.iter().flat_map(|slot| slot.keys_in_kernel()));
    }

    /// Clones of the wakers of the requests the kernel still owns, appended to `out`.
    #[cfg(feature = "std")]
    pub(crate) fn waiting_wakers(&self, out: &mut Vec<Waker>) {
        out.extend(
            self.slots
                .iter()
                .filter(|slot| slot.in_kernel())
                .filter_map(|slot| slot.waker.clone()),
        );
    }

    /// Forgets every parked Cancellation without running it: for a ring that can no longer
    /// be waited on, leaking is the only way to keep memory the kernel may touch alive.
    pub fn leak_cancellations(&mut self) {
        for slot in &mut self.slots {
            if let Some(c) = slot.rare.as_mut().and_then(|rare| rare.cancellation.take()) {
                slot.state = State::Completed;
                slot.pending = 0;
                core::mem::forget(c);
            }
        }
        self.in_kernel = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CqeFlags;

    fn cqe(user_data: u64, more: bool) -> Cqe {
        Cqe {
            user_data,
            res: 1,
            flags: if more { CqeFlags::MORE.bits() } else { 0 },
        }
    }

    /// A request in flight costs its slot: kept small (issue 16's bar is 128 bytes per safe
    /// request, the `Submission` future included), the rarely used parts boxed.
    #[test]
    fn a_slot_is_at_most_80_bytes() {
        assert!(
            core::mem::size_of::<Slot>() <= 80,
            "{}",
            core::mem::size_of::<Slot>()
        );
    }

    /// The driver's wake-up poll: never counted in flight, its CQEs dropped until the last,
    /// which frees the slot (and then no longer names a wake slot, so the driver re-arms).
    #[test]
    fn a_wake_slot_counts_as_nothing_in_flight_and_ends_with_its_last_cqe() {
        let mut reg = Registry::new();
        let key = reg.insert_wake().unwrap();
        assert_eq!(reg.in_kernel(), 0);
        assert!(reg.is_wake(key));
        let mut keys = Vec::new();
        reg.keys_in_kernel(&mut keys);
        assert!(keys.is_empty(), "nothing to cancel at drop: {keys:?}");
        reg.dispatch(&cqe(key, true));
        reg.dispatch(&cqe(key, true));
        assert!(reg.is_wake(key), "a CQE with MORE leaves the poll armed");
        reg.dispatch(&cqe(key, false));
        assert!(!reg.is_wake(key), "the last CQE ends it");
        assert_eq!(reg.in_kernel(), 0);
        let again = reg.insert_wake().unwrap();
        assert_ne!(again, key, "a new generation");
        assert!(!reg.is_wake(key) && reg.is_wake(again));
    }
}
