//! What TCP and Unix streams share: the methods (one macro, two types) and shutdown.

use crate::driver::Drive;
use crate::event::events::Shutdown;
use crate::event::Submission;
use std::io;

/// `shutdown(fd, how)` through the ring.
pub(crate) async fn shutdown<D: Drive + Clone>(fd: i32, how: i32, driver: &D) -> io::Result<()> {
    let (_, res) = Submission::new(Shutdown { fd, how }, driver.clone()).await;
    res.map(|_| ()).map_err(io::Error::from)
}

/// The read, write, split, shutdown and close methods of a stream type whose field `io` is
/// an `Io<D>` of kind `Socket`.
macro_rules! stream_methods {
    ($name:ident) => {
        impl<D: Drive + Clone> $name<D> {
            /// The driver the stream runs on.
            pub fn driver(&self) -> &D {
                &self.io.driver
            }

            /// Sets the size of the receive buffer and of the largest write accepted at once
            /// (64 KiB by default).
            pub fn set_buffer_size(&mut self, bytes: usize) {
                self.io.reader.set_capacity(bytes);
                self.io.writer.set_capacity(bytes);
            }

            /// Borrows the two directions separately, so a read and a write can be in flight
            /// at once.
            pub fn split(&mut self) -> (ReadHalf<'_, D>, WriteHalf<'_, D>) {
                crate::net::split::split(&mut self.io)
            }

            /// Polls a read into `buf` (0: the peer shut down its side).
            ///
            /// # Errors
            /// The kernel's error from `recv`.
            pub fn poll_read(
                &mut self,
                cx: &mut Context<'_>,
                buf: &mut [u8],
            ) -> Poll<io::Result<usize>> {
                self.split().0.poll_read(cx, buf)
            }

            /// Polls the buffered bytes, receiving first if there are none (empty: end of
            /// stream). Consume them with [`consume`](Self::consume).
            ///
            /// # Errors
            /// As [`poll_read`](Self::poll_read).
            pub fn poll_fill_buf(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
                let crate::io::Io {
                    fd, driver, reader, ..
                } = &mut self.io;
                let data = core::task::ready!(reader.poll_fill(
                    cx,
                    crate::io::Kind::Socket,
                    *fd,
                    0,
                    driver
                ))?;
                Poll::Ready(Ok(data))
            }

            /// Marks `n` bytes returned by [`poll_fill_buf`](Self::poll_fill_buf) as read.
            pub fn consume(&mut self, n: usize) {
                self.io.reader.consume(n);
            }

            /// Polls a write of (a prefix of) `buf`; accepted bytes are sent in order, all of
            /// them, even if the caller stops polling.
            ///
            /// # Errors
            /// The kernel's error from an earlier accepted send.
            pub fn poll_write(
                &mut self,
                cx: &mut Context<'_>,
                buf: &[u8],
            ) -> Poll<io::Result<usize>> {
                self.split().1.poll_write(cx, buf)
            }

            /// Polls until every accepted byte is sent.
            ///
            /// # Errors
            /// The first error of an accepted send not reported yet.
            pub fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                self.split().1.poll_flush(cx)
            }

            /// Reads up to `buf.len()` bytes (0: the peer shut down its side).
            ///
            /// # Errors
            /// As [`poll_read`](Self::poll_read).
            pub async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                self.split().0.read(buf).await
            }

            /// Reads exactly `buf.len()` bytes.
            ///
            /// # Errors
            /// `UnexpectedEof` if the stream ends first; as [`read`](Self::read).
            pub async fn read_exact(&mut self, buf: &mut [u8]) -> io::Result<()> {
                self.split().0.read_exact(buf).await
            }

            /// Writes (a prefix of) `buf`; returns how many bytes were accepted.
            ///
            /// # Errors
            /// As [`poll_write`](Self::poll_write).
            pub async fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                self.split().1.write(buf).await
            }

            /// Writes all of `buf` and waits until it is sent.
            ///
            /// # Errors
            /// As [`poll_write`](Self::poll_write).
            pub async fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
                self.split().1.write_all(buf).await
            }

            /// Waits until every accepted byte is sent.
            ///
            /// # Errors
            /// As [`poll_flush`](Self::poll_flush).
            pub async fn flush(&mut self) -> io::Result<()> {
                self.split().1.flush().await
            }

            /// Shuts down one or both directions; the write direction is flushed first.
            ///
            /// # Errors
            /// As [`flush`](Self::flush); the kernel's error from `shutdown`.
            pub async fn shutdown(&mut self, how: std::net::Shutdown) -> io::Result<()> {
                let how = match how {
                    std::net::Shutdown::Read => libc::SHUT_RD,
                    std::net::Shutdown::Write => libc::SHUT_WR,
                    std::net::Shutdown::Both => libc::SHUT_RDWR,
                };
                if how != libc::SHUT_RD {
                    self.flush().await?;
                }
                crate::net::stream::shutdown(self.io.fd, how, &self.io.driver).await
            }

            /// Flushes and closes the stream through the ring, reporting errors a drop would
            /// lose.
            ///
            /// # Errors
            /// The first error of an accepted send; the kernel's error from `close`.
            pub async fn close(mut self) -> io::Result<()> {
                self.io.close().await.map_err(io::Error::from)
            }
        }

        impl<D: Drive + Clone> std::os::fd::AsRawFd for $name<D> {
            fn as_raw_fd(&self) -> std::os::fd::RawFd {
                self.io.fd
            }
        }
    };
}
