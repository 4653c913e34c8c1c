//! [`Builder`]: the setup parameters of a ring.

use super::Ring;
use crate::error::Errno;
use crate::sys::{Params, SetupFlags};

/// Parameters for [`Ring`] setup. Start with [`Ring::builder`].
///
/// By default the ring uses `IORING_SETUP_NO_SQARRAY` where the kernel has it (falling back
/// silently where it does not), as liburing does.
#[derive(Clone, Copy, Debug)]
pub struct Builder {
    entries: u32,
    params: Params,
    no_sqarray: bool,
}

impl Builder {
    pub(crate) fn new(entries: u32) -> Builder {
        Builder {
            entries,
            params: Params::default(),
            no_sqarray: true,
        }
    }

    fn flag(mut self, f: SetupFlags) -> Self {
        self.params.flags |= f.bits();
        self
    }

    /// A CQ of `n` entries (rounded up to a power of two) instead of twice the SQ size.
    pub fn cq_entries(mut self, n: u32) -> Self {
        self.params.cq_entries = n;
        self.flag(SetupFlags::CQSIZE)
    }

    /// A kernel thread polls the SQ, sleeping after `idle_ms` milliseconds without work.
    pub fn sqpoll(mut self, idle_ms: u32) -> Self {
        self.params.sq_thread_idle = idle_ms;
        self.flag(SetupFlags::SQPOLL)
    }

    /// Pins the SQPOLL thread to `cpu` (use with [`sqpoll`](Self::sqpoll)).
    pub fn sqpoll_cpu(mut self, cpu: u32) -> Self {
        self.params.sq_thread_cpu = cpu;
        self.flag(SetupFlags::SQ_AFF)
    }

    /// Busy-polls for completions (files opened with `O_DIRECT` on polling-capable devices).
    pub fn iopoll(self) -> Self {
        self.flag(SetupFlags::IOPOLL)
    }

    /// Clamps too-large sizes to the kernel's maximum instead of failing.
    pub fn clamp(self) -> Self {
        self.flag(SetupFlags::CLAMP)
    }

    /// Keeps submitting a batch after one of its SQEs fails.
    pub fn submit_all(self) -> Self {
        self.flag(SetupFlags::SUBMIT_ALL)
    }

    /// Does not interrupt the task to run completion work.
    pub fn coop_taskrun(self) -> Self {
        self.flag(SetupFlags::COOP_TASKRUN)
    }

    /// Flags pending completion work in the SQ ring (`IORING_SQ_TASKRUN`).
    pub fn taskrun_flag(self) -> Self {
        self.flag(SetupFlags::TASKRUN_FLAG)
    }

    /// Promises that one task submits.
    pub fn single_issuer(self) -> Self {
        self.flag(SetupFlags::SINGLE_ISSUER)
    }

    /// Runs completion work only when the task waits (requires `single_issuer`).
    pub fn defer_taskrun(self) -> Self {
        self.flag(SetupFlags::DEFER_TASKRUN)
    }

    /// Starts the ring disabled; [`Ring::enable`] enables it (after registering restrictions).
    pub fn r_disabled(self) -> Self {
        self.flag(SetupFlags::R_DISABLED)
    }

    /// Shares the async worker pool of the ring whose fd is `wq_fd`.
    pub fn attach_wq(mut self, wq_fd: i32) -> Self {
        self.params.wq_fd = wq_fd as u32;
        self.flag(SetupFlags::ATTACH_WQ)
    }

    /// 128-byte SQEs (for `URING_CMD` payloads).
    pub fn sqe128(self) -> Self {
        self.flag(SetupFlags::SQE128)
    }

    /// 32-byte CQEs.
    pub fn cqe32(self) -> Self {
        self.flag(SetupFlags::CQE32)
    }

    /// Whether to ask for `IORING_SETUP_NO_SQARRAY` (default: yes, where supported).
    pub fn no_sqarray(mut self, yes: bool) -> Self {
        self.no_sqarray = yes;
        self
    }

    /// Adds raw setup flags, e.g. ones newer than ringcore; the kernel judges them.
    pub fn flags(mut self, flags: SetupFlags) -> Self {
        self.params.flags |= flags.bits();
        self
    }

    /// The parameters as they will be passed to `io_uring_setup`.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// Creates the ring.
    ///
    /// # Errors
    /// `EINVAL` for 0 entries, too many entries without `clamp`, unknown or conflicting flags,
    /// and for `NO_MMAP`, `REGISTERED_FD_ONLY`, `CQE_MIXED` and `SQE_MIXED`, which the ring
    /// layer does not drive; `ENOMEM`, `EMFILE`/`ENFILE`, `EPERM` (io_uring disabled or SQPOLL
    /// not allowed) and other errnos from `io_uring_setup` and `mmap`.
    pub fn build(self) -> Result<Ring, Errno> {
        let unsupported = SetupFlags::NO_MMAP
            | SetupFlags::REGISTERED_FD_ONLY
            | SetupFlags::CQE_MIXED
            | SetupFlags::SQE_MIXED;
        if self.entries == 0
            || SetupFlags::from_bits_retain(self.params.flags).intersects(unsupported)
        {
            return Err(Errno::EINVAL);
        }
        if self.no_sqarray {
            let mut params = self.params;
            params.flags |= SetupFlags::NO_SQARRAY.bits();
            match Ring::setup(self.entries, params) {
                // Kernels before 6.6 reject the flag; anything else wrong fails again below.
                Err(Errno::EINVAL) => {}
                other => return other,
            }
        }
        Ring::setup(self.entries, self.params)
    }
}
