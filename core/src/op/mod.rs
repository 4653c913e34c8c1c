//! Typed preparers: one per opcode variant. Each fills the fields of an SQE taken from the ring
//! (already zeroed) that its opcode owns and touches nothing else; set `user_data`, SQE flags
//! and personality with [`SqeOptions`], before or after. The only SQE flags a preparer sets are
//! the ones its variant requires (`BUFFER_SELECT` for provided-buffer variants, `FIXED_FILE` for
//! [`fixed_fd_install`]), and it only adds those bits.
//!
//! Preparers that take pointers are `unsafe`: the memory must stay valid, and not be moved or
//! freed, until the request's CQE has been reaped (for multishot requests: the last CQE, the one
//! without [`CqeFlags::MORE`](crate::CqeFlags::MORE)). Preparers that take only values are safe.
//!
//! Kernel errors never show up here: a bad fd, buffer id or flag is the CQE's negative `res`.
//!
//! ```
//! use ringcore::op::{self, SqeOptions};
//! use ringcore::Ring;
//!
//! let mut ring = Ring::new(8)?;
//! let mut fds = [0i32; 2];
//! // SAFETY: `fds` has room for the two fds pipe(2) writes.
//! assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
//! let msg = b"linked";
//! let mut back = [0u8; 6];
//! // A write linked to a read: the read starts only once the write has succeeded.
//! // SAFETY: `msg` and `back` outlive both requests (we wait for their CQEs below).
//! unsafe {
//!     op::write(ring.get_sqe().unwrap().user_data(1).link(), fds[1], msg.as_ptr(), 6, 0);
//!     op::read(ring.get_sqe().unwrap().user_data(2), fds[0], back.as_mut_ptr(), 6, 0);
//! }
//! ring.submit_and_wait(2)?;
//! for cqe in ring.completions() {
//!     assert_eq!(cqe.res, 6, "request {}", cqe.user_data);
//! }
//! assert_eq!(&back, msg);
//! # unsafe { libc::close(fds[0]); libc::close(fds[1]); }
//! # Ok::<(), ringcore::Errno>(())
//! ```
//!
//! | module | opcodes |
//! |---|---|
//! | [`rw`](mod@rw) | read/write (plain, vectored, fixed, multishot), fsync, sync_file_range, fallocate, fadvise, madvise, ftruncate |
//! | [`fs`](mod@fs) | openat(2), close, statx, rename/unlink/mkdir/symlink/link, xattrs, files update, fd install |
//! | [`pipe`](mod@pipe) | splice, tee, pipe |
//! | [`net`](mod@net) | socket, bind, listen, accept, connect, shutdown, send/recv families, zero-copy |
//! | [`poll`](mod@poll) | poll add/remove/update, epoll_ctl, epoll_wait |
//! | [`timeout`](mod@timeout) | timeout, timeout remove/update, link timeout |
//! | [`cancel`](mod@cancel) | async cancel by user_data, fd, opcode, any |
//! | [`buffers`](mod@buffers) | provide/remove buffers |
//! | [`msg_ring`](mod@msg_ring) | messages and fds to another ring |
//! | [`wait`](mod@wait) | futex wait/wake/waitv, waitid |
//! | [`cmd`](mod@cmd) | uring_cmd and its socket commands |
//! | [`cqe`](mod@cqe) | reading CQE flags and multishot recvmsg buffers |

pub mod buffers;
pub mod cancel;
pub mod cmd;
pub mod cqe;
pub mod fs;
pub mod msg_ring;
pub mod net;
pub mod pipe;
pub mod poll;
pub mod rw;
pub mod timeout;
pub mod wait;

mod nop;
mod options;

use crate::ring::Entry;
use crate::sys::{Sqe, SqeFlags};

/// Fills the five fields most opcodes use; each preparer adds its own on top.
/// Clears every field a preparer may write, keeping only the caller's options — what the
/// [`SqeOptions`] setters write: `user_data`, the SQE flags, the personality, the buffer group
/// (`buffer_select`) and the direct slot (`direct_slot`) — so that they may be set before or
/// after preparing. Each preparer starts from this, so no field another preparer wrote into
/// the same entry earlier survives into the SQE it makes: an offset the next opcode reads as a
/// pointer (`addr2`), an op-flags word it reads as "update", an `ioprio` it reads as "the
/// buffer is an iovec array". The options kept name no process memory: a buffer group names a
/// registration, a slot a registered file, and the lengths sharing the slot's word
/// (`addr_len`, `optlen`) are written by the preparers of the pointers they bound.
#[inline]
pub(crate) fn reset(sqe: &mut Entry) {
    let Sqe {
        user_data,
        flags,
        personality,
        buf,
        file,
        ..
    } = sqe.raw;
    sqe.raw = Sqe {
        user_data,
        flags,
        personality,
        buf,
        file,
        ..Sqe::ZERO
    };
}

#[inline]
pub(crate) fn prep_rw(sqe: &mut Entry, opcode: u8, fd: i32, addr: u64, len: u32, off: u64) {
    sqe.raw.opcode = opcode;
    sqe.raw.fd = fd;
    sqe.raw.addr.addr = addr;
    sqe.raw.len = len;
    sqe.raw.off.off = off;
}

/// `sqe.file_index` naming direct-descriptor slot `slot` (`slot + 1`), with
/// `IORING_FILE_INDEX_ALLOC` (`u32::MAX`) passed through unchanged.
#[inline]
pub(crate) const fn slot_index(slot: u32) -> u32 {
    slot.saturating_add(1)
}

/// Makes the kernel pick the request's buffer from provided-buffer group `group`.
#[inline]
pub(crate) fn select_buffer(sqe: &mut Entry, group: u16) {
    sqe.raw.buf.buf_group = group;
    sqe.raw.flags |= SqeFlags::BUFFER_SELECT.bits();
}

pub use buffers::*;
pub use cancel::*;
pub use cmd::*;
pub use cqe::*;
pub use fs::*;
pub use msg_ring::*;
pub use net::*;
pub use nop::*;
pub use options::*;
pub use pipe::*;
pub use poll::*;
pub use rw::*;
pub use timeout::*;
pub use wait::*;
