//! A registry of in-flight operations keyed by `user_data` tokens, for completion callbacks that
//! can be cancelled (the C API's `ringcore_sqe_set_callback` / `ringcore_cancel` / `ringcore_run`).
//!
//! Each operation owns a slot. A slot is either **pending** — it holds what to do on completion
//! (`P`, e.g. a callback and its argument) — or **cancelled** — it holds what the kernel may
//! still touch (`C`, e.g. a cleanup function and its resource), to be released only when the
//! kernel posts the operation's last CQE. Slots are reused through a free list, so after the
//! registry has grown to the peak number of operations in flight no call allocates.
//!
//! # Tokens
//!
//! A token is the `user_data` of the operation's SQE:
//!
//! ```text
//! bit 63      : TOKEN_TAG, set on every token (user_data of plain SQEs should leave it clear)
//! bit 62      : INTERNAL_TAG, never set on a token; free for the owner's own SQEs
//! bits 48..62 : the registry's id (see `with_id`), so that a token of another registry
//!               (another ring) is unknown here rather than an alias of one of its operations
//! bits 20..48 : the slot's generation, bumped when the slot is freed
//! bits 0..20  : the slot index (so at most `MAX_SLOTS` operations are in flight)
//! ```
//!
//! The generation makes a stale token (its operation completed, its slot reused) unknown rather
//! than an alias of the new operation.

use crate::error::Errno;
use alloc::vec::Vec;

/// Set in every token; lets a CQE loop tell registry completions from plain ones.
pub const TOKEN_TAG: u64 = 1 << 63;
/// Never set in a token: `user_data` with both tags is free for the registry owner's own SQEs
/// (e.g. the async-cancel requests it submits), which [`is_token`] rejects.
pub const INTERNAL_TAG: u64 = 1 << 62;

const INDEX_BITS: u32 = 20;
const GEN_BITS: u32 = 28;
const GEN_SHIFT: u32 = INDEX_BITS;
const ID_SHIFT: u32 = INDEX_BITS + GEN_BITS;
const INDEX_MASK: u64 = (1 << INDEX_BITS) - 1;
const GEN_MASK: u32 = (1 << GEN_BITS) - 1;

/// Registry ids are below this (14 bits).
pub const MAX_ID: u32 = 1 << (62 - ID_SHIFT);
/// The most operations a registry holds in flight at once.
pub const MAX_SLOTS: usize = (1 << INDEX_BITS) - 1;

/// Whether `user_data` is a registry token (`TOKEN_TAG` set, `INTERNAL_TAG` clear).
#[inline]
pub const fn is_token(user_data: u64) -> bool {
    user_data & (TOKEN_TAG | INTERNAL_TAG) == TOKEN_TAG
}

#[inline]
const fn token(id: u32, index: u32, gen: u32) -> u64 {
    TOKEN_TAG | ((id as u64) << ID_SHIFT) | ((gen as u64) << GEN_SHIFT) | index as u64
}

#[derive(Debug)]
enum State<P, C> {
    /// On the free list; `next` is the next free slot index, or `u32::MAX`.
    Free {
        next: u32,
    },
    Pending(P),
    Cancelled(C),
}

#[derive(Debug)]
struct Slot<P, C> {
    gen: u32,
    state: State<P, C>,
}

/// What a completion released from the registry.
#[derive(Debug, PartialEq, Eq)]
pub enum Completed<P, C> {
    /// The operation was pending: run its completion with the CQE.
    Pending(P),
    /// The operation had been cancelled: the kernel is done with it, release `C` now.
    Cancelled(C),
}

/// Slots of in-flight operations; see the [module docs](self).
#[derive(Debug)]
pub struct Registry<P, C> {
    slots: Vec<Slot<P, C>>,
    free: u32,
    live: usize,
    id: u32,
}

impl<P, C> Default for Registry<P, C> {
    fn default() -> Self {
        Registry::new()
    }
}

impl<P, C> Registry<P, C> {
    /// An empty registry (id 0); it allocates when the first operation is inserted.
    pub const fn new() -> Self {
        Registry {
            slots: Vec::new(),
            free: u32::MAX,
            live: 0,
            id: 0,
        }
    }

    /// An empty registry with room for `n` operations before it allocates again.
    pub fn with_capacity(n: usize) -> Self {
        Registry {
            slots: Vec::with_capacity(n),
            free: u32::MAX,
            live: 0,
            id: 0,
        }
    }

    /// Sets the id carried in every token (below [`MAX_ID`]; higher bits are dropped). Two
    /// registries with different ids never accept each other's tokens; give each live registry
    /// its own id where tokens could be mixed up (e.g. one per ring).
    #[must_use]
    pub fn with_id(mut self, id: u32) -> Self {
        self.id = id % MAX_ID;
        self
    }

    /// The id carried in this registry's tokens.
    #[inline]
    pub fn id(&self) -> u32 {
        self.id
    }

    /// Operations in flight (pending or cancelled).
    #[inline]
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether no operation is in flight.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Registers a pending operation; returns its token (to store in the SQE's `user_data`).
    ///
    /// # Errors
    /// `ENOMEM` when [`MAX_SLOTS`] operations are already in flight (or the slot table cannot
    /// grow).
    pub fn insert(&mut self, pending: P) -> Result<u64, Errno> {
        let index = if self.free != u32::MAX {
            let index = self.free;
            let slot = &mut self.slots[index as usize];
            let State::Free { next } = slot.state else {
                unreachable!("the free list holds free slots only")
            };
            self.free = next;
            slot.state = State::Pending(pending);
            index
        } else {
            if self.slots.len() >= MAX_SLOTS {
                return Err(Errno::ENOMEM);
            }
            let index = self.slots.len() as u32;
            self.slots.try_reserve(1).map_err(|_| Errno::ENOMEM)?;
            self.slots.push(Slot {
                gen: 0,
                state: State::Pending(pending),
            });
            index
        };
        self.live += 1;
        Ok(token(self.id, index, self.slots[index as usize].gen))
    }

    /// The slot index `token` names, if it is one of this registry's tokens (live or not).
    #[inline]
    fn index_of(&self, token: u64) -> Option<usize> {
        let ours = is_token(token) && (token >> ID_SHIFT) as u32 % MAX_ID == self.id;
        ours.then_some((token & INDEX_MASK) as usize)
    }

    fn slot(&self, token: u64) -> Option<&Slot<P, C>> {
        let slot = self.slots.get(self.index_of(token)?)?;
        let gen = (token >> GEN_SHIFT) as u32 & GEN_MASK;
        (slot.gen == gen && !matches!(slot.state, State::Free { .. })).then_some(slot)
    }

    fn slot_mut(&mut self, token: u64) -> Option<&mut Slot<P, C>> {
        let index = self.index_of(token)?;
        let slot = self.slots.get_mut(index)?;
        let gen = (token >> GEN_SHIFT) as u32 & GEN_MASK;
        (slot.gen == gen && !matches!(slot.state, State::Free { .. })).then_some(slot)
    }

    /// Whether `token` names a pending operation.
    pub fn is_pending(&self, token: u64) -> bool {
        self.slot(token)
            .is_some_and(|s| matches!(s.state, State::Pending(_)))
    }

    /// Whether `token` names an operation in flight (pending or cancelled).
    pub fn is_live(&self, token: u64) -> bool {
        self.slot(token).is_some()
    }

    /// The payload of the operation `token` names, to inspect or change; `None` when it names
    /// no operation in flight.
    pub fn get_mut(&mut self, token: u64) -> Option<Entry<'_, P, C>> {
        match &mut self.slot_mut(token)?.state {
            State::Pending(p) => Some(Entry::Pending(p)),
            State::Cancelled(c) => Some(Entry::Cancelled(c)),
            State::Free { .. } => None,
        }
    }

    /// The tokens of every operation in flight, in slot order.
    pub fn live_tokens(&self) -> impl Iterator<Item = u64> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, s)| !matches!(s.state, State::Free { .. }))
            .map(|(index, s)| token(self.id, index as u32, s.gen))
    }

    /// Cancels a pending operation: its completion will never run; `cancelled` is kept until
    /// the kernel's last CQE for it and then handed back by [`complete`](Self::complete).
    /// Returns the pending payload, which the caller may drop.
    ///
    /// # Errors
    /// `EALREADY`: the operation is already cancelled (`cancelled` is dropped). `ENOENT`: no
    /// operation in flight has this token (never issued, or already completed).
    pub fn cancel(&mut self, token: u64, cancelled: C) -> Result<P, Errno> {
        let slot = self.slot_mut(token).ok_or(Errno::ENOENT)?;
        match core::mem::replace(&mut slot.state, State::Cancelled(cancelled)) {
            State::Pending(p) => Ok(p),
            old @ State::Cancelled(_) => {
                slot.state = old;
                Err(Errno::EALREADY)
            }
            State::Free { .. } => unreachable!("slot_mut returns live slots only"),
        }
    }

    /// Records a CQE for `token`. With `more` (the CQE has `IORING_CQE_F_MORE`: the operation
    /// continues) the slot stays and a pending payload is lent for this CQE, a cancelled one
    /// kept; otherwise the slot is freed and its payload returned.
    ///
    /// Returns `None` for a `user_data` that is not a live token (a plain CQE, or a stale one).
    pub fn complete(&mut self, token: u64, more: bool) -> Option<Completion<'_, P, C>> {
        self.slot_mut(token)?;
        let index = (token & INDEX_MASK) as u32;
        let free = self.free;
        let slot = &mut self.slots[index as usize];
        if more {
            return match &slot.state {
                State::Pending(p) => Some(Completion::More(p)),
                State::Cancelled(c) => Some(Completion::CancelledMore(c)),
                State::Free { .. } => None,
            };
        }
        let state = core::mem::replace(&mut slot.state, State::Free { next: free });
        slot.gen = (slot.gen + 1) & GEN_MASK;
        self.free = index;
        self.live -= 1;
        Some(Completion::Done(match state {
            State::Pending(p) => Completed::Pending(p),
            State::Cancelled(c) => Completed::Cancelled(c),
            State::Free { .. } => unreachable!("slot_mut returns live slots only"),
        }))
    }

    /// Cancels every pending operation, turning its payload into a cancelled one with `make`,
    /// and reports each such token to `each`. Used on teardown.
    pub fn cancel_all(&mut self, mut make: impl FnMut(P) -> C, mut each: impl FnMut(u64)) {
        for (index, slot) in self.slots.iter_mut().enumerate() {
            if let State::Pending(_) = slot.state {
                let State::Pending(p) =
                    core::mem::replace(&mut slot.state, State::Free { next: 0 })
                else {
                    unreachable!()
                };
                slot.state = State::Cancelled(make(p));
                each(token(self.id, index as u32, slot.gen));
            }
        }
    }
}

/// An operation's payload, as [`Registry::get_mut`] lends it.
#[derive(Debug, PartialEq, Eq)]
pub enum Entry<'a, P, C> {
    /// The operation is pending.
    Pending(&'a mut P),
    /// The operation was cancelled and waits for its last CQE.
    Cancelled(&'a mut C),
}

/// The result of [`Registry::complete`].
#[derive(Debug, PartialEq, Eq)]
pub enum Completion<'a, P, C> {
    /// The operation's last CQE: its slot is free and its payload handed back.
    Done(Completed<P, C>),
    /// A CQE of a pending multishot operation that continues.
    More(&'a P),
    /// A CQE of a cancelled multishot operation that continues: nothing to release yet (the
    /// payload is lent to decide what to do with the CQE's result).
    CancelledMore(&'a C),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_complete_reuses_slots_without_growing() {
        let mut r: Registry<u32, &str> = Registry::with_capacity(2);
        let a = r.insert(1).unwrap();
        let b = r.insert(2).unwrap();
        assert!(is_token(a) && is_token(b) && a != b);
        assert_eq!(r.len(), 2);
        assert_eq!(
            r.complete(a, false),
            Some(Completion::Done(Completed::Pending(1)))
        );
        let c = r.insert(3).unwrap();
        assert_eq!(c & INDEX_MASK, a & INDEX_MASK, "slot reused");
        assert_ne!(c, a, "generation bumped");
        assert_eq!(r.slots.capacity(), 2);
        assert_eq!(r.complete(a, false), None, "stale token is unknown");
        assert_eq!(r.len(), 2);
    }

    #[test]
    fn cancel_once_then_release_on_completion() {
        let mut r: Registry<u32, &str> = Registry::new();
        let t = r.insert(7).unwrap();
        assert_eq!(r.cancel(t, "res"), Ok(7));
        assert_eq!(r.cancel(t, "again"), Err(Errno::EALREADY));
        assert!(!r.is_pending(t));
        assert_eq!(r.complete(t, true), Some(Completion::CancelledMore(&"res")));
        assert_eq!(
            r.complete(t, false),
            Some(Completion::Done(Completed::Cancelled("res")))
        );
        assert_eq!(r.cancel(t, "late"), Err(Errno::ENOENT));
        assert!(r.is_empty());
    }

    #[test]
    fn unknown_and_plain_user_data_are_rejected() {
        let mut r: Registry<u32, u32> = Registry::new();
        assert_eq!(r.cancel(42, 0), Err(Errno::ENOENT));
        assert_eq!(r.cancel(TOKEN_TAG | 5, 0), Err(Errno::ENOENT));
        assert_eq!(r.complete(TOKEN_TAG | INTERNAL_TAG, false), None);
        assert!(!is_token(7));
    }

    #[test]
    fn multishot_pending_lends_payload_until_last_cqe() {
        let mut r: Registry<u32, u32> = Registry::new();
        let t = r.insert(9).unwrap();
        assert_eq!(r.complete(t, true), Some(Completion::More(&9)));
        assert_eq!(r.len(), 1);
        assert_eq!(
            r.complete(t, false),
            Some(Completion::Done(Completed::Pending(9)))
        );
        assert!(r.is_empty());
    }

    #[test]
    fn cancel_all_turns_pending_into_cancelled() {
        let mut r: Registry<u32, u32> = Registry::new();
        let a = r.insert(1).unwrap();
        let b = r.insert(2).unwrap();
        r.cancel(b, 20).unwrap();
        let mut seen = Vec::new();
        r.cancel_all(|p| p * 100, |t| seen.push(t));
        assert_eq!(seen, [a]);
        assert_eq!(
            r.complete(a, false),
            Some(Completion::Done(Completed::Cancelled(100)))
        );
        assert_eq!(
            r.complete(b, false),
            Some(Completion::Done(Completed::Cancelled(20)))
        );
    }

    #[test]
    fn tokens_of_another_id_are_unknown() {
        let mut a: Registry<u32, u32> = Registry::new().with_id(1);
        let mut b: Registry<u32, u32> = Registry::new().with_id(2);
        let ta = a.insert(1).unwrap();
        let tb = b.insert(2).unwrap();
        assert_eq!(
            ta & INDEX_MASK,
            tb & INDEX_MASK,
            "same slot, same generation"
        );
        assert_ne!(ta, tb);
        assert!(!a.is_live(tb) && !b.is_live(ta));
        assert_eq!(a.cancel(tb, 0), Err(Errno::ENOENT));
        assert_eq!(a.complete(tb, false), None);
        assert!(a.get_mut(tb).is_none());
        assert_eq!(Registry::<u8, u8>::new().with_id(MAX_ID + 3).id(), 3);
        assert!(is_token(ta) && ta & INTERNAL_TAG == 0);
    }

    #[test]
    fn get_mut_and_live_tokens() {
        let mut r: Registry<u32, u32> = Registry::new().with_id(5);
        let a = r.insert(1).unwrap();
        let b = r.insert(2).unwrap();
        r.cancel(b, 20).unwrap();
        if let Some(Entry::Pending(p)) = r.get_mut(a) {
            *p = 10;
        }
        if let Some(Entry::Cancelled(c)) = r.get_mut(b) {
            *c = 30;
        }
        assert_eq!(r.live_tokens().collect::<Vec<_>>(), [a, b]);
        assert!(r.is_live(a) && r.is_live(b) && !r.is_pending(b));
        assert_eq!(r.complete(b, true), Some(Completion::CancelledMore(&30)));
        assert_eq!(
            r.complete(a, false),
            Some(Completion::Done(Completed::Pending(10)))
        );
        assert_eq!(r.live_tokens().collect::<Vec<_>>(), [b]);
        assert!(!r.is_live(a));
    }

    #[test]
    fn generation_wraps_within_its_bits() {
        let mut r: Registry<u32, u32> = Registry::new().with_id(MAX_ID - 1);
        r.insert(0).unwrap();
        r.slots[0].gen = GEN_MASK;
        let t = token(r.id, 0, GEN_MASK);
        assert!(r.is_live(t));
        assert!(r.complete(t, false).is_some());
        let t2 = r.insert(1).unwrap();
        assert_eq!((t2 >> GEN_SHIFT) as u32 & GEN_MASK, 0);
        assert_eq!(t2 >> ID_SHIFT & (MAX_ID as u64 - 1), (MAX_ID - 1) as u64);
        assert!(is_token(t2) && !r.is_live(t));
    }
}
