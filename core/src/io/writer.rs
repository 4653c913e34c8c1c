//! [`Writer`]: the write side of a buffered object — bytes are copied into an owned buffer,
//! handed to the kernel, and written in order even if the caller stops polling.

use super::transfer::{Kind, Transfer};
use crate::driver::Drive;
use crate::event::Submission;
use crate::Errno;
use alloc::vec::Vec;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

/// Write-behind through the ring.
///
/// A write is accepted (`Ready(Ok(n))`) once its bytes are in the writer's buffer and the
/// request is queued; it then belongs to the writer, which resumes short writes and reports
/// a failure on the next write or flush. A write that is `Pending` has accepted nothing, so
/// dropping its future loses nothing. Dropping the writer with a write in flight cancels it
/// (its buffer is freed only after the kernel let go): flush first to be sure it landed.
pub(crate) struct Writer<D: Drive> {
    inflight: Option<Submission<Transfer, D>>,
    /// Where the write in flight started in the file (for resuming a short one).
    inflight_offset: u64,
    /// The buffer, while no write is in flight.
    buf: Vec<u8>,
    capacity: usize,
    error: Option<Errno>,
}

impl<D: Drive + Clone> Writer<D> {
    pub(crate) fn new(capacity: usize) -> Writer<D> {
        Writer {
            inflight: None,
            inflight_offset: 0,
            buf: Vec::new(),
            capacity: capacity.max(1),
            error: None,
        }
    }

    /// Sets the largest write accepted at once.
    pub(crate) fn set_capacity(&mut self, capacity: usize) {
        self.capacity = capacity.max(1);
    }

    /// Drives the write in flight to its end (resuming short writes); then reports the
    /// first error since the last report, if any.
    pub(crate) fn poll_flush(
        &mut self,
        cx: &mut Context<'_>,
        kind: Kind,
        fd: i32,
        driver: &D,
    ) -> Poll<Result<(), Errno>> {
        while let Some(sub) = self.inflight.as_mut() {
            let (transfer, res) = core::task::ready!(Pin::new(sub).poll(cx));
            self.inflight = None;
            let remaining = transfer.buf.len() - transfer.start();
            match res {
                Ok(n) if (n as usize) < remaining && n > 0 => {
                    let start = transfer.start() + n as usize;
                    let offset = self.inflight_offset + u64::from(n);
                    self.inflight_offset = offset;
                    let next = Transfer::write(kind, fd, transfer.buf, start, offset);
                    self.inflight = Some(Submission::new(next, driver.clone()));
                }
                Ok(n) if (n as usize) < remaining => {
                    // The kernel took nothing: do not spin on it.
                    self.buf = transfer.buf;
                    self.error = Some(Errno::EIO);
                }
                Ok(_) => self.buf = transfer.buf,
                Err(e) => {
                    self.buf = transfer.buf;
                    self.error = Some(e);
                }
            }
        }
        match self.error.take() {
            Some(e) => Poll::Ready(Err(e)),
            None => Poll::Ready(Ok(())),
        }
    }

    /// Accepts up to `capacity` bytes of `data` for writing at `offset` (files only), once
    /// the previous write is done.
    pub(crate) fn poll_write(
        &mut self,
        cx: &mut Context<'_>,
        kind: Kind,
        fd: i32,
        offset: u64,
        driver: &D,
        data: &[u8],
    ) -> Poll<Result<usize, Errno>> {
        core::task::ready!(self.poll_flush(cx, kind, fd, driver))?;
        if data.is_empty() {
            return Poll::Ready(Ok(0));
        }
        let n = data.len().min(self.capacity);
        let mut buf = core::mem::take(&mut self.buf);
        buf.clear();
        buf.extend_from_slice(&data[..n]);
        let mut sub = Submission::new(Transfer::write(kind, fd, buf, 0, offset), driver.clone());
        match Pin::new(&mut sub).poll(cx) {
            Poll::Ready((transfer, res)) => {
                // Failed to prepare, or done already: nothing is in flight.
                self.buf = transfer.buf;
                match res {
                    Ok(written) if written as usize == n => Poll::Ready(Ok(n)),
                    Ok(written) => Poll::Ready(Ok(written as usize)),
                    Err(e) => Poll::Ready(Err(e)),
                }
            }
            Poll::Pending if sub.is_in_flight() => {
                self.inflight_offset = offset;
                self.inflight = Some(sub);
                Poll::Ready(Ok(n))
            }
            // No room in the SQ yet: accept nothing (the driver wakes us to try again).
            Poll::Pending => Poll::Pending,
        }
    }

    /// True while a write is in flight.
    pub(crate) fn is_busy(&self) -> bool {
        self.inflight.is_some()
    }
}
