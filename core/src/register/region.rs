//! Page-aligned anonymous memory owned by the registration layer (buffer rings, fixed
//! buffers): no allocator needed, unmapped on drop — or, for memory the kernel may still
//! write through its address, kept reserved forever (see [`Region::retire_on_drop`]).

use crate::error::Errno;
use core::ptr::{self, NonNull};

/// `len` rounded up to whole pages.
pub(super) fn page_round(len: usize) -> Result<usize, Errno> {
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    let page = if page > 0 { page as usize } else { 4096 };
    len.checked_next_multiple_of(page).ok_or(Errno::EINVAL)
}

/// Private anonymous memory, page-aligned and zeroed, unmapped on drop.
#[derive(Debug)]
pub(super) struct Region {
    pub(super) ptr: NonNull<u8>,
    pub(super) len: usize,
    /// Drop replaces the mapping with an inaccessible reservation instead of unmapping it.
    retire: bool,
}

impl Region {
    pub(super) fn new(len: usize) -> Result<Region, Errno> {
        // SAFETY: a fresh anonymous mapping at an address of the kernel's choice.
        let p = unsafe {
            libc::mmap(
                ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(Errno::last());
        }
        let ptr = NonNull::new(p.cast::<u8>()).ok_or(Errno::ENOMEM)?;
        Ok(Region {
            ptr,
            len,
            retire: false,
        })
    }
}

impl Region {
    /// Makes the drop keep the address range reserved (`PROT_NONE`, no memory behind it) for
    /// the rest of the process instead of unmapping it: for memory the kernel reaches by
    /// address, such as provided buffers that an io-wq worker may still be copying into when
    /// the owner lets go. A late write then faults in the kernel (the request fails with
    /// `EFAULT`) rather than landing in whatever a later `mmap` put at the same address. The
    /// cost is address space and one mapping entry per retired region.
    pub(super) fn retire_on_drop(&mut self) {
        self.retire = true;
    }
}

impl Drop for Region {
    fn drop(&mut self) {
        if self.retire {
            // SAFETY: replaces exactly the one mapping this value owns (MAP_FIXED over its own
            // range) with an inaccessible, unbacked one that nothing will ever unmap.
            let p = unsafe {
                libc::mmap(
                    self.ptr.as_ptr().cast(),
                    self.len,
                    libc::PROT_NONE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED | libc::MAP_NORESERVE,
                    -1,
                    0,
                )
            };
            // If the kernel refused, the old mapping stays: leaked, still never reused.
            let _ = p;
            return;
        }
        // SAFETY: exactly the one mapping this value owns; nothing borrows it any more.
        unsafe {
            libc::munmap(self.ptr.as_ptr().cast(), self.len);
        }
    }
}
