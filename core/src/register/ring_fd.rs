//! Registering the ring's own fd (`IORING_REGISTER_RING_FDS`): `io_uring_enter` then names
//! the ring by a small per-task index and the kernel skips the fd-table lookup on every enter.
//!
//! The registration belongs to the *task* (thread) that made it. Enter only from that thread
//! while registered; from another thread the index means nothing and enters fail with
//! `EINVAL`/`EBADF` (an error, never a wrong ring).

use crate::error::Errno;
use crate::ring::Ring;
use crate::sys::{self, EnterFlags, RsrcUpdate};

impl Ring {
    /// Registers the ring fd and makes every later enter of this ring go through the
    /// registered index. Returns the index.
    ///
    /// # Errors
    /// `EBUSY`: already registered through this `Ring`, or the task's table of
    /// [`IO_RINGFD_REG_MAX`](sys::IO_RINGFD_REG_MAX) registered rings is full; `EINVAL` on
    /// kernels before 5.18.
    pub fn register_ring_fd(&mut self) -> Result<u32, Errno> {
        if self.registered_ring_index().is_some() {
            return Err(Errno::EBUSY);
        }
        let mut up = RsrcUpdate {
            // u32::MAX: let the kernel pick a free index and write it back here.
            offset: u32::MAX,
            resv: 0,
            data: self.fd() as u64,
        };
        // SAFETY: `up` is one valid `io_uring_rsrc_update` the kernel reads and writes back.
        let n = unsafe {
            self.register(
                sys::IORING_REGISTER_RING_FDS,
                (&mut up as *mut RsrcUpdate).cast(),
                1,
            )
        }?;
        if n != 1 {
            return Err(Errno::EINVAL);
        }
        self.set_registered_index(Some(up.offset));
        Ok(up.offset)
    }

    /// Unregisters the ring fd; enters use the plain fd again.
    ///
    /// # Errors
    /// `ENXIO`: not registered through this `Ring`; the kernel's errno otherwise (the ring
    /// then keeps entering through the plain fd).
    pub fn unregister_ring_fd(&mut self) -> Result<(), Errno> {
        let index = self.registered_ring_index().ok_or(Errno::ENXIO)?;
        self.set_registered_index(None);
        let up = RsrcUpdate {
            offset: index,
            resv: 0,
            data: 0,
        };
        // SAFETY: `up` is one valid `io_uring_rsrc_update` the kernel reads.
        unsafe {
            self.register(
                sys::IORING_UNREGISTER_RING_FDS,
                (&up as *const RsrcUpdate).cast(),
                1,
            )
        }
        .map(|_| ())
    }

    /// The registered index enters go through, or `None` when they use the fd.
    pub fn registered_ring_index(&self) -> Option<u32> {
        let s = self.submitter();
        s.enter_flags
            .contains(EnterFlags::REGISTERED_RING)
            .then_some(s.enter_fd as u32)
    }
}
