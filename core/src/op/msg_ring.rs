//! `IORING_OP_MSG_RING` (5.18+): posting a CQE, or passing a direct descriptor, to another ring.
//!
//! `ring_fd` is the target ring's fd (or a registered file index with
//! [`fixed_file`](super::SqeOptions::fixed_file)). To post no CQE in the sender's ring, set
//! [`skip_success`](super::SqeOptions::skip_success) on the SQE.
//!
//! # Why these are `unsafe`
//!
//! A posted CQE is indistinguishable from one the kernel posts for a request: whoever reaps
//! the target ring trusts its `user_data` to name a request that has finished. A forged CQE
//! with the key of a request still in flight would make its owner free a buffer the kernel is
//! still writing into. So the caller promises what the target's owner expects.

use super::{reset, slot_index};
use crate::ring::Entry;
use crate::sys;

/// Posts a CQE `{ user_data, res }` in the target ring (`flags`: 0; `IORING_MSG_RING_CQE_SKIP`
/// is `-EINVAL` here).
///
/// # Safety
/// The target ring's owner must expect a CQE with this `user_data`: it names no request of
/// that ring which may still be in flight (for rings run by ringcore's drivers and C callback
/// layer, no key they handed out; choose `user_data` the owner reserves for messages).
#[inline]
pub unsafe fn msg_ring(sqe: &mut Entry, ring_fd: i32, res: i32, user_data: u64, flags: u32) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_MSG_RING;
    sqe.raw.fd = ring_fd;
    sqe.raw.addr.addr = sys::IORING_MSG_DATA;
    sqe.raw.len = res as u32;
    sqe.raw.off.off = user_data;
    sqe.raw.op_flags.msg_ring_flags = flags;
}

/// Like [`msg_ring`], with `cqe_flags` as the target CQE's `flags` (6.3+,
/// `IORING_MSG_RING_FLAGS_PASS`).
///
/// # Safety
/// As [`msg_ring`].
#[inline]
pub unsafe fn msg_ring_cqe_flags(
    sqe: &mut Entry,
    ring_fd: i32,
    res: i32,
    user_data: u64,
    flags: u32,
    cqe_flags: u32,
) {
    reset(sqe);
    // SAFETY: forwarded from the caller.
    unsafe {
        msg_ring(
            sqe,
            ring_fd,
            res,
            user_data,
            flags | sys::IORING_MSG_RING_FLAGS_PASS,
        )
    };
    sqe.raw.file.file_index = cqe_flags;
}

/// Installs this ring's direct descriptor `src_slot` in the target ring's slot `dst_slot`
/// (`IORING_FILE_INDEX_ALLOC`: a free one, named in the target CQE's `res`), and posts a CQE
/// with `user_data` there unless `flags` has `IORING_MSG_RING_CQE_SKIP`. The sender's CQE
/// (`res` 0) says the descriptor was installed.
///
/// # Safety
/// As [`msg_ring`], unless `flags` has `IORING_MSG_RING_CQE_SKIP` (then no CQE is posted in
/// the target ring).
#[inline]
pub unsafe fn msg_ring_fd(
    sqe: &mut Entry,
    ring_fd: i32,
    src_slot: u32,
    dst_slot: u32,
    user_data: u64,
    flags: u32,
) {
    reset(sqe);
    sqe.raw.opcode = sys::IORING_OP_MSG_RING;
    sqe.raw.fd = ring_fd;
    sqe.raw.addr.addr = sys::IORING_MSG_SEND_FD;
    sqe.raw.off.off = user_data;
    sqe.raw.ext.addr3.addr3 = src_slot as u64;
    sqe.raw.file.file_index = slot_index(dst_slot);
    sqe.raw.op_flags.msg_ring_flags = flags;
}
