//! Paths and descriptors: open, close, statx, directory-entry operations, extended attributes,
//! registered-file updates and installing a direct descriptor as a regular fd.
//!
//! `dfd` is a directory fd or `libc::AT_FDCWD`; paths are NUL-terminated C strings. The
//! `*_direct` variants create a direct descriptor in registered slot `slot` (see
//! [`SqeOptions::direct_slot`](super::SqeOptions::direct_slot); pass
//! `IORING_FILE_INDEX_ALLOC` for the kernel to pick one and return it in `res`).

use super::{prep_rw as prep, reset, slot_index};
use crate::ring::Entry;
use crate::sys::{self, OpenHow};
use libc::c_char;

/// `IORING_OP_OPENAT`: `openat(dfd, path, flags, mode)`; `res` is the new fd.
///
/// # Safety
/// `path` must point to a NUL-terminated string that stays valid until the CQE is reaped.
#[inline]
pub unsafe fn openat(sqe: &mut Entry, dfd: i32, path: *const c_char, flags: i32, mode: u32) {
    reset(sqe);
    prep(sqe, sys::IORING_OP_OPENAT, dfd, path as u64, mode, 0);
    sqe.raw.op_flags.open_flags = flags as u32;
}

/// `IORING_OP_OPENAT` into direct descriptor slot `slot` (or `IORING_FILE_INDEX_ALLOC`).
///
/// # Safety
/// As [`openat`].
#[inline]
pub unsafe fn openat_direct(
    sqe: &mut Entry,
    dfd: i32,
    path: *const c_char,
    flags: i32,
    mode: u32,
    slot: u32,
) {
    reset(sqe);
    // SAFETY: forwarded from the caller.
    unsafe { openat(sqe, dfd, path, flags, mode) };
    sqe.raw.file.file_index = slot_index(slot);
}

/// `IORING_OP_OPENAT2`: `openat2(dfd, path, how)`; `res` is the new fd.
///
/// # Safety
/// `path` and `how` must stay valid until the CQE is reaped.
#[inline]
pub unsafe fn openat2(sqe: &mut Entry, dfd: i32, path: *const c_char, how: *const OpenHow) {
    reset(sqe);
    let size = core::mem::size_of::<OpenHow>() as u32;
    prep(
        sqe,
        sys::IORING_OP_OPENAT2,
        dfd,
        path as u64,
        size,
        how as u64,
    );
}

/// `IORING_OP_OPENAT2` into direct descriptor slot `slot` (or `IORING_FILE_INDEX_ALLOC`).
///
/// # Safety
/// As [`openat2`].
#[inline]
pub unsafe fn openat2_direct(
    sqe: &mut Entry,
    dfd: i32,
    path: *const c_char,
    how: *const OpenHow,
    slot: u32,
) {
    reset(sqe);
    // SAFETY: forwarded from the caller.
    unsafe { openat2(sqe, dfd, path, how) };
    sqe.raw.file.file_index = slot_index(slot);
}

/// `IORING_OP_CLOSE`: closes the regular fd `fd`.
///
/// # Safety
/// The caller owns `fd` and gives it up: nothing else (a `File`, an `OwnedFd`, a ringcore
/// stream) still holds that number to use or close it later, because once closed the number
/// goes to whatever the process opens next. (The kernel itself refuses to close an io_uring
/// fd this way.)
#[inline]
pub unsafe fn close(sqe: &mut Entry, fd: i32) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_CLOSE;
    sqe.raw.fd = fd;
}

/// `IORING_OP_CLOSE` of the direct descriptor in registered slot `slot`.
#[inline]
pub fn close_direct(sqe: &mut Entry, slot: u32) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_CLOSE;
    sqe.raw.file.file_index = slot_index(slot);
}

/// `IORING_OP_STATX`: `statx(dfd, path, flags, mask, statxbuf)`.
///
/// # Safety
/// `path` and `statxbuf` (valid for writes of a `struct statx`) must stay valid until the CQE
/// is reaped.
#[inline]
pub unsafe fn statx(
    sqe: &mut Entry,
    dfd: i32,
    path: *const c_char,
    flags: i32,
    mask: u32,
    statxbuf: *mut libc::statx,
) {
    reset(sqe);
    prep(
        sqe,
        sys::IORING_OP_STATX,
        dfd,
        path as u64,
        mask,
        statxbuf as u64,
    );
    sqe.raw.op_flags.statx_flags = flags as u32;
}

/// `IORING_OP_RENAMEAT`: `renameat2(old_dfd, old_path, new_dfd, new_path, flags)`.
///
/// # Safety
/// Both paths must stay valid until the CQE is reaped.
#[inline]
pub unsafe fn renameat(
    sqe: &mut Entry,
    old_dfd: i32,
    old_path: *const c_char,
    new_dfd: i32,
    new_path: *const c_char,
    flags: u32,
) {
    reset(sqe);
    let (addr, off) = (old_path as u64, new_path as u64);
    prep(
        sqe,
        sys::IORING_OP_RENAMEAT,
        old_dfd,
        addr,
        new_dfd as u32,
        off,
    );
    sqe.raw.op_flags.rename_flags = flags;
}

/// `IORING_OP_UNLINKAT`: `unlinkat(dfd, path, flags)` (`AT_REMOVEDIR` removes a directory).
///
/// # Safety
/// `path` must stay valid until the CQE is reaped.
#[inline]
pub unsafe fn unlinkat(sqe: &mut Entry, dfd: i32, path: *const c_char, flags: i32) {
    reset(sqe);
    prep(sqe, sys::IORING_OP_UNLINKAT, dfd, path as u64, 0, 0);
    sqe.raw.op_flags.unlink_flags = flags as u32;
}

/// `IORING_OP_MKDIRAT`: `mkdirat(dfd, path, mode)`.
///
/// # Safety
/// `path` must stay valid until the CQE is reaped.
#[inline]
pub unsafe fn mkdirat(sqe: &mut Entry, dfd: i32, path: *const c_char, mode: u32) {
    reset(sqe);
    prep(sqe, sys::IORING_OP_MKDIRAT, dfd, path as u64, mode, 0);
}

/// `IORING_OP_SYMLINKAT`: `symlinkat(target, new_dfd, link_path)`.
///
/// # Safety
/// Both strings must stay valid until the CQE is reaped.
#[inline]
pub unsafe fn symlinkat(
    sqe: &mut Entry,
    target: *const c_char,
    new_dfd: i32,
    link_path: *const c_char,
) {
    reset(sqe);
    let (addr, off) = (target as u64, link_path as u64);
    prep(sqe, sys::IORING_OP_SYMLINKAT, new_dfd, addr, 0, off);
}

/// `IORING_OP_LINKAT`: `linkat(old_dfd, old_path, new_dfd, new_path, flags)`.
///
/// # Safety
/// Both paths must stay valid until the CQE is reaped.
#[inline]
pub unsafe fn linkat(
    sqe: &mut Entry,
    old_dfd: i32,
    old_path: *const c_char,
    new_dfd: i32,
    new_path: *const c_char,
    flags: i32,
) {
    reset(sqe);
    let (addr, off) = (old_path as u64, new_path as u64);
    prep(
        sqe,
        sys::IORING_OP_LINKAT,
        old_dfd,
        addr,
        new_dfd as u32,
        off,
    );
    sqe.raw.op_flags.hardlink_flags = flags as u32;
}

/// `IORING_OP_GETXATTR`: `getxattr(path, name, value, len)`; `res` is the value's length.
///
/// # Safety
/// `path`, `name` and `value` (valid for writes of `len` bytes) must stay valid until the CQE
/// is reaped.
#[inline]
pub unsafe fn getxattr(
    sqe: &mut Entry,
    path: *const c_char,
    name: *const c_char,
    value: *mut u8,
    len: u32,
) {
    reset(sqe);
    prep(
        sqe,
        sys::IORING_OP_GETXATTR,
        0,
        name as u64,
        len,
        value as u64,
    );
    sqe.raw.ext.addr3.addr3 = path as u64;
}

/// `IORING_OP_SETXATTR`: `setxattr(path, name, value, len, flags)`.
///
/// # Safety
/// `path`, `name` and `value` (valid for reads of `len` bytes) must stay valid until the CQE
/// is reaped.
#[inline]
pub unsafe fn setxattr(
    sqe: &mut Entry,
    path: *const c_char,
    name: *const c_char,
    value: *const u8,
    len: u32,
    flags: i32,
) {
    reset(sqe);
    prep(
        sqe,
        sys::IORING_OP_SETXATTR,
        0,
        name as u64,
        len,
        value as u64,
    );
    sqe.raw.ext.addr3.addr3 = path as u64;
    sqe.raw.op_flags.xattr_flags = flags as u32;
}

/// `IORING_OP_FGETXATTR`: `fgetxattr(fd, name, value, len)`; `res` is the value's length.
///
/// # Safety
/// `name` and `value` (valid for writes of `len` bytes) must stay valid until the CQE is
/// reaped.
#[inline]
pub unsafe fn fgetxattr(sqe: &mut Entry, fd: i32, name: *const c_char, value: *mut u8, len: u32) {
    reset(sqe);
    prep(
        sqe,
        sys::IORING_OP_FGETXATTR,
        fd,
        name as u64,
        len,
        value as u64,
    );
}

/// `IORING_OP_FSETXATTR`: `fsetxattr(fd, name, value, len, flags)`.
///
/// # Safety
/// `name` and `value` (valid for reads of `len` bytes) must stay valid until the CQE is
/// reaped.
#[inline]
pub unsafe fn fsetxattr(
    sqe: &mut Entry,
    fd: i32,
    name: *const c_char,
    value: *const u8,
    len: u32,
    flags: i32,
) {
    reset(sqe);
    prep(
        sqe,
        sys::IORING_OP_FSETXATTR,
        fd,
        name as u64,
        len,
        value as u64,
    );
    sqe.raw.op_flags.xattr_flags = flags as u32;
}

/// `IORING_OP_FILES_UPDATE`: puts the `nr` fds of `fds` into registered slots `offset..`
/// (`-1` clears a slot, `IORING_REGISTER_FILES_SKIP` leaves it); `offset`
/// `IORING_FILE_INDEX_ALLOC` picks free slots and writes them back into `fds`. `res` is the
/// number of slots updated.
///
/// # Safety
/// `fds` must stay valid (for writes, with `IORING_FILE_INDEX_ALLOC`) until the CQE is reaped.
#[inline]
pub unsafe fn files_update(sqe: &mut Entry, fds: *mut i32, nr: u32, offset: u32) {
    reset(sqe);
    prep(
        sqe,
        sys::IORING_OP_FILES_UPDATE,
        -1,
        fds as u64,
        nr,
        offset as u64,
    );
}

/// `IORING_OP_FIXED_FD_INSTALL` (6.8+): installs the direct descriptor in slot `slot` as a
/// regular fd (`res`), `O_CLOEXEC` unless `flags` has `IORING_FIXED_FD_NO_CLOEXEC`.
#[inline]
pub fn fixed_fd_install(sqe: &mut Entry, slot: u32, flags: u32) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_FIXED_FD_INSTALL;
    sqe.raw.fd = slot as i32;
    sqe.raw.flags |= sys::SqeFlags::FIXED_FILE.bits();
    sqe.raw.op_flags.install_fd_flags = flags;
}
