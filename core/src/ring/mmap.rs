//! An owned `mmap` region of a ring fd, unmapped on drop.

use crate::error::Errno;
use core::ptr::NonNull;

/// A shared mapping of part of an io_uring fd.
#[derive(Debug)]
pub(crate) struct Mmap {
    ptr: NonNull<u8>,
    len: usize,
}

// SAFETY: the mapping belongs to the process, not to a thread; `Mmap` only hands out its address
// and unmaps once on drop, so moving it to another thread is sound.
unsafe impl Send for Mmap {}
// SAFETY: `&Mmap` offers only the address and the length, never access to the bytes.
unsafe impl Sync for Mmap {}

impl Mmap {
    /// Maps `len` bytes of `fd` at `offset`, populated, read/write, shared with the kernel.
    pub(crate) fn new(fd: i32, len: usize, offset: i64) -> Result<Mmap, Errno> {
        // SAFETY: a fresh mapping at an address of the kernel's choice; it aliases nothing in
        // this process. Failure is reported as MAP_FAILED and checked below.
        let ptr = unsafe {
            libc::mmap(
                core::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED | libc::MAP_POPULATE,
                fd,
                offset,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(Errno::last());
        }
        // `mmap` never returns null on success for a non-fixed mapping.
        let ptr = NonNull::new(ptr.cast::<u8>()).ok_or(Errno::ENOMEM)?;
        Ok(Mmap { ptr, len })
    }

    /// The address `offset` bytes into the mapping, as `*mut T`.
    ///
    /// The kernel chose the offsets (`io_uring_params`); they lie inside the mapping and are
    /// aligned for the fields they name.
    #[inline]
    pub(crate) fn at<T>(&self, offset: u32) -> *mut T {
        debug_assert!((offset as usize) < self.len);
        // SAFETY: `offset` is inside the mapping (asserted in debug; guaranteed by the kernel's
        // offsets, which `Ring::new` checks against the mapping length).
        unsafe { self.ptr.as_ptr().add(offset as usize).cast() }
    }

    /// The mapping's length in bytes.
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

impl Drop for Mmap {
    fn drop(&mut self) {
        // SAFETY: `ptr`/`len` are exactly one mapping this value owns; nothing borrows it past
        // the owner's lifetime (the ring's queues are dropped first).
        unsafe {
            libc::munmap(self.ptr.as_ptr().cast(), self.len);
        }
    }
}
