//! `ringcore::time` against the kernel: sleeps, timeouts and intervals from
//! `IORING_OP_TIMEOUT`, on a `LocalDriver`, on the default driver under `futures`' executor
//! and, with feature `tokio`, inside tokio's current-thread and multi-thread runtimes.
//!
//! Timing asserts are lower bounds (a timer never ends early) and a loose upper bound
//! ([`LATE`]): a loaded machine may run late, never early.
#![forbid(unsafe_code)]

use futures::FutureExt;
use ringcore::driver::{DefaultDriver, Drive, LocalDriver};
use ringcore::time::{self, Elapsed};
use std::io::ErrorKind;
use std::time::{Duration, Instant};

/// Far more than any timer here should take, even on a loaded machine.
const LATE: Duration = Duration::from_secs(5);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Sleeps, timeouts and an interval on `driver`.
async fn timers<D: Drive + Clone>(driver: D) {
    // A sleep lasts at least what was asked.
    for wait in [ms(1), ms(30), ms(60)] {
        let start = Instant::now();
        time::sleep_on(wait, driver.clone()).await.unwrap();
        let took = start.elapsed();
        assert!(took >= wait && took < wait + LATE, "{wait:?} took {took:?}");
    }
    let deadline = Instant::now() + ms(25);
    time::sleep_until_on(deadline, driver.clone())
        .await
        .unwrap();
    assert!(Instant::now() >= deadline);

    // Zero and past deadlines: done on the first poll.
    let mut zero = time::sleep_on(Duration::ZERO, driver.clone());
    assert!(matches!((&mut zero).now_or_never(), Some(Ok(()))));
    assert!(zero.is_elapsed() && !zero.is_armed());
    if let Some(past) = Instant::now().checked_sub(ms(10)) {
        let mut past = time::sleep_until_on(past, driver.clone());
        assert!(matches!((&mut past).now_or_never(), Some(Ok(()))));
    }

    // The inner future first.
    let start = Instant::now();
    let out = time::timeout_on(
        ms(4000),
        time::sleep_on(ms(20), driver.clone()),
        driver.clone(),
    )
    .await;
    assert!(matches!(out, Ok(Ok(()))));
    assert!(start.elapsed() >= ms(20) && start.elapsed() < ms(4000));
    assert_eq!(
        time::timeout_on(ms(4000), async { 7 }, driver.clone()).await,
        Ok(7)
    );

    // The timeout first.
    let start = Instant::now();
    let out = time::timeout_on(
        ms(40),
        time::sleep_on(Duration::from_secs(3600), driver.clone()),
        driver.clone(),
    )
    .await;
    let took = start.elapsed();
    let elapsed: Elapsed = out.unwrap_err();
    assert!(took >= ms(40) && took < ms(40) + LATE, "took {took:?}");
    assert_eq!(elapsed.timer_error().map(|e| e.kind()), None);
    assert_eq!(elapsed.to_string(), "deadline has elapsed");
    let as_io: std::io::Error = elapsed.into();
    assert_eq!(as_io.kind(), ErrorKind::TimedOut);
    let _: &dyn std::error::Error = &elapsed;

    // An interval: the first tick at once, then one per period, on schedule.
    let start = Instant::now();
    let mut every = time::interval_on(ms(15), driver.clone());
    let first = every.tick().await.unwrap();
    assert!(first.duration_since(start) < LATE);
    let mut last = first;
    for n in 1..=5u32 {
        let tick = every.tick().await.unwrap();
        assert_eq!(tick - first, ms(15) * n, "tick {n} is on the schedule");
        assert!(Instant::now() >= tick, "tick {n} came early");
        last = tick;
    }
    assert!(start.elapsed() >= ms(75) && start.elapsed() < ms(75) + LATE);
    assert_eq!(last - first, ms(75));
}

#[test]
fn timers_on_a_local_driver() {
    let driver = LocalDriver::new(32).unwrap();
    driver.block_on(timers(&driver)).unwrap();
    assert_eq!(driver.in_flight(), 0);
}

#[test]
fn timers_on_the_default_driver_outside_tokio() {
    futures::executor::block_on(async {
        let driver = DefaultDriver::current().unwrap();
        assert!(matches!(driver, DefaultDriver::Background(_)));
        timers(driver).await;
    });
}

/// The functions without a driver argument.
async fn default_functions() {
    let start = Instant::now();
    time::sleep(ms(20)).await.unwrap();
    assert!(start.elapsed() >= ms(20));
    let deadline = Instant::now() + ms(10);
    time::sleep_until(deadline).await.unwrap();
    assert!(Instant::now() >= deadline);
    let out = time::timeout(ms(20), std::future::pending::<()>()).await;
    assert!(out.is_err());
    assert_eq!(
        time::timeout(ms(2000), async { "in time" }).await,
        Ok("in time")
    );
    let mut every = time::interval(ms(10));
    let first = every.tick().await.unwrap();
    let second = every.tick().await.unwrap();
    assert_eq!(second - first, ms(10));
    assert!(Instant::now() >= second);
}

#[test]
fn default_functions_outside_tokio() {
    futures::executor::block_on(default_functions());
}

#[test]
fn ten_thousand_dropped_hour_long_sleeps_leave_nothing_in_flight() {
    // On a thread of its own, so that a hang fails the test instead of stalling it.
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let driver = LocalDriver::new(256).unwrap();
        let mut sleeps: Vec<_> = (0..10_000)
            .map(|_| time::sleep_on(Duration::from_secs(3600), &driver))
            .collect();
        for sleep in &mut sleeps {
            assert!(sleep.now_or_never().is_none());
            assert!(sleep.is_armed());
        }
        driver.run_once(0).unwrap();
        assert_eq!(driver.in_flight(), 10_000, "all armed at once");
        drop(sleeps);
        driver.run_until_idle().unwrap();
        assert_eq!(driver.in_flight(), 0);

        // One by one, each dropped right after its first poll.
        for _ in 0..10_000 {
            let mut sleep = time::sleep_on(Duration::from_secs(3600), &driver);
            assert!((&mut sleep).now_or_never().is_none());
        }
        driver.run_until_idle().unwrap();
        assert_eq!(driver.in_flight(), 0);
        done.send(()).unwrap();
    });
    finished
        .recv_timeout(Duration::from_secs(60))
        .expect("dropping the sleeps finished within 60 s");
}

#[test]
fn a_reset_sleep_removes_its_old_timeout() {
    let driver = LocalDriver::new(8).unwrap();
    let mut sleep = time::sleep_on(Duration::from_secs(3600), &driver);
    assert!((&mut sleep).now_or_never().is_none());
    driver.run_once(0).unwrap();
    assert_eq!(driver.in_flight(), 1);
    let deadline = Instant::now() + ms(20);
    sleep.reset(deadline);
    assert_eq!(sleep.deadline(), deadline);
    driver.block_on(&mut sleep).unwrap().unwrap();
    assert!(Instant::now() >= deadline && sleep.is_elapsed());
    // Polled again after completing: still done, no new request.
    assert!(matches!((&mut sleep).now_or_never(), Some(Ok(()))));
    driver.run_until_idle().unwrap();
    assert_eq!(driver.in_flight(), 0);
}

#[test]
fn a_late_interval_catches_up_at_once_then_keeps_its_schedule() {
    let driver = LocalDriver::new(8).unwrap();
    let mut every = time::interval_on(ms(10), &driver);
    let first = driver.block_on(every.tick()).unwrap().unwrap();
    std::thread::sleep(ms(55)); // ticks at +10 .. +50 are due
    let mut caught_up = 0;
    while let Some(tick) = every.tick().now_or_never() {
        caught_up += 1;
        assert_eq!(tick.unwrap() - first, ms(10) * caught_up);
    }
    assert!(caught_up >= 5, "{caught_up} missed ticks completed at once");
    let next = driver.block_on(every.tick()).unwrap().unwrap();
    assert_eq!(next - first, ms(10) * (caught_up + 1));
    assert!(Instant::now() >= next);

    // A zero period ticks on every call.
    let mut busy = time::interval_on(Duration::ZERO, &driver);
    for _ in 0..3 {
        assert!(busy.tick().now_or_never().is_some());
    }
    driver.run_until_idle().unwrap();
    assert_eq!(driver.in_flight(), 0);
}

#[test]
fn a_timeout_around_ring_io_cancels_it() {
    use ringcore::event::events::{Read, CURRENT_POSITION};
    use std::io::{Read as _, Write as _};
    use std::os::fd::AsRawFd;

    // A read from an empty pipe never completes; the timeout drops it, which cancels it.
    let driver = LocalDriver::new(8).unwrap();
    let (mut reader, mut writer) = std::io::pipe().unwrap();
    let read = driver.submit_event(Read::new(
        reader.as_raw_fd(),
        vec![0u8; 16],
        CURRENT_POSITION,
    ));
    let start = Instant::now();
    let out = driver
        .block_on(time::timeout_on(ms(30), read, &driver))
        .unwrap();
    assert!(out.is_err());
    assert!(start.elapsed() >= ms(30));
    driver.run_until_idle().unwrap();
    assert_eq!(driver.in_flight(), 0);
    // The cancelled read took nothing from the pipe.
    writer.write_all(b"still here").unwrap();
    let mut back = [0u8; 10];
    reader.read_exact(&mut back).unwrap();
    assert_eq!(&back, b"still here");
}

#[cfg(feature = "tokio")]
mod tokio_runtimes {
    use super::*;
    use ringcore::driver::TokioDriver;
    use ringcore::event::events::Nop;
    use ringcore::event::Submission;

    fn current_thread() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    fn multi_thread() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    }

    async fn on_tokio() {
        let driver = DefaultDriver::current().unwrap();
        assert!(matches!(driver, DefaultDriver::Tokio(_)));
        timers(driver).await;
        default_functions().await;
        drop_ten_thousand().await;
    }

    /// 10 000 hour-long sleeps armed on one ring, dropped: the ring's in-flight count
    /// returns to 0.
    async fn drop_ten_thousand() {
        // A handle bound to this thread's ring (a handle binds on its first request; its
        // clones go to the same ring).
        let mut nop = Submission::new(Nop, TokioDriver::new());
        assert_eq!((&mut nop).await.1, Ok(0));
        let driver = nop.driver().clone();
        let mut first = time::sleep_on(Duration::from_secs(3600), driver.clone());
        assert!((&mut first).now_or_never().is_none());
        let mut sleeps: Vec<_> = (0..10_000)
            .map(|_| time::sleep_on(Duration::from_secs(3600), driver.clone()))
            .collect();
        let start = Instant::now();
        for sleep in &mut sleeps {
            // Pending without a request when the SQ is full: the reaper makes room.
            while !sleep.is_armed() {
                assert!(sleep.now_or_never().is_none());
                assert!(start.elapsed() < Duration::from_secs(30));
                tokio::task::yield_now().await;
            }
        }
        // Submitted by the reaper task.
        while driver.in_flight() < 10_001 {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "{}",
                driver.in_flight()
            );
            tokio::task::yield_now().await;
        }
        drop(sleeps);
        drop(first);
        let start = Instant::now();
        while driver.in_flight() > 0 {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "{} left",
                driver.in_flight()
            );
            tokio::task::yield_now().await;
        }
    }

    #[test]
    fn timers_on_the_current_thread_runtime() {
        current_thread().block_on(on_tokio());
    }

    #[test]
    fn timers_on_the_multi_thread_runtime() {
        let rt = multi_thread();
        rt.block_on(async { tokio::spawn(on_tokio()).await.unwrap() });
    }

    #[test]
    fn outside_a_runtime_the_timer_fails_clearly() {
        let err =
            futures::executor::block_on(time::sleep_on(ms(1), TokioDriver::new())).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::ENXIO));
        let out = futures::executor::block_on(time::timeout_on(
            ms(1),
            std::future::pending::<()>(),
            TokioDriver::new(),
        ));
        let elapsed = out.unwrap_err();
        assert_eq!(
            elapsed.timer_error().and_then(|e| e.raw_os_error()),
            Some(libc::ENXIO)
        );
        assert!(elapsed.to_string().starts_with("timer failed"));
        assert_eq!(
            std::io::Error::from(elapsed).raw_os_error(),
            Some(libc::ENXIO)
        );
    }
}
