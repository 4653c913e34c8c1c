//! Provided-buffer rings (`IORING_REGISTER_PBUF_RING`): a ring of buffer descriptors shared
//! with the kernel, from which requests with `IOSQE_BUFFER_SELECT` take a buffer when data
//! arrives. The CQE names the buffer taken: see [`buffer_id`].
//!
//! [`BufRing`] owns the descriptor ring (page-aligned anonymous memory, no allocator) and,
//! when built with [`BufRing::new`], the buffers too. Adding buffers writes descriptors past a
//! local tail; [`BufRing::advance`] publishes all of them with one release store of the shared
//! tail.
//!
//! # Memory contract
//!
//! A buffer handed to the kernel may be written until the CQE that names it has been reaped.
//! Buffers owned by the `BufRing` live as long as it does. Dropping it unregisters the group
//! (requests still waiting then fail with `-ENOBUFS`); a request that had already taken an
//! owned buffer may still be writing into it, so the buffers' address range is not unmapped
//! but kept reserved, inaccessible, for the rest of the process: a late write faults instead
//! of landing in memory someone else got. Memory added with [`BufRing::add`] is the caller's
//! to keep alive.

use super::region::{page_round, Region};
use crate::error::Errno;
use crate::ring::{CompletionQueue, Ring};
use crate::sys::{self, Buf, BufReg, BufStatus, Cqe, CqeFlags};
use core::ffi::c_void;
use core::ptr;
use core::sync::atomic::{AtomicU16, Ordering};

/// The provided-buffer id a CQE carries (its upper 16 flag bits), when `CqeFlags::BUFFER` is
/// set; `None` when the request used no provided buffer.
#[inline]
pub fn buffer_id(cqe: &Cqe) -> Option<u16> {
    CqeFlags::from_bits_retain(cqe.flags)
        .contains(CqeFlags::BUFFER)
        .then_some((cqe.flags >> sys::IORING_CQE_BUFFER_SHIFT) as u16)
}

/// A provided-buffer ring registered with a [`Ring`] under a buffer group id.
///
/// It keeps its own duplicate of the ring fd, so it unregisters from the right ring on drop
/// even when the `Ring` is gone first (the kernel keeps that ring alive until then).
#[derive(Debug)]
pub struct BufRing {
    // Drop order: `Drop::drop` unregisters first, then the fd closes, then the memory unmaps.
    fd: DupFd,
    map: Region,
    /// Local tail: descriptors below it are written; the shared tail may lag until `advance`.
    tail: u16,
    mask: u16,
    entries: u16,
    bgid: u16,
    /// Length of each owned buffer; 0 when the ring owns none.
    buf_len: u32,
    /// Byte offset of the owned buffers inside `map`.
    bufs_off: usize,
}

// SAFETY: the BufRing owns its mapping and fd exclusively; the kernel's side is synchronised
// by the release store of the tail.
unsafe impl Send for BufRing {}

impl BufRing {
    /// Registers a ring of `entries` buffers of `buf_len` bytes each, under group `bgid`, with
    /// every buffer (ids `0..entries`) already added and published.
    ///
    /// # Errors
    /// `EINVAL`: `entries` is not a power of two up to 32768, or `buf_len` is 0 or the total
    /// does not fit; `EEXIST`: the group is taken; `ENOMEM`; `EINVAL` on kernels before 5.19.
    pub fn new(ring: &Ring, bgid: u16, entries: u16, buf_len: u32) -> Result<BufRing, Errno> {
        Self::with_buffers(ring, bgid, entries, buf_len, 0)
    }

    /// Like [`new`](Self::new), with incremental consumption (`IOU_PBUF_RING_INC`): a request
    /// takes only the bytes it needs from the buffer at the head; while the buffer has room
    /// left its CQEs carry `CqeFlags::BUF_MORE` and the next request continues where it
    /// stopped.
    ///
    /// # Errors
    /// As [`new`](Self::new); `EINVAL` on kernels before 6.12.
    pub fn new_incremental(
        ring: &Ring,
        bgid: u16,
        entries: u16,
        buf_len: u32,
    ) -> Result<BufRing, Errno> {
        Self::with_buffers(ring, bgid, entries, buf_len, sys::IOU_PBUF_RING_INC)
    }

    /// Registers an empty ring of `entries` descriptors under `bgid`; fill it with
    /// [`add`](Self::add).
    ///
    /// # Errors
    /// As [`new`](Self::new).
    pub fn empty(ring: &Ring, bgid: u16, entries: u16) -> Result<BufRing, Errno> {
        Self::setup(ring, bgid, entries, 0, 0)
    }

    fn with_buffers(
        ring: &Ring,
        bgid: u16,
        entries: u16,
        buf_len: u32,
        flags: u16,
    ) -> Result<BufRing, Errno> {
        if buf_len == 0 {
            return Err(Errno::EINVAL);
        }
        let mut br = Self::setup(ring, bgid, entries, buf_len, flags)?;
        for bid in 0..entries {
            br.push(br.owned_addr(bid), buf_len, bid);
        }
        br.advance();
        Ok(br)
    }

    fn setup(
        ring: &Ring,
        bgid: u16,
        entries: u16,
        buf_len: u32,
        flags: u16,
    ) -> Result<BufRing, Errno> {
        if !entries.is_power_of_two() || u32::from(entries) > sys::IORING_PBUF_MAX_ENTRIES {
            return Err(Errno::EINVAL);
        }
        let ring_len = page_round(usize::from(entries) * core::mem::size_of::<Buf>())?;
        let bufs_len = usize::from(entries)
            .checked_mul(buf_len as usize)
            .ok_or(Errno::EINVAL)?;
        let map = Region::new(ring_len.checked_add(bufs_len).ok_or(Errno::EINVAL)?)?;
        let fd = DupFd::new(ring.fd())?;
        let reg = BufReg {
            ring_addr: map.ptr.as_ptr() as u64,
            ring_entries: u32::from(entries),
            bgid,
            flags,
            ..BufReg::default()
        };
        // SAFETY: `reg` names `entries` descriptors at the start of `map`, which the BufRing
        // built below owns and unregisters before unmapping.
        unsafe {
            sys::io_uring_register(
                fd.0,
                sys::IORING_REGISTER_PBUF_RING,
                (&reg as *const BufReg).cast(),
                1,
            )
        }?;
        Ok(BufRing {
            fd,
            map,
            tail: 0,
            mask: entries - 1,
            entries,
            bgid,
            buf_len,
            bufs_off: ring_len,
        })
    }

    /// The buffer group id requests name in `sqe.buf_group`.
    pub fn bgid(&self) -> u16 {
        self.bgid
    }

    /// How many descriptors the ring holds.
    pub fn entries(&self) -> u16 {
        self.entries
    }

    /// The length of each owned buffer (0 for a ring made with [`empty`](Self::empty)).
    pub fn buf_len(&self) -> u32 {
        self.buf_len
    }

    fn owned_addr(&self, bid: u16) -> u64 {
        self.map.ptr.as_ptr() as u64
            + (self.bufs_off + usize::from(bid) * self.buf_len as usize) as u64
    }

    /// Writes descriptor `(addr, len, bid)` at the local tail. Unpublished until `advance`.
    #[inline]
    fn push(&mut self, addr: u64, len: u32, bid: u16) {
        let slot = usize::from(self.tail & self.mask);
        let entry = self.map.ptr.as_ptr().cast::<Buf>().wrapping_add(slot);
        // SAFETY: `slot < entries`, so `entry` lies in the descriptor ring at the start of the
        // mapping. The kernel reads descriptors only below the published tail, and this one is
        // at or past it. Fields are written one by one because `resv` of entry 0 is the shared
        // tail.
        unsafe {
            ptr::addr_of_mut!((*entry).addr).write(addr);
            ptr::addr_of_mut!((*entry).len).write(len);
            ptr::addr_of_mut!((*entry).bid).write(bid);
        }
        self.tail = self.tail.wrapping_add(1);
    }

    /// Adds an owned buffer back to the ring after its CQE has been handled (whole again).
    /// Unpublished until [`advance`](Self::advance).
    ///
    /// # Errors
    /// `EINVAL`: `bid` is not one of this ring's own buffers.
    #[inline]
    pub fn recycle(&mut self, bid: u16) -> Result<(), Errno> {
        if self.buf_len == 0 || bid >= self.entries {
            return Err(Errno::EINVAL);
        }
        self.push(self.owned_addr(bid), self.buf_len, bid);
        Ok(())
    }

    /// Adds the caller's buffer `(addr, len)` as id `bid`. Unpublished until
    /// [`advance`](Self::advance). Adding more than [`entries`](Self::entries) buffers the
    /// kernel has not yet taken overwrites descriptors not yet used.
    ///
    /// # Safety
    /// `addr` must be valid for writes of `len` bytes until the CQE that hands buffer `bid`
    /// back has been reaped, or the ring is dropped with no request using it.
    #[inline]
    pub unsafe fn add(&mut self, addr: *mut u8, len: u32, bid: u16) {
        self.push(addr as u64, len, bid);
    }

    /// Publishes every buffer added since the last call: one release store of the shared tail,
    /// after which the kernel may hand them out.
    #[inline]
    pub fn advance(&mut self) {
        // Release: the descriptors written by `push` are visible before the kernel, which
        // loads the tail with acquire, reads them.
        self.shared_tail().store(self.tail, Ordering::Release);
    }

    /// Publishes the added buffers and consumes `cqes` CQEs of `cq`: the usual end of a batch
    /// that recycled the buffers its CQEs named. One store each.
    #[inline]
    pub fn advance_with_cq(&mut self, cq: &mut CompletionQueue, cqes: u32) {
        self.advance();
        cq.advance(cqes);
    }

    fn shared_tail(&self) -> &AtomicU16 {
        // SAFETY: the tail is the u16 at byte 14 of the descriptor ring (the `resv` of entry 0),
        // 2-aligned in page-aligned memory the BufRing owns; the kernel only reads it.
        unsafe {
            &*self
                .map
                .ptr
                .as_ptr()
                .add(sys::BUF_RING_TAIL_OFFSET)
                .cast::<AtomicU16>()
        }
    }

    /// The kernel's head: how many buffers it has taken so far, modulo 2^16
    /// (`IORING_REGISTER_PBUF_STATUS`).
    ///
    /// # Errors
    /// `EINVAL` on kernels before 6.8.
    pub fn head(&self) -> Result<u16, Errno> {
        let mut status = BufStatus {
            buf_group: u32::from(self.bgid),
            ..BufStatus::default()
        };
        // SAFETY: `status` is a live `io_uring_buf_status` the kernel reads and writes.
        unsafe {
            sys::io_uring_register(
                self.fd.0,
                sys::IORING_REGISTER_PBUF_STATUS,
                (&mut status as *mut BufStatus).cast::<c_void>(),
                1,
            )
        }?;
        Ok(status.head as u16)
    }

    /// Bytes `offset..offset + len` of owned buffer `bid`; `None` when out of range.
    ///
    /// # Safety
    /// Those bytes must not be written by the kernel while the slice lives: `bid` was handed
    /// back by a reaped CQE and not recycled since (with incremental consumption: the range was
    /// filled by reaped CQEs and the kernel has moved past it), and no other descriptor for
    /// `bid` is still in the ring — each [`recycle`](Self::recycle) adds one, so a buffer
    /// recycled twice before the kernel took it can be handed to a second request.
    pub unsafe fn buffer(&self, bid: u16, offset: usize, len: usize) -> Option<&[u8]> {
        if bid >= self.entries || offset.checked_add(len)? > self.buf_len as usize {
            return None;
        }
        let start = self.bufs_off + usize::from(bid) * self.buf_len as usize + offset;
        // SAFETY: the range lies inside owned buffer `bid` in the mapping; the caller
        // guarantees no concurrent kernel write.
        Some(unsafe { core::slice::from_raw_parts(self.map.ptr.as_ptr().add(start), len) })
    }
}

impl Drop for BufRing {
    fn drop(&mut self) {
        if self.buf_len > 0 {
            // A request that took one of the owned buffers may still be writing into it (an
            // io-wq worker copies by address, after the buffer left the ring): keep the range
            // reserved so that nothing else is ever placed there.
            self.map.retire_on_drop();
        }
        let reg = BufReg {
            bgid: self.bgid,
            ..BufReg::default()
        };
        // SAFETY: `reg` is a valid `io_uring_buf_reg`; unregistering stops the kernel from
        // taking more descriptors before the fields' drops unmap the memory. An error (ring
        // already torn down) leaves nothing to undo.
        let _ = unsafe {
            sys::io_uring_register(
                self.fd.0,
                sys::IORING_UNREGISTER_PBUF_RING,
                (&reg as *const BufReg).cast(),
                1,
            )
        };
    }
}

/// A duplicate of a ring fd, closed on drop.
#[derive(Debug)]
struct DupFd(i32);

impl DupFd {
    fn new(fd: i32) -> Result<DupFd, Errno> {
        // SAFETY: F_DUPFD_CLOEXEC on an fd we were given; failure is checked.
        let new = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) };
        if new < 0 {
            return Err(Errno::last());
        }
        Ok(DupFd(new))
    }
}

impl Drop for DupFd {
    fn drop(&mut self) {
        // SAFETY: this value owns the duplicate and closes it once.
        unsafe {
            libc::close(self.0);
        }
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::BufRing;
    use crate::Ring;

    /// The mapping line of `/proc/self/maps` that contains `addr`, if any.
    fn mapping_of(addr: usize) -> Option<std::string::String> {
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
        maps.lines()
            .find(|l| {
                let range = l.split_whitespace().next().unwrap();
                let (a, b) = range.split_once('-').unwrap();
                let a = usize::from_str_radix(a, 16).unwrap();
                let b = usize::from_str_radix(b, 16).unwrap();
                (a..b).contains(&addr)
            })
            .map(std::string::String::from)
    }

    #[test]
    fn dropped_owned_buffers_stay_reserved_never_reused() {
        let ring = Ring::new(4).unwrap();
        let br = match BufRing::new(&ring, 9, 4, 4096) {
            Ok(br) => br,
            Err(e) => {
                std::println!("SKIPPED: IORING_REGISTER_PBUF_RING: {e}");
                return;
            }
        };
        let addr = br.owned_addr(0) as usize;
        assert!(mapping_of(addr).unwrap().contains("rw-p"));
        drop(br);
        let line = mapping_of(addr).expect("the buffers' range is still mapped");
        assert!(line.contains("---p"), "inaccessible after the drop: {line}");
    }
}
