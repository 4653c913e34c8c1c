//! `IORING_OP_URING_CMD`: driver-defined commands, and the socket commands built on it.

use crate::sys::{self, Sqe, Sqe128};

/// `IORING_OP_URING_CMD`: passes command `cmd_op` to `fd`'s driver; the command's payload goes
/// in `sqe.ext.cmd` (16 bytes, or 80 through an `SQE128` ring's extension).
#[inline]
pub fn uring_cmd(sqe: &mut Sqe, fd: i32, cmd_op: u32) {
    sqe.opcode = sys::IORING_OP_URING_CMD;
    sqe.fd = fd;
    sqe.off.cmd.cmd_op = cmd_op;
}

/// `IORING_OP_URING_CMD` with its 16-byte payload `cmd` in the SQE.
#[inline]
pub fn uring_cmd16(sqe: &mut Sqe, fd: i32, cmd_op: u32, cmd: [u8; 16]) {
    uring_cmd(sqe, fd, cmd_op);
    sqe.ext.cmd = cmd;
}

/// `IORING_OP_URING_CMD` in a 128-byte SQE (an `SQE128` ring) with its 80-byte payload `cmd`.
#[inline]
pub fn uring_cmd80(sqe: &mut Sqe128, fd: i32, cmd_op: u32, cmd: &[u8; 80]) {
    let (head, tail) = cmd.split_at(16);
    let mut first = [0u8; 16];
    first.copy_from_slice(head);
    uring_cmd16(&mut sqe.sqe, fd, cmd_op, first);
    sqe.cmd_ext.copy_from_slice(tail);
}

/// `BLOCK_URING_CMD_DISCARD` (6.12+): discards `len` bytes at `offset` of the block device
/// `fd` (opened for writing; both aligned to its logical block size).
#[inline]
pub fn cmd_discard(sqe: &mut Sqe, fd: i32, offset: u64, len: u64) {
    uring_cmd(sqe, fd, sys::BLOCK_URING_CMD_DISCARD);
    sqe.addr.addr = offset;
    sqe.ext.addr3.addr3 = len;
}

/// `SOCKET_URING_OP_SIOCINQ` (6.7+): `res` is the bytes waiting to be read on socket `fd`.
#[inline]
pub fn sock_siocinq(sqe: &mut Sqe, fd: i32) {
    uring_cmd(sqe, fd, sys::SOCKET_URING_OP_SIOCINQ);
}

/// `SOCKET_URING_OP_SIOCOUTQ` (6.7+): `res` is the bytes not yet sent (or acknowledged) on
/// socket `fd`.
#[inline]
pub fn sock_siocoutq(sqe: &mut Sqe, fd: i32) {
    uring_cmd(sqe, fd, sys::SOCKET_URING_OP_SIOCOUTQ);
}

#[inline]
fn sockopt(sqe: &mut Sqe, cmd: u32, fd: i32, level: i32, name: i32, val: u64, len: u32) {
    uring_cmd(sqe, fd, cmd);
    sqe.addr.sockopt.level = level as u32;
    sqe.addr.sockopt.optname = name as u32;
    sqe.ext.optval = val;
    sqe.file.optlen = len;
}

/// `SOCKET_URING_OP_GETSOCKOPT` (6.7+, `SOL_SOCKET` options): reads option `name` of `level`
/// into `val`; `res` is the option's length.
///
/// # Safety
/// `val` must be valid for writes of `len` bytes until the CQE is reaped.
#[inline]
pub unsafe fn sock_getsockopt(
    sqe: &mut Sqe,
    fd: i32,
    level: i32,
    name: i32,
    val: *mut u8,
    len: u32,
) {
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
    sqe: &mut Sqe,
    fd: i32,
    level: i32,
    name: i32,
    val: *const u8,
    len: u32,
) {
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
