//! The kernel's io_uring user ABI (as of Linux 6.18) and the three raw syscalls.
//!
//! This module holds definitions only: `#[repr(C)]` structs laid out exactly as the kernel's
//! `include/uapi/linux/io_uring.h`, opcode numbers, flag sets, and thin syscall wrappers. Nothing
//! here keeps state. Every size and field offset is pinned by `static_assertions` in `check`.
//!
//! The system headers on a build machine are often older than the running kernel, so ringcore
//! carries its own definitions rather than generating them from `<linux/io_uring.h>`.

mod check;
mod flags;
mod op_abi;
mod opcode;
mod register_abi;
mod syscall;
mod types;

pub use flags::*;
pub use op_abi::*;
pub use opcode::*;
pub use register_abi::*;
pub use syscall::*;
pub use types::*;

/// `mmap` offset of the submission queue ring.
pub const IORING_OFF_SQ_RING: i64 = 0;
/// `mmap` offset of the completion queue ring.
pub const IORING_OFF_CQ_RING: i64 = 0x0800_0000;
/// `mmap` offset of the SQE array.
pub const IORING_OFF_SQES: i64 = 0x1000_0000;
/// `mmap` offset of a kernel-allocated provided-buffer ring (`IOU_PBUF_RING_MMAP`).
pub const IORING_OFF_PBUF_RING: i64 = 0x8000_0000;
/// Shift of the buffer group id inside [`IORING_OFF_PBUF_RING`] offsets.
pub const IORING_OFF_PBUF_SHIFT: u32 = 16;
/// Mask of the region part of an `mmap` offset.
pub const IORING_OFF_MMAP_MASK: i64 = 0xf800_0000;

/// `sqe.file_index` value asking the kernel to allocate a free direct descriptor.
pub const IORING_FILE_INDEX_ALLOC: u32 = !0;
/// Passed as an fd in a files update: leave this slot as it is.
pub const IORING_REGISTER_FILES_SKIP: i32 = -2;
/// Shift of the buffer id in `cqe.flags` when [`CqeFlags::BUFFER`] is set.
pub const IORING_CQE_BUFFER_SHIFT: u32 = 16;
/// `register` opcode bit: the fd argument is a registered ring index.
pub const IORING_REGISTER_USE_REGISTERED_RING: u32 = 1 << 31;
/// Largest SQ size the kernel accepts without `IORING_SETUP_CLAMP`.
pub const IORING_MAX_ENTRIES: u32 = 32768;
/// Largest CQ size the kernel accepts without `IORING_SETUP_CLAMP`.
pub const IORING_MAX_CQ_ENTRIES: u32 = 2 * IORING_MAX_ENTRIES;
/// Timeout: `IORING_TIMEOUT_*` bits of `sqe.timeout_flags` selecting the clock.
pub const IORING_TIMEOUT_CLOCK_MASK: u32 =
    TimeoutFlags::BOOTTIME.bits() | TimeoutFlags::REALTIME.bits();
/// Timeout: bits of `sqe.timeout_flags` selecting an update.
pub const IORING_TIMEOUT_UPDATE_MASK: u32 =
    TimeoutFlags::UPDATE.bits() | TimeoutFlags::LINK_UPDATE.bits();
/// `sqe.len` value of `IORING_OP_POLL_REMOVE` updates: update the events.
pub const IORING_POLL_UPDATE_EVENTS: u32 = 1 << 1;
/// `sqe.len` value of `IORING_OP_POLL_REMOVE` updates: update the user_data.
pub const IORING_POLL_UPDATE_USER_DATA: u32 = 1 << 2;
/// `sqe.len` flag of `IORING_OP_POLL_ADD`: multishot poll.
pub const IORING_POLL_ADD_MULTI: u32 = 1 << 0;
/// `sqe.len` flag of `IORING_OP_POLL_ADD`: level triggered.
pub const IORING_POLL_ADD_LEVEL: u32 = 1 << 3;
/// `sqe.addr` command of `IORING_OP_MSG_RING`: post a CQE with data.
pub const IORING_MSG_DATA: u64 = 0;
/// `sqe.addr` command of `IORING_OP_MSG_RING`: send a direct descriptor.
pub const IORING_MSG_SEND_FD: u64 = 1;
/// `sqe.msg_ring_flags`: post no CQE in the target ring (descriptor passing only).
pub const IORING_MSG_RING_CQE_SKIP: u32 = 1 << 0;
/// `sqe.msg_ring_flags`: pass `sqe.file_index` as the target CQE's flags.
pub const IORING_MSG_RING_FLAGS_PASS: u32 = 1 << 1;
/// `sqe.install_fd_flags`: do not set `O_CLOEXEC` on the installed fd.
pub const IORING_FIXED_FD_NO_CLOEXEC: u32 = 1 << 0;
/// `sqe.nop_flags`: inject `sqe.len` as the result (for tests).
pub const IORING_NOP_INJECT_RESULT: u32 = 1 << 0;
/// `sqe.nop_flags`: the NOP uses a file.
pub const IORING_NOP_FILE: u32 = 1 << 1;
/// `sqe.nop_flags`: the file is a fixed file.
pub const IORING_NOP_FIXED_FILE: u32 = 1 << 2;
/// `sqe.nop_flags`: the NOP imports a fixed buffer.
pub const IORING_NOP_FIXED_BUFFER: u32 = 1 << 3;
/// `sqe.nop_flags`: post a 32-byte CQE (mixed CQ rings).
pub const IORING_NOP_CQE32: u32 = 1 << 5;
/// `sqe.uring_cmd_flags`: `sqe.buf_index` names a registered buffer.
pub const IORING_URING_CMD_FIXED: u32 = 1 << 0;
/// `sqe.splice_flags`: `splice_fd_in` is a fixed file.
pub const SPLICE_F_FD_IN_FIXED: u32 = 1 << 31;
/// `sqe.fsync_flags`: sync data only.
pub const IORING_FSYNC_DATASYNC: u32 = 1 << 0;
/// Send/recv `sqe.ioprio` flag: poll first before trying the operation.
pub const IORING_RECVSEND_POLL_FIRST: u16 = 1 << 0;
/// Recv `sqe.ioprio` flag: multishot receive.
pub const IORING_RECV_MULTISHOT: u16 = 1 << 1;
/// Send/recv `sqe.ioprio` flag: `sqe.buf_index` is a registered buffer.
pub const IORING_RECVSEND_FIXED_BUF: u16 = 1 << 2;
/// Send-zc `sqe.ioprio` flag: report whether data was copied in the notification.
pub const IORING_SEND_ZC_REPORT_USAGE: u16 = 1 << 3;
/// Send/recv `sqe.ioprio` flag: use a bundle of provided buffers.
pub const IORING_RECVSEND_BUNDLE: u16 = 1 << 4;
/// Send `sqe.ioprio` flag: vectored send (6.17+).
pub const IORING_SEND_VECTORIZED: u16 = 1 << 5;
/// Notification CQE `res` bit: the data was copied, not sent zero-copy.
pub const IORING_NOTIF_USAGE_ZC_COPIED: u32 = 1 << 31;
/// Accept `sqe.ioprio` flag: multishot accept.
pub const IORING_ACCEPT_MULTISHOT: u16 = 1 << 0;
/// Accept `sqe.ioprio` flag: do not retry when no connection is pending.
pub const IORING_ACCEPT_DONTWAIT: u16 = 1 << 1;
/// Accept `sqe.ioprio` flag: poll first.
pub const IORING_ACCEPT_POLL_FIRST: u16 = 1 << 2;
/// Futex2 flag: 32-bit futex (for `futex_flags`).
pub const FUTEX2_SIZE_U32: u32 = 0x02;
/// Futex2 flag: process-private futex.
pub const FUTEX2_PRIVATE: u32 = 128;
/// Bitset matching every waiter (`FUTEX_BITSET_MATCH_ANY`).
pub const FUTEX_BITSET_MATCH_ANY: u64 = 0xffff_ffff;
