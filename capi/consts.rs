//! Constants for C: opcodes and flag bits, as `#define RINGCORE_*` in the header.
//!
//! cbindgen needs literal values; each is checked against the core crate's at compile time.

use rc::sys;
use static_assertions::const_assert_eq;

// Opcodes (`IORING_OP_*`).
/// `IORING_OP_NOP`.
pub const RINGCORE_OP_NOP: u8 = 0;
const_assert_eq!(RINGCORE_OP_NOP, sys::IORING_OP_NOP);
/// `IORING_OP_READV`.
pub const RINGCORE_OP_READV: u8 = 1;
const_assert_eq!(RINGCORE_OP_READV, sys::IORING_OP_READV);
/// `IORING_OP_WRITEV`.
pub const RINGCORE_OP_WRITEV: u8 = 2;
const_assert_eq!(RINGCORE_OP_WRITEV, sys::IORING_OP_WRITEV);
/// `IORING_OP_FSYNC`.
pub const RINGCORE_OP_FSYNC: u8 = 3;
const_assert_eq!(RINGCORE_OP_FSYNC, sys::IORING_OP_FSYNC);
/// `IORING_OP_READ_FIXED`.
pub const RINGCORE_OP_READ_FIXED: u8 = 4;
const_assert_eq!(RINGCORE_OP_READ_FIXED, sys::IORING_OP_READ_FIXED);
/// `IORING_OP_WRITE_FIXED`.
pub const RINGCORE_OP_WRITE_FIXED: u8 = 5;
const_assert_eq!(RINGCORE_OP_WRITE_FIXED, sys::IORING_OP_WRITE_FIXED);
/// `IORING_OP_POLL_ADD`.
pub const RINGCORE_OP_POLL_ADD: u8 = 6;
const_assert_eq!(RINGCORE_OP_POLL_ADD, sys::IORING_OP_POLL_ADD);
/// `IORING_OP_POLL_REMOVE`.
pub const RINGCORE_OP_POLL_REMOVE: u8 = 7;
const_assert_eq!(RINGCORE_OP_POLL_REMOVE, sys::IORING_OP_POLL_REMOVE);
/// `IORING_OP_SYNC_FILE_RANGE`.
pub const RINGCORE_OP_SYNC_FILE_RANGE: u8 = 8;
const_assert_eq!(RINGCORE_OP_SYNC_FILE_RANGE, sys::IORING_OP_SYNC_FILE_RANGE);
/// `IORING_OP_SENDMSG`.
pub const RINGCORE_OP_SENDMSG: u8 = 9;
const_assert_eq!(RINGCORE_OP_SENDMSG, sys::IORING_OP_SENDMSG);
/// `IORING_OP_RECVMSG`.
pub const RINGCORE_OP_RECVMSG: u8 = 10;
const_assert_eq!(RINGCORE_OP_RECVMSG, sys::IORING_OP_RECVMSG);
/// `IORING_OP_TIMEOUT`.
pub const RINGCORE_OP_TIMEOUT: u8 = 11;
const_assert_eq!(RINGCORE_OP_TIMEOUT, sys::IORING_OP_TIMEOUT);
/// `IORING_OP_TIMEOUT_REMOVE`.
pub const RINGCORE_OP_TIMEOUT_REMOVE: u8 = 12;
const_assert_eq!(RINGCORE_OP_TIMEOUT_REMOVE, sys::IORING_OP_TIMEOUT_REMOVE);
/// `IORING_OP_ACCEPT`.
pub const RINGCORE_OP_ACCEPT: u8 = 13;
const_assert_eq!(RINGCORE_OP_ACCEPT, sys::IORING_OP_ACCEPT);
/// `IORING_OP_ASYNC_CANCEL`.
pub const RINGCORE_OP_ASYNC_CANCEL: u8 = 14;
const_assert_eq!(RINGCORE_OP_ASYNC_CANCEL, sys::IORING_OP_ASYNC_CANCEL);
/// `IORING_OP_LINK_TIMEOUT`.
pub const RINGCORE_OP_LINK_TIMEOUT: u8 = 15;
const_assert_eq!(RINGCORE_OP_LINK_TIMEOUT, sys::IORING_OP_LINK_TIMEOUT);
/// `IORING_OP_CONNECT`.
pub const RINGCORE_OP_CONNECT: u8 = 16;
const_assert_eq!(RINGCORE_OP_CONNECT, sys::IORING_OP_CONNECT);
/// `IORING_OP_FALLOCATE`.
pub const RINGCORE_OP_FALLOCATE: u8 = 17;
const_assert_eq!(RINGCORE_OP_FALLOCATE, sys::IORING_OP_FALLOCATE);
/// `IORING_OP_OPENAT`.
pub const RINGCORE_OP_OPENAT: u8 = 18;
const_assert_eq!(RINGCORE_OP_OPENAT, sys::IORING_OP_OPENAT);
/// `IORING_OP_CLOSE`.
pub const RINGCORE_OP_CLOSE: u8 = 19;
const_assert_eq!(RINGCORE_OP_CLOSE, sys::IORING_OP_CLOSE);
/// `IORING_OP_FILES_UPDATE`.
pub const RINGCORE_OP_FILES_UPDATE: u8 = 20;
const_assert_eq!(RINGCORE_OP_FILES_UPDATE, sys::IORING_OP_FILES_UPDATE);
/// `IORING_OP_STATX`.
pub const RINGCORE_OP_STATX: u8 = 21;
const_assert_eq!(RINGCORE_OP_STATX, sys::IORING_OP_STATX);
/// `IORING_OP_READ`.
pub const RINGCORE_OP_READ: u8 = 22;
const_assert_eq!(RINGCORE_OP_READ, sys::IORING_OP_READ);
/// `IORING_OP_WRITE`.
pub const RINGCORE_OP_WRITE: u8 = 23;
const_assert_eq!(RINGCORE_OP_WRITE, sys::IORING_OP_WRITE);
/// `IORING_OP_FADVISE`.
pub const RINGCORE_OP_FADVISE: u8 = 24;
const_assert_eq!(RINGCORE_OP_FADVISE, sys::IORING_OP_FADVISE);
/// `IORING_OP_MADVISE`.
pub const RINGCORE_OP_MADVISE: u8 = 25;
const_assert_eq!(RINGCORE_OP_MADVISE, sys::IORING_OP_MADVISE);
/// `IORING_OP_SEND`.
pub const RINGCORE_OP_SEND: u8 = 26;
const_assert_eq!(RINGCORE_OP_SEND, sys::IORING_OP_SEND);
/// `IORING_OP_RECV`.
pub const RINGCORE_OP_RECV: u8 = 27;
const_assert_eq!(RINGCORE_OP_RECV, sys::IORING_OP_RECV);
/// `IORING_OP_OPENAT2`.
pub const RINGCORE_OP_OPENAT2: u8 = 28;
const_assert_eq!(RINGCORE_OP_OPENAT2, sys::IORING_OP_OPENAT2);
/// `IORING_OP_EPOLL_CTL`.
pub const RINGCORE_OP_EPOLL_CTL: u8 = 29;
const_assert_eq!(RINGCORE_OP_EPOLL_CTL, sys::IORING_OP_EPOLL_CTL);
/// `IORING_OP_SPLICE`.
pub const RINGCORE_OP_SPLICE: u8 = 30;
const_assert_eq!(RINGCORE_OP_SPLICE, sys::IORING_OP_SPLICE);
/// `IORING_OP_PROVIDE_BUFFERS`.
pub const RINGCORE_OP_PROVIDE_BUFFERS: u8 = 31;
const_assert_eq!(RINGCORE_OP_PROVIDE_BUFFERS, sys::IORING_OP_PROVIDE_BUFFERS);
/// `IORING_OP_REMOVE_BUFFERS`.
pub const RINGCORE_OP_REMOVE_BUFFERS: u8 = 32;
const_assert_eq!(RINGCORE_OP_REMOVE_BUFFERS, sys::IORING_OP_REMOVE_BUFFERS);
/// `IORING_OP_TEE`.
pub const RINGCORE_OP_TEE: u8 = 33;
const_assert_eq!(RINGCORE_OP_TEE, sys::IORING_OP_TEE);
/// `IORING_OP_SHUTDOWN`.
pub const RINGCORE_OP_SHUTDOWN: u8 = 34;
const_assert_eq!(RINGCORE_OP_SHUTDOWN, sys::IORING_OP_SHUTDOWN);
/// `IORING_OP_RENAMEAT`.
pub const RINGCORE_OP_RENAMEAT: u8 = 35;
const_assert_eq!(RINGCORE_OP_RENAMEAT, sys::IORING_OP_RENAMEAT);
/// `IORING_OP_UNLINKAT`.
pub const RINGCORE_OP_UNLINKAT: u8 = 36;
const_assert_eq!(RINGCORE_OP_UNLINKAT, sys::IORING_OP_UNLINKAT);
/// `IORING_OP_MKDIRAT`.
pub const RINGCORE_OP_MKDIRAT: u8 = 37;
const_assert_eq!(RINGCORE_OP_MKDIRAT, sys::IORING_OP_MKDIRAT);
/// `IORING_OP_SYMLINKAT`.
pub const RINGCORE_OP_SYMLINKAT: u8 = 38;
const_assert_eq!(RINGCORE_OP_SYMLINKAT, sys::IORING_OP_SYMLINKAT);
/// `IORING_OP_LINKAT`.
pub const RINGCORE_OP_LINKAT: u8 = 39;
const_assert_eq!(RINGCORE_OP_LINKAT, sys::IORING_OP_LINKAT);
/// `IORING_OP_MSG_RING`.
pub const RINGCORE_OP_MSG_RING: u8 = 40;
const_assert_eq!(RINGCORE_OP_MSG_RING, sys::IORING_OP_MSG_RING);
/// `IORING_OP_FSETXATTR`.
pub const RINGCORE_OP_FSETXATTR: u8 = 41;
const_assert_eq!(RINGCORE_OP_FSETXATTR, sys::IORING_OP_FSETXATTR);
/// `IORING_OP_SETXATTR`.
pub const RINGCORE_OP_SETXATTR: u8 = 42;
const_assert_eq!(RINGCORE_OP_SETXATTR, sys::IORING_OP_SETXATTR);
/// `IORING_OP_FGETXATTR`.
pub const RINGCORE_OP_FGETXATTR: u8 = 43;
const_assert_eq!(RINGCORE_OP_FGETXATTR, sys::IORING_OP_FGETXATTR);
/// `IORING_OP_GETXATTR`.
pub const RINGCORE_OP_GETXATTR: u8 = 44;
const_assert_eq!(RINGCORE_OP_GETXATTR, sys::IORING_OP_GETXATTR);
/// `IORING_OP_SOCKET`.
pub const RINGCORE_OP_SOCKET: u8 = 45;
const_assert_eq!(RINGCORE_OP_SOCKET, sys::IORING_OP_SOCKET);
/// `IORING_OP_URING_CMD`.
pub const RINGCORE_OP_URING_CMD: u8 = 46;
const_assert_eq!(RINGCORE_OP_URING_CMD, sys::IORING_OP_URING_CMD);
/// `IORING_OP_SEND_ZC`.
pub const RINGCORE_OP_SEND_ZC: u8 = 47;
const_assert_eq!(RINGCORE_OP_SEND_ZC, sys::IORING_OP_SEND_ZC);
/// `IORING_OP_SENDMSG_ZC`.
pub const RINGCORE_OP_SENDMSG_ZC: u8 = 48;
const_assert_eq!(RINGCORE_OP_SENDMSG_ZC, sys::IORING_OP_SENDMSG_ZC);
/// `IORING_OP_READ_MULTISHOT`.
pub const RINGCORE_OP_READ_MULTISHOT: u8 = 49;
const_assert_eq!(RINGCORE_OP_READ_MULTISHOT, sys::IORING_OP_READ_MULTISHOT);
/// `IORING_OP_WAITID`.
pub const RINGCORE_OP_WAITID: u8 = 50;
const_assert_eq!(RINGCORE_OP_WAITID, sys::IORING_OP_WAITID);
/// `IORING_OP_FUTEX_WAIT`.
pub const RINGCORE_OP_FUTEX_WAIT: u8 = 51;
const_assert_eq!(RINGCORE_OP_FUTEX_WAIT, sys::IORING_OP_FUTEX_WAIT);
/// `IORING_OP_FUTEX_WAKE`.
pub const RINGCORE_OP_FUTEX_WAKE: u8 = 52;
const_assert_eq!(RINGCORE_OP_FUTEX_WAKE, sys::IORING_OP_FUTEX_WAKE);
/// `IORING_OP_FUTEX_WAITV`.
pub const RINGCORE_OP_FUTEX_WAITV: u8 = 53;
const_assert_eq!(RINGCORE_OP_FUTEX_WAITV, sys::IORING_OP_FUTEX_WAITV);
/// `IORING_OP_FIXED_FD_INSTALL`.
pub const RINGCORE_OP_FIXED_FD_INSTALL: u8 = 54;
const_assert_eq!(
    RINGCORE_OP_FIXED_FD_INSTALL,
    sys::IORING_OP_FIXED_FD_INSTALL
);
/// `IORING_OP_FTRUNCATE`.
pub const RINGCORE_OP_FTRUNCATE: u8 = 55;
const_assert_eq!(RINGCORE_OP_FTRUNCATE, sys::IORING_OP_FTRUNCATE);
/// `IORING_OP_BIND`.
pub const RINGCORE_OP_BIND: u8 = 56;
const_assert_eq!(RINGCORE_OP_BIND, sys::IORING_OP_BIND);
/// `IORING_OP_LISTEN`.
pub const RINGCORE_OP_LISTEN: u8 = 57;
const_assert_eq!(RINGCORE_OP_LISTEN, sys::IORING_OP_LISTEN);
/// `IORING_OP_RECV_ZC`.
pub const RINGCORE_OP_RECV_ZC: u8 = 58;
const_assert_eq!(RINGCORE_OP_RECV_ZC, sys::IORING_OP_RECV_ZC);
/// `IORING_OP_EPOLL_WAIT`.
pub const RINGCORE_OP_EPOLL_WAIT: u8 = 59;
const_assert_eq!(RINGCORE_OP_EPOLL_WAIT, sys::IORING_OP_EPOLL_WAIT);
/// `IORING_OP_READV_FIXED`.
pub const RINGCORE_OP_READV_FIXED: u8 = 60;
const_assert_eq!(RINGCORE_OP_READV_FIXED, sys::IORING_OP_READV_FIXED);
/// `IORING_OP_WRITEV_FIXED`.
pub const RINGCORE_OP_WRITEV_FIXED: u8 = 61;
const_assert_eq!(RINGCORE_OP_WRITEV_FIXED, sys::IORING_OP_WRITEV_FIXED);
/// `IORING_OP_PIPE`.
pub const RINGCORE_OP_PIPE: u8 = 62;
const_assert_eq!(RINGCORE_OP_PIPE, sys::IORING_OP_PIPE);
/// `IORING_OP_NOP128`.
pub const RINGCORE_OP_NOP128: u8 = 63;
const_assert_eq!(RINGCORE_OP_NOP128, sys::IORING_OP_NOP128);
/// `IORING_OP_URING_CMD128`.
pub const RINGCORE_OP_URING_CMD128: u8 = 64;
const_assert_eq!(RINGCORE_OP_URING_CMD128, sys::IORING_OP_URING_CMD128);
/// One past the newest opcode this library knows.
pub const RINGCORE_OP_LAST: u8 = 65;
const_assert_eq!(RINGCORE_OP_LAST, sys::IORING_OP_LAST);

// `IORING_SETUP_*`.
/// `IORING_SETUP_IOPOLL`: busy-poll for completions instead of taking interrupts (O_DIRECT files only).
pub const RINGCORE_SETUP_IOPOLL: u32 = 1 << 0;
const_assert_eq!(RINGCORE_SETUP_IOPOLL, sys::SetupFlags::IOPOLL.bits());
/// `IORING_SETUP_SQPOLL`: a kernel thread polls the submission queue.
pub const RINGCORE_SETUP_SQPOLL: u32 = 1 << 1;
const_assert_eq!(RINGCORE_SETUP_SQPOLL, sys::SetupFlags::SQPOLL.bits());
/// `IORING_SETUP_SQ_AFF`: `sq_thread_cpu` names the CPU of the SQPOLL thread.
pub const RINGCORE_SETUP_SQ_AFF: u32 = 1 << 2;
const_assert_eq!(RINGCORE_SETUP_SQ_AFF, sys::SetupFlags::SQ_AFF.bits());
/// `IORING_SETUP_CQSIZE`: `cq_entries` gives the CQ size.
pub const RINGCORE_SETUP_CQSIZE: u32 = 1 << 3;
const_assert_eq!(RINGCORE_SETUP_CQSIZE, sys::SetupFlags::CQSIZE.bits());
/// `IORING_SETUP_CLAMP`: clamp sizes to the maximum instead of failing.
pub const RINGCORE_SETUP_CLAMP: u32 = 1 << 4;
const_assert_eq!(RINGCORE_SETUP_CLAMP, sys::SetupFlags::CLAMP.bits());
/// `IORING_SETUP_ATTACH_WQ`: share the async backend of the ring in `wq_fd`.
pub const RINGCORE_SETUP_ATTACH_WQ: u32 = 1 << 5;
const_assert_eq!(RINGCORE_SETUP_ATTACH_WQ, sys::SetupFlags::ATTACH_WQ.bits());
/// `IORING_SETUP_R_DISABLED`: start disabled; enable with `IORING_REGISTER_ENABLE_RINGS`.
pub const RINGCORE_SETUP_R_DISABLED: u32 = 1 << 6;
const_assert_eq!(
    RINGCORE_SETUP_R_DISABLED,
    sys::SetupFlags::R_DISABLED.bits()
);
/// `IORING_SETUP_SUBMIT_ALL`: keep submitting the batch after an SQE fails.
pub const RINGCORE_SETUP_SUBMIT_ALL: u32 = 1 << 7;
const_assert_eq!(
    RINGCORE_SETUP_SUBMIT_ALL,
    sys::SetupFlags::SUBMIT_ALL.bits()
);
/// `IORING_SETUP_COOP_TASKRUN`: do not interrupt the task to run completion work.
pub const RINGCORE_SETUP_COOP_TASKRUN: u32 = 1 << 8;
const_assert_eq!(
    RINGCORE_SETUP_COOP_TASKRUN,
    sys::SetupFlags::COOP_TASKRUN.bits()
);
/// `IORING_SETUP_TASKRUN_FLAG`: set `IORING_SQ_TASKRUN` when completion work is pending.
pub const RINGCORE_SETUP_TASKRUN_FLAG: u32 = 1 << 9;
const_assert_eq!(
    RINGCORE_SETUP_TASKRUN_FLAG,
    sys::SetupFlags::TASKRUN_FLAG.bits()
);
/// `IORING_SETUP_SQE128`: 128-byte SQEs.
pub const RINGCORE_SETUP_SQE128: u32 = 1 << 10;
const_assert_eq!(RINGCORE_SETUP_SQE128, sys::SetupFlags::SQE128.bits());
/// `IORING_SETUP_CQE32`: 32-byte CQEs.
pub const RINGCORE_SETUP_CQE32: u32 = 1 << 11;
const_assert_eq!(RINGCORE_SETUP_CQE32, sys::SetupFlags::CQE32.bits());
/// `IORING_SETUP_SINGLE_ISSUER`: only one task submits.
pub const RINGCORE_SETUP_SINGLE_ISSUER: u32 = 1 << 12;
const_assert_eq!(
    RINGCORE_SETUP_SINGLE_ISSUER,
    sys::SetupFlags::SINGLE_ISSUER.bits()
);
/// `IORING_SETUP_DEFER_TASKRUN`: run completion work only when the task enters with GETEVENTS.
pub const RINGCORE_SETUP_DEFER_TASKRUN: u32 = 1 << 13;
const_assert_eq!(
    RINGCORE_SETUP_DEFER_TASKRUN,
    sys::SetupFlags::DEFER_TASKRUN.bits()
);
/// `IORING_SETUP_NO_MMAP`: the application provides the ring memory.
pub const RINGCORE_SETUP_NO_MMAP: u32 = 1 << 14;
const_assert_eq!(RINGCORE_SETUP_NO_MMAP, sys::SetupFlags::NO_MMAP.bits());
/// `IORING_SETUP_REGISTERED_FD_ONLY`: the ring fd is registered and the real fd is not returned.
pub const RINGCORE_SETUP_REGISTERED_FD_ONLY: u32 = 1 << 15;
const_assert_eq!(
    RINGCORE_SETUP_REGISTERED_FD_ONLY,
    sys::SetupFlags::REGISTERED_FD_ONLY.bits()
);
/// `IORING_SETUP_NO_SQARRAY`: no SQ index array: SQEs are consumed in ring order.
pub const RINGCORE_SETUP_NO_SQARRAY: u32 = 1 << 16;
const_assert_eq!(
    RINGCORE_SETUP_NO_SQARRAY,
    sys::SetupFlags::NO_SQARRAY.bits()
);
/// `IORING_SETUP_HYBRID_IOPOLL`: hybrid polling for IOPOLL rings.
pub const RINGCORE_SETUP_HYBRID_IOPOLL: u32 = 1 << 17;
const_assert_eq!(
    RINGCORE_SETUP_HYBRID_IOPOLL,
    sys::SetupFlags::HYBRID_IOPOLL.bits()
);
/// `IORING_SETUP_CQE_MIXED`: both 16- and 32-byte CQEs in one CQ (6.18).
pub const RINGCORE_SETUP_CQE_MIXED: u32 = 1 << 18;
const_assert_eq!(RINGCORE_SETUP_CQE_MIXED, sys::SetupFlags::CQE_MIXED.bits());
/// `IORING_SETUP_SQE_MIXED`: both 64- and 128-byte SQEs in one SQ (6.19).
pub const RINGCORE_SETUP_SQE_MIXED: u32 = 1 << 19;
const_assert_eq!(RINGCORE_SETUP_SQE_MIXED, sys::SetupFlags::SQE_MIXED.bits());

// `IORING_FEAT_*`.
/// `IORING_FEAT_SINGLE_MMAP`: sQ and CQ rings share one mapping.
pub const RINGCORE_FEAT_SINGLE_MMAP: u32 = 1 << 0;
const_assert_eq!(RINGCORE_FEAT_SINGLE_MMAP, sys::Features::SINGLE_MMAP.bits());
/// `IORING_FEAT_NODROP`: cQEs are never dropped on overflow; they wait in a backlog.
pub const RINGCORE_FEAT_NODROP: u32 = 1 << 1;
const_assert_eq!(RINGCORE_FEAT_NODROP, sys::Features::NODROP.bits());
/// `IORING_FEAT_SUBMIT_STABLE`: sQE data is consumed at submission.
pub const RINGCORE_FEAT_SUBMIT_STABLE: u32 = 1 << 2;
const_assert_eq!(
    RINGCORE_FEAT_SUBMIT_STABLE,
    sys::Features::SUBMIT_STABLE.bits()
);
/// `IORING_FEAT_RW_CUR_POS`: offset -1 means the file's current position.
pub const RINGCORE_FEAT_RW_CUR_POS: u32 = 1 << 3;
const_assert_eq!(RINGCORE_FEAT_RW_CUR_POS, sys::Features::RW_CUR_POS.bits());
/// `IORING_FEAT_CUR_PERSONALITY`: requests run with the submitter's credentials.
pub const RINGCORE_FEAT_CUR_PERSONALITY: u32 = 1 << 4;
const_assert_eq!(
    RINGCORE_FEAT_CUR_PERSONALITY,
    sys::Features::CUR_PERSONALITY.bits()
);
/// `IORING_FEAT_FAST_POLL`: internal polling instead of async worker threads.
pub const RINGCORE_FEAT_FAST_POLL: u32 = 1 << 5;
const_assert_eq!(RINGCORE_FEAT_FAST_POLL, sys::Features::FAST_POLL.bits());
/// `IORING_FEAT_POLL_32BITS`: 32-bit poll event masks.
pub const RINGCORE_FEAT_POLL_32BITS: u32 = 1 << 6;
const_assert_eq!(RINGCORE_FEAT_POLL_32BITS, sys::Features::POLL_32BITS.bits());
/// `IORING_FEAT_SQPOLL_NONFIXED`: sQPOLL works with non-registered files.
pub const RINGCORE_FEAT_SQPOLL_NONFIXED: u32 = 1 << 7;
const_assert_eq!(
    RINGCORE_FEAT_SQPOLL_NONFIXED,
    sys::Features::SQPOLL_NONFIXED.bits()
);
/// `IORING_FEAT_EXT_ARG`: `io_uring_enter` takes `IORING_ENTER_EXT_ARG`.
pub const RINGCORE_FEAT_EXT_ARG: u32 = 1 << 8;
const_assert_eq!(RINGCORE_FEAT_EXT_ARG, sys::Features::EXT_ARG.bits());
/// `IORING_FEAT_NATIVE_WORKERS`: async workers are native threads.
pub const RINGCORE_FEAT_NATIVE_WORKERS: u32 = 1 << 9;
const_assert_eq!(
    RINGCORE_FEAT_NATIVE_WORKERS,
    sys::Features::NATIVE_WORKERS.bits()
);
/// `IORING_FEAT_RSRC_TAGS`: registered resources can carry tags.
pub const RINGCORE_FEAT_RSRC_TAGS: u32 = 1 << 10;
const_assert_eq!(RINGCORE_FEAT_RSRC_TAGS, sys::Features::RSRC_TAGS.bits());
/// `IORING_FEAT_CQE_SKIP`: `IOSQE_CQE_SKIP_SUCCESS` is supported.
pub const RINGCORE_FEAT_CQE_SKIP: u32 = 1 << 11;
const_assert_eq!(RINGCORE_FEAT_CQE_SKIP, sys::Features::CQE_SKIP.bits());
/// `IORING_FEAT_LINKED_FILE`: linked requests resolve files at execution.
pub const RINGCORE_FEAT_LINKED_FILE: u32 = 1 << 12;
const_assert_eq!(RINGCORE_FEAT_LINKED_FILE, sys::Features::LINKED_FILE.bits());
/// `IORING_FEAT_REG_REG_RING`: registered ring fds are usable in `io_uring_register`.
pub const RINGCORE_FEAT_REG_REG_RING: u32 = 1 << 13;
const_assert_eq!(
    RINGCORE_FEAT_REG_REG_RING,
    sys::Features::REG_REG_RING.bits()
);
/// `IORING_FEAT_RECVSEND_BUNDLE`: send/recv bundles.
pub const RINGCORE_FEAT_RECVSEND_BUNDLE: u32 = 1 << 14;
const_assert_eq!(
    RINGCORE_FEAT_RECVSEND_BUNDLE,
    sys::Features::RECVSEND_BUNDLE.bits()
);
/// `IORING_FEAT_MIN_TIMEOUT`: minimum wait time in the extended enter argument.
pub const RINGCORE_FEAT_MIN_TIMEOUT: u32 = 1 << 15;
const_assert_eq!(RINGCORE_FEAT_MIN_TIMEOUT, sys::Features::MIN_TIMEOUT.bits());
/// `IORING_FEAT_RW_ATTR`: read/write attributes.
pub const RINGCORE_FEAT_RW_ATTR: u32 = 1 << 16;
const_assert_eq!(RINGCORE_FEAT_RW_ATTR, sys::Features::RW_ATTR.bits());
/// `IORING_FEAT_NO_IOWAIT`: `IORING_ENTER_NO_IOWAIT`.
pub const RINGCORE_FEAT_NO_IOWAIT: u32 = 1 << 17;
const_assert_eq!(RINGCORE_FEAT_NO_IOWAIT, sys::Features::NO_IOWAIT.bits());

// `IOSQE_*`.
/// `IOSQE_FIXED_FILE`: `fd` is an index into the registered file table.
pub const RINGCORE_SQE_FIXED_FILE: u8 = 1 << 0;
const_assert_eq!(RINGCORE_SQE_FIXED_FILE, sys::SqeFlags::FIXED_FILE.bits());
/// `IOSQE_IO_DRAIN`: start only after all earlier requests have completed.
pub const RINGCORE_SQE_IO_DRAIN: u8 = 1 << 1;
const_assert_eq!(RINGCORE_SQE_IO_DRAIN, sys::SqeFlags::IO_DRAIN.bits());
/// `IOSQE_IO_LINK`: the next SQE starts only when this one succeeds.
pub const RINGCORE_SQE_IO_LINK: u8 = 1 << 2;
const_assert_eq!(RINGCORE_SQE_IO_LINK, sys::SqeFlags::IO_LINK.bits());
/// `IOSQE_IO_HARDLINK`: like `IO_LINK`, but the chain survives this one's failure.
pub const RINGCORE_SQE_IO_HARDLINK: u8 = 1 << 3;
const_assert_eq!(RINGCORE_SQE_IO_HARDLINK, sys::SqeFlags::IO_HARDLINK.bits());
/// `IOSQE_ASYNC`: always issue asynchronously.
pub const RINGCORE_SQE_ASYNC: u8 = 1 << 4;
const_assert_eq!(RINGCORE_SQE_ASYNC, sys::SqeFlags::ASYNC.bits());
/// `IOSQE_BUFFER_SELECT`: pick a buffer from the group in `buf_group`.
pub const RINGCORE_SQE_BUFFER_SELECT: u8 = 1 << 5;
const_assert_eq!(
    RINGCORE_SQE_BUFFER_SELECT,
    sys::SqeFlags::BUFFER_SELECT.bits()
);
/// `IOSQE_CQE_SKIP_SUCCESS`: post no CQE when the request succeeds.
pub const RINGCORE_SQE_CQE_SKIP_SUCCESS: u8 = 1 << 6;
const_assert_eq!(
    RINGCORE_SQE_CQE_SKIP_SUCCESS,
    sys::SqeFlags::CQE_SKIP_SUCCESS.bits()
);

// `IORING_CQE_F_*`.
/// `IORING_CQE_F_BUFFER`: the upper 16 bits hold the id of the provided buffer used.
pub const RINGCORE_CQE_F_BUFFER: u32 = 1 << 0;
const_assert_eq!(RINGCORE_CQE_F_BUFFER, sys::CqeFlags::BUFFER.bits());
/// `IORING_CQE_F_MORE`: more CQEs will follow for this request (multishot).
pub const RINGCORE_CQE_F_MORE: u32 = 1 << 1;
const_assert_eq!(RINGCORE_CQE_F_MORE, sys::CqeFlags::MORE.bits());
/// `IORING_CQE_F_SOCK_NONEMPTY`: the socket had more data after this receive.
pub const RINGCORE_CQE_F_SOCK_NONEMPTY: u32 = 1 << 2;
const_assert_eq!(
    RINGCORE_CQE_F_SOCK_NONEMPTY,
    sys::CqeFlags::SOCK_NONEMPTY.bits()
);
/// `IORING_CQE_F_NOTIF`: a zero-copy send's notification CQE.
pub const RINGCORE_CQE_F_NOTIF: u32 = 1 << 3;
const_assert_eq!(RINGCORE_CQE_F_NOTIF, sys::CqeFlags::NOTIF.bits());
/// `IORING_CQE_F_BUF_MORE`: the provided buffer will be used again (incremental consumption).
pub const RINGCORE_CQE_F_BUF_MORE: u32 = 1 << 4;
const_assert_eq!(RINGCORE_CQE_F_BUF_MORE, sys::CqeFlags::BUF_MORE.bits());
/// `IORING_CQE_F_SKIP`: a padding CQE to skip (mixed CQ rings).
pub const RINGCORE_CQE_F_SKIP: u32 = 1 << 5;
const_assert_eq!(RINGCORE_CQE_F_SKIP, sys::CqeFlags::SKIP.bits());
/// `IORING_CQE_F_CQE32`: this CQE is 32 bytes (mixed CQ rings).
pub const RINGCORE_CQE_F_CQE32: u32 = 1 << 15;
const_assert_eq!(RINGCORE_CQE_F_CQE32, sys::CqeFlags::CQE32.bits());

// `IORING_ASYNC_CANCEL_*` (for the cancel and timeout preparers).
/// `IORING_ASYNC_CANCEL_ALL`: cancel every match, not only the first.
pub const RINGCORE_CANCEL_ALL: u32 = 1 << 0;
const_assert_eq!(RINGCORE_CANCEL_ALL, sys::CancelFlags::ALL.bits());
/// `IORING_ASYNC_CANCEL_FD`: match on the fd.
pub const RINGCORE_CANCEL_FD: u32 = 1 << 1;
const_assert_eq!(RINGCORE_CANCEL_FD, sys::CancelFlags::FD.bits());
/// `IORING_ASYNC_CANCEL_ANY`: match any request.
pub const RINGCORE_CANCEL_ANY: u32 = 1 << 2;
const_assert_eq!(RINGCORE_CANCEL_ANY, sys::CancelFlags::ANY.bits());
/// `IORING_ASYNC_CANCEL_FD_FIXED`: the fd is a fixed file.
pub const RINGCORE_CANCEL_FD_FIXED: u32 = 1 << 3;
const_assert_eq!(RINGCORE_CANCEL_FD_FIXED, sys::CancelFlags::FD_FIXED.bits());
/// `IORING_ASYNC_CANCEL_USERDATA`: match on user_data (the default; with other keys, combine them).
pub const RINGCORE_CANCEL_USERDATA: u32 = 1 << 4;
const_assert_eq!(RINGCORE_CANCEL_USERDATA, sys::CancelFlags::USERDATA.bits());
/// `IORING_ASYNC_CANCEL_OP`: match on the opcode.
pub const RINGCORE_CANCEL_OP: u32 = 1 << 5;
const_assert_eq!(RINGCORE_CANCEL_OP, sys::CancelFlags::OP.bits());

// `IORING_TIMEOUT_*` (for the cancel and timeout preparers).
/// `IORING_TIMEOUT_ABS`: the timespec is absolute.
pub const RINGCORE_TIMEOUT_ABS: u32 = 1 << 0;
const_assert_eq!(RINGCORE_TIMEOUT_ABS, sys::TimeoutFlags::ABS.bits());
/// `IORING_TIMEOUT_UPDATE`: update an existing timeout.
pub const RINGCORE_TIMEOUT_UPDATE: u32 = 1 << 1;
const_assert_eq!(RINGCORE_TIMEOUT_UPDATE, sys::TimeoutFlags::UPDATE.bits());
/// `IORING_TIMEOUT_BOOTTIME`: use CLOCK_BOOTTIME.
pub const RINGCORE_TIMEOUT_BOOTTIME: u32 = 1 << 2;
const_assert_eq!(
    RINGCORE_TIMEOUT_BOOTTIME,
    sys::TimeoutFlags::BOOTTIME.bits()
);
/// `IORING_TIMEOUT_REALTIME`: use CLOCK_REALTIME.
pub const RINGCORE_TIMEOUT_REALTIME: u32 = 1 << 3;
const_assert_eq!(
    RINGCORE_TIMEOUT_REALTIME,
    sys::TimeoutFlags::REALTIME.bits()
);
/// `IORING_TIMEOUT_LINK_UPDATE`: update a link timeout.
pub const RINGCORE_TIMEOUT_LINK_UPDATE: u32 = 1 << 4;
const_assert_eq!(
    RINGCORE_TIMEOUT_LINK_UPDATE,
    sys::TimeoutFlags::LINK_UPDATE.bits()
);
/// `IORING_TIMEOUT_ETIME_SUCCESS`: treat `-ETIME` as success.
pub const RINGCORE_TIMEOUT_ETIME_SUCCESS: u32 = 1 << 5;
const_assert_eq!(
    RINGCORE_TIMEOUT_ETIME_SUCCESS,
    sys::TimeoutFlags::ETIME_SUCCESS.bits()
);
/// `IORING_TIMEOUT_MULTISHOT`: fire repeatedly (`sqe.off` times, 0 = forever).
pub const RINGCORE_TIMEOUT_MULTISHOT: u32 = 1 << 6;
const_assert_eq!(
    RINGCORE_TIMEOUT_MULTISHOT,
    sys::TimeoutFlags::MULTISHOT.bits()
);
/// `IORING_TIMEOUT_IMMEDIATE_ARG`: never wait for the count of completions (6.17+).
pub const RINGCORE_TIMEOUT_IMMEDIATE_ARG: u32 = 1 << 7;
const_assert_eq!(
    RINGCORE_TIMEOUT_IMMEDIATE_ARG,
    sys::TimeoutFlags::IMMEDIATE_ARG.bits()
);

// Operation-specific flags and values.
/// `IORING_FILE_INDEX_ALLOC`: `sqe.file_index` value asking the kernel to allocate a free direct descriptor.
pub const RINGCORE_FILE_INDEX_ALLOC: u32 = 0xFFFF_FFFF;
const_assert_eq!(RINGCORE_FILE_INDEX_ALLOC, sys::IORING_FILE_INDEX_ALLOC);
/// `IORING_REGISTER_FILES_SKIP`: passed as an fd in a files update: leave this slot as it is.
pub const RINGCORE_REGISTER_FILES_SKIP: i32 = -2;
const_assert_eq!(
    RINGCORE_REGISTER_FILES_SKIP,
    sys::IORING_REGISTER_FILES_SKIP
);
/// `IORING_CQE_BUFFER_SHIFT`: shift of the buffer id in `cqe.flags` when `RINGCORE_CQE_F_BUFFER` is set.
pub const RINGCORE_CQE_BUFFER_SHIFT: u32 = 16;
const_assert_eq!(RINGCORE_CQE_BUFFER_SHIFT, sys::IORING_CQE_BUFFER_SHIFT);
/// `IORING_MAX_ENTRIES`: largest SQ size the kernel accepts without `IORING_SETUP_CLAMP`.
pub const RINGCORE_MAX_ENTRIES: u32 = 32768;
const_assert_eq!(RINGCORE_MAX_ENTRIES, sys::IORING_MAX_ENTRIES);
/// `IORING_POLL_UPDATE_EVENTS`: `sqe.len` value of `IORING_OP_POLL_REMOVE` updates: update the events.
pub const RINGCORE_POLL_UPDATE_EVENTS: u32 = 0x2;
const_assert_eq!(RINGCORE_POLL_UPDATE_EVENTS, sys::IORING_POLL_UPDATE_EVENTS);
/// `IORING_POLL_UPDATE_USER_DATA`: `sqe.len` value of `IORING_OP_POLL_REMOVE` updates: update the user_data.
pub const RINGCORE_POLL_UPDATE_USER_DATA: u32 = 0x4;
const_assert_eq!(
    RINGCORE_POLL_UPDATE_USER_DATA,
    sys::IORING_POLL_UPDATE_USER_DATA
);
/// `IORING_POLL_ADD_MULTI`: `sqe.len` flag of `IORING_OP_POLL_ADD`: multishot poll.
pub const RINGCORE_POLL_ADD_MULTI: u32 = 0x1;
const_assert_eq!(RINGCORE_POLL_ADD_MULTI, sys::IORING_POLL_ADD_MULTI);
/// `IORING_POLL_ADD_LEVEL`: `sqe.len` flag of `IORING_OP_POLL_ADD`: level triggered.
pub const RINGCORE_POLL_ADD_LEVEL: u32 = 0x8;
const_assert_eq!(RINGCORE_POLL_ADD_LEVEL, sys::IORING_POLL_ADD_LEVEL);
/// `IORING_MSG_DATA`: `sqe.addr` command of `IORING_OP_MSG_RING`: post a CQE with data.
pub const RINGCORE_MSG_DATA: u64 = 0;
const_assert_eq!(RINGCORE_MSG_DATA, sys::IORING_MSG_DATA);
/// `IORING_MSG_SEND_FD`: `sqe.addr` command of `IORING_OP_MSG_RING`: send a direct descriptor.
pub const RINGCORE_MSG_SEND_FD: u64 = 1;
const_assert_eq!(RINGCORE_MSG_SEND_FD, sys::IORING_MSG_SEND_FD);
/// `IORING_MSG_RING_CQE_SKIP`: `sqe.msg_ring_flags`: do not post a CQE in the sender's ring.
pub const RINGCORE_MSG_RING_CQE_SKIP: u32 = 0x1;
const_assert_eq!(RINGCORE_MSG_RING_CQE_SKIP, sys::IORING_MSG_RING_CQE_SKIP);
/// `IORING_MSG_RING_FLAGS_PASS`: `sqe.msg_ring_flags`: pass `sqe.file_index` as the target CQE's flags.
pub const RINGCORE_MSG_RING_FLAGS_PASS: u32 = 0x2;
const_assert_eq!(
    RINGCORE_MSG_RING_FLAGS_PASS,
    sys::IORING_MSG_RING_FLAGS_PASS
);
/// `IORING_FIXED_FD_NO_CLOEXEC`: `sqe.install_fd_flags`: do not set `O_CLOEXEC` on the installed fd.
pub const RINGCORE_FIXED_FD_NO_CLOEXEC: u32 = 0x1;
const_assert_eq!(
    RINGCORE_FIXED_FD_NO_CLOEXEC,
    sys::IORING_FIXED_FD_NO_CLOEXEC
);
/// `IORING_NOP_INJECT_RESULT`: `sqe.nop_flags`: inject `sqe.len` as the result (for tests).
pub const RINGCORE_NOP_INJECT_RESULT: u32 = 0x1;
const_assert_eq!(RINGCORE_NOP_INJECT_RESULT, sys::IORING_NOP_INJECT_RESULT);
/// `IORING_NOP_FILE`: `sqe.nop_flags`: the NOP uses a file.
pub const RINGCORE_NOP_FILE: u32 = 0x2;
const_assert_eq!(RINGCORE_NOP_FILE, sys::IORING_NOP_FILE);
/// `IORING_NOP_FIXED_FILE`: `sqe.nop_flags`: the file is a fixed file.
pub const RINGCORE_NOP_FIXED_FILE: u32 = 0x4;
const_assert_eq!(RINGCORE_NOP_FIXED_FILE, sys::IORING_NOP_FIXED_FILE);
/// `IORING_NOP_FIXED_BUFFER`: `sqe.nop_flags`: the NOP imports a fixed buffer.
pub const RINGCORE_NOP_FIXED_BUFFER: u32 = 0x8;
const_assert_eq!(RINGCORE_NOP_FIXED_BUFFER, sys::IORING_NOP_FIXED_BUFFER);
/// `IORING_NOP_CQE32`: `sqe.nop_flags`: post a 32-byte CQE (mixed CQ rings).
pub const RINGCORE_NOP_CQE32: u32 = 0x20;
const_assert_eq!(RINGCORE_NOP_CQE32, sys::IORING_NOP_CQE32);
/// `IORING_URING_CMD_FIXED`: `sqe.uring_cmd_flags`: `sqe.buf_index` names a registered buffer.
pub const RINGCORE_URING_CMD_FIXED: u32 = 0x1;
const_assert_eq!(RINGCORE_URING_CMD_FIXED, sys::IORING_URING_CMD_FIXED);
/// `SPLICE_F_FD_IN_FIXED`: `sqe.splice_flags`: `splice_fd_in` is a fixed file.
pub const RINGCORE_SPLICE_F_FD_IN_FIXED: u32 = 0x80000000;
const_assert_eq!(RINGCORE_SPLICE_F_FD_IN_FIXED, sys::SPLICE_F_FD_IN_FIXED);
/// `IORING_FSYNC_DATASYNC`: `sqe.fsync_flags`: sync data only.
pub const RINGCORE_FSYNC_DATASYNC: u32 = 0x1;
const_assert_eq!(RINGCORE_FSYNC_DATASYNC, sys::IORING_FSYNC_DATASYNC);
/// `IORING_RECVSEND_POLL_FIRST`: send/recv `sqe.ioprio` flag: poll first before trying the operation.
pub const RINGCORE_RECVSEND_POLL_FIRST: u16 = 0x1;
const_assert_eq!(
    RINGCORE_RECVSEND_POLL_FIRST,
    sys::IORING_RECVSEND_POLL_FIRST
);
/// `IORING_RECV_MULTISHOT`: recv `sqe.ioprio` flag: multishot receive.
pub const RINGCORE_RECV_MULTISHOT: u16 = 0x2;
const_assert_eq!(RINGCORE_RECV_MULTISHOT, sys::IORING_RECV_MULTISHOT);
/// `IORING_RECVSEND_FIXED_BUF`: send/recv `sqe.ioprio` flag: `sqe.buf_index` is a registered buffer.
pub const RINGCORE_RECVSEND_FIXED_BUF: u16 = 0x4;
const_assert_eq!(RINGCORE_RECVSEND_FIXED_BUF, sys::IORING_RECVSEND_FIXED_BUF);
/// `IORING_SEND_ZC_REPORT_USAGE`: send-zc `sqe.ioprio` flag: report whether data was copied in the notification.
pub const RINGCORE_SEND_ZC_REPORT_USAGE: u16 = 0x8;
const_assert_eq!(
    RINGCORE_SEND_ZC_REPORT_USAGE,
    sys::IORING_SEND_ZC_REPORT_USAGE
);
/// `IORING_RECVSEND_BUNDLE`: send/recv `sqe.ioprio` flag: use a bundle of provided buffers.
pub const RINGCORE_RECVSEND_BUNDLE: u16 = 0x10;
const_assert_eq!(RINGCORE_RECVSEND_BUNDLE, sys::IORING_RECVSEND_BUNDLE);
/// `IORING_SEND_VECTORIZED`: send `sqe.ioprio` flag: vectored send (6.17+).
pub const RINGCORE_SEND_VECTORIZED: u16 = 0x20;
const_assert_eq!(RINGCORE_SEND_VECTORIZED, sys::IORING_SEND_VECTORIZED);
/// `IORING_NOTIF_USAGE_ZC_COPIED`: notification CQE `res` bit: the data was copied, not sent zero-copy.
pub const RINGCORE_NOTIF_USAGE_ZC_COPIED: u32 = 0x80000000;
const_assert_eq!(
    RINGCORE_NOTIF_USAGE_ZC_COPIED,
    sys::IORING_NOTIF_USAGE_ZC_COPIED
);
/// `IORING_ACCEPT_MULTISHOT`: accept `sqe.ioprio` flag: multishot accept.
pub const RINGCORE_ACCEPT_MULTISHOT: u16 = 0x1;
const_assert_eq!(RINGCORE_ACCEPT_MULTISHOT, sys::IORING_ACCEPT_MULTISHOT);
/// `IORING_ACCEPT_DONTWAIT`: accept `sqe.ioprio` flag: do not retry when no connection is pending.
pub const RINGCORE_ACCEPT_DONTWAIT: u16 = 0x2;
const_assert_eq!(RINGCORE_ACCEPT_DONTWAIT, sys::IORING_ACCEPT_DONTWAIT);
/// `IORING_ACCEPT_POLL_FIRST`: accept `sqe.ioprio` flag: poll first.
pub const RINGCORE_ACCEPT_POLL_FIRST: u16 = 0x4;
const_assert_eq!(RINGCORE_ACCEPT_POLL_FIRST, sys::IORING_ACCEPT_POLL_FIRST);
/// `FUTEX2_SIZE_U32`: futex2 flag: 32-bit futex (for `futex_flags`).
pub const RINGCORE_FUTEX2_SIZE_U32: u32 = 0x02;
const_assert_eq!(RINGCORE_FUTEX2_SIZE_U32, sys::FUTEX2_SIZE_U32);
/// `FUTEX2_PRIVATE`: futex2 flag: process-private futex.
pub const RINGCORE_FUTEX2_PRIVATE: u32 = 128;
const_assert_eq!(RINGCORE_FUTEX2_PRIVATE, sys::FUTEX2_PRIVATE);
