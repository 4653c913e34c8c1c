//! Timers on the ring (needs `std`): [`sleep`], [`sleep_until`], [`timeout`] and
//! [`interval`], mirroring `tokio::time`.
//!
//! Each wait is one `IORING_OP_TIMEOUT` on the driver's ring — an absolute deadline on
//! `CLOCK_MONOTONIC`, the clock of [`Instant`](std::time::Instant) — so no timer thread or
//! timer wheel is involved: the kernel completes the request when the time comes. The
//! timespec belongs to the request until its CQE. Dropping a [`Sleep`] that is waiting asks the
//! kernel to remove its timeout; the driver keeps the timespec until the kernel has let go.
//! A deadline already passed completes at once, without a request.
//!
//! The functions run on [`DefaultDriver::current`](crate::driver::DefaultDriver::current)
//! (tokio's rings inside a tokio runtime, the background driver elsewhere); each has an
//! `*_on` twin that takes the driver.
//!
//! Unlike tokio's, these futures report a timer that cannot run (no ring could be made, a
//! `TokioDriver` polled outside a runtime) as an error instead of panicking: [`Sleep`] and
//! [`Interval::tick`] yield `io::Result`s, and [`timeout`] gives up with an [`Elapsed`] that
//! carries the cause.
//!
//! # Example
//!
//! ```
//! use ringcore::time::{sleep, timeout};
//! use std::time::{Duration, Instant};
//!
//! futures::executor::block_on(async {
//!     let start = Instant::now();
//!     sleep(Duration::from_millis(20)).await?;
//!     assert!(start.elapsed() >= Duration::from_millis(20));
//!
//!     // A future that never completes, given 10 ms.
//!     let never = std::future::pending::<()>();
//!     assert!(timeout(Duration::from_millis(10), never).await.is_err());
//!     std::io::Result::Ok(())
//! })?;
//! # Ok::<(), std::io::Error>(())
//! ```

mod clock;
mod interval;
mod sleep;
mod timeout;

pub use interval::{interval, interval_at, interval_at_on, interval_on, Interval};
pub use sleep::{sleep, sleep_on, sleep_until, sleep_until_on, Sleep};
pub use timeout::{timeout, timeout_on, Elapsed, Timeout};
