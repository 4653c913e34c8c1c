//! Flag sets of the io_uring ABI. Every set keeps bits it does not name (`const _ = !0`), so a
//! newer kernel's flags pass through unchanged.

use bitflags::bitflags;

bitflags! {
    /// `io_uring_params.flags`: how the ring is set up (`IORING_SETUP_*`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct SetupFlags: u32 {
        /// Busy-poll for completions instead of taking interrupts (O_DIRECT files only).
        const IOPOLL = 1 << 0;
        /// A kernel thread polls the submission queue.
        const SQPOLL = 1 << 1;
        /// `sq_thread_cpu` names the CPU of the SQPOLL thread.
        const SQ_AFF = 1 << 2;
        /// `cq_entries` gives the CQ size.
        const CQSIZE = 1 << 3;
        /// Clamp sizes to the maximum instead of failing.
        const CLAMP = 1 << 4;
        /// Share the async backend of the ring in `wq_fd`.
        const ATTACH_WQ = 1 << 5;
        /// Start disabled; enable with `IORING_REGISTER_ENABLE_RINGS`.
        const R_DISABLED = 1 << 6;
        /// Keep submitting the batch after an SQE fails.
        const SUBMIT_ALL = 1 << 7;
        /// Do not interrupt the task to run completion work.
        const COOP_TASKRUN = 1 << 8;
        /// Set `IORING_SQ_TASKRUN` when completion work is pending.
        const TASKRUN_FLAG = 1 << 9;
        /// 128-byte SQEs.
        const SQE128 = 1 << 10;
        /// 32-byte CQEs.
        const CQE32 = 1 << 11;
        /// Only one task submits.
        const SINGLE_ISSUER = 1 << 12;
        /// Run completion work only when the task enters with GETEVENTS.
        const DEFER_TASKRUN = 1 << 13;
        /// The application provides the ring memory.
        const NO_MMAP = 1 << 14;
        /// The ring fd is registered and the real fd is not returned.
        const REGISTERED_FD_ONLY = 1 << 15;
        /// No SQ index array: SQEs are consumed in ring order.
        const NO_SQARRAY = 1 << 16;
        /// Hybrid polling for IOPOLL rings.
        const HYBRID_IOPOLL = 1 << 17;
        /// Both 16- and 32-byte CQEs in one CQ (6.18).
        const CQE_MIXED = 1 << 18;
        /// Both 64- and 128-byte SQEs in one SQ (6.19).
        const SQE_MIXED = 1 << 19;
        const _ = !0;
    }
}

bitflags! {
    /// `io_uring_params.features`: what the kernel offers (`IORING_FEAT_*`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct Features: u32 {
        /// SQ and CQ rings share one mapping.
        const SINGLE_MMAP = 1 << 0;
        /// CQEs are never dropped on overflow; they wait in a backlog.
        const NODROP = 1 << 1;
        /// SQE data is consumed at submission.
        const SUBMIT_STABLE = 1 << 2;
        /// Offset -1 means the file's current position.
        const RW_CUR_POS = 1 << 3;
        /// Requests run with the submitter's credentials.
        const CUR_PERSONALITY = 1 << 4;
        /// Internal polling instead of async worker threads.
        const FAST_POLL = 1 << 5;
        /// 32-bit poll event masks.
        const POLL_32BITS = 1 << 6;
        /// SQPOLL works with non-registered files.
        const SQPOLL_NONFIXED = 1 << 7;
        /// `io_uring_enter` takes `IORING_ENTER_EXT_ARG`.
        const EXT_ARG = 1 << 8;
        /// Async workers are native threads.
        const NATIVE_WORKERS = 1 << 9;
        /// Registered resources can carry tags.
        const RSRC_TAGS = 1 << 10;
        /// `IOSQE_CQE_SKIP_SUCCESS` is supported.
        const CQE_SKIP = 1 << 11;
        /// Linked requests resolve files at execution.
        const LINKED_FILE = 1 << 12;
        /// Registered ring fds are usable in `io_uring_register`.
        const REG_REG_RING = 1 << 13;
        /// Send/recv bundles.
        const RECVSEND_BUNDLE = 1 << 14;
        /// Minimum wait time in the extended enter argument.
        const MIN_TIMEOUT = 1 << 15;
        /// Read/write attributes.
        const RW_ATTR = 1 << 16;
        /// `IORING_ENTER_NO_IOWAIT`.
        const NO_IOWAIT = 1 << 17;
        const _ = !0;
    }
}

bitflags! {
    /// `io_uring_enter` flags (`IORING_ENTER_*`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct EnterFlags: u32 {
        /// Wait for `min_complete` completions.
        const GETEVENTS = 1 << 0;
        /// Wake the SQPOLL thread.
        const SQ_WAKEUP = 1 << 1;
        /// Wait for SQ space (SQPOLL).
        const SQ_WAIT = 1 << 2;
        /// `arg` is a `struct io_uring_getevents_arg`.
        const EXT_ARG = 1 << 3;
        /// `fd` is a registered ring index.
        const REGISTERED_RING = 1 << 4;
        /// The timeout is absolute.
        const ABS_TIMER = 1 << 5;
        /// `arg` is an offset into a registered wait region.
        const EXT_ARG_REG = 1 << 6;
        /// Do not account the wait as iowait.
        const NO_IOWAIT = 1 << 7;
        const _ = !0;
    }
}

bitflags! {
    /// `sqe.flags` (`IOSQE_*`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct SqeFlags: u8 {
        /// `fd` is an index into the registered file table.
        const FIXED_FILE = 1 << 0;
        /// Start only after all earlier requests have completed.
        const IO_DRAIN = 1 << 1;
        /// The next SQE starts only when this one succeeds.
        const IO_LINK = 1 << 2;
        /// Like `IO_LINK`, but the chain survives this one's failure.
        const IO_HARDLINK = 1 << 3;
        /// Always issue asynchronously.
        const ASYNC = 1 << 4;
        /// Pick a buffer from the group in `buf_group`.
        const BUFFER_SELECT = 1 << 5;
        /// Post no CQE when the request succeeds.
        const CQE_SKIP_SUCCESS = 1 << 6;
        const _ = !0;
    }
}

bitflags! {
    /// `cqe.flags` (`IORING_CQE_F_*`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct CqeFlags: u32 {
        /// The upper 16 bits hold the id of the provided buffer used.
        const BUFFER = 1 << 0;
        /// More CQEs will follow for this request (multishot).
        const MORE = 1 << 1;
        /// The socket had more data after this receive.
        const SOCK_NONEMPTY = 1 << 2;
        /// A zero-copy send's notification CQE.
        const NOTIF = 1 << 3;
        /// The provided buffer will be used again (incremental consumption).
        const BUF_MORE = 1 << 4;
        /// A padding CQE to skip (mixed CQ rings).
        const SKIP = 1 << 5;
        /// This CQE is 32 bytes (mixed CQ rings).
        const CQE32 = 1 << 15;
        const _ = !0;
    }
}

bitflags! {
    /// Flags in the shared SQ ring's `flags` word (`IORING_SQ_*`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct SqRingFlags: u32 {
        /// The SQPOLL thread sleeps; enter with `SQ_WAKEUP`.
        const NEED_WAKEUP = 1 << 0;
        /// CQEs wait in the overflow backlog; enter with `GETEVENTS` to flush them.
        const CQ_OVERFLOW = 1 << 1;
        /// Completion work is pending; enter with `GETEVENTS` to run it.
        const TASKRUN = 1 << 2;
        const _ = !0;
    }
}

bitflags! {
    /// Flags in the shared CQ ring's `flags` word (`IORING_CQ_*`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct CqRingFlags: u32 {
        /// Do not signal the registered eventfd.
        const EVENTFD_DISABLED = 1 << 0;
        const _ = !0;
    }
}

bitflags! {
    /// `sqe.timeout_flags` (`IORING_TIMEOUT_*`, `IORING_LINK_TIMEOUT_UPDATE`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct TimeoutFlags: u32 {
        /// The timespec is absolute.
        const ABS = 1 << 0;
        /// Update an existing timeout.
        const UPDATE = 1 << 1;
        /// Use CLOCK_BOOTTIME.
        const BOOTTIME = 1 << 2;
        /// Use CLOCK_REALTIME.
        const REALTIME = 1 << 3;
        /// Update a link timeout.
        const LINK_UPDATE = 1 << 4;
        /// Treat `-ETIME` as success.
        const ETIME_SUCCESS = 1 << 5;
        /// Fire repeatedly (`sqe.off` times, 0 = forever).
        const MULTISHOT = 1 << 6;
        /// Never wait for the count of completions (6.17+).
        const IMMEDIATE_ARG = 1 << 7;
        const _ = !0;
    }
}

bitflags! {
    /// `sqe.cancel_flags` and sync-cancel flags (`IORING_ASYNC_CANCEL_*`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct CancelFlags: u32 {
        /// Cancel every match, not only the first.
        const ALL = 1 << 0;
        /// Match on the fd.
        const FD = 1 << 1;
        /// Match any request.
        const ANY = 1 << 2;
        /// The fd is a fixed file.
        const FD_FIXED = 1 << 3;
        /// Match on user_data (the default; with other keys, combine them).
        const USERDATA = 1 << 4;
        /// Match on the opcode.
        const OP = 1 << 5;
        const _ = !0;
    }
}
