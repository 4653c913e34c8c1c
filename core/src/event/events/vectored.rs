//! Vectored reads and writes over a list of owned buffers.

use crate::event::{Cancellation, Event, OwnedBuf};
use crate::op;
use crate::ring::Entry;
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::mem::ManuallyDrop;

/// `struct iovec`, with plain integers so that the event stays `Send`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
struct IoVec {
    base: usize,
    len: usize,
}

static_assertions::assert_eq_size!(IoVec, libc::iovec);
static_assertions::assert_eq_align!(IoVec, libc::iovec);

fn iovecs<B: OwnedBuf>(bufs: &mut [B]) -> Vec<IoVec> {
    bufs.iter_mut()
        .map(|b| IoVec {
            base: b.as_mut_ptr() as usize,
            len: b.len(),
        })
        .collect()
}

fn iov_parts(iov: &[IoVec]) -> (*const libc::iovec, u32) {
    // `IoVec` has `iovec`'s layout (two words: base, length).
    (
        iov.as_ptr().cast(),
        u32::try_from(iov.len()).unwrap_or(u32::MAX),
    )
}

/// `IORING_OP_READV`: reads into `bufs` in order, from `fd` at `offset`. Result: bytes read.
#[derive(Debug)]
pub struct Readv<B: OwnedBuf> {
    fd: i32,
    bufs: Vec<B>,
    iov: Vec<IoVec>,
    offset: u64,
}

impl<B: OwnedBuf> Readv<B> {
    /// A vectored read (the iovec array is built here, once).
    pub fn new(fd: i32, mut bufs: Vec<B>, offset: u64) -> Self {
        let iov = iovecs(&mut bufs);
        Readv {
            fd,
            bufs,
            iov,
            offset,
        }
    }

    /// The buffers, back from the kernel.
    pub fn into_bufs(self) -> Vec<B> {
        self.bufs
    }
}

impl<B: OwnedBuf> Event for Readv<B> {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        let (iov, nr) = iov_parts(&self.iov);
        // SAFETY: the iovec array and the buffers it names are the event's, on the heap, and
        // outlive the request (the Event contract).
        unsafe { op::readv(sqe, self.fd, iov, nr, self.offset, 0) };
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        Cancellation::from_box(Box::new((this.bufs, this.iov)))
    }
}

/// `IORING_OP_WRITEV`: writes `bufs` in order to `fd` at `offset`. Result: bytes written.
#[derive(Debug)]
pub struct Writev<B: OwnedBuf> {
    fd: i32,
    bufs: Vec<B>,
    iov: Vec<IoVec>,
    offset: u64,
}

impl<B: OwnedBuf> Writev<B> {
    /// A vectored write (the iovec array is built here, once).
    pub fn new(fd: i32, mut bufs: Vec<B>, offset: u64) -> Self {
        let iov = iovecs(&mut bufs);
        Writev {
            fd,
            bufs,
            iov,
            offset,
        }
    }

    /// The buffers, back from the kernel.
    pub fn into_bufs(self) -> Vec<B> {
        self.bufs
    }
}

impl<B: OwnedBuf> Event for Writev<B> {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        let (iov, nr) = iov_parts(&self.iov);
        // SAFETY: as for `Readv`.
        unsafe { op::writev(sqe, self.fd, iov, nr, self.offset, 0) };
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        Cancellation::from_box(Box::new((this.bufs, this.iov)))
    }
}
