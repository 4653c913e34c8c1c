//! `echo_client [ADDR] [MESSAGES]`: connects to an echo server with `Socket` and `Connect`
//! events, sends numbered lines and checks that each comes back unchanged.

use ringcore::driver::LocalDriver;
use ringcore::event::events::{Close, Connect, Recv, Send, Shutdown, Socket};
use ringcore::Errno;
use std::net::SocketAddr;

fn main() {
    let mut args = std::env::args().skip(1);
    let addr: SocketAddr = match args
        .next()
        .unwrap_or_else(|| "127.0.0.1:7878".into())
        .parse()
    {
        Ok(a) => a,
        Err(e) => {
            eprintln!("echo_client: bad address: {e}");
            std::process::exit(2);
        }
    };
    let messages: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    match run(addr, messages) {
        Ok(bytes) => println!("{messages} messages, {bytes} bytes echoed"),
        Err(e) => {
            eprintln!("echo_client: {e}");
            std::process::exit(1);
        }
    }
}

fn run(addr: SocketAddr, messages: usize) -> Result<usize, Errno> {
    let driver = LocalDriver::new(8)?;
    driver.block_on(async {
        let domain = if addr.is_ipv4() {
            libc::AF_INET
        } else {
            libc::AF_INET6
        };
        let socket = Socket {
            domain,
            socket_type: libc::SOCK_STREAM | libc::SOCK_CLOEXEC,
            protocol: 0,
        };
        let fd = driver.submit_event(socket).await.1? as i32;
        driver.submit_event(Connect::new(fd, addr)).await.1?;
        let mut total = 0;
        for i in 0..messages {
            let line = format!("message {i} from ringcore\n").into_bytes();
            let (send, res) = driver
                .submit_event(Send {
                    fd,
                    buf: line,
                    flags: libc::MSG_NOSIGNAL,
                })
                .await;
            let sent = res? as usize;
            let line = send.buf;
            if sent != line.len() {
                return Err(Errno::EIO);
            }
            let mut echoed = Vec::new();
            while echoed.len() < line.len() {
                let (recv, res) = driver
                    .submit_event(Recv {
                        fd,
                        buf: vec![0u8; line.len() - echoed.len()],
                        flags: 0,
                    })
                    .await;
                let n = res? as usize;
                if n == 0 {
                    return Err(Errno::ECONNRESET);
                }
                echoed.extend_from_slice(&recv.buf[..n]);
            }
            if echoed != line {
                return Err(Errno::EIO);
            }
            total += echoed.len();
        }
        driver
            .submit_event(Shutdown {
                fd,
                how: libc::SHUT_WR,
            })
            .await
            .1?;
        // SAFETY: the socket came from the connect above and is not used after this.
        driver.submit_event(unsafe { Close::new(fd) }).await.1?;
        Ok(total)
    })?
}
