//! Opcode numbers: `IORING_OP_*` for SQEs and `IORING_(UN)REGISTER_*` for `io_uring_register`.

/// An SQE opcode (`sqe.opcode`).
pub type Opcode = u8;

/// `IORING_OP_NOP`.
pub const IORING_OP_NOP: Opcode = 0;
/// `IORING_OP_READV`.
pub const IORING_OP_READV: Opcode = 1;
/// `IORING_OP_WRITEV`.
pub const IORING_OP_WRITEV: Opcode = 2;
/// `IORING_OP_FSYNC`.
pub const IORING_OP_FSYNC: Opcode = 3;
/// `IORING_OP_READ_FIXED`.
pub const IORING_OP_READ_FIXED: Opcode = 4;
/// `IORING_OP_WRITE_FIXED`.
pub const IORING_OP_WRITE_FIXED: Opcode = 5;
/// `IORING_OP_POLL_ADD`.
pub const IORING_OP_POLL_ADD: Opcode = 6;
/// `IORING_OP_POLL_REMOVE`.
pub const IORING_OP_POLL_REMOVE: Opcode = 7;
/// `IORING_OP_SYNC_FILE_RANGE`.
pub const IORING_OP_SYNC_FILE_RANGE: Opcode = 8;
/// `IORING_OP_SENDMSG`.
pub const IORING_OP_SENDMSG: Opcode = 9;
/// `IORING_OP_RECVMSG`.
pub const IORING_OP_RECVMSG: Opcode = 10;
/// `IORING_OP_TIMEOUT`.
pub const IORING_OP_TIMEOUT: Opcode = 11;
/// `IORING_OP_TIMEOUT_REMOVE`.
pub const IORING_OP_TIMEOUT_REMOVE: Opcode = 12;
/// `IORING_OP_ACCEPT`.
pub const IORING_OP_ACCEPT: Opcode = 13;
/// `IORING_OP_ASYNC_CANCEL`.
pub const IORING_OP_ASYNC_CANCEL: Opcode = 14;
/// `IORING_OP_LINK_TIMEOUT`.
pub const IORING_OP_LINK_TIMEOUT: Opcode = 15;
/// `IORING_OP_CONNECT`.
pub const IORING_OP_CONNECT: Opcode = 16;
/// `IORING_OP_FALLOCATE`.
pub const IORING_OP_FALLOCATE: Opcode = 17;
/// `IORING_OP_OPENAT`.
pub const IORING_OP_OPENAT: Opcode = 18;
/// `IORING_OP_CLOSE`.
pub const IORING_OP_CLOSE: Opcode = 19;
/// `IORING_OP_FILES_UPDATE`.
pub const IORING_OP_FILES_UPDATE: Opcode = 20;
/// `IORING_OP_STATX`.
pub const IORING_OP_STATX: Opcode = 21;
/// `IORING_OP_READ`.
pub const IORING_OP_READ: Opcode = 22;
/// `IORING_OP_WRITE`.
pub const IORING_OP_WRITE: Opcode = 23;
/// `IORING_OP_FADVISE`.
pub const IORING_OP_FADVISE: Opcode = 24;
/// `IORING_OP_MADVISE`.
pub const IORING_OP_MADVISE: Opcode = 25;
/// `IORING_OP_SEND`.
pub const IORING_OP_SEND: Opcode = 26;
/// `IORING_OP_RECV`.
pub const IORING_OP_RECV: Opcode = 27;
/// `IORING_OP_OPENAT2`.
pub const IORING_OP_OPENAT2: Opcode = 28;
/// `IORING_OP_EPOLL_CTL`.
pub const IORING_OP_EPOLL_CTL: Opcode = 29;
/// `IORING_OP_SPLICE`.
pub const IORING_OP_SPLICE: Opcode = 30;
/// `IORING_OP_PROVIDE_BUFFERS`.
pub const IORING_OP_PROVIDE_BUFFERS: Opcode = 31;
/// `IORING_OP_REMOVE_BUFFERS`.
pub const IORING_OP_REMOVE_BUFFERS: Opcode = 32;
/// `IORING_OP_TEE`.
pub const IORING_OP_TEE: Opcode = 33;
/// `IORING_OP_SHUTDOWN`.
pub const IORING_OP_SHUTDOWN: Opcode = 34;
/// `IORING_OP_RENAMEAT`.
pub const IORING_OP_RENAMEAT: Opcode = 35;
/// `IORING_OP_UNLINKAT`.
pub const IORING_OP_UNLINKAT: Opcode = 36;
/// `IORING_OP_MKDIRAT`.
pub const IORING_OP_MKDIRAT: Opcode = 37;
/// `IORING_OP_SYMLINKAT`.
pub const IORING_OP_SYMLINKAT: Opcode = 38;
/// `IORING_OP_LINKAT`.
pub const IORING_OP_LINKAT: Opcode = 39;
/// `IORING_OP_MSG_RING`.
pub const IORING_OP_MSG_RING: Opcode = 40;
/// `IORING_OP_FSETXATTR`.
pub const IORING_OP_FSETXATTR: Opcode = 41;
/// `IORING_OP_SETXATTR`.
pub const IORING_OP_SETXATTR: Opcode = 42;
/// `IORING_OP_FGETXATTR`.
pub const IORING_OP_FGETXATTR: Opcode = 43;
/// `IORING_OP_GETXATTR`.
pub const IORING_OP_GETXATTR: Opcode = 44;
/// `IORING_OP_SOCKET`.
pub const IORING_OP_SOCKET: Opcode = 45;
/// `IORING_OP_URING_CMD`.
pub const IORING_OP_URING_CMD: Opcode = 46;
/// `IORING_OP_SEND_ZC`.
pub const IORING_OP_SEND_ZC: Opcode = 47;
/// `IORING_OP_SENDMSG_ZC`.
pub const IORING_OP_SENDMSG_ZC: Opcode = 48;
/// `IORING_OP_READ_MULTISHOT`.
pub const IORING_OP_READ_MULTISHOT: Opcode = 49;
/// `IORING_OP_WAITID`.
pub const IORING_OP_WAITID: Opcode = 50;
/// `IORING_OP_FUTEX_WAIT`.
pub const IORING_OP_FUTEX_WAIT: Opcode = 51;
/// `IORING_OP_FUTEX_WAKE`.
pub const IORING_OP_FUTEX_WAKE: Opcode = 52;
/// `IORING_OP_FUTEX_WAITV`.
pub const IORING_OP_FUTEX_WAITV: Opcode = 53;
/// `IORING_OP_FIXED_FD_INSTALL`.
pub const IORING_OP_FIXED_FD_INSTALL: Opcode = 54;
/// `IORING_OP_FTRUNCATE`.
pub const IORING_OP_FTRUNCATE: Opcode = 55;
/// `IORING_OP_BIND`.
pub const IORING_OP_BIND: Opcode = 56;
/// `IORING_OP_LISTEN`.
pub const IORING_OP_LISTEN: Opcode = 57;
/// `IORING_OP_RECV_ZC`.
pub const IORING_OP_RECV_ZC: Opcode = 58;
/// `IORING_OP_EPOLL_WAIT`.
pub const IORING_OP_EPOLL_WAIT: Opcode = 59;
/// `IORING_OP_READV_FIXED`.
pub const IORING_OP_READV_FIXED: Opcode = 60;
/// `IORING_OP_WRITEV_FIXED`.
pub const IORING_OP_WRITEV_FIXED: Opcode = 61;
/// `IORING_OP_PIPE`.
pub const IORING_OP_PIPE: Opcode = 62;
/// `IORING_OP_NOP128`.
pub const IORING_OP_NOP128: Opcode = 63;
/// `IORING_OP_URING_CMD128`.
pub const IORING_OP_URING_CMD128: Opcode = 64;
/// One past the newest opcode ringcore knows (`IORING_OP_LAST` of its ABI copy).
pub const IORING_OP_LAST: Opcode = 65;

/// The kernel's name of each opcode, indexed by its number (without the `IORING_OP_` prefix).
pub const OPCODE_NAMES: [&str; IORING_OP_LAST as usize] = [
    "NOP",
    "READV",
    "WRITEV",
    "FSYNC",
    "READ_FIXED",
    "WRITE_FIXED",
    "POLL_ADD",
    "POLL_REMOVE",
    "SYNC_FILE_RANGE",
    "SENDMSG",
    "RECVMSG",
    "TIMEOUT",
    "TIMEOUT_REMOVE",
    "ACCEPT",
    "ASYNC_CANCEL",
    "LINK_TIMEOUT",
    "CONNECT",
    "FALLOCATE",
    "OPENAT",
    "CLOSE",
    "FILES_UPDATE",
    "STATX",
    "READ",
    "WRITE",
    "FADVISE",
    "MADVISE",
    "SEND",
    "RECV",
    "OPENAT2",
    "EPOLL_CTL",
    "SPLICE",
    "PROVIDE_BUFFERS",
    "REMOVE_BUFFERS",
    "TEE",
    "SHUTDOWN",
    "RENAMEAT",
    "UNLINKAT",
    "MKDIRAT",
    "SYMLINKAT",
    "LINKAT",
    "MSG_RING",
    "FSETXATTR",
    "SETXATTR",
    "FGETXATTR",
    "GETXATTR",
    "SOCKET",
    "URING_CMD",
    "SEND_ZC",
    "SENDMSG_ZC",
    "READ_MULTISHOT",
    "WAITID",
    "FUTEX_WAIT",
    "FUTEX_WAKE",
    "FUTEX_WAITV",
    "FIXED_FD_INSTALL",
    "FTRUNCATE",
    "BIND",
    "LISTEN",
    "RECV_ZC",
    "EPOLL_WAIT",
    "READV_FIXED",
    "WRITEV_FIXED",
    "PIPE",
    "NOP128",
    "URING_CMD128",
];

/// The kernel's name of `op`, or `None` for a number ringcore does not know.
pub fn opcode_name(op: Opcode) -> Option<&'static str> {
    OPCODE_NAMES.get(op as usize).copied()
}

/// An `io_uring_register` opcode.
pub type RegisterOp = u32;

/// `IORING_REGISTER_BUFFERS`.
pub const IORING_REGISTER_BUFFERS: RegisterOp = 0;
/// `IORING_UNREGISTER_BUFFERS`.
pub const IORING_UNREGISTER_BUFFERS: RegisterOp = 1;
/// `IORING_REGISTER_FILES`.
pub const IORING_REGISTER_FILES: RegisterOp = 2;
/// `IORING_UNREGISTER_FILES`.
pub const IORING_UNREGISTER_FILES: RegisterOp = 3;
/// `IORING_REGISTER_EVENTFD`.
pub const IORING_REGISTER_EVENTFD: RegisterOp = 4;
/// `IORING_UNREGISTER_EVENTFD`.
pub const IORING_UNREGISTER_EVENTFD: RegisterOp = 5;
/// `IORING_REGISTER_FILES_UPDATE`.
pub const IORING_REGISTER_FILES_UPDATE: RegisterOp = 6;
/// `IORING_REGISTER_EVENTFD_ASYNC`.
pub const IORING_REGISTER_EVENTFD_ASYNC: RegisterOp = 7;
/// `IORING_REGISTER_PROBE`.
pub const IORING_REGISTER_PROBE: RegisterOp = 8;
/// `IORING_REGISTER_PERSONALITY`.
pub const IORING_REGISTER_PERSONALITY: RegisterOp = 9;
/// `IORING_UNREGISTER_PERSONALITY`.
pub const IORING_UNREGISTER_PERSONALITY: RegisterOp = 10;
/// `IORING_REGISTER_RESTRICTIONS`.
pub const IORING_REGISTER_RESTRICTIONS: RegisterOp = 11;
/// `IORING_REGISTER_ENABLE_RINGS`.
pub const IORING_REGISTER_ENABLE_RINGS: RegisterOp = 12;
/// `IORING_REGISTER_FILES2`.
pub const IORING_REGISTER_FILES2: RegisterOp = 13;
/// `IORING_REGISTER_FILES_UPDATE2`.
pub const IORING_REGISTER_FILES_UPDATE2: RegisterOp = 14;
/// `IORING_REGISTER_BUFFERS2`.
pub const IORING_REGISTER_BUFFERS2: RegisterOp = 15;
/// `IORING_REGISTER_BUFFERS_UPDATE`.
pub const IORING_REGISTER_BUFFERS_UPDATE: RegisterOp = 16;
/// `IORING_REGISTER_IOWQ_AFF`.
pub const IORING_REGISTER_IOWQ_AFF: RegisterOp = 17;
/// `IORING_UNREGISTER_IOWQ_AFF`.
pub const IORING_UNREGISTER_IOWQ_AFF: RegisterOp = 18;
/// `IORING_REGISTER_IOWQ_MAX_WORKERS`.
pub const IORING_REGISTER_IOWQ_MAX_WORKERS: RegisterOp = 19;
/// `IORING_REGISTER_RING_FDS`.
pub const IORING_REGISTER_RING_FDS: RegisterOp = 20;
/// `IORING_UNREGISTER_RING_FDS`.
pub const IORING_UNREGISTER_RING_FDS: RegisterOp = 21;
/// `IORING_REGISTER_PBUF_RING`.
pub const IORING_REGISTER_PBUF_RING: RegisterOp = 22;
/// `IORING_UNREGISTER_PBUF_RING`.
pub const IORING_UNREGISTER_PBUF_RING: RegisterOp = 23;
/// `IORING_REGISTER_SYNC_CANCEL`.
pub const IORING_REGISTER_SYNC_CANCEL: RegisterOp = 24;
/// `IORING_REGISTER_FILE_ALLOC_RANGE`.
pub const IORING_REGISTER_FILE_ALLOC_RANGE: RegisterOp = 25;
/// `IORING_REGISTER_PBUF_STATUS`.
pub const IORING_REGISTER_PBUF_STATUS: RegisterOp = 26;
/// `IORING_REGISTER_NAPI`.
pub const IORING_REGISTER_NAPI: RegisterOp = 27;
/// `IORING_UNREGISTER_NAPI`.
pub const IORING_UNREGISTER_NAPI: RegisterOp = 28;
/// `IORING_REGISTER_CLOCK`.
pub const IORING_REGISTER_CLOCK: RegisterOp = 29;
/// `IORING_REGISTER_CLONE_BUFFERS`.
pub const IORING_REGISTER_CLONE_BUFFERS: RegisterOp = 30;
/// `IORING_REGISTER_SEND_MSG_RING`.
pub const IORING_REGISTER_SEND_MSG_RING: RegisterOp = 31;
/// `IORING_REGISTER_ZCRX_IFQ`.
pub const IORING_REGISTER_ZCRX_IFQ: RegisterOp = 32;
/// `IORING_REGISTER_RESIZE_RINGS`.
pub const IORING_REGISTER_RESIZE_RINGS: RegisterOp = 33;
/// `IORING_REGISTER_MEM_REGION`.
pub const IORING_REGISTER_MEM_REGION: RegisterOp = 34;
/// `IORING_REGISTER_QUERY`.
pub const IORING_REGISTER_QUERY: RegisterOp = 35;
/// One past the newest register opcode ringcore knows.
pub const IORING_REGISTER_LAST: RegisterOp = 36;

/// `IORING_RESTRICTION_REGISTER_OP`: allow a register opcode.
pub const IORING_RESTRICTION_REGISTER_OP: u16 = 0;
/// `IORING_RESTRICTION_SQE_OP`: allow an SQE opcode.
pub const IORING_RESTRICTION_SQE_OP: u16 = 1;
/// `IORING_RESTRICTION_SQE_FLAGS_ALLOWED`: SQE flags that may be set.
pub const IORING_RESTRICTION_SQE_FLAGS_ALLOWED: u16 = 2;
/// `IORING_RESTRICTION_SQE_FLAGS_REQUIRED`: SQE flags that must be set.
pub const IORING_RESTRICTION_SQE_FLAGS_REQUIRED: u16 = 3;

/// `IO_URING_OP_SUPPORTED` in `io_uring_probe_op.flags`.
pub const IO_URING_OP_SUPPORTED: u16 = 1 << 0;

/// Socket command `SOCKET_URING_OP_SIOCINQ` of `IORING_OP_URING_CMD`.
pub const SOCKET_URING_OP_SIOCINQ: u32 = 0;
/// Socket command `SOCKET_URING_OP_SIOCOUTQ`.
pub const SOCKET_URING_OP_SIOCOUTQ: u32 = 1;
/// Socket command `SOCKET_URING_OP_GETSOCKOPT`.
pub const SOCKET_URING_OP_GETSOCKOPT: u32 = 2;
/// Socket command `SOCKET_URING_OP_SETSOCKOPT`.
pub const SOCKET_URING_OP_SETSOCKOPT: u32 = 3;
/// Socket command `SOCKET_URING_OP_TX_TIMESTAMP` (6.17+).
pub const SOCKET_URING_OP_TX_TIMESTAMP: u32 = 4;
