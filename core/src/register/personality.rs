//! Personalities (`IORING_REGISTER_PERSONALITY`): the calling task's credentials, saved under
//! an id that an SQE can name in `sqe.personality` to run with them.

use crate::error::Errno;
use crate::ring::Ring;
use crate::sys;

impl Ring {
    /// Saves the current credentials; returns the id for `sqe.personality`.
    ///
    /// # Errors
    /// `ENOMEM`, or `EINVAL` on kernels without personalities.
    pub fn register_personality(&self) -> Result<u16, Errno> {
        // SAFETY: REGISTER_PERSONALITY takes no argument.
        let id = unsafe { self.register(sys::IORING_REGISTER_PERSONALITY, core::ptr::null(), 0) }?;
        u16::try_from(id).map_err(|_| Errno::EOVERFLOW)
    }

    /// Forgets personality `id`.
    ///
    /// # Errors
    /// `EINVAL`: no personality with that id.
    pub fn unregister_personality(&self, id: u16) -> Result<(), Errno> {
        // SAFETY: UNREGISTER_PERSONALITY takes the id in `nr_args` and no pointer.
        unsafe {
            self.register(
                sys::IORING_UNREGISTER_PERSONALITY,
                core::ptr::null(),
                u32::from(id),
            )
        }
        .map(|_| ())
    }
}
