//! The machinery under the std file, socket and stdio types: an fd with its driver, a
//! [`Reader`] and a [`Writer`] that own the buffers the kernel uses, and close through the
//! ring on drop.

mod close;
#[cfg(feature = "futures-io")]
mod futures_io;
mod reader;
#[cfg(feature = "tokio")]
mod tokio_io;
mod transfer;
mod writer;

pub(crate) use close::close_in_background;
pub(crate) use reader::Reader;
pub(crate) use transfer::{Kind, Transfer};
pub(crate) use writer::Writer;

use crate::driver::Drive;
use crate::event::events::Close;
use crate::event::Submission;
use crate::Errno;
use core::task::{Context, Poll};

/// Default size of the read buffer and of the largest write accepted at once.
pub(crate) const DEFAULT_BUFFER: usize = 64 * 1024;

/// An fd, its driver and its buffered read and write sides.
pub(crate) struct Io<D: Drive + Clone> {
    /// The fd; -1 once closed.
    pub(crate) fd: i32,
    pub(crate) kind: Kind,
    /// False for borrowed fds (stdio): those are never closed.
    owned: bool,
    pub(crate) driver: D,
    pub(crate) reader: Reader<D>,
    pub(crate) writer: Writer<D>,
}

impl<D: Drive + Clone> Io<D> {
    /// Takes ownership of `fd` (closed through the ring on drop) when `owned`.
    pub(crate) fn new(fd: i32, kind: Kind, owned: bool, driver: D) -> Io<D> {
        Io {
            fd,
            kind,
            owned,
            driver,
            reader: Reader::new(DEFAULT_BUFFER),
            writer: Writer::new(DEFAULT_BUFFER),
        }
    }

    /// Reads into `out`; for files, `offset` is where a new read starts.
    pub(crate) fn poll_read(
        &mut self,
        cx: &mut Context<'_>,
        offset: u64,
        out: &mut [u8],
    ) -> Poll<Result<usize, Errno>> {
        if self.kind == Kind::File && self.writer.is_busy() {
            // A read must see the bytes written before it.
            core::task::ready!(self.writer.poll_flush(cx, self.kind, self.fd, &self.driver))?;
        }
        self.reader
            .poll_read(cx, self.kind, self.fd, offset, &self.driver, out)
    }

    /// The buffered bytes, reading first if there are none (empty: end of file).
    pub(crate) fn poll_fill(
        &mut self,
        cx: &mut Context<'_>,
        offset: u64,
    ) -> Poll<Result<&[u8], Errno>> {
        if self.kind == Kind::File && self.writer.is_busy() {
            core::task::ready!(self.writer.poll_flush(cx, self.kind, self.fd, &self.driver))?;
        }
        self.reader
            .poll_fill(cx, self.kind, self.fd, offset, &self.driver)
    }

    /// Accepts bytes for writing; for files, at `offset`.
    pub(crate) fn poll_write(
        &mut self,
        cx: &mut Context<'_>,
        offset: u64,
        data: &[u8],
    ) -> Poll<Result<usize, Errno>> {
        if self.kind == Kind::File {
            // Bytes read ahead may be overwritten: forget them.
            core::task::ready!(self.reader.poll_discard(cx));
        }
        self.writer
            .poll_write(cx, self.kind, self.fd, offset, &self.driver, data)
    }

    /// Waits until every accepted byte is written.
    pub(crate) fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Errno>> {
        self.writer.poll_flush(cx, self.kind, self.fd, &self.driver)
    }

    /// Flushes, then closes the fd through the ring and reports the close's result.
    pub(crate) async fn close(&mut self) -> Result<(), Errno> {
        // A read in flight would keep the file open in the kernel: cancel it.
        drop(core::mem::replace(&mut self.reader, Reader::new(1)));
        let flushed = core::future::poll_fn(|cx| self.poll_flush(cx)).await;
        let fd = core::mem::replace(&mut self.fd, -1);
        if fd < 0 || !self.owned {
            return flushed;
        }
        // SAFETY: this object owns `fd` (`owned`) and has just forgotten it (`self.fd` is -1
        // now, so the drop does not close it again).
        let close = unsafe { Close::new(fd) };
        let (_, closed) = Submission::new(close, self.driver.clone()).await;
        flushed.and(closed.map(|_| ()))
    }
}

impl<D: Drive + Clone> core::fmt::Debug for Io<D> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Io")
            .field("fd", &self.fd)
            .field("kind", &self.kind)
            .field("buffered", &self.reader.buffered())
            .field("writing", &self.writer.is_busy())
            .finish()
    }
}

impl<D: Drive + Clone> Drop for Io<D> {
    fn drop(&mut self) {
        // Cancel what is in flight first; the buffers go to the driver until the kernel
        // lets go of them.
        drop(core::mem::replace(&mut self.reader, Reader::new(1)));
        drop(core::mem::replace(&mut self.writer, Writer::new(1)));
        if self.owned && self.fd >= 0 {
            close_in_background(self.fd, &self.driver);
        }
    }
}
