//! [`TcpListener`] and [`TcpStream`].

use super::listener::{Incoming, Listener};
use super::{ReadHalf, WriteHalf};
use crate::driver::{DefaultDriver, Drive};
use crate::event::events::Connect;
use crate::event::Submission;
use crate::io::{Io, Kind};
use core::mem::ManuallyDrop;
use core::net::SocketAddr;
use core::task::{Context, Poll};
use std::io;
use std::net::ToSocketAddrs;
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd, RawFd};

/// Runs `f` on a `std::net::TcpStream` view of `fd` without taking ownership of it.
fn with_std<T>(fd: RawFd, f: impl FnOnce(&std::net::TcpStream) -> T) -> T {
    // SAFETY: `fd` is an open socket owned by the caller for the duration of the call; the
    // view is never dropped (ManuallyDrop), so it does not close the fd.
    let view = ManuallyDrop::new(unsafe { std::net::TcpStream::from_raw_fd(fd) });
    f(&view)
}

/// A TCP socket listening for connections.
/// # Example
///
/// A listener and a client in one task: the accept and the connect are in flight together.
///
/// ```
/// use ringcore::net::{TcpListener, TcpStream};
///
/// let listener = TcpListener::bind("127.0.0.1:0")?;
/// let addr = listener.local_addr()?;
/// futures::executor::block_on(async {
///     let (accepted, connected) = futures::join!(listener.accept(), TcpStream::connect(addr));
///     let (mut server, peer) = accepted?;
///     let mut client = connected?;
///     assert_eq!(peer, client.local_addr()?);
///
///     client.write_all(b"ping").await?;
///     let mut buf = [0u8; 4];
///     server.read_exact(&mut buf).await?;
///     assert_eq!(&buf, b"ping");
///     std::io::Result::Ok(())
/// })?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct TcpListener<D: Drive + Clone = DefaultDriver> {
    inner: Listener<D>,
}

impl TcpListener<DefaultDriver> {
    /// Binds to `addr` (port 0: any free port) on [`DefaultDriver::current`]. `addr` is
    /// resolved as by [`std::net::TcpListener::bind`]: each address is tried in turn until one
    /// binds. Resolving a host name is a blocking DNS lookup on the calling thread, as in std;
    /// an IP address literal (`"127.0.0.1:0"`, a [`SocketAddr`]) does not block.
    ///
    /// # Errors
    /// [`InvalidInput`](io::ErrorKind::InvalidInput) if `addr` resolves to no address; the
    /// resolver's error; the kernel's error from `socket`, `bind` or `listen` for the last
    /// address tried; the driver's if it cannot start.
    pub fn bind(addr: impl ToSocketAddrs) -> io::Result<TcpListener> {
        TcpListener::bind_on(addr, DefaultDriver::current()?)
    }
}

impl<D: Drive + Clone> TcpListener<D> {
    /// Binds to `addr` on `driver`. Binding does not wait, so it is a plain system call;
    /// `addr` is resolved and tried as in [`bind`](TcpListener::bind).
    ///
    /// # Errors
    /// As [`bind`](TcpListener::bind), without the driver's.
    pub fn bind_on(addr: impl ToSocketAddrs, driver: D) -> io::Result<TcpListener<D>> {
        let fd = std::net::TcpListener::bind(addr)?.into_raw_fd();
        Ok(TcpListener {
            inner: Listener { fd, driver },
        })
    }

    /// The address the listener is bound to.
    ///
    /// # Errors
    /// The kernel's error from `getsockname`.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        let fd = self.inner.fd;
        // SAFETY: the listener owns `fd` while `self` lives; the view is never dropped.
        let view = ManuallyDrop::new(unsafe { std::net::TcpListener::from_raw_fd(fd) });
        view.local_addr()
    }

    /// Accepts one connection.
    ///
    /// # Errors
    /// The kernel's error from `accept`.
    pub async fn accept(&self) -> io::Result<(TcpStream<D>, SocketAddr)> {
        let (fd, addr) = self.inner.accept().await?;
        let stream = TcpStream::from_accepted(fd, self.inner.driver.clone());
        match addr {
            Some(addr) => Ok((stream, addr)),
            None => stream.peer_addr().map(|addr| (stream, addr)),
        }
    }

    /// Every connection, accepted by one multishot request.
    pub fn incoming(&self) -> Incoming<'_, TcpStream<D>, D> {
        self.inner.incoming(TcpStream::from_accepted)
    }

    /// The driver the listener runs on.
    pub fn driver(&self) -> &D {
        &self.inner.driver
    }
}

impl<D: Drive + Clone> AsRawFd for TcpListener<D> {
    fn as_raw_fd(&self) -> RawFd {
        self.inner.fd
    }
}

/// A TCP connection.
///
/// Reads and writes go through buffers the stream owns: see [`File`](crate::fs::File) for
/// what that guarantees when futures are dropped. [`split`](Self::split) gives a read half
/// and a write half that can be in flight at once.
/// # Example
///
/// A request and its answer, with the server on a thread of its own:
///
/// ```
/// use ringcore::net::{TcpListener, TcpStream};
///
/// let listener = TcpListener::bind("127.0.0.1:0")?;
/// let addr = listener.local_addr()?;
/// let server = std::thread::spawn(move || {
///     futures::executor::block_on(async {
///         let (mut conn, _) = listener.accept().await?;
///         let mut question = [0u8; 5];
///         conn.read_exact(&mut question).await?;
///         conn.write_all(b"fine\n").await?;
///         conn.flush().await
///     })
/// });
/// futures::executor::block_on(async {
///     let mut stream = TcpStream::connect(addr).await?;
///     stream.write_all(b"well?").await?;
///     let mut answer = [0u8; 5];
///     stream.read_exact(&mut answer).await?;
///     assert_eq!(&answer, b"fine\n");
///     std::io::Result::Ok(())
/// })?;
/// server.join().unwrap()?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct TcpStream<D: Drive + Clone = DefaultDriver> {
    io: Io<D>,
}

impl TcpStream<DefaultDriver> {
    /// Connects to `addr` on [`DefaultDriver::current`]. `addr` is resolved as by
    /// [`std::net::TcpStream::connect`] and each address is tried in turn until one connects.
    /// Resolving a host name is a blocking DNS lookup on the thread that polls the future,
    /// as in std; an IP address literal (`"127.0.0.1:8080"`, a [`SocketAddr`]) does not block.
    ///
    /// # Errors
    /// [`InvalidInput`](io::ErrorKind::InvalidInput) if `addr` resolves to no address; the
    /// resolver's error; otherwise the kernel's error from `socket` or `connect` (e.g.
    /// `ConnectionRefused`) for the last address tried; the driver's if it cannot start.
    pub async fn connect(addr: impl ToSocketAddrs) -> io::Result<TcpStream> {
        TcpStream::connect_on(addr, DefaultDriver::current()?).await
    }
}

impl<D: Drive + Clone> TcpStream<D> {
    /// Connects to `addr` on `driver`, resolving and trying addresses as
    /// [`connect`](TcpStream::connect) does.
    ///
    /// # Errors
    /// As [`connect`](TcpStream::connect), without the driver's.
    pub async fn connect_on(addr: impl ToSocketAddrs, driver: D) -> io::Result<TcpStream<D>> {
        let mut last_error = None;
        for addr in addr.to_socket_addrs()? {
            match TcpStream::connect_one(addr, driver.clone()).await {
                Ok(stream) => return Ok(stream),
                Err(e) => last_error = Some(e),
            }
        }
        Err(last_error.unwrap_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "could not resolve to any addresses",
            )
        }))
    }

    /// Connects to one address.
    async fn connect_one(addr: SocketAddr, driver: D) -> io::Result<TcpStream<D>> {
        let domain = match addr {
            SocketAddr::V4(_) => libc::AF_INET,
            SocketAddr::V6(_) => libc::AF_INET6,
        };
        // SAFETY: plain system call with constant arguments.
        let fd = unsafe { libc::socket(domain, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // From here the stream owns the fd: it is closed on every path.
        let stream = TcpStream::from_accepted(fd, driver);
        let connect = Connect::new(fd, addr);
        let (_, res) = Submission::new(connect, stream.io.driver.clone()).await;
        res?;
        Ok(stream)
    }

    fn from_accepted(fd: i32, driver: D) -> TcpStream<D> {
        TcpStream {
            io: Io::new(fd, Kind::Socket, true, driver),
        }
    }

    /// Wraps a connected TCP socket; the stream owns it from now on.
    ///
    /// # Safety
    /// `fd` must be an open, connected stream socket owned by the caller, who gives it up.
    pub unsafe fn from_raw_fd(fd: RawFd, driver: D) -> TcpStream<D> {
        TcpStream::from_accepted(fd, driver)
    }

    /// The peer's address.
    ///
    /// # Errors
    /// The kernel's error from `getpeername`.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        with_std(self.io.fd, |s| s.peer_addr())
    }

    /// The local address.
    ///
    /// # Errors
    /// The kernel's error from `getsockname`.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        with_std(self.io.fd, |s| s.local_addr())
    }

    /// Sets `TCP_NODELAY` (no Nagle delay for small writes).
    ///
    /// # Errors
    /// The kernel's error from `setsockopt`.
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        with_std(self.io.fd, |s| s.set_nodelay(nodelay))
    }
}

stream_methods!(TcpStream);
