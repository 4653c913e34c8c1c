//! [`UnixListener`] and [`UnixStream`].

use super::listener::{Incoming, Listener};
use super::{ReadHalf, WriteHalf};
use crate::driver::{BackgroundDriver, Drive};
use crate::io::{Io, Kind};
use core::task::{Context, Poll};
use std::io;
use std::os::fd::{AsRawFd, IntoRawFd, RawFd};
use std::path::Path;

/// A Unix-domain stream socket listening for connections.
#[derive(Debug)]
pub struct UnixListener<D: Drive + Clone = BackgroundDriver> {
    inner: Listener<D>,
}

impl UnixListener<BackgroundDriver> {
    /// Binds to `path` on the process-wide background driver.
    ///
    /// # Errors
    /// The kernel's error from `socket`, `bind` or `listen` (`AddrInUse` if `path` exists).
    pub fn bind(path: impl AsRef<Path>) -> io::Result<UnixListener> {
        UnixListener::bind_on(path, BackgroundDriver::global()?)
    }
}

impl<D: Drive + Clone> UnixListener<D> {
    /// Binds to `path` on `driver` (a plain system call: binding does not wait).
    ///
    /// # Errors
    /// As [`bind`](UnixListener::bind).
    pub fn bind_on(path: impl AsRef<Path>, driver: D) -> io::Result<UnixListener<D>> {
        let fd = std::os::unix::net::UnixListener::bind(path)?.into_raw_fd();
        Ok(UnixListener {
            inner: Listener { fd, driver },
        })
    }

    /// Accepts one connection.
    ///
    /// # Errors
    /// The kernel's error from `accept`.
    pub async fn accept(&self) -> io::Result<UnixStream<D>> {
        let (fd, _) = self.inner.accept().await?;
        Ok(UnixStream::from_owned(fd, self.inner.driver.clone()))
    }

    /// Every connection, accepted by one multishot request.
    pub fn incoming(&self) -> Incoming<'_, UnixStream<D>, D> {
        self.inner.incoming(UnixStream::from_owned)
    }

    /// The driver the listener runs on.
    pub fn driver(&self) -> &D {
        &self.inner.driver
    }
}

impl<D: Drive + Clone> AsRawFd for UnixListener<D> {
    fn as_raw_fd(&self) -> RawFd {
        self.inner.fd
    }
}

/// A Unix-domain stream connection; reads and writes as [`TcpStream`](super::TcpStream).
#[derive(Debug)]
pub struct UnixStream<D: Drive + Clone = BackgroundDriver> {
    io: Io<D>,
}

impl UnixStream<BackgroundDriver> {
    /// Connects to the socket at `path` on the process-wide background driver.
    ///
    /// # Errors
    /// The kernel's error from `socket` or `connect`.
    pub fn connect(path: impl AsRef<Path>) -> io::Result<UnixStream> {
        UnixStream::connect_on(path, BackgroundDriver::global()?)
    }

    /// A connected pair of streams (`socketpair`) on the process-wide background driver.
    ///
    /// # Errors
    /// The kernel's error from `socketpair`.
    pub fn pair() -> io::Result<(UnixStream, UnixStream)> {
        UnixStream::pair_on(BackgroundDriver::global()?)
    }
}

impl<D: Drive + Clone> UnixStream<D> {
    /// Connects to the socket at `path` on `driver`. A local connect completes at once or
    /// fails, so it is a plain system call.
    ///
    /// # Errors
    /// The kernel's error from `socket` or `connect`.
    pub fn connect_on(path: impl AsRef<Path>, driver: D) -> io::Result<UnixStream<D>> {
        let fd = std::os::unix::net::UnixStream::connect(path)?.into_raw_fd();
        Ok(UnixStream::from_owned(fd, driver))
    }

    /// A connected pair of streams on `driver`.
    ///
    /// # Errors
    /// The kernel's error from `socketpair`.
    pub fn pair_on(driver: D) -> io::Result<(UnixStream<D>, UnixStream<D>)> {
        let (a, b) = std::os::unix::net::UnixStream::pair()?;
        Ok((
            UnixStream::from_owned(a.into_raw_fd(), driver.clone()),
            UnixStream::from_owned(b.into_raw_fd(), driver),
        ))
    }

    fn from_owned(fd: i32, driver: D) -> UnixStream<D> {
        UnixStream {
            io: Io::new(fd, Kind::Socket, true, driver),
        }
    }

    /// Wraps a connected Unix stream socket; the stream owns it from now on.
    ///
    /// # Safety
    /// `fd` must be an open, connected stream socket owned by the caller, who gives it up.
    pub unsafe fn from_raw_fd(fd: RawFd, driver: D) -> UnixStream<D> {
        UnixStream::from_owned(fd, driver)
    }
}

stream_methods!(UnixStream);
