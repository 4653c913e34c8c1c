//! NAPI busy polling for the ring's network requests (`IORING_REGISTER_NAPI`).

use crate::error::Errno;
use crate::ring::Ring;
use crate::sys::{self, Napi};

impl Ring {
    /// Busy-polls the NAPI contexts of the ring's sockets for up to `busy_poll_us`
    /// microseconds when waiting, tracking them dynamically; `prefer_busy_poll` sets the
    /// socket option of that name for them.
    ///
    /// # Errors
    /// `EINVAL`: the kernel lacks NAPI support or the values are bad; `EINVAL` on an
    /// `IOPOLL` ring.
    pub fn register_napi(&self, busy_poll_us: u32, prefer_busy_poll: bool) -> Result<(), Errno> {
        let mut napi = Napi {
            busy_poll_to: busy_poll_us,
            prefer_busy_poll: u8::from(prefer_busy_poll),
            opcode: sys::IO_URING_NAPI_REGISTER_OP,
            op_param: sys::IO_URING_NAPI_TRACKING_DYNAMIC,
            ..Napi::default()
        };
        self.register_napi_raw(&mut napi)
    }

    /// Makes `IORING_REGISTER_NAPI` with `napi` as given (static tracking, adding or removing
    /// ids). The kernel writes the previous settings back into `napi`.
    ///
    /// # Errors
    /// As [`register_napi`](Self::register_napi); `EINVAL` for an unknown opcode or strategy.
    pub fn register_napi_raw(&self, napi: &mut Napi) -> Result<(), Errno> {
        // SAFETY: `napi` is a live, exclusive `io_uring_napi` the kernel reads and writes.
        unsafe { self.register(sys::IORING_REGISTER_NAPI, (napi as *mut Napi).cast(), 1) }
            .map(|_| ())
    }

    /// Stops NAPI busy polling; returns the settings that were in force.
    ///
    /// # Errors
    /// `EINVAL` on kernels without NAPI support.
    pub fn unregister_napi(&self) -> Result<Napi, Errno> {
        let mut napi = Napi::default();
        // SAFETY: `napi` is a live `io_uring_napi` the kernel writes the old settings into.
        unsafe {
            self.register(
                sys::IORING_UNREGISTER_NAPI,
                (&mut napi as *mut Napi).cast(),
                1,
            )
        }?;
        Ok(napi)
    }
}
