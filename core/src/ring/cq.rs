//! The completion queue: reads CQEs the kernel posted and hands their slots back.

use crate::sync::{AtomicU32, Ordering};
use crate::sys::{CqRingFlags, Cqe, Cqe32};
use core::marker::PhantomData;

/// Pointers into the shared CQ ring, as the kernel laid them out.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CqRaw {
    pub head: *const AtomicU32,
    pub tail: *const AtomicU32,
    pub overflow: *const AtomicU32,
    /// Null on kernels without a CQ flags word.
    pub flags: *const AtomicU32,
    pub cqes: *const Cqe,
    pub entries: u32,
    /// 1 for 32-byte CQEs, else 0: a CQE index is shifted by this to address `Cqe`s.
    pub cqe_shift: u32,
}

/// The completion queue of a ring.
///
/// Reading is a copy out of shared memory: a CQE is returned by value, so no reference into
/// the ring outlives the slot. The head is stored (release) once per batch: by
/// [`advance`](Self::advance), or when a [`Completions`] iterator is dropped.
#[derive(Debug)]
pub struct CompletionQueue {
    raw: CqRaw,
    mask: u32,
    /// log2 of the CQE size in bytes: 4, or 5 for CQE32 rings.
    size_shift: u32,
}

// SAFETY: the queue owns its view of the shared ring exclusively (one per ring, reached through
// `&mut` for every head update); the pointers stay valid for the ring's life.
unsafe impl Send for CompletionQueue {}
// SAFETY: `&CompletionQueue` methods only load shared words atomically and copy CQEs below the
// acquired tail; moving the head (which frees slots to the kernel) needs `&mut`.
unsafe impl Sync for CompletionQueue {}

impl CompletionQueue {
    /// # Safety
    /// `raw` must point into live ring memory (or a faithful imitation of it) that outlives the
    /// queue, with `entries` a power of two and the CQE array `entries << cqe_shift` long.
    pub(crate) unsafe fn new(raw: CqRaw) -> CompletionQueue {
        CompletionQueue {
            raw,
            mask: raw.entries - 1,
            size_shift: 4 + raw.cqe_shift,
        }
    }

    #[inline]
    fn head(&self) -> u32 {
        // Only this queue writes the head, so a relaxed load sees its own last store.
        // SAFETY: `head` points into the live ring.
        unsafe { (*self.raw.head).load(Ordering::Relaxed) }
    }

    #[inline]
    fn tail(&self) -> u32 {
        // Acquire pairs with the kernel's release store of the tail: the CQEs below it are
        // fully written before we read them.
        // SAFETY: `tail` points into the live ring.
        unsafe { (*self.raw.tail).load(Ordering::Acquire) }
    }

    /// Reads the CQE at ring position `pos`.
    ///
    /// # Safety
    /// `pos` must lie in `[head, tail)` as last loaded, so the kernel has written it and will not
    /// overwrite it until the head moves past it.
    #[inline]
    unsafe fn read(&self, pos: u32) -> Cqe {
        // One shift scales the masked position to bytes: 16 or 32 per entry.
        let offset = ((pos & self.mask) as usize) << self.size_shift;
        // SAFETY: the masked position is inside the CQE array, `offset` is its byte offset; the
        // caller guarantees the entry is posted.
        unsafe { *self.raw.cqes.cast::<u8>().add(offset).cast::<Cqe>() }
    }

    /// The CQEs posted and not yet consumed.
    #[inline]
    pub fn ready(&self) -> u32 {
        self.tail().wrapping_sub(self.head())
    }

    /// Whether no CQE is waiting.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.ready() == 0
    }

    /// A copy of the oldest CQE, without consuming it; `None` when the queue is empty.
    #[inline]
    pub fn peek(&self) -> Option<Cqe> {
        let head = self.head();
        if head == self.tail() {
            return None;
        }
        // SAFETY: `head < tail` as just loaded.
        Some(unsafe { self.read(head) })
    }

    /// A copy of the oldest CQE of a `CQE32` ring, with its extra 16 bytes.
    ///
    /// `None` when the queue is empty or its CQEs are 16 bytes.
    #[inline]
    pub fn peek32(&self) -> Option<Cqe32> {
        if self.raw.cqe_shift == 0 {
            return None;
        }
        let head = self.head();
        if head == self.tail() {
            return None;
        }
        let index = ((head & self.mask) << 1) as usize;
        // SAFETY: `head < tail`; in a CQE32 ring every slot is two `Cqe`s long.
        Some(unsafe { *self.raw.cqes.add(index).cast::<Cqe32>() })
    }

    /// Consumes `n` CQEs: one release store of the head, after which the kernel may reuse the
    /// slots. `n` must not exceed [`ready`](Self::ready) (it is clamped to it).
    #[inline]
    pub fn advance(&mut self, n: u32) {
        let head = self.head();
        let n = n.min(self.tail().wrapping_sub(head));
        // Release: our reads of the consumed CQEs complete before the kernel may overwrite them.
        // SAFETY: `head` points into the live ring; only this queue writes it.
        unsafe { (*self.raw.head).store(head.wrapping_add(n), Ordering::Release) }
    }

    /// Copies up to `out.len()` CQEs into `out` and consumes them; returns how many.
    ///
    /// One acquire load of the tail and one release store of the head for the whole batch.
    #[inline]
    pub fn copy_into(&mut self, out: &mut [Cqe]) -> usize {
        let head = self.head();
        let n = (self.tail().wrapping_sub(head) as usize).min(out.len());
        for (i, slot) in out[..n].iter_mut().enumerate() {
            // SAFETY: `head + i < tail` for every `i < n`.
            *slot = unsafe { self.read(head.wrapping_add(i as u32)) };
        }
        // SAFETY: as in `advance`; `n` entries were read above.
        unsafe { (*self.raw.head).store(head.wrapping_add(n as u32), Ordering::Release) }
        n
    }

    /// An iterator over the CQEs posted so far. The tail is loaded once when it is created; the
    /// head is stored once when it is dropped, consuming every CQE the iterator returned.
    #[inline]
    pub fn completions(&mut self) -> Completions<'_> {
        let head = self.head();
        let tail = self.tail();
        Completions {
            cqes: self.raw.cqes.cast::<u8>(),
            head_word: self.raw.head,
            mask: self.mask,
            size_shift: self.size_shift,
            head,
            tail,
            _cq: PhantomData,
        }
    }

    /// How many CQEs the kernel dropped for lack of room (kernels without `NODROP`).
    #[inline]
    pub fn overflow(&self) -> u32 {
        // SAFETY: `overflow` points into the live ring.
        unsafe { (*self.raw.overflow).load(Ordering::Relaxed) }
    }

    /// The CQ flags word (`IORING_CQ_*`); empty where the kernel has none.
    #[inline]
    pub fn flags(&self) -> CqRingFlags {
        if self.raw.flags.is_null() {
            return CqRingFlags::empty();
        }
        // SAFETY: non-null `flags` points into the live ring.
        CqRingFlags::from_bits_retain(unsafe { (*self.raw.flags).load(Ordering::Relaxed) })
    }

    /// Sets the CQ flags word (e.g. `EVENTFD_DISABLED`). Returns `EINVAL` where the kernel has
    /// no CQ flags word.
    ///
    /// # Errors
    /// `EINVAL`: the ring has no CQ flags word (kernels before 5.8).
    pub fn set_flags(&mut self, flags: CqRingFlags) -> Result<(), crate::Errno> {
        if self.raw.flags.is_null() {
            return Err(crate::Errno::EINVAL);
        }
        // SAFETY: non-null `flags` points into the live ring; the application owns this word.
        unsafe { (*self.raw.flags).store(flags.bits(), Ordering::Relaxed) };
        Ok(())
    }

    /// The number of entries in the ring.
    #[inline]
    pub fn capacity(&self) -> u32 {
        self.raw.entries
    }

    /// A pointer to the CQE at ring position `pos`, for the C API's peek-by-pointer calls.
    ///
    /// The pointer is valid to read while `pos` lies in `[head, tail)` and the head has not been
    /// advanced past it.
    #[inline]
    pub fn cqe_ptr(&self, pos: u32) -> *const Cqe {
        let index = ((pos & self.mask) << self.raw.cqe_shift) as usize;
        self.raw.cqes.wrapping_add(index)
    }

    /// The current head position (for use with [`cqe_ptr`](Self::cqe_ptr)).
    #[inline]
    pub fn head_position(&self) -> u32 {
        self.head()
    }
}

/// Iterator over posted CQEs; see [`CompletionQueue::completions`].
#[derive(Debug)]
pub struct Completions<'a> {
    // The queue's fields it needs, copied, so the loop keeps them in registers.
    cqes: *const u8,
    head_word: *const AtomicU32,
    mask: u32,
    size_shift: u32,
    head: u32,
    tail: u32,
    /// Holds the queue exclusively: nothing else moves the head meanwhile.
    _cq: PhantomData<&'a mut CompletionQueue>,
}

// SAFETY: the iterator stands for a `&mut CompletionQueue` (which is Send): its pointers reach
// the same live ring memory, and only it moves the head while it exists.
unsafe impl Send for Completions<'_> {}
// SAFETY: `&Completions` only reads plain fields; reading CQEs and moving the head need `&mut`.
unsafe impl Sync for Completions<'_> {}

impl Completions<'_> {
    /// Reads the CQE at ring position `pos`.
    ///
    /// # Safety
    /// As [`CompletionQueue::read`]: `pos` lies in `[head, tail)`.
    #[inline]
    unsafe fn read(&self, pos: u32) -> Cqe {
        let offset = ((pos & self.mask) as usize) << self.size_shift;
        // SAFETY: the fields are the queue's own, copied when the iterator was made; the caller
        // guarantees the entry is posted.
        unsafe { *self.cqes.add(offset).cast::<Cqe>() }
    }

    /// Consumes CQEs while `take` accepts them (it sees each in turn and returns false to stop
    /// before one, which then stays next); returns how many it consumed.
    #[inline]
    pub fn consume_while(&mut self, mut take: impl FnMut(&Cqe) -> bool) -> u32 {
        // Locals, so the loop keeps them in registers whatever `take` stores.
        let (cqes, mask, shift, tail) = (self.cqes, self.mask, self.size_shift, self.tail);
        let mut head = self.head;
        while head != tail {
            let offset = ((head & mask) as usize) << shift;
            // SAFETY: `head < tail` as loaded when the iterator was made; the offset is that of
            // a posted entry in the CQE array, as in `read`.
            let cqe = unsafe { *cqes.add(offset).cast::<Cqe>() };
            if !take(&cqe) {
                break;
            }
            head = head.wrapping_add(1);
        }
        let n = head.wrapping_sub(self.head);
        self.head = head;
        n
    }

    /// CQEs left in this batch.
    #[inline]
    pub fn remaining(&self) -> u32 {
        self.tail.wrapping_sub(self.head)
    }
}

impl Iterator for Completions<'_> {
    type Item = Cqe;

    #[inline]
    fn next(&mut self) -> Option<Cqe> {
        if self.head == self.tail {
            return None;
        }
        // SAFETY: `head < tail` as loaded when the iterator was made.
        let cqe = unsafe { self.read(self.head) };
        self.head = self.head.wrapping_add(1);
        Some(cqe)
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.remaining() as usize;
        (n, Some(n))
    }
}

impl ExactSizeIterator for Completions<'_> {}

impl Drop for Completions<'_> {
    #[inline]
    fn drop(&mut self) {
        // Release: reads of the returned CQEs happen before the kernel may reuse their slots.
        // SAFETY: `head` points into the live ring; only this queue writes it.
        unsafe { (*self.head_word).store(self.head, Ordering::Release) }
    }
}
