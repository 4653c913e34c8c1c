//! [`UnixListener`] and [`UnixStream`].

use super::listener::{Incoming, Listener};
use super::{ReadHalf, WriteHalf};
use crate::driver::{DefaultDriver, Drive};
use crate::event::{Cancellation, Event, Submission};
use crate::io::{Io, Kind};
use crate::ring::Entry;
use crate::sys;
use alloc::boxed::Box;
use core::mem::ManuallyDrop;
use core::task::{Context, Poll};
use std::io;
use std::os::fd::{AsRawFd, IntoRawFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// A Unix-domain stream socket listening for connections.
#[derive(Debug)]
pub struct UnixListener<D: Drive + Clone = DefaultDriver> {
    inner: Listener<D>,
}

impl UnixListener<DefaultDriver> {
    /// Binds to `path` on [`DefaultDriver::current`].
    ///
    /// # Errors
    /// The kernel's error from `socket`, `bind` or `listen` (`AddrInUse` if `path` exists).
    pub fn bind(path: impl AsRef<Path>) -> io::Result<UnixListener> {
        UnixListener::bind_on(path, DefaultDriver::current()?)
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
pub struct UnixStream<D: Drive + Clone = DefaultDriver> {
    io: Io<D>,
}

impl UnixStream<DefaultDriver> {
    /// Connects to the socket at `path` on [`DefaultDriver::current`].
    ///
    /// # Errors
    /// The kernel's error from `socket` or `connect`; `InvalidInput` for a path too long for
    /// `sockaddr_un` or with a NUL byte.
    pub async fn connect(path: impl AsRef<Path>) -> io::Result<UnixStream> {
        UnixStream::connect_on(path, DefaultDriver::current()?).await
    }

    /// A connected pair of streams (`socketpair`) on [`DefaultDriver::current`].
    ///
    /// # Errors
    /// The kernel's error from `socketpair`.
    pub fn pair() -> io::Result<(UnixStream, UnixStream)> {
        UnixStream::pair_on(DefaultDriver::current()?)
    }
}

impl<D: Drive + Clone> UnixStream<D> {
    /// Connects to the socket at `path` on `driver`, through the ring.
    ///
    /// # Errors
    /// As [`connect`](UnixStream::connect).
    pub async fn connect_on(path: impl AsRef<Path>, driver: D) -> io::Result<UnixStream<D>> {
        let connect = UnixConnect::new(path.as_ref())?;
        // SAFETY: plain system call with constant arguments.
        let fd = unsafe { libc::socket(libc::AF_UNIX, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // From here the stream owns the fd: it is closed on every path.
        let stream = UnixStream::from_owned(fd, driver);
        let (_, res) = Submission::new(connect.with_fd(fd), stream.io.driver.clone()).await;
        res?;
        Ok(stream)
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

/// `IORING_OP_CONNECT` to a Unix-domain path (the public `Connect` event takes IP addresses).
#[derive(Debug)]
struct UnixConnect {
    fd: i32,
    addr: Box<(libc::sockaddr_un, libc::socklen_t)>,
}

impl UnixConnect {
    /// The address for `path`; the fd is set by [`with_fd`](Self::with_fd).
    fn new(path: &Path) -> io::Result<UnixConnect> {
        let bytes = path.as_os_str().as_bytes();
        // SAFETY: `sockaddr_un` is plain integers; all-zero is valid.
        let mut sun: libc::sockaddr_un = unsafe { core::mem::zeroed() };
        sun.sun_family = libc::AF_UNIX as libc::sa_family_t;
        // One byte stays 0: the path is NUL-terminated.
        if bytes.len() >= sun.sun_path.len() || bytes.contains(&0) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "path too long for a Unix socket, or contains a NUL byte",
            ));
        }
        for (dst, &src) in sun.sun_path.iter_mut().zip(bytes) {
            *dst = src as libc::c_char;
        }
        let len = core::mem::offset_of!(libc::sockaddr_un, sun_path) + bytes.len() + 1;
        Ok(UnixConnect {
            fd: -1,
            addr: Box::new((sun, len as libc::socklen_t)),
        })
    }

    fn with_fd(mut self, fd: i32) -> UnixConnect {
        self.fd = fd;
        self
    }
}

impl Event for UnixConnect {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        sqe.raw.opcode = sys::IORING_OP_CONNECT;
        sqe.raw.fd = self.fd;
        sqe.raw.addr.addr = &self.addr.0 as *const libc::sockaddr_un as u64;
        sqe.raw.off.off = u64::from(self.addr.1);
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        Cancellation::from_box(this.addr)
    }
}
