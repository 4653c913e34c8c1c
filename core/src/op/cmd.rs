//! `IORING_OP_URING_CMD`: driver-defined commands, and the socket commands built on it.

use super::reset;
use crate::ring::{Entry, Entry128};
use crate::sys;

/// `IORING_OP_URING_CMD`: passes command `cmd_op` to `fd`'s driver; the command's payload goes
/// in `sqe.ext.cmd` (16 bytes, or 80 through an `SQE128` ring's extension), written through
/// [`Entry::sqe_mut`].
///
/// # Safety
/// The driver decides what the command does; it may read any SQE field, the payload
/// included, as an address. The caller promises that whatever memory the command makes the
/// driver read or write stays valid until the CQE is reaped (see [`Entry::sqe_mut`]).
#[inline]
pub unsafe fn uring_cmd(sqe: &mut Entry, fd: i32, cmd_op: u32) {
    reset(sqe);
    set_cmd(sqe, fd, cmd_op);
}

/// The common fields of every `URING_CMD`; the typed commands below add theirs.
#[inline]
fn set_cmd(sqe: &mut Entry, fd: i32, cmd_op: u32) {
    sqe.raw.opcode = sys::IORING_OP_URING_CMD;
    sqe.raw.fd = fd;
    sqe.raw.off.cmd.cmd_op = cmd_op;
}

/// `IORING_OP_URING_CMD` with its 16-byte payload `cmd` in the SQE.
///
/// # Safety
/// As [`uring_cmd`]: every address in `cmd` must stay valid for the driver's use until the
/// CQE is reaped.
#[inline]
pub unsafe fn uring_cmd16(sqe: &mut Entry, fd: i32, cmd_op: u32, cmd: [u8; 16]) {
    reset(sqe);
    set_cmd(sqe, fd, cmd_op);
    sqe.raw.ext.cmd = cmd;
}

/// `IORING_OP_URING_CMD` in a 128-byte SQE (an `SQE128` ring) with its 80-byte payload `cmd`.
///
/// # Safety
/// As [`uring_cmd16`].
#[inline]
pub unsafe fn uring_cmd80(sqe: &mut Entry128, fd: i32, cmd_op: u32, cmd: &[u8; 80]) {
    reset(sqe.entry());
    let (head, tail) = cmd.split_at(16);
    let mut first = [0u8; 16];
    first.copy_from_slice(head);
    set_cmd(sqe.entry(), fd, cmd_op);
    sqe.raw.sqe.ext.cmd = first;
    sqe.raw.cmd_ext.copy_from_slice(tail);
}

/// `BLOCK_URING_CMD_DISCARD` (6.12+): discards `len` bytes at `offset` of the block device
/// `fd` (opened for writing; both aligned to its logical block size).
#[inline]
pub fn cmd_discard(sqe: &mut Entry, fd: i32, offset: u64, len: u64) {
    reset(sqe);
    set_cmd(sqe, fd, sys::BLOCK_URING_CMD_DISCARD);
    sqe.raw.addr.addr = offset;
    sqe.raw.ext.addr3.addr3 = len;
}

/// `SOCKET_URING_OP_SIOCINQ` (6.7+): `res` is the bytes waiting to be read on socket `fd`.
#[inline]
pub fn sock_siocinq(sqe: &mut Entry, fd: i32) {
    reset(sqe);
    set_cmd(sqe, fd, sys::SOCKET_URING_OP_SIOCINQ);
}

/// `SOCKET_URING_OP_SIOCOUTQ` (6.7+): `res` is the bytes not yet sent (or acknowledged) on
/// socket `fd`.
#[inline]
pub fn sock_siocoutq(sqe: &mut Entry, fd: i32) {
    reset(sqe);
    set_cmd(sqe, fd, sys::SOCKET_URING_OP_SIOCOUTQ);
}

#[inline]
fn sockopt(sqe: &mut Entry, cmd: u32, fd: i32, level: i32, name: i32, val: u64, len: u32) {
    set_cmd(sqe, fd, cmd);
    sqe.raw.addr.sockopt.level = level as u32;
    sqe.raw.addr.sockopt.optname = name as u32;
    sqe.raw.ext.optval = val;
    sqe.raw.file.optlen = len;
}

/// `SOCKET_URING_OP_GETSOCKOPT` (6.7+, `SOL_SOCKET` options): reads option `name` of `level`
/// into `val`; `res` is the option's length.
///
/// # Safety
/// `val` must be valid for writes of `len` bytes until the CQE is reaped.
#[inline]
pub unsafe fn sock_getsockopt(
    sqe: &mut Entry,
    fd: i32,
    level: i32,
    name: i32,
    val: *mut u8,
    len: u32,
) {
    reset(sqe);
    sockopt(
        sqe,
        sys::SOCKET_URING_OP_GETSOCKOPT,
        fd,
        level,
        name,
        val as u64,
        len,
    );
}

/// `SOCKET_URING_OP_SETSOCKOPT` (6.7+): sets option `name` of `level` from `val`.
///
/// # Safety
/// `val` must be valid for reads of `len` bytes until the CQE is reaped.
#[inline]
pub unsafe fn sock_setsockopt(
    sqe: &mut Entry,
    fd: i32,
    level: i32,
    name: i32,
    val: *const u8,
    len: u32,
) {
    reset(sqe);
    sockopt(
        sqe,
        sys::SOCKET_URING_OP_SETSOCKOPT,
        fd,
        level,
        name,
        val as u64,
        len,
    );
}
