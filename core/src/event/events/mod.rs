//! Events that own their buffers, one small module per operation group.
//!
//! Every event keeps the memory it lends the kernel (buffers, paths, addresses, timespecs) on
//! the heap, so moving the event never moves it; on cancellation that memory goes into the
//! event's [`Cancellation`](super::Cancellation). SQE fields follow the kernel's uapi layout
//! for each opcode. File descriptors are plain `i32`s the caller keeps open.

mod fs;
mod linked;
mod misc;
mod net;
mod rw;
mod vectored;

pub use fs::{Close, Fsync, Mkdirat, OpenAt, Renameat, Statx, Unlinkat};
pub use linked::WithTimeout;
pub use misc::{Nop, PollAdd, Splice, Timeout};
pub use net::{
    Accept, AcceptMulti, Connect, Recv, RecvMsg, RecvMulti, Send, SendMsg, SendZc, Shutdown, Socket,
};
pub use rw::{Read, ReadFixed, Write, WriteFixed};
pub use vectored::{Readv, Writev};

/// `offset` value meaning "the file's current position" for reads and writes.
pub const CURRENT_POSITION: u64 = u64::MAX;
