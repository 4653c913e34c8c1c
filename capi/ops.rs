//! One preparer per opcode the core crate has, beyond the three in [`prep`](crate::prep):
//! `ringcore_prep_<name>` wraps `ringcore::op::<name>` with C types and nothing else. Like every
//! preparer, each fills the fields its opcode uses in an SQE that `ringcore_get_sqe` returned
//! zeroed, and ignores a NULL `sqe`; what its pointers name must stay valid until the CQE (for
//! a multishot request: the last one, without `RINGCORE_CQE_F_MORE`). Kernel errors (a bad fd,
//! flag or buffer id, an opcode the kernel lacks) arrive as the CQE's negative `res`.

use crate::ctypes::{
    __kernel_timespec, epoll_event, futex_waitv, iovec, msghdr, open_how, sockaddr, statx,
};
use crate::ffi::{self, prep};
use crate::panic::boundary;
use crate::types::ringcore_sqe;
use core::ffi::{c_char, c_int, c_uint, c_void};
use rc::op;
use rc::sys::{CancelFlags, TimeoutFlags};

/// `IORING_OP_PROVIDE_BUFFERS`: gives the kernel `nr` buffers of `len` bytes each, laid out
/// back to back from `addr`, as buffer ids `bid..bid+nr` of group `group`; `res` is 0 or the
/// number added, depending on the kernel.
#[no_mangle]
pub extern "C" fn ringcore_prep_provide_buffers(
    sqe: *mut ringcore_sqe,
    addr: *mut c_void,
    len: c_uint,
    nr: c_uint,
    group: u16,
    bid: u16,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::provide_buffers(sqe, addr.cast(), len, nr, group, bid) };
    })
}

/// `IORING_OP_REMOVE_BUFFERS`: takes up to `nr` unused buffers of group `group` back; `res` is
/// how many were removed (`-ENOENT`: no such group).
#[no_mangle]
pub extern "C" fn ringcore_prep_remove_buffers(sqe: *mut ringcore_sqe, nr: c_uint, group: u16) {
    prep!(sqe, |sqe| {
        op::remove_buffers(sqe, nr, group);
    })
}

/// Cancels the request whose `user_data` is `target` (with `RINGCORE_CANCEL_ALL`: every one).
#[no_mangle]
pub extern "C" fn ringcore_prep_cancel(sqe: *mut ringcore_sqe, target: u64, flags: c_uint) {
    prep!(sqe, |sqe| {
        op::cancel(sqe, target, CancelFlags::from_bits_retain(flags));
    })
}

/// Cancels requests on `fd` (5.19+); add `RINGCORE_CANCEL_FD_FIXED` when `fd` is a registered
/// file index, `RINGCORE_CANCEL_ALL` for every match.
#[no_mangle]
pub extern "C" fn ringcore_prep_cancel_fd(sqe: *mut ringcore_sqe, fd: c_int, flags: c_uint) {
    prep!(sqe, |sqe| {
        op::cancel_fd(sqe, fd, CancelFlags::from_bits_retain(flags));
    })
}

/// Cancels requests with opcode `opcode` (6.6+); combine with `FD`/`USERDATA` keys (set the
/// fd/target with the other preparers' fields) or add `RINGCORE_CANCEL_ALL`.
#[no_mangle]
pub extern "C" fn ringcore_prep_cancel_op(sqe: *mut ringcore_sqe, opcode: u8, flags: c_uint) {
    prep!(sqe, |sqe| {
        op::cancel_op(sqe, opcode, CancelFlags::from_bits_retain(flags));
    })
}

/// Cancels every request in flight on the ring (5.19+, `IORING_ASYNC_CANCEL_ANY`); `res` is
/// how many were found.
#[no_mangle]
pub extern "C" fn ringcore_prep_cancel_any(sqe: *mut ringcore_sqe) {
    prep!(sqe, |sqe| {
        op::cancel_any(sqe);
    })
}

/// `IORING_OP_URING_CMD`: passes command `cmd_op` to `fd`'s driver; the command's payload goes
/// in `sqe.ext.cmd` (16 bytes, or 80 through an `SQE128` ring's extension).
#[no_mangle]
pub extern "C" fn ringcore_prep_uring_cmd(sqe: *mut ringcore_sqe, fd: c_int, cmd_op: c_uint) {
    prep!(sqe, |sqe| {
        // SAFETY: the C caller answers for the command's payload, which it writes itself.
        unsafe { op::uring_cmd(sqe, fd, cmd_op) };
    })
}

/// `IORING_OP_URING_CMD` with its 16-byte payload `cmd` in the SQE.
#[no_mangle]
pub extern "C" fn ringcore_prep_uring_cmd16(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    cmd_op: c_uint,
    cmd: *const c_void,
) {
    prep!(sqe, |sqe| {
        // SAFETY: `cmd` is NULL (zeros) or 16 readable bytes (the C contract).
        let cmd = unsafe { ffi::bytes::<16>(cmd) };
        // SAFETY: the C caller answers for the addresses its payload carries.
        unsafe { op::uring_cmd16(sqe, fd, cmd_op, cmd) };
    })
}

/// `IORING_OP_URING_CMD` in a 128-byte SQE (an `SQE128` ring) with its 80-byte payload `cmd`.
#[no_mangle]
pub extern "C" fn ringcore_prep_uring_cmd80(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    cmd_op: c_uint,
    cmd: *const c_void,
) {
    boundary!((), {
        // SAFETY: the C contract for `sqe`, which must come from an SQE128 ring.
        if let Some(sqe) = unsafe { ffi::sqe128_mut(sqe) } {
            // SAFETY: `cmd` is NULL (zeros) or 80 readable bytes (the C contract).
            let cmd = unsafe { ffi::bytes::<80>(cmd) };
            // SAFETY: the C caller answers for the addresses its payload carries.
            unsafe { op::uring_cmd80(sqe, fd, cmd_op, &cmd) };
        }
    })
}

/// `BLOCK_URING_CMD_DISCARD` (6.12+): discards `len` bytes at `offset` of the block device
/// `fd` (opened for writing; both aligned to its logical block size).
#[no_mangle]
pub extern "C" fn ringcore_prep_cmd_discard(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    offset: u64,
    len: u64,
) {
    prep!(sqe, |sqe| {
        op::cmd_discard(sqe, fd, offset, len);
    })
}

/// `SOCKET_URING_OP_SIOCINQ` (6.7+): `res` is the bytes waiting to be read on socket `fd`.
#[no_mangle]
pub extern "C" fn ringcore_prep_sock_siocinq(sqe: *mut ringcore_sqe, fd: c_int) {
    prep!(sqe, |sqe| {
        op::sock_siocinq(sqe, fd);
    })
}

/// `SOCKET_URING_OP_SIOCOUTQ` (6.7+): `res` is the bytes not yet sent (or acknowledged) on
/// socket `fd`.
#[no_mangle]
pub extern "C" fn ringcore_prep_sock_siocoutq(sqe: *mut ringcore_sqe, fd: c_int) {
    prep!(sqe, |sqe| {
        op::sock_siocoutq(sqe, fd);
    })
}

/// `SOCKET_URING_OP_GETSOCKOPT` (6.7+, `SOL_SOCKET` options): reads option `name` of `level`
/// into `val`; `res` is the option's length.
#[no_mangle]
pub extern "C" fn ringcore_prep_sock_getsockopt(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    level: c_int,
    name: c_int,
    val: *mut c_void,
    len: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::sock_getsockopt(sqe, fd, level, name, val.cast(), len) };
    })
}

/// `SOCKET_URING_OP_SETSOCKOPT` (6.7+): sets option `name` of `level` from `val`.
#[no_mangle]
pub extern "C" fn ringcore_prep_sock_setsockopt(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    level: c_int,
    name: c_int,
    val: *const c_void,
    len: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::sock_setsockopt(sqe, fd, level, name, val.cast(), len) };
    })
}

/// `IORING_OP_OPENAT`: `openat(dfd, path, flags, mode)`; `res` is the new fd.
#[no_mangle]
pub extern "C" fn ringcore_prep_openat(
    sqe: *mut ringcore_sqe,
    dfd: c_int,
    path: *const c_char,
    flags: c_int,
    mode: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::openat(sqe, dfd, path, flags, mode) };
    })
}

/// `IORING_OP_OPENAT` into direct descriptor slot `slot` (or `IORING_FILE_INDEX_ALLOC`).
#[no_mangle]
pub extern "C" fn ringcore_prep_openat_direct(
    sqe: *mut ringcore_sqe,
    dfd: c_int,
    path: *const c_char,
    flags: c_int,
    mode: c_uint,
    slot: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::openat_direct(sqe, dfd, path, flags, mode, slot) };
    })
}

/// `IORING_OP_OPENAT2`: `openat2(dfd, path, how)`; `res` is the new fd.
#[no_mangle]
pub extern "C" fn ringcore_prep_openat2(
    sqe: *mut ringcore_sqe,
    dfd: c_int,
    path: *const c_char,
    how: *const open_how,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::openat2(sqe, dfd, path, how.cast()) };
    })
}

/// `IORING_OP_OPENAT2` into direct descriptor slot `slot` (or `IORING_FILE_INDEX_ALLOC`).
#[no_mangle]
pub extern "C" fn ringcore_prep_openat2_direct(
    sqe: *mut ringcore_sqe,
    dfd: c_int,
    path: *const c_char,
    how: *const open_how,
    slot: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::openat2_direct(sqe, dfd, path, how.cast(), slot) };
    })
}

/// `IORING_OP_CLOSE`: closes the regular fd `fd`.
#[no_mangle]
pub extern "C" fn ringcore_prep_close(sqe: *mut ringcore_sqe, fd: c_int) {
    prep!(sqe, |sqe| {
        // SAFETY: C has no ownership rules for fds; closing is what the caller asked for.
        unsafe { op::close(sqe, fd) };
    })
}

/// `IORING_OP_CLOSE` of the direct descriptor in registered slot `slot`.
#[no_mangle]
pub extern "C" fn ringcore_prep_close_direct(sqe: *mut ringcore_sqe, slot: c_uint) {
    prep!(sqe, |sqe| {
        op::close_direct(sqe, slot);
    })
}

/// `IORING_OP_STATX`: `statx(dfd, path, flags, mask, statxbuf)`.
#[no_mangle]
pub extern "C" fn ringcore_prep_statx(
    sqe: *mut ringcore_sqe,
    dfd: c_int,
    path: *const c_char,
    flags: c_int,
    mask: c_uint,
    statxbuf: *mut statx,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::statx(sqe, dfd, path, flags, mask, statxbuf.cast()) };
    })
}

/// `IORING_OP_RENAMEAT`: `renameat2(old_dfd, old_path, new_dfd, new_path, flags)`.
#[no_mangle]
pub extern "C" fn ringcore_prep_renameat(
    sqe: *mut ringcore_sqe,
    old_dfd: c_int,
    old_path: *const c_char,
    new_dfd: c_int,
    new_path: *const c_char,
    flags: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::renameat(sqe, old_dfd, old_path, new_dfd, new_path, flags) };
    })
}

/// `IORING_OP_UNLINKAT`: `unlinkat(dfd, path, flags)` (`AT_REMOVEDIR` removes a directory).
#[no_mangle]
pub extern "C" fn ringcore_prep_unlinkat(
    sqe: *mut ringcore_sqe,
    dfd: c_int,
    path: *const c_char,
    flags: c_int,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::unlinkat(sqe, dfd, path, flags) };
    })
}

/// `IORING_OP_MKDIRAT`: `mkdirat(dfd, path, mode)`.
#[no_mangle]
pub extern "C" fn ringcore_prep_mkdirat(
    sqe: *mut ringcore_sqe,
    dfd: c_int,
    path: *const c_char,
    mode: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::mkdirat(sqe, dfd, path, mode) };
    })
}

/// `IORING_OP_SYMLINKAT`: `symlinkat(target, new_dfd, link_path)`.
#[no_mangle]
pub extern "C" fn ringcore_prep_symlinkat(
    sqe: *mut ringcore_sqe,
    target: *const c_char,
    new_dfd: c_int,
    link_path: *const c_char,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::symlinkat(sqe, target, new_dfd, link_path) };
    })
}

/// `IORING_OP_LINKAT`: `linkat(old_dfd, old_path, new_dfd, new_path, flags)`.
#[no_mangle]
pub extern "C" fn ringcore_prep_linkat(
    sqe: *mut ringcore_sqe,
    old_dfd: c_int,
    old_path: *const c_char,
    new_dfd: c_int,
    new_path: *const c_char,
    flags: c_int,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::linkat(sqe, old_dfd, old_path, new_dfd, new_path, flags) };
    })
}

/// `IORING_OP_GETXATTR`: `getxattr(path, name, value, len)`; `res` is the value's length.
#[no_mangle]
pub extern "C" fn ringcore_prep_getxattr(
    sqe: *mut ringcore_sqe,
    path: *const c_char,
    name: *const c_char,
    value: *mut c_void,
    len: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::getxattr(sqe, path, name, value.cast(), len) };
    })
}

/// `IORING_OP_SETXATTR`: `setxattr(path, name, value, len, flags)`.
#[no_mangle]
pub extern "C" fn ringcore_prep_setxattr(
    sqe: *mut ringcore_sqe,
    path: *const c_char,
    name: *const c_char,
    value: *const c_void,
    len: c_uint,
    flags: c_int,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::setxattr(sqe, path, name, value.cast(), len, flags) };
    })
}

/// `IORING_OP_FGETXATTR`: `fgetxattr(fd, name, value, len)`; `res` is the value's length.
#[no_mangle]
pub extern "C" fn ringcore_prep_fgetxattr(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    name: *const c_char,
    value: *mut c_void,
    len: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::fgetxattr(sqe, fd, name, value.cast(), len) };
    })
}

/// `IORING_OP_FSETXATTR`: `fsetxattr(fd, name, value, len, flags)`.
#[no_mangle]
pub extern "C" fn ringcore_prep_fsetxattr(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    name: *const c_char,
    value: *const c_void,
    len: c_uint,
    flags: c_int,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::fsetxattr(sqe, fd, name, value.cast(), len, flags) };
    })
}

/// `IORING_OP_FILES_UPDATE`: puts the `nr` fds of `fds` into registered slots `offset..`
/// (`-1` clears a slot, `IORING_REGISTER_FILES_SKIP` leaves it); `offset`
/// `IORING_FILE_INDEX_ALLOC` picks free slots and writes them back into `fds`. `res` is the
/// number of slots updated.
#[no_mangle]
pub extern "C" fn ringcore_prep_files_update(
    sqe: *mut ringcore_sqe,
    fds: *mut c_int,
    nr: c_uint,
    offset: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::files_update(sqe, fds, nr, offset) };
    })
}

/// `IORING_OP_FIXED_FD_INSTALL` (6.8+): installs the direct descriptor in slot `slot` as a
/// regular fd (`res`), `O_CLOEXEC` unless `flags` has `IORING_FIXED_FD_NO_CLOEXEC`.
#[no_mangle]
pub extern "C" fn ringcore_prep_fixed_fd_install(
    sqe: *mut ringcore_sqe,
    slot: c_uint,
    flags: c_uint,
) {
    prep!(sqe, |sqe| {
        op::fixed_fd_install(sqe, slot, flags);
    })
}

/// Posts a CQE `{ user_data, res }` in the target ring (`flags`: 0; `IORING_MSG_RING_CQE_SKIP`
/// is `-EINVAL` here).
///
/// The target's owner must expect a CQE with this `user_data`: one naming a request of that
/// ring still in flight (a callback token included) completes it early, and its owner may
/// then free memory the kernel still writes into.
#[no_mangle]
pub extern "C" fn ringcore_prep_msg_ring(
    sqe: *mut ringcore_sqe,
    ring_fd: c_int,
    res: c_int,
    user_data: u64,
    flags: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the C caller promises the target ring expects this `user_data` (see the
        // header: a forged completion token is a forged completion).
        unsafe { op::msg_ring(sqe, ring_fd, res, user_data, flags) };
    })
}

/// Like `msg_ring`, with `cqe_flags` as the target CQE's `flags` (6.3+,
/// `IORING_MSG_RING_FLAGS_PASS`).
#[no_mangle]
pub extern "C" fn ringcore_prep_msg_ring_cqe_flags(
    sqe: *mut ringcore_sqe,
    ring_fd: c_int,
    res: c_int,
    user_data: u64,
    flags: c_uint,
    cqe_flags: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the C caller promises the target ring expects this `user_data` (see the
        // header: a forged completion token is a forged completion).
        unsafe { op::msg_ring_cqe_flags(sqe, ring_fd, res, user_data, flags, cqe_flags) };
    })
}

/// Installs this ring's direct descriptor `src_slot` in the target ring's slot `dst_slot`
/// (`IORING_FILE_INDEX_ALLOC`: a free one, named in the target CQE's `res`), and posts a CQE
/// with `user_data` there unless `flags` has `IORING_MSG_RING_CQE_SKIP`. The sender's CQE
/// (`res` 0) says the descriptor was installed.
#[no_mangle]
pub extern "C" fn ringcore_prep_msg_ring_fd(
    sqe: *mut ringcore_sqe,
    ring_fd: c_int,
    src_slot: c_uint,
    dst_slot: c_uint,
    user_data: u64,
    flags: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the C caller promises the target ring expects this `user_data` (see the
        // header: a forged completion token is a forged completion).
        unsafe { op::msg_ring_fd(sqe, ring_fd, src_slot, dst_slot, user_data, flags) };
    })
}

/// `IORING_OP_SOCKET` (5.19+): `socket(domain, ty, protocol)` (`flags` must be 0); `res` is the
/// new fd.
#[no_mangle]
pub extern "C" fn ringcore_prep_socket(
    sqe: *mut ringcore_sqe,
    domain: c_int,
    ty: c_int,
    protocol: c_int,
    flags: c_uint,
) {
    prep!(sqe, |sqe| {
        op::socket(sqe, domain, ty, protocol, flags);
    })
}

/// `IORING_OP_SOCKET` into direct descriptor slot `slot` (or `IORING_FILE_INDEX_ALLOC`, with
/// the slot in `res`).
#[no_mangle]
pub extern "C" fn ringcore_prep_socket_direct(
    sqe: *mut ringcore_sqe,
    domain: c_int,
    ty: c_int,
    protocol: c_int,
    flags: c_uint,
    slot: c_uint,
) {
    prep!(sqe, |sqe| {
        op::socket_direct(sqe, domain, ty, protocol, flags, slot);
    })
}

/// `IORING_OP_CONNECT`: `connect(fd, addr, addrlen)`.
#[no_mangle]
pub extern "C" fn ringcore_prep_connect(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    addr: *const sockaddr,
    addrlen: u32,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::connect(sqe, fd, addr.cast(), addrlen) };
    })
}

/// `IORING_OP_BIND` (6.11+): `bind(fd, addr, addrlen)`.
#[no_mangle]
pub extern "C" fn ringcore_prep_bind(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    addr: *const sockaddr,
    addrlen: u32,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::bind(sqe, fd, addr.cast(), addrlen) };
    })
}

/// `IORING_OP_LISTEN` (6.11+): `listen(fd, backlog)`.
#[no_mangle]
pub extern "C" fn ringcore_prep_listen(sqe: *mut ringcore_sqe, fd: c_int, backlog: c_uint) {
    prep!(sqe, |sqe| {
        op::listen(sqe, fd, backlog);
    })
}

/// `IORING_OP_ACCEPT`: `accept4(fd, addr, addrlen, flags)`; `res` is the new fd. `addr` and
/// `addrlen` may both be null.
#[no_mangle]
pub extern "C" fn ringcore_prep_accept(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    addr: *mut sockaddr,
    addrlen: *mut u32,
    flags: c_int,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::accept(sqe, fd, addr.cast(), addrlen, flags) };
    })
}

/// `IORING_OP_ACCEPT` into direct descriptor slot `slot` (or `IORING_FILE_INDEX_ALLOC`).
#[no_mangle]
pub extern "C" fn ringcore_prep_accept_direct(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    addr: *mut sockaddr,
    addrlen: *mut u32,
    flags: c_int,
    slot: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::accept_direct(sqe, fd, addr.cast(), addrlen, flags, slot) };
    })
}

/// Multishot `IORING_OP_ACCEPT` (5.19+): one CQE per accepted connection, `res` the new fd.
/// No peer address is returned (each connection would overwrite it).
#[no_mangle]
pub extern "C" fn ringcore_prep_accept_multishot(sqe: *mut ringcore_sqe, fd: c_int, flags: c_int) {
    prep!(sqe, |sqe| {
        op::accept_multishot(sqe, fd, flags);
    })
}

/// Multishot `IORING_OP_ACCEPT` into direct descriptors the kernel allocates; `res` is each
/// connection's slot.
#[no_mangle]
pub extern "C" fn ringcore_prep_accept_multishot_direct(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    flags: c_int,
) {
    prep!(sqe, |sqe| {
        op::accept_multishot_direct(sqe, fd, flags);
    })
}

/// `IORING_OP_SHUTDOWN`: `shutdown(fd, how)` (`SHUT_*`).
#[no_mangle]
pub extern "C" fn ringcore_prep_shutdown(sqe: *mut ringcore_sqe, fd: c_int, how: c_int) {
    prep!(sqe, |sqe| {
        op::shutdown(sqe, fd, how);
    })
}

/// `IORING_OP_SEND`: `send(fd, buf, len, flags)`.
#[no_mangle]
pub extern "C" fn ringcore_prep_send(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    buf: *const c_void,
    len: c_uint,
    flags: c_int,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::send(sqe, fd, buf.cast(), len, flags) };
    })
}

/// `IORING_OP_SEND` with a destination (6.0+): `sendto(fd, buf, len, flags, addr, addrlen)`.
#[no_mangle]
pub extern "C" fn ringcore_prep_sendto(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    buf: *const c_void,
    len: c_uint,
    flags: c_int,
    addr: *const sockaddr,
    addrlen: u32,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::sendto(sqe, fd, buf.cast(), len, flags, addr.cast(), addrlen) };
    })
}

/// `IORING_OP_SEND` with `IORING_RECVSEND_BUNDLE` (6.10+): sends up to `len` bytes (0: as
/// many as are queued) taken from several buffers of provided-buffer group `group` at once.
#[no_mangle]
pub extern "C" fn ringcore_prep_send_bundle(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    len: c_uint,
    flags: c_int,
    group: u16,
) {
    prep!(sqe, |sqe| {
        op::send_bundle(sqe, fd, len, flags, group);
    })
}

/// `IORING_OP_SENDMSG`: `sendmsg(fd, msg, flags)`.
#[no_mangle]
pub extern "C" fn ringcore_prep_sendmsg(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    msg: *const msghdr,
    flags: c_int,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::sendmsg(sqe, fd, msg.cast(), flags) };
    })
}

/// `IORING_OP_SEND_ZC` (6.0+): a zero-copy send. Two CQEs: the result (with
/// `RINGCORE_CQE_F_MORE`), then a notification
/// (`RINGCORE_CQE_F_NOTIF`) once the kernel no longer reads `buf`.
/// `zc_flags`: `IORING_RECVSEND_POLL_FIRST`, `IORING_SEND_ZC_REPORT_USAGE`.
#[no_mangle]
pub extern "C" fn ringcore_prep_send_zc(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    buf: *const c_void,
    len: c_uint,
    flags: c_int,
    zc_flags: u16,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::send_zc(sqe, fd, buf.cast(), len, flags, zc_flags) };
    })
}

/// `send_zc` from registered buffer `buf_index` (`buf` lies inside it).
#[no_mangle]
pub extern "C" fn ringcore_prep_send_zc_fixed(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    buf: *const c_void,
    len: c_uint,
    flags: c_int,
    zc_flags: u16,
    buf_index: u16,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::send_zc_fixed(sqe, fd, buf.cast(), len, flags, zc_flags, buf_index) };
    })
}

/// `IORING_OP_SENDMSG_ZC` (6.1+): `sendmsg` without copying, with the notification CQE of
/// `send_zc`.
#[no_mangle]
pub extern "C" fn ringcore_prep_sendmsg_zc(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    msg: *const msghdr,
    flags: c_int,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::sendmsg_zc(sqe, fd, msg.cast(), flags) };
    })
}

/// `sendmsg_zc` whose iovecs all lie inside registered buffer `buf_index` (6.10+).
#[no_mangle]
pub extern "C" fn ringcore_prep_sendmsg_zc_fixed(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    msg: *const msghdr,
    flags: c_int,
    buf_index: u16,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::sendmsg_zc_fixed(sqe, fd, msg.cast(), flags, buf_index) };
    })
}

/// `IORING_OP_RECV`: `recv(fd, buf, len, flags)`.
#[no_mangle]
pub extern "C" fn ringcore_prep_recv(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    buf: *mut c_void,
    len: c_uint,
    flags: c_int,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::recv(sqe, fd, buf.cast(), len, flags) };
    })
}

/// `IORING_OP_RECV` into a buffer from provided-buffer group `group` (`len` 0: the buffer's
/// size); the CQE names the buffer.
#[no_mangle]
pub extern "C" fn ringcore_prep_recv_provided(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    len: c_uint,
    flags: c_int,
    group: u16,
) {
    prep!(sqe, |sqe| {
        op::recv_provided(sqe, fd, len, flags, group);
    })
}

/// Multishot `IORING_OP_RECV` (6.0+): one CQE per receive, each into a buffer from
/// provided-buffer group `group`; ends (no `MORE`) on EOF, error or when buffers run out.
#[no_mangle]
pub extern "C" fn ringcore_prep_recv_multishot(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    flags: c_int,
    group: u16,
) {
    prep!(sqe, |sqe| {
        op::recv_multishot(sqe, fd, flags, group);
    })
}

/// `IORING_OP_RECV` with `IORING_RECVSEND_BUNDLE` (6.10+): fills several buffers of group
/// `group` in one go; the CQE names the first, `res` counts the bytes across all of them.
#[no_mangle]
pub extern "C" fn ringcore_prep_recv_bundle(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    flags: c_int,
    group: u16,
) {
    prep!(sqe, |sqe| {
        op::recv_bundle(sqe, fd, flags, group);
    })
}

/// Multishot `IORING_OP_RECV` with `IORING_RECVSEND_BUNDLE` (6.10+): each CQE covers as
/// many buffers of group `group` as the data filled.
#[no_mangle]
pub extern "C" fn ringcore_prep_recv_multishot_bundle(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    flags: c_int,
    group: u16,
) {
    prep!(sqe, |sqe| {
        op::recv_multishot_bundle(sqe, fd, flags, group);
    })
}

/// `IORING_OP_RECVMSG`: `recvmsg(fd, msg, flags)`.
#[no_mangle]
pub extern "C" fn ringcore_prep_recvmsg(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    msg: *mut msghdr,
    flags: c_int,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::recvmsg(sqe, fd, msg.cast(), flags) };
    })
}

/// Multishot `IORING_OP_RECVMSG` (6.0+): each CQE's provided buffer (group `group`) holds a
/// `RecvmsgOut` header, room for `msg.msg_namelen` address bytes and
/// `msg.msg_controllen` control bytes, then the payload; split it with
/// the kernel's `struct io_uring_recvmsg_out` layout. `msg`'s iovecs are ignored.
#[no_mangle]
pub extern "C" fn ringcore_prep_recvmsg_multishot(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    msg: *const msghdr,
    flags: c_int,
    group: u16,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::recvmsg_multishot(sqe, fd, msg.cast(), flags, group) };
    })
}

/// `IORING_OP_RECV_ZC` (6.15+): zero-copy receive into the area of zero-copy receive queue
/// `ifq_idx` (registered with `IORING_REGISTER_ZCRX_IFQ`; needs a CQE32 ring and a NIC with
/// header split). `len` 0: no limit.
#[no_mangle]
pub extern "C" fn ringcore_prep_recv_zc(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    len: c_uint,
    flags: c_int,
    ifq_idx: c_uint,
) {
    prep!(sqe, |sqe| {
        op::recv_zc(sqe, fd, len, flags, ifq_idx);
    })
}

/// `IORING_OP_NOP` with `IORING_NOP_INJECT_RESULT`: completes with result `res` (for testing
/// error paths; kernels before 6.12 ignore the flag and complete with 0 or `-EINVAL`).
#[no_mangle]
pub extern "C" fn ringcore_prep_nop_inject(sqe: *mut ringcore_sqe, res: c_int) {
    prep!(sqe, |sqe| {
        op::nop_inject(sqe, res);
    })
}

/// `IORING_OP_SPLICE`: `splice(fd_in, off_in, fd_out, off_out, len, flags)`; one side must be a
/// pipe. An offset of `(uint64_t)-1` means "no offset" (the fd's position; required for pipes).
/// `flags` are `SPLICE_F_*`, plus `SPLICE_F_FD_IN_FIXED` when
/// `fd_in` is a registered file index.
#[no_mangle]
pub extern "C" fn ringcore_prep_splice(
    sqe: *mut ringcore_sqe,
    fd_in: c_int,
    off_in: u64,
    fd_out: c_int,
    off_out: u64,
    len: c_uint,
    flags: c_uint,
) {
    prep!(sqe, |sqe| {
        op::splice(sqe, fd_in, off_in, fd_out, off_out, len, flags);
    })
}

/// `IORING_OP_TEE`: `tee(fd_in, fd_out, len, flags)`: duplicates up to `len` bytes from one
/// pipe into another without consuming them.
#[no_mangle]
pub extern "C" fn ringcore_prep_tee(
    sqe: *mut ringcore_sqe,
    fd_in: c_int,
    fd_out: c_int,
    len: c_uint,
    flags: c_uint,
) {
    prep!(sqe, |sqe| {
        op::tee(sqe, fd_in, fd_out, len, flags);
    })
}

/// `IORING_OP_PIPE` (6.16+): `pipe2(fds, flags)`; the kernel writes the read and write ends
/// into `fds`.
#[no_mangle]
pub extern "C" fn ringcore_prep_pipe(sqe: *mut ringcore_sqe, fds: *mut c_int, flags: c_uint) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::pipe(sqe, fds.cast(), flags) };
    })
}

/// `IORING_OP_PIPE` creating two direct descriptors: slots `slot` and `slot + 1`, or with
/// `IORING_FILE_INDEX_ALLOC` two free slots; the slots are written into `fds`.
#[no_mangle]
pub extern "C" fn ringcore_prep_pipe_direct(
    sqe: *mut ringcore_sqe,
    fds: *mut c_int,
    flags: c_uint,
    slot: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::pipe_direct(sqe, fds.cast(), flags, slot) };
    })
}

/// `IORING_OP_POLL_ADD`: completes once `fd` has one of `events`; `res` is the ready mask.
#[no_mangle]
pub extern "C" fn ringcore_prep_poll_add(sqe: *mut ringcore_sqe, fd: c_int, events: c_uint) {
    prep!(sqe, |sqe| {
        op::poll_add(sqe, fd, events);
    })
}

/// `IORING_OP_POLL_ADD` with `IORING_POLL_ADD_MULTI` (5.13+): stays armed.
#[no_mangle]
pub extern "C" fn ringcore_prep_poll_multishot(sqe: *mut ringcore_sqe, fd: c_int, events: c_uint) {
    prep!(sqe, |sqe| {
        op::poll_multishot(sqe, fd, events);
    })
}

/// `IORING_OP_POLL_REMOVE`: removes the poll whose `user_data` is `target`; the poll
/// completes with `-ECANCELED`, this request with 0 or `-ENOENT`.
#[no_mangle]
pub extern "C" fn ringcore_prep_poll_remove(sqe: *mut ringcore_sqe, target: u64) {
    prep!(sqe, |sqe| {
        op::poll_remove(sqe, target);
    })
}

/// `IORING_OP_POLL_REMOVE` as an update (5.13+): changes the poll `target`'s events to
/// `events` and/or its `user_data` to `new_user_data`, as `flags`
/// (`IORING_POLL_UPDATE_EVENTS`, `IORING_POLL_UPDATE_USER_DATA`, `IORING_POLL_ADD_MULTI`)
/// say.
#[no_mangle]
pub extern "C" fn ringcore_prep_poll_update(
    sqe: *mut ringcore_sqe,
    target: u64,
    new_user_data: u64,
    events: c_uint,
    flags: c_uint,
) {
    prep!(sqe, |sqe| {
        op::poll_update(sqe, target, new_user_data, events, flags);
    })
}

/// `IORING_OP_EPOLL_CTL`: `epoll_ctl(epfd, op, fd, event)`.
#[no_mangle]
pub extern "C" fn ringcore_prep_epoll_ctl(
    sqe: *mut ringcore_sqe,
    epfd: c_int,
    op: c_int,
    fd: c_int,
    event: *const epoll_event,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::epoll_ctl(sqe, epfd, op, fd, event.cast()) };
    })
}

/// `IORING_OP_EPOLL_WAIT` (6.15+): `epoll_wait(epfd, events, max, 0)`, completing when events
/// are ready; `res` is how many were written.
#[no_mangle]
pub extern "C" fn ringcore_prep_epoll_wait(
    sqe: *mut ringcore_sqe,
    epfd: c_int,
    events: *mut epoll_event,
    max: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::epoll_wait(sqe, epfd, events.cast(), max) };
    })
}

/// `IORING_OP_READ` with a provided buffer: reads up to `len` bytes into a buffer the kernel
/// takes from group `group`; the CQE names it (see `buffer_id`).
#[no_mangle]
pub extern "C" fn ringcore_prep_read_provided(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    len: c_uint,
    offset: u64,
    group: u16,
) {
    prep!(sqe, |sqe| {
        op::read_provided(sqe, fd, len, offset, group);
    })
}

/// `IORING_OP_READV` with `RWF_*` flags: scatters into the `nr` buffers of `iov`.
#[no_mangle]
pub extern "C" fn ringcore_prep_readv(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    iov: *const iovec,
    nr: c_uint,
    offset: u64,
    rw_flags: c_int,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::readv(sqe, fd, iov.cast(), nr, offset, rw_flags) };
    })
}

/// `IORING_OP_WRITEV` with `RWF_*` flags: gathers from the `nr` buffers of `iov`.
#[no_mangle]
pub extern "C" fn ringcore_prep_writev(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    iov: *const iovec,
    nr: c_uint,
    offset: u64,
    rw_flags: c_int,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::writev(sqe, fd, iov.cast(), nr, offset, rw_flags) };
    })
}

/// `IORING_OP_READ_FIXED`: reads into `buf`, which lies inside registered buffer `buf_index`.
#[no_mangle]
pub extern "C" fn ringcore_prep_read_fixed(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    buf: *mut c_void,
    len: c_uint,
    offset: u64,
    buf_index: u16,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::read_fixed(sqe, fd, buf.cast(), len, offset, buf_index) };
    })
}

/// `IORING_OP_WRITE_FIXED`: writes from `buf`, which lies inside registered buffer `buf_index`.
#[no_mangle]
pub extern "C" fn ringcore_prep_write_fixed(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    buf: *const c_void,
    len: c_uint,
    offset: u64,
    buf_index: u16,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::write_fixed(sqe, fd, buf.cast(), len, offset, buf_index) };
    })
}

/// `IORING_OP_READV_FIXED` (6.15+): a vectored read whose buffers all lie inside registered
/// buffer `buf_index`.
#[no_mangle]
pub extern "C" fn ringcore_prep_readv_fixed(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    iov: *const iovec,
    nr: c_uint,
    offset: u64,
    rw_flags: c_int,
    buf_index: u16,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::readv_fixed(sqe, fd, iov.cast(), nr, offset, rw_flags, buf_index) };
    })
}

/// `IORING_OP_WRITEV_FIXED` (6.15+): a vectored write from buffers inside registered buffer
/// `buf_index`.
#[no_mangle]
pub extern "C" fn ringcore_prep_writev_fixed(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    iov: *const iovec,
    nr: c_uint,
    offset: u64,
    rw_flags: c_int,
    buf_index: u16,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::writev_fixed(sqe, fd, iov.cast(), nr, offset, rw_flags, buf_index) };
    })
}

/// `IORING_OP_READ_MULTISHOT` (6.7+): reads from a pollable `fd` (pipe, socket, eventfd) each
/// time it has data, into buffers from provided-buffer group `group`, one CQE per read with
/// `RINGCORE_CQE_F_MORE` while armed. `len` 0: the buffer's size.
#[no_mangle]
pub extern "C" fn ringcore_prep_read_multishot(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    len: c_uint,
    offset: u64,
    group: u16,
) {
    prep!(sqe, |sqe| {
        op::read_multishot(sqe, fd, len, offset, group);
    })
}

/// `IORING_OP_FSYNC`: flushes `fd` (`datasync`: data only, `IORING_FSYNC_DATASYNC`).
#[no_mangle]
pub extern "C" fn ringcore_prep_fsync(sqe: *mut ringcore_sqe, fd: c_int, datasync: bool) {
    prep!(sqe, |sqe| {
        op::fsync(sqe, fd, datasync);
    })
}

/// `IORING_OP_SYNC_FILE_RANGE`: `sync_file_range(fd, offset, len, flags)`.
#[no_mangle]
pub extern "C" fn ringcore_prep_sync_file_range(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    offset: u64,
    len: c_uint,
    flags: c_uint,
) {
    prep!(sqe, |sqe| {
        op::sync_file_range(sqe, fd, offset, len, flags);
    })
}

/// `IORING_OP_FALLOCATE`: `fallocate(fd, mode, offset, len)`.
#[no_mangle]
pub extern "C" fn ringcore_prep_fallocate(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    mode: c_int,
    offset: u64,
    len: u64,
) {
    prep!(sqe, |sqe| {
        op::fallocate(sqe, fd, mode, offset, len);
    })
}

/// `IORING_OP_FADVISE`: `posix_fadvise(fd, offset, len, advice)`.
#[no_mangle]
pub extern "C" fn ringcore_prep_fadvise(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    offset: u64,
    len: u64,
    advice: c_int,
) {
    prep!(sqe, |sqe| {
        op::fadvise(sqe, fd, offset, len, advice);
    })
}

/// `IORING_OP_MADVISE`: `madvise(addr, len, advice)`.
#[no_mangle]
pub extern "C" fn ringcore_prep_madvise(
    sqe: *mut ringcore_sqe,
    addr: *mut c_void,
    len: u64,
    advice: c_int,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::madvise(sqe, addr.cast(), len, advice) };
    })
}

/// `IORING_OP_FTRUNCATE` (6.9+): `ftruncate(fd, len)`.
#[no_mangle]
pub extern "C" fn ringcore_prep_ftruncate(sqe: *mut ringcore_sqe, fd: c_int, len: u64) {
    prep!(sqe, |sqe| {
        op::ftruncate(sqe, fd, len);
    })
}

/// `IORING_OP_TIMEOUT`: completes with `-ETIME` when `ts` expires, or with 0 once `count`
/// other requests have completed (`count` 0: time only). With `MULTISHOT`, fires `count`
/// times (0: until removed), each with `-ETIME` and `MORE` but the last.
#[no_mangle]
pub extern "C" fn ringcore_prep_timeout(
    sqe: *mut ringcore_sqe,
    ts: *const __kernel_timespec,
    count: c_uint,
    flags: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::timeout(sqe, ts.cast(), count, TimeoutFlags::from_bits_retain(flags)) };
    })
}

/// `IORING_OP_TIMEOUT_REMOVE`: cancels the timeout whose `user_data` is `target`; it completes
/// with `-ECANCELED`, this request with 0, or `-ENOENT`/`-EALREADY`.
#[no_mangle]
pub extern "C" fn ringcore_prep_timeout_remove(sqe: *mut ringcore_sqe, target: u64) {
    prep!(sqe, |sqe| {
        op::timeout_remove(sqe, target);
    })
}

/// `IORING_OP_TIMEOUT_REMOVE` with `IORING_TIMEOUT_UPDATE` (5.11+): re-arms timeout `target`
/// with `ts` (add `LINK_UPDATE` to `flags` for a link timeout).
#[no_mangle]
pub extern "C" fn ringcore_prep_timeout_update(
    sqe: *mut ringcore_sqe,
    target: u64,
    ts: *const __kernel_timespec,
    flags: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe {
            op::timeout_update(
                sqe,
                target,
                ts.cast(),
                TimeoutFlags::from_bits_retain(flags),
            )
        };
    })
}

/// `IORING_OP_LINK_TIMEOUT`: linked after a request (set `link`
/// on that one), cancels it if it has not completed when `ts` expires: the request then
/// completes with `-ECANCELED` and this one with `-ETIME` (or `-ECANCELED` when the request
/// finished first).
#[no_mangle]
pub extern "C" fn ringcore_prep_link_timeout(
    sqe: *mut ringcore_sqe,
    ts: *const __kernel_timespec,
    flags: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::link_timeout(sqe, ts.cast(), TimeoutFlags::from_bits_retain(flags)) };
    })
}

/// `IORING_OP_FUTEX_WAIT` (6.7+): waits while `*futex == val` until woken by a waker whose
/// bitset meets `mask` (`FUTEX_BITSET_MATCH_ANY`: any); `res` 0 when woken, `-EAGAIN` when
/// the value differed.
#[no_mangle]
pub extern "C" fn ringcore_prep_futex_wait(
    sqe: *mut ringcore_sqe,
    futex: *const u32,
    val: u64,
    mask: u64,
    futex_flags: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::futex_wait(sqe, futex, val, mask, futex_flags) };
    })
}

/// `IORING_OP_FUTEX_WAKE` (6.7+): wakes up to `nr` waiters on `futex` whose bitset meets
/// `mask`; `res` is how many were woken.
#[no_mangle]
pub extern "C" fn ringcore_prep_futex_wake(
    sqe: *mut ringcore_sqe,
    futex: *const u32,
    nr: u64,
    mask: u64,
    futex_flags: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::futex_wake(sqe, futex, nr, mask, futex_flags) };
    })
}

/// `IORING_OP_FUTEX_WAITV` (6.7+): waits on `nr` futexes at once; `res` is the index of the
/// one that woke it.
#[no_mangle]
pub extern "C" fn ringcore_prep_futex_waitv(
    sqe: *mut ringcore_sqe,
    futexv: *const futex_waitv,
    nr: c_uint,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::futex_waitv(sqe, futexv.cast(), nr) };
    })
}

/// `IORING_OP_WAITID` (6.7+): `waitid(idtype, id, infop, options)` without blocking a
/// thread; `res` is 0 when a child changed state.
#[no_mangle]
pub extern "C" fn ringcore_prep_waitid(
    sqe: *mut ringcore_sqe,
    idtype: c_int,
    id: u32,
    infop: *mut c_void,
    options: c_int,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer stores the addresses only; C keeps what they name valid
        // until the CQE (the header's ownership rule).
        unsafe { op::waitid(sqe, idtype as libc::idtype_t, id, infop.cast(), options) };
    })
}

/// Selects a provided buffer from group `group` for this request
/// (`RINGCORE_SQE_BUFFER_SELECT`); the CQE tells which one (`ringcore_cqe_buffer_id`).
/// NULL is ignored.
#[no_mangle]
pub extern "C" fn ringcore_sqe_set_buf_group(sqe: *mut ringcore_sqe, group: u16) {
    prep!(sqe, |sqe| {
        op::SqeOptions::buffer_select(sqe, group);
    })
}

/// Runs the request with the credentials registered as personality `id`. NULL is ignored.
#[no_mangle]
pub extern "C" fn ringcore_sqe_set_personality(sqe: *mut ringcore_sqe, id: u16) {
    prep!(sqe, |sqe| {
        op::SqeOptions::personality(sqe, id);
    })
}

/// Makes an open, accept, socket or pipe request create a direct descriptor in registered
/// slot `slot` instead of a regular fd (`RINGCORE_FILE_INDEX_ALLOC`: the kernel picks a free
/// slot and returns it in `res`). NULL is ignored.
#[no_mangle]
pub extern "C" fn ringcore_sqe_set_direct_slot(sqe: *mut ringcore_sqe, slot: c_uint) {
    prep!(sqe, |sqe| {
        op::SqeOptions::direct_slot(sqe, slot);
    })
}

/// The id of the provided buffer a CQE used (`RINGCORE_CQE_F_BUFFER`), or `-ENOENT` when it
/// used none, or `-EINVAL` for NULL.
#[no_mangle]
pub extern "C" fn ringcore_cqe_buffer_id(cqe: *const crate::types::ringcore_cqe) -> c_int {
    boundary!(crate::panic::PANICKED, {
        // SAFETY: `cqe` is NULL or a CQE pointer from a peek (the C contract).
        match unsafe { ffi::cqe_ref(cqe) } {
            Some(cqe) => op::buffer_id(cqe).map_or(-libc::ENOENT, c_int::from),
            None => -libc::EINVAL,
        }
    })
}
