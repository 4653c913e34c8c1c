//! An eventfd the kernel signals when it posts CQEs: `IORING_REGISTER_EVENTFD`,
//! `EVENTFD_ASYNC`, `UNREGISTER_EVENTFD`, and the CQ ring's `EVENTFD_DISABLED` flag.
//!
//! The kernel signals once per batch of CQEs it posts together (a flush), not once per CQE.

use crate::error::Errno;
use crate::ring::Ring;
use crate::sys::{self, CqRingFlags};

impl Ring {
    /// Has the kernel signal `fd` (an eventfd) when it posts CQEs.
    ///
    /// # Errors
    /// `EBUSY`: an eventfd is already registered; `EBADF`: `fd` is not an eventfd.
    pub fn register_eventfd(&self, fd: i32) -> Result<(), Errno> {
        self.eventfd_call(sys::IORING_REGISTER_EVENTFD, fd)
    }

    /// Like [`register_eventfd`](Self::register_eventfd), but signals only for requests that
    /// completed asynchronously (in an io-wq worker), not inline at submission.
    ///
    /// # Errors
    /// As [`register_eventfd`](Self::register_eventfd).
    pub fn register_eventfd_async(&self, fd: i32) -> Result<(), Errno> {
        self.eventfd_call(sys::IORING_REGISTER_EVENTFD_ASYNC, fd)
    }

    fn eventfd_call(&self, opcode: u32, fd: i32) -> Result<(), Errno> {
        // SAFETY: the argument is one int, read during the call.
        unsafe { self.register(opcode, (&fd as *const i32).cast(), 1) }.map(|_| ())
    }

    /// Stops signalling the registered eventfd.
    ///
    /// # Errors
    /// `ENXIO`: none is registered.
    pub fn unregister_eventfd(&self) -> Result<(), Errno> {
        // SAFETY: UNREGISTER_EVENTFD takes no argument.
        unsafe { self.register(sys::IORING_UNREGISTER_EVENTFD, core::ptr::null(), 0) }.map(|_| ())
    }

    /// Turns signalling of the registered eventfd off (`false`) or back on (`true`) without
    /// a syscall, through the CQ ring's `IORING_CQ_EVENTFD_DISABLED` flag.
    ///
    /// # Errors
    /// `EINVAL`: the kernel's CQ ring has no flags word (before 5.8).
    pub fn set_eventfd_notifications(&mut self, enabled: bool) -> Result<(), Errno> {
        let cq = self.cq();
        let mut flags = cq.flags();
        flags.set(CqRingFlags::EVENTFD_DISABLED, !enabled);
        cq.set_flags(flags)
    }

    /// Whether the registered eventfd is signalled (the CQ ring's `EVENTFD_DISABLED` is clear).
    pub fn eventfd_notifications(&mut self) -> bool {
        !self.cq().flags().contains(CqRingFlags::EVENTFD_DISABLED)
    }
}
