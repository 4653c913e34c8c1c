//! `echo_server [ADDR] [CONNECTIONS]`: echoes what each client sends, on a driver shared by one
//! thread per connection. Connections are accepted with a multishot accept; after CONNECTIONS
//! of them (default: no limit) the server stops accepting and exits once they are served.

use ringcore::driver::SharedDriver;
use ringcore::event::events::{AcceptMulti, Close, Recv, Send};
use ringcore::Errno;
use std::net::TcpListener;
use std::os::fd::AsRawFd;

fn main() {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:7878".into());
    let limit: usize = args
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX);
    if let Err(e) = serve(&addr, limit) {
        eprintln!("echo_server: {e}");
        std::process::exit(1);
    }
}

fn serve(addr: &str, limit: usize) -> Result<(), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind(addr)?;
    println!("listening on {}", listener.local_addr()?);
    let driver = SharedDriver::new(64)?;
    let mut accepts = driver.multishot(AcceptMulti {
        fd: listener.as_raw_fd(),
        flags: libc::SOCK_CLOEXEC,
    });
    let mut workers = Vec::new();
    let mut accepted = 0;
    while accepted < limit {
        let Some(completion) = driver.block_on(accepts.next())? else {
            break;
        };
        let fd = completion.result? as i32;
        accepted += 1;
        let driver = driver.clone();
        workers.push(std::thread::spawn(move || {
            if let Err(e) = driver.block_on(echo(&driver, fd)).and_then(|r| r) {
                eprintln!("connection {fd}: {e}");
            }
        }));
    }
    accepts.cancel();
    while driver.block_on(accepts.next())?.is_some() {}
    for worker in workers {
        let _ = worker.join();
    }
    Ok(())
}

/// Echoes one connection until the client closes it; one buffer goes back and forth.
async fn echo(driver: &SharedDriver, fd: i32) -> Result<(), Errno> {
    let mut buf = vec![0u8; 4096];
    loop {
        let (recv, res) = driver.submit_event(Recv { fd, buf, flags: 0 }).await;
        let n = res? as usize;
        if n == 0 {
            break;
        }
        let mut data = recv.buf;
        data.truncate(n);
        while !data.is_empty() {
            let (send, res) = driver
                .submit_event(Send {
                    fd,
                    buf: data,
                    flags: libc::MSG_NOSIGNAL,
                })
                .await;
            let sent = res? as usize;
            data = send.buf;
            data.drain(..sent);
        }
        data.resize(4096, 0);
        buf = data;
    }
    // SAFETY: this connection's socket, accepted for this task alone, is not used after this.
    driver
        .submit_event(unsafe { Close::new(fd) })
        .await
        .1
        .map(|_| ())
}
