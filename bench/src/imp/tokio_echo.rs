//! The echo server most users run today: tokio over epoll (`tokio::net`), a task per
//! connection, on the current-thread or the multi-thread runtime.

use crate::Error;
use std::os::fd::OwnedFd;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A tokio runtime with I/O enabled: current-thread, or multi-thread with tokio's default
/// worker count (one per core).
///
/// # Errors
/// The runtime could not start.
pub fn runtime(multi_thread: bool) -> std::io::Result<tokio::runtime::Runtime> {
    let mut b = if multi_thread {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    b.enable_io().build()
}

/// Echoes on one connection until its peer closes it; returns the bytes echoed.
async fn echo_conn(mut s: tokio::net::TcpStream) -> std::io::Result<u64> {
    let mut buf = [0u8; super::ECHO_BUF];
    let mut bytes = 0;
    loop {
        let n = s.read(&mut buf).await?;
        if n == 0 {
            return Ok(bytes);
        }
        s.write_all(&buf[..n]).await?;
        bytes += n as u64;
    }
}

/// Echoes on every connection until the peer closes it, on the current-thread runtime;
/// returns the bytes echoed.
///
/// # Errors
/// The runtime could not start, or a read or write failed.
pub fn echo_server(fds: Vec<OwnedFd>) -> Result<u64, Error> {
    echo_server_on(false, fds)
}

/// The same on the multi-thread runtime.
///
/// # Errors
/// As [`echo_server`].
pub fn echo_server_mt(fds: Vec<OwnedFd>) -> Result<u64, Error> {
    echo_server_on(true, fds)
}

fn echo_server_on(multi_thread: bool, fds: Vec<OwnedFd>) -> Result<u64, Error> {
    runtime(multi_thread)?.block_on(async move {
        let mut tasks = Vec::with_capacity(fds.len());
        for fd in fds {
            let s = std::net::TcpStream::from(fd);
            s.set_nonblocking(true)?;
            tasks.push(tokio::spawn(echo_conn(tokio::net::TcpStream::from_std(s)?)));
        }
        let mut bytes = 0;
        for t in tasks {
            bytes += t.await??;
        }
        Ok(bytes)
    })
}
