//! `tcp_echo_server [ADDR] [CONNECTIONS]`: an echo server on `ringcore::net`, one thread, one
//! `LocalDriver` — every connection is a future, all polled by the driver's `block_on`, which
//! submits their requests in one batch per turn. Connections come from one multishot accept.
//! Serves CONNECTIONS connections (default: no limit) and exits when they are done.

use futures::stream::{FuturesUnordered, StreamExt};
use ringcore::driver::{Drive, LocalDriver};
use ringcore::net::{TcpListener, TcpStream};
use std::future::poll_fn;
use std::task::Poll;

fn main() {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:7878".into());
    let limit: usize = args
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX);
    if let Err(e) = serve(&addr, limit) {
        eprintln!("tcp_echo_server: {e}");
        std::process::exit(1);
    }
}

fn serve(addr: &str, limit: usize) -> Result<(), Box<dyn std::error::Error>> {
    let driver = LocalDriver::new(256)?;
    let listener = TcpListener::bind_on(addr, &driver)?;
    println!("listening on {}", listener.local_addr()?);
    let mut incoming = listener.incoming();
    let mut connections = FuturesUnordered::new();
    let (mut accepted, mut done) = (0, 0);
    driver.block_on(poll_fn(|cx| {
        while accepted < limit {
            match incoming.poll_next(cx) {
                Poll::Ready(Some(Ok(stream))) => {
                    accepted += 1;
                    connections.push(echo(stream));
                }
                Poll::Ready(Some(Err(e))) => eprintln!("accept: {e}"),
                Poll::Ready(None) => return Poll::Ready(()),
                Poll::Pending => break,
            }
        }
        while let Poll::Ready(Some(result)) = connections.poll_next_unpin(cx) {
            done += 1;
            if let Err(e) = result {
                eprintln!("connection: {e}");
            }
        }
        if accepted == limit && done == limit {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }))?;
    Ok(())
}

/// Echoes one connection until the client shuts down its side.
async fn echo<D: Drive + Clone>(mut stream: TcpStream<D>) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let (mut rd, mut wr) = stream.split();
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = rd.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        let mut data = &buf[..n];
        while !data.is_empty() {
            // Accepted at once; the send runs while the next read is in flight.
            let k = wr.write(data).await?;
            data = &data[k..];
        }
    }
    wr.shutdown().await
}
