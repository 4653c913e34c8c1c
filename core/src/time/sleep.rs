//! [`Sleep`]: a future that completes at a deadline, through one `IORING_OP_TIMEOUT`.

use super::clock;
use crate::driver::{DefaultDriver, Drive};
use crate::event::events::Timeout;
use crate::event::Submission;
use crate::sys::TimeoutFlags;
use crate::Errno;
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;
use std::io;
use std::time::Instant;

/// A future that completes at its deadline: the ring version of `tokio::time::Sleep`, made
/// by [`sleep`], [`sleep_until`] and their `*_on` twins.
///
/// The first poll submits an absolute `CLOCK_MONOTONIC` timeout for the deadline (none if the
/// deadline has passed: it completes at once); the kernel completes it when the time comes.
/// Dropping the future while it waits asks the kernel to remove the timeout, and the driver
/// keeps the timespec until the kernel has let go. Polling after completion returns `Ready`
/// again.
///
/// `Sleep` is `Unpin`: store it in a struct, poll it by `&mut`, [`reset`](Self::reset) it.
///
/// # Example
///
/// ```
/// use ringcore::time::{sleep, Sleep};
/// use std::time::{Duration, Instant};
///
/// futures::executor::block_on(async {
///     let mut wait: Sleep = sleep(Duration::from_millis(5));
///     (&mut wait).await?;
///     assert!(wait.is_elapsed());
///
///     // Again, 5 ms from now.
///     wait.reset(Instant::now() + Duration::from_millis(5));
///     wait.await
/// })?;
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
/// The output is `Err` when the timer cannot run: the error of
/// [`DefaultDriver::current`] for [`sleep`], the driver's error (`ENXIO` for a `TokioDriver`
/// polled outside a runtime), or the kernel's for the timeout (`ECANCELED` when the ring
/// stopped it).
#[must_use = "a Sleep does nothing until it is polled"]
pub struct Sleep<D: Drive + Clone = DefaultDriver> {
    deadline: Instant,
    driver: Result<D, Errno>,
    /// The timeout in flight (the kernel owns its timespec), if armed.
    timer: Option<Submission<Timeout, D>>,
    elapsed: bool,
}

// No field is ever pinned: the timer's timespec is on the heap, owned by the request.
impl<D: Drive + Clone> Unpin for Sleep<D> {}

/// Waits for `duration`, on [`DefaultDriver::current`] (see [`Sleep`]).
///
/// # Example
///
/// ```
/// use std::time::{Duration, Instant};
///
/// let start = Instant::now();
/// futures::executor::block_on(ringcore::time::sleep(Duration::from_millis(10)))?;
/// assert!(start.elapsed() >= Duration::from_millis(10));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn sleep(duration: Duration) -> Sleep {
    sleep_until(clock::deadline_after(duration))
}

/// Waits until `deadline`, on [`DefaultDriver::current`] (see [`Sleep`]).
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep::new(deadline, DefaultDriver::current())
}

/// Waits for `duration`, on `driver`.
///
/// # Example
///
/// ```
/// use ringcore::driver::LocalDriver;
/// use std::time::{Duration, Instant};
///
/// let driver = LocalDriver::new(8)?;
/// let start = Instant::now();
/// driver.block_on(ringcore::time::sleep_on(Duration::from_millis(10), &driver))??;
/// assert!(start.elapsed() >= Duration::from_millis(10));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sleep_on<D: Drive + Clone>(duration: Duration, driver: D) -> Sleep<D> {
    sleep_until_on(clock::deadline_after(duration), driver)
}

/// Waits until `deadline`, on `driver`.
pub fn sleep_until_on<D: Drive + Clone>(deadline: Instant, driver: D) -> Sleep<D> {
    Sleep::new(deadline, Ok(driver))
}

impl<D: Drive + Clone> Sleep<D> {
    fn new(deadline: Instant, driver: Result<D, Errno>) -> Sleep<D> {
        Sleep {
            deadline,
            driver,
            timer: None,
            elapsed: false,
        }
    }

    /// When the sleep completes.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// True once the sleep has completed (been polled to `Ready(Ok)`).
    pub fn is_elapsed(&self) -> bool {
        self.elapsed
    }

    /// True while a timeout of this sleep is with the driver (prepared, not yet completed).
    pub fn is_armed(&self) -> bool {
        self.timer.as_ref().is_some_and(Submission::is_in_flight)
    }

    /// The driver, unless it could not be made.
    pub fn driver(&self) -> Option<&D> {
        self.driver.as_ref().ok()
    }

    /// Moves the deadline (also of a sleep that has completed). A timeout in flight is
    /// removed; the next poll arms one for the new deadline.
    pub fn reset(&mut self, deadline: Instant) {
        self.deadline = deadline;
        self.elapsed = false;
        // Dropping the submission hands its timespec to the driver and cancels the timeout.
        self.timer = None;
    }

    /// Polls the sleep (the `Future` impl, by `&mut`).
    ///
    /// # Errors
    /// As the type's.
    pub fn poll_sleep(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_errno(cx).map_err(io::Error::from)
    }

    /// [`poll_sleep`](Self::poll_sleep) with the kernel's errno.
    pub(super) fn poll_errno(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Errno>> {
        if self.elapsed {
            return Poll::Ready(Ok(()));
        }
        let timer = match &mut self.timer {
            Some(timer) => timer,
            slot @ None => {
                let driver = match &self.driver {
                    Ok(driver) => driver,
                    Err(e) => return Poll::Ready(Err(*e)),
                };
                let Some(at) = clock::monotonic(self.deadline) else {
                    self.elapsed = true;
                    return Poll::Ready(Ok(()));
                };
                let event = Timeout::new(at).flags(TimeoutFlags::ABS);
                slot.insert(Submission::new(event, driver.clone()))
            }
        };
        let (_, res) = core::task::ready!(Pin::new(timer).poll(cx));
        self.timer = None;
        match res {
            // `ETIME` is a timeout's normal end; 0 would mean `count` completions (none set).
            Err(Errno::ETIME) | Ok(_) => {
                self.elapsed = true;
                Poll::Ready(Ok(()))
            }
            Err(e) => Poll::Ready(Err(e)),
        }
    }
}

impl<D: Drive + Clone> Future for Sleep<D> {
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().poll_sleep(cx)
    }
}

impl<D: Drive + Clone> fmt::Debug for Sleep<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sleep")
            .field("deadline", &self.deadline)
            .field("armed", &self.is_armed())
            .field("elapsed", &self.elapsed)
            .finish_non_exhaustive()
    }
}
