//! Batches: many events through one `BatchSubmission`, one completion slot and one wake-up —
//! results in order, batches larger than the SQ, per-member errors, linked members, and the
//! ownership contract when a batch is dropped or its driver goes away mid-flight.

mod event_common;

use event_common::{close, drain_pipe, pipe, poll_once, write_fd, Counted, Ledger};
use ringcore::driver::{LocalDriver, SharedDriver};
use ringcore::event::events::{AcceptMulti, Nop, Read, WithTimeout, Write, CURRENT_POSITION};
use ringcore::event::{Batch, BatchSubmission, Event, Registry, BATCH_UNSET};
use ringcore::sys::Cqe;
use ringcore::Errno;
use std::future::Future;
use std::io::Write as _;
use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::task::{Poll, Waker};
use std::time::Duration;

#[test]
fn a_batch_larger_than_the_sq_completes_every_member_in_order() {
    // 8 SQ entries, 100 members: preparing them needs several submits on the way.
    let driver = LocalDriver::new(8).unwrap();
    let mut batch = Batch::with_capacity(100);
    for _ in 0..100 {
        batch.push(Nop);
    }
    assert_eq!(batch.result(0), None, "no result before the run");
    let batch = driver.block_on(driver.submit_batch(batch)).unwrap();
    assert_eq!(batch.len(), 100);
    assert_eq!(batch.results().len(), 100);
    assert!(batch.results().all(|r| r == Ok(0)));
    assert_eq!(batch.result(99), Some(Ok(0)));
    assert_eq!(batch.result(100), None);
    assert_eq!(driver.in_flight(), 0);
}

#[test]
fn reads_in_a_batch_fill_their_own_buffers() {
    let mut file = tempfile();
    let data: Vec<u8> = (0..64 * 1024).map(|i| (i * 7 % 251) as u8).collect();
    file.write_all(&data).unwrap();
    let driver = LocalDriver::new(16).unwrap();
    let mut batch = Batch::new();
    for i in 0..16u64 {
        batch.push(Read::new(file.as_raw_fd(), vec![0u8; 4096], i * 4096));
    }
    let mut batch = driver.block_on(driver.submit_batch(batch)).unwrap();
    for (i, (read, res)) in batch.drain().enumerate() {
        assert_eq!(res, Some(Ok(4096)), "read {i}");
        assert_eq!(read.buf[..], data[i * 4096..(i + 1) * 4096], "read {i}");
    }
    assert!(batch.is_empty());
}

#[test]
fn each_member_reports_its_own_error() {
    let (rd, wr) = pipe();
    write_fd(wr, b"0123456789");
    let driver = LocalDriver::new(8).unwrap();
    let mut batch = Batch::new();
    batch.push(Read::new(rd, vec![0u8; 4], CURRENT_POSITION));
    batch.push(Read::new(-1, vec![0u8; 4], CURRENT_POSITION));
    batch.push(Read::new(rd, vec![0u8; 4], CURRENT_POSITION));
    let batch = driver.block_on(driver.submit_batch(batch)).unwrap();
    assert_eq!(batch.result(0), Some(Ok(4)));
    assert_eq!(batch.result(1), Some(Err(Errno::EBADF)));
    assert_eq!(batch.result(2), Some(Ok(4)));
    assert_eq!(&batch.events()[0].buf[..], b"0123");
    assert_eq!(&batch.events()[2].buf[..], b"4567");
    close(rd);
    close(wr);
}

#[test]
fn linked_members_take_two_sqes_and_report_the_first() {
    let (rd, wr) = pipe();
    let driver = LocalDriver::new(8).unwrap();
    let mut batch = Batch::new();
    // Each read waits on an empty pipe until its link timeout cancels it: 2 SQEs each, 10
    // members, 20 SQEs through an 8-entry SQ.
    for _ in 0..10 {
        batch.push(WithTimeout::new(
            Read::new(rd, vec![0u8; 8], CURRENT_POSITION),
            Duration::from_millis(5),
        ));
    }
    assert_eq!(batch.events()[0].sqe_count(), 2);
    let batch = driver.block_on(driver.submit_batch(batch)).unwrap();
    assert!(
        batch.results().all(|r| r == Err(Errno::ECANCELED)),
        "{:?}",
        batch.results().collect::<Vec<_>>()
    );
    driver.run_until_idle().unwrap();
    assert_eq!(driver.in_flight(), 0);
    close(rd);
    close(wr);
}

#[test]
fn singles_and_batches_complete_side_by_side() {
    // Two batches and single submissions polled together: their SQEs go out in one submit and
    // their CQEs arrive interleaved in one reap, which must split the runs correctly.
    let driver = LocalDriver::new(64).unwrap();
    let mut a = Batch::new();
    let mut b = Batch::new();
    let (rd, wr) = pipe();
    write_fd(wr, b"abcdefghijkl");
    for _ in 0..10 {
        a.push(Nop);
    }
    for _ in 0..4 {
        b.push(Read::new(rd, vec![0u8; 3], CURRENT_POSITION));
    }
    let mut a = driver.submit_batch(a);
    let mut singles: Vec<_> = (0..5).map(|_| Some(driver.submit_event(Nop))).collect();
    let mut b = Box::pin(driver.submit_batch(b));
    let mut out_a = None;
    let mut out_b = None;
    let mut done = 0;
    driver
        .block_on(std::future::poll_fn(|cx| {
            if out_a.is_none() {
                if let Poll::Ready(batch) = std::pin::Pin::new(&mut a).poll(cx) {
                    out_a = Some(batch);
                }
            }
            for s in singles.iter_mut() {
                if let Some(sub) = s {
                    if let Poll::Ready((_, res)) = std::pin::Pin::new(sub).poll(cx) {
                        assert_eq!(res, Ok(0));
                        *s = None;
                        done += 1;
                    }
                }
            }
            if out_b.is_none() {
                if let Poll::Ready(batch) = b.as_mut().poll(cx) {
                    out_b = Some(batch);
                }
            }
            if out_a.is_some() && out_b.is_some() && done == 5 {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        }))
        .unwrap();
    let (a, b) = (out_a.unwrap(), out_b.unwrap());
    assert!(a.results().all(|r| r == Ok(0)));
    assert!(b.results().all(|r| r == Ok(3)));
    let mut read: Vec<u8> = b.events().iter().flat_map(|r| r.buf.clone()).collect();
    read.sort_unstable();
    assert_eq!(read, b"abcdefghijkl");
    assert_eq!(driver.in_flight(), 0);
    close(rd);
    close(wr);
}

#[test]
fn an_empty_batch_is_ready_at_once() {
    let driver = LocalDriver::new(4).unwrap();
    let batch: Batch<Nop> = Batch::new();
    let mut sub = driver.submit_batch(batch);
    let Poll::Ready(batch) = poll_once(&mut sub) else {
        panic!("an empty batch has nothing to wait for");
    };
    assert!(batch.is_empty());
    assert_eq!(batch.results().len(), 0);
}

#[test]
fn multishot_members_are_refused_and_nothing_is_submitted() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let driver = LocalDriver::new(4).unwrap();
    let mut batch = Batch::new();
    batch.push(AcceptMulti {
        fd: listener.as_raw_fd(),
        flags: 0,
    });
    let batch = driver.block_on(driver.submit_batch(batch)).unwrap();
    assert_eq!(batch.result(0), Some(Err(Errno::EINVAL)));
    assert_eq!(driver.in_flight(), 0);
}

#[test]
fn a_batch_runs_again_after_clear() {
    let driver = LocalDriver::new(32).unwrap();
    let mut batch = Batch::with_capacity(32);
    for round in 0..3 {
        batch.clear();
        for _ in 0..32 {
            batch.push(Nop);
        }
        batch = driver.block_on(driver.submit_batch(batch)).unwrap();
        assert_eq!(
            batch.results().filter(|r| r.is_ok()).count(),
            32,
            "round {round}"
        );
    }
    assert_eq!(driver.in_flight(), 0);
}

#[test]
fn a_dropped_batch_frees_every_buffer_once_after_its_cqe() {
    const READS: usize = 8;
    let ledger = Arc::new(Ledger::default());
    let driver = LocalDriver::new(16).unwrap();
    let pipes: Vec<(i32, i32)> = (0..READS).map(|_| pipe()).collect();
    let mut batch = Batch::new();
    for &(rd, _) in &pipes {
        batch.push(Read::new(rd, Counted::new(16, &ledger), CURRENT_POSITION));
    }
    let mut sub = driver.submit_batch(batch);
    assert!(poll_once(&mut sub).is_pending());
    assert_eq!(sub.prepared(), READS);
    driver.run_once(0).unwrap();
    assert_eq!(driver.in_flight(), 1, "one batch in the kernel");
    drop(sub);
    assert_eq!(ledger.drops(), 0, "the kernel still owns the buffers");
    // Half the pipes get data: those reads may land in parked buffers, which must be alive.
    for &(_, wr) in &pipes[..READS / 2] {
        write_fd(wr, b"kernel was here");
    }
    assert_eq!(ledger.drops(), 0, "freed before the CQEs");
    driver.run_until_idle().unwrap();
    assert_eq!(driver.in_flight(), 0);
    assert_eq!(ledger.drops(), READS, "each buffer freed exactly once");
    let left: usize = pipes.iter().map(|&(rd, _)| drain_pipe(rd)).sum();
    assert_eq!(ledger.written() + left, 15 * READS / 2, "no byte lost");
    for c in ledger.contents.lock().unwrap().iter() {
        assert!(c.is_empty() || c == b"kernel was here");
    }
    for (rd, wr) in pipes {
        close(rd);
        close(wr);
    }
}

#[test]
fn a_batch_dropped_before_it_ran_drops_its_events_at_once() {
    let ledger = Arc::new(Ledger::default());
    let driver = LocalDriver::new(4).unwrap();
    let (rd, wr) = pipe();
    let mut batch = Batch::new();
    batch.push(Read::new(rd, Counted::new(8, &ledger), CURRENT_POSITION));
    let sub = driver.submit_batch(batch);
    drop(sub);
    assert_eq!(ledger.drops(), 1);
    assert_eq!(driver.in_flight(), 0);
    close(rd);
    close(wr);
}

#[test]
fn a_half_prepared_batch_dropped_frees_prepared_and_unprepared_members_once() {
    // 4 SQ entries, 10 reads on an empty pipe: the first poll prepares what fits, submits,
    // prepares more; dropping then must cancel the prepared ones and drop the rest.
    let ledger = Arc::new(Ledger::default());
    let (rd, wr) = pipe();
    {
        let driver = LocalDriver::new(4).unwrap();
        let mut batch = Batch::new();
        for _ in 0..10 {
            batch.push(Read::new(rd, Counted::new(8, &ledger), CURRENT_POSITION));
        }
        let mut sub = driver.submit_batch(batch);
        assert!(poll_once(&mut sub).is_pending());
        let prepared = sub.prepared();
        assert!(prepared > 0 && prepared <= 10, "prepared {prepared}");
        drop(sub);
        assert_eq!(
            ledger.drops(),
            10 - prepared,
            "unprepared members drop at once"
        );
        driver.run_until_idle().unwrap();
        assert_eq!(ledger.drops(), 10);
    }
    assert_eq!(ledger.drops(), 10);
    close(rd);
    close(wr);
}

#[test]
fn dropping_the_driver_under_a_forgotten_batch_leaves_no_request_in_the_kernel() {
    const READS: usize = 200;
    let ledger = Arc::new(Ledger::default());
    let (rd, wr) = pipe();
    {
        let driver = LocalDriver::new(64).unwrap();
        let mut batch = Batch::new();
        for _ in 0..READS {
            batch.push(Read::new(rd, Counted::new(16, &ledger), CURRENT_POSITION));
        }
        let mut sub = driver.submit_batch(batch);
        while sub.prepared() < READS {
            assert!(poll_once(&mut sub).is_pending());
            driver.run_once(0).unwrap();
        }
        assert_eq!(driver.in_flight(), 1);
        // Forgotten, not dropped: its events leak with it, and only the driver's drain can
        // take the batch's requests back from the kernel.
        std::mem::forget(sub);
        write_fd(wr, &[7u8; 64]);
    }
    // The driver cancelled and reaped every member before it went: no read of it is left to
    // take what is written now.
    drain_pipe(rd);
    write_fd(wr, &[8u8; 32]);
    assert_eq!(drain_pipe(rd), 32);
    close(rd);
    close(wr);
}

#[test]
fn dropping_the_driver_after_the_batch_was_dropped_runs_its_cancellation_once() {
    const READS: usize = 100;
    let ledger = Arc::new(Ledger::default());
    let (rd, wr) = pipe();
    {
        let driver = LocalDriver::new(32).unwrap();
        let mut batch = Batch::new();
        for _ in 0..READS {
            batch.push(Read::new(rd, Counted::new(16, &ledger), CURRENT_POSITION));
        }
        let mut sub = driver.submit_batch(batch);
        while sub.prepared() < READS {
            assert!(poll_once(&mut sub).is_pending());
            driver.run_once(0).unwrap();
        }
        drop(sub);
        write_fd(wr, &[9u8; 48]);
        assert_eq!(ledger.drops(), 0, "freed before the kernel let go");
    }
    assert_eq!(ledger.drops(), READS, "every buffer freed exactly once");
    let left = drain_pipe(rd);
    assert_eq!(ledger.written() + left, 48);
    close(rd);
    close(wr);
}

#[test]
fn shared_driver_runs_batches_from_several_threads() {
    let driver = SharedDriver::new(16).unwrap();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let driver = driver.clone();
            std::thread::spawn(move || {
                let mut file = tempfile();
                let msg = format!("thread {t} wrote this");
                let mut batch = Batch::new();
                for _ in 0..25 {
                    batch.push(Write::new(
                        file.as_raw_fd(),
                        msg.clone().into_bytes(),
                        CURRENT_POSITION,
                    ));
                }
                let batch = driver.block_on(driver.submit_batch(batch)).unwrap();
                assert!(batch.results().all(|r| r == Ok(msg.len() as u32)));
                file.flush().unwrap();
                let len = file.metadata().unwrap().len();
                assert_eq!(len, 25 * msg.len() as u64);
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(driver.in_flight(), 0);
}

#[test]
fn registry_matches_members_by_key_and_generation() {
    let waker = Waker::noop();
    let mut reg = Registry::new();
    let key = reg.insert_batch(vec![BATCH_UNSET; 3], waker).unwrap();
    reg.batch_prepared(key, 3);
    reg.batch_close(key);
    assert_eq!(reg.in_kernel(), 1);
    let mut keys = Vec::new();
    reg.keys_in_kernel(&mut keys);
    keys.sort();
    let members: Vec<u64> = (0..3)
        .map(|m| ringcore::event::batch_member_key(key, m))
        .collect();
    assert_eq!(keys, members);
    // Out of order, with a foreign CQE (another generation of the slot) in between.
    reg.dispatch(&cqe(members[2], 30, 0));
    reg.dispatch(&cqe(members[1] ^ (1 << 40), 99, 0));
    reg.dispatch(&cqe(members[0], 10, 0));
    assert_eq!(reg.poll_batch(key, waker), Poll::Pending);
    // A member's key names that member; the batch's key (member 0's) names the whole batch.
    assert!(!reg.is_in_kernel(members[2]));
    assert!(reg.is_in_kernel(members[1]));
    assert!(reg.is_in_kernel(key));
    reg.dispatch(&cqe(members[1], -5, 0));
    assert_eq!(reg.in_kernel(), 0);
    assert_eq!(
        reg.poll_batch(key, waker),
        Poll::Ready(vec![(10, 0), (-5, 0), (30, 0)])
    );
    // The slot is free again: the old key is stale.
    assert_eq!(reg.poll_batch(key, waker), Poll::Pending);
    reg.dispatch(&cqe(members[0], 1, 0));
    assert_eq!(reg.in_kernel(), 0);
}

#[test]
fn a_zero_copy_notification_ends_a_member_without_replacing_its_result() {
    let waker = Waker::noop();
    let mut reg = Registry::new();
    let key = reg.insert_batch(vec![BATCH_UNSET; 1], waker).unwrap();
    reg.batch_prepared(key, 1);
    reg.batch_close(key);
    let more = ringcore::sys::CqeFlags::MORE.bits();
    let notif = ringcore::sys::CqeFlags::NOTIF.bits();
    reg.dispatch(&cqe(key, 64, more));
    assert_eq!(reg.poll_batch(key, waker), Poll::Pending);
    reg.dispatch(&cqe(key, 0, notif));
    assert_eq!(reg.poll_batch(key, waker), Poll::Ready(vec![(64, more)]));
}

fn cqe(user_data: u64, res: i32, flags: u32) -> Cqe {
    Cqe {
        user_data,
        res,
        flags,
    }
}

/// An anonymous temporary file, removed from the file system at once.
fn tempfile() -> std::fs::File {
    let dir = std::env::temp_dir();
    let path = dir.join(format!(
        "ringcore-batch-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    file
}

// `BatchSubmission` is a plain future: it can be held in a struct and polled by any executor.
#[allow(dead_code)]
struct Holder<'a>(BatchSubmission<Nop, &'a LocalDriver>);
