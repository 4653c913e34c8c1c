//! `#[repr(C)]` structures shared with the kernel, field for field as in its uapi header.
//! Unions stay unions: writing a union field is safe, reading one needs `unsafe`.

/// Offsets of the SQ ring's fields inside its mapping (`struct io_sqring_offsets`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SqRingOffsets {
    pub head: u32,
    pub tail: u32,
    pub ring_mask: u32,
    pub ring_entries: u32,
    pub flags: u32,
    pub dropped: u32,
    pub array: u32,
    pub resv1: u32,
    /// With `IORING_SETUP_NO_MMAP`: the user's address of the SQ ring.
    pub user_addr: u64,
}

/// Offsets of the CQ ring's fields inside its mapping (`struct io_cqring_offsets`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CqRingOffsets {
    pub head: u32,
    pub tail: u32,
    pub ring_mask: u32,
    pub ring_entries: u32,
    pub overflow: u32,
    pub cqes: u32,
    pub flags: u32,
    pub resv1: u32,
    /// With `IORING_SETUP_NO_MMAP`: the user's address of the CQ ring.
    pub user_addr: u64,
}

/// `struct io_uring_params`: the argument and result of `io_uring_setup`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Params {
    pub sq_entries: u32,
    pub cq_entries: u32,
    pub flags: u32,
    pub sq_thread_cpu: u32,
    pub sq_thread_idle: u32,
    pub features: u32,
    pub wq_fd: u32,
    pub resv: [u32; 3],
    pub sq_off: SqRingOffsets,
    pub cq_off: CqRingOffsets,
}

/// `cmd_op` and its padding, inside the SQE's first union.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CmdOp {
    pub cmd_op: u32,
    pub pad1: u32,
}

/// Socket option level and name, inside the SQE's second union.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SockOpt {
    pub level: u32,
    pub optname: u32,
}

/// SQE bytes 8..16.
#[repr(C)]
#[derive(Clone, Copy)]
pub union SqeOff {
    /// File offset.
    pub off: u64,
    pub addr2: u64,
    pub cmd: CmdOp,
}

/// SQE bytes 16..24.
#[repr(C)]
#[derive(Clone, Copy)]
pub union SqeAddr {
    /// Buffer or iovec address.
    pub addr: u64,
    pub splice_off_in: u64,
    pub sockopt: SockOpt,
}

/// SQE bytes 28..32: the opcode's flags word.
#[repr(C)]
#[derive(Clone, Copy)]
pub union SqeOpFlags {
    pub rw_flags: i32,
    pub fsync_flags: u32,
    pub poll_events: u16,
    pub poll32_events: u32,
    pub sync_range_flags: u32,
    pub msg_flags: u32,
    pub timeout_flags: u32,
    pub accept_flags: u32,
    pub cancel_flags: u32,
    pub open_flags: u32,
    pub statx_flags: u32,
    pub fadvise_advice: u32,
    pub splice_flags: u32,
    pub rename_flags: u32,
    pub unlink_flags: u32,
    pub hardlink_flags: u32,
    pub xattr_flags: u32,
    pub msg_ring_flags: u32,
    pub uring_cmd_flags: u32,
    pub waitid_flags: u32,
    pub futex_flags: u32,
    pub install_fd_flags: u32,
    pub nop_flags: u32,
    pub pipe_flags: u32,
}

/// SQE bytes 40..42.
#[repr(C, packed)]
#[derive(Clone, Copy)]
pub union SqeBuf {
    /// Index into the registered buffers.
    pub buf_index: u16,
    /// Provided-buffer group to select from.
    pub buf_group: u16,
}

/// Address length and padding, inside the SQE's file union.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AddrLen {
    pub addr_len: u16,
    pub pad3: [u16; 1],
}

/// Write stream and padding, inside the SQE's file union.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriteStream {
    pub write_stream: u8,
    pub pad4: [u8; 3],
}

/// SQE bytes 44..48.
#[repr(C)]
#[derive(Clone, Copy)]
pub union SqeFile {
    pub splice_fd_in: i32,
    /// Direct descriptor slot plus one (0: none), or [`IORING_FILE_INDEX_ALLOC`](super::IORING_FILE_INDEX_ALLOC).
    pub file_index: u32,
    pub zcrx_ifq_idx: u32,
    pub optlen: u32,
    pub addr_len: AddrLen,
    pub write_stream: WriteStream,
}

/// Third address and padding, inside the SQE's last union.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Addr3 {
    pub addr3: u64,
    pub pad2: [u64; 1],
}

/// Read/write attribute pointer and mask, inside the SQE's last union.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AttrPtr {
    pub attr_ptr: u64,
    pub attr_type_mask: u64,
}

/// SQE bytes 48..64.
#[repr(C)]
#[derive(Clone, Copy)]
pub union SqeExt {
    pub addr3: Addr3,
    pub attr: AttrPtr,
    pub optval: u64,
    /// The first 16 bytes of a `URING_CMD` payload (80 bytes in an SQE128 ring).
    pub cmd: [u8; 16],
}

/// A submission queue entry (`struct io_uring_sqe`), 64 bytes.
///
/// The unions are named after their first kernel field group: `off`, `addr`, `op_flags`, `buf`,
/// `file`, `ext`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Sqe {
    pub opcode: u8,
    /// [`SqeFlags`](super::SqeFlags) bits.
    pub flags: u8,
    pub ioprio: u16,
    pub fd: i32,
    pub off: SqeOff,
    pub addr: SqeAddr,
    pub len: u32,
    pub op_flags: SqeOpFlags,
    pub user_data: u64,
    pub buf: SqeBuf,
    pub personality: u16,
    pub file: SqeFile,
    pub ext: SqeExt,
}

impl Sqe {
    /// An all-zero SQE: opcode NOP, no flags.
    // SAFETY: every field of `Sqe` is an integer or a union of integers, for which all-zero bits
    // are a valid value.
    pub const ZERO: Sqe = unsafe { core::mem::zeroed() };

    /// The SQE as eight little 64-bit words, for inspection and tests.
    pub fn as_words(&self) -> [u64; 8] {
        // SAFETY: `Sqe` is 64 bytes of plain integers without padding (pinned in `check`), so
        // its bytes are a valid `[u64; 8]`; alignment of `Sqe` is 8.
        unsafe { core::mem::transmute_copy(self) }
    }
}

impl Default for Sqe {
    fn default() -> Self {
        Sqe::ZERO
    }
}

impl core::fmt::Debug for Sqe {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let w = self.as_words();
        f.debug_struct("Sqe")
            .field("opcode", &self.opcode)
            .field("flags", &self.flags)
            .field("ioprio", &self.ioprio)
            .field("fd", &self.fd)
            .field("off", &w[1])
            .field("addr", &w[2])
            .field("len", &self.len)
            .field("op_flags", &(w[3] >> 32))
            .field("user_data", &self.user_data)
            .field("buf_personality_file", &w[5])
            .field("ext", &[w[6], w[7]])
            .finish()
    }
}

/// A 128-byte SQE of an `IORING_SETUP_SQE128` ring: the plain SQE and 64 more command bytes.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Sqe128 {
    pub sqe: Sqe,
    pub cmd_ext: [u8; 64],
}

/// A completion queue entry (`struct io_uring_cqe`), 16 bytes.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cqe {
    /// The SQE's `user_data`, passed back.
    pub user_data: u64,
    /// The result: a count or value when `>= 0`, a negated errno when `< 0`.
    pub res: i32,
    /// [`CqeFlags`](super::CqeFlags) bits; the upper 16 hold a buffer id with `BUFFER`.
    pub flags: u32,
}

/// A 32-byte CQE of an `IORING_SETUP_CQE32` ring.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cqe32 {
    pub cqe: Cqe,
    pub big_cqe: [u64; 2],
}

/// `struct __kernel_timespec`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timespec {
    pub tv_sec: i64,
    pub tv_nsec: i64,
}

/// `struct io_uring_getevents_arg`: the argument of `IORING_ENTER_EXT_ARG`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GeteventsArg {
    pub sigmask: u64,
    pub sigmask_sz: u32,
    pub min_wait_usec: u32,
    pub ts: u64,
}

/// One opcode's entry in a probe (`struct io_uring_probe_op`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProbeOp {
    pub op: u8,
    pub resv: u8,
    /// `IO_URING_OP_SUPPORTED` when the opcode is supported.
    pub flags: u16,
    pub resv2: u32,
}

/// The header of `struct io_uring_probe`; `ops_len` [`ProbeOp`]s follow it.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProbeHeader {
    /// The newest opcode the kernel knows.
    pub last_op: u8,
    /// How many `ProbeOp`s the kernel filled in.
    pub ops_len: u8,
    pub resv: u16,
    pub resv2: [u32; 3],
}

/// `struct io_uring_probe` with room for every possible opcode.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Probe {
    pub header: ProbeHeader,
    pub ops: [ProbeOp; 256],
}

/// `struct io_uring_restriction`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Restriction {
    /// `IORING_RESTRICTION_*`.
    pub opcode: u16,
    /// The register op, SQE op or SQE flags, by `opcode`.
    pub arg: u8,
    pub resv: u8,
    pub resv2: [u32; 3],
}

/// `struct io_uring_rsrc_register` (`IORING_REGISTER_FILES2` / `BUFFERS2`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RsrcRegister {
    pub nr: u32,
    /// `IORING_RSRC_REGISTER_SPARSE`.
    pub flags: u32,
    pub resv2: u64,
    pub data: u64,
    pub tags: u64,
}

/// `flags` of [`RsrcRegister`]: register an empty table of `nr` slots.
pub const IORING_RSRC_REGISTER_SPARSE: u32 = 1 << 0;

/// `struct io_uring_rsrc_update` (also `io_uring_files_update`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RsrcUpdate {
    pub offset: u32,
    pub resv: u32,
    pub data: u64,
}

/// `struct io_uring_rsrc_update2`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RsrcUpdate2 {
    pub offset: u32,
    pub resv: u32,
    pub data: u64,
    pub tags: u64,
    pub nr: u32,
    pub resv2: u32,
}

/// `struct io_uring_buf`: one entry of a provided-buffer ring.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Buf {
    pub addr: u64,
    pub len: u32,
    pub bid: u16,
    /// In entry 0 of the ring this field is the ring's tail.
    pub resv: u16,
}

/// Byte offset of the tail in a provided-buffer ring (the `resv` of entry 0).
pub const BUF_RING_TAIL_OFFSET: usize = 14;

/// `struct io_uring_buf_reg`: registers a provided-buffer ring.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BufReg {
    pub ring_addr: u64,
    pub ring_entries: u32,
    pub bgid: u16,
    /// `IOU_PBUF_RING_*`.
    pub flags: u16,
    pub resv: [u64; 3],
}

/// `BufReg.flags`: the kernel allocates the ring; map it at `IORING_OFF_PBUF_RING`.
pub const IOU_PBUF_RING_MMAP: u16 = 1;
/// `BufReg.flags`: buffers are consumed incrementally.
pub const IOU_PBUF_RING_INC: u16 = 2;

/// `struct io_uring_buf_status`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BufStatus {
    pub buf_group: u32,
    pub head: u32,
    pub resv: [u32; 8],
}

/// `struct io_uring_sync_cancel_reg`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncCancelReg {
    pub addr: u64,
    pub fd: i32,
    pub flags: u32,
    pub timeout: Timespec,
    pub opcode: u8,
    pub pad: [u8; 7],
    pub pad2: [u64; 3],
}

/// `struct io_uring_file_index_range`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileIndexRange {
    pub off: u32,
    pub len: u32,
    pub resv: u64,
}

/// `struct io_uring_recvmsg_out`: the header a multishot recvmsg writes into its buffer.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecvmsgOut {
    pub namelen: u32,
    pub controllen: u32,
    pub payloadlen: u32,
    pub flags: u32,
}

/// `struct io_uring_napi`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Napi {
    pub busy_poll_to: u32,
    pub prefer_busy_poll: u8,
    pub opcode: u8,
    pub pad: [u8; 2],
    pub op_param: u32,
    pub resv: u32,
}

/// `struct io_uring_clock_register`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClockRegister {
    pub clockid: u32,
    pub resv: [u32; 3],
}

/// `struct io_uring_clone_buffers`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CloneBuffers {
    pub src_fd: u32,
    /// `IORING_REGISTER_SRC_REGISTERED`, `IORING_REGISTER_DST_REPLACE`.
    pub flags: u32,
    pub src_off: u32,
    pub dst_off: u32,
    pub nr: u32,
    pub pad: [u32; 3],
}

/// `CloneBuffers.flags`: `src_fd` is a registered ring index.
pub const IORING_REGISTER_SRC_REGISTERED: u32 = 1 << 0;
/// `CloneBuffers.flags`: replace existing buffers in the destination.
pub const IORING_REGISTER_DST_REPLACE: u32 = 1 << 1;

/// `struct io_uring_region_desc`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RegionDesc {
    pub user_addr: u64,
    pub size: u64,
    pub flags: u32,
    pub id: u32,
    pub mmap_offset: u64,
    pub resv: [u64; 4],
}

/// `struct io_uring_mem_region_reg`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemRegionReg {
    pub region_uptr: u64,
    pub flags: u64,
    pub resv: [u64; 2],
}

/// `struct open_how` for `openat2`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpenHow {
    pub flags: u64,
    pub mode: u64,
    pub resolve: u64,
}

/// `struct futex_waitv` for `FUTEX_WAITV`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FutexWaitv {
    pub val: u64,
    pub uaddr: u64,
    pub flags: u32,
    pub reserved: u32,
}

/// `struct io_uring_attr_pi`: protection information for reads and writes.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AttrPi {
    pub flags: u16,
    pub app_tag: u16,
    pub len: u32,
    pub addr: u64,
    pub seed: u64,
    pub rsvd: u64,
}
