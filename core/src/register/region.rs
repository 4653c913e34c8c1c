//! Page-aligned anonymous memory owned by the registration layer (buffer rings, fixed
//! buffers): no allocator needed, unmapped on drop.

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
        Ok(Region { ptr, len })
    }
}

impl Drop for Region {
    fn drop(&mut self) {
        // SAFETY: exactly the one mapping this value owns; nothing borrows it any more.
        unsafe {
            libc::munmap(self.ptr.as_ptr().cast(), self.len);
        }
    }
}
