//! Posting a CQE to a ring from outside any ring (`IORING_REGISTER_SEND_MSG_RING`): the
//! synchronous, ring-less form of `IORING_OP_MSG_RING` with `IORING_MSG_DATA`.

use crate::error::Errno;
use crate::sys::{self, Sqe};

/// Posts a CQE with `user_data`, result `res` and CQE flags `cqe_flags` to the ring whose fd is
/// `ring_fd`, without a source ring: one `io_uring_register` call on no ring (fd -1).
///
/// # Errors
/// `EBADFD`: `ring_fd` is not an io_uring (or the ring is disabled); `EBADF`: not an open fd;
/// `EOVERFLOW`: the target's CQ is full and cannot overflow; `EINVAL` on kernels before 6.13.
///
/// # Safety
/// As [`op::msg_ring`](fn@crate::op::msg_ring): the target ring's owner must expect a CQE with
/// this `user_data` (it names no request of that ring that may still be in flight). A forged
/// completion would let the owner free memory the kernel still writes into.
pub unsafe fn send_msg_ring(
    ring_fd: i32,
    user_data: u64,
    res: i32,
    cqe_flags: u32,
) -> Result<(), Errno> {
    let mut sqe = Sqe::ZERO;
    sqe.opcode = sys::IORING_OP_MSG_RING;
    sqe.fd = ring_fd;
    sqe.addr.addr = sys::IORING_MSG_DATA;
    sqe.off.off = user_data;
    sqe.len = res as u32;
    if cqe_flags != 0 {
        sqe.op_flags.msg_ring_flags = sys::IORING_MSG_RING_FLAGS_PASS;
        sqe.file.file_index = cqe_flags;
    }
    // SAFETY: the argument is one valid SQE, read during the call; fd -1 names no ring, as
    // this opcode requires.
    unsafe {
        sys::io_uring_register(
            -1,
            sys::IORING_REGISTER_SEND_MSG_RING,
            (&sqe as *const Sqe).cast(),
            1,
        )
    }
    .map(|_| ())
}
