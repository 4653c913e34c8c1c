//! Readiness: poll requests and epoll.
//!
//! `events` are `POLL*` bits (`libc::POLLIN`, ...). A multishot poll posts one CQE per
//! readiness change, `res` the ready events, with [`CqeFlags::MORE`](crate::CqeFlags::MORE)
//! while armed.

use super::reset;
use crate::ring::Entry;
use crate::sys;

/// The 32-bit poll mask as the kernel reads it: on big-endian machines it loads the field as
/// two swapped 16-bit halves (a leftover of the old 16-bit `poll_events`).
#[inline]
const fn poll_mask(events: u32) -> u32 {
    if cfg!(target_endian = "big") {
        events.rotate_left(16)
    } else {
        events
    }
}

/// `IORING_OP_POLL_ADD`: completes once `fd` has one of `events`; `res` is the ready mask.
#[inline]
pub fn poll_add(sqe: &mut Entry, fd: i32, events: u32) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_POLL_ADD;
    sqe.raw.fd = fd;
    sqe.raw.op_flags.poll32_events = poll_mask(events);
}

/// `IORING_OP_POLL_ADD` with `IORING_POLL_ADD_MULTI` (5.13+): stays armed.
#[inline]
pub fn poll_multishot(sqe: &mut Entry, fd: i32, events: u32) {
    reset(sqe);
    poll_add(sqe, fd, events);
    sqe.raw.len = sys::IORING_POLL_ADD_MULTI;
}

/// `IORING_OP_POLL_REMOVE`: removes the poll whose `user_data` is `target`; the poll
/// completes with `-ECANCELED`, this request with 0 or `-ENOENT`.
#[inline]
pub fn poll_remove(sqe: &mut Entry, target: u64) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_POLL_REMOVE;
    sqe.raw.fd = -1;
    sqe.raw.addr.addr = target;
}

/// `IORING_OP_POLL_REMOVE` as an update (5.13+): changes the poll `target`'s events to
/// `events` and/or its `user_data` to `new_user_data`, as `flags`
/// (`IORING_POLL_UPDATE_EVENTS`, `IORING_POLL_UPDATE_USER_DATA`, `IORING_POLL_ADD_MULTI`)
/// say.
#[inline]
pub fn poll_update(sqe: &mut Entry, target: u64, new_user_data: u64, events: u32, flags: u32) {
    reset(sqe);
    poll_remove(sqe, target);
    sqe.raw.off.off = new_user_data;
    sqe.raw.len = flags;
    sqe.raw.op_flags.poll32_events = poll_mask(events);
}

/// `IORING_OP_EPOLL_CTL`: `epoll_ctl(epfd, op, fd, event)`.
///
/// # Safety
/// `event` must stay valid until the CQE is reaped (it may be null for `EPOLL_CTL_DEL`).
#[inline]
pub unsafe fn epoll_ctl(
    sqe: &mut Entry,
    epfd: i32,
    op: i32,
    fd: i32,
    event: *const libc::epoll_event,
) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_EPOLL_CTL;
    sqe.raw.fd = epfd;
    sqe.raw.addr.addr = event as u64;
    sqe.raw.len = op as u32;
    sqe.raw.off.off = fd as u64;
}

/// `IORING_OP_EPOLL_WAIT` (6.15+): `epoll_wait(epfd, events, max, 0)`, completing when events
/// are ready; `res` is how many were written.
///
/// # Safety
/// `events` must be valid for writes of `max` entries until the CQE is reaped.
#[inline]
pub unsafe fn epoll_wait(sqe: &mut Entry, epfd: i32, events: *mut libc::epoll_event, max: u32) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_EPOLL_WAIT;
    sqe.raw.fd = epfd;
    sqe.raw.addr.addr = events as u64;
    sqe.raw.len = max;
}
