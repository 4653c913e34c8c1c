//! The submitter: decides when `io_uring_enter` is needed and makes the call.

use super::thread_token;
use crate::error::Errno;
use crate::sync::{fence, AtomicU32, Ordering};
use crate::sys::{self, EnterFlags, Features, GeteventsArg, SetupFlags, SqRingFlags, Timespec};
use core::time::Duration;

/// The part of a ring that talks to the kernel: submitting, waiting and registering.
///
/// It reads the shared ring words it needs (SQ head, tail and flags; CQ head and tail) but
/// writes none, so it may be shared (`&Submitter`) between threads.
///
/// Enters go through the ring fd, or through the registered index on the thread that
/// registered it ([`Ring::register_ring_fd`](super::Ring::register_ring_fd)) and only there.
#[derive(Debug)]
pub struct Submitter {
    pub(crate) sq_head: *const AtomicU32,
    pub(crate) sq_tail: *const AtomicU32,
    pub(crate) sq_flags: *const AtomicU32,
    pub(crate) cq_head: *const AtomicU32,
    pub(crate) cq_tail: *const AtomicU32,
    /// The [`thread_token`] of the thread that registered the ring fd; 0 when not registered.
    /// (Plain fields rather than an `Option<Registered>`, which would take 8 bytes more: the
    /// submitter stays within the 64 bytes the hot paths were tuned with.)
    reg_owner: thread_token::Token,
    /// The registered index in that thread's table (valid when `reg_owner` is not 0).
    reg_index: u16,
    /// Whether enters leave the plain path: `SQPOLL`, or a registered ring fd (whose owner is
    /// checked on each enter). One flag, so the plain path tests one byte, as it tested the
    /// `SQPOLL` bit before.
    special: bool,
    pub(crate) ring_fd: i32,
    pub(crate) setup: SetupFlags,
    pub(crate) features: Features,
}

static_assertions::const_assert!(core::mem::size_of::<Submitter>() <= 64);

/// A registered ring fd: an index in the table of the thread whose token is `owner`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Registered {
    /// The kernel's tables hold [`IO_RINGFD_REG_MAX`](sys::IO_RINGFD_REG_MAX) (16) entries.
    pub(crate) index: u16,
    /// [`thread_token`] of the registering thread (never 0).
    pub(crate) owner: thread_token::Token,
}

/// Not a result `io_uring_enter` can return (its errors are above -4096): stands for "no call
/// made yet" where a raw result is expected.
const NOT_ENTERED: i32 = i32::MIN;

/// A result in the system call's form: the count, or the negated errno. The counts here are
/// SQEs taken from one SQ (at most 32768), so they fit.
#[inline]
fn raw_result(r: Result<u32, Errno>) -> i32 {
    match r {
        Ok(n) => n as i32,
        Err(e) => -e.raw(),
    }
}

impl Drop for Submitter {
    /// Frees the registered ring fd's slot when dropped on the thread that registered it (the
    /// slot holds a reference to the ring, which would otherwise live, and take a slot, until
    /// that thread exits). On another thread the slot is not this thread's to free.
    #[inline]
    fn drop(&mut self) {
        if self.reg_owner != 0 {
            self.unregister_here();
        }
    }
}

impl Submitter {
    /// Removes the registered ring fd from the calling thread's table if this thread
    /// registered it; the ring fd must still be open.
    #[cold]
    #[inline(never)]
    fn unregister_here(&mut self) {
        let Some(index) = self.registered_here() else {
            return;
        };
        self.set_registered(None);
        let up = sys::RsrcUpdate {
            offset: index,
            resv: 0,
            data: 0,
        };
        // SAFETY: `up` is one valid `io_uring_rsrc_update` the kernel reads; the ring fd is
        // still open (the `Ring` closes it after its queues are gone). An error leaves the
        // slot as it was, which is all that can be done in a drop.
        let _ = unsafe {
            sys::io_uring_register(
                self.ring_fd,
                sys::IORING_UNREGISTER_RING_FDS,
                (&up as *const sys::RsrcUpdate).cast(),
                1,
            )
        };
    }
}

// SAFETY: the submitter only loads shared ring words atomically and makes syscalls, which the
// kernel serialises; the pointers stay valid for the ring's life.
unsafe impl Send for Submitter {}
// SAFETY: as above; no method writes through the pointers.
unsafe impl Sync for Submitter {}

impl Submitter {
    /// Submits every published SQE; returns how many the kernel took.
    ///
    /// No syscall when there is nothing to submit (or, with SQPOLL, when the poller is awake).
    ///
    /// # Errors
    /// The kernel's errno from `io_uring_enter` (`EBUSY`/`EAGAIN`: no room for completions;
    /// `EBADFD`: ring disabled; ...). `EINTR` is retried.
    #[inline]
    pub fn submit(&self) -> Result<u32, Errno> {
        self.submit_and_wait(0)
    }

    /// Submits every published SQE and waits until at least `want` CQEs are ready.
    ///
    /// No syscall when nothing needs submitting and `want` CQEs are already in the ring.
    ///
    /// # Errors
    /// As [`submit`](Self::submit).
    #[inline]
    pub fn submit_and_wait(&self, want: u32) -> Result<u32, Errno> {
        // SAFETY: `sq_tail` points into the live ring; the SQ owner published it with release.
        let tail = unsafe { (*self.sq_tail).load(Ordering::Acquire) };
        self.enter_for(tail, want)
    }

    /// [`submit_and_wait`](Self::submit_and_wait) for a caller that has just published
    /// `tail` as the SQ tail, with the result in the system call's own form: the number of SQEs
    /// the kernel took, or a negated errno.
    ///
    /// For an FFI layer that returns that form as it is (the C API): the common case, one
    /// `io_uring_enter` that does everything, passes the kernel's result through without
    /// converting it to a `Result` and back, and the tail is not reloaded. A wrong `tail` only
    /// makes the kernel submit fewer SQEs than were published (it never reads past its own view
    /// of the tail).
    #[inline(always)]
    pub fn submit_and_wait_raw(&self, tail: u32, want: u32) -> i32 {
        if self.special {
            // SQPOLL (the poller may need waking) or a registered ring index (usable only on
            // its registering thread): the general path.
            return self.enter_slow_raw(want, NOT_ENTERED);
        }
        self.submit_and_wait_raw_unpolled(tail, want)
    }

    /// [`submit_and_wait_raw`](Self::submit_and_wait_raw) for a ring the caller knows has no
    /// SQPOLL thread (it tested [`Ring::setup_flags`](super::Ring::setup_flags) once, e.g.
    /// together with tests of its own): the same, without that test. It always enters through
    /// the ring's own fd, never a registered index. On a ring with SQPOLL it would enter
    /// without waking a sleeping poller, so the SQEs could wait until the poller wakes by
    /// itself; nothing worse.
    #[inline(always)]
    pub fn submit_and_wait_raw_unpolled(&self, tail: u32, want: u32) -> i32 {
        let first = if want == 0 {
            // Two copies of the pass, so that the waiting one knows `want > 0` after the call.
            self.enter_pass_raw(tail, 0)
        } else {
            self.enter_pass_raw(tail, want)
        };
        match first {
            Ok(ret) => ret,
            Err(ret) => self.enter_slow_raw(want, ret),
        }
    }

    /// One pass on the plain path (no SQPOLL, the ring fd): `Ok` with the final result, or
    /// `Err` with the result of a call that must be followed up (an error, or a wait cut short).
    #[inline(always)]
    fn enter_pass_raw(&self, tail: u32, want: u32) -> Result<i32, i32> {
        let Some((to_submit, flags)) = self.enter_decision(tail, want, None, EnterFlags::empty())
        else {
            return Ok(0);
        };
        // SAFETY: as in `enter_raw`: the published SQEs were filled by their owner, who answers
        // for the memory they reference; no argument is passed.
        let ret = unsafe {
            sys::io_uring_enter_raw(
                self.ring_fd,
                to_submit,
                want,
                flags.bits(),
                core::ptr::null(),
                0,
            )
        };
        // `wait_cut_short` tested in the order that branches least when all went well: the CQ
        // words are read even after an error, which is harmless.
        let waited = want == 0 || self.cq_ready() >= want;
        if ret >= 0 && (waited || ret == 0) {
            Ok(ret)
        } else {
            Err(ret)
        }
    }

    /// Submits every published SQE and waits up to `timeout` for `want` CQEs.
    ///
    /// # Errors
    /// `ETIME` when the time ran out first; `EINVAL` on kernels without `IORING_FEAT_EXT_ARG`;
    /// otherwise as [`submit`](Self::submit). After `EINTR` the wait restarts with the full
    /// timeout.
    pub fn submit_and_wait_timeout(&self, want: u32, timeout: Duration) -> Result<u32, Errno> {
        // SAFETY: as in `submit_and_wait`.
        let tail = unsafe { (*self.sq_tail).load(Ordering::Acquire) };
        self.enter_for_timeout(tail, want, timeout)
    }

    /// Flushes completions the kernel holds back into the CQ: when the SQ flags show an
    /// overflow backlog (`CQ_OVERFLOW`) or pending task work (`TASKRUN`), one `io_uring_enter`
    /// with `GETEVENTS` and no wait; otherwise nothing. Returns whether it entered.
    ///
    /// In split use the reaping thread calls this when its queue runs dry.
    ///
    /// # Errors
    /// The kernel's errno from `io_uring_enter`.
    pub fn flush_backlog(&self) -> Result<bool, Errno> {
        if !self
            .sq_flags()
            .intersects(SqRingFlags::CQ_OVERFLOW | SqRingFlags::TASKRUN)
        {
            return Ok(false);
        }
        self.get_events().map(|()| true)
    }

    /// With an SQ polling thread: wakes it if it sleeps and waits until the SQ has a free entry
    /// (`IORING_ENTER_SQ_WAIT`); at once when the SQ is not full. Without one, returns at once:
    /// only this ring's own submits take entries.
    ///
    /// # Errors
    /// The kernel's errno from `io_uring_enter`. `EINTR` is retried.
    pub fn sq_wait(&self) -> Result<(), Errno> {
        if !self.setup.contains(SetupFlags::SQPOLL) {
            return Ok(());
        }
        let (fd, base) = self.target();
        let flags = base | EnterFlags::SQ_WAKEUP | EnterFlags::SQ_WAIT;
        loop {
            // SAFETY: submits nothing (the kernel takes SQEs through its poller; `to_submit` is
            // 0) and passes no argument.
            let r = unsafe { sys::io_uring_enter(fd, 0, 0, flags.bits(), core::ptr::null(), 0) };
            match r {
                Err(Errno::EINTR) => continue,
                r => return r.map(|_| ()),
            }
        }
    }

    /// `io_uring_enter` with `GETEVENTS`, submitting nothing and not waiting: runs pending task
    /// work and flushes the overflow backlog.
    ///
    /// # Errors
    /// The kernel's errno from `io_uring_enter`.
    pub fn get_events(&self) -> Result<(), Errno> {
        let (fd, flags) = self.target();
        let flags = flags | EnterFlags::GETEVENTS;
        loop {
            // SAFETY: submits nothing (`to_submit` 0) and passes no argument.
            let r = unsafe { sys::io_uring_enter(fd, 0, 0, flags.bits(), core::ptr::null(), 0) };
            match r {
                Err(Errno::EINTR) => continue,
                r => return r.map(|_| ()),
            }
        }
    }

    /// CQEs ready in the completion ring (tail loaded with acquire).
    #[inline]
    pub(crate) fn cq_ready(&self) -> u32 {
        // SAFETY: both pointers point into the live ring.
        unsafe {
            (*self.cq_tail)
                .load(Ordering::Acquire)
                .wrapping_sub((*self.cq_head).load(Ordering::Relaxed))
        }
    }

    /// The SQ flags word (`IORING_SQ_*`), loaded relaxed.
    #[inline]
    pub fn sq_flags(&self) -> SqRingFlags {
        // SAFETY: `sq_flags` points into the live ring.
        SqRingFlags::from_bits_retain(unsafe { (*self.sq_flags).load(Ordering::Relaxed) })
    }

    /// Whether the SQPOLL thread sleeps and must be woken (`IORING_ENTER_SQ_WAKEUP`) to see
    /// SQEs whose tail the caller has just published.
    ///
    /// The full fence orders the caller's tail store before the load of `NEED_WAKEUP`. The
    /// poller sets `NEED_WAKEUP`, makes a full fence, then re-reads the tail before it sleeps,
    /// so one side always sees the other: either the poller finds the new tail or this load
    /// finds the flag. A wake-up is never missed (the loom model checks exactly this function).
    #[inline]
    pub fn sqpoll_needs_wakeup(&self) -> bool {
        fence(Ordering::SeqCst);
        self.sq_flags().contains(SqRingFlags::NEED_WAKEUP)
    }

    /// The enter decision and call, given the SQ tail the caller has published.
    ///
    /// Enters when: SQEs are pending (without SQPOLL), the SQPOLL thread sleeps, completions
    /// must be flushed (`CQ_OVERFLOW`, `TASKRUN`), or the caller waits for CQEs that are not yet
    /// in the ring.
    #[inline]
    pub(crate) fn enter_for(&self, tail: u32, want: u32) -> Result<u32, Errno> {
        self.enter_with(tail, want, None)
    }

    /// [`enter_for`](Self::enter_for) with a timeout on the wait (`IORING_ENTER_EXT_ARG`).
    pub(crate) fn enter_for_timeout(
        &self,
        tail: u32,
        want: u32,
        timeout: Duration,
    ) -> Result<u32, Errno> {
        if !self.features.contains(Features::EXT_ARG) {
            return Err(Errno::EINVAL);
        }
        let ts = Timespec {
            tv_sec: timeout.as_secs() as i64,
            tv_nsec: timeout.subsec_nanos() as i64,
        };
        let arg = GeteventsArg {
            ts: &ts as *const Timespec as u64,
            ..GeteventsArg::default()
        };
        self.enter_with(tail, want, Some(&arg))
    }

    #[inline(always)]
    fn enter_with(&self, tail: u32, want: u32, arg: Option<&GeteventsArg>) -> Result<u32, Errno> {
        if self.special {
            return self.enter_special(tail, want, arg);
        }
        self.enter_loop(tail, want, arg, 0, self.ring_fd, EnterFlags::empty())
    }

    /// Enters off the plain path: with SQPOLL, or through the registered index.
    ///
    /// Inlined (with [`enter_sqpoll`](Self::enter_sqpoll)) and calling the out-of-line
    /// [`target`](Self::target): of the shapes measured with `make perf-rust`, the one that
    /// leaves the plain path's code as it was.
    #[inline]
    fn enter_special(
        &self,
        tail: u32,
        want: u32,
        arg: Option<&GeteventsArg>,
    ) -> Result<u32, Errno> {
        let (fd, base) = self.target();
        if self.setup.contains(SetupFlags::SQPOLL) {
            return self.enter_sqpoll(tail, want, arg, fd, base);
        }
        self.enter_loop(tail, want, arg, 0, fd, base)
    }

    /// The fd and base flags this thread's enters use: the registered index on the thread that
    /// registered it, the ring fd everywhere else.
    ///
    /// The index names a slot of the *calling* thread's table; on any other thread that slot
    /// is empty or holds another ring, so only the owner may use it. The check is a
    /// thread-local load and a compare, no system call. Out of line (and marked cold) to keep
    /// it off the plain path's code: a registered or SQPOLL enter pays one call.
    #[cold]
    #[inline(never)]
    pub(crate) fn target(&self) -> (i32, EnterFlags) {
        if self.reg_owner != 0 && self.reg_owner == thread_token::current() {
            (i32::from(self.reg_index), EnterFlags::REGISTERED_RING)
        } else {
            (self.ring_fd, EnterFlags::empty())
        }
    }

    /// Enters without SQPOLL until the job is done: retries `EINTR`, and waits again when a
    /// call's wait was cut short. `submitted`: SQEs already taken by earlier calls. `fd` and
    /// `base` as [`target`](Self::target) returns them.
    #[inline(always)]
    fn enter_loop(
        &self,
        tail: u32,
        want: u32,
        arg: Option<&GeteventsArg>,
        mut submitted: u32,
        fd: i32,
        base: EnterFlags,
    ) -> Result<u32, Errno> {
        loop {
            let Some((to_submit, flags)) = self.enter_decision(tail, want, arg, base) else {
                return Ok(submitted);
            };
            match self.enter_raw(fd, to_submit, want, flags, arg) {
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(e),
                Ok(k) => {
                    submitted += k;
                    if self.wait_cut_short(want, k) {
                        continue;
                    }
                    return Ok(submitted);
                }
            }
        }
    }

    /// Whether to enter without SQPOLL: `None` when there is nothing to do, else how many SQEs to
    /// submit and the flags (`base` and what the job needs).
    #[inline(always)]
    fn enter_decision(
        &self,
        tail: u32,
        want: u32,
        arg: Option<&GeteventsArg>,
        base: EnterFlags,
    ) -> Option<(u32, EnterFlags)> {
        // Without SQPOLL only our own enter calls move the SQ head, so this load sees what
        // the last call left (acquire keeps it uniform with the SQPOLL path).
        // SAFETY: `sq_head` points into the live ring.
        let head = unsafe { (*self.sq_head).load(Ordering::Acquire) };
        let to_submit = tail.wrapping_sub(head);
        let mut flags = base;
        if want > 0 || arg.is_some() {
            if to_submit == 0 && want > 0 && self.cq_ready() >= want {
                return None;
            }
            flags |= EnterFlags::GETEVENTS;
        } else if self
            .sq_flags()
            .intersects(SqRingFlags::CQ_OVERFLOW | SqRingFlags::TASKRUN)
        {
            // Completions are held back: let this enter flush them too.
            flags |= EnterFlags::GETEVENTS;
        } else if to_submit == 0 {
            return None;
        }
        Some((to_submit, flags))
    }

    /// Whether a call that took `k` SQEs must wait again: it returns the submit count even when
    /// a signal cut its wait short, so the CQ is checked for the `want` CQEs.
    #[inline(always)]
    fn wait_cut_short(&self, want: u32, k: u32) -> bool {
        want > 0 && k > 0 && self.cq_ready() < want
    }

    /// The rest of [`submit_and_wait_raw`](Self::submit_and_wait_raw) out of line: off the plain
    /// path (`first` is [`NOT_ENTERED`]), or after a `first` call that did not finish the job.
    #[cold]
    #[inline(never)]
    fn enter_slow_raw(&self, want: u32, first: i32) -> i32 {
        // SAFETY: `sq_tail` points into the live ring; its owner published the tail it passed
        // to `submit_and_wait_raw`, so this load finds it again.
        let tail = unsafe { (*self.sq_tail).load(Ordering::Acquire) };
        if first == NOT_ENTERED {
            return raw_result(self.enter_special(tail, want, None));
        }
        if first < 0 && first != -Errno::EINTR.raw() {
            return first;
        }
        // Interrupted, or a wait cut short after `first` SQEs were taken: carry on, on the
        // plain path the first call took.
        raw_result(self.enter_loop(
            tail,
            want,
            None,
            first.max(0) as u32,
            self.ring_fd,
            EnterFlags::empty(),
        ))
    }

    /// The enter decision with an SQPOLL thread: the kernel thread submits; we only wake it
    /// when it sleeps, and enter to wait or to flush. `fd` and `base` as
    /// [`target`](Self::target) returns them.
    #[inline(always)]
    fn enter_sqpoll(
        &self,
        tail: u32,
        want: u32,
        arg: Option<&GeteventsArg>,
        fd: i32,
        base: EnterFlags,
    ) -> Result<u32, Errno> {
        // Acquire pairs with the poller's release of the head.
        // SAFETY: `sq_head` points into the live ring.
        let head = unsafe { (*self.sq_head).load(Ordering::Acquire) };
        let to_submit = tail.wrapping_sub(head);
        let mut flags = base;
        if to_submit > 0 && self.sqpoll_needs_wakeup() {
            flags |= EnterFlags::SQ_WAKEUP;
        }
        if want > 0 || arg.is_some() {
            if want > 0 && flags == base && self.cq_ready() >= want {
                return Ok(to_submit);
            }
            flags |= EnterFlags::GETEVENTS;
        } else if self
            .sq_flags()
            .intersects(SqRingFlags::CQ_OVERFLOW | SqRingFlags::TASKRUN)
        {
            flags |= EnterFlags::GETEVENTS;
        } else if flags == base {
            return Ok(to_submit);
        }
        loop {
            match self.enter_raw(fd, 0, want, flags, arg) {
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(e),
                Ok(_) => return Ok(to_submit),
            }
        }
    }

    /// One `io_uring_enter` on `fd`: the ring fd, or (with `REGISTERED_RING` in `flags`) the
    /// registered index, which [`target`](Self::target) hands out on its owner thread only.
    #[inline(always)]
    fn enter_raw(
        &self,
        fd: i32,
        to_submit: u32,
        want: u32,
        flags: EnterFlags,
        arg: Option<&GeteventsArg>,
    ) -> Result<u32, Errno> {
        // SAFETY: the SQEs up to the published tail were filled by their owner, who answers for
        // the memory they reference (the ring's contract); `arg` outlives the call. `fd` names
        // this ring: its fd, or its index in the calling thread's table (`target`).
        unsafe {
            match arg {
                None => {
                    sys::io_uring_enter(fd, to_submit, want, flags.bits(), core::ptr::null(), 0)
                }
                Some(arg) => sys::io_uring_enter_ext(fd, to_submit, want, flags.bits(), arg),
            }
        }
    }

    /// One `io_uring_enter` on this ring, through the fd this thread should use (the registered
    /// index on the thread that registered it, the ring fd elsewhere), with `flags` as given
    /// plus `IORING_ENTER_REGISTERED_RING` when entering through the index. No retry: `EINTR`
    /// and a wait cut short are the caller's to handle. For code that decides the enter itself
    /// (the C API's liburing-style waits).
    ///
    /// # Safety
    /// As [`sys::io_uring_enter`]: the published SQEs and what they reference stay valid as
    /// their opcodes require, and `arg` is null or points to `argsz` readable bytes of the type
    /// `flags` announces (a signal set, or a [`GeteventsArg`] with `IORING_ENTER_EXT_ARG`).
    ///
    /// # Errors
    /// The kernel's errno: `EINTR`, `ETIME`, `EAGAIN`/`EBUSY`, `EBADFD`, `EINVAL`, `EFAULT`.
    pub unsafe fn enter(
        &self,
        to_submit: u32,
        min_complete: u32,
        flags: EnterFlags,
        arg: *const core::ffi::c_void,
        argsz: usize,
    ) -> Result<u32, Errno> {
        let (fd, base) = self.target();
        // SAFETY: forwarded from the caller; `fd` names this ring from this thread (`target`).
        unsafe {
            sys::io_uring_enter(
                fd,
                to_submit,
                min_complete,
                (flags | base).bits(),
                arg,
                argsz,
            )
        }
    }

    /// The ring's setup flags.
    pub fn setup_flags(&self) -> SetupFlags {
        self.setup
    }

    /// Makes a raw `io_uring_register` call on this ring.
    ///
    /// # Safety
    /// As [`sys::io_uring_register`]: `arg` must be what `opcode` expects, and registered memory
    /// must stay valid while registered.
    ///
    /// # Errors
    /// The kernel's errno.
    pub unsafe fn register_raw(
        &self,
        opcode: u32,
        arg: *const core::ffi::c_void,
        nr_args: u32,
    ) -> Result<u32, Errno> {
        // SAFETY: forwarded from the caller.
        unsafe { sys::io_uring_register(self.ring_fd, opcode, arg, nr_args) }
    }

    /// The ring's fd.
    pub fn ring_fd(&self) -> i32 {
        self.ring_fd
    }

    /// Makes `io_uring_enter` use a registered ring index on its owner thread (saves the fd
    /// lookup on every enter), or the plain fd everywhere again with `None`.
    pub(crate) fn set_registered(&mut self, registered: Option<Registered>) {
        (self.reg_owner, self.reg_index) = match registered {
            Some(r) => (r.owner, r.index),
            None => (0, 0),
        };
        self.special = registered.is_some() || self.setup.contains(SetupFlags::SQPOLL);
    }

    /// The registration, whichever thread made it.
    pub(crate) fn registered(&self) -> Option<Registered> {
        (self.reg_owner != 0).then_some(Registered {
            index: self.reg_index,
            owner: self.reg_owner,
        })
    }

    /// The registered index enters from the calling thread use, if any.
    pub(crate) fn registered_here(&self) -> Option<u32> {
        (self.reg_owner != 0 && self.reg_owner == thread_token::current())
            .then_some(u32::from(self.reg_index))
    }

    /// A second submitter for the same ring that enters through the ring's own fd (never a
    /// registered index): for a driver that enters without holding the lock its `Ring` sits
    /// behind.
    ///
    /// # Safety
    /// The copy's pointers are into this ring's mapping: it must not be used once the `Ring`
    /// it came from is dropped.
    #[cfg(feature = "tokio")]
    pub(crate) unsafe fn detached(&self) -> Submitter {
        Submitter::new(
            self.ring_fd,
            self.setup,
            self.features,
            self.sq_head,
            self.sq_tail,
            self.sq_flags,
            self.cq_head,
            self.cq_tail,
        )
    }

    /// A submitter over the given ring words, entering through `ring_fd`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        ring_fd: i32,
        setup: SetupFlags,
        features: Features,
        sq_head: *const AtomicU32,
        sq_tail: *const AtomicU32,
        sq_flags: *const AtomicU32,
        cq_head: *const AtomicU32,
        cq_tail: *const AtomicU32,
    ) -> Submitter {
        Submitter {
            reg_owner: 0,
            reg_index: 0,
            special: setup.contains(SetupFlags::SQPOLL),
            ring_fd,
            setup,
            features,
            sq_head,
            sq_tail,
            sq_flags,
            cq_head,
            cq_tail,
        }
    }
}
