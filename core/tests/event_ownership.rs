//! The ownership contract of the event layer, with a buffer that counts its drops: memory lent
//! to the kernel is freed exactly once, and only after the kernel let go of it.

mod event_common;

use event_common::{close, drain_pipe, pipe, poll_once, write_fd, Counted, Ledger, NoWake, CANARY};
use ringcore::driver::LocalDriver;
use ringcore::event::events::{AcceptMulti, Nop, Read, Timeout, CURRENT_POSITION};
use ringcore::event::Submission;
use ringcore::Errno;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

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
