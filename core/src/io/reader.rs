//! [`Reader`]: the read side of a buffered object — one owned buffer, at most one read in
//! flight, and no byte lost when a caller stops polling.

use super::transfer::{Kind, Transfer};
use crate::driver::Drive;
use crate::event::Submission;
use crate::Errno;
use alloc::vec::Vec;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

/// Buffered reads through the ring.
///
/// The kernel only ever writes into the reader's own buffer, never into a caller's slice (a
/// slice is borrowed for one poll; the kernel may hold the buffer longer). If a caller drops
/// its read future while a read is in flight, the submission stays here; its bytes are
/// delivered by the next read. If the reader itself is dropped, the submission's buffer goes
/// to the driver as a Cancellation and is freed only after the kernel is done with it.
pub(crate) struct Reader<D: Drive> {
    inflight: Option<Submission<Transfer, D>>,
    /// Holds `filled` valid bytes, `pos` of them consumed; empty while a read is in flight.
    buf: Vec<u8>,
    pos: usize,
    filled: usize,
    capacity: usize,
    /// The error of a read that finished while nobody was asking.
    error: Option<Errno>,
}

impl<D: Drive + Clone> Reader<D> {
    pub(crate) fn new(capacity: usize) -> Reader<D> {
        Reader {
            inflight: None,
            buf: Vec::new(),
            pos: 0,
            filled: 0,
            capacity: capacity.max(1),
            error: None,
        }
    }

    /// Bytes read but not consumed yet.
    #[inline]
    pub(crate) fn buffered(&self) -> usize {
        self.filled - self.pos
    }

    /// Marks `n` buffered bytes as consumed.
    #[inline]
    pub(crate) fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.filled);
    }

    /// Sets the size of the reads to come.
    pub(crate) fn set_capacity(&mut self, capacity: usize) {
        self.capacity = capacity.max(1);
    }

    /// Takes in a finished read: its bytes become the buffer, its error is kept.
    fn finish(&mut self, transfer: Transfer, res: Result<u32, Errno>) {
        self.buf = transfer.buf;
        self.pos = 0;
        match res {
            Ok(n) => self.filled = (n as usize).min(self.buf.len()),
            Err(e) => {
                self.filled = 0;
                self.error = Some(e);
            }
        }
    }

    /// Waits for the read in flight, if any, keeping what it brought.
    pub(crate) fn poll_idle(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if let Some(sub) = self.inflight.as_mut() {
            let (transfer, res) = core::task::ready!(Pin::new(sub).poll(cx));
            self.inflight = None;
            self.finish(transfer, res);
        }
        Poll::Ready(())
    }

    /// Waits for the read in flight and forgets every buffered byte (before a seek or write
    /// moves the file cursor). Returns how many unconsumed bytes were dropped.
    pub(crate) fn poll_discard(&mut self, cx: &mut Context<'_>) -> Poll<usize> {
        core::task::ready!(self.poll_idle(cx));
        let dropped = self.buffered();
        self.pos = 0;
        self.filled = 0;
        self.error = None;
        Poll::Ready(dropped)
    }

    /// The buffered bytes, reading more first when there are none. An empty slice means end
    /// of file. `offset` is where a file read starts (ignored for streams).
    pub(crate) fn poll_fill(
        &mut self,
        cx: &mut Context<'_>,
        kind: Kind,
        fd: i32,
        offset: u64,
        driver: &D,
    ) -> Poll<Result<&[u8], Errno>> {
        loop {
            if self.pos < self.filled {
                return Poll::Ready(Ok(&self.buf[self.pos..self.filled]));
            }
            if let Some(e) = self.error.take() {
                return Poll::Ready(Err(e));
            }
            if let Some(sub) = self.inflight.as_mut() {
                let (transfer, res) = core::task::ready!(Pin::new(sub).poll(cx));
                self.inflight = None;
                self.finish(transfer, res);
                if self.filled == 0 && self.error.is_none() {
                    return Poll::Ready(Ok(&[]));
                }
                continue;
            }
            let mut buf = core::mem::take(&mut self.buf);
            // Zeroed once per size change; later reads reuse the initialised bytes.
            buf.resize(self.capacity, 0);
            let transfer = Transfer::read(kind, fd, buf, offset);
            self.inflight = Some(Submission::new(transfer, driver.clone()));
        }
    }

    /// Copies buffered bytes into `out`, reading more first when there are none.
    pub(crate) fn poll_read(
        &mut self,
        cx: &mut Context<'_>,
        kind: Kind,
        fd: i32,
        offset: u64,
        driver: &D,
        out: &mut [u8],
    ) -> Poll<Result<usize, Errno>> {
        if out.is_empty() {
            return Poll::Ready(Ok(0));
        }
        let data = core::task::ready!(self.poll_fill(cx, kind, fd, offset, driver))?;
        let n = data.len().min(out.len());
        out[..n].copy_from_slice(&data[..n]);
        self.consume(n);
        Poll::Ready(Ok(n))
    }
}
