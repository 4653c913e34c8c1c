//! `ringcore::net::UdpSocket` against the kernel: datagrams between two ringcore sockets and
//! with a std peer, IPv4 and IPv6, connected sockets, truncation, receives dropped in flight
//! on a `LocalDriver` (the socket goes on working; the driver ends with nothing in flight),
//! the errors of bad addresses, and the same inside tokio's current-thread and multi-thread
//! runtimes. No `unsafe`: whatever the kernel writes goes into memory the requests own.
#![forbid(unsafe_code)]

use futures::executor::block_on;
use futures::future::join_all;
use futures::task::noop_waker;
use ringcore::driver::LocalDriver;
use ringcore::net::UdpSocket;
use std::future::Future;
use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket as StdUdpSocket};
use std::pin::pin;
use std::task::Context;
use std::time::Duration;

/// Polls `future` once (so its request is prepared) and drops it; returns whether it was
/// still pending.
fn poll_once_and_drop<F: Future>(future: F) -> bool {
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    future.as_mut().poll(&mut cx).is_pending()
}

/// A std socket that gives up on a receive after 5 s instead of hanging the test.
fn std_peer(addr: &str) -> StdUdpSocket {
    let s = StdUdpSocket::bind(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s
}

#[test]
fn round_trip_between_two_ringcore_sockets_on_a_local_driver() {
    let driver = LocalDriver::new(64).unwrap();
    let a = UdpSocket::bind_on("127.0.0.1:0", &driver).unwrap();
    let b = UdpSocket::bind_on("127.0.0.1:0", &driver).unwrap();
    let (a_addr, b_addr) = (a.local_addr().unwrap(), b.local_addr().unwrap());
    driver
        .block_on(async {
            assert_eq!(a.send_to(b"hello b", b_addr).await.unwrap(), 7);
            let mut buf = [0u8; 64];
            let (n, from) = b.recv_from(&mut buf).await.unwrap();
            assert_eq!((&buf[..n], from), (&b"hello b"[..], a_addr));

            // 32 receives and 32 sends in flight together; every datagram arrives whole.
            const N: usize = 32;
            let receives = join_all((0..N).map(|_| async {
                let mut buf = [0u8; 64];
                let (n, from) = a.recv_from(&mut buf).await.unwrap();
                assert_eq!(from, b_addr);
                buf[..n].to_vec()
            }));
            let sends = join_all((0..N).map(|i| {
                let b = &b;
                async move {
                    let datagram = vec![i as u8; 1 + i];
                    assert_eq!(b.send_to(&datagram, a_addr).await.unwrap(), 1 + i);
                }
            }));
            let (mut got, _) = futures::join!(receives, sends);
            got.sort();
            let want: Vec<Vec<u8>> = (0..N).map(|i| vec![i as u8; 1 + i]).collect();
            assert_eq!(got, want);
        })
        .unwrap();
    drop((a, b));
    driver.run_until_idle().unwrap();
    assert_eq!(driver.in_flight(), 0);
}

#[test]
fn std_socket_as_peer_on_the_default_driver() {
    let ours = UdpSocket::bind("127.0.0.1:0").unwrap();
    let ours_addr = ours.local_addr().unwrap();
    let theirs = std_peer("127.0.0.1:0");
    let theirs_addr = theirs.local_addr().unwrap();

    theirs.send_to(b"from std", ours_addr).unwrap();
    let mut buf = [0u8; 32];
    let (n, from) = block_on(ours.recv_from(&mut buf)).unwrap();
    assert_eq!((&buf[..n], from), (&b"from std"[..], theirs_addr));

    // An address in any `ToSocketAddrs` form: a string, an (ip, port) pair.
    let port = theirs_addr.port();
    assert_eq!(
        block_on(ours.send_to(b"to std", format!("127.0.0.1:{port}"))).unwrap(),
        6
    );
    assert_eq!(
        block_on(ours.send_to(b"again", ("127.0.0.1", port))).unwrap(),
        5
    );
    let (n, from) = theirs.recv_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"to std"[..], ours_addr));
    let (n, _) = theirs.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"again");
}

#[test]
fn ipv6_round_trip() {
    let theirs = match StdUdpSocket::bind("[::1]:0") {
        Ok(s) => s,
        Err(e) => {
            println!("SKIPPED: no IPv6 loopback ({e})");
            return;
        }
    };
    theirs
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let ours = UdpSocket::bind("[::1]:0").unwrap();
    let ours_addr = ours.local_addr().unwrap();
    assert!(ours_addr.is_ipv6());
    let theirs_addr = theirs.local_addr().unwrap();

    assert_eq!(block_on(ours.send_to(b"v6 out", theirs_addr)).unwrap(), 6);
    let mut buf = [0u8; 32];
    let (n, from) = theirs.recv_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"v6 out"[..], ours_addr));

    theirs.send_to(b"v6 back", ours_addr).unwrap();
    let (n, from) = block_on(ours.recv_from(&mut buf)).unwrap();
    assert_eq!((&buf[..n], from), (&b"v6 back"[..], theirs_addr));
}

#[test]
fn connected_send_and_recv() {
    let ours = UdpSocket::bind("127.0.0.1:0").unwrap();
    let theirs = std_peer("127.0.0.1:0");
    let (ours_addr, theirs_addr) = (ours.local_addr().unwrap(), theirs.local_addr().unwrap());

    assert_eq!(
        ours.peer_addr().unwrap_err().kind(),
        ErrorKind::NotConnected
    );
    let err = block_on(ours.send(b"nowhere")).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EDESTADDRREQ), "{err}");

    ours.connect(theirs_addr).unwrap();
    theirs.connect(ours_addr).unwrap();
    assert_eq!(ours.peer_addr().unwrap(), theirs_addr);

    assert_eq!(block_on(ours.send(b"connected")).unwrap(), 9);
    let mut buf = [0u8; 32];
    let n = theirs.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"connected");

    theirs.send(b"reply").unwrap();
    let n = block_on(ours.recv(&mut buf)).unwrap();
    assert_eq!(&buf[..n], b"reply");

    // A datagram from a stranger is filtered out by the kernel; only the peer's arrives.
    let stranger = std_peer("127.0.0.1:0");
    stranger.send_to(b"stranger", ours_addr).unwrap();
    theirs.send(b"peer").unwrap();
    let (n, from) = block_on(ours.recv_from(&mut buf)).unwrap();
    assert_eq!((&buf[..n], from), (&b"peer"[..], theirs_addr));
}

#[test]
fn a_long_datagram_is_cut_to_the_buffer() {
    let ours = UdpSocket::bind("127.0.0.1:0").unwrap();
    let theirs = std_peer("127.0.0.1:0");
    let long: Vec<u8> = (0..200u8).collect();
    theirs.send_to(&long, ours.local_addr().unwrap()).unwrap();
    theirs.send_to(b"next", ours.local_addr().unwrap()).unwrap();

    let mut small = [0u8; 10];
    let (n, from) = block_on(ours.recv_from(&mut small)).unwrap();
    assert_eq!((n, from), (10, theirs.local_addr().unwrap()));
    assert_eq!(small, long[..10]);
    // The rest of the long datagram is gone; the next receive gets the next datagram.
    let mut buf = [0u8; 300];
    let (n, _) = block_on(ours.recv_from(&mut buf)).unwrap();
    assert_eq!(&buf[..n], b"next");

    // The same through `recv` on a connected socket, and with an empty buffer.
    ours.connect(theirs.local_addr().unwrap()).unwrap();
    theirs.send_to(&long, ours.local_addr().unwrap()).unwrap();
    assert_eq!(block_on(ours.recv(&mut small)).unwrap(), 10);
    assert_eq!(small, long[..10]);
    theirs.send_to(&long, ours.local_addr().unwrap()).unwrap();
    assert_eq!(block_on(ours.recv(&mut [])).unwrap(), 0);
    theirs.send_to(b"last", ours.local_addr().unwrap()).unwrap();
    let n = block_on(ours.recv(&mut buf)).unwrap();
    assert_eq!(&buf[..n], b"last");
}

/// Receives dropped in flight, with datagrams arriving before and after the cancellation
/// reaches the kernel: the socket keeps working, every later datagram arrives whole, and the
/// driver ends with no request in flight (each abandoned buffer was freed after its CQE).
#[test]
fn recv_from_dropped_mid_flight_then_the_socket_is_reused() {
    let driver = LocalDriver::new(16).unwrap();
    let ours = UdpSocket::bind_on("127.0.0.1:0", &driver).unwrap();
    let ours_addr = ours.local_addr().unwrap();
    let theirs = std_peer("127.0.0.1:0");
    for round in 0..20u8 {
        let mut buf = [0u8; 64];
        assert!(poll_once_and_drop(ours.recv_from(&mut buf)));
        if round % 2 == 0 {
            // In the kernel before the datagram: the datagram may complete the abandoned
            // receive (into its parked buffer) or race its cancellation.
            driver.run_once(0).unwrap();
        }
        theirs.send_to(&[round; 33], ours_addr).unwrap();
        driver.run_until_idle().unwrap();
        assert_eq!(
            driver.in_flight(),
            0,
            "round {round}: the dropped receive is reaped"
        );

        // Whatever became of that datagram, the next one arrives whole.
        theirs.send_to(&[round + 100; 17], ours_addr).unwrap();
        let got = driver
            .block_on(async {
                loop {
                    let (n, _) = ours.recv_from(&mut buf).await.unwrap();
                    if n == 17 {
                        return buf[..n].to_vec();
                    }
                    // The first datagram, if the abandoned receive did not take it.
                    assert_eq!(&buf[..n], &[round; 33][..]);
                }
            })
            .unwrap();
        assert_eq!(got, vec![round + 100; 17]);
    }
    // A receive in flight when the socket itself goes away.
    let mut buf = [0u8; 64];
    assert!(poll_once_and_drop(ours.recv_from(&mut buf)));
    driver.run_once(0).unwrap();
    drop(ours);
    driver.run_until_idle().unwrap();
    assert_eq!(driver.in_flight(), 0);
}

#[test]
fn bad_addresses_are_errors() {
    let v4 = UdpSocket::bind("127.0.0.1:0").unwrap();
    // An IPv6 destination on an IPv4 socket: the kernel refuses the family.
    let err = block_on(v4.send_to(b"x", "[::1]:9")).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EAFNOSUPPORT), "{err}");
    // No address at all.
    let none: &[SocketAddr] = &[];
    let err = block_on(v4.send_to(b"x", none)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(
        UdpSocket::bind(none).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        v4.connect(none).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    // Not an address (and not a host name either: no lookup happens).
    assert_eq!(
        block_on(v4.send_to(b"x", "127.0.0.1")).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    // A datagram larger than UDP allows.
    let err = block_on(v4.send_to(&vec![0u8; 70_000], "127.0.0.1:9")).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EMSGSIZE), "{err}");
    // An address this host does not have: bind fails; with a good one after it, bind
    // takes the good one.
    let foreign: SocketAddr = "192.0.2.1:0".parse().unwrap();
    let local: SocketAddr = "127.0.0.1:0".parse().unwrap();
    assert_eq!(
        UdpSocket::bind(foreign).unwrap_err().raw_os_error(),
        Some(libc::EADDRNOTAVAIL)
    );
    let s = UdpSocket::bind(&[foreign, local][..]).unwrap();
    assert!(s.local_addr().unwrap().ip().is_loopback());
    // The socket still works after all of that.
    let theirs = std_peer("127.0.0.1:0");
    assert_eq!(
        block_on(v4.send_to(b"ok", theirs.local_addr().unwrap())).unwrap(),
        2
    );
    let mut buf = [0u8; 4];
    assert_eq!(theirs.recv(&mut buf).unwrap(), 2);
}

#[cfg(feature = "tokio")]
mod tokio_runtimes {
    use super::*;
    use ringcore::driver::DefaultDriver;
    use std::sync::Arc;

    /// A ringcore echo socket and 8 ringcore clients, each on a task of its own, 25 datagrams
    /// each, every echo checked.
    async fn echo_between_tasks() {
        let server = Arc::new(UdpSocket::bind("127.0.0.1:0").unwrap());
        assert!(
            matches!(server.driver(), DefaultDriver::Tokio(_)),
            "inside a runtime the default driver is tokio's"
        );
        let server_addr = server.local_addr().unwrap();
        const CLIENTS: usize = 8;
        const ROUNDS: usize = 25;
        let echo = tokio::spawn({
            let server = server.clone();
            async move {
                let mut buf = [0u8; 64];
                for _ in 0..CLIENTS * ROUNDS {
                    let (n, from) = server.recv_from(&mut buf).await.unwrap();
                    assert_eq!(server.send_to(&buf[..n], from).await.unwrap(), n);
                }
            }
        });
        let clients: Vec<_> = (0..CLIENTS)
            .map(|c| {
                tokio::spawn(async move {
                    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
                    sock.connect(server_addr).unwrap();
                    let mut buf = [0u8; 64];
                    for r in 0..ROUNDS {
                        let msg = [c as u8, r as u8, 0xAB];
                        assert_eq!(sock.send(&msg).await.unwrap(), 3);
                        let n = sock.recv(&mut buf).await.unwrap();
                        assert_eq!(&buf[..n], &msg);
                    }
                })
            })
            .collect();
        for c in clients {
            tokio::time::timeout(Duration::from_secs(20), c)
                .await
                .expect("a client hung")
                .unwrap();
        }
        echo.await.unwrap();
    }

    #[test]
    fn udp_echo_on_the_current_thread_runtime() {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(echo_between_tasks());
    }

    #[test]
    fn udp_echo_on_the_multi_thread_runtime() {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
            .block_on(echo_between_tasks());
    }

    /// Receives abandoned by a timeout inside tokio leave the socket usable: it then receives
    /// from a tokio socket as the peer.
    #[test]
    fn a_timed_out_recv_from_leaves_the_socket_usable_in_tokio() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let ours = UdpSocket::bind("[::1]:0").or_else(|e| {
                println!("no IPv6 loopback ({e}); IPv4 instead");
                UdpSocket::bind("127.0.0.1:0")
            });
            let ours = ours.unwrap();
            let ours_addr = ours.local_addr().unwrap();
            let theirs = tokio::net::UdpSocket::bind(SocketAddr::new(ours_addr.ip(), 0))
                .await
                .unwrap();
            let mut buf = [0u8; 16];
            for _ in 0..5 {
                let timed_out =
                    tokio::time::timeout(Duration::from_millis(5), ours.recv_from(&mut buf)).await;
                assert!(timed_out.is_err(), "nothing was sent");
            }
            // An abandoned receive stays armed until its cancellation reaches the kernel (with
            // the ring's next submission), so it may take the first datagram sent after it
            // (documented on `UdpSocket`). A sender task repeats tagged datagrams until one
            // arrives; the socket must get one of them, whole, within 5 s.
            let theirs_addr = theirs.local_addr().unwrap();
            let sender = tokio::spawn(async move {
                for i in 0u8.. {
                    theirs.send_to(&[b'a', i], ours_addr).await.unwrap();
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
            });
            let (n, from) = tokio::time::timeout(Duration::from_secs(5), ours.recv_from(&mut buf))
                .await
                .expect("no datagram sent after the timeouts arrived")
                .unwrap();
            sender.abort();
            assert_eq!((n, buf[0], from), (2, b'a', theirs_addr));
        });
    }
}
