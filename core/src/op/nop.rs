//! `IORING_OP_NOP`.

use super::reset;
use crate::ring::Entry;
use crate::sys;

/// `IORING_OP_NOP`: completes with result 0.
#[inline]
pub fn nop(sqe: &mut Entry) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_NOP;
}

/// `IORING_OP_NOP` with `IORING_NOP_INJECT_RESULT`: completes with result `res` (for testing
/// error paths; kernels before 6.12 ignore the flag and complete with 0 or `-EINVAL`).
#[inline]
pub fn nop_inject(sqe: &mut Entry, res: i32) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_NOP;
    sqe.raw.op_flags.nop_flags = sys::IORING_NOP_INJECT_RESULT;
    sqe.raw.len = res as u32;
}
