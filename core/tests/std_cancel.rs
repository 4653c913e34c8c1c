//! Cancel safety of the std types: a read or write future dropped mid-flight loses no byte
//! the kernel moved, duplicates none, and never frees a buffer the kernel may still use.
//!
//! The buffers the kernel sees are the objects' own; this binary's allocator counts the
//! allocations and frees of one odd size per test, and each test gives its object a buffer of
//! that size — a drop-counting buffer without a custom buffer type.

use futures::executor::block_on;
use futures::task::noop_waker;
use ringcore::driver::LocalDriver;
use ringcore::fs::File;
use ringcore::net::{UdpSocket, UnixStream};
use std::alloc::{GlobalAlloc, Layout, System};
use std::future::Future;
use std::os::fd::FromRawFd;
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

/// Counts allocations and frees of blocks of the sizes in `TRACKED`.
struct Counting;

const TRACKED: [usize; 3] = [40_961, 40_963, 40_967];
static ALLOCS: [AtomicUsize; 3] = [
    AtomicUsize::new(0),
    AtomicUsize::new(0),
    AtomicUsize::new(0),
];
static FREES: [AtomicUsize; 3] = [
    AtomicUsize::new(0),
    AtomicUsize::new(0),
    AtomicUsize::new(0),
];

fn slot(size: usize) -> Option<usize> {
    TRACKED.iter().position(|&s| s == size)
}

// SAFETY: forwards to the system allocator unchanged; the counters have no effect on it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if let Some(i) = slot(layout.size()) {
            ALLOCS[i].fetch_add(1, Ordering::SeqCst);
        }
        // SAFETY: same layout contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if let Some(i) = slot(layout.size()) {
            FREES[i].fetch_add(1, Ordering::SeqCst);
        }
        // SAFETY: `ptr` came from `alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn counts(i: usize) -> (usize, usize) {
    (
        ALLOCS[i].load(Ordering::SeqCst),
        FREES[i].load(Ordering::SeqCst),
    )
}

/// Polls `future` once (so its request is in flight) and drops it; returns whether it was
/// still pending.
fn poll_once_and_drop<F: Future>(future: F) -> bool {
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    future.as_mut().poll(&mut cx).is_pending()
}

/// The buffer of a read whose future was dropped stays with the stream; the data that
/// arrives later is delivered by the next read; the buffer is freed exactly once, after the
/// kernel's completion, when the stream itself goes away with a read in flight.
#[test]
fn dropped_read_future_keeps_buffer_and_data() {
    const SIZE: usize = TRACKED[0];
    let driver = LocalDriver::new(16).unwrap();
    let (mut a, mut b) = UnixStream::pair_on(&driver).unwrap();
    a.set_buffer_size(SIZE);
    let mut out = [0u8; 64];

    // A read goes in flight and its future is dropped before any data exists.
    assert!(poll_once_and_drop(a.read(&mut out)));
    driver.run_once(0).unwrap();
    assert_eq!(
        counts(0),
        (1, 0),
        "one read buffer, not freed: the kernel owns it"
    );

    // Data arrives after the drop; the next read returns it, from the same buffer.
    driver.block_on(b.write_all(b"late data")).unwrap().unwrap();
    let n = driver.block_on(a.read(&mut out)).unwrap().unwrap();
    assert_eq!(&out[..n], b"late data");
    assert_eq!(counts(0), (1, 0), "the buffer is reused, never freed early");

    // Another read in flight, then the stream is dropped: the buffer goes to the driver
    // as a Cancellation and is freed only once the kernel's CQE is reaped.
    assert!(poll_once_and_drop(a.read(&mut out)));
    driver.run_once(0).unwrap();
    drop(a);
    assert_eq!(
        counts(0),
        (1, 0),
        "dropped stream: the kernel still owns the buffer"
    );
    driver.run_until_idle().unwrap();
    assert_eq!(counts(0), (1, 1), "freed exactly once, after the CQE");
    drop(b);
    driver.run_until_idle().unwrap();
}

/// The same on a pipe (a `File` of kind stream) on the background driver under `futures`'
/// `block_on`: several abandoned reads in a row, data written after each, nothing lost.
#[test]
fn dropped_pipe_reads_lose_nothing() {
    const SIZE: usize = TRACKED[1];
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    let driver = ringcore::driver::BackgroundDriver::global().unwrap();
    // SAFETY: the read end is ours and given to the File.
    let mut reader = unsafe { File::from_raw_fd(fds[0], driver) };
    reader.set_buffer_size(SIZE);
    // SAFETY: the write end is ours and given to the std File.
    let mut writer = unsafe { std::fs::File::from_raw_fd(fds[1]) };
    let mut received = Vec::new();
    let mut buf = [0u8; 7];
    for round in 0..5u8 {
        assert!(poll_once_and_drop(reader.read(&mut buf)));
        std::io::Write::write_all(&mut writer, &[round; 10]).unwrap();
        // Ten bytes: one 7-byte read and one 3-byte read from the buffer.
        let mut got = 0;
        while got < 10 {
            let n = block_on(reader.read(&mut buf)).unwrap();
            received.extend_from_slice(&buf[..n]);
            got += n;
        }
        assert_eq!(got, 10, "round {round}: exactly the bytes written");
    }
    let expected: Vec<u8> = (0..5u8).flat_map(|r| [r; 10]).collect();
    assert_eq!(received, expected);
    assert_eq!(counts(1), (1, 0), "one buffer, reused for every read");
    drop(writer);
    assert_eq!(block_on(reader.read(&mut buf)).unwrap(), 0, "end of pipe");
    drop(reader);
}

/// Writes: a write either is accepted (and then lands, in order) or is pending and accepts
/// nothing, so dropping pending write futures neither loses nor duplicates bytes.
#[test]
fn dropped_write_futures_neither_lose_nor_duplicate() {
    let (mut a, mut b) = UnixStream::pair().unwrap();
    let chunk: Vec<u8> = (0..64 * 1024).map(|i| (i % 251) as u8).collect();
    let mut accepted: Vec<u8> = Vec::new();
    let mut pending_drops = 0;
    let mut seq = 0u8;
    // Nobody reads `b` yet: the socket buffer fills and writes start to pend.
    while pending_drops < 3 {
        let mut data = chunk.clone();
        data[0] = seq;
        let waker = noop_waker();
        let mut cx = Context::from_waker(&waker);
        match a.poll_write(&mut cx, &data) {
            Poll::Ready(n) => {
                let n = n.unwrap();
                accepted.extend_from_slice(&data[..n]);
                seq = seq.wrapping_add(1);
            }
            Poll::Pending => {
                // Abandon it, as dropping a `write` future would, and try again later.
                pending_drops += 1;
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
        assert!(accepted.len() < 64 << 20, "writes never pended");
    }
    // The write in flight completes only once `b` is read: read and shut down at once.
    let got = block_on(async {
        let (_, mut wr) = a.split();
        let shutdown = async { wr.shutdown().await.unwrap() };
        let read = async {
            let mut got = Vec::new();
            let mut buf = vec![0u8; 100_000];
            loop {
                let n = b.read(&mut buf).await.unwrap();
                if n == 0 {
                    break got;
                }
                got.extend_from_slice(&buf[..n]);
            }
        };
        futures::join!(shutdown, read).1
    });
    assert_eq!(got.len(), accepted.len(), "every accepted byte, once");
    assert!(got == accepted, "in order");
}

/// The kernel cancels the requests a thread submitted when that thread exits. A read first
/// polled on a thread that then ends must still complete: the background driver submits
/// from its own long-lived thread only.
#[test]
fn request_outlives_the_thread_that_polled_it() {
    for round in 0..20 {
        let (mut a, b) = std::thread::spawn(|| {
            let (mut a, b) = UnixStream::pair().unwrap();
            let mut out = [0u8; 8];
            assert!(poll_once_and_drop(a.read(&mut out)));
            (a, b)
        })
        .join()
        .unwrap();
        // Let the reaper submit and the thread's exit reach the kernel before data comes.
        std::thread::sleep(std::time::Duration::from_millis(2));
        let mut b = b;
        block_on(b.write_all(b"survived")).unwrap();
        let mut out = [0u8; 8];
        let n = block_on(a.read(&mut out)).unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert_eq!(&out[..n], b"survived");
    }
}

/// A UDP receive dropped in flight: its buffer (the size of the caller's slice) stays
/// allocated while the kernel may write into it — a datagram does arrive and complete the
/// abandoned receive — and is freed exactly once, after the CQE; the caller's slice is never
/// written. Then the socket receives again, into a new buffer.
#[test]
fn dropped_udp_recv_from_frees_its_buffer_after_the_kernel() {
    const SIZE: usize = TRACKED[2];
    let driver = LocalDriver::new(16).unwrap();
    let ours = UdpSocket::bind_on("127.0.0.1:0", &driver).unwrap();
    let theirs = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let mut out = vec![0u8; SIZE];
    assert_eq!(counts(2), (1, 0), "the caller's slice");

    {
        let waker = noop_waker();
        let mut recv = Box::pin(ours.recv_from(&mut out));
        assert!(recv
            .as_mut()
            .poll(&mut Context::from_waker(&waker))
            .is_pending());
        driver.run_once(0).unwrap(); // the receive is in the kernel
        assert_eq!(
            counts(2),
            (2, 0),
            "the request's buffer, owned by the kernel now"
        );
        drop(recv); // parked with the driver; the cancel is not submitted yet
    }
    assert_eq!(
        counts(2),
        (2, 0),
        "dropped future: the kernel still owns the buffer"
    );
    theirs
        .send_to(b"into the parked buffer", ours.local_addr().unwrap())
        .unwrap();
    // The datagram completes the abandoned receive — the kernel writes into the parked
    // buffer (the cancel is only submitted by the next run) — and the buffer is freed only
    // when that CQE is reaped.
    driver.run_until_idle().unwrap();
    assert_eq!(driver.in_flight(), 0);
    assert_eq!(counts(2), (2, 1), "freed exactly once, after the CQE");
    assert!(
        out.iter().all(|&b| b == 0),
        "the caller's slice was never written"
    );

    theirs.send_to(b"next", ours.local_addr().unwrap()).unwrap();
    let (n, _) = driver.block_on(ours.recv_from(&mut out)).unwrap().unwrap();
    assert_eq!(
        &out[..n],
        b"next",
        "the first datagram went to the abandoned receive"
    );
    assert_eq!(counts(2), (3, 2), "one buffer per receive, each freed once");
}
