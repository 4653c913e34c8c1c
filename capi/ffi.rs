//! The one door for raw pointers: every conversion between C pointers and Rust references or
//! owned values happens here, with its NULL check and its reason to be sound.
//!
//! The contract C callers sign (stated once in the header's preamble and the README): a
//! non-NULL `struct ringcore_ring *` came from `ringcore_ring_new` and has not been freed, and
//! is used by one thread at a time; a non-NULL `struct ringcore_sqe *` came from
//! `ringcore_get_sqe` and has not been submitted; out-pointers point to writable memory.

use crate::handle::RingHandle;
use crate::register::ringcore_buf_ring;
use crate::types::{ringcore_cqe, ringcore_sqe};
use rc::register::BufRing;
use rc::sys::Cqe;
use rc::Errno;
use rc::{Entry, Entry128};

/// A ring: its queues, mappings and fd, and the callback registry. Opaque, except that it
/// begins with a `struct ringcore_ring_state`, which the inline fast paths read.
pub struct ringcore_ring {
    _private: [u8; 0],
}

/// Hands a ring to C.
pub(crate) fn ring_into_raw(handle: Box<RingHandle>) -> *mut ringcore_ring {
    Box::into_raw(handle).cast()
}

/// Takes a ring back from C for freeing; `None` for NULL.
///
/// # Safety
/// `ring` is NULL or came from [`ring_into_raw`] and is not used again.
pub(crate) unsafe fn ring_from_raw(ring: *mut ringcore_ring) -> Option<Box<RingHandle>> {
    // SAFETY: non-NULL `ring` is a `Box<RingHandle>` leaked by `ring_into_raw` (caller).
    (!ring.is_null()).then(|| unsafe { Box::from_raw(ring.cast::<RingHandle>()) })
}

/// Hands a provided-buffer ring to C.
pub(crate) fn buf_ring_into_raw(br: Box<BufRing>) -> *mut ringcore_buf_ring {
    Box::into_raw(br).cast()
}

/// Takes a provided-buffer ring back from C for freeing; `None` for NULL.
///
/// # Safety
/// `br` is NULL or came from [`buf_ring_into_raw`] and is not used again.
pub(crate) unsafe fn buf_ring_from_raw(br: *mut ringcore_buf_ring) -> Option<Box<BufRing>> {
    // SAFETY: non-NULL `br` is a `Box<BufRing>` leaked by `buf_ring_into_raw` (caller).
    (!br.is_null()).then(|| unsafe { Box::from_raw(br.cast::<BufRing>()) })
}

/// Borrows a provided-buffer ring; `None` for NULL.
///
/// # Safety
/// `br` is NULL or a live buffer ring from `ringcore_buf_ring_new`, not borrowed elsewhere.
pub(crate) unsafe fn buf_ring_mut<'a>(br: *mut ringcore_buf_ring) -> Option<&'a mut BufRing> {
    // SAFETY: as stated (caller).
    unsafe { br.cast::<BufRing>().as_mut() }
}

/// Borrows a provided-buffer ring for reading; `None` for NULL.
///
/// # Safety
/// As [`buf_ring_mut`].
pub(crate) unsafe fn buf_ring_ref<'a>(br: *const ringcore_buf_ring) -> Option<&'a BufRing> {
    // SAFETY: as stated (caller).
    unsafe { br.cast::<BufRing>().as_ref() }
}

/// Borrows the ring; `EINVAL` for NULL.
///
/// # Safety
/// `ring` is NULL or a live ring from `ringcore_ring_new`, not borrowed elsewhere meanwhile.
#[inline]
pub(crate) unsafe fn ring_mut<'a>(ring: *mut ringcore_ring) -> Result<&'a mut RingHandle, Errno> {
    // SAFETY: non-NULL `ring` points to a live `RingHandle` used by one thread (caller).
    unsafe { ring.cast::<RingHandle>().as_mut() }.ok_or(Errno::EINVAL)
}

/// Borrows the ring for reading; `EINVAL` for NULL.
///
/// # Safety
/// As [`ring_mut`].
#[inline]
pub(crate) unsafe fn ring_ref<'a>(ring: *const ringcore_ring) -> Result<&'a RingHandle, Errno> {
    // SAFETY: as in `ring_mut`.
    unsafe { ring.cast::<RingHandle>().as_ref() }.ok_or(Errno::EINVAL)
}

/// Borrows an SQE as the core crate's [`Entry`] (what its preparers fill); `None` for NULL.
///
/// # Safety
/// `sqe` is NULL or an SQE from `ringcore_get_sqe` not yet submitted.
#[inline]
pub(crate) unsafe fn entry_mut<'a>(sqe: *mut ringcore_sqe) -> Option<&'a mut Entry> {
    // SAFETY: `ringcore_sqe` and `Sqe` have the same size, alignment and field offsets
    // (pinned in `types`), every bit pattern is valid for both, and `Entry` is
    // `repr(transparent)` over `Sqe`; the slot is the caller's.
    unsafe { sqe.cast::<Entry>().as_mut() }
}

/// Borrows an SQE as the C struct (plain fields, the kernel's layout); `None` for NULL.
///
/// # Safety
/// `sqe` is NULL or an SQE from `ringcore_get_sqe` not yet submitted.
#[inline]
pub(crate) unsafe fn csqe_mut<'a>(sqe: *mut ringcore_sqe) -> Option<&'a mut ringcore_sqe> {
    // SAFETY: a live, unsubmitted SQE slot is the caller's (see above); any bit pattern is a
    // valid `ringcore_sqe`.
    unsafe { sqe.as_mut() }
}

/// Borrows a 128-byte SQE; `None` for NULL.
///
/// # Safety
/// `sqe` is NULL or an SQE from `ringcore_get_sqe` of a ring set up with
/// `RINGCORE_SETUP_SQE128` (so 128 bytes are valid behind it), not yet submitted.
#[inline]
pub(crate) unsafe fn sqe128_mut<'a>(sqe: *mut ringcore_sqe) -> Option<&'a mut Entry128> {
    // SAFETY: in an SQE128 ring each slot is a whole `Sqe128` (caller); `Sqe128` is a
    // `repr(C)` `Sqe` followed by plain bytes, valid for any bit pattern, and `Entry128` is
    // `repr(transparent)` over it.
    unsafe { sqe.cast::<Entry128>().as_mut() }
}

/// Copies `N` bytes from `p`, or zeros for NULL.
///
/// # Safety
/// `p` is NULL or valid for reads of `N` bytes.
#[inline]
pub(crate) unsafe fn bytes<const N: usize>(p: *const core::ffi::c_void) -> [u8; N] {
    let mut out = [0u8; N];
    if !p.is_null() {
        // SAFETY: `p` is readable for `N` bytes (caller); `out` is a distinct local.
        unsafe { core::ptr::copy_nonoverlapping(p.cast::<u8>(), out.as_mut_ptr(), N) };
    }
    out
}

/// Borrows a CQE as the core crate's type; `None` for NULL.
///
/// # Safety
/// `cqe` is NULL or a CQE pointer from a peek or wait, not yet consumed.
#[inline]
pub(crate) unsafe fn cqe_ref<'a>(cqe: *const ringcore_cqe) -> Option<&'a Cqe> {
    // SAFETY: `ringcore_cqe` and `Cqe` have the same layout (pinned in `types`).
    unsafe { cqe.cast::<Cqe>().as_ref() }
}

/// Borrows an out-pointer; `EINVAL` for NULL.
///
/// # Safety
/// `out` is NULL or valid for writes of a `T`.
#[inline]
pub(crate) unsafe fn out<'a, T>(out: *mut T) -> Result<&'a mut T, Errno> {
    // SAFETY: non-NULL `out` is writable (caller); `T` here is a pointer or integer, for which
    // any previous contents are a valid value to overwrite.
    unsafe { out.as_mut() }.ok_or(Errno::EINVAL)
}

/// Borrows an input struct; `None` for NULL.
///
/// # Safety
/// `p` is NULL or valid for reads of a `T`.
#[inline]
pub(crate) unsafe fn opt_ref<'a, T>(p: *const T) -> Option<&'a T> {
    // SAFETY: non-NULL `p` is readable (caller).
    unsafe { p.as_ref() }
}

/// Borrows `count` out-slots; `EINVAL` for NULL with a nonzero count.
///
/// # Safety
/// `p` is NULL or valid for writes of `count` elements.
#[inline]
pub(crate) unsafe fn out_slice<'a, T>(p: *mut T, count: u32) -> Result<&'a mut [T], Errno> {
    if count == 0 {
        return Ok(&mut []);
    }
    if p.is_null() {
        return Err(Errno::EINVAL);
    }
    // SAFETY: non-NULL `p` is writable for `count` elements (caller).
    Ok(unsafe { core::slice::from_raw_parts_mut(p, count as usize) })
}

/// The C return value of a result: the value, or the negated errno.
#[inline]
pub(crate) fn int(r: Result<u32, Errno>) -> i32 {
    match r {
        Ok(n) => i32::try_from(n).unwrap_or(i32::MAX),
        Err(e) => -e.raw(),
    }
}

/// The C return value of a unit result: 0, or the negated errno.
#[inline]
pub(crate) fn status(r: Result<(), Errno>) -> i32 {
    match r {
        Ok(()) => 0,
        Err(e) => -e.raw(),
    }
}

/// The body of every `ringcore_prep_*` export: inside the panic boundary, borrow the SQE (a NULL
/// SQE makes the call do nothing) and run `$body` with it bound to `$s`.
macro_rules! prep {
    ($sqe:ident, |$s:ident| $body:block) => {
        $crate::panic::boundary!((), {
            // SAFETY: the C contract of every preparer: `sqe` is NULL or an SQE from
            // `ringcore_get_sqe` that has not been submitted yet.
            if let Some($s) = unsafe { $crate::ffi::entry_mut($sqe) } $body
        })
    };
}

pub(crate) use prep;
