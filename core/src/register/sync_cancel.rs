//! Synchronous cancellation (`IORING_REGISTER_SYNC_CANCEL`): cancel matching requests and wait
//! until they are gone, in one syscall, without an SQE.

use crate::error::Errno;
use crate::ring::Ring;
use crate::sys::{self, CancelFlags, Opcode, SyncCancelReg, Timespec};
use core::time::Duration;

/// Which requests a synchronous cancel matches, and how long it may wait.
///
/// Start from [`user_data`](Self::user_data), [`fd`](Self::fd), [`fixed_fd`](Self::fixed_fd),
/// [`opcode`](Self::opcode) or [`any`](Self::any); narrow with [`all`](Self::all) and bound
/// with [`timeout`](Self::timeout) (the default waits as long as it takes).
#[derive(Clone, Copy, Debug)]
pub struct SyncCancel(SyncCancelReg);

impl SyncCancel {
    fn new(flags: CancelFlags) -> SyncCancel {
        SyncCancel(SyncCancelReg {
            flags: flags.bits(),
            // -1/-1: no timeout.
            timeout: Timespec {
                tv_sec: -1,
                tv_nsec: -1,
            },
            ..SyncCancelReg::default()
        })
    }

    /// Requests whose `user_data` is `user_data`.
    pub fn user_data(user_data: u64) -> SyncCancel {
        let mut c = SyncCancel::new(CancelFlags::empty());
        c.0.addr = user_data;
        c
    }

    /// Requests on file descriptor `fd`.
    pub fn fd(fd: i32) -> SyncCancel {
        let mut c = SyncCancel::new(CancelFlags::FD);
        c.0.fd = fd;
        c
    }

    /// Requests on fixed-file slot `index`.
    pub fn fixed_fd(index: u32) -> SyncCancel {
        let mut c = SyncCancel::new(CancelFlags::FD | CancelFlags::FD_FIXED);
        c.0.fd = index as i32;
        c
    }

    /// Requests with opcode `op`.
    pub fn opcode(op: Opcode) -> SyncCancel {
        let mut c = SyncCancel::new(CancelFlags::OP);
        c.0.opcode = op;
        c
    }

    /// Every request.
    pub fn any() -> SyncCancel {
        SyncCancel::new(CancelFlags::ANY)
    }

    /// Cancels every match rather than the first.
    pub fn all(mut self) -> SyncCancel {
        self.0.flags |= CancelFlags::ALL.bits();
        self
    }

    /// Gives up after `timeout` (`ETIME`).
    pub fn timeout(mut self, timeout: Duration) -> SyncCancel {
        self.0.timeout = Timespec {
            tv_sec: timeout.as_secs() as i64,
            tv_nsec: i64::from(timeout.subsec_nanos()),
        };
        self
    }

    /// The raw registration argument.
    pub fn raw(&self) -> &SyncCancelReg {
        &self.0
    }
}

impl Ring {
    /// Cancels the requests `what` matches and waits until they have completed; their CQEs
    /// (usually `-ECANCELED`) are still posted to the CQ. Returns how many were cancelled
    /// when `what` uses [`all`](SyncCancel::all) or [`any`](SyncCancel::any), else 0.
    ///
    /// # Errors
    /// `ENOENT`: a single-match cancel found nothing; `EALREADY`: a match was running and could
    /// not be stopped; `ETIME`: the timeout ran out; `EINVAL` on kernels before 6.0.
    pub fn register_sync_cancel(&self, what: &SyncCancel) -> Result<u32, Errno> {
        // SAFETY: `what.0` is a valid `io_uring_sync_cancel_reg` read during the call.
        unsafe {
            self.register(
                sys::IORING_REGISTER_SYNC_CANCEL,
                (&what.0 as *const SyncCancelReg).cast(),
                1,
            )
        }
    }
}
