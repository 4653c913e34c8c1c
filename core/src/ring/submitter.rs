//! The submitter: decides when `io_uring_enter` is needed and makes the call.

use crate::error::Errno;
use crate::sync::{fence, AtomicU32, Ordering};
use crate::sys::{self, EnterFlags, Features, GeteventsArg, SetupFlags, SqRingFlags, Timespec};
use core::time::Duration;

/// The part of a ring that talks to the kernel: submitting, waiting and registering.
///
/// It reads the shared ring words it needs (SQ head, tail and flags; CQ head and tail) but
/// writes none, so it may be shared (`&Submitter`) between threads.
#[derive(Debug)]
pub struct Submitter {
    /// The fd passed to `io_uring_enter`: the ring fd, or its registered index.
    pub(crate) enter_fd: i32,
    /// `IORING_ENTER_REGISTERED_RING` once the ring fd is registered, else empty.
    pub(crate) enter_flags: EnterFlags,
    pub(crate) ring_fd: i32,
    pub(crate) setup: SetupFlags,
    pub(crate) features: Features,
    pub(crate) sq_head: *const AtomicU32,
    pub(crate) sq_tail: *const AtomicU32,
    pub(crate) sq_flags: *const AtomicU32,
    pub(crate) cq_head: *const AtomicU32,
    pub(crate) cq_tail: *const AtomicU32,
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
        if self.setup.contains(SetupFlags::SQPOLL) {
            return self.enter_slow_raw(want, NOT_ENTERED);
        }
        self.submit_and_wait_raw_unpolled(tail, want)
    }

    /// [`submit_and_wait_raw`](Self::submit_and_wait_raw) for a ring the caller knows has no
    /// SQPOLL thread (it tested [`Ring::setup_flags`](super::Ring::setup_flags) once, e.g.
    /// together with tests of its own): the same, without that test. On a ring with SQPOLL it
    /// would enter without waking a sleeping poller, so the SQEs could wait until the poller
    /// wakes by itself; nothing worse.
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

    /// One pass without SQPOLL: `Ok` with the final result, or `Err` with the result of a call
    /// that must be followed up (an error, or a wait cut short).
    #[inline(always)]
    fn enter_pass_raw(&self, tail: u32, want: u32) -> Result<i32, i32> {
        let Some((to_submit, flags)) = self.enter_decision(tail, want, None) else {
            return Ok(0);
        };
        // SAFETY: as in `enter_raw`: the published SQEs were filled by their owner, who answers
        // for the memory they reference; no argument is passed.
        let ret = unsafe {
            sys::io_uring_enter_raw(
                self.enter_fd,
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

    /// `io_uring_enter` with `GETEVENTS`, submitting nothing and not waiting: runs pending task
    /// work and flushes the overflow backlog.
    ///
    /// # Errors
    /// The kernel's errno from `io_uring_enter`.
    pub fn get_events(&self) -> Result<(), Errno> {
        let flags = self.enter_flags | EnterFlags::GETEVENTS;
        loop {
            // SAFETY: submits nothing (`to_submit` 0) and passes no argument.
            let r = unsafe {
                sys::io_uring_enter(self.enter_fd, 0, 0, flags.bits(), core::ptr::null(), 0)
            };
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

    /// The SQ flags word, loaded relaxed.
    #[inline]
    pub(crate) fn sq_flags(&self) -> SqRingFlags {
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
    pub(crate) fn sqpoll_needs_wakeup(&self) -> bool {
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
        if self.setup.contains(SetupFlags::SQPOLL) {
            return self.enter_sqpoll(tail, want, arg);
        }
        self.enter_loop(tail, want, arg, 0)
    }

    /// Enters without SQPOLL until the job is done: retries `EINTR`, and waits again when a
    /// call's wait was cut short. `submitted`: SQEs already taken by earlier calls.
    #[inline(always)]
    fn enter_loop(
        &self,
        tail: u32,
        want: u32,
        arg: Option<&GeteventsArg>,
        mut submitted: u32,
    ) -> Result<u32, Errno> {
        loop {
            let Some((to_submit, flags)) = self.enter_decision(tail, want, arg) else {
                return Ok(submitted);
            };
            match self.enter_raw(to_submit, want, flags, arg) {
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
    /// submit and the flags.
    #[inline(always)]
    fn enter_decision(
        &self,
        tail: u32,
        want: u32,
        arg: Option<&GeteventsArg>,
    ) -> Option<(u32, EnterFlags)> {
        // Without SQPOLL only our own enter calls move the SQ head, so this load sees what
        // the last call left (acquire keeps it uniform with the SQPOLL path).
        // SAFETY: `sq_head` points into the live ring.
        let head = unsafe { (*self.sq_head).load(Ordering::Acquire) };
        let to_submit = tail.wrapping_sub(head);
        let mut flags = self.enter_flags;
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

    /// The rest of [`submit_and_wait_raw`](Self::submit_and_wait_raw) out of line: with
    /// SQPOLL (`first` is [`NOT_ENTERED`]), or after a `first` call that did not finish the job.
    #[cold]
    #[inline(never)]
    fn enter_slow_raw(&self, want: u32, first: i32) -> i32 {
        // SAFETY: `sq_tail` points into the live ring; its owner published the tail it passed
        // to `submit_and_wait_raw`, so this load finds it again.
        let tail = unsafe { (*self.sq_tail).load(Ordering::Acquire) };
        if first == NOT_ENTERED {
            return raw_result(self.enter_sqpoll(tail, want, None));
        }
        if first < 0 && first != -Errno::EINTR.raw() {
            return first;
        }
        // Interrupted, or a wait cut short after `first` SQEs were taken: carry on.
        raw_result(self.enter_loop(tail, want, None, first.max(0) as u32))
    }

    /// The enter decision with an SQPOLL thread: the kernel thread submits; we only wake it
    /// when it sleeps, and enter to wait or to flush.
    fn enter_sqpoll(&self, tail: u32, want: u32, arg: Option<&GeteventsArg>) -> Result<u32, Errno> {
        // Acquire pairs with the poller's release of the head.
        // SAFETY: `sq_head` points into the live ring.
        let head = unsafe { (*self.sq_head).load(Ordering::Acquire) };
        let to_submit = tail.wrapping_sub(head);
        let mut flags = self.enter_flags;
        if to_submit > 0 && self.sqpoll_needs_wakeup() {
            flags |= EnterFlags::SQ_WAKEUP;
        }
        if want > 0 || arg.is_some() {
            if want > 0 && flags == self.enter_flags && self.cq_ready() >= want {
                return Ok(to_submit);
            }
            flags |= EnterFlags::GETEVENTS;
        } else if self
            .sq_flags()
            .intersects(SqRingFlags::CQ_OVERFLOW | SqRingFlags::TASKRUN)
        {
            flags |= EnterFlags::GETEVENTS;
        } else if flags == self.enter_flags {
            return Ok(to_submit);
        }
        loop {
            match self.enter_raw(0, want, flags, arg) {
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(e),
                Ok(_) => return Ok(to_submit),
            }
        }
    }

    #[inline(always)]
    fn enter_raw(
        &self,
        to_submit: u32,
        want: u32,
        flags: EnterFlags,
        arg: Option<&GeteventsArg>,
    ) -> Result<u32, Errno> {
        // SAFETY: the SQEs up to the published tail were filled by their owner, who answers for
        // the memory they reference (the ring's contract); `arg` outlives the call.
        unsafe {
            match arg {
                None => sys::io_uring_enter(
                    self.enter_fd,
                    to_submit,
                    want,
                    flags.bits(),
                    core::ptr::null(),
                    0,
                ),
                Some(arg) => {
                    sys::io_uring_enter_ext(self.enter_fd, to_submit, want, flags.bits(), arg)
                }
            }
        }
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

    /// Makes `io_uring_enter` use the registered ring index `index` (saves the fd lookup on
    /// every enter), or the plain fd again with `None`.
    pub(crate) fn set_registered_index(&mut self, index: Option<u32>) {
        match index {
            Some(i) => {
                self.enter_fd = i as i32;
                self.enter_flags = EnterFlags::REGISTERED_RING;
            }
            None => {
                self.enter_fd = self.ring_fd;
                self.enter_flags = EnterFlags::empty();
            }
        }
    }
}
