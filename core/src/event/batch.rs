//! [`Batch`] and [`BatchSubmission`]: many events submitted together and completed together,
//! through one completion slot and one wake-up.

use super::registry::BATCH_UNSET;
use super::{Cancellation, Event};
use crate::driver::Drive;
use crate::ring::Entry;
use crate::sys::CqeFlags;
use crate::Errno;
use alloc::vec::Vec;
use core::future::Future;
use core::mem::ManuallyDrop;
use core::pin::Pin;
use core::task::{Context, Poll};

/// Events to submit together, and after their [`BatchSubmission`] completed, each one's result.
///
/// A batch is reusable: [`clear`](Batch::clear) it (or [`drain`](Batch::drain) it) and push
/// again; its vectors keep their capacity, so a warm batch allocates nothing.
/// # Example
///
/// ```
/// use ringcore::driver::LocalDriver;
/// use ringcore::event::{events::Nop, Batch};
///
/// let driver = LocalDriver::new(16)?;
/// let mut batch = Batch::with_capacity(32); // larger than the SQ: prepared as room allows
/// for _ in 0..32 {
///     batch.push(Nop);
/// }
/// let mut batch = driver.block_on(driver.submit_batch(batch))?;
/// assert_eq!(batch.len(), 32);
/// assert!(batch.results().all(|r| r == Ok(0)));
/// batch.clear(); // reusable, its capacity kept
/// # Ok::<(), ringcore::Errno>(())
/// ```
#[derive(Debug)]
pub struct Batch<E> {
    events: Vec<E>,
    /// Per event `(res, flags)` of its CQE, [`BATCH_UNSET`] before; empty before a run.
    results: Vec<(i32, u32)>,
}

impl<E> Default for Batch<E> {
    fn default() -> Self {
        Batch::new()
    }
}

impl<E> From<Vec<E>> for Batch<E> {
    fn from(events: Vec<E>) -> Self {
        Batch {
            events,
            results: Vec::new(),
        }
    }
}

impl<E> Batch<E> {
    /// An empty batch.
    pub const fn new() -> Self {
        Batch {
            events: Vec::new(),
            results: Vec::new(),
        }
    }

    /// An empty batch with room for `n` events (and their results).
    pub fn with_capacity(n: usize) -> Self {
        Batch {
            events: Vec::with_capacity(n),
            results: Vec::with_capacity(n),
        }
    }

    /// Appends an event; its result is `None` until the batch has run.
    pub fn push(&mut self, event: E) {
        self.events.push(event);
    }

    /// How many events the batch holds.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// True when the batch holds no event.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The events, in the order they were pushed.
    pub fn events(&self) -> &[E] {
        &self.events
    }

    /// The events, mutably (for example to take a buffer out after the run).
    pub fn events_mut(&mut self) -> &mut [E] {
        &mut self.events
    }

    /// Event `i`'s result: `Ok(res)` for a CQE result `res >= 0`, `Err(errno)` for a failed
    /// request or one that could not be submitted; `None` if `i` is out of range or the batch
    /// has not run since the event was pushed.
    pub fn result(&self, i: usize) -> Option<Result<u32, Errno>> {
        self.raw(i).map(|(res, _)| Errno::from_cqe_res(res))
    }

    /// Event `i`'s CQE flags (buffer id, `IORING_CQE_F_MORE`, ...), as for
    /// [`result`](Batch::result).
    pub fn flags(&self, i: usize) -> Option<CqeFlags> {
        self.raw(i).map(|(_, f)| CqeFlags::from_bits_retain(f))
    }

    /// Every event's result, in order, once the batch has run (see
    /// [`result`](Batch::result); `Err(EINPROGRESS)` for an event without one). Empty before
    /// the first run.
    pub fn results(&self) -> impl ExactSizeIterator<Item = Result<u32, Errno>> + '_ {
        let n = self.results.len().min(self.events.len());
        self.results[..n].iter().map(|&(res, _)| {
            if res >= 0 {
                Ok(res as u32)
            } else if (res, 0) == BATCH_UNSET {
                Err(Errno::EINPROGRESS)
            } else {
                Errno::from_cqe_res(res)
            }
        })
    }

    #[inline]
    fn raw(&self, i: usize) -> Option<(i32, u32)> {
        if i >= self.events.len() {
            return None;
        }
        self.results.get(i).copied().filter(|r| *r != BATCH_UNSET)
    }

    /// Removes every event and result, keeping the capacity.
    pub fn clear(&mut self) {
        self.events.clear();
        self.results.clear();
    }

    /// Takes every event out with its result (as [`result`](Batch::result)), leaving the batch
    /// empty (the events' vector keeps its capacity).
    pub fn drain(&mut self) -> impl Iterator<Item = (E, Option<Result<u32, Errno>>)> + '_ {
        let results = core::mem::take(&mut self.results);
        self.events.drain(..).enumerate().map(move |(i, e)| {
            let result = results.get(i).copied().filter(|r| *r != BATCH_UNSET);
            (e, result.map(|(res, _)| Errno::from_cqe_res(res)))
        })
    }

    /// The events, without their results.
    pub fn into_events(self) -> Vec<E> {
        self.events
    }
}

/// Where the preparation of a batch stands; shared by a [`BatchSubmission`] and its driver
/// (see [`Drive::poll_prepare_batch`]).
#[derive(Debug, Default)]
pub struct BatchProgress {
    /// The batch's key once the driver opened its slot.
    pub key: Option<u64>,
    /// How many members the batch has.
    pub len: u32,
    /// Members `0..prepared` have been given to the kernel.
    pub prepared: u32,
    /// The members' result vector (one [`BATCH_UNSET`] per member) until the driver takes it.
    pub results: Vec<(i32, u32)>,
}

/// The members of a batch as a driver sees them (see [`Drive::poll_prepare_batch`]).
pub trait BatchMembers {
    /// How many SQEs member `member` fills (as [`Event::sqe_count`]).
    fn sqe_count(&self, member: u32) -> u32;

    /// Fills SQE `index` of member `member`'s chain (as [`Event::prepare`] for index 0 and
    /// [`Event::prepare_linked`] after).
    fn prepare(&mut self, member: u32, index: u32, sqe: &mut Entry);
}

/// A [`BatchSubmission`]'s events, lent to its driver while it prepares them.
struct Members<'a, E>(&'a mut [E]);

impl<E: Event> BatchMembers for Members<'_, E> {
    #[inline]
    fn sqe_count(&self, member: u32) -> u32 {
        self.0.get(member as usize).map_or(0, Event::sqe_count)
    }

    #[inline]
    fn prepare(&mut self, member: u32, index: u32, sqe: &mut Entry) {
        let Some(event) = self.0.get_mut(member as usize) else {
            return;
        };
        if index == 0 {
            // SAFETY: only a BatchSubmission makes `Members`, over the events it owns, and it
            // does not touch a prepared event again until `poll_batch` reported every member
            // done, except to call `cancel` in `Drop`; the events vector is neither grown nor
            // shrunk meanwhile, so the event is not moved or dropped. This is `Event`'s
            // contract.
            unsafe { event.prepare(sqe) }
        } else {
            // SAFETY: as above; `prepare` ran just before for this chain.
            unsafe { event.prepare_linked(index, sqe) }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// Members are still to be prepared.
    Preparing,
    /// Every member that will run is with the kernel; the results are awaited.
    Waiting,
    /// The batch has been handed back (or was never started, or cancelled).
    Done,
}

/// A future that submits every event of a [`Batch`] and yields the batch back with each
/// event's result.
///
/// The members share one completion slot: a member's CQE costs one store, and the future is
/// woken once, when the last member is done. Members are prepared in order, as far as the SQ
/// has room, the rest after the driver submitted; a batch may be larger than the SQ. If a
/// member cannot be submitted (an error from the kernel or a bad `sqe_count`), the members
/// after it are not submitted either and report that error as their result.
///
/// Dropping the future while members are in flight is safe: their events hand everything the
/// kernel may still touch to one [`Cancellation`], parked with the driver until the last
/// member's CQE, and the driver asks the kernel to cancel each member still in flight.
///
/// Multishot events cannot be members: each reports `EINVAL` and none is submitted.
#[must_use = "a BatchSubmission does nothing until it is polled"]
pub struct BatchSubmission<E: Event, D: Drive> {
    batch: Batch<E>,
    driver: D,
    progress: BatchProgress,
    stage: Stage,
    /// Why members `progress.prepared..` were not submitted.
    error: Option<Errno>,
}

// The events' kernel-visible memory is on the heap (the `Event` contract), and the events
// vector is never reallocated while members are in flight, so the future need not be pinned.
impl<E: Event, D: Drive> Unpin for BatchSubmission<E, D> {}

impl<E: Event, D: Drive> BatchSubmission<E, D> {
    /// A submission of every event in `batch` through `driver`; nothing happens until it is
    /// polled.
    pub fn new(mut batch: Batch<E>, driver: D) -> Self {
        let len = batch.events.len();
        let mut results = core::mem::take(&mut batch.results);
        results.clear();
        results.resize(len, BATCH_UNSET);
        let mut error = None;
        if len > super::registry::MAX_BATCH_MEMBERS as usize
            || batch.events.iter().any(Event::is_multishot)
        {
            error = Some(Errno::EINVAL);
        }
        BatchSubmission {
            batch,
            driver,
            progress: BatchProgress {
                key: None,
                len: len as u32,
                prepared: 0,
                results,
            },
            stage: Stage::Preparing,
            error,
        }
    }

    /// The driver this batch runs on.
    pub fn driver(&self) -> &D {
        &self.driver
    }

    /// How many members the kernel has been given so far.
    pub fn prepared(&self) -> usize {
        self.progress.prepared as usize
    }

    /// Hands the batch back with `results`; members never submitted get `error`.
    fn finish(&mut self, mut results: Vec<(i32, u32)>) -> Batch<E> {
        self.stage = Stage::Done;
        if let Some(e) = self.error {
            let from = (self.progress.prepared as usize).min(results.len());
            for r in &mut results[from..] {
                *r = (-e.raw(), 0);
            }
        }
        let mut batch = core::mem::take(&mut self.batch);
        batch.results = results;
        batch
    }
}

impl<E: Event, D: Drive> Future for BatchSubmission<E, D> {
    type Output = Batch<E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Batch<E>> {
        let this = self.get_mut();
        if this.stage == Stage::Preparing {
            if this.progress.len == 0 || this.error.is_some() {
                // Nothing to submit: no slot is opened.
                let results = core::mem::take(&mut this.progress.results);
                return Poll::Ready(this.finish(results));
            }
            let members = Members(&mut this.batch.events);
            // SAFETY: `Members::prepare` runs only the events' own `prepare`, whose
            // addresses point into memory the events own; the events stay untouched until
            // `poll_batch` reports every member done, and go to `cancel` in `Drop` otherwise.
            let prepared = unsafe {
                this.driver
                    .poll_prepare_batch(cx, &mut this.progress, members)
            };
            match prepared {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(())) => {}
                Poll::Ready(Err(e)) => {
                    this.error = Some(e);
                    if this.progress.key.is_none() {
                        let results = core::mem::take(&mut this.progress.results);
                        return Poll::Ready(this.finish(results));
                    }
                }
            }
            this.stage = Stage::Waiting;
        }
        let Some(key) = this.progress.key.filter(|_| this.stage == Stage::Waiting) else {
            panic!("BatchSubmission polled after it completed");
        };
        // SAFETY: `key` is the one this future got from the driver, still in flight.
        match unsafe { this.driver.poll_batch(cx, key) } {
            Poll::Pending => Poll::Pending,
            Poll::Ready(results) => Poll::Ready(this.finish(results)),
        }
    }
}

impl<E: Event, D: Drive> Drop for BatchSubmission<E, D> {
    fn drop(&mut self) {
        if self.stage == Stage::Done {
            return;
        }
        let Some(key) = self.progress.key else {
            // Never given to the kernel: the events are ours alone and drop with `batch`.
            return;
        };
        let events = &mut self.batch.events;
        let prepared = (self.progress.prepared as usize).min(events.len());
        let mut cancellations = Vec::with_capacity(prepared);
        let len = events.len();
        let base = events.as_mut_ptr();
        // SAFETY: the vector forgets its elements before they are handed over or dropped one
        // by one below, so a panic in between leaks them instead of dropping any twice.
        unsafe { events.set_len(0) };
        for i in 0..prepared {
            // SAFETY: `i < len`, so the element is initialized; `ManuallyDrop<E>` has `E`'s
            // layout. The event was prepared and the batch has not completed, so the kernel may
            // own it: `cancel` is called once, and the element is never used again (the
            // vector's length is 0).
            let event = unsafe { &mut *(base.add(i) as *mut ManuallyDrop<E>) };
            // SAFETY: see above; this is `Event::cancel`'s contract.
            cancellations.push(unsafe { E::cancel(event) });
        }
        for i in prepared..len {
            // SAFETY: never prepared, so the kernel never saw it; initialized (`i < len`) and
            // dropped once, the vector no longer owning it.
            unsafe { core::ptr::drop_in_place(base.add(i)) };
        }
        // The registry closes undelivered results batch-wide, so only when every member's
        // results are descriptors: in a mixed batch a byte count would be taken for an fd
        // (an open of such a batch then leaks its descriptor rather than closing another).
        let fd_results =
            !cancellations.is_empty() && cancellations.iter().all(Cancellation::closes_fd_results);
        let mut cancellation = Cancellation::from_vec(cancellations);
        if fd_results {
            // SAFETY: every member's own Cancellation says its results are new descriptors.
            cancellation = unsafe { cancellation.closing_fd_results() };
        }
        // SAFETY: `key` is this future's own, given up here once.
        unsafe { self.driver.cancel(key, cancellation) };
    }
}
