//! The echo server most users run today: tokio's current-thread runtime over epoll, a task
//! per connection.

use crate::Error;
use std::os::fd::OwnedFd;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

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

/// Echoes on every connection until the peer closes it; returns the bytes echoed.
///
/// # Errors
/// The runtime could not start, or a read or write failed.
pub fn echo_server(fds: Vec<OwnedFd>) -> Result<u64, Error> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    rt.block_on(async move {
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
