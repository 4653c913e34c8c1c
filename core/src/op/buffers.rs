//! Legacy provided buffers: handing the kernel a group of buffers to pick from, and taking
//! them back. (Provided-buffer rings, the faster kind, are registered in
//! [`register`](crate::register).)

use super::reset;
use crate::ring::Entry;
use crate::sys;

/// `IORING_OP_PROVIDE_BUFFERS`: gives the kernel `nr` buffers of `len` bytes each, laid out
/// back to back from `addr`, as buffer ids `bid..bid+nr` of group `group`; `res` is 0 or the
/// number added, depending on the kernel.
///
/// # Safety
/// The `nr * len` bytes at `addr` must stay valid for writes until each buffer has come back
/// in a CQE or been removed.
#[inline]
pub unsafe fn provide_buffers(
    sqe: &mut Entry,
    addr: *mut u8,
    len: u32,
    nr: u32,
    group: u16,
    bid: u16,
) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_PROVIDE_BUFFERS;
    sqe.raw.fd = nr as i32;
    sqe.raw.addr.addr = addr as u64;
    sqe.raw.len = len;
    sqe.raw.off.off = bid as u64;
    sqe.raw.buf.buf_group = group;
}

/// `IORING_OP_REMOVE_BUFFERS`: takes up to `nr` unused buffers of group `group` back; `res` is
/// how many were removed (`-ENOENT`: no such group).
#[inline]
pub fn remove_buffers(sqe: &mut Entry, nr: u32, group: u16) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_REMOVE_BUFFERS;
    sqe.raw.fd = nr as i32;
    sqe.raw.buf.buf_group = group;
}
