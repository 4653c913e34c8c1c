//! The submission queue: hands out SQEs and publishes them to the kernel.

use super::{Entry, Entry128};
use crate::sync::{AtomicU32, Ordering};
use crate::sys::{SqRingFlags, Sqe};

/// Pointers into the shared SQ ring and the SQE array, as the kernel laid them out.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SqRaw {
    pub head: *const AtomicU32,
    pub tail: *const AtomicU32,
    pub flags: *const AtomicU32,
    pub dropped: *const AtomicU32,
    pub sqes: *mut Sqe,
    pub entries: u32,
    /// 1 for 128-byte SQEs, else 0: an SQE index is shifted by this to address `Sqe`s.
    pub sqe_shift: u32,
}

/// The submission queue of a ring.
///
/// SQEs are taken with [`get_sqe`](Self::get_sqe) against a locally cached tail; nothing is
/// visible to the kernel until [`sync`](Self::sync) (or the ring's `submit`) publishes the tail
/// with one release store for the whole batch.
#[derive(Debug)]
pub struct SubmissionQueue {
    raw: SqRaw,
    mask: u32,
    /// Next SQE to hand out (local; published by `sync`).
    tail: u32,
    /// `get_sqe`'s fast path may hand out entries while `tail != limit`: the kernel's head as
    /// last loaded plus `entries`. Kept equal to `tail` in SQE128 rings, whose entries are
    /// addressed on the slow path only, and while the queue is held (see
    /// [`hold`](Self::hold)).
    limit: u32,
    /// Every take goes through the slow path (`limit` stays at `tail`).
    held: bool,
}

// SAFETY: the queue owns its view of the shared ring exclusively (only one `SubmissionQueue` per
// ring exists, and it is reached through `&mut`); the pointers stay valid for the ring's life.
unsafe impl Send for SubmissionQueue {}
// SAFETY: `&SubmissionQueue` methods only load shared words atomically and read its own fields;
// every write (taking SQEs, publishing the tail) needs `&mut`.
unsafe impl Sync for SubmissionQueue {}

impl SubmissionQueue {
    /// # Safety
    /// `raw` must point into live ring memory (or a faithful imitation of it) that outlives the
    /// queue, with `entries` a power of two and the SQE array `entries << sqe_shift` long.
    pub(crate) unsafe fn new(raw: SqRaw) -> SubmissionQueue {
        // SAFETY: the caller guarantees `raw.head`/`raw.tail` are valid.
        let (head, tail) = unsafe {
            (
                (*raw.head).load(Ordering::Acquire),
                (*raw.tail).load(Ordering::Relaxed),
            )
        };
        let mut sq = SubmissionQueue {
            raw,
            mask: raw.entries - 1,
            tail,
            limit: tail,
            held: false,
        };
        sq.set_limit(head);
        sq
    }

    /// Recomputes the fast-path limit from the kernel's `head`.
    #[inline]
    fn set_limit(&mut self, head: u32) {
        self.limit = if self.raw.sqe_shift == 0 && !self.held {
            head.wrapping_add(self.raw.entries)
        } else {
            self.tail
        };
    }

    /// Takes the next free SQE, zeroed, or `None` when all `capacity()` entries are taken and
    /// not yet consumed by the kernel. Never overwrites an entry the kernel has not read.
    #[inline]
    pub fn get_sqe(&mut self) -> Option<&mut Entry> {
        let ptr = if self.tail != self.limit {
            // Fast path: `tail - head < entries` by the limit's invariant, 64-byte entries.
            // SAFETY: the masked index is inside the SQE array.
            let ptr = unsafe { self.raw.sqes.add((self.tail & self.mask) as usize) };
            self.tail = self.tail.wrapping_add(1);
            ptr
        } else {
            self.next_slot_slow()?
        };
        // SAFETY: the slot lies below the kernel's head plus `entries`, so the kernel no longer
        // reads it, and no other reference to it exists (each slot is handed out once per lap).
        // `Entry` is `repr(transparent)` over `Sqe`.
        let sqe = unsafe { &mut *ptr.cast::<Entry>() };
        sqe.raw = Sqe::ZERO;
        Some(sqe)
    }

    /// A batch cursor: takes SQEs with the queue's cursor held in locals (registers), and writes
    /// it back once when dropped. Use it to fill many SQEs in a loop; the queue's own
    /// [`get_sqe`](Self::get_sqe) re-reads the cursor from memory after every SQE store, because
    /// the compiler cannot prove the SQE memory does not alias the queue.
    #[inline]
    pub fn batch(&mut self) -> SqBatch<'_> {
        SqBatch {
            sqes: self.raw.sqes,
            mask: self.mask,
            tail: self.tail,
            limit: self.limit,
            sq: self,
        }
    }

    /// Takes the next free 128-byte SQE of an `SQE128` ring, zeroed.
    ///
    /// Returns `None` when the queue is full or the ring does not have 128-byte SQEs.
    #[inline]
    pub fn get_sqe128(&mut self) -> Option<&mut Entry128> {
        if self.raw.sqe_shift == 0 {
            return None;
        }
        let ptr = self.next_slot_slow()?;
        // SAFETY: as in `get_sqe`; in an SQE128 ring every slot is 128 bytes, so the slot is a
        // whole `Sqe128` (`sqe_shift == 1` doubled the index).
        // `Entry128` is `repr(transparent)` over `Sqe128`.
        let sqe = unsafe { &mut *ptr.cast::<Entry128>() };
        sqe.raw.sqe = Sqe::ZERO;
        sqe.raw.cmd_ext = [0; 64];
        Some(sqe)
    }

    /// The slow path of taking a slot: the ring looked full, or has 128-byte entries.
    #[cold]
    #[inline(never)]
    fn next_slot_slow(&mut self) -> Option<*mut Sqe> {
        // Reload the kernel's head. Acquire pairs with the kernel's release store of the head,
        // so its reads of the old entries are done before we reuse them.
        // SAFETY: `head` points into the live ring.
        let head = unsafe { (*self.raw.head).load(Ordering::Acquire) };
        if self.tail.wrapping_sub(head) >= self.raw.entries {
            self.set_limit(head);
            return None;
        }
        let index = ((self.tail & self.mask) << self.raw.sqe_shift) as usize;
        self.tail = self.tail.wrapping_add(1);
        self.set_limit(head);
        // SAFETY: `index` is masked to the ring size (shifted for 128-byte entries), so it is in
        // bounds of the SQE array.
        Some(unsafe { self.raw.sqes.add(index) })
    }

    /// Publishes every SQE taken so far to the kernel (one release store of the tail).
    ///
    /// The release store makes the SQE contents visible before the kernel, which loads the tail
    /// with acquire, can see the new tail.
    #[inline]
    pub fn sync(&mut self) {
        // SAFETY: `tail` points into the live ring; only this queue writes it.
        unsafe { (*self.raw.tail).store(self.tail, Ordering::Release) }
    }

    /// A copy of SQE slot `slot` (tests read the array as the kernel would).
    #[cfg(test)]
    pub(crate) fn slot(&self, slot: usize) -> Sqe {
        assert!(slot < self.raw.entries as usize);
        // SAFETY: `slot` is in bounds (asserted); tests call this only for published entries.
        unsafe { *self.raw.sqes.add(slot) }
    }

    /// The local tail: one past the last SQE handed out.
    #[inline]
    pub(crate) fn local_tail(&self) -> u32 {
        self.tail
    }

    /// The next free 64-byte SQE, zeroed, *without* taking it: nothing changes until
    /// [`commit_sqe`](Self::commit_sqe). A caller that fills it and then fails — or panics —
    /// leaves it free, and the kernel never sees it. `None` when the queue is full or has
    /// 128-byte entries.
    #[cfg(feature = "alloc")]
    #[inline]
    pub(crate) fn peek_sqe(&mut self) -> Option<&mut Entry> {
        if self.tail == self.limit && !self.refresh_limit() {
            return None;
        }
        // SAFETY: `tail - head < entries` by the limit's invariant (64-byte entries: with
        // 128-byte ones the limit stays at the tail), so the masked slot is free and in
        // bounds; `Entry` is `repr(transparent)` over `Sqe`.
        let sqe = unsafe {
            &mut *self
                .raw
                .sqes
                .add((self.tail & self.mask) as usize)
                .cast::<Entry>()
        };
        sqe.raw = Sqe::ZERO;
        Some(sqe)
    }

    /// Takes the SQE [`peek_sqe`](Self::peek_sqe) returned.
    #[cfg(feature = "alloc")]
    #[inline]
    pub(crate) fn commit_sqe(&mut self) {
        self.tail = self.tail.wrapping_add(1);
    }

    /// Reloads the kernel's head when the cached limit says full; true if there is room now
    /// (never for 128-byte entries, which take the slow path).
    #[cfg(feature = "alloc")]
    #[cold]
    fn refresh_limit(&mut self) -> bool {
        // SAFETY: `head` points into the live ring.
        let head = unsafe { (*self.raw.head).load(Ordering::Acquire) };
        self.set_limit(head);
        self.tail != self.limit
    }

    /// Takes back every SQE handed out since the local tail was `tail` (none of them has
    /// been published): for a preparer that panicked or was refused, so that no half-filled
    /// entry reaches the kernel with the next submit.
    #[cfg(feature = "alloc")]
    #[inline]
    pub(crate) fn rewind(&mut self, tail: u32) {
        debug_assert!(self.tail.wrapping_sub(tail) <= self.raw.entries);
        self.tail = tail;
        if self.raw.sqe_shift != 0 || self.held {
            self.limit = tail;
        }
    }

    /// Holds the queue (`true`): every SQE is then taken on the slow path, so that a user of
    /// the cached fast path (the drivers' engine) sees a full queue and takes its own slow
    /// path, where it can do more; or releases it. Entries are handed out as before either way.
    #[cfg(feature = "alloc")]
    pub(crate) fn hold(&mut self, held: bool) {
        self.held = held;
        let head = self.kernel_head();
        self.set_limit(head);
    }

    /// The kernel's SQ head (acquire).
    #[inline]
    fn kernel_head(&self) -> u32 {
        // SAFETY: `head` points into the live ring.
        unsafe { (*self.raw.head).load(Ordering::Acquire) }
    }

    /// SQEs taken and not yet consumed by the kernel (published or not).
    #[inline]
    pub fn len(&self) -> u32 {
        self.tail.wrapping_sub(self.kernel_head())
    }

    /// Whether no SQE is waiting for the kernel.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Free entries: how many more `get_sqe` calls succeed before the kernel consumes any.
    #[inline]
    pub fn space_left(&self) -> u32 {
        self.raw.entries - self.len()
    }

    /// The number of entries in the ring.
    #[inline]
    pub fn capacity(&self) -> u32 {
        self.raw.entries
    }

    /// The kernel's SQ flags word (`IORING_SQ_*`), loaded relaxed.
    #[inline]
    pub fn flags(&self) -> SqRingFlags {
        // SAFETY: `flags` points into the live ring.
        SqRingFlags::from_bits_retain(unsafe { (*self.raw.flags).load(Ordering::Relaxed) })
    }

    /// How many SQEs the kernel dropped as invalid (only with the SQ index array).
    #[inline]
    pub fn dropped(&self) -> u32 {
        // SAFETY: `dropped` points into the live ring.
        unsafe { (*self.raw.dropped).load(Ordering::Relaxed) }
    }
}

/// A batch of SQE takes with the cursor in locals; see [`SubmissionQueue::batch`].
///
/// Dropping it writes the cursor back to the queue; the SQEs are published by the ring's
/// `submit` (or [`SubmissionQueue::sync`]) as usual.
#[derive(Debug)]
pub struct SqBatch<'a> {
    sq: &'a mut SubmissionQueue,
    sqes: *mut Sqe,
    mask: u32,
    tail: u32,
    limit: u32,
}

impl SqBatch<'_> {
    /// Takes the next free SQE, zeroed; `None` when the queue is full. Same contract as
    /// [`SubmissionQueue::get_sqe`].
    #[inline]
    pub fn get_sqe(&mut self) -> Option<&mut Entry> {
        let ptr = if self.tail != self.limit {
            // SAFETY: `tail - head < entries` by the limit's invariant; the masked index is
            // inside the SQE array of 64-byte entries.
            let ptr = unsafe { self.sqes.add((self.tail & self.mask) as usize) };
            self.tail = self.tail.wrapping_add(1);
            ptr
        } else {
            self.sq.tail = self.tail;
            let slot = self.sq.next_slot_slow();
            self.tail = self.sq.tail;
            self.limit = self.sq.limit;
            slot?
        };
        // SAFETY: as in `SubmissionQueue::get_sqe`: the kernel no longer reads this slot and no
        // other reference to it exists.
        // `Entry` is `repr(transparent)` over `Sqe`.
        let sqe = unsafe { &mut *ptr.cast::<Entry>() };
        sqe.raw = Sqe::ZERO;
        Some(sqe)
    }

    /// Free entries left (as [`SubmissionQueue::space_left`], counting this batch's takes).
    #[inline]
    pub fn space_left(&self) -> u32 {
        self.sq.raw.entries - self.tail.wrapping_sub(self.sq.kernel_head())
    }
}

impl Drop for SqBatch<'_> {
    #[inline]
    fn drop(&mut self) {
        self.sq.tail = self.tail;
        self.sq.limit = self.limit;
    }
}
