//! `IORING_OP_NOP`.

use crate::sys::{self, Sqe};

/// `IORING_OP_NOP`: completes with result 0.
#[inline]
pub fn nop(sqe: &mut Sqe) {
    sqe.opcode = sys::IORING_OP_NOP;
}

/// `IORING_OP_NOP` with `IORING_NOP_INJECT_RESULT`: completes with result `res` (for testing
/// error paths; kernels before 6.12 ignore the flag and complete with 0 or `-EINVAL`).
#[inline]
pub fn nop_inject(sqe: &mut Sqe, res: i32) {
    sqe.opcode = sys::IORING_OP_NOP;
    sqe.op_flags.nop_flags = sys::IORING_NOP_INJECT_RESULT;
    sqe.len = res as u32;
}
