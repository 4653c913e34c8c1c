//! Waiting on futexes and on child processes.
//!
//! Futex `futex_flags` are futex2 flags: a size (`FUTEX2_SIZE_U32`) plus `FUTEX2_PRIVATE` for
//! a process-private futex.

use super::reset;
use crate::ring::Entry;
use crate::sys::{self, FutexWaitv};

/// `IORING_OP_FUTEX_WAIT` (6.7+): waits while `*futex == val` until woken by a waker whose
/// bitset meets `mask` (`FUTEX_BITSET_MATCH_ANY`: any); `res` 0 when woken, `-EAGAIN` when
/// the value differed.
///
/// # Safety
/// `futex` must stay valid until the CQE is reaped.
#[inline]
pub unsafe fn futex_wait(
    sqe: &mut Entry,
    futex: *const u32,
    val: u64,
    mask: u64,
    futex_flags: u32,
) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_FUTEX_WAIT;
    sqe.raw.fd = futex_flags as i32;
    sqe.raw.addr.addr = futex as u64;
    sqe.raw.off.off = val;
    sqe.raw.ext.addr3.addr3 = mask;
}

/// `IORING_OP_FUTEX_WAKE` (6.7+): wakes up to `nr` waiters on `futex` whose bitset meets
/// `mask`; `res` is how many were woken.
///
/// # Safety
/// `futex` must be a valid address until the CQE is reaped.
#[inline]
pub unsafe fn futex_wake(sqe: &mut Entry, futex: *const u32, nr: u64, mask: u64, futex_flags: u32) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_FUTEX_WAKE;
    sqe.raw.fd = futex_flags as i32;
    sqe.raw.addr.addr = futex as u64;
    sqe.raw.off.off = nr;
    sqe.raw.ext.addr3.addr3 = mask;
}

/// `IORING_OP_FUTEX_WAITV` (6.7+): waits on `nr` futexes at once; `res` is the index of the
/// one that woke it.
///
/// # Safety
/// `futexv` (`nr` entries) and the futexes it names must stay valid until the CQE is reaped.
#[inline]
pub unsafe fn futex_waitv(sqe: &mut Entry, futexv: *const FutexWaitv, nr: u32) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_FUTEX_WAITV;
    sqe.raw.addr.addr = futexv as u64;
    sqe.raw.len = nr;
}

/// `IORING_OP_WAITID` (6.7+): `waitid(idtype, id, infop, options)` without blocking a
/// thread; `res` is 0 when a child changed state.
///
/// # Safety
/// `infop` (null, or valid for writes of a `siginfo_t`) must stay valid until the CQE is
/// reaped.
#[inline]
pub unsafe fn waitid(
    sqe: &mut Entry,
    idtype: libc::idtype_t,
    id: libc::id_t,
    infop: *mut libc::siginfo_t,
    options: i32,
) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_WAITID;
    sqe.raw.fd = id as i32;
    sqe.raw.len = idtype;
    sqe.raw.off.addr2 = infop as u64;
    sqe.raw.file.file_index = options as u32;
}
