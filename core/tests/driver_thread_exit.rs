//! A request's life does not depend on the thread that happened to submit it.
//!
//! The kernel ties an io_uring request to the task that submitted it: when that thread exits,
//! the request's completion work can no longer run and it ends with `ECANCELED`. Each test
//! here polls a future first on a short-lived thread (which prepares, and with the old code
//! submitted, its request), lets that thread exit, only then writes the data the request
//! waits for, and completes the future on another thread: it must return the data.
#![forbid(unsafe_code)]

use ringcore::driver::{BackgroundDriver, SharedDriver};
use ringcore::event::events::{Read, CURRENT_POSITION};
use ringcore::event::{Batch, BatchSubmission, Submission};
use ringcore::Ring;
use std::future::Future;
use std::io::{PipeReader, PipeWriter, Write};
use std::os::fd::AsRawFd;
use std::pin::Pin;
use std::sync::mpsc;
use std::task::{Context, Waker};
use std::thread;
use std::time::Duration;

/// What the readers expect from their pipe.
const DATA: &[u8] = b"after the submitting thread exited";

/// How long a test waits for its futures; they finish at once when all is well.
const WAIT: Duration = Duration::from_secs(10);

fn pipes(n: usize) -> Vec<(PipeReader, PipeWriter)> {
    (0..n).map(|_| std::io::pipe().unwrap()).collect()
}

fn read_of(reader: &PipeReader) -> Read<Vec<u8>> {
    Read::new(reader.as_raw_fd(), vec![0; 64], CURRENT_POSITION)
}

/// Polls `fut` once on a new thread, which then exits; returns the future afterwards.
fn poll_once_on_a_thread_that_exits<F: Future + Unpin + Send + 'static>(mut fut: F) -> F {
    thread::spawn(move || {
        let mut cx = Context::from_waker(Waker::noop());
        assert!(Pin::new(&mut fut).poll(&mut cx).is_pending());
        fut
    })
    .join()
    .unwrap()
}

/// Runs `f` on another thread and fails the test if it takes longer than [`WAIT`] (a lost
/// request would otherwise hang it).
fn within<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(WAIT)
        .unwrap_or_else(|_| panic!("{what}: no result in {WAIT:?}"))
}

fn write_all(pipes: &[(PipeReader, PipeWriter)]) {
    for (_, w) in pipes {
        (&*w).write_all(DATA).unwrap();
    }
}

fn check_read(what: &str, read: &Read<Vec<u8>>, res: Result<u32, ringcore::Errno>) {
    assert_eq!(res, Ok(DATA.len() as u32), "{what}");
    assert_eq!(&read.buf[..DATA.len()], DATA, "{what}");
}

fn check_batch(what: &str, batch: &Batch<Read<Vec<u8>>>) {
    for (i, (read, res)) in batch.events().iter().zip(batch.results()).enumerate() {
        check_read(&format!("{what}, member {i}"), read, res);
    }
}

#[test]
fn shared_driver_request_outlives_the_thread_that_submitted_it() {
    let driver = SharedDriver::new(8).unwrap();
    let pipes = pipes(1);
    let sub = poll_once_on_a_thread_that_exits(driver.submit_event(read_of(&pipes[0].0)));
    write_all(&pipes);
    let d = driver.clone();
    let (read, res) = within("SharedDriver read", move || d.block_on(sub).unwrap());
    check_read("SharedDriver read", &read, res);
    assert_eq!(driver.in_flight(), 0);
}

#[test]
fn shared_driver_batch_larger_than_the_sq_outlives_the_thread_that_prepared_it() {
    // Two SQ slots for six members: the polling thread fills the SQ and has it submitted to
    // make room, all inside one poll.
    let driver = SharedDriver::new(2).unwrap();
    let pipes = pipes(6);
    let mut batch = Batch::with_capacity(pipes.len());
    for (r, _) in &pipes {
        batch.push(read_of(r));
    }
    let sub = poll_once_on_a_thread_that_exits(driver.submit_batch(batch));
    write_all(&pipes);
    let d = driver.clone();
    let batch = within("SharedDriver batch", move || d.block_on(sub).unwrap());
    check_batch("SharedDriver batch", &batch);
    assert_eq!(driver.in_flight(), 0);
}

#[test]
fn shared_driver_over_a_plain_ring_request_outlives_the_thread_that_polled_it() {
    // Without an SQ polling thread only `block_on` and `run_once` submit: the polling thread
    // that exits only prepared the request.
    let driver = SharedDriver::with_builder(Ring::builder(8)).unwrap();
    let pipes = pipes(1);
    let sub = poll_once_on_a_thread_that_exits(driver.submit_event(read_of(&pipes[0].0)));
    write_all(&pipes);
    let d = driver.clone();
    let (read, res) = within("plain SharedDriver read", move || d.block_on(sub).unwrap());
    check_read("plain SharedDriver read", &read, res);
}

#[test]
fn shared_driver_over_a_plain_ring_batch_larger_than_the_sq_outlives_the_thread_that_polled_it() {
    // The polling thread finds the SQ full and waits for a runner instead of submitting.
    let driver = SharedDriver::with_builder(Ring::builder(2)).unwrap();
    let pipes = pipes(6);
    let mut batch = Batch::with_capacity(pipes.len());
    for (r, _) in &pipes {
        batch.push(read_of(r));
    }
    let sub = poll_once_on_a_thread_that_exits(driver.submit_batch(batch));
    write_all(&pipes);
    let d = driver.clone();
    let batch = within("plain SharedDriver batch", move || d.block_on(sub).unwrap());
    check_batch("plain SharedDriver batch", &batch);
}

#[test]
fn background_driver_request_outlives_the_thread_that_prepared_it() {
    let driver = BackgroundDriver::new(8).unwrap();
    let pipes = pipes(1);
    let sub = Submission::new(read_of(&pipes[0].0), driver.clone());
    let sub = poll_once_on_a_thread_that_exits(sub);
    write_all(&pipes);
    let (read, res) = within("BackgroundDriver read", move || {
        futures::executor::block_on(sub)
    });
    check_read("BackgroundDriver read", &read, res);
}

#[test]
fn background_driver_batch_larger_than_the_sq_outlives_the_thread_that_prepared_it() {
    // The full-SQ path: two slots for six members, so the polling thread runs out of room
    // within one poll.
    let driver = BackgroundDriver::new(2).unwrap();
    let pipes = pipes(6);
    let mut batch = Batch::with_capacity(pipes.len());
    for (r, _) in &pipes {
        batch.push(read_of(r));
    }
    let sub = poll_once_on_a_thread_that_exits(BatchSubmission::new(batch, driver.clone()));
    write_all(&pipes);
    let batch = within("BackgroundDriver batch", move || {
        futures::executor::block_on(sub)
    });
    check_batch("BackgroundDriver batch", &batch);
}

#[test]
fn background_driver_requests_beyond_a_full_sq_outlive_the_thread_that_prepared_them() {
    // Single requests, more than the SQ holds, all polled by one short-lived thread before the
    // reaper can submit them: the later ones find the SQ full.
    let driver = BackgroundDriver::new(1).unwrap();
    let pipes = pipes(8);
    let subs: Vec<_> = pipes
        .iter()
        .map(|(r, _)| Submission::new(read_of(r), driver.clone()))
        .collect();
    let subs = thread::spawn(move || {
        let mut cx = Context::from_waker(Waker::noop());
        let mut subs = subs;
        for sub in &mut subs {
            let _ = Pin::new(sub).poll(&mut cx);
        }
        subs
    })
    .join()
    .unwrap();
    write_all(&pipes);
    for (i, sub) in subs.into_iter().enumerate() {
        let what = format!("BackgroundDriver read {i}");
        let (read, res) = within(&what.clone(), move || futures::executor::block_on(sub));
        check_read(&what, &read, res);
    }
}
