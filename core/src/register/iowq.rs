//! The ring's io-wq worker pool: CPU affinity (`IORING_REGISTER_IOWQ_AFF`) and worker limits
//! (`IORING_REGISTER_IOWQ_MAX_WORKERS`).

use crate::error::Errno;
use crate::ring::Ring;
use crate::sys;
use core::mem::size_of;

impl Ring {
    /// Pins the ring's io-wq workers (or its SQPOLL thread's workers) to `cpus`.
    ///
    /// # Errors
    /// `EINVAL`: an empty set or no online CPU in it; `EFAULT`.
    pub fn register_iowq_aff(&self, cpus: &libc::cpu_set_t) -> Result<(), Errno> {
        // SAFETY: `cpus` is a live cpu set of the length passed; the kernel only reads it.
        unsafe {
            self.register(
                sys::IORING_REGISTER_IOWQ_AFF,
                (cpus as *const libc::cpu_set_t).cast(),
                size_of::<libc::cpu_set_t>() as u32,
            )
        }
        .map(|_| ())
    }

    /// Lets io-wq workers run on any CPU again.
    ///
    /// # Errors
    /// The kernel's errno (`EINVAL` on kernels without io-wq affinity).
    pub fn unregister_iowq_aff(&self) -> Result<(), Errno> {
        // SAFETY: UNREGISTER_IOWQ_AFF takes no argument.
        unsafe { self.register(sys::IORING_UNREGISTER_IOWQ_AFF, core::ptr::null(), 0) }.map(|_| ())
    }

    /// Sets the most io-wq workers for bounded (`counts[0]`) and unbounded (`counts[1]`) work;
    /// a 0 leaves that limit alone. On return `counts` holds the previous limits, so `[0, 0]`
    /// reads them.
    ///
    /// # Errors
    /// `EINVAL` on kernels without the call; `EFAULT`.
    pub fn register_iowq_max_workers(&self, counts: &mut [u32; 2]) -> Result<(), Errno> {
        // SAFETY: `counts` is two live, exclusive u32s the kernel reads and writes back.
        unsafe {
            self.register(
                sys::IORING_REGISTER_IOWQ_MAX_WORKERS,
                counts.as_mut_ptr().cast(),
                2,
            )
        }
        .map(|_| ())
    }
}
