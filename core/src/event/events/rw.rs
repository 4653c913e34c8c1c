//! Reads and writes of one owned buffer, plain or from registered buffers.

use crate::event::{Cancellation, Event, OwnedBuf};
use crate::op;
use crate::ring::Entry;
use core::mem::ManuallyDrop;

/// Buffer lengths are `u32` in the SQE; longer buffers are used up to `u32::MAX` bytes.
#[inline]
fn sqe_len<B: OwnedBuf>(buf: &B) -> u32 {
    u32::try_from(buf.len()).unwrap_or(u32::MAX)
}

/// `IORING_OP_READ`: reads into `buf` from `fd` at `offset`
/// ([`CURRENT_POSITION`](super::CURRENT_POSITION): the file position). Result: bytes read.
#[derive(Debug)]
pub struct Read<B: OwnedBuf> {
    /// The file.
    pub fd: i32,
    /// The buffer filled from its start.
    pub buf: B,
    /// The file offset.
    pub offset: u64,
}

impl<B: OwnedBuf> Read<B> {
    /// A read of up to `buf.len()` bytes.
    pub fn new(fd: i32, buf: B, offset: u64) -> Self {
        Read { fd, buf, offset }
    }
}

impl<B: OwnedBuf> Event for Read<B> {
    #[inline]
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        let len = sqe_len(&self.buf);
        // SAFETY: the buffer is the event's, on the heap, and stays alive until the CQE (or
        // in the Cancellation): the Event contract.
        unsafe { op::read(sqe, self.fd, self.buf.as_mut_ptr(), len, self.offset) };
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        this.buf.into_cancellation()
    }
}

/// `IORING_OP_WRITE`: writes `buf` to `fd` at `offset`. Result: bytes written.
#[derive(Debug)]
pub struct Write<B: OwnedBuf> {
    /// The file.
    pub fd: i32,
    /// The bytes to write.
    pub buf: B,
    /// The file offset ([`CURRENT_POSITION`](super::CURRENT_POSITION): the file position).
    pub offset: u64,
}

impl<B: OwnedBuf> Write<B> {
    /// A write of all of `buf`.
    pub fn new(fd: i32, buf: B, offset: u64) -> Self {
        Write { fd, buf, offset }
    }
}

impl<B: OwnedBuf> Event for Write<B> {
    #[inline]
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        let len = sqe_len(&self.buf);
        // SAFETY: as for `Read`: the buffer outlives the request.
        unsafe { op::write(sqe, self.fd, self.buf.as_ptr(), len, self.offset) };
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        this.buf.into_cancellation()
    }
}

/// `IORING_OP_READ_FIXED`: reads into `buf`, which must lie inside registered buffer
/// `buf_index` (otherwise the kernel fails the request with `EFAULT`). Result: bytes read.
#[derive(Debug)]
pub struct ReadFixed<B: OwnedBuf> {
    /// The file.
    pub fd: i32,
    /// The buffer, inside the registered buffer `buf_index`.
    pub buf: B,
    /// Index of the registered buffer.
    pub buf_index: u16,
    /// The file offset.
    pub offset: u64,
}

impl<B: OwnedBuf> Event for ReadFixed<B> {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        let len = sqe_len(&self.buf);
        let (fd, buf, offset, index) =
            (self.fd, self.buf.as_mut_ptr(), self.offset, self.buf_index);
        // SAFETY: the buffer outlives the request; the kernel checks it lies inside the
        // registered buffer (EFAULT otherwise).
        unsafe { op::read_fixed(sqe, fd, buf, len, offset, index) };
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        this.buf.into_cancellation()
    }
}

/// `IORING_OP_WRITE_FIXED`: writes `buf`, which must lie inside registered buffer
/// `buf_index`. Result: bytes written.
#[derive(Debug)]
pub struct WriteFixed<B: OwnedBuf> {
    /// The file.
    pub fd: i32,
    /// The bytes, inside the registered buffer `buf_index`.
    pub buf: B,
    /// Index of the registered buffer.
    pub buf_index: u16,
    /// The file offset.
    pub offset: u64,
}

impl<B: OwnedBuf> Event for WriteFixed<B> {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        let len = sqe_len(&self.buf);
        let (fd, buf, offset, index) = (self.fd, self.buf.as_ptr(), self.offset, self.buf_index);
        // SAFETY: as for `ReadFixed`.
        unsafe { op::write_fixed(sqe, fd, buf, len, offset, index) };
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        this.buf.into_cancellation()
    }
}
