//! [`Interval`]: ticks at a fixed period, each wait one absolute `IORING_OP_TIMEOUT`.

use super::clock;
use super::sleep::{sleep_until, sleep_until_on, Sleep};
use crate::driver::{DefaultDriver, Drive};
use core::future::poll_fn;
use core::task::{Context, Poll};
use core::time::Duration;
use std::io;
use std::time::Instant;

/// Ticks at `start`, `start + period`, `start + 2 * period`, ...: the ring version of
/// `tokio::time::Interval`, made by [`interval`] and [`interval_at`].
///
/// Each tick waits for one absolute `CLOCK_MONOTONIC` timeout of the next scheduled time, so
/// the schedule does not drift with the time the caller spends between ticks. Ticks that were
/// missed (the caller was busy longer than a period) complete at once, one per call, until the
/// schedule has caught up — tokio's default (`MissedTickBehavior::Burst`). A zero period
/// ticks at once on every call. [`tick`](Self::tick) is cancel-safe: dropping its future
/// keeps the timeout armed for the next call.
///
/// Why not `IORING_TIMEOUT_MULTISHOT` (6.4+), which would save one SQE per tick: the kernel
/// re-arms a multishot timeout *relative* to when it posted the last CQE, so the schedule
/// drifts by the completion latency every period, and it keeps posting CQEs while nobody ticks,
/// which the driver would have to queue without bound.
///
/// # Example
///
/// ```
/// use std::time::{Duration, Instant};
///
/// futures::executor::block_on(async {
///     let start = Instant::now();
///     let mut every = ringcore::time::interval(Duration::from_millis(10));
///     let first = every.tick().await?; // at once
///     every.tick().await?;
///     let third = every.tick().await?;
///     assert_eq!(third - first, Duration::from_millis(20));
///     assert!(start.elapsed() >= Duration::from_millis(20));
///     std::io::Result::Ok(())
/// })?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct Interval<D: Drive + Clone = DefaultDriver> {
    period: Duration,
    /// Waits for the next tick; its deadline is that tick's scheduled time.
    next: Sleep<D>,
}

/// An interval whose first tick completes at once, on [`DefaultDriver::current`].
pub fn interval(period: Duration) -> Interval {
    interval_at(Instant::now(), period)
}

/// An interval whose first tick is at `start`, on [`DefaultDriver::current`].
pub fn interval_at(start: Instant, period: Duration) -> Interval {
    Interval {
        period,
        next: sleep_until(start),
    }
}

/// [`interval`] on `driver`.
pub fn interval_on<D: Drive + Clone>(period: Duration, driver: D) -> Interval<D> {
    interval_at_on(Instant::now(), period, driver)
}

/// [`interval_at`] on `driver`.
pub fn interval_at_on<D: Drive + Clone>(
    start: Instant,
    period: Duration,
    driver: D,
) -> Interval<D> {
    Interval {
        period,
        next: sleep_until_on(start, driver),
    }
}

impl<D: Drive + Clone> Interval<D> {
    /// Waits for the next tick; returns its scheduled time.
    ///
    /// # Errors
    /// As [`Sleep`]'s: the timer could not run. The tick is not consumed; the next call waits
    /// for it again.
    pub async fn tick(&mut self) -> io::Result<Instant> {
        poll_fn(|cx| self.poll_tick(cx)).await
    }

    /// Polls for the next tick (see [`tick`](Self::tick)).
    ///
    /// # Errors
    /// As [`tick`](Self::tick).
    pub fn poll_tick(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Instant>> {
        core::task::ready!(self.next.poll_sleep(cx))?;
        let tick = self.next.deadline();
        self.next.reset(clock::advance(tick, self.period));
        Poll::Ready(Ok(tick))
    }

    /// The period.
    pub fn period(&self) -> Duration {
        self.period
    }

    /// Restarts the schedule: the next tick is one period from now.
    pub fn reset(&mut self) {
        self.next.reset(clock::advance(Instant::now(), self.period));
    }

    /// The driver, unless it could not be made.
    pub fn driver(&self) -> Option<&D> {
        self.next.driver()
    }
}
