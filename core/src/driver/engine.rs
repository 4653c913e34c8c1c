//! The state both drivers share: a ring, its completion registry, and the async-cancel
//! requests that did not fit in the SQ yet. Dropping it waits for the kernel.

use crate::event::{CancelOutcome, Cancellation, Registry, RESERVED_USER_DATA};
use crate::op;
use crate::sys::{CancelFlags, Sqe, SqeFlags};
use crate::{Errno, Ring};
use alloc::vec::Vec;
use core::task::Waker;

#[derive(Debug)]
pub(crate) struct Engine {
    // Dropped after `Drop::drop` has waited for every request the kernel owns.
    pub(crate) ring: Ring,
    registry: Registry,
    /// Keys whose async-cancel SQE is still to be queued (the SQ was full).
    deferred_cancels: Vec<u64>,
}

/// Errors that mean "reap completions, then try again", not failure.
#[inline]
fn is_busy(e: Errno) -> bool {
    e == Errno::EBUSY || e == Errno::EAGAIN
}

fn prep_cancel(sqe: &mut Sqe, key: u64) {
    op::cancel(sqe, key, CancelFlags::empty());
    sqe.user_data = RESERVED_USER_DATA;
}

impl Engine {
    pub(crate) fn new(ring: Ring) -> Engine {
        let slots = ring.params().sq_entries;
        Engine {
            ring,
            registry: Registry::with_capacity(slots),
            deferred_cancels: Vec::new(),
        }
    }

    /// Requests the kernel still owns.
    #[inline]
    pub(crate) fn in_kernel(&self) -> usize {
        self.registry.in_kernel()
    }

    /// Takes SQEs for a request awaited by `waker`; `Ok(None)` when the SQ stays full even
    /// after submitting.
    #[inline]
    pub(crate) fn prepare<F: FnMut(u32, &mut Sqe)>(
        &mut self,
        count: u32,
        multishot: bool,
        waker: &Waker,
        mut prepare: F,
    ) -> Result<Option<u64>, Errno> {
        if count == 1 {
            // The common case: one SQE, taken on the ring's cached fast path.
            if let Some(sqe) = self.ring.get_sqe() {
                prepare(0, sqe);
                let key = self.registry.insert(multishot, waker);
                sqe.user_data = key;
                return Ok(Some(key));
            }
        }
        self.prepare_slow(count, multishot, waker, prepare)
    }

    #[cold]
    fn prepare_slow<F: FnMut(u32, &mut Sqe)>(
        &mut self,
        count: u32,
        multishot: bool,
        waker: &Waker,
        mut prepare: F,
    ) -> Result<Option<u64>, Errno> {
        if count == 0 || count > self.ring.params().sq_entries {
            return Err(Errno::EINVAL);
        }
        if self.ring.sq_space_left() < count {
            match self.submit() {
                Ok(_) => {}
                Err(e) if is_busy(e) => return Ok(None),
                Err(e) => return Err(e),
            }
            if self.ring.sq_space_left() < count {
                return Ok(None);
            }
        }
        let key = self.registry.insert(multishot, waker);
        for index in 0..count {
            // Room for `count` SQEs was checked above.
            let Some(sqe) = self.ring.get_sqe() else {
                break;
            };
            prepare(index, sqe);
            sqe.user_data = if index == 0 { key } else { RESERVED_USER_DATA };
            if index + 1 < count {
                sqe.flags |= SqeFlags::IO_LINK.bits();
            }
        }
        Ok(Some(key))
    }

    /// Queues the deferred async-cancel SQEs that fit, then submits.
    #[inline]
    pub(crate) fn submit(&mut self) -> Result<u32, Errno> {
        if !self.deferred_cancels.is_empty() {
            self.queue_deferred_cancels();
        }
        self.ring.submit()
    }

    /// Queues every deferred cancel before a wait, submitting (without waiting) to make room
    /// in the SQ as often as needed: a wait must not start while a cancel it may depend on is
    /// still deferred, or it can wait forever for a request nobody cancels.
    #[cold]
    fn flush_deferred_cancels(&mut self) -> Result<(), Errno> {
        loop {
            self.queue_deferred_cancels();
            if self.deferred_cancels.is_empty() {
                return Ok(());
            }
            match self.ring.submit() {
                Ok(_) => {}
                Err(e) if is_busy(e) => return Ok(()),
                Err(e) => return Err(e),
            }
            if self.ring.sq_space_left() == 0 {
                return Ok(());
            }
        }
    }

    #[cold]
    fn queue_deferred_cancels(&mut self) {
        while let Some(&key) = self.deferred_cancels.last() {
            let Some(sqe) = self.ring.get_sqe() else {
                return;
            };
            prep_cancel(sqe, key);
            self.deferred_cancels.pop();
        }
    }

    /// Submits, waits for `want` CQEs (0: no waiting) and dispatches all that are in.
    /// A full CQ (`EBUSY`) is not an error: the completions are reaped and the caller retries.
    pub(crate) fn run(&mut self, want: u32) -> Result<usize, Errno> {
        if !self.deferred_cancels.is_empty() {
            self.flush_deferred_cancels()?;
        }
        match self.ring.submit_and_wait(want) {
            Ok(_) => {}
            Err(e) if is_busy(e) => {}
            Err(e) => return Err(e),
        }
        Ok(self.dispatch())
    }

    /// Hands every CQE in the ring to the registry and wakes the waiters.
    #[inline]
    pub(crate) fn dispatch(&mut self) -> usize {
        let mut n = 0;
        for cqe in self.ring.completions() {
            self.registry.dispatch(&cqe);
            n += 1;
        }
        n
    }

    #[inline]
    pub(crate) fn poll_complete(
        &mut self,
        key: u64,
        waker: &core::task::Waker,
    ) -> core::task::Poll<(i32, u32)> {
        self.registry.poll_complete(key, waker)
    }

    pub(crate) fn poll_next(
        &mut self,
        key: u64,
        waker: &core::task::Waker,
    ) -> core::task::Poll<Option<(i32, u32)>> {
        self.registry.poll_next(key, waker)
    }

    /// Queues an async-cancel request for `key` (later, if the SQ is full).
    pub(crate) fn request_cancel(&mut self, key: u64) {
        if !self.registry.is_in_kernel(key) {
            return;
        }
        match self.ring.get_sqe() {
            Some(sqe) => prep_cancel(sqe, key),
            None => self.deferred_cancels.push(key),
        }
    }

    pub(crate) fn cancel(&mut self, key: u64, cancellation: Cancellation) {
        if self.registry.cancel(key, cancellation) == CancelOutcome::Parked {
            self.request_cancel(key);
        }
    }

    /// Cancels every request the kernel owns and reaps until it owns none. If the ring
    /// fails, parked Cancellations are leaked rather than freed under the kernel.
    pub(crate) fn drain(&mut self) {
        if self.registry.in_kernel() == 0 {
            return;
        }
        let mut keys = Vec::new();
        self.registry.keys_in_kernel(&mut keys);
        for key in keys {
            self.request_cancel(key);
        }
        while self.registry.in_kernel() > 0 {
            if let Err(e) = self.run(1) {
                if e != Errno::EINTR {
                    self.registry.leak_cancellations();
                    return;
                }
            }
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.drain();
    }
}
