//! [`File`]: an async file on the ring (needs `std`).
//!
//! ringbahn's `File`, on ringcore's safe layer: opened, read, written, synced, stat'ed and
//! closed through io_uring. Reads and writes go through buffers the file owns, so a future
//! dropped mid-flight never frees memory the kernel is writing, and bytes already read are
//! handed out by the next read.

mod file;
mod metadata;

pub use file::File;
pub use metadata::Metadata;
