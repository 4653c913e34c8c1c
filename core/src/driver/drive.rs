//! The [`Drive`] trait: what a [`Submission`](crate::event::Submission) needs from a driver.

use crate::event::{BatchMembers, BatchProgress, Cancellation};
use crate::ring::Entry;
use crate::Errno;
use alloc::vec::Vec;
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
/// - `poll_prepare_batch` calls `members.prepare` for each SQE of each member once, in order,
///   only during that call, and writes member `m`'s key
///   ([`batch_member_key`](crate::event::batch_member_key)) as the `user_data` of its first
///   SQE, and counts a member as prepared only once its SQEs are written;
/// - `poll_complete` / `poll_next` / `poll_batch` report a result for a key only from a CQE
///   the kernel posted for it, and report the end (`Ready` of `poll_complete` and
///   `poll_batch`, `Ready(None)` of `poll_next`) only after the last CQE of the request (of
///   every prepared member, for a batch) has been reaped;
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
    ///
    /// # Safety
    /// `prepare` fills SQEs the kernel will execute: the caller promises that every address
    /// it writes stays valid, and is not moved, freed or reused, until the driver reports the
    /// request's end (`Ready` of [`poll_complete`](Self::poll_complete), `Ready(None)` of
    /// [`poll_next`](Self::poll_next)) or, after [`cancel`](Self::cancel), until the driver
    /// drops the Cancellation — the [`Event`](crate::event::Event) contract. It must not set
    /// `IOSQE_CQE_SKIP_SUCCESS`, and must not panic after writing an address unless the
    /// memory outlives the unwinding (the driver takes the SQEs back on unwind, but only
    /// after the unwinding has passed its own frames).
    unsafe fn poll_prepare<F: FnMut(u32, &mut Entry)>(
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

    /// Prepares the members of a batch: one completion slot for many requests, woken once when
    /// all are done. On the first call (`batch.key` is `None`) it opens the slot, moving
    /// `batch.results` (one [`BATCH_UNSET`](crate::event::BATCH_UNSET) entry per member) into
    /// the driver and registering `cx`'s waker. Then for each member `m` from `batch.prepared`
    /// on, it takes `members.sqe_count(m)` SQEs, lets `members.prepare(m, index, sqe)` fill
    /// them, writes `user_data` and links, and advances `batch.prepared`, submitting to make room when the
    /// SQ fills. `Ready(Ok)` when every member is prepared; `Pending` (after arranging a
    /// wake-up) when the SQ has no room yet.
    ///
    /// # Errors
    /// `EINVAL` if there are more than [`MAX_BATCH_MEMBERS`](crate::event::MAX_BATCH_MEMBERS)
    /// members or a member's `sqe_count` is 0 or exceeds the SQ; `ENOBUFS` if no completion
    /// slot is free; the kernel's errno from submitting. After an error no more members are
    /// prepared; the batch completes once the prepared ones are done.
    ///
    /// # Safety
    /// As [`poll_prepare`](Self::poll_prepare), for every SQE `members.prepare` fills: its
    /// addresses stay valid until [`poll_batch`](Self::poll_batch) reported the batch done,
    /// or, after [`cancel`](Self::cancel), until the driver drops the Cancellation.
    unsafe fn poll_prepare_batch<M: BatchMembers>(
        &self,
        cx: &mut Context<'_>,
        batch: &mut BatchProgress,
        members: M,
    ) -> Poll<Result<(), Errno>>;

    /// The members' `(res, flags)` of batch `key` (the vector moved in by
    /// `poll_prepare_batch`) once every prepared member's last CQE is in.
    ///
    /// # Safety
    /// `key` is a capability: it must be a key this caller got from `poll_prepare` (or
    /// `poll_prepare_batch`) of this driver and has not yet seen end or given up. Another
    /// party's key would take its result, or its completion, from it.
    unsafe fn poll_batch(&self, cx: &mut Context<'_>, key: u64) -> Poll<Vec<(i32, u32)>>;

    /// The `(res, flags)` of a single-shot request once its last CQE is in.
    ///
    /// # Safety
    /// `key` is a capability: it must be a key this caller got from `poll_prepare` (or
    /// `poll_prepare_batch`) of this driver and has not yet seen end or given up. Another
    /// party's key would take its result, or its completion, from it.
    unsafe fn poll_complete(&self, cx: &mut Context<'_>, key: u64) -> Poll<(i32, u32)>;

    /// The next `(res, flags)` of a multishot request; `None` after its last CQE.
    ///
    /// # Safety
    /// `key` is a capability: it must be a key this caller got from `poll_prepare` (or
    /// `poll_prepare_batch`) of this driver and has not yet seen end or given up. Another
    /// party's key would take its result, or its completion, from it.
    unsafe fn poll_next(&self, cx: &mut Context<'_>, key: u64) -> Poll<Option<(i32, u32)>>;

    /// Asks the kernel to stop `key`'s request (every member in flight, for a batch) early
    /// (`IORING_OP_ASYNC_CANCEL`); its CQEs still arrive and are still delivered.
    ///
    /// # Safety
    /// `key` is a capability: it must be a key this caller got from `poll_prepare` (or
    /// `poll_prepare_batch`) of this driver and has not yet seen end or given up. Another
    /// party's key would take its result, or its completion, from it.
    unsafe fn request_cancel(&self, key: u64);

    /// Abandons `key` (a request or a whole batch): `cancellation` is dropped after the last
    /// CQE (at once if it is already in), and the kernel is asked to stop early.
    ///
    /// # Safety
    /// `key` is a capability: it must be a key this caller got from `poll_prepare` (or
    /// `poll_prepare_batch`) of this driver and has not yet seen end or given up. Another
    /// party's key would take its result, or its completion, from it.
    unsafe fn cancel(&self, key: u64, cancellation: Cancellation);
}
