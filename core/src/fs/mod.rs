//! Async files on the ring (needs `std`): [`File`], and whole-file and path operations
//! mirroring `std::fs` — [`read`], [`write()`], [`remove_file`], [`remove_dir`], [`rename`],
//! [`create_dir`], [`metadata`], [`symlink_metadata`].
//!
//! ringbahn's `File`, on ringcore's safe layer: opened, read, written, synced, stat'ed and
//! closed through io_uring. Reads and writes go through buffers the file owns, so a future
//! dropped mid-flight never frees memory the kernel is writing, and bytes already read are
//! handed out by the next read.
//!
//! The functions run on [`DefaultDriver::current`](crate::driver::DefaultDriver::current)
//! (tokio's rings inside a tokio runtime, the background driver elsewhere); each has an
//! `*_on` twin that takes the driver, as [`File::open_on`] does. Every one is io_uring
//! requests (`openat`, `read`, `write`, `close`, `unlinkat`, `renameat`, `mkdirat`, `statx`),
//! never a blocking system call, and reports the kernel's errno as an [`std::io::Error`].

mod file;
mod metadata;
mod paths;
mod whole;

pub use file::File;
pub use metadata::Metadata;
pub use paths::{
    create_dir, create_dir_on, metadata, metadata_on, remove_dir, remove_dir_on, remove_file,
    remove_file_on, rename, rename_on, symlink_metadata, symlink_metadata_on,
};
pub use whole::{read, read_on, write, write_on};
