//! Fixed buffers in memory ringcore owns, which makes registering them safe.
//!
//! The kernel pins the pages of a registered buffer and from then on reaches them through its
//! own page references, never through this process's addresses (a fixed read or write names
//! the buffer by index; its address only gives the offset). [`FixedBuffers`] memory is an
//! anonymous mapping used for nothing else. If it is dropped while still registered, `munmap`
//! detaches its pages from the process; the kernel keeps the pinned pages until it unregisters
//! them, and no other object can ever be placed in them. Heap memory, by contrast, would be
//! handed to other objects while the kernel may still write into it — which is why
//! [`Ring::register_buffers`] is `unsafe`.

use super::region::{page_round, Region};
use crate::error::Errno;
use crate::ring::Ring;
use crate::sys;
use core::mem::size_of;
use libc::iovec;

/// Most fixed buffers a ring can register (`IORING_MAX_REG_BUFFERS`).
const MAX_BUFFERS: u16 = 1 << 14;

/// `count` buffers of `len` bytes in one owned, page-aligned anonymous mapping, with their
/// iovec table in front, ready for [`Ring::register_fixed_buffers`].
#[derive(Debug)]
pub struct FixedBuffers {
    region: Region,
    count: u16,
    len: usize,
    /// Byte offset of buffer 0 (after the iovec table).
    data_off: usize,
}

// SAFETY: the value owns its mapping exclusively.
unsafe impl Send for FixedBuffers {}

impl FixedBuffers {
    /// Maps `count` zeroed buffers of `len` bytes each.
    ///
    /// # Errors
    /// `EINVAL`: `count` or `len` is 0, `count` is over 16384, `len` over 1 GiB, or the total
    /// does not fit; `ENOMEM`.
    pub fn new(count: u16, len: usize) -> Result<FixedBuffers, Errno> {
        if count == 0 || count > MAX_BUFFERS || len == 0 || len > 1 << 30 {
            return Err(Errno::EINVAL);
        }
        let data_off = page_round(usize::from(count) * size_of::<iovec>())?;
        let data_len = usize::from(count).checked_mul(len).ok_or(Errno::EINVAL)?;
        let total = page_round(data_off.checked_add(data_len).ok_or(Errno::EINVAL)?)?;
        let region = Region::new(total)?;
        let table = region.ptr.as_ptr().cast::<iovec>();
        for i in 0..usize::from(count) {
            // SAFETY: the table of `count` iovecs lies in the first `data_off` bytes of the
            // fresh mapping (page-aligned, so aligned for iovec); buffer `i` lies after it.
            unsafe {
                table.add(i).write(iovec {
                    iov_base: region.ptr.as_ptr().add(data_off + i * len).cast(),
                    iov_len: len,
                });
            }
        }
        Ok(FixedBuffers {
            region,
            count,
            len,
            data_off,
        })
    }

    /// How many buffers there are (indices `0..count`).
    pub fn count(&self) -> u16 {
        self.count
    }

    /// The length of each buffer.
    pub fn buf_len(&self) -> usize {
        self.len
    }

    /// The address of buffer `index`, for `sqe.addr` of a fixed read or write (plus an offset
    /// below [`buf_len`](Self::buf_len)); `None` when out of range.
    pub fn as_mut_ptr(&mut self, index: u16) -> Option<*mut u8> {
        (index < self.count).then(|| self.start(index))
    }

    fn start(&self, index: u16) -> *mut u8 {
        self.region
            .ptr
            .as_ptr()
            .wrapping_add(self.data_off + usize::from(index) * self.len)
    }

    fn range(&self, index: u16, offset: usize, len: usize) -> Option<*mut u8> {
        if index >= self.count || offset.checked_add(len)? > self.len {
            return None;
        }
        Some(self.start(index).wrapping_add(offset))
    }

    /// Bytes `offset..offset + len` of buffer `index`; `None` when out of range.
    ///
    /// # Safety
    /// No request that writes into this range may be in flight while the slice lives.
    pub unsafe fn slice(&self, index: u16, offset: usize, len: usize) -> Option<&[u8]> {
        let p = self.range(index, offset, len)?;
        // SAFETY: the range lies inside the owned mapping; the caller rules out kernel writes.
        Some(unsafe { core::slice::from_raw_parts(p, len) })
    }

    /// Bytes `offset..offset + len` of buffer `index`, writable; `None` when out of range.
    ///
    /// # Safety
    /// No request that reads or writes this range may be in flight while the slice lives.
    pub unsafe fn slice_mut(&mut self, index: u16, offset: usize, len: usize) -> Option<&mut [u8]> {
        let p = self.range(index, offset, len)?;
        // SAFETY: as in `slice`; `&mut self` rules out other slices.
        Some(unsafe { core::slice::from_raw_parts_mut(p, len) })
    }
}

impl Ring {
    /// Registers `bufs` as fixed buffers `0..bufs.count()`. Safe: the memory is owned by
    /// `bufs` and used for nothing else (see the module docs), so whether `bufs` outlives the
    /// registration or not, the kernel never writes into memory another object uses. Data a
    /// request moves after `bufs` is dropped is simply lost.
    ///
    /// # Errors
    /// As [`register_buffers`](Self::register_buffers).
    pub fn register_fixed_buffers(&self, bufs: &FixedBuffers) -> Result<(), Errno> {
        // SAFETY: the iovec table describes `count` buffers inside `bufs`' own mapping, whose
        // pages nothing else can ever use (module docs).
        unsafe {
            self.register(
                sys::IORING_REGISTER_BUFFERS,
                bufs.region.ptr.as_ptr().cast(),
                u32::from(bufs.count),
            )
        }
        .map(|_| ())
    }
}
