//! [`UdpSocket`].

use crate::driver::{DefaultDriver, Drive};
use crate::event::events::{Recv, RecvMsg, Send, SendMsg};
use crate::event::Submission;
use crate::io::close_in_background;
use alloc::vec::Vec;
use core::mem::ManuallyDrop;
use core::net::SocketAddr;
use std::io;
use std::net::ToSocketAddrs;
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd, RawFd};

/// A UDP socket: datagrams sent with `IORING_OP_SENDMSG` / `IORING_OP_SEND` and received with
/// `IORING_OP_RECVMSG` / `IORING_OP_RECV`.
///
/// The kernel never sees the caller's slices: each send copies the datagram into a buffer the
/// request owns, and each receive lands in a buffer of the request's and is copied out when
/// it completes. If a future is dropped while its request is in flight, that buffer (with the
/// message header and address it goes with) is handed to the driver and freed only after the
/// kernel's completion. Methods take `&self`, so a send and a receive (or several of each)
/// can be in flight at once.
///
/// A receive future is **not cancel-safe**: a receive dropped in flight (for example by a
/// timeout) stays armed in the kernel until its cancellation is submitted with the ring's
/// next batch, and a datagram arriving in that window completes the abandoned receive and is
/// lost, as datagrams may be. Protocols that retransmit are unaffected; others should not
/// race receives against timers.
///
/// A datagram longer than the buffer given to [`recv_from`](Self::recv_from) or
/// [`recv`](Self::recv) is cut to fit and the rest of it is discarded (`MSG_TRUNC`), as with
/// [`std::net::UdpSocket`].
///
/// # Example
///
/// ```
/// use ringcore::net::UdpSocket;
///
/// let a = UdpSocket::bind("127.0.0.1:0")?;
/// let b = UdpSocket::bind("127.0.0.1:0")?;
/// futures::executor::block_on(async {
///     let sent = a.send_to(b"ping", b.local_addr()?).await?;
///     assert_eq!(sent, 4);
///     let mut buf = [0u8; 16];
///     let (n, from) = b.recv_from(&mut buf).await?;
///     assert_eq!(&buf[..n], b"ping");
///     assert_eq!(from, a.local_addr()?);
///
///     // Connected: send and recv without addresses.
///     a.connect(b.local_addr()?)?;
///     b.connect(a.local_addr()?)?;
///     b.send(b"pong").await?;
///     let n = a.recv(&mut buf).await?;
///     assert_eq!(&buf[..n], b"pong");
///     std::io::Result::Ok(())
/// })?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct UdpSocket<D: Drive + Clone = DefaultDriver> {
    fd: i32,
    driver: D,
}

impl UdpSocket<DefaultDriver> {
    /// Binds to `addr` (port 0: any free port) on [`DefaultDriver::current`]. `addr` is
    /// resolved as by [`std::net::UdpSocket::bind`]: each address is tried in turn until one
    /// binds. Resolving a host name is a blocking DNS lookup on the calling thread, as in std;
    /// an IP address literal (`"127.0.0.1:0"`, a [`SocketAddr`]) does not block.
    ///
    /// # Errors
    /// [`InvalidInput`](io::ErrorKind::InvalidInput) if `addr` resolves to no address; the
    /// resolver's error; the kernel's error from `socket` or `bind` for the last address
    /// tried; the driver's if it cannot start.
    pub fn bind(addr: impl ToSocketAddrs) -> io::Result<UdpSocket> {
        UdpSocket::bind_on(addr, DefaultDriver::current()?)
    }
}

impl<D: Drive + Clone> UdpSocket<D> {
    /// Binds to `addr` on `driver`, resolving and trying addresses as [`bind`](UdpSocket::bind)
    /// does. Binding does not wait, so it is a plain system call.
    ///
    /// # Errors
    /// As [`bind`](UdpSocket::bind), without the driver's.
    pub fn bind_on(addr: impl ToSocketAddrs, driver: D) -> io::Result<UdpSocket<D>> {
        let fd = std::net::UdpSocket::bind(addr)?.into_raw_fd();
        Ok(UdpSocket { fd, driver })
    }

    /// Wraps a UDP socket; the `UdpSocket` owns it from now on.
    ///
    /// # Safety
    /// `fd` must be an open datagram socket owned by the caller, who gives it up.
    pub unsafe fn from_raw_fd(fd: RawFd, driver: D) -> UdpSocket<D> {
        UdpSocket { fd, driver }
    }

    /// Runs `f` on a `std::net::UdpSocket` view of the socket without giving it ownership.
    fn with_std<T>(&self, f: impl FnOnce(&std::net::UdpSocket) -> T) -> T {
        // SAFETY: `self` owns the open socket `fd` while it lives; the view is never dropped
        // (ManuallyDrop), so it does not close the fd.
        let view = ManuallyDrop::new(unsafe { std::net::UdpSocket::from_raw_fd(self.fd) });
        f(&view)
    }

    /// Sets the default peer: [`send`](Self::send) goes there and only its datagrams are
    /// received. A plain `connect(2)` system call (it never waits); `addr` is resolved as by
    /// [`std::net::UdpSocket::connect`], which tries each address in turn (a host name is a
    /// blocking DNS lookup).
    ///
    /// # Errors
    /// [`InvalidInput`](io::ErrorKind::InvalidInput) if `addr` resolves to no address; the
    /// resolver's error; the kernel's error from `connect` for the last address tried.
    pub fn connect(&self, addr: impl ToSocketAddrs) -> io::Result<()> {
        self.with_std(|s| s.connect(addr))
    }

    /// Sends `buf` as one datagram to `addr` (the first address it resolves to, as in std;
    /// a host name is resolved by a blocking DNS lookup on the polling thread). Returns the
    /// number of bytes sent.
    ///
    /// # Errors
    /// [`InvalidInput`](io::ErrorKind::InvalidInput) if `addr` resolves to no address; the
    /// resolver's error; the kernel's error from `sendmsg` (e.g. `EAFNOSUPPORT` for an IPv6
    /// address on an IPv4 socket, `EMSGSIZE` for a datagram too large).
    pub async fn send_to(&self, buf: &[u8], addr: impl ToSocketAddrs) -> io::Result<usize> {
        let addr = addr.to_socket_addrs()?.next().ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "no addresses to send data to")
        })?;
        let send = SendMsg::new(self.fd, buf.to_vec(), Some(addr), 0);
        let (_, res) = Submission::new(send, self.driver.clone()).await;
        Ok(res? as usize)
    }

    /// Receives one datagram into `buf`; returns its length (at most `buf.len()`: the rest
    /// of a longer datagram is discarded) and the sender's address.
    ///
    /// # Errors
    /// The kernel's error from `recvmsg` (e.g. `ConnectionRefused` on a connected socket
    /// whose peer has no listener).
    pub async fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        let recv = RecvMsg::new(self.fd, alloc::vec![0u8; buf.len()], 0);
        let (recv, res) = Submission::new(recv, self.driver.clone()).await;
        let n = (res? as usize).min(buf.len());
        buf[..n].copy_from_slice(&recv.buf()[..n]);
        match recv.peer_addr() {
            Some(addr) => Ok((n, addr)),
            None => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the kernel gave no IP source address",
            )),
        }
    }

    /// Sends `buf` as one datagram to the peer set by [`connect`](Self::connect). Returns the
    /// number of bytes sent.
    ///
    /// # Errors
    /// The kernel's error from `send` (e.g. `EDESTADDRREQ` when not connected,
    /// `ConnectionRefused` after the peer reported no listener).
    pub async fn send(&self, buf: &[u8]) -> io::Result<usize> {
        let send = Send {
            fd: self.fd,
            buf: buf.to_vec(),
            flags: 0,
        };
        let (_, res) = Submission::new(send, self.driver.clone()).await;
        Ok(res? as usize)
    }

    /// Receives one datagram from the connected peer into `buf`; returns its length (at most
    /// `buf.len()`: the rest of a longer datagram is discarded).
    ///
    /// # Errors
    /// The kernel's error from `recv`.
    pub async fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        let recv = Recv {
            fd: self.fd,
            buf: alloc::vec![0u8; buf.len()],
            flags: 0,
        };
        let (recv, res) = Submission::new(recv, self.driver.clone()).await;
        let n = (res? as usize).min(buf.len());
        let data: Vec<u8> = recv.buf;
        buf[..n].copy_from_slice(&data[..n]);
        Ok(n)
    }

    /// The address the socket is bound to.
    ///
    /// # Errors
    /// The kernel's error from `getsockname`.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.with_std(|s| s.local_addr())
    }

    /// The connected peer's address.
    ///
    /// # Errors
    /// `NotConnected` before [`connect`](Self::connect); the kernel's error from
    /// `getpeername`.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.with_std(|s| s.peer_addr())
    }

    /// The driver the socket runs on.
    pub fn driver(&self) -> &D {
        &self.driver
    }
}

impl<D: Drive + Clone> AsRawFd for UdpSocket<D> {
    fn as_raw_fd(&self) -> RawFd {
        self.fd
    }
}

impl<D: Drive + Clone> Drop for UdpSocket<D> {
    fn drop(&mut self) {
        // Requests still in flight hold their own buffers (see the type's documentation);
        // the close goes through the ring behind them.
        close_in_background(self.fd, &self.driver);
    }
}
