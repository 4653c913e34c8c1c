//! File-system events: open, close, sync, stat, and directory-entry changes.

use crate::event::{Cancellation, Event};
use crate::sys::{self, Sqe};
use alloc::boxed::Box;
use alloc::ffi::CString;
use core::mem::ManuallyDrop;

/// A path for the kernel: a `CString` on the heap; cancelling keeps it alive.
fn path_cancellation(path: CString) -> Cancellation {
    Cancellation::from_box(Box::new(path))
}

/// `IORING_OP_OPENAT`: `openat(dirfd, path, flags, mode)`. Result: the new fd.
#[derive(Debug)]
pub struct OpenAt {
    /// Directory for relative paths (`libc::AT_FDCWD`: the working directory).
    pub dirfd: i32,
    /// The path.
    pub path: CString,
    /// `O_*` flags.
    pub flags: i32,
    /// Permission bits for a created file.
    pub mode: u32,
}

impl Event for OpenAt {
    unsafe fn prepare(&mut self, sqe: &mut Sqe) {
        sqe.opcode = sys::IORING_OP_OPENAT;
        sqe.fd = self.dirfd;
        sqe.addr.addr = self.path.as_ptr() as u64;
        sqe.len = self.mode;
        sqe.op_flags.open_flags = self.flags as u32;
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        path_cancellation(this.path)
    }
}

/// `IORING_OP_CLOSE`: closes `fd`. Result: 0.
///
/// Dropping the submission does not keep `fd` open: the close may still happen.
#[derive(Clone, Copy, Debug)]
pub struct Close {
    /// The fd to close.
    pub fd: i32,
}

impl Event for Close {
    unsafe fn prepare(&mut self, sqe: &mut Sqe) {
        sqe.opcode = sys::IORING_OP_CLOSE;
        sqe.fd = self.fd;
    }

    unsafe fn cancel(_: &mut ManuallyDrop<Self>) -> Cancellation {
        Cancellation::null()
    }
}

/// `IORING_OP_FSYNC`: `fsync(fd)`, or `fdatasync` with [`datasync`](Fsync::datasync).
#[derive(Clone, Copy, Debug)]
pub struct Fsync {
    /// The file.
    pub fd: i32,
    /// Only data and the metadata needed to read it (`IORING_FSYNC_DATASYNC`).
    pub datasync: bool,
}

impl Event for Fsync {
    unsafe fn prepare(&mut self, sqe: &mut Sqe) {
        sqe.opcode = sys::IORING_OP_FSYNC;
        sqe.fd = self.fd;
        sqe.op_flags.fsync_flags = if self.datasync {
            sys::IORING_FSYNC_DATASYNC
        } else {
            0
        };
    }

    unsafe fn cancel(_: &mut ManuallyDrop<Self>) -> Cancellation {
        Cancellation::null()
    }
}

/// `IORING_OP_STATX`: `statx(dirfd, path, flags, mask)` into [`stat`](Statx::stat).
#[derive(Debug)]
pub struct Statx {
    dirfd: i32,
    path: CString,
    flags: i32,
    mask: u32,
    stat: Box<libc::statx>,
}

impl Statx {
    /// A statx of `path` (relative to `dirfd`) with `AT_*` `flags` and `STATX_*` `mask`.
    pub fn new(dirfd: i32, path: CString, flags: i32, mask: u32) -> Self {
        // SAFETY: `statx` is plain integers; all-zero is a valid value.
        let stat = Box::new(unsafe { core::mem::zeroed::<libc::statx>() });
        Statx {
            dirfd,
            path,
            flags,
            mask,
            stat,
        }
    }

    /// The result, filled in by the kernel once the submission succeeded.
    pub fn stat(&self) -> &libc::statx {
        &self.stat
    }
}

impl Event for Statx {
    unsafe fn prepare(&mut self, sqe: &mut Sqe) {
        sqe.opcode = sys::IORING_OP_STATX;
        sqe.fd = self.dirfd;
        sqe.addr.addr = self.path.as_ptr() as u64;
        sqe.len = self.mask;
        sqe.off.addr2 = &mut *self.stat as *mut libc::statx as u64;
        sqe.op_flags.statx_flags = self.flags as u32;
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        Cancellation::from_box(Box::new((this.path, this.stat)))
    }
}

/// `IORING_OP_UNLINKAT`: `unlinkat(dirfd, path, flags)` (`AT_REMOVEDIR` for directories).
#[derive(Debug)]
pub struct Unlinkat {
    /// Directory for relative paths.
    pub dirfd: i32,
    /// The path.
    pub path: CString,
    /// `AT_*` flags.
    pub flags: i32,
}

impl Event for Unlinkat {
    unsafe fn prepare(&mut self, sqe: &mut Sqe) {
        sqe.opcode = sys::IORING_OP_UNLINKAT;
        sqe.fd = self.dirfd;
        sqe.addr.addr = self.path.as_ptr() as u64;
        sqe.op_flags.unlink_flags = self.flags as u32;
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        path_cancellation(this.path)
    }
}

/// `IORING_OP_RENAMEAT`: `renameat2(old_dirfd, old_path, new_dirfd, new_path, flags)`.
#[derive(Debug)]
pub struct Renameat {
    /// Directory for a relative `old_path`.
    pub old_dirfd: i32,
    /// The existing path.
    pub old_path: CString,
    /// Directory for a relative `new_path`.
    pub new_dirfd: i32,
    /// The new path.
    pub new_path: CString,
    /// `RENAME_*` flags.
    pub flags: u32,
}

impl Event for Renameat {
    unsafe fn prepare(&mut self, sqe: &mut Sqe) {
        sqe.opcode = sys::IORING_OP_RENAMEAT;
        sqe.fd = self.old_dirfd;
        sqe.addr.addr = self.old_path.as_ptr() as u64;
        sqe.len = self.new_dirfd as u32;
        sqe.off.addr2 = self.new_path.as_ptr() as u64;
        sqe.op_flags.rename_flags = self.flags;
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        Cancellation::pair(
            path_cancellation(this.old_path),
            path_cancellation(this.new_path),
        )
    }
}

/// `IORING_OP_MKDIRAT`: `mkdirat(dirfd, path, mode)`.
#[derive(Debug)]
pub struct Mkdirat {
    /// Directory for relative paths.
    pub dirfd: i32,
    /// The path.
    pub path: CString,
    /// Permission bits.
    pub mode: u32,
}

impl Event for Mkdirat {
    unsafe fn prepare(&mut self, sqe: &mut Sqe) {
        sqe.opcode = sys::IORING_OP_MKDIRAT;
        sqe.fd = self.dirfd;
        sqe.addr.addr = self.path.as_ptr() as u64;
        sqe.len = self.mode;
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        path_cancellation(this.path)
    }
}
