//! `tcp_echo_client [ADDR] [CONNECTIONS] [MESSAGES]`: CONNECTIONS (default 16) concurrent
//! connections, each sending MESSAGES (default 10000) 64-byte messages one at a time and
//! checking every echoed byte; prints round trips per second. Runs on the background driver
//! under `futures::executor::block_on`.

use futures::future::try_join_all;
use ringcore::net::TcpStream;
use std::net::SocketAddr;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:7878".into());
    let conns: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(16);
    let msgs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let addr: SocketAddr = match addr.parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("tcp_echo_client: {addr}: {e}");
            std::process::exit(2);
        }
    };
    let start = Instant::now();
    let result =
        futures::executor::block_on(try_join_all((0..conns).map(|c| ping_pong(addr, c, msgs))));
    if let Err(e) = result {
        eprintln!("tcp_echo_client: {e}");
        std::process::exit(1);
    }
    let secs = start.elapsed().as_secs_f64();
    let trips = conns * msgs;
    println!(
        "{trips} round trips over {conns} connections in {secs:.2}s: {:.0}/s",
        trips as f64 / secs
    );
}

async fn ping_pong(addr: SocketAddr, conn: usize, msgs: usize) -> std::io::Result<()> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let mut msg = [conn as u8; 64];
    let mut back = [0u8; 64];
    for i in 0..msgs {
        msg[1..9].copy_from_slice(&(i as u64).to_le_bytes());
        stream.write_all(&msg).await?;
        stream.read_exact(&mut back).await?;
        if back != msg {
            return Err(std::io::Error::other(format!(
                "connection {conn}: echo differs"
            )));
        }
    }
    stream.shutdown(std::net::Shutdown::Write).await
}
