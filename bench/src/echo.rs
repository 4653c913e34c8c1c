//! The echo workload's harness: connects client and server sockets over loopback, runs a server
//! implementation on its own thread, and drives every server with the same client — one thread,
//! plain epoll, one 64-byte message in flight per connection, each echo checked byte for byte.

use crate::outcome::Outcome;
use crate::Error;
use std::io;
use std::net::{TcpListener, TcpStream};
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::Instant;

/// Bytes per message.
pub const MESSAGE: usize = 64;
/// How long the client waits for any echo before it gives up, in milliseconds.
const STALL_MS: i32 = 10_000;

/// Runs `rounds` round trips on each of `conns` connections against `server`, which gets the
/// server-side sockets (and closes them when their peers do) and returns the bytes it echoed.
///
/// `ops` is the number of round trips; `check` is the bytes the server echoed.
///
/// # Errors
/// Socket setup failed, the server failed, or an echo was wrong, late or cut short.
pub fn run<S>(conns: usize, rounds: u64, server: S) -> Result<Outcome, Error>
where
    S: FnOnce(Vec<OwnedFd>) -> Result<u64, Error> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let mut clients = Vec::with_capacity(conns);
    let mut servers = Vec::with_capacity(conns);
    for _ in 0..conns {
        let c = TcpStream::connect(addr)?;
        let (s, _) = listener.accept()?;
        c.set_nodelay(true)?;
        s.set_nodelay(true)?;
        c.set_nonblocking(true)?;
        clients.push(c);
        servers.push(OwnedFd::from(s));
    }
    let handle = std::thread::spawn(move || server(servers));
    let client = drive(&clients, rounds);
    // Closing the client sockets ends the server, also when the client failed.
    drop(clients);
    let bytes = handle.join().map_err(|_| "echo server panicked")??;
    let (ops, ns) = client?;
    Ok(Outcome {
        ops,
        check: bytes,
        ns,
    })
}

/// The message number `seq` of connection `conn`.
fn message(conn: usize, seq: u64) -> [u8; MESSAGE] {
    let mut m = [0u8; MESSAGE];
    m[..8].copy_from_slice(&(conn as u64).to_le_bytes());
    m[8..16].copy_from_slice(&seq.to_le_bytes());
    for (i, b) in m[16..].iter_mut().enumerate() {
        *b = (seq as u8).wrapping_add(i as u8);
    }
    m
}

/// One client connection's progress.
struct Peer {
    done: u64,
    got: usize,
    rx: [u8; MESSAGE],
}

/// Sends message `seq` on `s` (64 bytes always fit an empty socket buffer).
fn send(s: &TcpStream, conn: usize, seq: u64) -> Result<(), Error> {
    let m = message(conn, seq);
    // SAFETY: `m` is valid for `MESSAGE` bytes of reads; the fd is open.
    let n = unsafe {
        libc::send(
            s.as_raw_fd(),
            m.as_ptr().cast(),
            MESSAGE,
            libc::MSG_NOSIGNAL,
        )
    };
    if n != MESSAGE as isize {
        return Err(format!("send of message {seq} on connection {conn}: {n}").into());
    }
    Ok(())
}

/// The client loop: returns the round trips done and the nanoseconds they took.
fn drive(clients: &[TcpStream], rounds: u64) -> Result<(u64, u64), Error> {
    // SAFETY: plain syscall; the result is checked.
    let ep = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
    if ep < 0 {
        return Err(io::Error::last_os_error().into());
    }
    // SAFETY: `ep` is a fresh fd that this function owns from here on.
    let ep = unsafe { <OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(ep) };
    for (i, c) in clients.iter().enumerate() {
        let mut ev = libc::epoll_event {
            events: libc::EPOLLIN as u32,
            u64: i as u64,
        };
        // SAFETY: both fds are open; `ev` is valid for the call.
        if unsafe { libc::epoll_ctl(ep.as_raw_fd(), libc::EPOLL_CTL_ADD, c.as_raw_fd(), &mut ev) }
            < 0
        {
            return Err(io::Error::last_os_error().into());
        }
    }
    let mut peers: Vec<Peer> = (0..clients.len())
        .map(|_| Peer {
            done: 0,
            got: 0,
            rx: [0; MESSAGE],
        })
        .collect();
    let mut active = if rounds == 0 { 0 } else { clients.len() };
    let mut events = [libc::epoll_event { events: 0, u64: 0 }; 64];
    let start = Instant::now();
    for (i, c) in clients.iter().enumerate().take(active) {
        send(c, i, 0)?;
    }
    while active > 0 {
        // SAFETY: `events` is valid for 64 entries.
        let n = unsafe { libc::epoll_wait(ep.as_raw_fd(), events.as_mut_ptr(), 64, STALL_MS) };
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e.into());
        }
        if n == 0 {
            return Err("echo stalled: no reply for 10 s".into());
        }
        for ev in &events[..n as usize] {
            let i = ev.u64 as usize;
            let p = &mut peers[i];
            let want = MESSAGE - p.got;
            // SAFETY: `rx[got..]` is valid for `want` bytes of writes; the fd is open.
            let r = unsafe {
                libc::recv(
                    clients[i].as_raw_fd(),
                    p.rx[p.got..].as_mut_ptr().cast(),
                    want,
                    0,
                )
            };
            if r < 0 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::WouldBlock {
                    continue;
                }
                return Err(e.into());
            }
            if r == 0 {
                return Err(format!("server closed connection {i} early").into());
            }
            p.got += r as usize;
            if p.got < MESSAGE {
                continue;
            }
            if p.rx != message(i, p.done) {
                return Err(format!("wrong echo of message {} on connection {i}", p.done).into());
            }
            p.got = 0;
            p.done += 1;
            if p.done < rounds {
                send(&clients[i], i, p.done)?;
            } else {
                active -= 1;
            }
        }
    }
    let ns = start.elapsed().as_nanos() as u64;
    Ok((rounds * clients.len() as u64, ns))
}
