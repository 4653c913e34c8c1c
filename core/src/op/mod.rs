//! Typed preparers: one per opcode. Each fills an SQE taken from the ring (already zeroed) and
//! touches nothing else; set `user_data` and SQE flags on the SQE afterwards (see
//! [`SqeOptions`]).
//!
//! Preparers that take pointers are `unsafe`: the memory must stay valid, and not be moved or
//! freed, until the request's CQE has been reaped (for multishot requests: the last CQE, the one
//! without [`CqeFlags::MORE`](crate::CqeFlags::MORE)). Preparers that take only values are safe.
//!
//! Kernel errors never show up here: a bad fd, buffer id or flag is the CQE's negative `res`.
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
