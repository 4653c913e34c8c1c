//! Abandoned requests leak no file descriptors: an `openat`, `accept`, multishot `accept` or
//! `socket` that completes after its future was dropped (or whose result was never collected)
//! creates a descriptor nobody will see, and the registry closes it.
//!
//! One test, run in sequence, so that the count of this process's open descriptors is not
//! disturbed by other tests running beside it.

mod event_common;

use event_common::poll_once;
use ringcore::driver::LocalDriver;
use ringcore::event::events::{Accept, AcceptMulti, OpenAt, Socket};
use ringcore::event::Batch;
use std::ffi::CString;
use std::net::{TcpListener, TcpStream};
use std::os::fd::AsRawFd;

/// Descriptors this process has open.
fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

fn open_readme() -> OpenAt {
    OpenAt {
        dirfd: libc::AT_FDCWD,
        path: CString::new(env!("CARGO_MANIFEST_PATH")).unwrap(),
        flags: libc::O_RDONLY | libc::O_CLOEXEC,
        mode: 0,
    }
}

#[test]
fn abandoned_requests_leak_no_descriptors() {
    let driver = LocalDriver::new(32).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let base = open_fds();

    // An open whose CQE was reaped but whose future was dropped before collecting it.
    let mut open = driver.submit_event(open_readme()).eager();
    assert!(poll_once(&mut open).is_pending());
    driver.run_once(1).unwrap();
    assert_eq!(open_fds(), base + 1, "the kernel opened the file");
    drop(open);
    assert_eq!(open_fds(), base, "completed open, dropped uncollected");

    // An open dropped before it was even submitted: it runs with its cancel, and wins.
    let mut open = driver.submit_event(open_readme());
    assert!(poll_once(&mut open).is_pending());
    drop(open);
    driver.run_until_idle().unwrap();
    assert_eq!(
        open_fds(),
        base,
        "open completed after its future was dropped"
    );

    // An accept that completes (a client connected) before its dropped future is reaped.
    let mut accept = driver
        .submit_event(Accept::new(listener.as_raw_fd(), libc::SOCK_CLOEXEC))
        .eager();
    assert!(poll_once(&mut accept).is_pending());
    let client = TcpStream::connect(addr).unwrap();
    drop(accept);
    driver.run_until_idle().unwrap();
    drop(client);
    assert_eq!(
        open_fds(),
        base,
        "accept completed after its future was dropped"
    );

    // A multishot accept dropped with accepted connections queued and more arriving.
    let mut accepts = driver.multishot(AcceptMulti {
        fd: listener.as_raw_fd(),
        flags: libc::SOCK_CLOEXEC,
    });
    let waker = std::task::Waker::noop();
    let mut cx = std::task::Context::from_waker(waker);
    assert!(accepts.poll_next(&mut cx).is_pending());
    driver.run_once(0).unwrap();
    let clients: Vec<TcpStream> = (0..3).map(|_| TcpStream::connect(addr).unwrap()).collect();
    // Reap until the three accepts are queued in the registry.
    let mut reaped = 0;
    while reaped < 3 {
        reaped += driver.run_once(1).unwrap();
    }
    assert_eq!(open_fds(), base + 6, "three clients, three accepted");
    drop(accepts);
    let late = TcpStream::connect(addr).unwrap();
    driver.run_until_idle().unwrap();
    drop(clients);
    drop(late);
    // A connection the kernel did not accept stays in the listener's backlog, not in ours.
    assert_eq!(open_fds(), base, "multishot accept dropped mid-stream");

    // A batch of sockets, all created, dropped before its results were collected.
    let mut batch = Batch::new();
    for _ in 0..4 {
        batch.push(Socket {
            domain: libc::AF_INET,
            socket_type: libc::SOCK_STREAM | libc::SOCK_CLOEXEC,
            protocol: 0,
        });
    }
    let mut sockets = driver.submit_batch(batch);
    assert!(poll_once(&mut sockets).is_pending());
    driver.run_once(1).unwrap();
    driver.run_until_idle().unwrap();
    assert_eq!(open_fds(), base + 4, "four sockets made");
    drop(sockets);
    assert_eq!(open_fds(), base, "batch of sockets dropped uncollected");

    // Collected results are the caller's: nothing is closed behind its back. (`block_on`
    // keeps one descriptor of its own from its first sleep on: the eventfd that wakes it.)
    let (ev, res) = driver.block_on(driver.submit_event(open_readme())).unwrap();
    drop(ev);
    let fd = res.unwrap() as i32;
    assert!(open_fds() <= base + 2);
    // SAFETY: F_GETFD only reads the descriptor's flags.
    assert!(
        unsafe { libc::fcntl(fd, libc::F_GETFD) } >= 0,
        "the opened fd is open"
    );
    let base = open_fds() - 1;
    // SAFETY: the fd was just opened for this test and is closed once.
    unsafe { libc::close(fd) };
    assert_eq!(open_fds(), base);
}
