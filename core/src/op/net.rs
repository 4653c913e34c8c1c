//! Sockets: creation, connection setup, and the send and receive families.
//!
//! `flags` of sends and receives are `MSG_*` flags. Multishot requests post one CQE per
//! event with [`CqeFlags::MORE`](crate::CqeFlags::MORE) while they stay armed; the last CQE
//! lacks it. Receives with provided buffers take the `group` argument of their preparers (or
//! [`SqeOptions::buffer_select`](super::SqeOptions::buffer_select)).

use super::{prep_rw as prep, reset, select_buffer as select_group, slot_index};
use crate::ring::Entry;
use crate::sys;
use libc::{msghdr, sockaddr, socklen_t};

/// `IORING_OP_SOCKET` (5.19+): `socket(domain, ty, protocol)` (`flags` must be 0); `res` is the
/// new fd.
#[inline]
pub fn socket(sqe: &mut Entry, domain: i32, ty: i32, protocol: i32, flags: u32) {
    reset(sqe);
    prep(
        sqe,
        sys::IORING_OP_SOCKET,
        domain,
        0,
        protocol as u32,
        ty as u64,
    );
    sqe.raw.op_flags.rw_flags = flags as i32;
}

/// `IORING_OP_SOCKET` into direct descriptor slot `slot` (or `IORING_FILE_INDEX_ALLOC`, with
/// the slot in `res`).
#[inline]
pub fn socket_direct(sqe: &mut Entry, domain: i32, ty: i32, protocol: i32, flags: u32, slot: u32) {
    reset(sqe);
    socket(sqe, domain, ty, protocol, flags);
    sqe.raw.file.file_index = slot_index(slot);
}

/// `IORING_OP_CONNECT`: `connect(fd, addr, addrlen)`.
///
/// # Safety
/// `addr` must be valid for reads of `addrlen` bytes until the CQE is reaped.
#[inline]
pub unsafe fn connect(sqe: &mut Entry, fd: i32, addr: *const sockaddr, addrlen: socklen_t) {
    reset(sqe);
    prep(
        sqe,
        sys::IORING_OP_CONNECT,
        fd,
        addr as u64,
        0,
        addrlen as u64,
    );
}

/// `IORING_OP_BIND` (6.11+): `bind(fd, addr, addrlen)`.
///
/// # Safety
/// `addr` must be valid for reads of `addrlen` bytes until the CQE is reaped.
#[inline]
pub unsafe fn bind(sqe: &mut Entry, fd: i32, addr: *const sockaddr, addrlen: socklen_t) {
    reset(sqe);
    prep(sqe, sys::IORING_OP_BIND, fd, addr as u64, 0, addrlen as u64);
}

/// `IORING_OP_LISTEN` (6.11+): `listen(fd, backlog)`.
#[inline]
pub fn listen(sqe: &mut Entry, fd: i32, backlog: u32) {
    reset(sqe);
    prep(sqe, sys::IORING_OP_LISTEN, fd, 0, backlog, 0);
}

/// `IORING_OP_ACCEPT`: `accept4(fd, addr, addrlen, flags)`; `res` is the new fd. `addr` and
/// `addrlen` may both be null.
///
/// # Safety
/// `addr` (for writes of `*addrlen` bytes) and `addrlen` must stay valid until the CQE is
/// reaped.
#[inline]
pub unsafe fn accept(
    sqe: &mut Entry,
    fd: i32,
    addr: *mut sockaddr,
    addrlen: *mut socklen_t,
    flags: i32,
) {
    reset(sqe);
    prep(
        sqe,
        sys::IORING_OP_ACCEPT,
        fd,
        addr as u64,
        0,
        addrlen as u64,
    );
    sqe.raw.op_flags.accept_flags = flags as u32;
}

/// `IORING_OP_ACCEPT` into direct descriptor slot `slot` (or `IORING_FILE_INDEX_ALLOC`).
///
/// # Safety
/// As [`accept`].
#[inline]
pub unsafe fn accept_direct(
    sqe: &mut Entry,
    fd: i32,
    addr: *mut sockaddr,
    addrlen: *mut socklen_t,
    flags: i32,
    slot: u32,
) {
    reset(sqe);
    // SAFETY: forwarded from the caller.
    unsafe { accept(sqe, fd, addr, addrlen, flags) };
    sqe.raw.file.file_index = slot_index(slot);
}

/// Multishot `IORING_OP_ACCEPT` (5.19+): one CQE per accepted connection, `res` the new fd.
/// No peer address is returned (each connection would overwrite it).
#[inline]
pub fn accept_multishot(sqe: &mut Entry, fd: i32, flags: i32) {
    reset(sqe);
    prep(sqe, sys::IORING_OP_ACCEPT, fd, 0, 0, 0);
    sqe.raw.op_flags.accept_flags = flags as u32;
    sqe.raw.ioprio |= sys::IORING_ACCEPT_MULTISHOT;
}

/// Multishot `IORING_OP_ACCEPT` into direct descriptors the kernel allocates; `res` is each
/// connection's slot.
#[inline]
pub fn accept_multishot_direct(sqe: &mut Entry, fd: i32, flags: i32) {
    reset(sqe);
    accept_multishot(sqe, fd, flags);
    sqe.raw.file.file_index = sys::IORING_FILE_INDEX_ALLOC;
}

/// `IORING_OP_SHUTDOWN`: `shutdown(fd, how)` (`libc::SHUT_*`).
#[inline]
pub fn shutdown(sqe: &mut Entry, fd: i32, how: i32) {
    reset(sqe);
    prep(sqe, sys::IORING_OP_SHUTDOWN, fd, 0, how as u32, 0);
}

/// `IORING_OP_SEND`: `send(fd, buf, len, flags)`.
///
/// # Safety
/// `buf` must be valid for reads of `len` bytes until the CQE is reaped.
#[inline]
pub unsafe fn send(sqe: &mut Entry, fd: i32, buf: *const u8, len: u32, flags: i32) {
    reset(sqe);
    prep(sqe, sys::IORING_OP_SEND, fd, buf as u64, len, 0);
    sqe.raw.op_flags.msg_flags = flags as u32;
}

/// `IORING_OP_SEND` with a destination (6.0+): `sendto(fd, buf, len, flags, addr, addrlen)`.
///
/// # Safety
/// `buf` (for `len` bytes) and `addr` (for `addrlen` bytes) must stay valid until the CQE is
/// reaped.
#[inline]
pub unsafe fn sendto(
    sqe: &mut Entry,
    fd: i32,
    buf: *const u8,
    len: u32,
    flags: i32,
    addr: *const sockaddr,
    addrlen: socklen_t,
) {
    reset(sqe);
    // SAFETY: forwarded from the caller.
    unsafe { send(sqe, fd, buf, len, flags) };
    sqe.raw.off.addr2 = addr as u64;
    sqe.raw.file.addr_len.addr_len = addrlen as u16;
}

/// `IORING_OP_SEND` with `IORING_RECVSEND_BUNDLE` (6.10+): sends up to `len` bytes (0: as
/// many as are queued) taken from several buffers of provided-buffer group `group` at once.
#[inline]
pub fn send_bundle(sqe: &mut Entry, fd: i32, len: u32, flags: i32, group: u16) {
    reset(sqe);
    prep(sqe, sys::IORING_OP_SEND, fd, 0, len, 0);
    sqe.raw.op_flags.msg_flags = flags as u32;
    sqe.raw.ioprio |= sys::IORING_RECVSEND_BUNDLE;
    select_group(sqe, group);
}

/// `IORING_OP_SENDMSG`: `sendmsg(fd, msg, flags)`.
///
/// # Safety
/// `msg` and everything it points to must stay valid until the CQE is reaped.
#[inline]
pub unsafe fn sendmsg(sqe: &mut Entry, fd: i32, msg: *const msghdr, flags: i32) {
    reset(sqe);
    prep(sqe, sys::IORING_OP_SENDMSG, fd, msg as u64, 1, 0);
    sqe.raw.op_flags.msg_flags = flags as u32;
}

/// `IORING_OP_SEND_ZC` (6.0+): a zero-copy send. Two CQEs: the result (with
/// [`CqeFlags::MORE`](crate::CqeFlags::MORE)), then a notification
/// ([`CqeFlags::NOTIF`](crate::CqeFlags::NOTIF)) once the kernel no longer reads `buf`.
/// `zc_flags`: `IORING_RECVSEND_POLL_FIRST`, `IORING_SEND_ZC_REPORT_USAGE`.
///
/// # Safety
/// `buf` must be valid for reads of `len` bytes until the notification CQE is reaped.
#[inline]
pub unsafe fn send_zc(
    sqe: &mut Entry,
    fd: i32,
    buf: *const u8,
    len: u32,
    flags: i32,
    zc_flags: u16,
) {
    reset(sqe);
    prep(sqe, sys::IORING_OP_SEND_ZC, fd, buf as u64, len, 0);
    sqe.raw.op_flags.msg_flags = flags as u32;
    sqe.raw.ioprio = zc_flags;
}

/// [`send_zc`] from registered buffer `buf_index` (`buf` lies inside it).
///
/// # Safety
/// As [`send_zc`]; `buf..buf+len` must lie inside registered buffer `buf_index`.
#[inline]
pub unsafe fn send_zc_fixed(
    sqe: &mut Entry,
    fd: i32,
    buf: *const u8,
    len: u32,
    flags: i32,
    zc_flags: u16,
    buf_index: u16,
) {
    reset(sqe);
    // SAFETY: forwarded from the caller.
    unsafe { send_zc(sqe, fd, buf, len, flags, zc_flags) };
    sqe.raw.ioprio |= sys::IORING_RECVSEND_FIXED_BUF;
    sqe.raw.buf.buf_index = buf_index;
}

/// `IORING_OP_SENDMSG_ZC` (6.1+): [`sendmsg`] without copying, with the notification CQE of
/// [`send_zc`].
///
/// # Safety
/// `msg` and its buffers must stay valid until the notification CQE is reaped.
#[inline]
pub unsafe fn sendmsg_zc(sqe: &mut Entry, fd: i32, msg: *const msghdr, flags: i32) {
    reset(sqe);
    prep(sqe, sys::IORING_OP_SENDMSG_ZC, fd, msg as u64, 1, 0);
    sqe.raw.op_flags.msg_flags = flags as u32;
}

/// [`sendmsg_zc`] whose iovecs all lie inside registered buffer `buf_index` (6.10+).
///
/// # Safety
/// As [`sendmsg_zc`]; every iovec must lie inside registered buffer `buf_index`.
#[inline]
pub unsafe fn sendmsg_zc_fixed(
    sqe: &mut Entry,
    fd: i32,
    msg: *const msghdr,
    flags: i32,
    buf_index: u16,
) {
    reset(sqe);
    // SAFETY: forwarded from the caller.
    unsafe { sendmsg_zc(sqe, fd, msg, flags) };
    sqe.raw.ioprio |= sys::IORING_RECVSEND_FIXED_BUF;
    sqe.raw.buf.buf_index = buf_index;
}

/// `IORING_OP_RECV`: `recv(fd, buf, len, flags)`.
///
/// # Safety
/// `buf` must be valid for writes of `len` bytes until the CQE is reaped.
#[inline]
pub unsafe fn recv(sqe: &mut Entry, fd: i32, buf: *mut u8, len: u32, flags: i32) {
    reset(sqe);
    prep(sqe, sys::IORING_OP_RECV, fd, buf as u64, len, 0);
    sqe.raw.op_flags.msg_flags = flags as u32;
}

/// `IORING_OP_RECV` into a buffer from provided-buffer group `group` (`len` 0: the buffer's
/// size); the CQE names the buffer.
#[inline]
pub fn recv_provided(sqe: &mut Entry, fd: i32, len: u32, flags: i32, group: u16) {
    reset(sqe);
    prep(sqe, sys::IORING_OP_RECV, fd, 0, len, 0);
    sqe.raw.op_flags.msg_flags = flags as u32;
    select_group(sqe, group);
}

/// Multishot `IORING_OP_RECV` (6.0+): one CQE per receive, each into a buffer from
/// provided-buffer group `group`; ends (no `MORE`) on EOF, error or when buffers run out.
#[inline]
pub fn recv_multishot(sqe: &mut Entry, fd: i32, flags: i32, group: u16) {
    reset(sqe);
    recv_provided(sqe, fd, 0, flags, group);
    sqe.raw.ioprio |= sys::IORING_RECV_MULTISHOT;
}

/// `IORING_OP_RECV` with `IORING_RECVSEND_BUNDLE` (6.10+): fills several buffers of group
/// `group` in one go; the CQE names the first, `res` counts the bytes across all of them.
#[inline]
pub fn recv_bundle(sqe: &mut Entry, fd: i32, flags: i32, group: u16) {
    reset(sqe);
    recv_provided(sqe, fd, 0, flags, group);
    sqe.raw.ioprio |= sys::IORING_RECVSEND_BUNDLE;
}

/// Multishot `IORING_OP_RECV` with `IORING_RECVSEND_BUNDLE` (6.10+): each CQE covers as
/// many buffers of group `group` as the data filled.
#[inline]
pub fn recv_multishot_bundle(sqe: &mut Entry, fd: i32, flags: i32, group: u16) {
    reset(sqe);
    recv_multishot(sqe, fd, flags, group);
    sqe.raw.ioprio |= sys::IORING_RECVSEND_BUNDLE;
}

/// `IORING_OP_RECVMSG`: `recvmsg(fd, msg, flags)`.
///
/// # Safety
/// `msg` and everything it points to must stay valid until the CQE is reaped.
#[inline]
pub unsafe fn recvmsg(sqe: &mut Entry, fd: i32, msg: *mut msghdr, flags: i32) {
    reset(sqe);
    prep(sqe, sys::IORING_OP_RECVMSG, fd, msg as u64, 1, 0);
    sqe.raw.op_flags.msg_flags = flags as u32;
}

/// Multishot `IORING_OP_RECVMSG` (6.0+): each CQE's provided buffer (group `group`) holds a
/// [`RecvmsgOut`](sys::RecvmsgOut) header, room for `msg.msg_namelen` address bytes and
/// `msg.msg_controllen` control bytes, then the payload; split it with
/// [`RecvMsgOutView::parse`](super::RecvMsgOutView::parse). `msg`'s iovecs are ignored.
///
/// # Safety
/// `msg` must stay valid until the last CQE is reaped.
#[inline]
pub unsafe fn recvmsg_multishot(
    sqe: &mut Entry,
    fd: i32,
    msg: *const msghdr,
    flags: i32,
    group: u16,
) {
    reset(sqe);
    prep(sqe, sys::IORING_OP_RECVMSG, fd, msg as u64, 1, 0);
    sqe.raw.op_flags.msg_flags = flags as u32;
    sqe.raw.ioprio |= sys::IORING_RECV_MULTISHOT;
    select_group(sqe, group);
}

/// `IORING_OP_RECV_ZC` (6.15+): zero-copy receive into the area of zero-copy receive queue
/// `ifq_idx` (registered with `IORING_REGISTER_ZCRX_IFQ`; needs a CQE32 ring and a NIC with
/// header split). `len` 0: no limit.
#[inline]
pub fn recv_zc(sqe: &mut Entry, fd: i32, len: u32, flags: i32, ifq_idx: u32) {
    reset(sqe);
    prep(sqe, sys::IORING_OP_RECV_ZC, fd, 0, len, 0);
    sqe.raw.op_flags.msg_flags = flags as u32;
    sqe.raw.ioprio |= sys::IORING_RECV_MULTISHOT;
    sqe.raw.file.zcrx_ifq_idx = ifq_idx;
}
