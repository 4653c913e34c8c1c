//! [`Submission`] (one result) and [`Multishot`] (a stream of results): the futures that carry
//! an [`Event`] through a [`Drive`]r.

use super::Event;
use crate::driver::Drive;
use crate::ring::Entry;
use crate::sys::CqeFlags;
use crate::Errno;
use core::future::Future;
use core::mem::ManuallyDrop;
use core::pin::Pin;
use core::task::{Context, Poll};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// Not yet given to the kernel.
    Unprepared,
    /// The kernel owns the event; the key is its `user_data`.
    InFlight(u64),
    /// The event has been handed back (or cancelled); nothing left to do.
    Done,
}

/// Prepares `event` through `driver`: asks for SQEs and fills them.
fn poll_prepare<E: Event, D: Drive>(
    event: &mut E,
    driver: &D,
    cx: &mut Context<'_>,
    multishot: bool,
) -> Poll<Result<u64, Errno>> {
    let count = event.sqe_count();
    let prepare = |index: u32, sqe: &mut Entry| {
        if index == 0 {
            // SAFETY: the Submission/Multishot owning `event` does not touch it again until
            // the driver reports the request finished, except to call `cancel` (see `Drop`);
            // this is `Event`'s contract.
            unsafe { event.prepare(sqe) }
        } else {
            // SAFETY: as above; `prepare` ran just before for this chain.
            unsafe { event.prepare_linked(index, sqe) }
        }
    };
    // SAFETY: the closure only runs the event's own `prepare`, whose addresses point into
    // memory the event owns; the Submission/Multishot keeps the event untouched until the
    // driver reports the end, and hands it to `cancel` otherwise (the `Event` contract).
    unsafe { driver.poll_prepare(cx, count, multishot, prepare) }
}

/// A future that submits one [`Event`] and yields it back with the result.
///
/// The output is `(event, Ok(res))` for a CQE result `res >= 0` and `(event, Err(errno))`
/// otherwise. Dropping the future while the kernel owns the event is safe: the event's
/// [`Cancellation`](super::Cancellation) is parked with the driver and dropped after the CQE
/// arrives, and the driver asks the kernel to cancel the request. Polling again after the
/// output was returned panics, as futures may.
/// # Example
///
/// A read from an empty pipe is started, then given up: the buffer is not freed while the kernel
/// may still write into it, but parked with the driver until the cancelled request's CQE arrives.
///
/// ```
/// use futures::FutureExt;
/// use ringcore::driver::LocalDriver;
/// use ringcore::event::events::{Read, CURRENT_POSITION};
///
/// let driver = LocalDriver::new(8)?;
/// let mut fds = [0i32; 2];
/// // SAFETY: `fds` has room for the two descriptors pipe(2) writes.
/// assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
///
/// let mut read = driver.submit_event(Read::new(fds[0], vec![0u8; 64], CURRENT_POSITION));
/// assert!((&mut read).now_or_never().is_none()); // prepared; nothing to read yet
/// drop(read); // the buffer goes to the driver; the kernel is asked to cancel the read
/// driver.run_until_idle()?; // the cancelled read's CQE arrives; only now is the buffer freed
/// assert_eq!(driver.in_flight(), 0);
/// # unsafe { libc::close(fds[0]); libc::close(fds[1]); }
/// # Ok::<(), ringcore::Errno>(())
/// ```
#[must_use = "a Submission does nothing until it is polled"]
pub struct Submission<E: Event, D: Drive> {
    event: ManuallyDrop<E>,
    driver: D,
    stage: Stage,
    eager: bool,
}

// The event's kernel-visible memory is on the heap (the `Event` contract), so the future
// never relies on being pinned.
impl<E: Event, D: Drive> Unpin for Submission<E, D> {}

impl<E: Event, D: Drive> Submission<E, D> {
    /// A submission of `event` through `driver`. Nothing happens until it is polled.
    pub fn new(event: E, driver: D) -> Self {
        Submission {
            event: ManuallyDrop::new(event),
            driver,
            stage: Stage::Unprepared,
            eager: false,
        }
    }

    /// Asks the driver to submit as soon as the event is prepared, instead of batching it
    /// with others until the driver's run loop submits.
    pub fn eager(mut self) -> Self {
        self.eager = true;
        self
    }

    /// The driver this submission runs on.
    pub fn driver(&self) -> &D {
        &self.driver
    }

    /// True once the kernel owns the event (prepared, not yet completed).
    pub fn is_in_flight(&self) -> bool {
        matches!(self.stage, Stage::InFlight(_))
    }
}

impl<E: Event, D: Drive> Future for Submission<E, D> {
    type Output = (E, Result<u32, Errno>);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let key = match this.stage {
            Stage::InFlight(key) => key,
            Stage::Unprepared => {
                match poll_prepare(&mut *this.event, &this.driver, cx, false) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Err(e)) => {
                        this.stage = Stage::Done;
                        // SAFETY: the event was never prepared and is taken out once;
                        // `Done` keeps `Drop` from touching it again.
                        let event = unsafe { ManuallyDrop::take(&mut this.event) };
                        return Poll::Ready((event, Err(e)));
                    }
                    Poll::Ready(Ok(key)) => {
                        this.stage = Stage::InFlight(key);
                        if !this.eager {
                            // Queued, not submitted: it cannot have completed, and the driver
                            // holds the waker already.
                            return Poll::Pending;
                        }
                        // A submit error is not the event's: its CQE still comes (or the
                        // run loop reports the error when it submits again).
                        let _ = this.driver.poll_submit(cx, true);
                        key
                    }
                }
            }
            Stage::Done => panic!("Submission polled after it completed"),
        };
        // SAFETY: `key` is the one this future got from the driver, still in flight.
        match unsafe { this.driver.poll_complete(cx, key) } {
            Poll::Pending => Poll::Pending,
            Poll::Ready((res, _flags)) => {
                this.stage = Stage::Done;
                // SAFETY: the driver reported the request's last CQE, so the kernel is done
                // with the event; it is taken out once, and `Done` keeps `Drop` away.
                let event = unsafe { ManuallyDrop::take(&mut this.event) };
                Poll::Ready((event, Errno::from_cqe_res(res)))
            }
        }
    }
}

impl<E: Event, D: Drive> Drop for Submission<E, D> {
    fn drop(&mut self) {
        match self.stage {
            // SAFETY: never prepared, so the event is ours alone; dropped once.
            Stage::Unprepared => unsafe { ManuallyDrop::drop(&mut self.event) },
            Stage::InFlight(key) => {
                // SAFETY: prepared and not completed; `cancel` is called once and the event
                // is not used afterwards.
                let cancellation = unsafe { E::cancel(&mut self.event) };
                // SAFETY: `key` is this future's own, given up here once.
                unsafe { self.driver.cancel(key, cancellation) };
            }
            Stage::Done => {}
        }
    }
}

/// One completion of a multishot request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Completion {
    /// The CQE's result.
    pub result: Result<u32, Errno>,
    /// The CQE's flags (`IORING_CQE_F_BUFFER` and the buffer id for buffer-select reads,
    /// `IORING_CQE_F_MORE` when more will follow).
    pub flags: CqeFlags,
}

impl Completion {
    /// The provided-buffer id of a buffer-select completion, if it used one.
    pub fn buffer_id(&self) -> Option<u16> {
        self.flags
            .contains(CqeFlags::BUFFER)
            .then_some((self.flags.bits() >> crate::sys::IORING_CQE_BUFFER_SHIFT) as u16)
    }
}

/// A multishot request: a stream of [`Completion`]s, in the order the kernel posted them,
/// ending after the CQE without `IORING_CQE_F_MORE`.
///
/// [`cancel`](Multishot::cancel) asks the kernel to stop; the stream still delivers what was
/// posted and then ends. Dropping it mid-stream parks the event's Cancellation until the last
/// CQE, like [`Submission`].
#[must_use = "a Multishot does nothing until it is polled"]
pub struct Multishot<E: Event, D: Drive> {
    event: ManuallyDrop<E>,
    driver: D,
    stage: Stage,
    ended: bool,
}

impl<E: Event, D: Drive> Unpin for Multishot<E, D> {}

impl<E: Event, D: Drive> Multishot<E, D> {
    /// A multishot request of `event` through `driver`; submitted on the first poll.
    pub fn new(event: E, driver: D) -> Self {
        Multishot {
            event: ManuallyDrop::new(event),
            driver,
            stage: Stage::Unprepared,
            ended: false,
        }
    }

    /// The next completion, or `None` once the stream has ended.
    ///
    /// # Errors
    /// `Ready(Some(Err))` only when the request could not be prepared (`result` of the
    /// completion holds the errno); kernel errors of the request arrive as completions.
    pub fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Completion>> {
        let key = match self.stage {
            Stage::InFlight(key) => key,
            Stage::Done => return Poll::Ready(None),
            Stage::Unprepared => match poll_prepare(&mut *self.event, &self.driver, cx, true) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(e)) => {
                    self.stage = Stage::Done;
                    self.ended = true;
                    return Poll::Ready(Some(Completion {
                        result: Err(e),
                        flags: CqeFlags::empty(),
                    }));
                }
                Poll::Ready(Ok(key)) => {
                    self.stage = Stage::InFlight(key);
                    let _ = self.driver.poll_submit(cx, true);
                    key
                }
            },
        };
        // SAFETY: `key` is the one this future got from the driver, still in flight.
        match unsafe { self.driver.poll_next(cx, key) } {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some((res, flags))) => Poll::Ready(Some(Completion {
                result: Errno::from_cqe_res(res),
                flags: CqeFlags::from_bits_retain(flags),
            })),
            Poll::Ready(None) => {
                self.stage = Stage::Done;
                self.ended = true;
                Poll::Ready(None)
            }
        }
    }

    /// A future of the next completion (`None` at the end of the stream).
    // Named like `StreamExt::next`: it returns a future, so it is not an `Iterator`.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Next<'_, E, D> {
        Next { stream: self }
    }

    /// Asks the kernel to stop the request; the stream ends after the CQEs already posted.
    pub fn cancel(&mut self) {
        if let Stage::InFlight(key) = self.stage {
            // SAFETY: `key` is this stream's own, still in flight.
            unsafe { self.driver.request_cancel(key) };
        }
    }

    /// The event, once the stream has ended (`None` before).
    pub fn into_event(mut self) -> Option<E> {
        if !self.ended {
            return None;
        }
        self.stage = Stage::Done;
        self.ended = false;
        // SAFETY: the stream ended, so the kernel is done with the event; it is taken once,
        // and `ended == false` with `Done` keeps `Drop` from dropping it again.
        Some(unsafe { ManuallyDrop::take(&mut self.event) })
    }
}

impl<E: Event, D: Drive> Drop for Multishot<E, D> {
    fn drop(&mut self) {
        match self.stage {
            // SAFETY: never prepared, so the event is ours alone; dropped once.
            Stage::Unprepared => unsafe { ManuallyDrop::drop(&mut self.event) },
            Stage::InFlight(key) => {
                // SAFETY: prepared and not ended; `cancel` is called once and the event is not
                // used afterwards.
                let cancellation = unsafe { E::cancel(&mut self.event) };
                // SAFETY: `key` is this future's own, given up here once.
                unsafe { self.driver.cancel(key, cancellation) };
            }
            Stage::Done => {
                if self.ended {
                    // SAFETY: the stream ended, the kernel is done; dropped once.
                    unsafe { ManuallyDrop::drop(&mut self.event) }
                }
            }
        }
    }
}

/// The future returned by [`Multishot::next`].
#[must_use = "futures do nothing unless polled"]
pub struct Next<'a, E: Event, D: Drive> {
    stream: &'a mut Multishot<E, D>,
}

impl<E: Event, D: Drive> Future for Next<'_, E, D> {
    type Output = Option<Completion>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.get_mut().stream.poll_next(cx)
    }
}
