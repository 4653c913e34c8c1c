//! `IORING_OP_ASYNC_CANCEL`: cancelling requests in flight by `user_data`, fd, opcode or all.
//!
//! A cancelled request completes with `-ECANCELED` (or `-EINTR`); the cancel request completes
//! with 0 (one found), the number found (with `ALL`/`ANY`), `-ENOENT` (none), or `-EALREADY`
//! (found, already running and not interruptible).

use crate::sys::{self, CancelFlags, Opcode, Sqe};

/// Cancels the request whose `user_data` is `target` (with [`CancelFlags::ALL`]: every one).
#[inline]
pub fn cancel(sqe: &mut Sqe, target: u64, flags: CancelFlags) {
    sqe.opcode = sys::IORING_OP_ASYNC_CANCEL;
    sqe.fd = -1;
    sqe.addr.addr = target;
    sqe.op_flags.cancel_flags = flags.bits();
}

/// Cancels requests on `fd` (5.19+); add [`CancelFlags::FD_FIXED`] when `fd` is a registered
/// file index, [`CancelFlags::ALL`] for every match.
#[inline]
pub fn cancel_fd(sqe: &mut Sqe, fd: i32, flags: CancelFlags) {
    sqe.opcode = sys::IORING_OP_ASYNC_CANCEL;
    sqe.fd = fd;
    sqe.op_flags.cancel_flags = (flags | CancelFlags::FD).bits();
}

/// Cancels requests with opcode `opcode` (6.6+); combine with `FD`/`USERDATA` keys (set the
/// fd/target with the other preparers' fields) or add [`CancelFlags::ALL`].
#[inline]
pub fn cancel_op(sqe: &mut Sqe, opcode: Opcode, flags: CancelFlags) {
    sqe.opcode = sys::IORING_OP_ASYNC_CANCEL;
    sqe.fd = -1;
    sqe.len = opcode as u32;
    sqe.op_flags.cancel_flags = (flags | CancelFlags::OP).bits();
}

/// Cancels every request in flight on the ring (5.19+, `IORING_ASYNC_CANCEL_ANY`); `res` is
/// how many were found.
#[inline]
pub fn cancel_any(sqe: &mut Sqe) {
    sqe.opcode = sys::IORING_OP_ASYNC_CANCEL;
    sqe.fd = -1;
    sqe.op_flags.cancel_flags = CancelFlags::ANY.bits();
}
