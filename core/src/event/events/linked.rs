//! [`WithTimeout`]: any event, cut short by a linked timeout.

use crate::event::{Cancellation, Event};
use crate::op;
use crate::ring::Entry;
use crate::sys::{TimeoutFlags, Timespec};
use alloc::boxed::Box;
use core::mem::ManuallyDrop;
use core::time::Duration;

/// `event` followed by a linked `IORING_OP_LINK_TIMEOUT`: if `event` has not completed when
/// the time is up, the kernel cancels it and it completes with `Err(ECANCELED)`. Only the
/// event's CQE is delivered; the timeout's is ignored.
#[derive(Debug)]
pub struct WithTimeout<E: Event> {
    event: E,
    ts: Box<Timespec>,
}

impl<E: Event> WithTimeout<E> {
    /// `event`, cancelled by the kernel after `timeout`.
    pub fn new(event: E, timeout: Duration) -> Self {
        WithTimeout {
            event,
            ts: Box::new(Timespec {
                tv_sec: timeout.as_secs().min(i64::MAX as u64) as i64,
                tv_nsec: i64::from(timeout.subsec_nanos()),
            }),
        }
    }

    /// The event, back from the kernel.
    pub fn into_inner(self) -> E {
        self.event
    }
}

impl<E: Event> Event for WithTimeout<E> {
    fn sqe_count(&self) -> u32 {
        self.event.sqe_count() + 1
    }

    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        // SAFETY: forwarded; this wrapper keeps the event's contract for it.
        unsafe { self.event.prepare(sqe) }
    }

    unsafe fn prepare_linked(&mut self, index: u32, sqe: &mut Entry) {
        if index < self.event.sqe_count() {
            // SAFETY: forwarded, as in `prepare`.
            unsafe { self.event.prepare_linked(index, sqe) }
        } else {
            // SAFETY: the timespec is on the heap and lives with the event (or its
            // Cancellation); the kernel copies it when the SQE is submitted.
            unsafe { op::link_timeout(sqe, &*self.ts, TimeoutFlags::empty()) }
        }
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the wrapper is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        let mut event = ManuallyDrop::new(this.event);
        // SAFETY: the inner event was prepared with this one and is cancelled once, here.
        let inner = unsafe { E::cancel(&mut event) };
        Cancellation::pair(inner, Cancellation::from_box(this.ts))
    }
}
