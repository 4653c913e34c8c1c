//! `IORING_OP_MSG_RING` (5.18+): posting a CQE, or passing a direct descriptor, to another ring.
//!
//! `ring_fd` is the target ring's fd (or a registered file index with
//! [`fixed_file`](super::SqeOptions::fixed_file)). To post no CQE in the sender's ring, set
//! [`skip_success`](super::SqeOptions::skip_success) on the SQE.

use super::slot_index;
use crate::sys::{self, Sqe};

/// Posts a CQE `{ user_data, res }` in the target ring (`flags`: 0; `IORING_MSG_RING_CQE_SKIP`
/// is `-EINVAL` here).
#[inline]
pub fn msg_ring(sqe: &mut Sqe, ring_fd: i32, res: i32, user_data: u64, flags: u32) {
    sqe.opcode = sys::IORING_OP_MSG_RING;
    sqe.fd = ring_fd;
    sqe.addr.addr = sys::IORING_MSG_DATA;
    sqe.len = res as u32;
    sqe.off.off = user_data;
    sqe.op_flags.msg_ring_flags = flags;
}

/// Like [`msg_ring`], with `cqe_flags` as the target CQE's `flags` (6.3+,
/// `IORING_MSG_RING_FLAGS_PASS`).
#[inline]
pub fn msg_ring_cqe_flags(
    sqe: &mut Sqe,
    ring_fd: i32,
    res: i32,
    user_data: u64,
    flags: u32,
    cqe_flags: u32,
) {
    msg_ring(
        sqe,
        ring_fd,
        res,
        user_data,
        flags | sys::IORING_MSG_RING_FLAGS_PASS,
    );
    sqe.file.file_index = cqe_flags;
}

/// Installs this ring's direct descriptor `src_slot` in the target ring's slot `dst_slot`
/// (`IORING_FILE_INDEX_ALLOC`: a free one, named in the target CQE's `res`), and posts a CQE
/// with `user_data` there unless `flags` has `IORING_MSG_RING_CQE_SKIP`. The sender's CQE
/// (`res` 0) says the descriptor was installed.
#[inline]
pub fn msg_ring_fd(
    sqe: &mut Sqe,
    ring_fd: i32,
    src_slot: u32,
    dst_slot: u32,
    user_data: u64,
    flags: u32,
) {
    sqe.opcode = sys::IORING_OP_MSG_RING;
    sqe.fd = ring_fd;
    sqe.addr.addr = sys::IORING_MSG_SEND_FD;
    sqe.off.off = user_data;
    sqe.ext.addr3.addr3 = src_slot as u64;
    sqe.file.file_index = slot_index(dst_slot);
    sqe.op_flags.msg_ring_flags = flags;
}
