//! tokio's `AsyncRead`, `AsyncBufRead`, `AsyncWrite` and `AsyncSeek` for the std types
//! (feature `tokio`), next to the `futures-io` ones. Each forwards to the type's own `poll_*`
//! method; a read copies out of the type's buffer into the `ReadBuf` (no zeroing); shutting
//! a writer down flushes it and, for sockets, shuts down the write direction.

use crate::driver::Drive;
use crate::fs::File;
use crate::net::{ReadHalf, TcpStream, UnixStream, WriteHalf};
use crate::stdio::{Stderr, Stdin, Stdout};
use core::pin::Pin;
use core::task::{Context, Poll};
use std::io::{self, SeekFrom};
use tokio::io::{AsyncBufRead, AsyncRead, AsyncSeek, AsyncWrite, ReadBuf};

macro_rules! impl_read {
    ($($ty:ty),*) => {$(
        impl<D: Drive + Clone + Unpin> AsyncRead for $ty {
            fn poll_read(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &mut ReadBuf<'_>,
            ) -> Poll<io::Result<()>> {
                let this = self.get_mut();
                let data = core::task::ready!(this.poll_fill_buf(cx))?;
                let n = data.len().min(buf.remaining());
                buf.put_slice(&data[..n]);
                this.consume(n);
                Poll::Ready(Ok(()))
            }
        }

        impl<D: Drive + Clone + Unpin> AsyncBufRead for $ty {
            fn poll_fill_buf(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
            ) -> Poll<io::Result<&[u8]>> {
                self.get_mut().poll_fill_buf(cx)
            }

            fn consume(self: Pin<&mut Self>, amt: usize) {
                self.get_mut().consume(amt)
            }
        }
    )*};
}

macro_rules! impl_write {
    ($($ty:ty),*) => {$(
        impl<D: Drive + Clone + Unpin> AsyncWrite for $ty {
            fn poll_write(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &[u8],
            ) -> Poll<io::Result<usize>> {
                self.get_mut().poll_write(cx, buf)
            }

            fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                self.get_mut().poll_flush(cx)
            }

            fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                self.get_mut().poll_flush(cx)
            }
        }
    )*};
}

impl_read!(
    File<D>,
    TcpStream<D>,
    UnixStream<D>,
    ReadHalf<'_, D>,
    Stdin<D>
);
impl_write!(File<D>, Stdout<D>, Stderr<D>);

/// Sockets: closing the writer flushes, then shuts the write direction down.
macro_rules! impl_socket_write {
    ($($ty:ty),*) => {$(
        impl<D: Drive + Clone + Unpin> AsyncWrite for $ty {
            fn poll_write(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &[u8],
            ) -> Poll<io::Result<usize>> {
                self.get_mut().poll_write(cx, buf)
            }

            fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                self.get_mut().poll_flush(cx)
            }

            fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                let this = self.get_mut();
                core::task::ready!(this.poll_flush(cx))?;
                // A shutdown of the write side does not wait for the peer: a plain call.
                // SAFETY: the fd is open while `this` lives.
                let r = unsafe { libc::shutdown(std::os::fd::AsRawFd::as_raw_fd(this), libc::SHUT_WR) };
                if r != 0 {
                    let e = io::Error::last_os_error();
                    if e.raw_os_error() != Some(libc::ENOTCONN) {
                        return Poll::Ready(Err(e));
                    }
                }
                Poll::Ready(Ok(()))
            }
        }
    )*};
}

impl_socket_write!(TcpStream<D>, UnixStream<D>, WriteHalf<'_, D>);

impl<D: Drive + Clone + Unpin> AsyncSeek for File<D> {
    fn start_seek(self: Pin<&mut Self>, pos: SeekFrom) -> io::Result<()> {
        self.get_mut().pending_seek = Some(pos);
        Ok(())
    }

    fn poll_complete(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        let this = self.get_mut();
        let Some(pos) = this.pending_seek else {
            return Poll::Ready(Ok(this.position()));
        };
        let at = core::task::ready!(this.poll_seek(cx, pos))?;
        this.pending_seek = None;
        Poll::Ready(Ok(at))
    }
}
