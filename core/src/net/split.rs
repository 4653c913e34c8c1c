//! [`ReadHalf`] and [`WriteHalf`]: the two directions of a stream, usable at once.

use crate::driver::{DefaultDriver, Drive};
use crate::io::{Io, Kind, Reader, Writer};
use core::future::poll_fn;
use core::task::{Context, Poll};
use std::io;

/// The read side of a split stream (see `TcpStream::split`).
#[derive(Debug)]
pub struct ReadHalf<'a, D: Drive + Clone = DefaultDriver> {
    fd: i32,
    driver: &'a D,
    reader: &'a mut Reader<D>,
}

/// The write side of a split stream (see `TcpStream::split`).
#[derive(Debug)]
pub struct WriteHalf<'a, D: Drive + Clone = DefaultDriver> {
    fd: i32,
    driver: &'a D,
    writer: &'a mut Writer<D>,
}

impl<D: Drive + Clone> core::fmt::Debug for Reader<D> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Reader")
            .field("buffered", &self.buffered())
            .finish_non_exhaustive()
    }
}

impl<D: Drive + Clone> core::fmt::Debug for Writer<D> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Writer")
            .field("busy", &self.is_busy())
            .finish_non_exhaustive()
    }
}

/// Splits a socket's `Io` into its two directions.
pub(crate) fn split<D: Drive + Clone>(io: &mut Io<D>) -> (ReadHalf<'_, D>, WriteHalf<'_, D>) {
    let fd = io.fd;
    (
        ReadHalf {
            fd,
            driver: &io.driver,
            reader: &mut io.reader,
        },
        WriteHalf {
            fd,
            driver: &io.driver,
            writer: &mut io.writer,
        },
    )
}

impl<D: Drive + Clone> ReadHalf<'_, D> {
    /// Polls a read into `buf` (0: the peer shut down its side).
    ///
    /// # Errors
    /// The kernel's error from `recv`.
    pub fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        let n = core::task::ready!(self.reader.poll_read(
            cx,
            Kind::Socket,
            self.fd,
            0,
            self.driver,
            buf
        ))?;
        Poll::Ready(Ok(n))
    }

    /// Polls the buffered bytes, receiving first if there are none (empty: end of stream).
    ///
    /// # Errors
    /// As [`poll_read`](Self::poll_read).
    pub fn poll_fill_buf(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        let data =
            core::task::ready!(self
                .reader
                .poll_fill(cx, Kind::Socket, self.fd, 0, self.driver))?;
        Poll::Ready(Ok(data))
    }

    /// Marks `n` bytes returned by [`poll_fill_buf`](Self::poll_fill_buf) as read.
    pub fn consume(&mut self, n: usize) {
        self.reader.consume(n);
    }

    /// Reads up to `buf.len()` bytes (0: the peer shut down its side).
    ///
    /// # Errors
    /// As [`poll_read`](Self::poll_read).
    pub async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        poll_fn(|cx| self.poll_read(cx, buf)).await
    }

    /// Reads exactly `buf.len()` bytes.
    ///
    /// # Errors
    /// `UnexpectedEof` if the stream ends first; as [`read`](Self::read).
    pub async fn read_exact(&mut self, mut buf: &mut [u8]) -> io::Result<()> {
        while !buf.is_empty() {
            let n = self.read(buf).await?;
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            buf = &mut buf[n..];
        }
        Ok(())
    }
}

impl<D: Drive + Clone> WriteHalf<'_, D> {
    /// Polls a write of (a prefix of) `buf`; accepted bytes are sent in order.
    ///
    /// # Errors
    /// The kernel's error from an earlier accepted send.
    pub fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let n = core::task::ready!(self.writer.poll_write(
            cx,
            Kind::Socket,
            self.fd,
            0,
            self.driver,
            buf
        ))?;
        Poll::Ready(Ok(n))
    }

    /// Polls until every accepted byte is sent.
    ///
    /// # Errors
    /// The first error of an accepted send not reported yet.
    pub fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let r = core::task::ready!(self
            .writer
            .poll_flush(cx, Kind::Socket, self.fd, self.driver));
        Poll::Ready(r.map_err(io::Error::from))
    }

    /// Writes (a prefix of) `buf`; returns how many bytes were accepted.
    ///
    /// # Errors
    /// As [`poll_write`](Self::poll_write).
    pub async fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        poll_fn(|cx| self.poll_write(cx, buf)).await
    }

    /// Writes all of `buf` and waits until it is sent.
    ///
    /// # Errors
    /// As [`poll_write`](Self::poll_write).
    pub async fn write_all(&mut self, mut buf: &[u8]) -> io::Result<()> {
        while !buf.is_empty() {
            let n = self.write(buf).await?;
            buf = &buf[n..];
        }
        self.flush().await
    }

    /// Waits until every accepted byte is sent.
    ///
    /// # Errors
    /// As [`poll_flush`](Self::poll_flush).
    pub async fn flush(&mut self) -> io::Result<()> {
        poll_fn(|cx| self.poll_flush(cx)).await
    }

    /// Flushes, then shuts down the write direction (the peer reads end of stream).
    ///
    /// # Errors
    /// As [`flush`](Self::flush); the kernel's error from `shutdown`.
    pub async fn shutdown(&mut self) -> io::Result<()> {
        self.flush().await?;
        super::stream::shutdown(self.fd, libc::SHUT_WR, self.driver).await
    }
}

impl<D: Drive + Clone> std::os::fd::AsRawFd for ReadHalf<'_, D> {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.fd
    }
}

impl<D: Drive + Clone> std::os::fd::AsRawFd for WriteHalf<'_, D> {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.fd
    }
}
