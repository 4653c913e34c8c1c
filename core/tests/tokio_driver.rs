//! The tokio integration: ringcore's std types inside a tokio runtime run on rings that live
//! on the runtime's own threads — no ringcore thread, no `unsafe` in user code.
#![cfg(feature = "tokio")]
#![forbid(unsafe_code)]

use ringcore::driver::{DefaultDriver, TokioDriver};
use ringcore::net::{TcpListener, TcpStream};
use std::net::SocketAddr;
use std::time::Duration;

/// Names of the process's threads (`/proc/self/task/*/comm`).
fn thread_names() -> Vec<String> {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
        .map(|n| n.trim().to_string())
        .collect()
}

const CLIENTS: usize = 256;
const ROUNDS: usize = 20;

/// An echo server on ringcore::net, 256 concurrent tokio::net clients, each checking every
/// echo; returns the process's thread names seen while all clients were connected.
async fn echo_256() -> Vec<String> {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    assert!(
        matches!(listener.driver(), DefaultDriver::Tokio(_)),
        "inside a runtime the default driver is tokio's"
    );
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        loop {
            let (mut stream, _) = listener.accept().await.unwrap();
            tokio::spawn(async move {
                let mut buf = [0u8; 64];
                loop {
                    let n = stream.read(&mut buf).await.unwrap();
                    if n == 0 {
                        return;
                    }
                    stream.write_all(&buf[..n]).await.unwrap();
                    stream.flush().await.unwrap();
                }
            });
        }
    });
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(CLIENTS + 1));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let barrier = barrier.clone();
            tokio::spawn(client(addr, c, barrier))
        })
        .collect();
    barrier.wait().await;
    let threads = thread_names();
    for c in clients {
        c.await.unwrap();
    }
    server.abort();
    threads
}

async fn client(addr: SocketAddr, c: usize, barrier: std::sync::Arc<tokio::sync::Barrier>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.set_nodelay(true).unwrap();
    let mut msg = [0u8; 64];
    let mut back = [0u8; 64];
    for r in 0..ROUNDS {
        msg.iter_mut()
            .enumerate()
            .for_each(|(i, b)| *b = (c * 31 + r * 7 + i) as u8);
        s.write_all(&msg).await.unwrap();
        s.read_exact(&mut back).await.unwrap();
        assert_eq!(msg, back, "client {c} round {r}");
        if r == 0 {
            barrier.wait().await;
        }
    }
}

fn assert_no_ringcore_thread(threads: &[String]) {
    println!("{} threads while serving: {threads:?}", threads.len());
    assert!(
        !threads.iter().any(|t| t.starts_with("ringcore")),
        "a ringcore thread runs: {threads:?}"
    );
}

#[test]
fn echo_server_serves_256_clients_on_the_current_thread_runtime() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let threads = rt.block_on(echo_256());
    assert_no_ringcore_thread(&threads);
}

#[test]
fn echo_server_serves_256_clients_on_the_multi_thread_runtime() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let threads = rt.block_on(echo_256());
    assert_no_ringcore_thread(&threads);
}

/// A connected pair: a ringcore stream (default driver) and a tokio one.
async fn pair() -> (TcpStream, tokio::net::TcpStream) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (ours, theirs) = tokio::join!(TcpStream::connect(addr), listener.accept());
    (ours.unwrap(), theirs.unwrap().0)
}

#[test]
fn dropping_futures_mid_flight_and_shutting_down_with_reads_in_flight() {
    use tokio::io::AsyncWriteExt;
    for round in 0..3 {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let mut peers = Vec::new();
            for _ in 0..16 {
                let (mut ours, theirs) = pair().await;
                // A read that never completes, dropped mid-flight by a timeout...
                let mut buf = [0u8; 16];
                let r = tokio::time::timeout(Duration::from_millis(5), ours.read(&mut buf)).await;
                assert!(r.is_err(), "nothing was sent");
                // ... and another left in flight in a task the runtime drops at shutdown.
                let task = tokio::spawn(async move {
                    let mut buf = [0u8; 16];
                    let _ = ours.read(&mut buf).await;
                    buf
                });
                peers.push((task, theirs));
            }
            // Half the tasks aborted, the other half still reading at shutdown.
            for (task, _) in peers.iter().step_by(2) {
                task.abort();
            }
            tokio::task::yield_now().await;
            // The peers write into buffers of reads that were given up.
            for (_, theirs) in &mut peers {
                let _ = theirs.write_all(b"late bytes, same size").await;
            }
        });
        drop(rt);
        println!("round {round}: runtime shut down with reads in flight");
    }
    // A new runtime on this thread gets a working ring.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (mut ours, mut theirs) = pair().await;
        use tokio::io::AsyncWriteExt;
        theirs.write_all(b"hello").await.unwrap();
        let mut buf = [0u8; 5];
        ours.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"hello");
    });
}

#[test]
fn a_read_started_on_one_thread_completes_polled_from_another() {
    use tokio::io::AsyncWriteExt;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (mut ours, mut theirs) = rt.block_on(pair());
    // Start the read on a worker: polled once, it is in flight on that worker's ring.
    let ours = rt.block_on(async move {
        tokio::spawn(async move {
            let mut buf = [0u8; 8];
            let r = tokio::time::timeout(Duration::from_millis(5), ours.read(&mut buf)).await;
            assert!(r.is_err());
            ours
        })
        .await
        .unwrap()
    });
    // Finish it on a plain thread with another executor: the reaper on the runtime's
    // threads still reaps the ring it went to.
    let reader = std::thread::spawn(move || {
        let mut ours = ours;
        let mut buf = [0u8; 8];
        futures::executor::block_on(ours.read_exact(&mut buf)).unwrap();
        buf
    });
    std::thread::sleep(Duration::from_millis(20));
    rt.block_on(theirs.write_all(b"migrated")).unwrap();
    assert_eq!(&reader.join().unwrap(), b"migrated");
}

#[test]
fn files_on_the_tokio_driver() {
    let dir = std::env::temp_dir().join(format!("ringcore-tokio-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("f");
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &data).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let read = rt.block_on(async {
        let mut f = ringcore::fs::File::open(&path).await.unwrap();
        assert!(matches!(f.driver(), DefaultDriver::Tokio(_)));
        let mut out = Vec::new();
        f.read_to_end(&mut out).await.unwrap();
        out
    });
    assert_eq!(read, data);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn outside_a_runtime_the_tokio_driver_fails_clearly() {
    // (Not `DefaultDriver::current()`: it would start the background driver's thread, which
    // the echo tests check is absent. The std tests cover the default outside tokio.)
    assert!(!TokioDriver::in_runtime());
    let err =
        futures::executor::block_on(ringcore::fs::File::open_on("/dev/null", TokioDriver::new()))
            .unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::ENXIO));
}

#[test]
fn tokio_io_traits_on_ringcore_types() {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
    let dir = std::env::temp_dir().join(format!("ringcore-tokio-io-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("lines");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        // AsyncWrite + AsyncSeek + AsyncBufRead on a File.
        let mut f = ringcore::fs::File::open_with(
            &path,
            libc::O_RDWR | libc::O_CREAT | libc::O_TRUNC,
            0o644,
            TokioDriver::new(),
        )
        .await
        .unwrap();
        AsyncWriteExt::write_all(&mut f, b"one\ntwo\nthree\n")
            .await
            .unwrap();
        AsyncWriteExt::flush(&mut f).await.unwrap();
        assert_eq!(
            AsyncSeekExt::seek(&mut f, std::io::SeekFrom::Start(4))
                .await
                .unwrap(),
            4
        );
        let mut line = String::new();
        f.read_line(&mut line).await.unwrap();
        assert_eq!(line, "two\n");
        let mut exact = [0u8; 5];
        ringcore::fs::File::read_exact(&mut f, &mut exact)
            .await
            .unwrap();
        assert_eq!(&exact, b"three");
        let mut short = [0u8; 4];
        let eof = ringcore::fs::File::read_exact(&mut f, &mut short)
            .await
            .unwrap_err();
        assert_eq!(eof.kind(), std::io::ErrorKind::UnexpectedEof);

        // AsyncRead/AsyncWrite on a socket: tokio::io::copy through a ringcore stream.
        let (mut ours, mut theirs) = pair().await;
        let payload: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
        let sent = payload.clone();
        let writer = tokio::spawn(async move {
            theirs.write_all(&sent).await.unwrap();
            theirs.shutdown().await.unwrap();
            theirs
        });
        let mut got = Vec::new();
        AsyncReadExt::read_to_end(&mut ours, &mut got)
            .await
            .unwrap();
        assert_eq!(got.len(), payload.len());
        assert!(got == payload);
        AsyncWriteExt::shutdown(&mut ours).await.unwrap();
        drop(writer.await.unwrap());
    });
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `Incoming` as a `Stream` inside tokio: a server task takes 16 connections with
/// `StreamExt::take`/`next` and answers each on a task of its own; tokio clients connect to
/// an address given as a string (ringcore clients too, through `ToSocketAddrs`).
async fn incoming_stream_and_string_addresses() {
    use futures::StreamExt;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    const N: usize = 16;
    let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    assert!(matches!(listener.driver(), DefaultDriver::Tokio(_)));
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let mut incoming = listener.incoming();
        let mut handlers = Vec::new();
        while let Some(stream) = StreamExt::next(&mut incoming).await {
            let mut stream = stream.unwrap();
            handlers.push(tokio::spawn(async move {
                let mut id = [0u8; 1];
                stream.read_exact(&mut id).await.unwrap();
                stream.write_all(&[id[0], b'!']).await.unwrap();
                stream.flush().await.unwrap();
            }));
            if handlers.len() == N {
                break;
            }
        }
        for h in handlers {
            h.await.unwrap();
        }
    });
    let clients: Vec<_> = (0..N as u8)
        .map(|id| {
            tokio::spawn(async move {
                let addr = format!("127.0.0.1:{port}");
                let mut reply = [0u8; 2];
                if id % 2 == 0 {
                    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
                    s.write_all(&[id]).await.unwrap();
                    s.read_exact(&mut reply).await.unwrap();
                } else {
                    let mut s = TcpStream::connect(addr).await.unwrap();
                    s.write_all(&[id]).await.unwrap();
                    s.read_exact(&mut reply).await.unwrap();
                }
                assert_eq!(reply, [id, b'!']);
            })
        })
        .collect();
    for c in clients {
        tokio::time::timeout(Duration::from_secs(20), c)
            .await
            .expect("a client hung")
            .unwrap();
    }
    server.await.unwrap();
}

#[test]
fn incoming_stream_on_the_current_thread_runtime() {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(incoming_stream_and_string_addresses());
}

#[test]
fn incoming_stream_on_the_multi_thread_runtime() {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(incoming_stream_and_string_addresses());
}
