//! Timeouts: standalone, linked, and their removal and update.
//!
//! `flags` are [`TimeoutFlags`]: `ABS` for an absolute time, `BOOTTIME`/`REALTIME` for the
//! clock (default `CLOCK_MONOTONIC`), `MULTISHOT`, `ETIME_SUCCESS`.

use super::reset;
use crate::ring::Entry;
use crate::sys::{self, TimeoutFlags, Timespec};

/// `IORING_OP_TIMEOUT`: completes with `-ETIME` when `ts` expires, or with 0 once `count`
/// other requests have completed (`count` 0: time only). With `MULTISHOT`, fires `count`
/// times (0: until removed), each with `-ETIME` and `MORE` but the last.
///
/// # Safety
/// `ts` must stay valid until the request has been submitted (the kernel copies it at
/// submission).
#[inline]
pub unsafe fn timeout(sqe: &mut Entry, ts: *const Timespec, count: u32, flags: TimeoutFlags) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_TIMEOUT;
    sqe.raw.fd = -1;
    sqe.raw.addr.addr = ts as u64;
    sqe.raw.len = 1;
    sqe.raw.off.off = count as u64;
    sqe.raw.op_flags.timeout_flags = flags.bits();
}

/// `IORING_OP_TIMEOUT_REMOVE`: cancels the timeout whose `user_data` is `target`; it completes
/// with `-ECANCELED`, this request with 0, or `-ENOENT`/`-EALREADY`.
#[inline]
pub fn timeout_remove(sqe: &mut Entry, target: u64) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_TIMEOUT_REMOVE;
    sqe.raw.fd = -1;
    sqe.raw.addr.addr = target;
}

/// `IORING_OP_TIMEOUT_REMOVE` with `IORING_TIMEOUT_UPDATE` (5.11+): re-arms timeout `target`
/// with `ts` (add `LINK_UPDATE` to `flags` for a link timeout).
///
/// # Safety
/// `ts` must stay valid until the request has been submitted.
#[inline]
pub unsafe fn timeout_update(
    sqe: &mut Entry,
    target: u64,
    ts: *const Timespec,
    flags: TimeoutFlags,
) {
    reset(sqe);
    timeout_remove(sqe, target);
    sqe.raw.off.addr2 = ts as u64;
    sqe.raw.op_flags.timeout_flags = (flags | TimeoutFlags::UPDATE).bits();
}

/// `IORING_OP_LINK_TIMEOUT`: linked after a request (set [`link`](super::SqeOptions::link)
/// on that one), cancels it if it has not completed when `ts` expires: the request then
/// completes with `-ECANCELED` and this one with `-ETIME` (or `-ECANCELED` when the request
/// finished first).
///
/// # Safety
/// `ts` must stay valid until the request has been submitted.
#[inline]
pub unsafe fn link_timeout(sqe: &mut Entry, ts: *const Timespec, flags: TimeoutFlags) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_LINK_TIMEOUT;
    sqe.raw.fd = -1;
    sqe.raw.addr.addr = ts as u64;
    sqe.raw.len = 1;
    sqe.raw.op_flags.timeout_flags = flags.bits();
}
