//! Echo comparison (ignored; run it in release):
//!
//! ```text
//! cargo test --release -p ringcore --test std_echo_bench -- --ignored --nocapture
//! ```
//!
//! The same client load — 16 connections, each a blocking ping-pong of 64-byte messages for a
//! fixed time — against three single-threaded echo servers: ringcore's `TcpStream` on a
//! `LocalDriver` (the `tcp_echo_server` example), ringcore's `TcpStream` on the background
//! driver under `futures::executor::block_on`, and tokio's (epoll) on a current-thread
//! runtime. Rounds alternate between servers; the best round of each counts. Prints round
//! trips per second and the ratios. `ECHO_SECS` and `ECHO_ROUNDS` override the defaults.

use futures::stream::{FuturesUnordered, StreamExt};
use ringcore::driver::{Drive, LocalDriver};
use ringcore::net::{TcpListener, TcpStream};
use std::future::poll_fn;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::task::Poll;
use std::time::{Duration, Instant};

const CONNS: usize = 16;

/// A server: runs on its own thread, sends its address, serves `CONNS` connections.
type Server = fn(std::sync::mpsc::Sender<SocketAddr>);
const MSG: usize = 64;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Echoes one connection until the peer closes it.
async fn ringcore_echo<D: Drive + Clone>(mut stream: TcpStream<D>) {
    stream.set_nodelay(true).unwrap();
    let (mut rd, mut wr) = stream.split();
    let mut buf = [0u8; 4096];
    loop {
        let n = rd.read(&mut buf).await.unwrap();
        if n == 0 {
            break;
        }
        let mut data = &buf[..n];
        while !data.is_empty() {
            let k = wr.write(data).await.unwrap();
            data = &data[k..];
        }
    }
    wr.flush().await.unwrap();
}

/// Accepts `CONNS` connections and serves them all until they close.
async fn ringcore_server<D: Drive + Clone>(listener: &TcpListener<D>) {
    let mut incoming = listener.incoming();
    let mut handlers = FuturesUnordered::new();
    let (mut accepted, mut done) = (0, 0);
    poll_fn(|cx| {
        while accepted < CONNS {
            match incoming.poll_next(cx) {
                Poll::Ready(conn) => {
                    handlers.push(ringcore_echo(conn.unwrap().unwrap()));
                    accepted += 1;
                }
                Poll::Pending => break,
            }
        }
        while let Poll::Ready(Some(())) = handlers.poll_next_unpin(cx) {
            done += 1;
        }
        if done == CONNS {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await
}

fn serve_ringcore_local(addr_tx: std::sync::mpsc::Sender<SocketAddr>) {
    let driver = LocalDriver::new(256).unwrap();
    let listener = TcpListener::bind_on("127.0.0.1:0", &driver).unwrap();
    addr_tx.send(listener.local_addr().unwrap()).unwrap();
    driver.block_on(ringcore_server(&listener)).unwrap();
}

fn serve_ringcore_background(addr_tx: std::sync::mpsc::Sender<SocketAddr>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    addr_tx.send(listener.local_addr().unwrap()).unwrap();
    futures::executor::block_on(ringcore_server(&listener));
}

fn serve_tokio(addr_tx: std::sync::mpsc::Sender<SocketAddr>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        addr_tx.send(listener.local_addr().unwrap()).unwrap();
        let mut tasks = Vec::new();
        for _ in 0..CONNS {
            let (mut stream, _) = listener.accept().await.unwrap();
            stream.set_nodelay(true).unwrap();
            tasks.push(tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                loop {
                    let n = stream.read(&mut buf).await.unwrap();
                    if n == 0 {
                        break;
                    }
                    stream.write_all(&buf[..n]).await.unwrap();
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
    });
}

/// Runs `server` on a thread, drives it with `CONNS` ping-pong clients for `secs`, and
/// returns round trips per second.
fn measure(server: Server, secs: u64) -> f64 {
    let (tx, rx) = std::sync::mpsc::channel();
    let server = std::thread::spawn(move || server(tx));
    let addr = rx.recv().unwrap();
    let start = Instant::now();
    let deadline = start + Duration::from_secs(secs);
    let clients: Vec<_> = (0..CONNS)
        .map(|c| {
            std::thread::spawn(move || {
                let mut s = std::net::TcpStream::connect(addr).unwrap();
                s.set_nodelay(true).unwrap();
                let mut msg = [c as u8; MSG];
                let mut back = [0u8; MSG];
                let mut trips = 0u64;
                while Instant::now() < deadline {
                    msg[1] = trips as u8;
                    s.write_all(&msg).unwrap();
                    s.read_exact(&mut back).unwrap();
                    assert_eq!(back, msg, "echo differs");
                    trips += 1;
                }
                trips
            })
        })
        .collect();
    let trips: u64 = clients.into_iter().map(|c| c.join().unwrap()).sum();
    let elapsed = start.elapsed().as_secs_f64();
    server.join().unwrap();
    trips as f64 / elapsed
}

#[test]
#[ignore = "benchmark: run in release with --ignored --nocapture"]
fn echo_16_connections_ringcore_vs_tokio() {
    let secs = env_or("ECHO_SECS", 2);
    let rounds = env_or("ECHO_ROUNDS", 3);
    let servers: [(&str, Server); 3] = [
        ("ringcore LocalDriver", serve_ringcore_local),
        ("ringcore background", serve_ringcore_background),
        ("tokio current_thread", serve_tokio),
    ];
    let mut best = [0f64; 3];
    for round in 0..rounds {
        for (i, (name, server)) in servers.iter().enumerate() {
            let rate = measure(*server, secs);
            println!("round {round}: {name:22} {rate:>10.0} round trips/s");
            best[i] = best[i].max(rate);
        }
    }
    println!("best of {rounds} x {secs}s, {CONNS} connections, {MSG}-byte ping-pong:");
    for (i, (name, _)) in servers.iter().enumerate() {
        println!(
            "  {name:22} {:>10.0} round trips/s  ({:.2}x tokio)",
            best[i],
            best[i] / best[2]
        );
    }
}
