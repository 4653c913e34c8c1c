//! `IORING_OP_URING_CMD`: driver-defined commands, and the socket commands built on it.

use crate::sys::{self, Sqe};

/// `IORING_OP_URING_CMD`: passes command `cmd_op` to `fd`'s driver; the command's payload goes
/// in `sqe.ext.cmd` (16 bytes, or 80 through an `SQE128` ring's extension).
#[inline]
pub fn uring_cmd(sqe: &mut Sqe, fd: i32, cmd_op: u32) {
    sqe.opcode = sys::IORING_OP_URING_CMD;
    sqe.fd = fd;
    sqe.off.cmd.cmd_op = cmd_op;
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
