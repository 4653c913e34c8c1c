//! Socket events: socket, connect, accept (and multishot), send (and zero-copy), recv (and
//! multishot from a provided-buffer group), sendmsg and recvmsg with an address (datagrams),
//! shutdown.

use crate::event::{Cancellation, Event, OwnedBuf};
use crate::op;
use crate::ring::Entry;
use alloc::boxed::Box;
use core::mem::{size_of, ManuallyDrop};
use core::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

/// A socket address as the kernel reads and writes it, with its length.
#[derive(Clone, Copy)]
struct RawAddr {
    storage: libc::sockaddr_storage,
    len: libc::socklen_t,
}

impl core::fmt::Debug for RawAddr {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("RawAddr").field(&self.socket_addr()).finish()
    }
}

impl RawAddr {
    fn empty() -> Box<RawAddr> {
        Box::new(RawAddr::unspecified())
    }

    /// An all-zero (`AF_UNSPEC`) address with room for any family.
    fn unspecified() -> RawAddr {
        RawAddr {
            // SAFETY: `sockaddr_storage` is plain integers; all-zero is valid (AF_UNSPEC).
            storage: unsafe { core::mem::zeroed() },
            len: size_of::<libc::sockaddr_storage>() as libc::socklen_t,
        }
    }

    fn from_socket_addr(addr: SocketAddr) -> Box<RawAddr> {
        Box::new(RawAddr::new(addr))
    }

    fn new(addr: SocketAddr) -> RawAddr {
        let mut raw = RawAddr::unspecified();
        let storage = &mut raw.storage as *mut libc::sockaddr_storage;
        match addr {
            SocketAddr::V4(a) => {
                let sin = libc::sockaddr_in {
                    sin_family: libc::AF_INET as libc::sa_family_t,
                    sin_port: a.port().to_be(),
                    sin_addr: libc::in_addr {
                        s_addr: u32::from_ne_bytes(a.ip().octets()),
                    },
                    sin_zero: [0; 8],
                };
                // SAFETY: `sockaddr_storage` is larger than and aligned for `sockaddr_in`.
                unsafe { storage.cast::<libc::sockaddr_in>().write(sin) };
                raw.len = size_of::<libc::sockaddr_in>() as libc::socklen_t;
            }
            SocketAddr::V6(a) => {
                let sin6 = libc::sockaddr_in6 {
                    sin6_family: libc::AF_INET6 as libc::sa_family_t,
                    sin6_port: a.port().to_be(),
                    sin6_flowinfo: a.flowinfo().to_be(),
                    sin6_addr: libc::in6_addr {
                        s6_addr: a.ip().octets(),
                    },
                    sin6_scope_id: a.scope_id(),
                };
                // SAFETY: `sockaddr_storage` is larger than and aligned for `sockaddr_in6`.
                unsafe { storage.cast::<libc::sockaddr_in6>().write(sin6) };
                raw.len = size_of::<libc::sockaddr_in6>() as libc::socklen_t;
            }
        }
        raw
    }

    fn socket_addr(&self) -> Option<SocketAddr> {
        let storage = &self.storage as *const libc::sockaddr_storage;
        match i32::from(self.storage.ss_family) {
            libc::AF_INET => {
                // SAFETY: the family says the storage holds a `sockaddr_in`.
                let sin = unsafe { &*storage.cast::<libc::sockaddr_in>() };
                let ip = Ipv4Addr::from(sin.sin_addr.s_addr.to_ne_bytes());
                Some(SocketAddr::V4(SocketAddrV4::new(
                    ip,
                    u16::from_be(sin.sin_port),
                )))
            }
            libc::AF_INET6 => {
                // SAFETY: the family says the storage holds a `sockaddr_in6`.
                let sin6 = unsafe { &*storage.cast::<libc::sockaddr_in6>() };
                Some(SocketAddr::V6(SocketAddrV6::new(
                    Ipv6Addr::from(sin6.sin6_addr.s6_addr),
                    u16::from_be(sin6.sin6_port),
                    u32::from_be(sin6.sin6_flowinfo),
                    sin6.sin6_scope_id,
                )))
            }
            _ => None,
        }
    }
}

/// `IORING_OP_SOCKET`: `socket(domain, type, protocol)`. Result: the new fd.
#[derive(Clone, Copy, Debug)]
pub struct Socket {
    /// `AF_*`.
    pub domain: i32,
    /// `SOCK_*`, with `SOCK_CLOEXEC`/`SOCK_NONBLOCK` as wanted.
    pub socket_type: i32,
    /// The protocol (0: the default).
    pub protocol: i32,
}

impl Event for Socket {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        op::socket(sqe, self.domain, self.socket_type, self.protocol, 0);
    }

    unsafe fn cancel(_: &mut ManuallyDrop<Self>) -> Cancellation {
        // A socket created after all is closed, not leaked.
        // SAFETY: the result is the new descriptor (accepted or created), nobody else's.
        unsafe { Cancellation::null().closing_fd_results() }
    }
}

/// `IORING_OP_CONNECT`: connects socket `fd` to `addr`. Result: 0.
#[derive(Debug)]
pub struct Connect {
    fd: i32,
    addr: Box<RawAddr>,
}

impl Connect {
    /// A connect of `fd` to `addr`.
    pub fn new(fd: i32, addr: SocketAddr) -> Self {
        Connect {
            fd,
            addr: RawAddr::from_socket_addr(addr),
        }
    }
}

impl Event for Connect {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        let addr: *const libc::sockaddr_storage = &self.addr.storage;
        // SAFETY: the address is the event's, on the heap, and outlives the request.
        unsafe { op::connect(sqe, self.fd, addr.cast(), self.addr.len) };
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        Cancellation::from_box(this.addr)
    }
}

/// `IORING_OP_ACCEPT`: accepts one connection on listening socket `fd`. Result: the new fd;
/// [`peer_addr`](Accept::peer_addr) then tells who connected.
#[derive(Debug)]
pub struct Accept {
    fd: i32,
    flags: i32,
    addr: Box<RawAddr>,
}

impl Accept {
    /// An accept on `fd` with `accept4` `flags` (`SOCK_CLOEXEC`, `SOCK_NONBLOCK`).
    pub fn new(fd: i32, flags: i32) -> Self {
        Accept {
            fd,
            flags,
            addr: RawAddr::empty(),
        }
    }

    /// The peer's address, after a successful accept of an IP socket.
    pub fn peer_addr(&self) -> Option<SocketAddr> {
        self.addr.socket_addr()
    }
}

impl Event for Accept {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        let addr: *mut libc::sockaddr_storage = &mut self.addr.storage;
        let len: *mut libc::socklen_t = &mut self.addr.len;
        // SAFETY: the address and its length are the event's, on the heap, and outlive the
        // request.
        unsafe { op::accept(sqe, self.fd, addr.cast(), len, self.flags) };
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        // A connection accepted after all is closed, not leaked.
        // SAFETY: the result is the accepted descriptor, nobody else's.
        unsafe { Cancellation::from_box(this.addr).closing_fd_results() }
    }
}

/// Multishot `IORING_OP_ACCEPT`: one completion per accepted connection (its fd) until
/// cancelled or failed. Drive it with [`Multishot`](crate::event::Multishot).
#[derive(Clone, Copy, Debug)]
pub struct AcceptMulti {
    /// The listening socket.
    pub fd: i32,
    /// `accept4` flags for every accepted socket.
    pub flags: i32,
}

impl Event for AcceptMulti {
    fn is_multishot(&self) -> bool {
        true
    }

    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        op::accept_multishot(sqe, self.fd, self.flags);
    }

    unsafe fn cancel(_: &mut ManuallyDrop<Self>) -> Cancellation {
        // Connections accepted but not taken from the stream, or accepted after it was
        // dropped, are closed, not leaked.
        // SAFETY: the result is the new descriptor (accepted or created), nobody else's.
        unsafe { Cancellation::null().closing_fd_results() }
    }
}

/// `IORING_OP_RECV`: receives into `buf` from socket `fd`. Result: bytes received (0: the
/// peer shut down).
#[derive(Debug)]
pub struct Recv<B: OwnedBuf> {
    /// The socket.
    pub fd: i32,
    /// The buffer filled from its start.
    pub buf: B,
    /// `MSG_*` flags.
    pub flags: i32,
}

impl<B: OwnedBuf> Event for Recv<B> {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        let len = u32::try_from(self.buf.len()).unwrap_or(u32::MAX);
        // SAFETY: the buffer is the event's, on the heap, and outlives the request.
        unsafe { op::recv(sqe, self.fd, self.buf.as_mut_ptr(), len, self.flags) };
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        this.buf.into_cancellation()
    }
}

/// Multishot `IORING_OP_RECV` with buffer selection: each completion names a buffer of
/// provided-buffer group `buf_group` ([`Completion::buffer_id`](crate::event::Completion::buffer_id))
/// holding `result` bytes. The buffers belong to whoever provided them (a buffer ring or
/// `IORING_OP_PROVIDE_BUFFERS`) and must outlive the stream.
#[derive(Clone, Copy, Debug)]
pub struct RecvMulti {
    /// The socket.
    pub fd: i32,
    /// The provided-buffer group to take buffers from.
    pub buf_group: u16,
    /// `MSG_*` flags.
    pub flags: i32,
}

impl Event for RecvMulti {
    fn is_multishot(&self) -> bool {
        true
    }

    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        op::recv_multishot(sqe, self.fd, self.flags, self.buf_group);
    }

    unsafe fn cancel(_: &mut ManuallyDrop<Self>) -> Cancellation {
        Cancellation::null()
    }
}

/// `IORING_OP_SEND`: sends `buf` on socket `fd`. Result: bytes sent.
#[derive(Debug)]
pub struct Send<B: OwnedBuf> {
    /// The socket.
    pub fd: i32,
    /// The bytes.
    pub buf: B,
    /// `MSG_*` flags.
    pub flags: i32,
}

impl<B: OwnedBuf> Event for Send<B> {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        let len = u32::try_from(self.buf.len()).unwrap_or(u32::MAX);
        // SAFETY: the buffer is the event's, on the heap, and outlives the request.
        unsafe { op::send(sqe, self.fd, self.buf.as_ptr(), len, self.flags) };
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        this.buf.into_cancellation()
    }
}

/// `IORING_OP_SEND_ZC`: sends `buf` without copying it. The kernel posts the result, then a
/// notification once it no longer reads the buffer; the submission completes (and hands the
/// buffer back) only after the notification. Result: bytes sent.
#[derive(Debug)]
pub struct SendZc<B: OwnedBuf> {
    /// The socket.
    pub fd: i32,
    /// The bytes.
    pub buf: B,
    /// `MSG_*` flags.
    pub flags: i32,
}

impl<B: OwnedBuf> Event for SendZc<B> {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        let len = u32::try_from(self.buf.len()).unwrap_or(u32::MAX);
        // SAFETY: the buffer is the event's, on the heap, and outlives the request — up to the
        // notification CQE, which the registry waits for.
        unsafe { op::send_zc(sqe, self.fd, self.buf.as_ptr(), len, self.flags, 0) };
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        this.buf.into_cancellation()
    }
}

/// A `msghdr` with its one iovec, its address and the buffer the iovec names, in one heap
/// block: moving the event moves none of what the kernel reads or writes.
struct Msg<B: OwnedBuf> {
    hdr: libc::msghdr,
    iov: libc::iovec,
    addr: RawAddr,
    has_addr: bool,
    buf: B,
}

// SAFETY: the raw pointers in `hdr` and `iov` point only into this same heap block and into
// `buf`'s bytes, which the `Msg` owns; `B` is `Send`, and the pointers are only handed to the
// kernel, never dereferenced on another thread.
unsafe impl<B: OwnedBuf> core::marker::Send for Msg<B> {}

impl<B: OwnedBuf> Msg<B> {
    /// A message for `buf`, with `addr` as its address (`None`: no address).
    fn new(buf: B, addr: Option<RawAddr>) -> Box<Msg<B>> {
        Box::new(Msg {
            // SAFETY: `msghdr` and `iovec` are integers and raw pointers; all-zero (null
            // pointers, zero lengths) is a valid value of each. `arm` fills them in.
            hdr: unsafe { core::mem::zeroed() },
            // SAFETY: as above.
            iov: unsafe { core::mem::zeroed() },
            has_addr: addr.is_some(),
            addr: addr.unwrap_or_else(RawAddr::unspecified),
            buf,
        })
    }

    /// Points the header at the iovec and the address, and the iovec at the buffer, all in
    /// their current (heap) places; returns the header for the SQE.
    fn arm(&mut self) -> *mut libc::msghdr {
        self.iov.iov_base = self.buf.as_mut_ptr().cast();
        self.iov.iov_len = self.buf.len();
        self.hdr.msg_iov = &mut self.iov;
        self.hdr.msg_iovlen = 1;
        if self.has_addr {
            self.hdr.msg_name = (&mut self.addr.storage as *mut libc::sockaddr_storage).cast();
            self.hdr.msg_namelen = self.addr.len;
        }
        &mut self.hdr
    }
}

impl<B: OwnedBuf> core::fmt::Debug for Msg<B> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Msg")
            .field("addr", &self.addr)
            .field("len", &self.buf.len())
            .field("msg_flags", &self.hdr.msg_flags)
            .finish()
    }
}

/// `IORING_OP_SENDMSG` of one buffer, to an address or (without one) to a connected
/// socket's peer: a datagram's `sendto`. Result: bytes sent.
#[derive(Debug)]
pub struct SendMsg<B: OwnedBuf> {
    fd: i32,
    flags: i32,
    msg: Box<Msg<B>>,
}

impl<B: OwnedBuf> SendMsg<B> {
    /// Sends `buf` on socket `fd` to `addr` (`None`: the connected peer) with `MSG_*` `flags`.
    pub fn new(fd: i32, buf: B, addr: Option<SocketAddr>, flags: i32) -> Self {
        SendMsg {
            fd,
            flags,
            msg: Msg::new(buf, addr.map(RawAddr::new)),
        }
    }

    /// Gives the buffer back.
    pub fn into_buf(self) -> B {
        self.msg.buf
    }
}

impl<B: OwnedBuf> Event for SendMsg<B> {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        // SAFETY: the header, iovec, address and buffer are the event's, in one heap block
        // (the buffer's bytes in its own), and outlive the request.
        unsafe { op::sendmsg(sqe, self.fd, self.msg.arm(), self.flags) };
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        Cancellation::from_box(this.msg)
    }
}

/// `IORING_OP_RECVMSG` into one buffer, with the sender's address: a datagram's `recvfrom`.
/// Result: bytes received. A datagram longer than the buffer is cut to fit; the rest of it is
/// discarded by the kernel and [`truncated`](RecvMsg::truncated) says so.
#[derive(Debug)]
pub struct RecvMsg<B: OwnedBuf> {
    fd: i32,
    flags: i32,
    msg: Box<Msg<B>>,
}

impl<B: OwnedBuf> RecvMsg<B> {
    /// Receives into `buf` (filled from its start) from socket `fd` with `MSG_*` `flags`.
    pub fn new(fd: i32, buf: B, flags: i32) -> Self {
        RecvMsg {
            fd,
            flags,
            msg: Msg::new(buf, Some(RawAddr::unspecified())),
        }
    }

    /// The sender's address, after a successful receive on an IP socket.
    pub fn peer_addr(&self) -> Option<SocketAddr> {
        let mut addr = self.msg.addr;
        addr.len = self.msg.hdr.msg_namelen;
        if addr.len == 0 {
            return None;
        }
        addr.socket_addr()
    }

    /// True when the datagram was longer than the buffer (`MSG_TRUNC`, as the kernel reported
    /// it after the receive).
    pub fn truncated(&self) -> bool {
        self.msg.hdr.msg_flags & libc::MSG_TRUNC != 0
    }

    /// The buffer.
    pub fn buf(&self) -> &B {
        &self.msg.buf
    }

    /// Gives the buffer back.
    pub fn into_buf(self) -> B {
        self.msg.buf
    }
}

impl<B: OwnedBuf> Event for RecvMsg<B> {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        // SAFETY: the header, iovec, address storage and buffer are the event's, in one heap
        // block (the buffer's bytes in its own), and outlive the request; the kernel writes
        // the address, its length and the flags back into that block.
        unsafe { op::recvmsg(sqe, self.fd, self.msg.arm(), self.flags) };
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        Cancellation::from_box(this.msg)
    }
}

/// `IORING_OP_SHUTDOWN`: `shutdown(fd, how)` (`SHUT_RD`, `SHUT_WR`, `SHUT_RDWR`).
#[derive(Clone, Copy, Debug)]
pub struct Shutdown {
    /// The socket.
    pub fd: i32,
    /// Which directions to shut.
    pub how: i32,
}

impl Event for Shutdown {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        op::shutdown(sqe, self.fd, self.how);
    }

    unsafe fn cancel(_: &mut ManuallyDrop<Self>) -> Cancellation {
        Cancellation::null()
    }
}
