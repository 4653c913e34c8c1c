//! Deadlines as `CLOCK_MONOTONIC` times, the clock of `IORING_OP_TIMEOUT` (and of
//! [`Instant`]).

use core::time::Duration;
use std::time::Instant;

/// About 30 years: where a deadline that would overflow `Instant` is put instead.
const FAR_FUTURE: Duration = Duration::from_secs(86_400 * 365 * 30);

/// `now + duration`, or about 30 years from now if that overflows.
pub(super) fn deadline_after(duration: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(duration)
        .unwrap_or_else(|| now + FAR_FUTURE)
}

/// `instant + period`, or about 30 years after it if that overflows.
pub(super) fn advance(instant: Instant, period: Duration) -> Instant {
    instant
        .checked_add(period)
        .unwrap_or_else(|| instant + FAR_FUTURE)
}

/// `deadline` on `CLOCK_MONOTONIC` (seconds and nanoseconds since the clock's start), for an
/// absolute timeout; `None` once it has passed.
///
/// `Instant` does not expose its clock reading, so the time left is measured with `Instant`
/// and added to a `CLOCK_MONOTONIC` reading taken just after: the result is never earlier than
/// the deadline (the two readings are nanoseconds apart; both are vDSO calls, no syscall).
pub(super) fn monotonic(deadline: Instant) -> Option<Duration> {
    let left = deadline.checked_duration_since(Instant::now())?;
    if left.is_zero() {
        return None;
    }
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is valid for writes; CLOCK_MONOTONIC always exists on Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut now) };
    let now = Duration::new(now.tv_sec as u64, now.tv_nsec as u32);
    Some(now.saturating_add(left))
}
