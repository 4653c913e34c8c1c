//! The loops behind the README's "hot path, measured" figures: NOPs through the raw ring and the
//! safe layer, `N` of them, for `make perf-rust` to run under callgrind at two sizes.
//!
//! `nop_cost LOOP N`, LOOP one of:
//! - `ring32`: batches of 32 with the batch cursor (`Ring::sq_batch`), reap all;
//! - `ring32-get`: the same with `Ring::get_sqe`;
//! - `ring1`: one NOP per `submit_and_wait(1)`, reaped with `peek_cqe` / `cqe_seen`;
//! - `batch32`: a `Batch` of 32 per `BatchSubmission` on a `LocalDriver`;
//! - `safe32`: 32 `Submission`s polled together, then again.
//!
//! The raw loops are those of `c_tests/perf/nop_cost.c` (`make perf-c`): take, prepare and tag
//! each SQE, submit and wait once per batch, sum the reaped `user_data`; the safe-layer loops
//! check every result. Each checks the sum of what it reaped at the end.

use ringcore::driver::LocalDriver;
use ringcore::event::events::Nop;
use ringcore::event::{Batch, Submission};
use ringcore::op::SqeOptions as _;
use ringcore::{op, Errno, Ring};
use std::future::Future;
use std::pin::Pin;
use std::process::ExitCode;
use std::task::Poll;

const BATCH: u64 = 32;

fn ring32(n: u64, cursor: bool) -> Result<u64, Errno> {
    let mut ring = Ring::new(256)?;
    let (mut sum, mut next) = (0, 0);
    while next < n {
        if cursor {
            let mut sq = ring.sq_batch();
            for _ in 0..BATCH {
                let sqe = sq.get_sqe().ok_or(Errno::EBUSY)?;
                op::nop(sqe);
                sqe.user_data(next);
                next += 1;
            }
        } else {
            for _ in 0..BATCH {
                let sqe = ring.get_sqe().ok_or(Errno::EBUSY)?;
                op::nop(sqe);
                sqe.user_data(next);
                next += 1;
            }
        }
        ring.submit_and_wait(BATCH as u32)?;
        for cqe in ring.completions() {
            sum += cqe.user_data;
        }
    }
    Ok(sum)
}

fn ring1(n: u64) -> Result<u64, Errno> {
    let mut ring = Ring::new(256)?;
    let mut sum = 0;
    for i in 0..n {
        let sqe = ring.get_sqe().ok_or(Errno::EBUSY)?;
        op::nop(sqe);
        sqe.user_data(i);
        ring.submit_and_wait(1)?;
        let cqe = ring.peek_cqe().ok_or(Errno::EIO)?;
        sum += cqe.user_data;
        ring.cqe_seen();
    }
    Ok(sum)
}

fn batch32(n: u64) -> Result<u64, Errno> {
    let driver = LocalDriver::new(256)?;
    driver.block_on(async {
        let (mut next, mut sum) = (0, 0);
        let mut batch = Batch::with_capacity(BATCH as usize);
        while next < n {
            batch.clear();
            for _ in 0..BATCH {
                batch.push(Nop);
            }
            batch = driver.submit_batch(batch).await;
            for res in batch.results() {
                res?;
                sum += next;
                next += 1;
            }
        }
        Ok(sum)
    })?
}

fn safe32(n: u64) -> Result<u64, Errno> {
    let driver = LocalDriver::new(256)?;
    driver.block_on(async {
        let (mut next, mut sum) = (0, 0);
        while next < n {
            let mut subs: [Submission<Nop, &LocalDriver>; BATCH as usize] =
                std::array::from_fn(|_| driver.submit_event(Nop));
            let mut pending = u32::MAX;
            let base = next;
            std::future::poll_fn(|cx| {
                let mut bits = pending;
                while bits != 0 {
                    let i = bits.trailing_zeros();
                    bits &= bits - 1;
                    if let Poll::Ready((_, res)) = Pin::new(&mut subs[i as usize]).poll(cx) {
                        if res.is_ok() {
                            sum += base + u64::from(i);
                        }
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
            next += BATCH;
        }
        Ok(sum)
    })?
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(which), Some(n)) = (args.get(1), args.get(2).and_then(|s| s.parse::<u64>().ok()))
    else {
        eprintln!("usage: nop_cost ring32|ring32-get|ring1|batch32|safe32 N");
        return ExitCode::FAILURE;
    };
    let n = n.next_multiple_of(BATCH);
    let sum = match which.as_str() {
        "ring32" => ring32(n, true),
        "ring32-get" => ring32(n, false),
        "ring1" => ring1(n),
        "batch32" => batch32(n),
        "safe32" => safe32(n),
        _ => Err(Errno::EINVAL),
    };
    match sum {
        Ok(sum) if sum == n * (n - 1) / 2 => {
            println!("{sum}");
            ExitCode::SUCCESS
        }
        Ok(sum) => {
            eprintln!("nop_cost: sum {sum}, expected {}", n * (n - 1) / 2);
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("nop_cost: {e}");
            ExitCode::FAILURE
        }
    }
}
