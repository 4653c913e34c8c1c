//! The structures C code reads and writes: SQE, CQE, setup parameters and the ring state that
//! the header's inline fast paths use. Each is laid out byte for byte like its kernel or core
//! counterpart, which the assertions below pin at compile time (and `c_tests/abi.c` pins
//! against `<linux/io_uring.h>` on the C side).

use core::mem::{align_of, offset_of, size_of};
use rc::sys::{CqRingOffsets, Cqe, Params, SqRingOffsets, Sqe};
use static_assertions::const_assert_eq;

/// A submission queue entry, 64 bytes, laid out like the kernel's `struct io_uring_sqe`.
///
/// The kernel's unions appear under one name each, the first of the kernel's names unless
/// noted: `off` (also `addr2`), `addr` (also `splice_off_in`), `op_flags` (`rw_flags`,
/// `poll32_events`, `timeout_flags`, ... — the opcode's flags word), `buf_index` (also
/// `buf_group`), `file_index` (also `splice_fd_in`), `addr3` (with `pad2`: the last 16 bytes).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ringcore_sqe {
    /// The operation (`RINGCORE_OP_*`).
    pub opcode: u8,
    /// `RINGCORE_SQE_*` bits.
    pub flags: u8,
    /// Request priority (`ioprio`), or an opcode's extra flags (e.g. for send/recv).
    pub ioprio: u16,
    /// File descriptor, or a registered-file index with `RINGCORE_SQE_FIXED_FILE`.
    pub fd: i32,
    /// File offset, or a second address.
    pub off: u64,
    /// Buffer or iovec address.
    pub addr: u64,
    /// Buffer length or iovec count.
    pub len: u32,
    /// The opcode's flags word.
    pub op_flags: u32,
    /// Passed back in the CQE.
    pub user_data: u64,
    /// Registered-buffer index, or provided-buffer group with `RINGCORE_SQE_BUFFER_SELECT`.
    pub buf_index: u16,
    /// Credentials registered with the ring, or 0.
    pub personality: u16,
    /// Direct-descriptor slot plus one, or the splice input fd.
    pub file_index: u32,
    /// A third address (e.g. `setsockopt`'s value, `msg_ring`'s data).
    pub addr3: u64,
    /// Reserved or command bytes.
    pub pad2: u64,
}

/// A completion queue entry, 16 bytes, laid out like the kernel's `struct io_uring_cqe`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ringcore_cqe {
    /// The SQE's `user_data`.
    pub user_data: u64,
    /// The result: a count or value when `>= 0`, a negative errno on failure.
    pub res: i32,
    /// `RINGCORE_CQE_F_*` bits; with `RINGCORE_CQE_F_BUFFER` the upper 16 bits are a buffer id.
    pub flags: u32,
}

/// Where the SQ ring's words lie in its mapping (`struct io_sqring_offsets`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ringcore_sqring_offsets {
    /// Offset of the head.
    pub head: u32,
    /// Offset of the tail.
    pub tail: u32,
    /// Offset of the ring mask.
    pub ring_mask: u32,
    /// Offset of the entry count.
    pub ring_entries: u32,
    /// Offset of the flags word.
    pub flags: u32,
    /// Offset of the dropped counter.
    pub dropped: u32,
    /// Offset of the index array.
    pub array: u32,
    /// Reserved.
    pub resv1: u32,
    /// Reserved (user address with `IORING_SETUP_NO_MMAP`).
    pub user_addr: u64,
}

/// Where the CQ ring's words lie in its mapping (`struct io_cqring_offsets`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ringcore_cqring_offsets {
    /// Offset of the head.
    pub head: u32,
    /// Offset of the tail.
    pub tail: u32,
    /// Offset of the ring mask.
    pub ring_mask: u32,
    /// Offset of the entry count.
    pub ring_entries: u32,
    /// Offset of the overflow counter.
    pub overflow: u32,
    /// Offset of the CQE array.
    pub cqes: u32,
    /// Offset of the flags word.
    pub flags: u32,
    /// Reserved.
    pub resv1: u32,
    /// Reserved (user address with `IORING_SETUP_NO_MMAP`).
    pub user_addr: u64,
}

/// Setup parameters (`struct io_uring_params`).
///
/// To `ringcore_ring_new` the caller sets `flags` (`RINGCORE_SETUP_*`) and, with the matching
/// flags, `cq_entries`, `sq_thread_cpu`, `sq_thread_idle` and `wq_fd`; everything else must be
/// zero. `ringcore_ring_params` returns them as the kernel filled them in (sizes, `features`,
/// offsets).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ringcore_params {
    /// SQ entries.
    pub sq_entries: u32,
    /// CQ entries (input with `RINGCORE_SETUP_CQSIZE`).
    pub cq_entries: u32,
    /// `RINGCORE_SETUP_*` bits.
    pub flags: u32,
    /// CPU of the SQPOLL thread (with `RINGCORE_SETUP_SQ_AFF`).
    pub sq_thread_cpu: u32,
    /// Milliseconds the SQPOLL thread spins before sleeping.
    pub sq_thread_idle: u32,
    /// `RINGCORE_FEAT_*` bits (output).
    pub features: u32,
    /// Ring fd whose workers to share (with `RINGCORE_SETUP_ATTACH_WQ`).
    pub wq_fd: u32,
    /// Reserved, zero.
    pub resv: [u32; 3],
    /// SQ ring offsets (output).
    pub sq_off: ringcore_sqring_offsets,
    /// CQ ring offsets (output).
    pub cq_off: ringcore_cqring_offsets,
}

/// The ring state the header's inline fast paths work on; every `struct ringcore_ring` begins
/// with one, so `(struct ringcore_ring_state *)ring` is valid.
///
/// Read it, don't write it, except through the `ringcore_*` calls and inlines. Shared words
/// (`sq_khead`, `sq_ktail`, `cq_khead`, `cq_ktail`) are accessed atomically: the kernel's
/// heads and tails loaded with acquire, ours stored with release.
#[repr(C)]
#[derive(Debug)]
pub struct ringcore_ring_state {
    /// The SQE array (`sq_entries << sqe_shift` entries of 64 bytes).
    pub sqes: *mut ringcore_sqe,
    /// The kernel's SQ head.
    pub sq_khead: *const u32,
    /// The shared SQ tail, published by submit calls.
    pub sq_ktail: *mut u32,
    /// The CQE array (`cq_entries << cqe_shift` entries of 16 bytes).
    pub cqes: *mut ringcore_cqe,
    /// The shared CQ head, stored by `cqe_seen` / `cq_advance`.
    pub cq_khead: *mut u32,
    /// The kernel's CQ tail.
    pub cq_ktail: *const u32,
    /// One past the last SQE handed out (not yet published).
    pub sq_tail: u32,
    /// The inline `get_sqe` may hand out SQEs while `sq_tail != sq_limit`: the kernel's head as
    /// last seen plus `sq_entries` (kept equal to `sq_tail` for 128-byte SQEs, which go through
    /// the exported call).
    pub sq_limit: u32,
    /// `sq_entries - 1`.
    pub sq_mask: u32,
    /// `cq_entries - 1`.
    pub cq_mask: u32,
    /// 1 with 128-byte SQEs (`RINGCORE_SETUP_SQE128`), else 0.
    pub sqe_shift: u32,
    /// 1 with 32-byte CQEs (`RINGCORE_SETUP_CQE32`), else 0.
    pub cqe_shift: u32,
    /// SQ slots.
    pub sq_entries: u32,
    /// CQ slots.
    pub cq_entries: u32,
}

const_assert_eq!(size_of::<ringcore_sqe>(), size_of::<Sqe>());
const_assert_eq!(align_of::<ringcore_sqe>(), align_of::<Sqe>());
const_assert_eq!(offset_of!(ringcore_sqe, opcode), offset_of!(Sqe, opcode));
const_assert_eq!(offset_of!(ringcore_sqe, flags), offset_of!(Sqe, flags));
const_assert_eq!(offset_of!(ringcore_sqe, ioprio), offset_of!(Sqe, ioprio));
const_assert_eq!(offset_of!(ringcore_sqe, fd), offset_of!(Sqe, fd));
const_assert_eq!(offset_of!(ringcore_sqe, off), offset_of!(Sqe, off));
const_assert_eq!(offset_of!(ringcore_sqe, addr), offset_of!(Sqe, addr));
const_assert_eq!(offset_of!(ringcore_sqe, len), offset_of!(Sqe, len));
const_assert_eq!(
    offset_of!(ringcore_sqe, op_flags),
    offset_of!(Sqe, op_flags)
);
const_assert_eq!(
    offset_of!(ringcore_sqe, user_data),
    offset_of!(Sqe, user_data)
);
const_assert_eq!(offset_of!(ringcore_sqe, buf_index), offset_of!(Sqe, buf));
const_assert_eq!(
    offset_of!(ringcore_sqe, personality),
    offset_of!(Sqe, personality)
);
const_assert_eq!(offset_of!(ringcore_sqe, file_index), offset_of!(Sqe, file));
const_assert_eq!(offset_of!(ringcore_sqe, addr3), offset_of!(Sqe, ext));
const_assert_eq!(offset_of!(ringcore_sqe, pad2), 56);

const_assert_eq!(size_of::<ringcore_cqe>(), size_of::<Cqe>());
const_assert_eq!(align_of::<ringcore_cqe>(), align_of::<Cqe>());
const_assert_eq!(
    offset_of!(ringcore_cqe, user_data),
    offset_of!(Cqe, user_data)
);
const_assert_eq!(offset_of!(ringcore_cqe, res), offset_of!(Cqe, res));
const_assert_eq!(offset_of!(ringcore_cqe, flags), offset_of!(Cqe, flags));

const_assert_eq!(
    size_of::<ringcore_sqring_offsets>(),
    size_of::<SqRingOffsets>()
);
const_assert_eq!(
    offset_of!(ringcore_sqring_offsets, array),
    offset_of!(SqRingOffsets, array)
);
const_assert_eq!(
    offset_of!(ringcore_sqring_offsets, user_addr),
    offset_of!(SqRingOffsets, user_addr)
);
const_assert_eq!(
    size_of::<ringcore_cqring_offsets>(),
    size_of::<CqRingOffsets>()
);
const_assert_eq!(
    offset_of!(ringcore_cqring_offsets, cqes),
    offset_of!(CqRingOffsets, cqes)
);
const_assert_eq!(
    offset_of!(ringcore_cqring_offsets, user_addr),
    offset_of!(CqRingOffsets, user_addr)
);
const_assert_eq!(size_of::<ringcore_params>(), size_of::<Params>());
const_assert_eq!(align_of::<ringcore_params>(), align_of::<Params>());
const_assert_eq!(
    offset_of!(ringcore_params, flags),
    offset_of!(Params, flags)
);
const_assert_eq!(
    offset_of!(ringcore_params, features),
    offset_of!(Params, features)
);
const_assert_eq!(
    offset_of!(ringcore_params, wq_fd),
    offset_of!(Params, wq_fd)
);
const_assert_eq!(offset_of!(ringcore_params, resv), offset_of!(Params, resv));
const_assert_eq!(
    offset_of!(ringcore_params, sq_off),
    offset_of!(Params, sq_off)
);
const_assert_eq!(
    offset_of!(ringcore_params, cq_off),
    offset_of!(Params, cq_off)
);

// The state's layout is part of the ABI: the header's inlines compile against it.
const_assert_eq!(size_of::<ringcore_ring_state>(), 80);
const_assert_eq!(offset_of!(ringcore_ring_state, sqes), 0);
const_assert_eq!(offset_of!(ringcore_ring_state, sq_khead), 8);
const_assert_eq!(offset_of!(ringcore_ring_state, sq_ktail), 16);
const_assert_eq!(offset_of!(ringcore_ring_state, cqes), 24);
const_assert_eq!(offset_of!(ringcore_ring_state, cq_khead), 32);
const_assert_eq!(offset_of!(ringcore_ring_state, cq_ktail), 40);
const_assert_eq!(offset_of!(ringcore_ring_state, sq_tail), 48);
const_assert_eq!(offset_of!(ringcore_ring_state, sq_limit), 52);
const_assert_eq!(offset_of!(ringcore_ring_state, sq_mask), 56);
const_assert_eq!(offset_of!(ringcore_ring_state, cq_mask), 60);
const_assert_eq!(offset_of!(ringcore_ring_state, sqe_shift), 64);
const_assert_eq!(offset_of!(ringcore_ring_state, cqe_shift), 68);
const_assert_eq!(offset_of!(ringcore_ring_state, sq_entries), 72);
const_assert_eq!(offset_of!(ringcore_ring_state, cq_entries), 76);
