//! A future of a `LocalDriver` awaited by another executor, with nobody running the driver,
//! still completes: its polls submit and reap, and a watcher thread wakes it when the ring
//! has a completion (documented in docs/drivers.md). Without that it waited forever.
#![forbid(unsafe_code)]

use ringcore::driver::LocalDriver;
use ringcore::event::events::{Nop, Read, CURRENT_POSITION};
use ringcore::event::Batch;
use std::io::Write;
use std::os::fd::AsRawFd;
use std::sync::{mpsc, Mutex};
use std::thread;
use std::time::Duration;

/// The tests count watcher threads: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// Runs `f` on its own thread (a LocalDriver cannot move between threads, so it is made
/// there) and fails the test if it takes longer than 10 s: a hang is the bug.
fn within<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(10))
        .unwrap_or_else(|_| panic!("{what}: no result in 10 s"))
}

fn watcher_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
        .filter(|name| name.trim() == "ringcore-watch")
        .count()
}

/// A read of a pipe that gets its data 100 ms later, awaited through `block_on` (another
/// executor's); returns the bytes read.
fn pipe_read_on(
    block_on: impl FnOnce(&LocalDriver, Read<Vec<u8>>) -> (Read<Vec<u8>>, i32),
) -> Vec<u8> {
    let (reader, mut writer) = std::io::pipe().unwrap();
    let late = thread::spawn(move || {
        thread::sleep(Duration::from_millis(100));
        writer.write_all(b"late data").unwrap();
    });
    let driver = LocalDriver::new(8).unwrap();
    let read = Read::new(reader.as_raw_fd(), vec![0; 32], CURRENT_POSITION);
    let (read, n) = block_on(&driver, read);
    late.join().unwrap();
    drop(driver);
    read.buf[..n as usize].to_vec()
}

#[test]
fn futures_executor_completes_a_local_driver_read_nobody_runs() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let got = within("futures::executor", || {
        pipe_read_on(|driver, read| {
            let (read, res) = futures::executor::block_on(driver.submit_event(read));
            (read, res.unwrap() as i32)
        })
    });
    assert_eq!(got, b"late data");
}

#[cfg(feature = "tokio")]
#[test]
fn tokio_current_thread_completes_a_local_driver_read_nobody_runs() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let got = within("tokio", || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        pipe_read_on(|driver, read| {
            let (read, res) = rt.block_on(driver.submit_event(read));
            (read, res.unwrap() as i32)
        })
    });
    assert_eq!(got, b"late data");
}

#[test]
fn a_batch_completes_too_and_the_watcher_leaves_with_the_driver() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (results, watchers_while_alive) = within("batch", || {
        let driver = LocalDriver::new(64).unwrap();
        let mut batch = Batch::with_capacity(40);
        for _ in 0..40 {
            batch.push(Nop);
        }
        let batch = futures::executor::block_on(driver.submit_batch(batch));
        let results: Vec<_> = batch.results().collect();
        // A read that waits: the watcher is what wakes it.
        let (reader, mut writer) = std::io::pipe().unwrap();
        let late = thread::spawn(move || {
            thread::sleep(Duration::from_millis(50));
            writer.write_all(b"x").unwrap();
        });
        let read = Read::new(reader.as_raw_fd(), vec![0; 4], CURRENT_POSITION);
        let (_, res) = futures::executor::block_on(driver.submit_event(read));
        assert_eq!(res, Ok(1));
        late.join().unwrap();
        let alive = watcher_threads();
        drop(driver);
        (results, alive)
    });
    assert_eq!(results.len(), 40);
    assert!(results.iter().all(|r| *r == Ok(0)), "{results:?}");
    assert!(watchers_while_alive >= 1, "the read was woken by a watcher");
    // A driver that runs never starts a watcher.
    let started = within("driven", || {
        let driver = LocalDriver::new(8).unwrap();
        let before = watcher_threads();
        driver
            .block_on(driver.submit_event(Nop))
            .unwrap()
            .1
            .unwrap();
        watcher_threads() - before
    });
    assert_eq!(started, 0);
}
