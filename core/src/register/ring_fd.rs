//! Registering the ring's own fd (`IORING_REGISTER_RING_FDS`): `io_uring_enter` then names
//! the ring by a small per-thread index and the kernel skips the fd-table lookup on every enter.
//!
//! The registration belongs to the *thread* (kernel task) that made it: the index means
//! something in that thread's table only. A `Ring` is `Send` and its `Submitter` is shared
//! between threads, so each enter checks that it runs on the registering thread (a thread-local
//! compare, no system call) and goes through the plain fd everywhere else: a registered ring fd
//! never enters another ring.

use crate::error::Errno;
use crate::ring::{thread_token, Registered, Ring};
use crate::sys::{self, RsrcUpdate};

impl Ring {
    /// Registers the ring fd in the calling thread's table and makes this thread's later
    /// enters of this ring go through the registered index. Returns the index.
    ///
    /// # Threads
    ///
    /// The kernel keeps registered ring fds per thread, so the index is used on the thread
    /// that registered it and only there. The ring may still move to, or be shared
    /// (`&Submitter`) with, other threads: their enters use the plain fd, one fd-table lookup
    /// per enter, and always reach this ring, never the ring another thread registered at the
    /// same index. Telling threads apart costs a thread-local load and a compare per enter
    /// (only for a ring with a registered fd), no system call.
    ///
    /// The ring remembers one registration. Registering on another thread moves it there; the
    /// first thread's slot stays taken until that thread exits (the kernel lets a thread change
    /// only its own table), and so does the slot of a ring dropped on another thread than the
    /// one that registered it. A ring dropped on its registering thread frees its slot.
    ///
    /// # Errors
    /// `EBUSY`: already registered through this `Ring` on this thread, or the thread's table of
    /// [`IO_RINGFD_REG_MAX`](sys::IO_RINGFD_REG_MAX) registered rings is full; `EINVAL` on
    /// kernels before 5.18; `ENOMEM` if the thread cannot be told apart from others (no fork
    /// handler could be installed).
    pub fn register_ring_fd(&mut self) -> Result<u32, Errno> {
        if self.registered_ring_index().is_some() {
            return Err(Errno::EBUSY);
        }
        let owner = thread_token::current_or_new().ok_or(Errno::ENOMEM)?;
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
        let Ok(index) = u16::try_from(up.offset) else {
            // Beyond any table the kernel has had (16 entries): not an index ringcore keeps.
            let _ = self.unregister_index(up.offset);
            return Err(Errno::EINVAL);
        };
        self.set_registered(Some(Registered { index, owner }));
        Ok(up.offset)
    }

    /// Unregisters the ring fd from the calling thread's table; enters use the plain fd again.
    ///
    /// # Errors
    /// `ENXIO`: not registered through this `Ring` on this thread (a registration made on
    /// another thread is left alone: only that thread can remove it, and this call must not
    /// remove whatever ring this thread has at the same index); the kernel's errno otherwise
    /// (the ring then keeps entering through the plain fd).
    pub fn unregister_ring_fd(&mut self) -> Result<(), Errno> {
        let index = self.registered_ring_index().ok_or(Errno::ENXIO)?;
        self.set_registered(None);
        self.unregister_index(index)
    }

    /// Removes entry `index` from the calling thread's table of registered ring fds.
    fn unregister_index(&self, index: u32) -> Result<(), Errno> {
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

    /// The registered index this thread's enters go through, or `None` when they use the fd
    /// (not registered, or registered on another thread).
    pub fn registered_ring_index(&self) -> Option<u32> {
        self.submitter().registered_here()
    }
}
