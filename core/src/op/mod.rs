//! Typed preparers: one per opcode. Each fills an SQE taken from the ring (already zeroed) and
//! touches nothing else; set `user_data` and SQE flags on the SQE afterwards.
//!
//! Preparers that take pointers are `unsafe`: the memory must stay valid, and not be moved or
//! freed, until the request's CQE has been reaped.

use crate::sys::{self, Sqe};

/// `IORING_OP_NOP`: completes with result 0.
#[inline]
pub fn nop(sqe: &mut Sqe) {
    sqe.opcode = sys::IORING_OP_NOP;
}

/// `IORING_OP_READ`: reads up to `len` bytes from `fd` at `offset` into `buf`
/// (`offset` `u64::MAX`: the file position).
///
/// # Safety
/// `buf` must be valid for writes of `len` bytes until the CQE is reaped.
#[inline]
pub unsafe fn read(sqe: &mut Sqe, fd: i32, buf: *mut u8, len: u32, offset: u64) {
    sqe.opcode = sys::IORING_OP_READ;
    sqe.fd = fd;
    sqe.addr.addr = buf as u64;
    sqe.len = len;
    sqe.off.off = offset;
}

/// `IORING_OP_WRITE`: writes `len` bytes from `buf` to `fd` at `offset`
/// (`offset` `u64::MAX`: the file position).
///
/// # Safety
/// `buf` must be valid for reads of `len` bytes until the CQE is reaped.
#[inline]
pub unsafe fn write(sqe: &mut Sqe, fd: i32, buf: *const u8, len: u32, offset: u64) {
    sqe.opcode = sys::IORING_OP_WRITE;
    sqe.fd = fd;
    sqe.addr.addr = buf as u64;
    sqe.len = len;
    sqe.off.off = offset;
}
