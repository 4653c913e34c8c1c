//! Reads, writes and the file-data operations around them.
//!
//! `offset` is a byte offset in the file; `u64::MAX` means "the file's current position" (for
//! pipes, sockets and other unseekable files use it or 0). `rw_flags` are `RWF_*` flags.

use super::{prep_rw as rw, reset, select_buffer};
use crate::ring::Entry;
use crate::sys;
use libc::iovec;

/// `IORING_OP_READ`: reads up to `len` bytes from `fd` at `offset` into `buf`.
///
/// # Safety
/// `buf` must be valid for writes of `len` bytes until the CQE is reaped.
#[inline]
pub unsafe fn read(sqe: &mut Entry, fd: i32, buf: *mut u8, len: u32, offset: u64) {
    reset(sqe);
    rw(sqe, sys::IORING_OP_READ, fd, buf as u64, len, offset);
}

/// `IORING_OP_WRITE`: writes `len` bytes from `buf` to `fd` at `offset`.
///
/// # Safety
/// `buf` must be valid for reads of `len` bytes until the CQE is reaped.
#[inline]
pub unsafe fn write(sqe: &mut Entry, fd: i32, buf: *const u8, len: u32, offset: u64) {
    reset(sqe);
    rw(sqe, sys::IORING_OP_WRITE, fd, buf as u64, len, offset);
}

/// `IORING_OP_READ` with a provided buffer: reads up to `len` bytes into a buffer the kernel
/// takes from group `group`; the CQE names it (see [`buffer_id`](super::buffer_id)).
#[inline]
pub fn read_provided(sqe: &mut Entry, fd: i32, len: u32, offset: u64, group: u16) {
    reset(sqe);
    rw(sqe, sys::IORING_OP_READ, fd, 0, len, offset);
    select_buffer(sqe, group);
}

/// `IORING_OP_READV` with `RWF_*` flags: scatters into the `nr` buffers of `iov`.
///
/// # Safety
/// `iov` and every buffer it names must stay valid (buffers for writes) until the CQE is
/// reaped; the `iovec` array itself only until submission on kernels with
/// `IORING_FEAT_SUBMIT_STABLE`.
#[inline]
pub unsafe fn readv(
    sqe: &mut Entry,
    fd: i32,
    iov: *const iovec,
    nr: u32,
    offset: u64,
    rw_flags: i32,
) {
    reset(sqe);
    rw(sqe, sys::IORING_OP_READV, fd, iov as u64, nr, offset);
    sqe.raw.op_flags.rw_flags = rw_flags;
}

/// `IORING_OP_WRITEV` with `RWF_*` flags: gathers from the `nr` buffers of `iov`.
///
/// # Safety
/// As [`readv`], with the buffers valid for reads.
#[inline]
pub unsafe fn writev(
    sqe: &mut Entry,
    fd: i32,
    iov: *const iovec,
    nr: u32,
    offset: u64,
    rw_flags: i32,
) {
    reset(sqe);
    rw(sqe, sys::IORING_OP_WRITEV, fd, iov as u64, nr, offset);
    sqe.raw.op_flags.rw_flags = rw_flags;
}

/// `IORING_OP_READ_FIXED`: reads into `buf`, which lies inside registered buffer `buf_index`.
///
/// # Safety
/// `buf..buf+len` must lie inside registered buffer `buf_index` and stay valid for writes until
/// the CQE is reaped.
#[inline]
pub unsafe fn read_fixed(
    sqe: &mut Entry,
    fd: i32,
    buf: *mut u8,
    len: u32,
    offset: u64,
    buf_index: u16,
) {
    reset(sqe);
    rw(sqe, sys::IORING_OP_READ_FIXED, fd, buf as u64, len, offset);
    sqe.raw.buf.buf_index = buf_index;
}

/// `IORING_OP_WRITE_FIXED`: writes from `buf`, which lies inside registered buffer `buf_index`.
///
/// # Safety
/// As [`read_fixed`], with the memory valid for reads.
#[inline]
pub unsafe fn write_fixed(
    sqe: &mut Entry,
    fd: i32,
    buf: *const u8,
    len: u32,
    offset: u64,
    buf_index: u16,
) {
    reset(sqe);
    rw(sqe, sys::IORING_OP_WRITE_FIXED, fd, buf as u64, len, offset);
    sqe.raw.buf.buf_index = buf_index;
}

/// `IORING_OP_READV_FIXED` (6.15+): a vectored read whose buffers all lie inside registered
/// buffer `buf_index`.
///
/// # Safety
/// As [`readv`]; every buffer must lie inside registered buffer `buf_index`.
#[inline]
pub unsafe fn readv_fixed(
    sqe: &mut Entry,
    fd: i32,
    iov: *const iovec,
    nr: u32,
    offset: u64,
    rw_flags: i32,
    buf_index: u16,
) {
    reset(sqe);
    rw(sqe, sys::IORING_OP_READV_FIXED, fd, iov as u64, nr, offset);
    sqe.raw.op_flags.rw_flags = rw_flags;
    sqe.raw.buf.buf_index = buf_index;
}

/// `IORING_OP_WRITEV_FIXED` (6.15+): a vectored write from buffers inside registered buffer
/// `buf_index`.
///
/// # Safety
/// As [`readv_fixed`], with the buffers valid for reads.
#[inline]
pub unsafe fn writev_fixed(
    sqe: &mut Entry,
    fd: i32,
    iov: *const iovec,
    nr: u32,
    offset: u64,
    rw_flags: i32,
    buf_index: u16,
) {
    reset(sqe);
    rw(sqe, sys::IORING_OP_WRITEV_FIXED, fd, iov as u64, nr, offset);
    sqe.raw.op_flags.rw_flags = rw_flags;
    sqe.raw.buf.buf_index = buf_index;
}

/// `IORING_OP_READ_MULTISHOT` (6.7+): reads from a pollable `fd` (pipe, socket, eventfd) each
/// time it has data, into buffers from provided-buffer group `group`, one CQE per read with
/// [`CqeFlags::MORE`](crate::CqeFlags::MORE) while armed. `len` 0: the buffer's size.
#[inline]
pub fn read_multishot(sqe: &mut Entry, fd: i32, len: u32, offset: u64, group: u16) {
    reset(sqe);
    read_provided(sqe, fd, len, offset, group);
    sqe.raw.opcode = sys::IORING_OP_READ_MULTISHOT;
}

/// `IORING_OP_FSYNC`: flushes `fd` (`datasync`: data only, `IORING_FSYNC_DATASYNC`).
#[inline]
pub fn fsync(sqe: &mut Entry, fd: i32, datasync: bool) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_FSYNC;
    sqe.raw.fd = fd;
    sqe.raw.op_flags.fsync_flags = if datasync {
        sys::IORING_FSYNC_DATASYNC
    } else {
        0
    };
}

/// `IORING_OP_SYNC_FILE_RANGE`: `sync_file_range(fd, offset, len, flags)`.
#[inline]
pub fn sync_file_range(sqe: &mut Entry, fd: i32, offset: u64, len: u32, flags: u32) {
    reset(sqe);
    rw(sqe, sys::IORING_OP_SYNC_FILE_RANGE, fd, 0, len, offset);
    sqe.raw.op_flags.sync_range_flags = flags;
}

/// `IORING_OP_FALLOCATE`: `fallocate(fd, mode, offset, len)`.
#[inline]
pub fn fallocate(sqe: &mut Entry, fd: i32, mode: i32, offset: u64, len: u64) {
    reset(sqe);
    rw(sqe, sys::IORING_OP_FALLOCATE, fd, len, mode as u32, offset);
}

/// `IORING_OP_FADVISE`: `posix_fadvise(fd, offset, len, advice)`.
#[inline]
pub fn fadvise(sqe: &mut Entry, fd: i32, offset: u64, len: u64, advice: i32) {
    reset(sqe);
    rw(sqe, sys::IORING_OP_FADVISE, fd, len, 0, offset);
    sqe.raw.op_flags.fadvise_advice = advice as u32;
}

/// `IORING_OP_MADVISE`: `madvise(addr, len, advice)`.
///
/// # Safety
/// The advice may discard or change the mapping at `addr..addr+len` (`MADV_DONTNEED`,
/// `MADV_FREE`, ...): the caller answers for that memory as for a direct `madvise` call.
#[inline]
pub unsafe fn madvise(sqe: &mut Entry, addr: *mut u8, len: u64, advice: i32) {
    reset(sqe);
    rw(sqe, sys::IORING_OP_MADVISE, -1, addr as u64, 0, len);
    sqe.raw.op_flags.fadvise_advice = advice as u32;
}

/// `IORING_OP_FTRUNCATE` (6.9+): `ftruncate(fd, len)`.
#[inline]
pub fn ftruncate(sqe: &mut Entry, fd: i32, len: u64) {
    reset(sqe);
    rw(sqe, sys::IORING_OP_FTRUNCATE, fd, 0, 0, len);
}
