//! Events without buffers or with a single small structure: NOP, timeout, poll, splice.

use crate::event::{Cancellation, Event};
use crate::op;
use crate::ring::Entry;
use crate::sys::{self, Timespec};
use alloc::boxed::Box;
use core::mem::ManuallyDrop;
use core::time::Duration;

/// `IORING_OP_NOP`: completes with result 0.
#[derive(Clone, Copy, Debug, Default)]
pub struct Nop;

impl Event for Nop {
    #[inline]
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        op::nop(sqe);
    }

    #[inline]
    unsafe fn cancel(_: &mut ManuallyDrop<Self>) -> Cancellation {
        Cancellation::null()
    }
}

/// `IORING_OP_TIMEOUT`: completes after `duration` with `Err(ETIME)`, or with `Ok(0)` once
/// `count` other completions have been posted first (`count` 0: time only).
#[derive(Debug)]
pub struct Timeout {
    ts: Box<Timespec>,
    count: u32,
    flags: sys::TimeoutFlags,
}

impl Timeout {
    /// A relative timeout of `duration`.
    pub fn new(duration: Duration) -> Self {
        Timeout {
            ts: Box::new(Timespec {
                tv_sec: duration.as_secs().min(i64::MAX as u64) as i64,
                tv_nsec: i64::from(duration.subsec_nanos()),
            }),
            count: 0,
            flags: sys::TimeoutFlags::empty(),
        }
    }

    /// Also completes once `count` other requests completed.
    pub fn count(mut self, count: u32) -> Self {
        self.count = count;
        self
    }

    /// `IORING_TIMEOUT_*` flags (`ABS`, clock selection, `ETIME_SUCCESS`, ...).
    pub fn flags(mut self, flags: sys::TimeoutFlags) -> Self {
        self.flags = flags;
        self
    }
}

impl Event for Timeout {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        // SAFETY: the timespec is the event's, on the heap, and outlives the request.
        unsafe { op::timeout(sqe, &*self.ts, self.count, self.flags) };
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        Cancellation::from_box(this.ts)
    }
}

/// `IORING_OP_POLL_ADD` (one shot): completes with the ready `poll(2)` events of `fd`.
#[derive(Clone, Copy, Debug)]
pub struct PollAdd {
    /// The file.
    pub fd: i32,
    /// `POLLIN`, `POLLOUT`, ... to wait for.
    pub events: u32,
}

impl Event for PollAdd {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        op::poll_add(sqe, self.fd, self.events);
    }

    unsafe fn cancel(_: &mut ManuallyDrop<Self>) -> Cancellation {
        Cancellation::null()
    }
}

/// `IORING_OP_SPLICE`: moves up to `len` bytes from `fd_in` to `fd_out`, one of which must be
/// a pipe (offsets `u64::MAX`: the file position / none for pipes). Result: bytes moved.
#[derive(Clone, Copy, Debug)]
pub struct Splice {
    /// The source.
    pub fd_in: i32,
    /// Offset in the source.
    pub off_in: u64,
    /// The destination.
    pub fd_out: i32,
    /// Offset in the destination.
    pub off_out: u64,
    /// Bytes to move.
    pub len: u32,
    /// `SPLICE_F_*` flags.
    pub flags: u32,
}

impl Event for Splice {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        let s = *self;
        op::splice(sqe, s.fd_in, s.off_in, s.fd_out, s.off_out, s.len, s.flags);
    }

    unsafe fn cancel(_: &mut ManuallyDrop<Self>) -> Cancellation {
        Cancellation::null()
    }
}
