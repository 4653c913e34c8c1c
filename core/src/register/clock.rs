//! The clock the ring's waits are measured on (`IORING_REGISTER_CLOCK`).

use crate::error::Errno;
use crate::ring::Ring;
use crate::sys::{self, ClockRegister};

impl Ring {
    /// Measures wait timeouts of `io_uring_enter` on `clockid`: `CLOCK_MONOTONIC` (the
    /// default) or `CLOCK_BOOTTIME`.
    ///
    /// # Errors
    /// `EINVAL`: another clock, or a kernel without the call (before 6.12).
    pub fn register_clock(&self, clockid: i32) -> Result<(), Errno> {
        let arg = ClockRegister {
            clockid: clockid as u32,
            resv: [0; 3],
        };
        // SAFETY: `arg` is a valid `io_uring_clock_register` read during the call.
        unsafe {
            self.register(
                sys::IORING_REGISTER_CLOCK,
                (&arg as *const ClockRegister).cast(),
                0,
            )
        }
        .map(|_| ())
    }
}
