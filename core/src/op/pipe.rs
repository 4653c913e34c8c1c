//! Moving data between pipes and files: splice, tee, and creating a pipe.

use super::{reset, slot_index};
use crate::ring::Entry;
use crate::sys;

/// `IORING_OP_SPLICE`: `splice(fd_in, off_in, fd_out, off_out, len, flags)`; one side must be a
/// pipe. An offset of `u64::MAX` means "no offset" (the fd's position; required for pipes).
/// `flags` are `SPLICE_F_*`, plus [`SPLICE_F_FD_IN_FIXED`](sys::SPLICE_F_FD_IN_FIXED) when
/// `fd_in` is a registered file index.
#[inline]
pub fn splice(
    sqe: &mut Entry,
    fd_in: i32,
    off_in: u64,
    fd_out: i32,
    off_out: u64,
    len: u32,
    flags: u32,
) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_SPLICE;
    sqe.raw.fd = fd_out;
    sqe.raw.off.off = off_out;
    sqe.raw.addr.splice_off_in = off_in;
    sqe.raw.len = len;
    sqe.raw.file.splice_fd_in = fd_in;
    sqe.raw.op_flags.splice_flags = flags;
}

/// `IORING_OP_TEE`: `tee(fd_in, fd_out, len, flags)`: duplicates up to `len` bytes from one
/// pipe into another without consuming them.
#[inline]
pub fn tee(sqe: &mut Entry, fd_in: i32, fd_out: i32, len: u32, flags: u32) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_TEE;
    sqe.raw.fd = fd_out;
    sqe.raw.len = len;
    sqe.raw.file.splice_fd_in = fd_in;
    sqe.raw.op_flags.splice_flags = flags;
}

/// `IORING_OP_PIPE` (6.16+): `pipe2(fds, flags)`; the kernel writes the read and write ends
/// into `fds`.
///
/// # Safety
/// `fds` must stay valid for writes until the CQE is reaped.
#[inline]
pub unsafe fn pipe(sqe: &mut Entry, fds: *mut [i32; 2], flags: u32) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_PIPE;
    sqe.raw.addr.addr = fds as u64;
    sqe.raw.op_flags.pipe_flags = flags;
}

/// `IORING_OP_PIPE` creating two direct descriptors: slots `slot` and `slot + 1`, or with
/// `IORING_FILE_INDEX_ALLOC` two free slots; the slots are written into `fds`.
///
/// # Safety
/// As [`pipe`].
#[inline]
pub unsafe fn pipe_direct(sqe: &mut Entry, fds: *mut [i32; 2], flags: u32, slot: u32) {
    reset(sqe);
    // SAFETY: forwarded from the caller.
    unsafe { pipe(sqe, fds, flags) };
    sqe.raw.file.file_index = slot_index(slot);
}
