//! Resizing a live ring's queues (`IORING_REGISTER_RESIZE_RINGS`).
//!
//! The kernel allocates new rings, copies the pending SQEs and CQEs over and keeps the head and
//! tail values; ringcore then maps the new rings and unmaps the old ones, so the pointers
//! behind the [`Ring`]'s queues change (nothing borrowed from the ring can live across the call,
//! as it takes `&mut self`).

use crate::error::Errno;
use crate::ring::Ring;
use crate::sys::{self, Params, SetupFlags};

impl Ring {
    /// Resizes the SQ to `sq_entries` and the CQ to `cq_entries` (0: twice the SQ), both
    /// rounded up to powers of two. CQEs not yet reaped stay in the ring. Only rings built
    /// with `defer_taskrun` and without an SQ index array (the builder's default,
    /// `no_sqarray(true)`) can be resized, and no SQE may be taken and unsubmitted.
    ///
    /// # Errors
    /// `EOPNOTSUPP`: the ring has an SQ index array (the kernel does not report where the
    /// resized one lives); `EBUSY`: SQEs are taken but not yet consumed (submit first);
    /// `EINVAL`: the ring is not
    /// `DEFER_TASKRUN`, bad sizes, or a kernel without resizing (before 6.13); `EOVERFLOW`:
    /// more CQEs wait than the new CQ holds. On these errors the ring is unchanged. Should
    /// mapping the new rings fail after the kernel resized (`ENOMEM`), the ring is unusable
    /// and must be dropped.
    pub fn resize_rings(&mut self, sq_entries: u32, cq_entries: u32) -> Result<(), Errno> {
        if !self.setup_flags().contains(SetupFlags::NO_SQARRAY) {
            // The kernel (6.18) answers a resize with `sq_off.array` 0, so the new SQ index
            // array, which must be filled before use, cannot be located.
            return Err(Errno::EOPNOTSUPP);
        }
        if self.sq_pending() != 0 {
            return Err(Errno::EBUSY);
        }
        let mut arg = Params {
            sq_entries,
            cq_entries,
            flags: if cq_entries != 0 {
                SetupFlags::CQSIZE.bits()
            } else {
                0
            },
            ..Params::default()
        };
        // SAFETY: `arg` is a live `io_uring_params` the kernel reads and fills in.
        unsafe {
            self.submitter().register_raw(
                sys::IORING_REGISTER_RESIZE_RINGS,
                (&mut arg as *mut Params).cast(),
                1,
            )
        }?;
        // Keep the ring's own flags and features; take the new sizes and offsets.
        let mut params = *self.params();
        params.sq_entries = arg.sq_entries;
        params.cq_entries = arg.cq_entries;
        params.sq_off = arg.sq_off;
        params.cq_off = arg.cq_off;
        self.remap(params)
    }
}
