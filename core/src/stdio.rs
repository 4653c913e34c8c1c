//! [`stdin`], [`stdout`] and [`stderr`]: the standard streams on the ring (needs `std`).
//!
//! Each call returns a new handle with its own buffer, on the process-wide background
//! driver; the streams' fds are never closed by these handles. Bytes one `Stdin` handle has
//! read ahead are not seen by another, so read standard input through one handle. Output
//! is written behind (see [`File`](crate::fs::File)): flush before exiting.

use crate::driver::{DefaultDriver, Drive};
use crate::io::{Io, Kind};
use core::future::poll_fn;
use core::task::{Context, Poll};
use std::io;
use std::os::fd::{AsRawFd, RawFd};

/// Standard input.
#[derive(Debug)]
pub struct Stdin<D: Drive + Clone = DefaultDriver> {
    io: Io<D>,
}

/// Standard output.
#[derive(Debug)]
pub struct Stdout<D: Drive + Clone = DefaultDriver> {
    io: Io<D>,
}

/// Standard error.
#[derive(Debug)]
pub struct Stderr<D: Drive + Clone = DefaultDriver> {
    io: Io<D>,
}

/// A handle to standard input on [`DefaultDriver::current`].
///
/// # Errors
/// The driver's error if it cannot be started.
pub fn stdin() -> io::Result<Stdin> {
    Ok(Stdin::on(DefaultDriver::current()?))
}

/// A handle to standard output on [`DefaultDriver::current`].
///
/// # Errors
/// The driver's error if it cannot be started.
pub fn stdout() -> io::Result<Stdout> {
    Ok(Stdout::on(DefaultDriver::current()?))
}

/// A handle to standard error on [`DefaultDriver::current`].
///
/// # Errors
/// The driver's error if it cannot be started.
pub fn stderr() -> io::Result<Stderr> {
    Ok(Stderr::on(DefaultDriver::current()?))
}

impl<D: Drive + Clone> Stdin<D> {
    /// Standard input on `driver`.
    pub fn on(driver: D) -> Stdin<D> {
        Stdin {
            io: Io::new(libc::STDIN_FILENO, Kind::Stream, false, driver),
        }
    }

    /// Polls a read into `buf` (0: end of input).
    ///
    /// # Errors
    /// The kernel's error from the read.
    pub fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        Poll::Ready(Ok(core::task::ready!(self.io.poll_read(cx, 0, buf))?))
    }

    /// Polls the buffered bytes, reading first if there are none (empty: end of input).
    ///
    /// # Errors
    /// As [`poll_read`](Self::poll_read).
    pub fn poll_fill_buf(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        Poll::Ready(Ok(core::task::ready!(self.io.poll_fill(cx, 0))?))
    }

    /// Marks `n` bytes returned by [`poll_fill_buf`](Self::poll_fill_buf) as read.
    pub fn consume(&mut self, n: usize) {
        self.io.reader.consume(n);
    }

    /// Reads up to `buf.len()` bytes (0: end of input).
    ///
    /// # Errors
    /// As [`poll_read`](Self::poll_read).
    pub async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        poll_fn(|cx| self.poll_read(cx, buf)).await
    }
}

impl<D: Drive + Clone> AsRawFd for Stdin<D> {
    fn as_raw_fd(&self) -> RawFd {
        self.io.fd
    }
}

/// The write methods of an output stream type.
macro_rules! output_methods {
    ($name:ident, $fd:expr) => {
        impl<D: Drive + Clone> $name<D> {
            /// The stream on `driver`.
            pub fn on(driver: D) -> $name<D> {
                $name {
                    io: Io::new($fd, Kind::Stream, false, driver),
                }
            }

            /// Polls a write of (a prefix of) `buf`; accepted bytes are written in order.
            ///
            /// # Errors
            /// The kernel's error from an earlier accepted write.
            pub fn poll_write(
                &mut self,
                cx: &mut Context<'_>,
                buf: &[u8],
            ) -> Poll<io::Result<usize>> {
                Poll::Ready(Ok(core::task::ready!(self.io.poll_write(cx, 0, buf))?))
            }

            /// Polls until every accepted byte is written.
            ///
            /// # Errors
            /// The first error of an accepted write not reported yet.
            pub fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                Poll::Ready(Ok(core::task::ready!(self.io.poll_flush(cx))?))
            }

            /// Writes (a prefix of) `buf`; returns how many bytes were accepted.
            ///
            /// # Errors
            /// As [`poll_write`](Self::poll_write).
            pub async fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                poll_fn(|cx| self.poll_write(cx, buf)).await
            }

            /// Writes all of `buf` and waits until it is written.
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

            /// Waits until every accepted byte is written.
            ///
            /// # Errors
            /// As [`poll_flush`](Self::poll_flush).
            pub async fn flush(&mut self) -> io::Result<()> {
                poll_fn(|cx| self.poll_flush(cx)).await
            }
        }

        impl<D: Drive + Clone> AsRawFd for $name<D> {
            fn as_raw_fd(&self) -> RawFd {
                self.io.fd
            }
        }
    };
}

output_methods!(Stdout, libc::STDOUT_FILENO);
output_methods!(Stderr, libc::STDERR_FILENO);
