//! Registered (fixed) buffers: `IORING_REGISTER_BUFFERS`, `BUFFERS2`, `BUFFERS_UPDATE`,
//! `CLONE_BUFFERS`.
//!
//! A registered buffer is pinned once here instead of on every I/O; `READ_FIXED` /
//! `WRITE_FIXED` (and the fixed vectored forms) name it by index in `sqe.buf_index`.

use super::count;
use crate::error::Errno;
use crate::ring::Ring;
use crate::sys::{self, CloneBuffers, RsrcRegister, RsrcUpdate2};
use core::ffi::c_void;
use core::mem::size_of;
use libc::iovec;

impl Ring {
    /// Registers `bufs` as fixed buffers `0..bufs.len()` (`IORING_REGISTER_BUFFERS`).
    ///
    /// # Safety
    /// Each iovec must describe memory valid for reads and writes, and it must stay valid (not
    /// freed, unmapped or handed to another owner) until the buffers are unregistered — by
    /// [`unregister_buffers`](Self::unregister_buffers), an update that replaces them, or
    /// dropping the ring — from this ring and from every ring they were cloned into.
    ///
    /// # Errors
    /// `EBUSY`: buffers are already registered; `EINVAL`: too many, zero-length or too large
    /// buffers; `EFAULT`: bad memory; `ENOMEM`: over the locked-memory limit.
    pub unsafe fn register_buffers(&self, bufs: &[iovec]) -> Result<(), Errno> {
        // SAFETY: `bufs` is a live array of `bufs.len()` iovecs; the caller answers for the
        // memory they describe.
        unsafe {
            self.register(
                sys::IORING_REGISTER_BUFFERS,
                bufs.as_ptr().cast(),
                count(bufs.len())?,
            )
        }
        .map(|_| ())
    }

    /// Registers `bufs` with a tag each (`IORING_REGISTER_BUFFERS2`). When a buffer with a
    /// non-zero tag leaves the table (unregister, or replaced by an update), the kernel posts a
    /// CQE with the tag as `user_data` once no request uses it any more.
    ///
    /// # Safety
    /// As [`register_buffers`](Self::register_buffers).
    ///
    /// # Errors
    /// `EINVAL`: `tags` and `bufs` differ in length; otherwise as
    /// [`register_buffers`](Self::register_buffers).
    pub unsafe fn register_buffers_tags(&self, bufs: &[iovec], tags: &[u64]) -> Result<(), Errno> {
        if tags.len() != bufs.len() {
            return Err(Errno::EINVAL);
        }
        let reg = RsrcRegister {
            nr: count(bufs.len())?,
            data: bufs.as_ptr() as u64,
            tags: tags.as_ptr() as u64,
            ..RsrcRegister::default()
        };
        // SAFETY: `reg` points at live arrays of `nr` iovecs and tags; the caller answers for
        // the memory the iovecs describe.
        unsafe { self.register_rsrc(sys::IORING_REGISTER_BUFFERS2, &reg) }
    }

    /// Registers an empty table of `nr` buffer slots, to be filled by
    /// [`register_buffers_update`](Self::register_buffers_update).
    ///
    /// # Errors
    /// `EBUSY`: buffers are already registered; `EINVAL`: `nr` is 0 or over the limit.
    pub fn register_buffers_sparse(&self, nr: u32) -> Result<(), Errno> {
        let reg = RsrcRegister {
            nr,
            flags: sys::IORING_RSRC_REGISTER_SPARSE,
            ..RsrcRegister::default()
        };
        // SAFETY: a sparse table names no memory.
        unsafe { self.register_rsrc(sys::IORING_REGISTER_BUFFERS2, &reg) }
    }

    /// Replaces buffer slots `offset..offset + bufs.len()` (`IORING_REGISTER_BUFFERS_UPDATE`),
    /// tagging the new ones with `tags` when given. An iovec with a null base and zero length
    /// empties its slot. Returns how many slots were updated.
    ///
    /// # Safety
    /// As [`register_buffers`](Self::register_buffers), for the new buffers.
    ///
    /// # Errors
    /// `ENXIO`: no buffer table; `EINVAL`: out of the table's range, or `tags` of a different
    /// length; `EFAULT`: bad memory.
    pub unsafe fn register_buffers_update(
        &self,
        offset: u32,
        bufs: &[iovec],
        tags: Option<&[u64]>,
    ) -> Result<u32, Errno> {
        // SAFETY: forwarded from the caller.
        unsafe { self.update_rsrc(sys::IORING_REGISTER_BUFFERS_UPDATE, offset, bufs, tags) }
    }

    /// Unregisters every fixed buffer (`IORING_UNREGISTER_BUFFERS`). Requests in flight keep
    /// the buffers they use until they complete.
    ///
    /// # Errors
    /// `ENXIO`: no buffers registered.
    pub fn unregister_buffers(&self) -> Result<(), Errno> {
        // SAFETY: UNREGISTER_BUFFERS takes no argument.
        unsafe { self.register(sys::IORING_UNREGISTER_BUFFERS, core::ptr::null(), 0) }.map(|_| ())
    }

    /// Gives this ring the fixed buffers of `src` (`IORING_REGISTER_CLONE_BUFFERS`): the
    /// same memory, registered again without pinning it twice. This ring must have no buffer
    /// table yet.
    ///
    /// # Safety
    /// The memory behind `src`'s buffers must stay valid until it is unregistered from this
    /// ring too (see [`register_buffers`](Self::register_buffers)).
    ///
    /// # Errors
    /// `EBUSY`: this ring already has buffers; `ENXIO`: `src` has none; `EINVAL`: the kernel
    /// lacks cloning (before 6.12).
    pub unsafe fn clone_buffers_from(&self, src: &Ring) -> Result<(), Errno> {
        // SAFETY: forwarded from the caller.
        unsafe { self.clone_buffers_range_from(src, 0, 0, 0, false) }
    }

    /// Clones `nr` of `src`'s fixed buffers starting at `src_off` into this ring's slots from
    /// `dst_off` (`nr` 0: all of them). With `replace`, buffers already in this ring's table
    /// are replaced (`IORING_REGISTER_DST_REPLACE`); without it the table must be empty.
    ///
    /// # Safety
    /// As [`clone_buffers_from`](Self::clone_buffers_from).
    ///
    /// # Errors
    /// As [`clone_buffers_from`](Self::clone_buffers_from); `EINVAL` also for a range outside
    /// either table; `EOVERFLOW` when it wraps.
    pub unsafe fn clone_buffers_range_from(
        &self,
        src: &Ring,
        src_off: u32,
        dst_off: u32,
        nr: u32,
        replace: bool,
    ) -> Result<(), Errno> {
        let arg = CloneBuffers {
            src_fd: src.fd() as u32,
            flags: if replace {
                sys::IORING_REGISTER_DST_REPLACE
            } else {
                0
            },
            src_off,
            dst_off,
            nr,
            ..CloneBuffers::default()
        };
        // SAFETY: `arg` is a valid `io_uring_clone_buffers` for the call; the caller answers for
        // the memory it shares.
        unsafe {
            self.register(
                sys::IORING_REGISTER_CLONE_BUFFERS,
                (&arg as *const CloneBuffers).cast(),
                1,
            )
        }
        .map(|_| ())
    }

    /// `FILES2` / `BUFFERS2` with a filled-in `io_uring_rsrc_register`.
    ///
    /// # Safety
    /// `reg.data` and `reg.tags` must be null or point at `reg.nr` items of the table's kind.
    pub(super) unsafe fn register_rsrc(
        &self,
        opcode: u32,
        reg: &RsrcRegister,
    ) -> Result<(), Errno> {
        // SAFETY: `reg` is a valid `io_uring_rsrc_register`; its pointers per the caller.
        unsafe {
            self.register(
                opcode,
                (reg as *const RsrcRegister).cast(),
                size_of::<RsrcRegister>() as u32,
            )
        }
        .map(|_| ())
    }

    /// `FILES_UPDATE2` / `BUFFERS_UPDATE` over `items` from slot `offset`.
    ///
    /// # Safety
    /// `items` must be what the table holds (fds or iovecs); for iovecs, as
    /// [`register_buffers`](Self::register_buffers).
    pub(super) unsafe fn update_rsrc<T>(
        &self,
        opcode: u32,
        offset: u32,
        items: &[T],
        tags: Option<&[u64]>,
    ) -> Result<u32, Errno> {
        let tags = match tags {
            Some(t) if t.len() != items.len() => return Err(Errno::EINVAL),
            Some(t) => t.as_ptr() as u64,
            None => 0,
        };
        let up = RsrcUpdate2 {
            offset,
            data: items.as_ptr() as u64,
            tags,
            nr: count(items.len())?,
            ..RsrcUpdate2::default()
        };
        // SAFETY: `up` is a valid `io_uring_rsrc_update2` over live arrays of `nr` items.
        unsafe {
            self.register(
                opcode,
                (&up as *const RsrcUpdate2).cast::<c_void>(),
                size_of::<RsrcUpdate2>() as u32,
            )
        }
    }
}
