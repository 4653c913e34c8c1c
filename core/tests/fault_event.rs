//! Fault injection at the safe layer, for the thread-safe driver (the single-threaded one is
//! covered in `event_ownership.rs` and `event_drivers.rs`): SQ-full backpressure with several
//! threads submitting more than the ring holds, and the driver dropped with 1,000 reads in
//! flight whose buffers count their drops.

mod event_common;

use event_common::{close, pipe, Counted, Ledger, NoWake, CANARY};
use ringcore::driver::SharedDriver;
use ringcore::event::events::{Nop, Read, Timeout, CURRENT_POSITION};
use ringcore::event::Submission;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

/// Polls every future until all are done.
fn join_all<F: Future + Unpin>(mut futs: Vec<F>) -> impl Future<Output = Vec<F::Output>> {
    let mut out: Vec<Option<F::Output>> = futs.iter().map(|_| None).collect();
    std::future::poll_fn(move |cx| {
        for (f, o) in futs.iter_mut().zip(out.iter_mut()) {
            if o.is_none() {
                if let Poll::Ready(v) = Pin::new(f).poll(cx) {
                    *o = Some(v);
                }
            }
        }
        if out.iter().all(Option::is_some) {
            Poll::Ready(out.iter_mut().map(|o| o.take().unwrap()).collect())
        } else {
            Poll::Pending
        }
    })
}

/// Four threads each keep 150 operations going on an 8-entry SQ: every one completes, with
/// its own result, and nothing stays in flight.
#[test]
fn shared_driver_sq_full_backpressure_from_four_threads() {
    const THREADS: usize = 4;
    const PER_THREAD: usize = 150;
    let driver = SharedDriver::new(8).unwrap();
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let driver = driver.clone();
            std::thread::spawn(move || {
                let nops: Vec<_> = (0..PER_THREAD)
                    .map(|_| Submission::new(Nop, driver.clone()))
                    .collect();
                let timeouts: Vec<_> = (0..PER_THREAD / 10)
                    .map(|i| {
                        Submission::new(
                            Timeout::new(Duration::from_millis(1 + (t * 7 + i) as u64 % 5)),
                            driver.clone(),
                        )
                    })
                    .collect();
                let (nops, timeouts) = driver
                    .block_on(async { (join_all(nops).await, join_all(timeouts).await) })
                    .unwrap();
                assert!(nops.iter().all(|(_, r)| *r == Ok(0)));
                assert!(timeouts
                    .iter()
                    .all(|(_, r)| *r == Err(ringcore::Errno::ETIME)));
                nops.len() + timeouts.len()
            })
        })
        .collect();
    let total: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(total, THREADS * (PER_THREAD + PER_THREAD / 10));
    assert_eq!(driver.in_flight(), 0);
}

/// 1,000 reads on empty pipes, abandoned from four threads while the kernel owns their
/// buffers; some get data afterwards. Dropping the last driver clone cancels and waits for all
/// of them: no buffer is freed before that, each exactly once after, and every byte written is
/// either in a dropped buffer or still in the pipe.
#[test]
fn shared_driver_dropped_with_1000_reads_in_flight() {
    const THREADS: usize = 4;
    const PER_THREAD: usize = 250;
    const WRITTEN: usize = 400;
    let ledger = Arc::new(Ledger::default());
    let (rd, wr) = pipe();
    let driver = SharedDriver::new(64).unwrap();
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let driver = driver.clone();
            let ledger = ledger.clone();
            std::thread::spawn(move || {
                let mut subs: Vec<_> = (0..PER_THREAD)
                    .map(|_| {
                        let buf = Counted {
                            data: vec![CANARY; 8],
                            ledger: ledger.clone(),
                        };
                        Submission::new(Read::new(rd, buf, CURRENT_POSITION), driver.clone())
                    })
                    .collect();
                // Poll until every read is in the kernel (the SQ holds 64: backpressure).
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
                // Abandoned while the kernel owns the buffers.
                drop(subs);
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(driver.in_flight(), THREADS * PER_THREAD);
    assert_eq!(
        ledger.drops.load(Ordering::SeqCst),
        0,
        "freed while in flight"
    );
    // SAFETY: `wr` is an open pipe write end; the buffer is WRITTEN bytes.
    let n = unsafe { libc::write(wr, [7u8; WRITTEN].as_ptr().cast(), WRITTEN) };
    assert_eq!(n, WRITTEN as isize);
    drop(driver);
    assert_eq!(ledger.drops.load(Ordering::SeqCst), THREADS * PER_THREAD);
    // What the reads did not take is still in the pipe.
    // SAFETY: `rd` is an open pipe read end; made non-blocking so the drain stops when empty.
    unsafe { libc::fcntl(rd, libc::F_SETFL, libc::O_NONBLOCK) };
    let mut left = 0;
    let mut scratch = [0u8; 512];
    loop {
        // SAFETY: `scratch` is writable for its length.
        let r = unsafe { libc::read(rd, scratch.as_mut_ptr().cast(), scratch.len()) };
        if r <= 0 {
            break;
        }
        left += r as usize;
    }
    assert_eq!(ledger.written.load(Ordering::SeqCst) + left, WRITTEN);
    close(rd);
    close(wr);
}

/// Runs `f` on its own thread and fails if it does not finish within `limit` (a hang).
fn finishes_within(limit: Duration, f: impl FnOnce() + Send + 'static) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        f();
        let _ = tx.send(());
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("did not finish within {limit:?}: hang"));
}

/// Found by the `event_ops` fuzz target: reads prepared into a full SQ but not yet submitted,
/// then abandoned. Their cancels cannot be queued (no SQ room) and are deferred; dropping the
/// driver must still cancel them rather than submit the reads and wait for them forever.
#[test]
fn local_driver_dropped_with_a_full_sq_of_unsubmitted_reads() {
    finishes_within(Duration::from_secs(10), || {
        let ledger = Arc::new(Ledger::default());
        let (rd, wr) = pipe();
        {
            let driver = ringcore::driver::LocalDriver::new(8).unwrap();
            let waker = std::task::Waker::from(Arc::new(NoWake));
            let mut cx = std::task::Context::from_waker(&waker);
            let mut subs: Vec<_> = (0..8)
                .map(|_| {
                    let buf = Counted {
                        data: vec![CANARY; 4],
                        ledger: ledger.clone(),
                    };
                    Submission::new(Read::new(rd, buf, CURRENT_POSITION), &driver)
                })
                .collect();
            for sub in &mut subs {
                assert!(Pin::new(sub).poll(&mut cx).is_pending());
            }
            drop(subs);
            assert_eq!(ledger.drops.load(Ordering::SeqCst), 0);
        }
        assert_eq!(ledger.drops.load(Ordering::SeqCst), 8);
        close(rd);
        close(wr);
    });
}

/// The same with the thread-safe driver.
#[test]
fn shared_driver_dropped_with_a_full_sq_of_unsubmitted_reads() {
    finishes_within(Duration::from_secs(10), || {
        let ledger = Arc::new(Ledger::default());
        let (rd, wr) = pipe();
        {
            let driver = SharedDriver::new(8).unwrap();
            let waker = std::task::Waker::from(Arc::new(NoWake));
            let mut cx = std::task::Context::from_waker(&waker);
            let mut subs: Vec<_> = (0..8)
                .map(|_| {
                    let buf = Counted {
                        data: vec![CANARY; 4],
                        ledger: ledger.clone(),
                    };
                    Submission::new(Read::new(rd, buf, CURRENT_POSITION), driver.clone())
                })
                .collect();
            for sub in &mut subs {
                assert!(Pin::new(sub).poll(&mut cx).is_pending());
            }
            drop(subs);
            assert_eq!(ledger.drops.load(Ordering::SeqCst), 0);
        }
        assert_eq!(ledger.drops.load(Ordering::SeqCst), 8);
        close(rd);
        close(wr);
    });
}
