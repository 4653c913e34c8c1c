//! The mapped submission and completion queues of one io_uring instance.
//!
//! [`Ring`] owns the ring fd and its mappings. SQEs are taken with [`Ring::get_sqe`], filled
//! (see [`op`](crate::op)), and handed to the kernel in one batch by [`Ring::submit`]; CQEs are
//! read by copy ([`Ring::peek_cqe`], [`Ring::completions`], [`Ring::copy_cqes`]) and given back
//! with one store of the CQ head per batch. [`Ring::split`] hands out a [`Submitter`], the
//! [`SubmissionQueue`] and the [`CompletionQueue`] separately, so that one thread can submit
//! while another reaps.
//!
//! # Cost
//!
//! Taking an SQE is a compare against a cached head, a masked index and a 64-byte zeroing store;
//! no allocation, lock or syscall. `submit` publishes the tail with one store and makes at most
//! one `io_uring_enter` for the batch, none when there is nothing to do: no SQE pending (or an
//! SQPOLL thread awake), no completions to wait for or already in the ring, nothing to flush.
//!
//! # Memory ordering
//!
//! The rings are shared with the kernel, which uses `smp_load_acquire`/`smp_store_release` on
//! its side. Every shared load and store ringcore makes, and why:
//!
//! | word | access | ordering | why |
//! |---|---|---|---|
//! | SQ tail | store (`SubmissionQueue::sync`) | Release | SQE contents are visible before the kernel sees the new tail (kernel loads it with acquire). |
//! | SQ tail | load (`Submitter`) | Acquire | In split use the publishing thread may differ; the count read is the published one. |
//! | SQ head | load (when the SQ looks full; in `Submitter`) | Acquire | Pairs with the kernel's release of the head: its reads of consumed SQEs are done before they are reused. |
//! | SQ flags | load (`NEED_WAKEUP`, `CQ_OVERFLOW`, `TASKRUN`) | Relaxed after a SeqCst fence (SQPOLL) | The fence orders our tail store before the flag load; the poller sets the flag, fences, then re-reads the tail, so a wake-up is never missed. Without SQPOLL the flags are hints and the next enter rechecks. |
//! | CQ tail | load | Acquire | Pairs with the kernel's release of the tail: CQEs below it are fully written. |
//! | CQ head | load | Relaxed | Only the application writes it; it reads its own last store. |
//! | CQ head | store (`advance`, end of a `Completions` batch) | Release | Our reads of the consumed CQEs complete before the kernel may overwrite the slots. |
//! | CQ overflow, SQ dropped, CQ flags | load/store | Relaxed | Counters and application-owned flags; no data depends on them. |
//!
//! # Ownership
//!
//! The ring does not know what an SQE points to. Whoever fills an SQE answers for the memory
//! it names until its CQE has been reaped; the safe layer ([`event`](crate::event)) does that
//! for you. Dropping a `Ring` unmaps the queues, then closes the fd; the kernel keeps buffers of
//! requests still in flight pinned until they finish, but memory they write into must still be
//! owned by someone — the safe layer waits for them before letting go.

mod builder;
mod cq;
mod entry;
#[cfg(all(test, ringcore_loom))]
mod loom;
mod mmap;
mod sq;
mod submitter;
#[cfg(test)]
mod tests;
pub(crate) mod thread_token;

pub use builder::Builder;
pub use cq::{CompletionQueue, Completions};
pub use entry::{Entry, Entry128};
pub use sq::{SqBatch, SubmissionQueue};
pub(crate) use submitter::Registered;
pub use submitter::Submitter;

use crate::error::Errno;
use crate::sync::AtomicU32;
use crate::sys::{self, Cqe, Features, Params, SetupFlags, Sqe};
use core::time::Duration;
use cq::CqRaw;
use mmap::Mmap;
use sq::SqRaw;

/// An io_uring instance: its fd, its mappings and its two queues.
/// # Example
///
/// Thirty-two NOPs submitted with one system call, then a write and a read through a pipe,
/// linked so the read starts only after the write:
///
/// ```
/// use ringcore::op::{self, SqeOptions};
/// use ringcore::Ring;
///
/// let mut ring = Ring::new(64)?;
/// for i in 0..32 {
///     op::nop(ring.get_sqe().expect("the SQ has room").user_data(i));
/// }
/// assert_eq!(ring.submit_and_wait(32)?, 32);
/// let sum: u64 = ring.completions().map(|cqe| cqe.user_data).sum();
/// assert_eq!(sum, (0..32).sum());
///
/// let mut fds = [0i32; 2];
/// // SAFETY: `fds` has room for the two descriptors pipe(2) writes.
/// assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
/// let msg = *b"ring";
/// let mut back = [0u8; 4];
/// // SAFETY: `msg` and `back` stay in place until both CQEs are reaped below.
/// unsafe {
///     op::write(ring.get_sqe().unwrap().link(), fds[1], msg.as_ptr(), 4, 0);
///     op::read(ring.get_sqe().unwrap(), fds[0], back.as_mut_ptr(), 4, 0);
/// }
/// ring.submit_and_wait(2)?;
/// assert!(ring.completions().all(|cqe| cqe.res == 4));
/// assert_eq!(back, msg);
/// # unsafe { libc::close(fds[0]); libc::close(fds[1]); }
/// # Ok::<(), ringcore::Errno>(())
/// ```
#[derive(Debug)]
pub struct Ring {
    // Field order is drop order: the queues and their mappings go first, and the fd is closed
    // last, after everything that points into its memory is gone.
    q: Queues,
    params: Params,
    fd: Fd,
}

/// Addresses inside a ring's mappings; see [`Ring::raw_parts`]. Valid while the `Ring` lives.
///
/// The words are shared with the kernel: access them atomically, as the module docs describe.
/// With `SQE128` each SQE slot is two `Sqe`s long, with `CQE32` each CQE slot two `Cqe`s.
#[derive(Clone, Copy, Debug)]
pub struct RawParts {
    /// The kernel's SQ head (it writes, we load with acquire).
    pub sq_head: *const u32,
    /// The SQ tail (we publish with a release store).
    pub sq_tail: *mut u32,
    /// The SQ flags word (`IORING_SQ_*`).
    pub sq_flags: *const u32,
    /// The SQE array.
    pub sqes: *mut Sqe,
    /// SQ slots (a power of two).
    pub sq_entries: u32,
    /// The CQ head (we store with release).
    pub cq_head: *mut u32,
    /// The kernel's CQ tail (we load with acquire).
    pub cq_tail: *const u32,
    /// The CQE array.
    pub cqes: *mut Cqe,
    /// CQ slots (a power of two).
    pub cq_entries: u32,
    /// The SQ ring mapping (`IORING_OFF_SQ_RING`): start and length. With
    /// `IORING_FEAT_SINGLE_MMAP` it holds the CQ ring too.
    pub sq_ring: (*mut u8, usize),
    /// The CQ ring mapping: the SQ ring's with `IORING_FEAT_SINGLE_MMAP`.
    pub cq_ring: (*mut u8, usize),
    /// The SQE array mapping's length in bytes.
    pub sqes_len: usize,
}

/// The mapped queues of a ring: everything in a [`Ring`] but its fd and parameters.
///
/// Field order is drop order: the queues (plain pointers into the mappings) before the mappings.
#[derive(Debug)]
struct Queues {
    sq: SubmissionQueue,
    cq: CompletionQueue,
    submitter: Submitter,
    sqes_map: Mmap,
    _cq_map: Option<Mmap>,
    _sq_map: Mmap,
}

// A ring moves between threads (a driver may run on any thread); sharing one needs `&mut` for
// every queue operation, so `Sync` costs nothing either.
static_assertions::assert_impl_all!(Ring: Send, Sync);
static_assertions::assert_impl_all!(Submitter: Send, Sync);
static_assertions::assert_impl_all!(SubmissionQueue: Send, Sync);
static_assertions::assert_impl_all!(CompletionQueue: Send, Sync);

/// An owned fd, closed on drop.
#[derive(Debug)]
struct Fd(i32);

impl Drop for Fd {
    fn drop(&mut self) {
        // SAFETY: this value owns the fd and closes it once.
        unsafe {
            libc::close(self.0);
        }
    }
}

impl Ring {
    /// A ring with `entries` SQEs (rounded up to a power of two) and default parameters.
    ///
    /// # Errors
    /// As [`Builder::build`].
    pub fn new(entries: u32) -> Result<Ring, Errno> {
        Builder::new(entries).build()
    }

    /// A [`Builder`] for a ring with `entries` SQEs.
    pub fn builder(entries: u32) -> Builder {
        Builder::new(entries)
    }

    fn setup(entries: u32, mut params: Params) -> Result<Ring, Errno> {
        let fd = Fd(sys::io_uring_setup(entries, &mut params)?);
        let q = Self::map_queues(fd.0, &params)?;
        Ok(Ring { q, params, fd })
    }

    /// Maps the queues of ring `fd` as `p` describes them: at setup, and again after the
    /// kernel resized the rings (see [`remap`](Self::remap)).
    fn map_queues(fd: i32, p: &Params) -> Result<Queues, Errno> {
        let setup = SetupFlags::from_bits_retain(p.flags);
        let features = Features::from_bits_retain(p.features);

        let sqe_size = if setup.contains(SetupFlags::SQE128) {
            128
        } else {
            64
        };
        let cqe_size = if setup.contains(SetupFlags::CQE32) {
            32
        } else {
            16
        };
        let no_sqarray = setup.contains(SetupFlags::NO_SQARRAY);
        let sq_len = if no_sqarray {
            // No index array: the SQ words live in the shared header, before the CQEs.
            (p.sq_off.dropped as usize + 4).max(p.sq_off.flags as usize + 4)
        } else {
            p.sq_off.array as usize + p.sq_entries as usize * 4
        };
        let cq_len = p.cq_off.cqes as usize + p.cq_entries as usize * cqe_size;

        let (sq_map, cq_map) = if features.contains(Features::SINGLE_MMAP) {
            let len = sq_len.max(cq_len);
            (Mmap::new(fd, len, sys::IORING_OFF_SQ_RING)?, None)
        } else {
            let sq_map = Mmap::new(fd, sq_len, sys::IORING_OFF_SQ_RING)?;
            let cq_map = Mmap::new(fd, cq_len, sys::IORING_OFF_CQ_RING)?;
            (sq_map, Some(cq_map))
        };
        let sqes_len = p.sq_entries as usize * sqe_size;
        let sqes_map = Mmap::new(fd, sqes_len, sys::IORING_OFF_SQES)?;
        let cq_region = cq_map.as_ref().unwrap_or(&sq_map);
        if cq_region.len() < cq_len || sq_map.len() < sq_len {
            return Err(Errno::EINVAL);
        }

        if !no_sqarray {
            // Map SQ slot i to SQE i once; entries are then consumed in ring order.
            let array: *mut u32 = sq_map.at(p.sq_off.array);
            for i in 0..p.sq_entries {
                // SAFETY: the array has `sq_entries` u32s inside the SQ mapping (length checked
                // above); the kernel reads it only for submitted entries, none yet.
                unsafe { array.add(i as usize).write(i) };
            }
        }

        let sq_raw = SqRaw {
            head: sq_map.at::<AtomicU32>(p.sq_off.head),
            tail: sq_map.at::<AtomicU32>(p.sq_off.tail),
            flags: sq_map.at::<AtomicU32>(p.sq_off.flags),
            dropped: sq_map.at::<AtomicU32>(p.sq_off.dropped),
            sqes: sqes_map.at::<Sqe>(0),
            entries: p.sq_entries,
            sqe_shift: (sqe_size / 64 - 1) as u32,
        };
        let cq_raw = CqRaw {
            head: cq_region.at::<AtomicU32>(p.cq_off.head),
            tail: cq_region.at::<AtomicU32>(p.cq_off.tail),
            overflow: cq_region.at::<AtomicU32>(p.cq_off.overflow),
            flags: if p.cq_off.flags == 0 {
                core::ptr::null()
            } else {
                cq_region.at::<AtomicU32>(p.cq_off.flags)
            },
            cqes: cq_region.at::<Cqe>(p.cq_off.cqes),
            entries: p.cq_entries,
            cqe_shift: (cqe_size / 16 - 1) as u32,
        };
        let submitter = Submitter::new(
            fd,
            setup,
            features,
            sq_raw.head,
            sq_raw.tail,
            sq_raw.flags,
            cq_raw.head,
            cq_raw.tail,
        );
        // SAFETY: the raw parts point into the mappings just made, whose sizes were checked; the
        // mappings live in the same `Ring` and are dropped after the queues.
        let (sq, cq) = unsafe { (SubmissionQueue::new(sq_raw), CompletionQueue::new(cq_raw)) };
        Ok(Queues {
            sq,
            cq,
            submitter,
            sqes_map,
            _cq_map: cq_map,
            _sq_map: sq_map,
        })
    }

    /// Switches to the rings the kernel made in `IORING_REGISTER_RESIZE_RINGS` (used by
    /// `register::resize`): maps them as `params` describes (the old flags and features with
    /// the new sizes and offsets), keeps the enter path (a registered ring index stays in
    /// use), then unmaps the old rings. The caller makes sure no SQE is taken and unconsumed.
    /// On error the old mappings stay in place.
    pub(crate) fn remap(&mut self, params: Params) -> Result<(), Errno> {
        let mut q = Self::map_queues(self.fd.0, &params)?;
        // Moved, not copied: the old submitter must not unregister the index when it drops.
        let registered = self.q.submitter.registered();
        self.q.submitter.set_registered(None);
        q.submitter.set_registered(registered);
        // Dropping the old `Queues` drops its queues before the old mappings they point into.
        self.q = q;
        self.params = params;
        Ok(())
    }

    /// Takes the next free SQE, zeroed; `None` when the SQ is full (submit, then retry).
    #[inline]
    pub fn get_sqe(&mut self) -> Option<&mut Entry> {
        self.q.sq.get_sqe()
    }

    /// A batch cursor for taking many SQEs in a loop at the lowest cost; see
    /// [`SubmissionQueue::batch`].
    #[inline]
    pub fn sq_batch(&mut self) -> SqBatch<'_> {
        self.q.sq.batch()
    }

    /// Takes the next free 128-byte SQE of an `SQE128` ring; `None` when full or not `SQE128`.
    #[inline]
    pub fn get_sqe128(&mut self) -> Option<&mut Entry128> {
        self.q.sq.get_sqe128()
    }

    /// Publishes the SQEs taken so far and submits them; returns how many the kernel took.
    ///
    /// One `io_uring_enter` at most, none when there is nothing to submit or flush.
    ///
    /// # Errors
    /// The kernel's errno from `io_uring_enter` (`EBUSY`/`EAGAIN`: CQ backlog full; `EBADFD`:
    /// ring disabled; ...). `EINTR` is retried.
    #[inline]
    pub fn submit(&mut self) -> Result<u32, Errno> {
        self.q.sq.sync();
        self.q.submitter.enter_for(self.q.sq.local_tail(), 0)
    }

    /// Submits, then waits until at least `want` CQEs are in the ring.
    ///
    /// No syscall when nothing needs submitting and `want` CQEs are already there.
    ///
    /// # Errors
    /// As [`submit`](Self::submit).
    #[inline]
    pub fn submit_and_wait(&mut self, want: u32) -> Result<u32, Errno> {
        self.q.sq.sync();
        self.q.submitter.enter_for(self.q.sq.local_tail(), want)
    }

    /// Submits, then waits up to `timeout` for `want` CQEs (`IORING_ENTER_EXT_ARG`).
    ///
    /// # Errors
    /// `ETIME` when the time ran out; `EINVAL` on kernels without `EXT_ARG`; as
    /// [`submit`](Self::submit) otherwise.
    pub fn submit_and_wait_timeout(&mut self, want: u32, timeout: Duration) -> Result<u32, Errno> {
        self.q.sq.sync();
        self.q
            .submitter
            .enter_for_timeout(self.q.sq.local_tail(), want, timeout)
    }

    /// A copy of the oldest CQE, or `None` when there is none.
    ///
    /// When the ring is empty but the kernel holds completions back (CQ overflow backlog, or
    /// deferred task work flagged by `TASKRUN`), one `io_uring_enter` flushes them first.
    /// The CQE stays in the ring until [`cqe_seen`](Self::cqe_seen) or
    /// [`cq_advance`](Self::cq_advance).
    #[inline]
    pub fn peek_cqe(&mut self) -> Option<Cqe> {
        if let Some(cqe) = self.q.cq.peek() {
            return Some(cqe);
        }
        self.flush_backlog();
        self.q.cq.peek()
    }

    #[cold]
    fn flush_backlog(&mut self) {
        // An error only means nothing was flushed; the caller sees an empty ring.
        let _ = self.q.submitter.flush_backlog();
    }

    /// Flushes completions the kernel holds back (overflow backlog, deferred task work) into
    /// the ring without submitting: `io_uring_enter` with `GETEVENTS` and no wait.
    ///
    /// # Errors
    /// The kernel's errno from `io_uring_enter`.
    pub fn get_events(&mut self) -> Result<(), Errno> {
        self.q.submitter.get_events()
    }

    /// Waits for a CQE (submitting pending SQEs first) and returns a copy of it, unconsumed.
    ///
    /// # Errors
    /// As [`submit`](Self::submit).
    pub fn wait_cqe(&mut self) -> Result<Cqe, Errno> {
        loop {
            if let Some(cqe) = self.peek_cqe() {
                return Ok(cqe);
            }
            self.submit_and_wait(1)?;
        }
    }

    /// Like [`wait_cqe`](Self::wait_cqe), giving up after `timeout`.
    ///
    /// # Errors
    /// `ETIME` when no CQE arrived in time; as [`submit_and_wait_timeout`](Self::submit_and_wait_timeout).
    pub fn wait_cqe_timeout(&mut self, timeout: Duration) -> Result<Cqe, Errno> {
        if let Some(cqe) = self.peek_cqe() {
            return Ok(cqe);
        }
        self.submit_and_wait_timeout(1, timeout)?;
        self.peek_cqe().ok_or(Errno::ETIME)
    }

    /// Consumes the oldest CQE (after [`peek_cqe`](Self::peek_cqe)).
    #[inline]
    pub fn cqe_seen(&mut self) {
        self.q.cq.advance(1);
    }

    /// Consumes `n` CQEs with one store of the head.
    #[inline]
    pub fn cq_advance(&mut self, n: u32) {
        self.q.cq.advance(n);
    }

    /// Iterates the CQEs in the ring now; they are consumed when the iterator is dropped.
    #[inline]
    pub fn completions(&mut self) -> Completions<'_> {
        self.q.cq.completions()
    }

    /// Copies up to `out.len()` CQEs out of the ring and consumes them; returns how many.
    #[inline]
    pub fn copy_cqes(&mut self, out: &mut [Cqe]) -> usize {
        self.q.cq.copy_into(out)
    }

    /// CQEs ready to be read.
    #[inline]
    pub fn cq_ready(&self) -> u32 {
        self.q.cq.ready()
    }

    /// SQEs that `get_sqe` can still hand out before the kernel consumes any.
    #[inline]
    pub fn sq_space_left(&self) -> u32 {
        self.q.sq.space_left()
    }

    /// SQEs taken and not yet consumed by the kernel.
    #[inline]
    pub fn sq_pending(&self) -> u32 {
        self.q.sq.len()
    }

    /// The next free SQE without taking it; see `SubmissionQueue::peek_sqe`.
    #[cfg(feature = "alloc")]
    #[inline]
    pub(crate) fn peek_sqe(&mut self) -> Option<&mut Entry> {
        self.q.sq.peek_sqe()
    }

    /// Holds the SQ's fast path (see `SubmissionQueue::hold`).
    #[cfg(feature = "alloc")]
    pub(crate) fn hold_sq(&mut self, held: bool) {
        self.q.sq.hold(held);
    }

    /// Takes the SQE [`peek_sqe`](Self::peek_sqe) returned.
    #[cfg(feature = "alloc")]
    #[inline]
    pub(crate) fn commit_sqe(&mut self) {
        self.q.sq.commit_sqe();
    }

    /// The SQ's local tail: one past the last SQE handed out (published or not).
    #[cfg(feature = "alloc")]
    #[inline]
    pub(crate) fn sq_local_tail(&self) -> u32 {
        self.q.sq.local_tail()
    }

    /// Takes back the SQEs handed out since [`sq_local_tail`](Self::sq_local_tail) was
    /// `tail`; none of them may have been published (no `submit` or `sync` since).
    #[cfg(feature = "alloc")]
    #[inline]
    pub(crate) fn sq_rewind(&mut self, tail: u32) {
        self.q.sq.rewind(tail);
    }

    /// The three parts of the ring, for one thread submitting while another reaps.
    ///
    /// In split use, call [`SubmissionQueue::sync`] to publish SQEs before
    /// [`Submitter::submit`].
    pub fn split(&mut self) -> (&Submitter, &mut SubmissionQueue, &mut CompletionQueue) {
        (&self.q.submitter, &mut self.q.sq, &mut self.q.cq)
    }

    /// The submitter, for registration calls and raw enters.
    pub fn submitter(&self) -> &Submitter {
        &self.q.submitter
    }

    /// The submission queue.
    pub fn sq(&mut self) -> &mut SubmissionQueue {
        &mut self.q.sq
    }

    /// The completion queue.
    pub fn cq(&mut self) -> &mut CompletionQueue {
        &mut self.q.cq
    }

    /// The ring's fd.
    pub fn fd(&self) -> i32 {
        self.fd.0
    }

    /// The parameters as the kernel returned them (actual sizes, offsets, features).
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// The features the kernel reported.
    pub fn features(&self) -> Features {
        self.q.submitter.features
    }

    /// The setup flags the ring was created with.
    pub fn setup_flags(&self) -> SetupFlags {
        self.q.submitter.setup
    }

    /// Enables a ring created with [`Builder::r_disabled`].
    ///
    /// # Errors
    /// `EBADFD` when the ring is not disabled; the kernel's errno otherwise.
    pub fn enable(&mut self) -> Result<(), Errno> {
        // SAFETY: ENABLE_RINGS takes no argument.
        unsafe {
            self.q
                .submitter
                .register_raw(sys::IORING_REGISTER_ENABLE_RINGS, core::ptr::null(), 0)
        }
        .map(|_| ())
    }

    /// The addresses of the shared ring words and entry arrays, for code that runs the queues
    /// itself (the C API, whose header takes SQEs and walks CQEs inline).
    ///
    /// Whoever hands out SQEs through these must publish the SQ tail itself and submit with
    /// [`submitter`](Self::submitter) only: `get_sqe`, `submit*` and `wait_cqe*` of this `Ring`
    /// keep their own SQ tail and would publish a stale one.
    pub fn raw_parts(&self) -> RawParts {
        let s = &self.q.submitter;
        RawParts {
            sq_head: s.sq_head.cast(),
            sq_tail: s.sq_tail.cast_mut().cast(),
            sq_flags: s.sq_flags.cast(),
            sqes: self.q.sqes_map.at::<Sqe>(0),
            sq_entries: self.params.sq_entries,
            cq_head: s.cq_head.cast_mut().cast(),
            cq_tail: s.cq_tail.cast(),
            cqes: self.q.cq.cqe_ptr(0).cast_mut(),
            cq_entries: self.params.cq_entries,
            sq_ring: (self.q._sq_map.at::<u8>(0), self.q._sq_map.len()),
            cq_ring: match &self.q._cq_map {
                Some(m) => (m.at::<u8>(0), m.len()),
                None => (self.q._sq_map.at::<u8>(0), self.q._sq_map.len()),
            },
            sqes_len: self.q.sqes_map.len(),
        }
    }

    /// Makes the ring use `fd` from now on — for its enters, registrations, and the close when
    /// it drops — in place of its own fd, which it gives up without closing: for callers that
    /// duplicate the ring fd and close the original (liburing programs do). Returns the fd it
    /// gave up.
    ///
    /// # Safety
    /// `fd` is an open descriptor of this same io_uring instance (a `dup` of its fd) that the
    /// ring may own and close; the old fd, now the caller's, is not closed while the ring could
    /// still use it — i.e. it is closed (if at all) by the caller only after this call.
    pub unsafe fn replace_fd(&mut self, fd: i32) -> i32 {
        let old = core::mem::replace(&mut self.fd.0, fd);
        self.q.submitter.ring_fd = fd;
        old
    }

    /// Makes `io_uring_enter` go through a registered ring index on its owner thread (or the
    /// fd everywhere with `None`). For the registration layer, which registers the fd first.
    pub(crate) fn set_registered(&mut self, registered: Option<submitter::Registered>) {
        self.q.submitter.set_registered(registered);
    }
}
