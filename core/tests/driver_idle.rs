//! Drivers sleep when idle: no tick. An idle `block_on` thread stays in the kernel (a handful
//! of context switches per second, where a 1 ms tick made ~1,000), and a wake from another
//! thread reaches it at once.
#![forbid(unsafe_code)]

use ringcore::driver::{LocalDriver, SharedDriver};
use ringcore::event::events::Nop;
use ringcore::Ring;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// Voluntary context switches of the calling thread: one per sleep in the kernel.
fn voluntary_switches() -> u64 {
    let status = std::fs::read_to_string("/proc/thread-self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("voluntary_ctxt_switches:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// A future woken from another thread: its waker goes into `slot`, `done` ends it.
#[derive(Clone, Default)]
struct Remote {
    slot: Arc<Mutex<Option<Waker>>>,
    done: Arc<AtomicBool>,
    /// When the waking thread called `wake`, and when the future saw it.
    woke_at: Arc<Mutex<Option<Instant>>>,
    seen_at: Arc<Mutex<Option<Instant>>>,
}

impl Future for Remote {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.done.load(Ordering::Acquire) {
            *self.seen_at.lock().unwrap() = Some(Instant::now());
            return Poll::Ready(());
        }
        *self.slot.lock().unwrap() = Some(cx.waker().clone());
        if self.done.load(Ordering::Acquire) {
            cx.waker().wake_by_ref();
        }
        Poll::Pending
    }
}

impl Remote {
    /// Wakes the future from a new thread after `delay`.
    fn wake_after(&self, delay: Duration) -> std::thread::JoinHandle<()> {
        let this = self.clone();
        std::thread::spawn(move || {
            std::thread::sleep(delay);
            // The waker is there: the driver's thread polled before it slept.
            let waker = loop {
                if let Some(w) = this.slot.lock().unwrap().take() {
                    break w;
                }
                std::thread::sleep(Duration::from_millis(1));
            };
            *this.woke_at.lock().unwrap() = Some(Instant::now());
            this.done.store(true, Ordering::Release);
            waker.wake();
        })
    }

    fn latency(&self) -> Duration {
        let woke = self.woke_at.lock().unwrap().unwrap();
        let seen = self.seen_at.lock().unwrap().unwrap();
        seen.saturating_duration_since(woke)
    }
}

/// Runs `block_on` of one idle second and returns the context switches of its thread.
fn idle_second(block_on: impl FnOnce(Remote)) -> u64 {
    let remote = Remote::default();
    let waker = remote.wake_after(Duration::from_secs(1));
    let before = voluntary_switches();
    block_on(remote);
    let switches = voluntary_switches() - before;
    waker.join().unwrap();
    switches
}

/// Median wake latency over `n` cross-thread wakes.
fn wake_latency(n: usize, mut block_on: impl FnMut(Remote)) -> Duration {
    let mut latencies: Vec<Duration> = (0..n)
        .map(|_| {
            let remote = Remote::default();
            let waker = remote.wake_after(Duration::from_millis(5));
            block_on(remote.clone());
            waker.join().unwrap();
            remote.latency()
        })
        .collect();
    latencies.sort();
    latencies[n / 2]
}

/// At most this many sleeps in an idle second: the waking thread's wake, and slack for the
/// scheduler. A 1 ms tick made about 1,000.
const IDLE_SWITCHES: u64 = 10;

#[test]
fn an_idle_local_driver_sleeps_until_woken_from_another_thread() {
    let driver = LocalDriver::new(8).unwrap();
    // A request first, so the ring has run before it idles.
    driver
        .block_on(driver.submit_event(Nop))
        .unwrap()
        .1
        .unwrap();
    let switches = idle_second(|r| driver.block_on(r).unwrap());
    println!("LocalDriver: {switches} context switches in an idle second");
    assert!(
        switches <= IDLE_SWITCHES,
        "{switches} sleeps in one idle second"
    );
    let median = wake_latency(21, |r| driver.block_on(r).unwrap());
    println!("LocalDriver: median cross-thread wake latency {median:?}");
    assert!(median < Duration::from_millis(1), "median wake {median:?}");
    assert_eq!(driver.in_flight(), 0);
}

#[test]
fn an_idle_shared_driver_sleeps_until_woken_from_another_thread() {
    // A plain ring (this thread submits) and the SQ polling ring of `new`.
    let plain = SharedDriver::with_builder(Ring::builder(8)).unwrap();
    let drivers = match SharedDriver::new(8) {
        Ok(sqpoll) => vec![("plain", plain), ("sqpoll", sqpoll)],
        Err(e) => {
            println!("skipping the SQPOLL driver: {e}");
            vec![("plain", plain)]
        }
    };
    for (name, driver) in drivers {
        driver
            .block_on(driver.submit_event(Nop))
            .unwrap()
            .1
            .unwrap();
        let switches = idle_second(|r| driver.block_on(r).unwrap());
        println!("SharedDriver ({name}): {switches} context switches in an idle second");
        assert!(
            switches <= IDLE_SWITCHES,
            "{name}: {switches} sleeps in one idle second"
        );
        let median = wake_latency(21, |r| driver.block_on(r).unwrap());
        println!("SharedDriver ({name}): median cross-thread wake latency {median:?}");
        assert!(
            median < Duration::from_millis(1),
            "{name}: median wake {median:?}"
        );
    }
}

#[test]
fn shared_driver_threads_sleeping_together_are_each_woken() {
    // Several threads asleep on one ring; each is woken by its own waker, whichever thread
    // reaps the wake-up poll's CQE.
    let driver = SharedDriver::with_builder(Ring::builder(8)).unwrap();
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let driver = driver.clone();
            std::thread::spawn(move || {
                for _ in 0..20 {
                    let remote = Remote::default();
                    let waker = remote.wake_after(Duration::from_millis(1 + i));
                    driver.block_on(remote).unwrap();
                    waker.join().unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

#[test]
fn a_local_driver_still_reports_a_future_nobody_can_wake() {
    let driver = LocalDriver::new(4).unwrap();
    assert_eq!(
        driver.block_on(std::future::pending::<()>()),
        Err(ringcore::Errno::EDEADLK)
    );
}
