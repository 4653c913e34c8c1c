//! File-system events: open, close, sync, stat, and directory-entry changes.

use crate::event::{Cancellation, Event};
use crate::op;
use crate::ring::Entry;
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
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        // SAFETY: the path is the event's, on the heap, and outlives the request.
        unsafe { op::openat(sqe, self.dirfd, self.path.as_ptr(), self.flags, self.mode) };
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        // An open that completes after all is a descriptor nobody collects: closed.
        // SAFETY: an open's non-negative result is the new descriptor, nobody else's.
        unsafe { path_cancellation(this.path).closing_fd_results() }
    }
}

/// `IORING_OP_CLOSE`: closes `fd`. Result: 0.
///
/// Dropping the submission does not keep `fd` open: the close may still happen.
#[derive(Debug)]
pub struct Close {
    fd: i32,
}

impl Close {
    /// A close of `fd`.
    ///
    /// # Safety
    /// As [`op::close`]: the caller owns `fd` and gives it up; nothing else holds the number
    /// to use or close it later. (Not `Copy`, so one `Close` closes at most once.)
    pub unsafe fn new(fd: i32) -> Close {
        Close { fd }
    }

    /// The fd this closes.
    pub fn fd(&self) -> i32 {
        self.fd
    }
}

impl Event for Close {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        // SAFETY: `Close::new`'s caller gave the fd up to this close.
        unsafe { op::close(sqe, self.fd) };
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
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        op::fsync(sqe, self.fd, self.datasync);
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
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        let stat: *mut libc::statx = &mut *self.stat;
        let (dirfd, path, flags, mask) = (self.dirfd, self.path.as_ptr(), self.flags, self.mask);
        // SAFETY: the path and the statx buffer are the event's, on the heap, and outlive the
        // request.
        unsafe { op::statx(sqe, dirfd, path, flags, mask, stat) };
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
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        // SAFETY: the path is the event's, on the heap, and outlives the request.
        unsafe { op::unlinkat(sqe, self.dirfd, self.path.as_ptr(), self.flags) };
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
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        let (old, new) = (self.old_path.as_ptr(), self.new_path.as_ptr());
        // SAFETY: both paths are the event's, on the heap, and outlive the request.
        unsafe { op::renameat(sqe, self.old_dirfd, old, self.new_dirfd, new, self.flags) };
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
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        // SAFETY: the path is the event's, on the heap, and outlives the request.
        unsafe { op::mkdirat(sqe, self.dirfd, self.path.as_ptr(), self.mode) };
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        path_cancellation(this.path)
    }
}
