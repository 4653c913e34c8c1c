//! [`timeout`]: a future given a time limit, and [`Elapsed`], the error when it runs out.

use super::sleep::{sleep_on, Sleep};
use crate::driver::{DefaultDriver, Drive};
use crate::Errno;
use core::fmt;
use core::future::{Future, IntoFuture};
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;
use std::io;

/// The error of a [`Timeout`]: the time ran out before the future completed — or the timer
/// could not run, so the limit could not be kept and the future was given up
/// ([`timer_error`](Self::timer_error) says why).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Elapsed {
    timer_error: Option<Errno>,
}

impl Elapsed {
    /// Why the timer failed, if it did (`None`: the time ran out).
    pub fn timer_error(&self) -> Option<io::Error> {
        self.timer_error.map(io::Error::from)
    }
}

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.timer_error {
            None => f.write_str("deadline has elapsed"),
            Some(e) => write!(f, "timer failed ({}), gave up waiting", io::Error::from(e)),
        }
    }
}

impl std::error::Error for Elapsed {}

impl From<Elapsed> for io::Error {
    /// `TimedOut` for a deadline that passed; the timer's own error otherwise.
    fn from(elapsed: Elapsed) -> io::Error {
        match elapsed.timer_error {
            None => io::Error::new(io::ErrorKind::TimedOut, elapsed),
            Some(e) => e.into(),
        }
    }
}

/// A future with a time limit, made by [`timeout`]: the inner future's output, or
/// [`Elapsed`] once the limit passed first (the inner future is then dropped with the
/// `Timeout`). The inner future is polled first, so one that is ready at the deadline wins.
#[must_use = "a Timeout does nothing until it is polled"]
#[derive(Debug)]
pub struct Timeout<F, D: Drive + Clone = DefaultDriver> {
    future: F,
    sleep: Sleep<D>,
}

/// Runs `future` for at most `duration`, timed on [`DefaultDriver::current`].
///
/// # Example
///
/// ```
/// use ringcore::time::{sleep, timeout};
/// use std::time::Duration;
///
/// futures::executor::block_on(async {
///     // Done in time: its output.
///     assert_eq!(timeout(Duration::from_secs(5), async { 7 }).await, Ok(7));
///     // Too slow: Elapsed.
///     let slow = sleep(Duration::from_secs(60));
///     let err = timeout(Duration::from_millis(10), slow).await.unwrap_err();
///     assert_eq!(err.to_string(), "deadline has elapsed");
/// });
/// ```
///
/// # Errors
/// The output is `Err(Elapsed)` when `duration` passed first, or when the timer could not run
/// ([`Elapsed::timer_error`]).
pub fn timeout<F: IntoFuture>(duration: Duration, future: F) -> Timeout<F::IntoFuture> {
    Timeout {
        future: future.into_future(),
        sleep: super::sleep(duration),
    }
}

/// [`timeout`], timed on `driver`.
///
/// # Errors
/// As [`timeout`].
pub fn timeout_on<F: IntoFuture, D: Drive + Clone>(
    duration: Duration,
    future: F,
    driver: D,
) -> Timeout<F::IntoFuture, D> {
    Timeout {
        future: future.into_future(),
        sleep: sleep_on(duration, driver),
    }
}

impl<F, D: Drive + Clone> Timeout<F, D> {
    /// The inner future.
    pub fn get_ref(&self) -> &F {
        &self.future
    }

    /// The inner future, unpinned.
    pub fn into_inner(self) -> F {
        self.future
    }
}

impl<F: Future, D: Drive + Clone> Future for Timeout<F, D> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `future` is structurally pinned: it is never moved while the `Timeout` is
        // pinned (no `&mut` to it escapes; `into_inner` takes the `Timeout` by value, which a
        // pinned one cannot give; `Timeout` has no `Drop`), and `Timeout` is `Unpin` only
        // when `F` is. `sleep` is `Unpin` and not pinned.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: as above, `future` stays where it is until it is dropped.
        let future = unsafe { Pin::new_unchecked(&mut this.future) };
        if let Poll::Ready(out) = future.poll(cx) {
            return Poll::Ready(Ok(out));
        }
        match this.sleep.poll_errno(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(res) => Poll::Ready(Err(Elapsed {
                timer_error: res.err(),
            })),
        }
    }
}
