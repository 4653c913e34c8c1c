//! `ringcore::net` against the kernel: TCP and Unix listeners and streams on the background
//! driver and on given drivers, one-shot and multishot accept, shutdown, and an echo of
//! 100 concurrent connections moving 10 MiB each with every byte checked.

use futures::executor::block_on;
use futures::future::join_all;
use futures::stream::{FuturesUnordered, StreamExt};
use ringcore::driver::SharedDriver;
use ringcore::net::{TcpListener, TcpStream, UnixListener, UnixStream};
use std::future::poll_fn;
use std::net::{Shutdown, SocketAddr};
use std::task::Poll;
use std::time::Instant;

fn localhost() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

#[test]
fn tcp_accept_connect_read_write() {
    let listener = TcpListener::bind(localhost()).unwrap();
    let addr = listener.local_addr().unwrap();
    block_on(async {
        let (client, accepted) = futures::join!(TcpStream::connect(addr), listener.accept());
        let mut client = client.unwrap();
        let (mut server, peer) = accepted.unwrap();
        assert_eq!(peer, client.local_addr().unwrap());
        assert_eq!(client.peer_addr().unwrap(), addr);
        client.set_nodelay(true).unwrap();

        client.write_all(b"hello over io_uring").await.unwrap();
        let mut buf = [0u8; 19];
        server.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"hello over io_uring");

        server.write_all(b"pong").await.unwrap();
        server.shutdown(Shutdown::Write).await.unwrap();
        let mut back = [0u8; 8];
        let n = client.read(&mut back).await.unwrap();
        assert_eq!(&back[..n], b"pong");
        assert_eq!(
            client.read(&mut back).await.unwrap(),
            0,
            "end of stream after shutdown"
        );
        client.close().await.unwrap();
    });
}

#[test]
fn tcp_connect_refused_is_an_error() {
    // Bind then drop a std listener: its port is (almost certainly) closed now.
    let addr = std::net::TcpListener::bind(localhost())
        .unwrap()
        .local_addr()
        .unwrap();
    let err = block_on(TcpStream::connect(addr)).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
}

#[test]
fn tcp_incoming_multishot() {
    let listener = TcpListener::bind(localhost()).unwrap();
    let addr = listener.local_addr().unwrap();
    const N: usize = 20;
    block_on(async {
        let server = async {
            let mut incoming = listener.incoming();
            let mut seen = Vec::new();
            for _ in 0..N {
                let mut stream = incoming.next().await.unwrap().unwrap();
                let mut id = [0u8; 1];
                stream.read_exact(&mut id).await.unwrap();
                stream.write_all(&[id[0], b'!']).await.unwrap();
                seen.push(id[0]);
            }
            seen.sort_unstable();
            seen
        };
        let clients = join_all((0..N as u8).map(|id| async move {
            let mut s = TcpStream::connect(addr).await.unwrap();
            s.write_all(&[id]).await.unwrap();
            let mut reply = [0u8; 2];
            s.read_exact(&mut reply).await.unwrap();
            assert_eq!(reply, [id, b'!']);
        }));
        let (seen, _) = futures::join!(server, clients);
        assert_eq!(seen, (0..N as u8).collect::<Vec<_>>());
    });
}

#[test]
fn unix_listener_and_pair() {
    let path = std::env::temp_dir().join(format!("ringcore-std-net-{}.sock", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path).unwrap();
    block_on(async {
        let (client, server) = futures::join!(UnixStream::connect(&path), listener.accept());
        let (mut client, mut server) = (client.unwrap(), server.unwrap());
        client.write_all(b"unix says hi").await.unwrap();
        let mut buf = [0u8; 12];
        server.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"unix says hi");

        let mut incoming = listener.incoming();
        let mut second = UnixStream::connect(&path).await.unwrap();
        let err = UnixStream::connect(path.with_extension("missing"))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
        let long = std::path::PathBuf::from("x".repeat(200));
        let err = UnixStream::connect(long).await.unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
        let mut accepted = incoming.next().await.unwrap().unwrap();
        second.write_all(b"2").await.unwrap();
        accepted.read_exact(&mut buf[..1]).await.unwrap();
        assert_eq!(buf[0], b'2');

        let (mut a, mut b) = UnixStream::pair().unwrap();
        a.write_all(b"pair").await.unwrap();
        a.shutdown(Shutdown::Write).await.unwrap();
        let mut got = Vec::new();
        let mut chunk = [0u8; 3];
        loop {
            let n = b.read(&mut chunk).await.unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&chunk[..n]);
        }
        assert_eq!(got, b"pair");
    });
    drop(listener);
    let _ = std::fs::remove_file(&path);
}

#[test]
fn streams_on_a_given_shared_driver() {
    let driver = SharedDriver::new(64).unwrap();
    let listener = TcpListener::bind_on(localhost(), driver.clone()).unwrap();
    let addr = listener.local_addr().unwrap();
    driver
        .block_on(async {
            let (client, accepted) = futures::join!(
                TcpStream::connect_on(addr, driver.clone()),
                listener.accept()
            );
            let mut client = client.unwrap();
            let (mut server, _) = accepted.unwrap();
            let data: Vec<u8> = (0..200_000u32).map(|i| (i % 253) as u8).collect();
            let (mut rd, mut wr) = server.split();
            let echo = async {
                let mut buf = vec![0u8; 10_000];
                loop {
                    let n = rd.read(&mut buf).await.unwrap();
                    if n == 0 {
                        break;
                    }
                    wr.write_all(&buf[..n]).await.unwrap();
                }
                wr.shutdown().await.unwrap();
            };
            let (mut crd, mut cwr) = client.split();
            let send = async {
                cwr.write_all(&data).await.unwrap();
                cwr.shutdown().await.unwrap();
            };
            let recv = async {
                let mut got = Vec::new();
                let mut buf = vec![0u8; 7_000];
                loop {
                    let n = crd.read(&mut buf).await.unwrap();
                    if n == 0 {
                        break got;
                    }
                    got.extend_from_slice(&buf[..n]);
                }
            };
            let (_, _, got) = futures::join!(echo, send, recv);
            assert!(got == data, "echoed bytes differ");
        })
        .unwrap();
}

/// A pattern whose period (a prime) is not a multiple of any chunk size, so a byte moved to
/// the wrong place or connection is caught; connection `conn` starts at `conn * 7919`.
const PERIOD: usize = 65_521;

fn pattern() -> Vec<u8> {
    // Twice the period plus a chunk, so any window of a chunk is one slice.
    (0..2 * PERIOD + 64 * 1024)
        .map(|i| (((i % PERIOD) * 131) ^ ((i % PERIOD) >> 9)) as u8)
        .collect()
}

/// Bytes `at..at + len` of connection `conn`'s stream (`len` at most 64 KiB).
fn expected(pattern: &[u8], conn: usize, at: usize, len: usize) -> &[u8] {
    let start = (at + conn * 7919) % PERIOD;
    &pattern[start..start + len]
}

/// Echoes one connection until the peer shuts down; returns the bytes echoed.
async fn echo_connection(mut stream: TcpStream) -> usize {
    let (mut rd, mut wr) = stream.split();
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0;
    loop {
        let n = rd.read(&mut buf).await.unwrap();
        if n == 0 {
            break;
        }
        total += n;
        wr.write_all(&buf[..n]).await.unwrap();
    }
    wr.shutdown().await.unwrap();
    total
}

/// 100 connections, 10 MiB each way, every byte checked, all on the background driver under
/// `futures::executor::block_on` (one thread polls; the reaper thread reaps).
#[test]
fn echo_100_connections_10_mib_each() {
    const CONNS: usize = 100;
    const BYTES: usize = 10 << 20;
    const CHUNK: usize = 64 * 1024;
    let listener = TcpListener::bind(localhost()).unwrap();
    let addr = listener.local_addr().unwrap();
    let pattern = pattern();
    let start = Instant::now();
    let echoed = block_on(async {
        let server = async {
            let mut incoming = listener.incoming();
            let mut handlers = FuturesUnordered::new();
            let (mut accepted, mut done) = (0, 0);
            poll_fn(|cx| {
                while accepted < CONNS {
                    match incoming.poll_next(cx) {
                        Poll::Ready(conn) => {
                            handlers.push(echo_connection(conn.unwrap().unwrap()));
                            accepted += 1;
                        }
                        Poll::Pending => break,
                    }
                }
                while let Poll::Ready(Some(total)) = handlers.poll_next_unpin(cx) {
                    assert_eq!(total, BYTES);
                    done += 1;
                }
                if done == CONNS {
                    Poll::Ready(())
                } else {
                    Poll::Pending
                }
            })
            .await
        };
        let pattern = &pattern;
        let clients = join_all((0..CONNS).map(|conn| async move {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            let (mut rd, mut wr) = stream.split();
            let send = async {
                let mut sent = 0;
                while sent < BYTES {
                    let n = CHUNK.min(BYTES - sent);
                    wr.write_all(expected(pattern, conn, sent, n))
                        .await
                        .unwrap();
                    sent += n;
                }
                wr.shutdown().await.unwrap();
            };
            let recv = async {
                let mut buf = vec![0u8; CHUNK];
                let mut got = 0;
                loop {
                    let n = rd.read(&mut buf).await.unwrap();
                    if n == 0 {
                        break;
                    }
                    assert!(
                        buf[..n] == *expected(pattern, conn, got, n),
                        "conn {conn}: bytes {got}..{} differ",
                        got + n
                    );
                    got += n;
                }
                got
            };
            let ((), got) = futures::join!(send, recv);
            got
        }));
        let ((), totals) = futures::join!(server, clients);
        totals
    });
    let elapsed = start.elapsed();
    assert_eq!(echoed.len(), CONNS);
    assert!(
        echoed.iter().all(|&n| n == BYTES),
        "a connection came up short"
    );
    println!(
        "echo: {CONNS} connections x {} MiB each way in {:.2?} ({:.0} MiB/s each way)",
        BYTES >> 20,
        elapsed,
        (CONNS * BYTES) as f64 / (1 << 20) as f64 / elapsed.as_secs_f64()
    );
}

/// A loopback port nobody listens on (a std listener's, closed again).
fn closed_port() -> SocketAddr {
    std::net::TcpListener::bind(localhost())
        .unwrap()
        .local_addr()
        .unwrap()
}

#[test]
fn bind_and_connect_take_any_to_socket_addrs() {
    // Strings and (host, port) pairs, as std takes them.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let pair = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    assert!(pair.local_addr().unwrap().ip().is_loopback());
    block_on(async {
        let (client, accepted) = futures::join!(
            TcpStream::connect(format!("127.0.0.1:{}", addr.port())),
            listener.accept()
        );
        assert_eq!(client.unwrap().local_addr().unwrap(), accepted.unwrap().1);

        // Several addresses: tried in turn until one connects.
        let (refused, also_refused) = (closed_port(), closed_port());
        // (The kernel completes the handshake into the backlog: connect first, accept after,
        // so a connect that gave up fails the test instead of hanging it.)
        let client = TcpStream::connect(&[refused, addr][..]).await.unwrap();
        assert_eq!(client.peer_addr().unwrap(), addr);
        let (_, peer) = listener.accept().await.unwrap();
        assert_eq!(client.local_addr().unwrap(), peer);

        // None connects: the last error.
        let err = TcpStream::connect(&[refused, also_refused][..])
            .await
            .unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
        // No address at all.
        let none: &[SocketAddr] = &[];
        let err = TcpStream::connect(none).await.unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
        // Not an address, and not looked up as a host name either.
        let err = TcpStream::connect("127.0.0.1").await.unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    });

    // bind: each address until one binds; none: InvalidInput.
    let foreign: SocketAddr = "192.0.2.1:0".parse().unwrap();
    let err = TcpListener::bind(foreign).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EADDRNOTAVAIL));
    let second = TcpListener::bind(&[foreign, localhost()][..]).unwrap();
    assert!(second.local_addr().unwrap().ip().is_loopback());
    let none: &[SocketAddr] = &[];
    assert_eq!(
        TcpListener::bind(none).unwrap_err().kind(),
        std::io::ErrorKind::InvalidInput
    );

    // The same on a driver of the caller's.
    let driver = ringcore::driver::LocalDriver::new(16).unwrap();
    let listener = TcpListener::bind_on("127.0.0.1:0", &driver).unwrap();
    let port = listener.local_addr().unwrap().port();
    let addrs: [SocketAddr; 2] = [closed_port(), ([127, 0, 0, 1], port).into()];
    let client = driver
        .block_on(TcpStream::connect_on(&addrs[..], &driver))
        .unwrap()
        .unwrap();
    let (_, peer) = driver.block_on(listener.accept()).unwrap().unwrap();
    assert_eq!(client.local_addr().unwrap(), peer);
}

/// `Incoming` is a `futures_core::Stream`: `StreamExt`'s `next`, `take` and `collect` drive
/// it, on a `LocalDriver`.
#[cfg(any(feature = "tokio", feature = "futures-io"))]
#[test]
fn incoming_is_a_stream() {
    let driver = ringcore::driver::LocalDriver::new(64).unwrap();
    let listener = TcpListener::bind_on("127.0.0.1:0", &driver).unwrap();
    let addr = listener.local_addr().unwrap();
    const N: usize = 8;
    driver
        .block_on(async {
            let mut incoming = listener.incoming();
            let server = async {
                // `StreamExt::next` (the inherent `next` would shadow it in method syntax).
                let first = StreamExt::next(&mut incoming).await.unwrap().unwrap();
                let rest: Vec<_> = (&mut incoming).take(N - 1).collect().await;
                let mut peers: Vec<SocketAddr> = std::iter::once(first)
                    .chain(rest.into_iter().map(Result::unwrap))
                    .map(|s| s.peer_addr().unwrap())
                    .collect();
                peers.sort();
                peers
            };
            let clients = join_all((0..N).map(|_| TcpStream::connect_on(addr, &driver)));
            let (peers, clients) = futures::join!(server, clients);
            let mut locals: Vec<SocketAddr> = clients
                .iter()
                .map(|c| c.as_ref().unwrap().local_addr().unwrap())
                .collect();
            locals.sort();
            assert_eq!(peers, locals);
        })
        .unwrap();
}
