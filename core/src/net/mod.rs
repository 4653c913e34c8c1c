//! Async TCP, UDP and Unix-domain sockets on the ring (needs `std`).
//!
//! [`TcpListener`] / [`UnixListener`] accept one connection at a time or as a multishot
//! stream ([`Incoming`]); [`TcpStream`] / [`UnixStream`] read and write through buffers they
//! own (see [`File`](crate::fs::File) for what that guarantees when futures are dropped) and
//! split into a [`ReadHalf`] and a [`WriteHalf`] that can be polled at the same time.
//! [`UdpSocket`] sends and receives datagrams, with or without a connected peer. Addresses
//! are anything [`std::net::ToSocketAddrs`] takes, resolved as std resolves them.
//! Everything runs on [`DefaultDriver::current`](crate::driver::DefaultDriver::current) (the
//! runtime's own threads inside tokio, the background driver elsewhere) unless a driver is given to an `*_on` constructor.

#[macro_use]
mod stream;
mod listener;
mod split;
mod tcp;
mod udp;
mod unix;

pub use listener::Incoming;
pub use split::{ReadHalf, WriteHalf};
pub use tcp::{TcpListener, TcpStream};
pub use udp::UdpSocket;
pub use unix::{UnixListener, UnixStream};
