//! The state both drivers share: a ring, its completion registry, and the async-cancel
//! requests that did not fit in the SQ yet. Dropping it waits for the kernel.

use crate::event::{
    batch_member_key, BatchMembers, BatchProgress, CancelOutcome, Cancellation, Registry,
    MAX_BATCH_MEMBERS, RESERVED_USER_DATA,
};
use crate::op;
use crate::ring::Entry;
use crate::sys::{CancelFlags, SetupFlags, SqeFlags};
use crate::{Errno, Ring};
use alloc::vec::Vec;
use core::mem::ManuallyDrop;
use core::task::Waker;

#[derive(Debug)]
pub(crate) struct Engine {
    // Dropped by `Drop::drop` once the kernel owns no request any more, never by the
    // compiler's field drops: if the drain is cut short by a panic (a Cancellation's drop),
    // both are leaked, mapping and parked Cancellations alike, rather than freed under the
    // kernel.
    pub(crate) ring: ManuallyDrop<Ring>,
    registry: ManuallyDrop<Registry>,
    /// Keys whose async-cancel SQE is still to be queued (the SQ was full).
    deferred_cancels: Vec<u64>,
    /// The eventfd that wakes a thread asleep in this ring's `io_uring_enter` (-1 until a
    /// thread first sleeps), see `wake.rs`.
    wake_fd: i32,
    /// The registry key (`user_data`) of the multishot poll on `wake_fd`, once queued; the
    /// poll is armed while the registry holds that key as a wake slot.
    wake_key: Option<u64>,
    /// Whether preparing submits to make room when the SQ is full. A driver whose requests
    /// must not belong to the preparing thread turns it off: preparing then reports a full SQ
    /// (`Ok(None)`, `Ok(false)`) and the driver's own thread submits.
    pub(crate) submit_when_full: bool,
    /// Nobody runs the driver yet (`LocalDriver` before its first run): every prepare takes
    /// the slow path (the SQ is held), which wakes the preparing task, so that its next poll
    /// submits (see `LocalDriver`'s `on_busy`).
    undriven: bool,
}

/// Errors that mean "reap completions, then try again", not failure.
#[inline]
fn is_busy(e: Errno) -> bool {
    e == Errno::EBUSY || e == Errno::EAGAIN
}

fn prep_cancel(sqe: &mut Entry, key: u64) {
    op::cancel(sqe, key, CancelFlags::empty());
    sqe.raw.user_data = RESERVED_USER_DATA;
}

/// SQEs (and, once set, a registry slot) taken for a request that is being prepared. Unless
/// [`keep`](Self::keep) is called, dropping it — on an early return, or while a panic in an
/// event's `prepare` unwinds — takes the SQEs back and frees the slot, so that no half-filled
/// SQE pointing at the event's memory is submitted after the event is dropped.
struct Taken<'a> {
    ring: &'a mut Ring,
    registry: &'a mut Registry,
    /// The SQ's local tail before the first SQE was taken.
    start: u32,
    /// The slot opened for the request, if any.
    key: Option<u64>,
}

impl<'a> Taken<'a> {
    #[inline]
    fn new(ring: &'a mut Ring, registry: &'a mut Registry) -> Taken<'a> {
        let start = ring.sq_local_tail();
        Taken {
            ring,
            registry,
            start,
            key: None,
        }
    }

    /// The request is fully prepared: its SQEs and slot stay.
    #[inline]
    fn keep(self) {
        core::mem::forget(self);
    }
}

impl Drop for Taken<'_> {
    #[cold]
    fn drop(&mut self) {
        self.ring.sq_rewind(self.start);
        if let Some(key) = self.key {
            self.registry.remove_unsubmitted(key);
        }
    }
}

impl Engine {
    pub(crate) fn new(ring: Ring) -> Engine {
        let slots = ring.params().sq_entries;
        Engine {
            ring: ManuallyDrop::new(ring),
            registry: ManuallyDrop::new(Registry::with_capacity(slots)),
            deferred_cancels: Vec::new(),
            wake_fd: -1,
            wake_key: None,
            submit_when_full: true,
            undriven: false,
        }
    }

    /// Requests the kernel still owns.
    #[inline]
    pub(crate) fn in_kernel(&self) -> usize {
        self.registry.in_kernel()
    }

    /// Takes SQEs for a request awaited by `waker`; `Ok(None)` when the SQ stays full even
    /// after submitting.
    ///
    /// If `prepare` panics, the SQEs it was given are taken back (they were not published)
    /// and no registry slot stays taken: nothing of the request reaches the kernel.
    #[inline]
    pub(crate) fn prepare<F: FnMut(u32, &mut Entry)>(
        &mut self,
        count: u32,
        multishot: bool,
        waker: &Waker,
        mut prepare: F,
    ) -> Result<Option<u64>, Errno> {
        if count == 1 {
            // The common case: one SQE, on the ring's cached fast path. It is taken only
            // once prepared and keyed: if `prepare` panics, or no slot is free, it stays
            // free and the kernel never sees what was written into it.
            if let Some(sqe) = self.ring.peek_sqe() {
                prepare(0, sqe);
                let key = self
                    .registry
                    .insert(multishot, waker)
                    .ok_or(Errno::ENOBUFS)?;
                sqe.raw.user_data = key;
                self.ring.commit_sqe();
                return Ok(Some(key));
            }
        }
        self.prepare_slow(count, multishot, waker, prepare)
    }

    #[cold]
    fn prepare_slow<F: FnMut(u32, &mut Entry)>(
        &mut self,
        count: u32,
        multishot: bool,
        waker: &Waker,
        mut prepare: F,
    ) -> Result<Option<u64>, Errno> {
        if self.undriven {
            // Nobody runs the driver: the next poll submits. Woken first, so that a waker
            // that panics leaves nothing of the request queued.
            waker.wake_by_ref();
        }
        if count == 0 || count > self.ring.params().sq_entries {
            return Err(Errno::EINVAL);
        }
        if self.ring.sq_space_left() < count {
            if !self.submit_when_full {
                return Ok(None);
            }
            match self.submit() {
                Ok(_) => {}
                Err(e) if is_busy(e) => return Ok(None),
                Err(e) => return Err(e),
            }
            if self.ring.sq_space_left() < count {
                return Ok(None);
            }
        }
        let mut taken = Taken::new(&mut self.ring, &mut self.registry);
        let key = taken
            .registry
            .insert(multishot, waker)
            .ok_or(Errno::ENOBUFS)?;
        taken.key = Some(key);
        for index in 0..count {
            // Room for `count` SQEs was checked above.
            let Some(sqe) = taken.ring.get_sqe() else {
                break;
            };
            prepare(index, sqe);
            sqe.raw.user_data = if index == 0 { key } else { RESERVED_USER_DATA };
            if index + 1 < count {
                sqe.raw.flags |= SqeFlags::IO_LINK.bits();
            }
        }
        taken.keep();
        Ok(Some(key))
    }

    /// Makes the CQ non-empty, to wake a thread asleep on the ring's fd: `true` once a CQE is
    /// there or on its way (a NOP, whose CQE nobody awaits, submitted).
    #[cfg(feature = "std")]
    pub(crate) fn kick(&mut self) -> bool {
        if self.ring.cq_ready() > 0 {
            return true;
        }
        if self.ring.sq_space_left() == 0 && self.submit().is_err() {
            return false;
        }
        let Some(sqe) = self.ring.get_sqe() else {
            return false;
        };
        op::nop(sqe);
        sqe.raw.user_data = RESERVED_USER_DATA;
        self.submit().is_ok()
    }

    /// Marks the engine's driver as run by nobody (`true`) or by its own loop.
    pub(crate) fn set_undriven(&mut self, undriven: bool) {
        self.undriven = undriven;
        self.ring.hold_sq(undriven);
    }

    /// Prepares the members of a batch as far as the SQ has room (submitting to make more),
    /// opening its registry slot on the first call. `Ok(true)` once every member is prepared
    /// (the batch is then closed), `Ok(false)` when the SQ stays full for now.
    ///
    /// On an error the batch is closed after the members prepared so far.
    pub(crate) fn prepare_batch<M: BatchMembers>(
        &mut self,
        batch: &mut BatchProgress,
        waker: &Waker,
        mut members: M,
    ) -> Result<bool, Errno> {
        let key = match batch.key {
            Some(key) => key,
            None => {
                if batch.len > MAX_BATCH_MEMBERS {
                    return Err(Errno::EINVAL);
                }
                let results = core::mem::take(&mut batch.results);
                let key = self
                    .registry
                    .insert_batch(results, waker)
                    .ok_or(Errno::ENOBUFS)?;
                batch.key = Some(key);
                key
            }
        };
        loop {
            let from = batch.prepared;
            // A member whose `prepare` panics leaves the members of this fill unrecorded:
            // `taken` then takes back their SQEs, so none of them reaches the kernel.
            let taken = Taken::new(&mut self.ring, &mut self.registry);
            let filled = fill_batch(taken.ring, key, from, batch.len, &mut members);
            taken.keep();
            let to = match filled {
                Ok(to) | Err((to, _)) => to,
            };
            self.registry.batch_prepared(key, to - from);
            batch.prepared = to;
            if let Err((_, e)) = filled {
                self.registry.batch_close(key);
                return Err(e);
            }
            if to == batch.len {
                self.registry.batch_close(key);
                return Ok(true);
            }
            // The SQ is full: submit what is queued and go on if that made room.
            if !self.submit_when_full {
                return Ok(false);
            }
            match self.submit() {
                Ok(_) => {}
                Err(e) if is_busy(e) => return Ok(false),
                Err(e) => {
                    self.registry.batch_close(key);
                    return Err(e);
                }
            }
            if self.ring.sq_space_left() == 0 {
                return Ok(false);
            }
        }
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
                // An SQ polling thread takes the entries on its own time: wait until it has
                // taken one. Without one, a full SQ after a submit means the kernel stopped.
                if !self.ring.setup_flags().contains(SetupFlags::SQPOLL) {
                    return Ok(());
                }
                self.ring.submitter().sq_wait()?;
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
    ///
    /// If the wake-up poll ended in this dispatch (a CQ overflow ends a multishot poll), it
    /// is queued again and submitted, so that a thread asleep on this ring without the
    /// engine (`SharedDriver`) is still woken by the next write.
    pub(crate) fn run(&mut self, want: u32) -> Result<usize, Errno> {
        self.enter(want)?;
        let n = self.dispatch();
        if self.wake_key.is_some_and(|key| !self.registry.is_wake(key)) {
            self.rearm_wake();
        }
        Ok(n)
    }

    /// The first half of [`run`](Self::run): submits and waits for `want` CQEs, dispatching
    /// none. A `block_on` thread ends its sleep between the two halves, so that the wakes of
    /// its own dispatch do not find it asleep.
    #[inline]
    pub(crate) fn enter(&mut self, want: u32) -> Result<(), Errno> {
        if !self.deferred_cancels.is_empty() {
            self.flush_deferred_cancels()?;
        }
        match self.ring.submit_and_wait(want) {
            Ok(_) => Ok(()),
            Err(e) if is_busy(e) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Queues the deferred cancels that fit and publishes the SQ, for a caller that then
    /// enters the kernel itself, without the engine (see `SharedDriver::run_once_unlocked`).
    #[cfg(feature = "tokio")]
    pub(crate) fn publish(&mut self) {
        if !self.deferred_cancels.is_empty() {
            self.queue_deferred_cancels();
        }
        self.ring.sq().sync();
    }

    /// Whether cancels wait for room in the SQ.
    #[cfg(feature = "tokio")]
    pub(crate) fn has_deferred_cancels(&self) -> bool {
        !self.deferred_cancels.is_empty()
    }

    /// Hands every CQE in the ring to the registry and wakes the waiters.
    #[inline]
    pub(crate) fn dispatch(&mut self) -> usize {
        self.registry.dispatch_all(self.ring.completions())
    }

    /// [`dispatch`](Self::dispatch), except that the wakers to wake are appended to `wakers`
    /// instead; then arms the wake-up poll again if the dispatch ended it (as
    /// [`run`](Self::run) does).
    #[cfg(feature = "tokio")]
    pub(crate) fn dispatch_deferred(&mut self, wakers: &mut Vec<core::task::Waker>) -> usize {
        let n = self
            .registry
            .dispatch_all_with(self.ring.completions(), wakers);
        if self.wake_key.is_some_and(|key| !self.registry.is_wake(key)) {
            self.rearm_wake();
        }
        n
    }

    /// The eventfd whose write wakes a thread asleep in this ring, with the multishot poll on
    /// it queued (submitted by the next enter) or armed. Created on first use.
    ///
    /// # Errors
    /// The kernel's error from `eventfd`; `EBUSY` if the SQ has no room for the poll now
    /// (the caller then does not sleep).
    pub(crate) fn wake_fd(&mut self) -> Result<i32, Errno> {
        match self.wake_key {
            Some(key) if self.registry.is_wake(key) => Ok(self.wake_fd),
            _ => self.arm_wake_slow(),
        }
    }

    #[cold]
    fn arm_wake_slow(&mut self) -> Result<i32, Errno> {
        if self.wake_fd < 0 {
            // SAFETY: plain system call with constant arguments.
            let fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
            if fd < 0 {
                return Err(Errno::last());
            }
            self.wake_fd = fd;
        }
        let sqe = match self.ring.get_sqe() {
            Some(sqe) => sqe,
            None => {
                if !self.submit_when_full {
                    return Err(Errno::EBUSY);
                }
                let _ = self.submit();
                self.ring.get_sqe().ok_or(Errno::EBUSY)?
            }
        };
        let Some(key) = self.registry.insert_wake() else {
            // Every slot is busy: return the SQE unused (a NOP whose CQE nobody awaits).
            op::nop(sqe);
            sqe.raw.user_data = RESERVED_USER_DATA;
            return Err(Errno::EBUSY);
        };
        op::poll_multishot(sqe, self.wake_fd, libc::POLLIN as u32);
        sqe.raw.user_data = key;
        self.wake_key = Some(key);
        Ok(self.wake_fd)
    }

    /// The wake-up poll ended (a CQ overflow, an error): arms it again and submits, so that a
    /// thread asleep now is woken by the next write.
    #[cold]
    fn rearm_wake(&mut self) {
        self.wake_key = None;
        if self.arm_wake_slow().is_ok() {
            let _ = self.ring.submit();
        }
    }

    #[inline]
    pub(crate) fn poll_complete(
        &mut self,
        key: u64,
        waker: &core::task::Waker,
    ) -> core::task::Poll<(i32, u32)> {
        self.registry.poll_complete(key, waker)
    }

    /// Clones of the wakers of the requests in the kernel (see `LocalDriver`'s `on_busy`).
    #[cfg(feature = "std")]
    pub(crate) fn waiting_wakers(&self, out: &mut Vec<core::task::Waker>) {
        self.registry.waiting_wakers(out);
    }

    #[inline]
    pub(crate) fn poll_batch(
        &mut self,
        key: u64,
        waker: &core::task::Waker,
    ) -> core::task::Poll<Vec<(i32, u32)>> {
        self.registry.poll_batch(key, waker)
    }

    pub(crate) fn poll_next(
        &mut self,
        key: u64,
        waker: &core::task::Waker,
    ) -> core::task::Poll<Option<(i32, u32)>> {
        self.registry.poll_next(key, waker)
    }

    /// Queues an async-cancel request for `key` — for a batch, one per member in flight —
    /// (later, if the SQ is full).
    pub(crate) fn request_cancel(&mut self, key: u64) {
        for key in self.registry.keys_in_kernel_of(key) {
            match self.ring.get_sqe() {
                Some(sqe) => prep_cancel(sqe, key),
                None => self.deferred_cancels.push(key),
            }
        }
    }

    /// Gives up `key` as [`cancel`](Self::cancel) does, or with no Cancellation only asks the
    /// kernel to stop early ([`request_cancel`](Self::request_cancel)): what a driver does
    /// with the requests abandoned while its engine was busy.
    pub(crate) fn abandon(&mut self, key: u64, cancellation: Option<Cancellation>) {
        match cancellation {
            Some(c) => self.cancel(key, c),
            None => self.request_cancel(key),
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
            match self.ring.get_sqe() {
                Some(sqe) => prep_cancel(sqe, key),
                None => self.deferred_cancels.push(key),
            }
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
        // Waits for the kernel; if the ring fails meanwhile, it leaks the parked
        // Cancellations (the kernel may still write into their memory).
        self.drain();
        // SAFETY: the kernel owns no memory of this engine's requests any more; each field is dropped
        // once, here, and never used again (this is the engine's drop). The registry goes
        // first, the ring it keyed requests for after.
        unsafe {
            ManuallyDrop::drop(&mut self.registry);
            ManuallyDrop::drop(&mut self.ring);
        }
        if self.wake_fd >= 0 {
            // SAFETY: the eventfd was opened by `arm_wake_slow` and is closed once, here. A
            // waker writes it only while a `block_on` call sleeps on this engine, and such a
            // call holds the engine (borrowed or cloned) until the write is done.
            unsafe { libc::close(self.wake_fd) };
        }
    }
}

/// Fills SQEs for members `from..len` of batch `key` until the SQ is full; returns the
/// first member not prepared (or that member and why it cannot be).
#[inline]
fn fill_batch<M: BatchMembers>(
    ring: &mut Ring,
    key: u64,
    from: u32,
    len: u32,
    members: &mut M,
) -> Result<u32, (u32, Errno)> {
    let sq_entries = ring.params().sq_entries;
    let mut sq = ring.sq_batch();
    let mut member = from;
    while member < len {
        let count = members.sqe_count(member);
        if count == 1 {
            let Some(sqe) = sq.get_sqe() else {
                break;
            };
            members.prepare(member, 0, sqe);
            sqe.raw.user_data = batch_member_key(key, member);
        } else {
            if count == 0 || count > sq_entries {
                return Err((member, Errno::EINVAL));
            }
            if sq.space_left() < count {
                break;
            }
            for index in 0..count {
                // Room for `count` SQEs was checked above.
                let Some(sqe) = sq.get_sqe() else {
                    break;
                };
                members.prepare(member, index, sqe);
                sqe.raw.user_data = if index == 0 {
                    batch_member_key(key, member)
                } else {
                    RESERVED_USER_DATA
                };
                if index + 1 < count {
                    sqe.raw.flags |= SqeFlags::IO_LINK.bits();
                }
            }
        }
        member += 1;
    }
    Ok(member)
}
