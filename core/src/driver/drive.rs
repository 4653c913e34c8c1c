//! The [`Drive`] trait: what a [`Submission`](crate::event::Submission) needs from a driver.

use crate::event::Cancellation;
use crate::sys::Sqe;
use crate::Errno;
use core::task::{Context, Poll};

/// A handle to a ring and its completion registry, through which events are submitted.
///
/// A driver hands out SQEs (with backpressure when the SQ is full), submits them, delivers
/// completions by key and keeps the [`Cancellation`]s of abandoned requests until the kernel
/// is done with them. Handles are cheap (`&LocalDriver`, a cloned `SharedDriver`); a
/// `Submission` owns one.
///
/// # Safety
/// Implementations are trusted by `Submission` to keep the ownership contract:
/// - `poll_prepare` writes the returned key as the `user_data` of the first SQE (and only
///   ringcore's reserved value on the others), and links the chain;
/// - `poll_complete` / `poll_next` report a result for a key only from a CQE the kernel
///   posted for it, and report the end (`Ready` of `poll_complete`, `Ready(None)` of
///   `poll_next`) only after the request's last CQE has been reaped;
/// - a `Cancellation` given to `cancel` is dropped exactly once, after that last CQE — or
///   leaked if the ring can no longer be waited on;
/// - dropping the driver waits for every request the kernel still owns before it unmaps the
///   ring.
pub unsafe trait Drive {
    /// Takes `count` SQEs, lets `prepare(index, sqe)` fill each, writes `user_data` and links,
    /// registers `cx`'s waker for the request's completion, and returns the key of the new
    /// request. `Pending` (after arranging a wake-up) when the SQ has no room yet.
    ///
    /// # Errors
    /// A kernel error from submitting to make room (other than a full CQ, which means
    /// `Pending`); `EINVAL` if `count` exceeds the SQ size.
    fn poll_prepare<F: FnMut(u32, &mut Sqe)>(
        &self,
        cx: &mut Context<'_>,
        count: u32,
        multishot: bool,
        prepare: F,
    ) -> Poll<Result<u64, Errno>>;

    /// Submits prepared SQEs. With `eager`, now; otherwise the driver may wait and batch
    /// (its run loop submits before it waits). Returns how many the kernel took.
    ///
    /// # Errors
    /// The kernel's errno from `io_uring_enter`.
    fn poll_submit(&self, cx: &mut Context<'_>, eager: bool) -> Poll<Result<u32, Errno>>;

    /// The `(res, flags)` of a single-shot request once its last CQE is in.
    fn poll_complete(&self, cx: &mut Context<'_>, key: u64) -> Poll<(i32, u32)>;

    /// The next `(res, flags)` of a multishot request; `None` after its last CQE.
    fn poll_next(&self, cx: &mut Context<'_>, key: u64) -> Poll<Option<(i32, u32)>>;

    /// Asks the kernel to stop `key`'s request early (`IORING_OP_ASYNC_CANCEL`); its CQEs
    /// still arrive and are still delivered.
    fn request_cancel(&self, key: u64);

    /// Abandons `key`: `cancellation` is dropped after the request's last CQE (at once if it
    /// is already in), and the kernel is asked to stop the request early.
    fn cancel(&self, key: u64, cancellation: Cancellation);
}
