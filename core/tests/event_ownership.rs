//! The ownership contract of the event layer, with a buffer that counts its drops: memory lent
//! to the kernel is freed exactly once, and only after the kernel let go of it.

use ringcore::driver::LocalDriver;
use ringcore::event::events::{AcceptMulti, Nop, Read, Timeout, CURRENT_POSITION};
use ringcore::event::{Cancellation, OwnedBuf, Submission};
use ringcore::Errno;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

/// Bytes a buffer holds before the kernel writes into it; data written by the tests differs.
const CANARY: u8 = 0xAA;

/// What the counted buffers saw when they were dropped.
#[derive(Default)]
struct Ledger {
    drops: AtomicUsize,
    /// Bytes the kernel wrote (non-canary prefix) into each dropped buffer, summed.
    written: AtomicUsize,
    /// The contents of dropped buffers, when asked for.
    contents: Mutex<Vec<Vec<u8>>>,
}

/// A heap buffer that records its drop (and what the kernel left in it) in a ledger.
struct Counted {
    data: Vec<u8>,
    ledger: Arc<Ledger>,
}

impl Counted {
    fn new(len: usize, ledger: &Arc<Ledger>) -> Counted {
        Counted {
            data: vec![CANARY; len],
            ledger: ledger.clone(),
        }
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        let written = self.data.iter().take_while(|&&b| b != CANARY).count();
        self.ledger.written.fetch_add(written, Ordering::SeqCst);
        self.ledger
            .contents
            .lock()
            .unwrap()
            .push(self.data[..written].to_vec());
        self.ledger.drops.fetch_add(1, Ordering::SeqCst);
    }
}

// SAFETY: the bytes live in the Vec's heap block, which moves with neither the Counted nor the
// box the Cancellation keeps it in.
unsafe impl OwnedBuf for Counted {
    fn as_ptr(&self) -> *const u8 {
        self.data.as_ptr()
    }
    fn as_mut_ptr(&mut self) -> *mut u8 {
        self.data.as_mut_ptr()
    }
    fn len(&self) -> usize {
        self.data.len()
    }
    fn into_cancellation(self) -> Cancellation {
        Cancellation::from_box(Box::new(self))
    }
}

struct NoWake;
impl Wake for NoWake {
    fn wake(self: Arc<Self>) {}
}

/// Polls `fut` once with a waker that does nothing.
fn poll_once<F: Future + Unpin>(fut: &mut F) -> Poll<F::Output> {
    let waker = Waker::from(Arc::new(NoWake));
    Pin::new(fut).poll(&mut Context::from_waker(&waker))
}

fn pipe() -> (i32, i32) {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two fds pipe2 writes.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    (fds[0], fds[1])
}

fn write_fd(fd: i32, bytes: &[u8]) -> usize {
    // SAFETY: `bytes` is valid for reads of its length.
    let n = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
    assert!(n >= 0, "write: {}", Errno::last());
    n as usize
}

/// Reads what is left in a pipe without blocking.
fn drain_pipe(fd: i32) -> usize {
    // SAFETY: plain fcntl on an fd this test owns.
    unsafe { libc::fcntl(fd, libc::F_SETFL, libc::O_NONBLOCK) };
    let mut total = 0;
    let mut buf = [0u8; 4096];
    loop {
        // SAFETY: `buf` is valid for writes of its length.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n <= 0 {
            return total;
        }
        total += n as usize;
    }
}

fn close(fd: i32) {
    // SAFETY: closes an fd this test owns, once.
    unsafe { libc::close(fd) };
}

#[test]
fn dropped_read_frees_its_buffer_once_after_the_cqe() {
    let ledger = Arc::new(Ledger::default());
    let driver = LocalDriver::new(8).unwrap();
    let (rd, wr) = pipe();

    let mut sub = driver
        .submit_event(Read::new(rd, Counted::new(16, &ledger), CURRENT_POSITION))
        .eager();
    assert!(
        poll_once(&mut sub).is_pending(),
        "an empty pipe has nothing to read"
    );
    assert!(sub.is_in_flight());
    drop(sub);
    // The kernel owns the buffer: not freed, parked with the driver.
    assert_eq!(ledger.drops.load(Ordering::SeqCst), 0);
    assert_eq!(driver.in_flight(), 1);

    // The kernel's write lands in the parked buffer, which is still alive.
    assert_eq!(write_fd(wr, b"kernel was here"), 15);
    assert_eq!(
        ledger.drops.load(Ordering::SeqCst),
        0,
        "freed before its CQE"
    );

    driver.run_until_idle().unwrap();
    assert_eq!(driver.in_flight(), 0);
    assert_eq!(ledger.drops.load(Ordering::SeqCst), 1, "freed exactly once");
    // Either the read took the bytes (and the buffer saw them), or the cancel won the race
    // and the bytes are still in the pipe: nothing is lost either way.
    let left = drain_pipe(rd);
    let seen = ledger.written.load(Ordering::SeqCst);
    assert_eq!(seen + left, 15);
    if seen == 15 {
        assert_eq!(ledger.contents.lock().unwrap()[0], b"kernel was here");
    }
    close(rd);
    close(wr);
}

#[test]
fn dropping_the_driver_with_1000_events_in_flight_waits_for_the_kernel() {
    const EVENTS: usize = 1000;
    const WRITTEN: usize = 160;
    let ledger = Arc::new(Ledger::default());
    let (rd, wr) = pipe();
    {
        // A ring smaller than the batch: preparing the 1000 exercises backpressure too.
        let driver = LocalDriver::new(64).unwrap();
        let mut subs: Vec<_> = (0..EVENTS)
            .map(|_| {
                Submission::new(
                    Read::new(rd, Counted::new(16, &ledger), CURRENT_POSITION),
                    &driver,
                )
            })
            .collect();
        driver
            .block_on(std::future::poll_fn(|cx| {
                for sub in subs.iter_mut().filter(|s| !s.is_in_flight()) {
                    assert!(Pin::new(sub).poll(cx).is_pending());
                }
                if subs.iter().all(|s| s.is_in_flight()) {
                    Poll::Ready(())
                } else {
                    cx.waker().wake_by_ref();
                    Poll::Pending
                }
            }))
            .unwrap();
        driver.run_once(0).unwrap();
        assert_eq!(driver.in_flight(), EVENTS);
        drop(subs);
        assert_eq!(ledger.drops.load(Ordering::SeqCst), 0);
        // Some reads get data while their buffers are parked in Cancellations.
        assert_eq!(write_fd(wr, &[7u8; WRITTEN]), WRITTEN);
        assert_eq!(
            ledger.drops.load(Ordering::SeqCst),
            0,
            "freed before the CQE"
        );
        // The driver drops here: it cancels, waits for all 1000 CQEs, runs the Cancellations.
    }
    assert_eq!(ledger.drops.load(Ordering::SeqCst), EVENTS);
    let left = drain_pipe(rd);
    assert_eq!(ledger.written.load(Ordering::SeqCst) + left, WRITTEN);
    close(rd);
    close(wr);
}

/// A small deterministic PRNG (xorshift64*), so that failures replay.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn ten_thousand_random_interleavings_keep_every_count_exact() {
    const SEEDS: u64 = 10;
    const STEPS: usize = 1000;
    const PIPES: usize = 4;
    for seed in 1..=SEEDS {
        let ledger = Arc::new(Ledger::default());
        let pipes: Vec<(i32, i32)> = (0..PIPES).map(|_| pipe()).collect();
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut created = 0usize;
        let mut returned_bytes = 0usize;
        let mut written = 0usize;
        let mut nops_done = 0usize;
        {
            let driver = LocalDriver::new(16).unwrap();
            let mut reads = Vec::new();
            let mut nops = Vec::new();
            for _ in 0..STEPS {
                match rng.below(10) {
                    // submit a read (polled once: prepared and queued)
                    0..=2 => {
                        let (rd, _) = pipes[rng.below(PIPES)];
                        let len = 1 + rng.below(32);
                        let mut sub = Submission::new(
                            Read::new(rd, Counted::new(len, &ledger), CURRENT_POSITION),
                            &driver,
                        );
                        created += 1;
                        if let Poll::Ready((read, res)) = poll_once(&mut sub) {
                            returned_bytes += res.unwrap() as usize;
                            drop(read);
                        } else {
                            reads.push(sub);
                        }
                    }
                    // submit a NOP
                    3 => {
                        let mut sub = Submission::new(Nop, &driver);
                        match poll_once(&mut sub) {
                            Poll::Ready((_, res)) => {
                                assert_eq!(res, Ok(0));
                                nops_done += 1;
                            }
                            Poll::Pending => nops.push(sub),
                        }
                    }
                    // poll one
                    4 | 5 if !reads.is_empty() => {
                        let i = rng.below(reads.len());
                        if let Poll::Ready((read, res)) = poll_once(&mut reads[i]) {
                            let n = res.expect("a read of a pipe succeeds") as usize;
                            assert!(n <= read.buf.data.len());
                            assert!(read.buf.data[..n].iter().all(|&b| b != CANARY));
                            returned_bytes += n;
                            drop(reads.swap_remove(i));
                        }
                    }
                    // drop one mid-flight
                    6 if !reads.is_empty() => {
                        let i = rng.below(reads.len());
                        drop(reads.swap_remove(i));
                    }
                    // the kernel completes some: data arrives, the ring is run
                    7 | 8 => {
                        let (_, wr) = pipes[rng.below(PIPES)];
                        let n = 1 + rng.below(24);
                        let bytes: Vec<u8> = (0..n).map(|i| (i % 100 + 1) as u8).collect();
                        written += write_fd(wr, &bytes);
                        driver.run_once(0).unwrap();
                    }
                    _ => {
                        driver.run_once(0).unwrap();
                        nops.retain_mut(|sub| match poll_once(sub) {
                            Poll::Ready((_, res)) => {
                                assert_eq!(res, Ok(0));
                                nops_done += 1;
                                false
                            }
                            Poll::Pending => true,
                        });
                    }
                }
                let drops = ledger.drops.load(Ordering::SeqCst);
                assert!(drops <= created, "seed {seed}: more drops than buffers");
                assert!(
                    driver.in_flight() <= created - drops + nops.len(),
                    "seed {seed}: the registry lost count"
                );
            }
            // Drop the rest mid-flight; the driver drop waits for them.
            let nop_count = nops.len();
            drop(reads);
            drop(nops);
            nops_done += nop_count;
        }
        assert_eq!(
            ledger.drops.load(Ordering::SeqCst),
            created,
            "seed {seed}: every buffer freed exactly once"
        );
        let left: usize = pipes.iter().map(|&(rd, _)| drain_pipe(rd)).sum();
        // Every byte written is accounted for: in a buffer (returned or cancelled) or in a
        // pipe. A buffer freed before its CQE would lose the bytes the kernel wrote into it.
        let in_buffers = ledger.written.load(Ordering::SeqCst);
        assert_eq!(in_buffers + left, written, "seed {seed}");
        assert!(returned_bytes <= in_buffers);
        println!(
            "seed {seed}: {created} reads, {nops_done} nops, {written} bytes written, \
             {returned_bytes} returned, {} in cancelled buffers, {left} left in pipes",
            in_buffers - returned_bytes
        );
        for (rd, wr) in pipes {
            close(rd);
            close(wr);
        }
    }
}

#[test]
fn multishot_accept_delivers_n_connections_then_stops_when_cancelled() {
    use std::net::{TcpListener, TcpStream};
    use std::os::fd::AsRawFd;
    const N: usize = 5;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let driver = LocalDriver::new(16).unwrap();
    let mut stream = driver.multishot(AcceptMulti {
        fd: listener.as_raw_fd(),
        flags: libc::SOCK_CLOEXEC,
    });
    let clients: Vec<TcpStream> = (0..N).map(|_| TcpStream::connect(addr).unwrap()).collect();
    let accepted = driver
        .block_on(async {
            let mut fds = Vec::new();
            for _ in 0..N {
                let c = stream.next().await.expect("the stream goes on");
                if c.result == Err(Errno::EINVAL) && fds.is_empty() {
                    return None;
                }
                assert!(c.flags.contains(ringcore::CqeFlags::MORE), "{c:?}");
                fds.push(c.result.expect("an accepted fd") as i32);
            }
            stream.cancel();
            let last = stream.next().await.expect("the final CQE");
            assert_eq!(last.result, Err(Errno::ECANCELED));
            assert!(!last.flags.contains(ringcore::CqeFlags::MORE));
            assert!(
                stream.next().await.is_none(),
                "the stream ends after the last CQE"
            );
            Some(fds)
        })
        .unwrap();
    let Some(fds) = accepted else {
        println!("SKIPPED: multishot accept needs Linux 5.19");
        return;
    };
    assert_eq!(fds.len(), N);
    for &fd in &fds {
        let mut peer: libc::sockaddr_in = unsafe_zeroed_sockaddr_in();
        let mut len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
        // SAFETY: `peer`/`len` are valid out-parameters for getpeername.
        let r = unsafe {
            libc::getpeername(fd, (&mut peer as *mut libc::sockaddr_in).cast(), &mut len)
        };
        assert_eq!(r, 0, "accepted fds are connected sockets");
        let port = u16::from_be(peer.sin_port);
        assert!(clients
            .iter()
            .any(|c| c.local_addr().unwrap().port() == port));
        close(fd);
    }
    assert!(stream.into_event().is_some());
    assert_eq!(driver.in_flight(), 0);

    // Dropping a live stream parks it; the driver's drop cancels and waits for it.
    let mut live = driver.multishot(AcceptMulti {
        fd: listener.as_raw_fd(),
        flags: 0,
    });
    let waker = Waker::from(Arc::new(NoWake));
    assert!(live
        .poll_next(&mut Context::from_waker(&waker))
        .is_pending());
    drop(live);
    assert_eq!(driver.in_flight(), 1);
    drop(driver);
    // A timeout submission dropped early is parked the same way.
    let ledger_driver = LocalDriver::new(4).unwrap();
    let mut t = Submission::new(Timeout::new(Duration::from_secs(30)), &ledger_driver).eager();
    assert!(poll_once(&mut t).is_pending());
    drop(t);
    let start = std::time::Instant::now();
    ledger_driver.run_until_idle().unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "the async cancel stopped the timeout"
    );
}

fn unsafe_zeroed_sockaddr_in() -> libc::sockaddr_in {
    // SAFETY: sockaddr_in is plain integers; all-zero is valid.
    unsafe { std::mem::zeroed() }
}
