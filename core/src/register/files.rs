//! Registered (fixed) files: `IORING_REGISTER_FILES`, `FILES2`, `FILES_UPDATE2`,
//! `FILE_ALLOC_RANGE`.
//!
//! The kernel takes its own reference to each registered file, so these calls are safe: closing
//! the original fd later does not affect the registered slot. An SQE names a slot with
//! `IOSQE_FIXED_FILE` and the slot index in `sqe.fd`.

use super::count;
use crate::error::Errno;
use crate::ring::Ring;
use crate::sys::{self, FileIndexRange, RsrcRegister};

impl Ring {
    /// Registers `fds` as fixed files `0..fds.len()` (`IORING_REGISTER_FILES`); `-1` leaves a
    /// slot empty.
    ///
    /// # Errors
    /// `EBUSY`: files are already registered; `EBADF`: an fd is not open; `EINVAL`: empty or
    /// too many; `EMFILE`: over `RLIMIT_NOFILE`.
    pub fn register_files(&self, fds: &[i32]) -> Result<(), Errno> {
        // SAFETY: `fds` is a live array of `fds.len()` ints; the kernel only reads it.
        unsafe {
            self.register(
                sys::IORING_REGISTER_FILES,
                fds.as_ptr().cast(),
                count(fds.len())?,
            )
        }
        .map(|_| ())
    }

    /// Registers `fds` with a tag each (`IORING_REGISTER_FILES2`). When a file with a non-zero
    /// tag leaves the table (unregister or update), the kernel posts a CQE with the tag as
    /// `user_data` once no request uses it any more.
    ///
    /// # Errors
    /// `EINVAL`: `tags` and `fds` differ in length; otherwise as
    /// [`register_files`](Self::register_files).
    pub fn register_files_tags(&self, fds: &[i32], tags: &[u64]) -> Result<(), Errno> {
        if tags.len() != fds.len() {
            return Err(Errno::EINVAL);
        }
        let reg = RsrcRegister {
            nr: count(fds.len())?,
            data: fds.as_ptr() as u64,
            tags: tags.as_ptr() as u64,
            ..RsrcRegister::default()
        };
        // SAFETY: `reg` points at live arrays of `nr` fds and tags.
        unsafe { self.register_rsrc(sys::IORING_REGISTER_FILES2, &reg) }
    }

    /// Registers an empty table of `nr` file slots, for updates and direct descriptors.
    ///
    /// # Errors
    /// `EBUSY`: files are already registered; `EINVAL`: `nr` is 0 or over the limit.
    pub fn register_files_sparse(&self, nr: u32) -> Result<(), Errno> {
        let reg = RsrcRegister {
            nr,
            flags: sys::IORING_RSRC_REGISTER_SPARSE,
            ..RsrcRegister::default()
        };
        // SAFETY: a sparse table names nothing.
        unsafe { self.register_rsrc(sys::IORING_REGISTER_FILES2, &reg) }
    }

    /// Replaces file slots `offset..offset + fds.len()`; `-1` empties a slot and
    /// [`IORING_REGISTER_FILES_SKIP`](sys::IORING_REGISTER_FILES_SKIP) leaves it alone. Returns
    /// how many slots were updated.
    ///
    /// # Errors
    /// `ENXIO`: no file table; `EINVAL`: out of range; `EBADF`: an fd is not open.
    pub fn register_files_update(&self, offset: u32, fds: &[i32]) -> Result<u32, Errno> {
        // SAFETY: fds are plain ints the kernel reads.
        unsafe { self.update_rsrc(sys::IORING_REGISTER_FILES_UPDATE2, offset, fds, None) }
    }

    /// Like [`register_files_update`](Self::register_files_update), tagging the new files.
    ///
    /// # Errors
    /// `EINVAL`: `tags` and `fds` differ in length; otherwise as
    /// [`register_files_update`](Self::register_files_update).
    pub fn register_files_update_tags(
        &self,
        offset: u32,
        fds: &[i32],
        tags: &[u64],
    ) -> Result<u32, Errno> {
        // SAFETY: fds and tags are plain integers the kernel reads.
        unsafe { self.update_rsrc(sys::IORING_REGISTER_FILES_UPDATE2, offset, fds, Some(tags)) }
    }

    /// Unregisters every fixed file (`IORING_UNREGISTER_FILES`).
    ///
    /// # Errors
    /// `ENXIO`: no files registered.
    pub fn unregister_files(&self) -> Result<(), Errno> {
        // SAFETY: UNREGISTER_FILES takes no argument.
        unsafe { self.register(sys::IORING_UNREGISTER_FILES, core::ptr::null(), 0) }.map(|_| ())
    }

    /// Restricts the slots the kernel picks for direct descriptors allocated with
    /// `IORING_FILE_INDEX_ALLOC` to `offset..offset + len` (`IORING_REGISTER_FILE_ALLOC_RANGE`).
    ///
    /// # Errors
    /// `ENXIO`: no file table; `EINVAL`: the range is outside the table; `EOVERFLOW`: it wraps.
    pub fn register_file_alloc_range(&self, offset: u32, len: u32) -> Result<(), Errno> {
        let range = FileIndexRange {
            off: offset,
            len,
            resv: 0,
        };
        // SAFETY: `range` is a valid `io_uring_file_index_range` for the call.
        unsafe {
            self.register(
                sys::IORING_REGISTER_FILE_ALLOC_RANGE,
                (&range as *const FileIndexRange).cast(),
                0,
            )
        }
        .map(|_| ())
    }
}
