//! Compile-time checks: every shared structure has the kernel's size, alignment and field offsets.
//! A mismatch is a build error, never a corrupted ring at run time.

use super::*;
use core::mem::{align_of, offset_of, size_of};
use static_assertions::const_assert_eq;

const_assert_eq!(size_of::<SqRingOffsets>(), 40);
const_assert_eq!(offset_of!(SqRingOffsets, array), 24);
const_assert_eq!(offset_of!(SqRingOffsets, user_addr), 32);
const_assert_eq!(size_of::<CqRingOffsets>(), 40);
const_assert_eq!(offset_of!(CqRingOffsets, cqes), 20);
const_assert_eq!(offset_of!(CqRingOffsets, flags), 24);
const_assert_eq!(offset_of!(CqRingOffsets, user_addr), 32);

const_assert_eq!(size_of::<Params>(), 120);
const_assert_eq!(offset_of!(Params, sq_entries), 0);
const_assert_eq!(offset_of!(Params, cq_entries), 4);
const_assert_eq!(offset_of!(Params, flags), 8);
const_assert_eq!(offset_of!(Params, sq_thread_cpu), 12);
const_assert_eq!(offset_of!(Params, sq_thread_idle), 16);
const_assert_eq!(offset_of!(Params, features), 20);
const_assert_eq!(offset_of!(Params, wq_fd), 24);
const_assert_eq!(offset_of!(Params, resv), 28);
const_assert_eq!(offset_of!(Params, sq_off), 40);
const_assert_eq!(offset_of!(Params, cq_off), 80);

const_assert_eq!(size_of::<Sqe>(), 64);
const_assert_eq!(align_of::<Sqe>(), 8);
const_assert_eq!(offset_of!(Sqe, opcode), 0);
const_assert_eq!(offset_of!(Sqe, flags), 1);
const_assert_eq!(offset_of!(Sqe, ioprio), 2);
const_assert_eq!(offset_of!(Sqe, fd), 4);
const_assert_eq!(offset_of!(Sqe, off), 8);
const_assert_eq!(offset_of!(Sqe, addr), 16);
const_assert_eq!(offset_of!(Sqe, len), 24);
const_assert_eq!(offset_of!(Sqe, op_flags), 28);
const_assert_eq!(offset_of!(Sqe, user_data), 32);
const_assert_eq!(offset_of!(Sqe, buf), 40);
const_assert_eq!(offset_of!(Sqe, personality), 42);
const_assert_eq!(offset_of!(Sqe, file), 44);
const_assert_eq!(offset_of!(Sqe, ext), 48);
const_assert_eq!(size_of::<SqeOff>(), 8);
const_assert_eq!(size_of::<SqeAddr>(), 8);
const_assert_eq!(size_of::<SqeOpFlags>(), 4);
const_assert_eq!(size_of::<SqeBuf>(), 2);
const_assert_eq!(size_of::<SqeFile>(), 4);
const_assert_eq!(size_of::<SqeExt>(), 16);
const_assert_eq!(size_of::<Sqe128>(), 128);

const_assert_eq!(size_of::<Cqe>(), 16);
const_assert_eq!(offset_of!(Cqe, user_data), 0);
const_assert_eq!(offset_of!(Cqe, res), 8);
const_assert_eq!(offset_of!(Cqe, flags), 12);
const_assert_eq!(size_of::<Cqe32>(), 32);

const_assert_eq!(size_of::<Timespec>(), 16);
const_assert_eq!(size_of::<GeteventsArg>(), 24);
const_assert_eq!(offset_of!(GeteventsArg, ts), 16);
const_assert_eq!(size_of::<ProbeOp>(), 8);
const_assert_eq!(size_of::<ProbeHeader>(), 16);
const_assert_eq!(offset_of!(Probe, ops), 16);
const_assert_eq!(size_of::<Restriction>(), 16);
const_assert_eq!(size_of::<RsrcRegister>(), 32);
const_assert_eq!(offset_of!(RsrcRegister, tags), 24);
const_assert_eq!(size_of::<RsrcUpdate>(), 16);
const_assert_eq!(size_of::<RsrcUpdate2>(), 32);
const_assert_eq!(offset_of!(RsrcUpdate2, nr), 24);
const_assert_eq!(size_of::<Buf>(), 16);
const_assert_eq!(offset_of!(Buf, resv), BUF_RING_TAIL_OFFSET);
const_assert_eq!(size_of::<BufReg>(), 40);
const_assert_eq!(size_of::<BufStatus>(), 40);
const_assert_eq!(size_of::<SyncCancelReg>(), 64);
const_assert_eq!(offset_of!(SyncCancelReg, timeout), 16);
const_assert_eq!(offset_of!(SyncCancelReg, opcode), 32);
const_assert_eq!(size_of::<FileIndexRange>(), 16);
const_assert_eq!(size_of::<RecvmsgOut>(), 16);
const_assert_eq!(size_of::<Napi>(), 16);
const_assert_eq!(size_of::<ClockRegister>(), 16);
const_assert_eq!(size_of::<CloneBuffers>(), 32);
const_assert_eq!(size_of::<RegionDesc>(), 64);
const_assert_eq!(size_of::<MemRegionReg>(), 32);
const_assert_eq!(size_of::<OpenHow>(), 24);
const_assert_eq!(size_of::<FutexWaitv>(), 24);
const_assert_eq!(size_of::<AttrPi>(), 32);

// Opcode numbers the kernel fixed long ago, as spot checks of the generated list.
const_assert_eq!(IORING_OP_READ, 22);
const_assert_eq!(IORING_OP_SEND_ZC, 47);
const_assert_eq!(IORING_OP_PIPE, 62);
const_assert_eq!(IORING_REGISTER_PBUF_RING, 22);
const_assert_eq!(IORING_REGISTER_RESIZE_RINGS, 33);
