//! User-space cost of the safe layer against the raw ring, per NOP.
//!
//! Both loops submit NOPs in batches of 32 on a 256-entry ring. Run each under callgrind with
//! two sizes and divide the difference of instruction counts by the difference of NOPs:
//!
//! ```text
//! RINGCORE_NOPS=100000 valgrind --tool=callgrind target/release/deps/event_bench-* --ignored --exact safe_nops
//! RINGCORE_NOPS=200000 valgrind --tool=callgrind target/release/deps/event_bench-* --ignored --exact safe_nops
//! ```
//! (and the same with `raw_nops` and `batch_nops`). The tests are ignored in normal runs; they
//! check their sums.

use ringcore::driver::LocalDriver;
use ringcore::event::events::Nop;
use ringcore::event::{Batch, Submission};
use ringcore::{op, Ring};
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

const BATCH: usize = 32;

fn nops() -> usize {
    std::env::var("RINGCORE_NOPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000)
}

#[test]
#[ignore = "a benchmark: run under callgrind"]
fn raw_nops() {
    let n = nops() / BATCH;
    let mut ring = Ring::new(256).unwrap();
    let mut sum = 0u64;
    for _ in 0..n {
        for i in 0..BATCH as u64 {
            let sqe = ring.get_sqe().unwrap();
            op::nop(sqe);
            sqe.user_data = i;
        }
        ring.submit_and_wait(BATCH as u32).unwrap();
        for cqe in ring.completions() {
            sum += cqe.user_data;
        }
    }
    assert_eq!(sum, n as u64 * (0..BATCH as u64).sum::<u64>());
}

#[test]
#[ignore = "a benchmark: run under callgrind"]
fn safe_nops() {
    let n = nops() / BATCH;
    let driver = LocalDriver::new(256).unwrap();
    let done = driver
        .block_on(async {
            let mut done = 0usize;
            for _ in 0..n {
                let mut subs: [Submission<Nop, &LocalDriver>; BATCH] =
                    std::array::from_fn(|_| Submission::new(Nop, &driver));
                let mut pending = u32::MAX;
                std::future::poll_fn(|cx| {
                    let mut bits = pending;
                    while bits != 0 {
                        let i = bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        if let Poll::Ready((_, res)) = Pin::new(&mut subs[i]).poll(cx) {
                            done += res.is_ok() as usize;
                            pending &= !(1 << i);
                        }
                    }
                    if pending == 0 {
                        Poll::Ready(())
                    } else {
                        Poll::Pending
                    }
                })
                .await;
            }
            done
        })
        .unwrap();
    assert_eq!(done, n * BATCH);
}

#[test]
#[ignore = "a benchmark: run under callgrind"]
fn batch_nops() {
    let n = nops() / BATCH;
    let driver = LocalDriver::new(256).unwrap();
    let done = driver
        .block_on(async {
            let mut done = 0usize;
            let mut batch = Batch::with_capacity(BATCH);
            for _ in 0..n {
                batch.clear();
                for _ in 0..BATCH {
                    batch.push(Nop);
                }
                batch = driver.submit_batch(batch).await;
                done += batch.results().filter(Result::is_ok).count();
            }
            done
        })
        .unwrap();
    assert_eq!(done, n * BATCH);
}
