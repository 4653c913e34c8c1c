//! [`Entry`]: an SQE as safe code may fill it.
//!
//! The kernel reads an SQE's address, length and offset fields as pointers into the
//! submitter's memory. If safe code could write them, it could send a read into a `Vec` it then
//! frees. So the ring hands out SQEs as `&mut Entry`, which safe code can read in full (it
//! dereferences to [`Sqe`]) but can change only through:
//!
//! - the safe preparers of [`op`](crate::op), for operations that touch no caller memory
//!   (NOP, close, cancel, fsync, provided-buffer reads, ...);
//! - [`SqeOptions`](crate::op::SqeOptions): `user_data`, SQE flags, personality, direct slot;
//! - the `unsafe` preparers, and [`Entry::sqe_mut`] for hand-filled SQEs, whose callers promise
//!   that every address the SQE carries stays valid until the request's last CQE is reaped.

use crate::sys::{Sqe, Sqe128};
use core::ops::Deref;

/// A submission queue entry taken from a ring.
///
/// Safe code fills it through the safe preparers of [`op`](crate::op) and
/// [`SqeOptions`](crate::op::SqeOptions); the `unsafe` preparers and [`Entry::sqe_mut`]
/// write addresses, and their callers vouch for them.
///
/// Reading any field is safe (`Entry` dereferences to [`Sqe`]); writing one that the kernel
/// may read as an address, a length or an offset is not.
///
/// ```
/// use ringcore::op::{self, SqeOptions};
/// use ringcore::Ring;
///
/// let mut ring = Ring::new(4)?;
/// let sqe = ring.get_sqe().expect("room");
/// op::nop(sqe);
/// sqe.user_data(7);
/// assert_eq!(sqe.user_data, 7); // reads go through `Deref<Target = Sqe>`
/// ring.submit_and_wait(1)?;
/// assert_eq!(ring.peek_cqe().map(|c| c.user_data), Some(7));
/// # Ok::<(), ringcore::Errno>(())
/// ```
#[repr(transparent)]
pub struct Entry {
    pub(crate) raw: Sqe,
}

impl Entry {
    /// Views a plain SQE value as an entry (for example, to run a preparer on an SQE on the
    /// stack and inspect it).
    ///
    /// # Safety
    /// Every field of a plain [`Sqe`] is public, so the value may carry any address. Through
    /// the returned `&mut Entry` it can reach a ring slot — `core::mem::swap` with an entry
    /// from [`Ring::get_sqe`](crate::Ring::get_sqe) moves it there — so the caller answers
    /// for `sqe` as for [`sqe_mut`](Self::sqe_mut): if the entry (or anything swapped with
    /// it) is ever submitted, every address it carries must be valid as that method
    /// requires.
    #[inline]
    pub unsafe fn from_sqe_mut(sqe: &mut Sqe) -> &mut Entry {
        // SAFETY: `Entry` is `repr(transparent)` over `Sqe`, so the pointer cast keeps layout
        // and validity; the returned borrow is the argument's.
        unsafe { &mut *(sqe as *mut Sqe).cast::<Entry>() }
    }

    /// The entry's fields, for writing them by hand.
    ///
    /// # Safety
    /// When the entry is submitted, every address it carries (in `addr`, `off`/`addr2`,
    /// `addr3`, `ext`, the command payload of `URING_CMD`, ...) must be valid for the access
    /// its opcode makes (reads, writes, the length in `len` or in the pointed-to structures)
    /// until the request's last CQE has been reaped, and the memory must not be moved or freed
    /// before then. Fields that select kernel-held memory (`buf_index`, `buf_group`) must name
    /// registrations that stay in place as long. The same holds after later changes through
    /// the safe setters: the caller answers for the SQE as it is when submitted.
    #[inline]
    pub unsafe fn sqe_mut(&mut self) -> &mut Sqe {
        &mut self.raw
    }
}

impl Deref for Entry {
    type Target = Sqe;

    #[inline]
    fn deref(&self) -> &Sqe {
        &self.raw
    }
}

impl core::fmt::Debug for Entry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.raw.fmt(f)
    }
}

/// A 128-byte entry of an `IORING_SETUP_SQE128` ring: an [`Entry`] and 64 command bytes.
#[repr(transparent)]
pub struct Entry128 {
    pub(crate) raw: Sqe128,
}

impl Entry128 {
    /// Views a plain 128-byte SQE value as an entry; see [`Entry::from_sqe_mut`].
    ///
    /// # Safety
    /// As [`Entry::from_sqe_mut`]: the caller answers for every address `sqe` (and its 64
    /// command bytes) carries, should it reach a ring slot and be submitted.
    #[inline]
    pub unsafe fn from_sqe128_mut(sqe: &mut Sqe128) -> &mut Entry128 {
        // SAFETY: `Entry128` is `repr(transparent)` over `Sqe128`; the borrow is the argument's.
        unsafe { &mut *(sqe as *mut Sqe128).cast::<Entry128>() }
    }

    /// The first 64 bytes, as an ordinary entry.
    #[inline]
    pub fn entry(&mut self) -> &mut Entry {
        // SAFETY: the bytes are this entry's own, which safe code can only write through
        // `Entry`'s own safe setters; viewing them as an `Entry` adds no way to write more.
        unsafe { Entry::from_sqe_mut(&mut self.raw.sqe) }
    }

    /// The whole 128-byte entry, for writing it by hand.
    ///
    /// # Safety
    /// As [`Entry::sqe_mut`]; the 64 extra bytes are a `URING_CMD` payload, which the target
    /// driver may read as addresses.
    #[inline]
    pub unsafe fn sqe_mut(&mut self) -> &mut Sqe128 {
        &mut self.raw
    }
}

impl Deref for Entry128 {
    type Target = Sqe128;

    #[inline]
    fn deref(&self) -> &Sqe128 {
        &self.raw
    }
}

impl core::fmt::Debug for Entry128 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.raw.fmt(f)
    }
}
