//! `IORING_OP_ASYNC_CANCEL`: cancelling requests in flight by `user_data`, fd, opcode or all.
//!
//! A cancelled request completes with `-ECANCELED` (or `-EINTR`); the cancel request completes
//! with 0 (one found), the number found (with `ALL`/`ANY`), `-ENOENT` (none), or `-EALREADY`
//! (found, already running and not interruptible).

use super::reset;
use crate::ring::Entry;
use crate::sys::{self, CancelFlags, Opcode};

/// Cancels the request whose `user_data` is `target` (with [`CancelFlags::ALL`]: every one).
#[inline]
pub fn cancel(sqe: &mut Entry, target: u64, flags: CancelFlags) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_ASYNC_CANCEL;
    sqe.raw.fd = -1;
    sqe.raw.addr.addr = target;
    sqe.raw.op_flags.cancel_flags = flags.bits();
}

/// Cancels requests on `fd` (5.19+); add [`CancelFlags::FD_FIXED`] when `fd` is a registered
/// file index, [`CancelFlags::ALL`] for every match.
#[inline]
pub fn cancel_fd(sqe: &mut Entry, fd: i32, flags: CancelFlags) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_ASYNC_CANCEL;
    sqe.raw.fd = fd;
    sqe.raw.op_flags.cancel_flags = (flags | CancelFlags::FD).bits();
}

/// Cancels requests with opcode `opcode` (6.6+); combine with `FD`/`USERDATA` keys (set the
/// fd/target with the other preparers' fields) or add [`CancelFlags::ALL`].
#[inline]
pub fn cancel_op(sqe: &mut Entry, opcode: Opcode, flags: CancelFlags) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_ASYNC_CANCEL;
    sqe.raw.fd = -1;
    sqe.raw.len = opcode as u32;
    sqe.raw.op_flags.cancel_flags = (flags | CancelFlags::OP).bits();
}

/// Cancels every request in flight on the ring (5.19+, `IORING_ASYNC_CANCEL_ANY`); `res` is
/// how many were found.
#[inline]
pub fn cancel_any(sqe: &mut Entry) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_ASYNC_CANCEL;
    sqe.raw.fd = -1;
    sqe.raw.op_flags.cancel_flags = CancelFlags::ANY.bits();
}
