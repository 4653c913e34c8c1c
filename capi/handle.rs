//! [`RingHandle`]: what a `struct ringcore_ring *` points to — the C-visible ring state, the
//! core ring, and the callback registry.
//!
//! The state's SQ tail is the one source of truth for SQEs handed to C: the header's inline
//! `get_sqe` and the exported one both advance it, and the submit calls publish it before
//! entering through the core [`Submitter`](rc::Submitter). The core ring's own `get_sqe` and
//! `submit` are never used here (they keep a tail of their own). CQEs are read in place: the
//! CQ head lives in shared memory only, so inline and exported calls see the same one.

use crate::types::{ringcore_cqe, ringcore_ring_state, ringcore_sqe};
use core::ffi::{c_int, c_void};
use core::sync::atomic::{AtomicU32, Ordering};
use core::time::Duration;
use rc::callback::{Entry, Registry, MAX_ID};
use rc::sys::{self, CqeFlags, SqeFlags};
use rc::{Errno, Ring};
use std::sync::Mutex;

/// A completion callback: `cb(userdata, res, flags)`.
pub(crate) type CompleteFn = unsafe extern "C" fn(*mut c_void, i32, u32);
/// A cleanup callback: `cleanup(resource)`.
pub(crate) type CleanupFn = unsafe extern "C" fn(*mut c_void);

/// What an operation's results are, as far as closing them goes: an operation cancelled after
/// it created a descriptor leaves that descriptor to nobody, so the callback layer closes it.
/// Read from the SQE when it is published (see [`RingHandle::seal`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum FdResult {
    /// The result is no descriptor (or has not been looked at yet).
    #[default]
    None,
    /// Each non-negative result is a new fd (openat, openat2, accept, socket, fixed_fd_install
    /// into a regular fd).
    Fd,
    /// A result of 0 means the kernel wrote two new fds at this address (`IORING_OP_PIPE`).
    Pair(u64),
}

impl FdResult {
    /// The kind of results the operation `sqe` describes will produce.
    pub(crate) fn of(sqe: &ringcore_sqe) -> FdResult {
        // A nonzero `file_index` asks for a direct descriptor: its result is a slot, not an fd.
        let regular = sqe.file_index == 0;
        match sqe.opcode {
            sys::IORING_OP_OPENAT
            | sys::IORING_OP_OPENAT2
            | sys::IORING_OP_ACCEPT
            | sys::IORING_OP_SOCKET
                if regular =>
            {
                FdResult::Fd
            }
            sys::IORING_OP_FIXED_FD_INSTALL => FdResult::Fd,
            sys::IORING_OP_PIPE if regular => FdResult::Pair(sqe.addr),
            _ => FdResult::None,
        }
    }

    /// Closes the descriptors a CQE `(res, flags)` of an operation with these results carries,
    /// for a cancelled operation whose results nobody receives.
    ///
    /// # Safety
    /// For [`FdResult::Pair`], the address must still be valid for reads of two `c_int` when
    /// `res` is 0 (the caller keeps the memory an SQE names until its cleanup has run, and the
    /// kernel's success shows it wrote there).
    pub(crate) unsafe fn close_orphans(self, res: i32, flags: u32) {
        if res < 0 || CqeFlags::from_bits_retain(flags).contains(CqeFlags::NOTIF) {
            return;
        }
        match self {
            FdResult::None => {}
            FdResult::Fd => close_orphan(res),
            FdResult::Pair(addr) if res == 0 => {
                let fds = addr as usize as *const [c_int; 2];
                // SAFETY: the kernel wrote the pair there (res 0) and the memory is still the
                // operation's (the caller's contract, above); unaligned in case C packed it.
                let [a, b] = unsafe { fds.read_unaligned() };
                close_orphan(a);
                close_orphan(b);
            }
            FdResult::Pair(_) => {}
        }
    }
}

/// Closes `fd`, a descriptor the kernel created for an operation whose result nobody receives.
fn close_orphan(fd: c_int) {
    if fd >= 0 {
        // SAFETY: the kernel made `fd` for a cancelled (or torn down) operation whose result
        // is never delivered, so nothing else refers to it; it is closed once.
        unsafe { libc::close(fd) };
    }
}

/// A pending callback operation: what to call with its CQE.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pending {
    pub cb: CompleteFn,
    pub userdata: *mut c_void,
    pub fd: FdResult,
}

/// A cancelled operation: what its CQEs' descriptors are, and what to release at its last CQE.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cancelled {
    pub fd: FdResult,
    pub release: Release,
}

/// What a cancelled operation releases once the kernel is done with it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Release {
    /// Cancelled by `ringcore_cancel`: `cleanup(resource)`, if a cleanup was given.
    Cleanup(Option<CleanupFn>, *mut c_void),
    /// Cancelled by `ringcore_ring_free`: the callback runs with `-ECANCELED`.
    Teardown(CompleteFn, *mut c_void),
}

impl Release {
    /// Runs the cleanup, or the callback with `-ECANCELED`.
    ///
    /// # Safety
    /// The function pointers and their arguments are the caller-supplied ones, which C promised
    /// are valid to call once the operation completes.
    pub(crate) unsafe fn run(self) {
        match self {
            // SAFETY: forwarded from the caller.
            Release::Cleanup(Some(f), resource) => unsafe { f(resource) },
            Release::Cleanup(None, _) => {}
            // SAFETY: forwarded from the caller.
            Release::Teardown(cb, userdata) => unsafe { cb(userdata, -libc::ECANCELED, 0) },
        }
    }
}

/// Registry ids of live rings, so that no two live rings issue the same token. Handed out
/// round-robin, so that an id comes back only after all the others were used: a token kept
/// from a freed ring is not one of the next ring's.
struct RingIds {
    live: [u64; MAX_ID as usize / 64],
    next: u32,
}

static RING_IDS: Mutex<RingIds> = Mutex::new(RingIds {
    live: [0; MAX_ID as usize / 64],
    next: 1,
});

/// An id no other live ring has; 0 (shared) when all `MAX_ID - 1` are taken.
fn take_ring_id() -> u32 {
    let mut ids = RING_IDS.lock().unwrap_or_else(|e| e.into_inner());
    for _ in 1..MAX_ID {
        let id = ids.next;
        ids.next = if id + 1 == MAX_ID { 1 } else { id + 1 };
        let (word, bit) = ((id / 64) as usize, 1u64 << (id % 64));
        if ids.live[word] & bit == 0 {
            ids.live[word] |= bit;
            return id;
        }
    }
    0
}

/// Returns a ring's id to the pool (`ringcore_ring_free`, once its tokens are dead).
pub(crate) fn give_back_ring_id(id: u32) {
    if id != 0 && id < MAX_ID {
        let mut ids = RING_IDS.lock().unwrap_or_else(|e| e.into_inner());
        ids.live[(id / 64) as usize] &= !(1u64 << (id % 64));
    }
}

/// The object behind `struct ringcore_ring *`.
#[repr(C)]
pub(crate) struct RingHandle {
    /// First, at offset 0: the header's inlines cast the ring pointer to it.
    pub state: ringcore_ring_state,
    pub ring: Ring,
    pub registry: Registry<Pending, Cancelled>,
    /// Per SQ slot index, the token of the callback SQE taken there and not yet published
    /// (0: none). Empty until the first `ringcore_sqe_set_callback`, then `sq_entries` long.
    pub sqe_tokens: Vec<u64>,
    /// SQ slot indices of the callback SQEs not yet published, which [`seal`](Self::seal)
    /// checks when they are.
    pub unsealed: Vec<u32>,
    /// Tokens whose async-cancel request found no free SQE yet (sent by `send_cancels`).
    pub deferred_cancels: Vec<u64>,
    /// Callbacks or cleanups of this ring running now (nested `ringcore_run` counts each).
    pub dispatching: u32,
    /// `ringcore_ring_free` has begun: no new callback operations.
    pub closing: bool,
    /// Created with `RINGCORE_SETUP_R_DISABLED` and not enabled yet: the kernel has seen none
    /// of its SQEs.
    pub disabled: bool,
    /// The ring has an SQPOLL thread.
    sqpoll: bool,
    /// `sqpoll`, or callback SQEs wait to be sealed: the C submit calls take their slow path.
    slow_submit: bool,
}

static_assertions::const_assert_eq!(core::mem::offset_of!(RingHandle, state), 0);

impl RingHandle {
    /// Wraps a fresh ring, taking its SQ and CQ addresses.
    pub(crate) fn new(ring: Ring) -> RingHandle {
        let raw = ring.raw_parts();
        let sqe128 = ring.setup_flags().contains(rc::sys::SetupFlags::SQE128);
        let cqe32 = ring.setup_flags().contains(rc::sys::SetupFlags::CQE32);
        // SAFETY: `sq_tail` points into the live SQ ring; nobody has submitted yet.
        let tail = unsafe { AtomicU32::from_ptr(raw.sq_tail).load(Ordering::Relaxed) };
        // SAFETY: as above for the kernel's head.
        let head = unsafe { AtomicU32::from_ptr(raw.sq_head.cast_mut()).load(Ordering::Acquire) };
        let mut state = ringcore_ring_state {
            sqes: raw.sqes.cast(),
            sq_khead: raw.sq_head,
            sq_ktail: raw.sq_tail,
            cqes: raw.cqes.cast(),
            cq_khead: raw.cq_head,
            cq_ktail: raw.cq_tail,
            sq_tail: tail,
            sq_limit: tail,
            sq_mask: raw.sq_entries - 1,
            cq_mask: raw.cq_entries - 1,
            sqe_shift: u32::from(sqe128),
            cqe_shift: u32::from(cqe32),
            sq_entries: raw.sq_entries,
            cq_entries: raw.cq_entries,
        };
        set_limit(&mut state, head);
        let disabled = ring.setup_flags().contains(rc::sys::SetupFlags::R_DISABLED);
        let sqpoll = ring.setup_flags().contains(rc::sys::SetupFlags::SQPOLL);
        RingHandle {
            state,
            ring,
            registry: Registry::with_capacity(64).with_id(take_ring_id()),
            sqe_tokens: Vec::new(),
            unsealed: Vec::new(),
            deferred_cancels: Vec::new(),
            dispatching: 0,
            closing: false,
            disabled,
            sqpoll,
            slow_submit: sqpoll,
        }
    }

    #[inline]
    fn atomic<'a>(p: *const u32) -> &'a AtomicU32 {
        // SAFETY: every pointer passed here is one of the state's shared ring words, aligned and
        // valid while the ring lives; the reference does not escape the calling method.
        unsafe { AtomicU32::from_ptr(p.cast_mut()) }
    }

    /// Takes the next free SQE, zeroed (the same rule as the header's inline `get_sqe`, which
    /// calls this when its fast path runs out). `None` when the SQ is full.
    pub(crate) fn get_sqe(&mut self) -> Option<*mut ringcore_sqe> {
        let s = &mut self.state;
        let head = Self::atomic(s.sq_khead).load(Ordering::Acquire);
        if s.sq_tail.wrapping_sub(head) >= s.sq_entries {
            set_limit(s, head);
            return None;
        }
        let index = ((s.sq_tail & s.sq_mask) << s.sqe_shift) as usize;
        s.sq_tail = s.sq_tail.wrapping_add(1);
        set_limit(s, head);
        // SAFETY: the index is masked (and shifted for 128-byte SQEs) into the SQE array; the
        // slot lies below the kernel's head plus `sq_entries`, so the kernel no longer reads it.
        let sqe = unsafe { s.sqes.add(index) };
        let len = 1usize << s.sqe_shift;
        // SAFETY: the slot is `len` SQEs long inside the array, owned by the caller from now.
        unsafe { core::ptr::write_bytes(sqe, 0, len) };
        Some(sqe)
    }

    /// The SQ slot index of `sqe` if it is one of this ring's SQEs handed out by `get_sqe` and
    /// not yet published (so the kernel has not read it); `None` for any other pointer.
    pub(crate) fn unpublished_index(&self, sqe: *const ringcore_sqe) -> Option<u32> {
        let s = &self.state;
        let start = s.sqes as usize;
        let slot = core::mem::size_of::<ringcore_sqe>() << s.sqe_shift;
        let end = start + slot * s.sq_entries as usize;
        let at = sqe as usize;
        if at < start || at >= end || (at - start) % slot != 0 {
            return None;
        }
        let index = ((at - start) / slot) as u32;
        // Only we store the SQ tail, so this is what the last `publish` stored.
        let published = Self::atomic(s.sq_ktail).load(Ordering::Relaxed);
        let taken = s.sq_tail.wrapping_sub(published);
        (index.wrapping_sub(published) & s.sq_mask < taken).then_some(index)
    }

    /// Records that the unpublished SQE at slot `index` carries callback `token`: `false` when
    /// that SQE already has one.
    pub(crate) fn note_callback_sqe(&mut self, index: u32, token: u64) -> bool {
        if self.sqe_tokens.is_empty() {
            let n = self.state.sq_entries as usize;
            self.sqe_tokens = vec![0; n];
            self.unsealed = Vec::with_capacity(n);
        }
        let entry = &mut self.sqe_tokens[index as usize];
        if *entry != 0 {
            return false;
        }
        *entry = token;
        self.unsealed.push(index);
        self.slow_submit = true;
        true
    }

    /// Whether the unpublished SQE at slot `index` already carries a callback.
    pub(crate) fn has_callback(&self, index: u32) -> bool {
        self.sqe_tokens.get(index as usize).is_some_and(|&t| t != 0)
    }

    /// Publishes the SQEs handed out so far (release: their contents are visible first).
    /// Callback SQEs among them are [sealed](Self::seal) first.
    #[inline]
    pub(crate) fn publish(&mut self) {
        if !self.unsealed.is_empty() {
            self.seal();
        }
        Self::atomic(self.state.sq_ktail).store(self.state.sq_tail, Ordering::Release);
    }

    /// Makes sure every callback SQE about to be published completes with a CQE carrying its
    /// token, whatever C wrote into it after `ringcore_sqe_set_callback` (the header's inline
    /// `ringcore_sqe_set_flags`, or plain stores, can): `IOSQE_CQE_SKIP_SUCCESS` is cleared
    /// and the token written back into `user_data`. Also records what the operation's results
    /// are ([`FdResult`]), now that the SQE is final.
    #[cold]
    #[inline(never)]
    fn seal(&mut self) {
        for i in 0..self.unsealed.len() {
            let index = self.unsealed[i];
            let token = core::mem::take(&mut self.sqe_tokens[index as usize]);
            let at = (index << self.state.sqe_shift) as usize;
            // SAFETY: `index` is a slot of the SQE array (from `unpublished_index`), still
            // unpublished, so the kernel does not read it and C no longer may write it: the
            // submit that is publishing it is running. `ringcore_sqe` is plain data.
            let sqe = unsafe { &mut *self.state.sqes.add(at) };
            sqe.flags &= !SqeFlags::CQE_SKIP_SUCCESS.bits();
            sqe.user_data = token;
            let fd = FdResult::of(sqe);
            match self.registry.get_mut(token) {
                Some(Entry::Pending(p)) => p.fd = fd,
                Some(Entry::Cancelled(c)) => c.fd = fd,
                None => {}
            }
        }
        self.unsealed.clear();
        self.slow_submit = self.sqpoll;
    }

    /// Publishes and submits, waiting for `want` CQEs; returns how many SQEs the kernel took.
    pub(crate) fn submit(&mut self, want: u32) -> Result<u32, Errno> {
        self.publish();
        self.ring.submitter().submit_and_wait(want)
    }

    /// As [`submit`](Self::submit), returning what the C functions return: the count, or the
    /// negated errno, as the kernel gave it. Inlined into the two submit exports (the C hot
    /// path), it hands the core the tail it just published instead of having it reloaded.
    ///
    /// One test of `slow_submit` covers both unusual cases, SQPOLL and callback SQEs to seal,
    /// so the plain path costs what it did before callback SQEs were checked at all.
    #[inline(always)]
    pub(crate) fn submit_raw(&mut self, want: u32) -> i32 {
        if self.slow_submit {
            return self.submit_raw_slow(want);
        }
        Self::atomic(self.state.sq_ktail).store(self.state.sq_tail, Ordering::Release);
        self.ring
            .submitter()
            .submit_and_wait_raw_unpolled(self.state.sq_tail, want)
    }

    /// [`submit_raw`](Self::submit_raw) with SQPOLL or callback SQEs to seal.
    #[cold]
    #[inline(never)]
    fn submit_raw_slow(&mut self, want: u32) -> i32 {
        self.publish();
        self.ring
            .submitter()
            .submit_and_wait_raw(self.state.sq_tail, want)
    }

    /// As [`submit`](Self::submit), waiting at most `timeout`.
    pub(crate) fn submit_timeout(&mut self, want: u32, timeout: Duration) -> Result<u32, Errno> {
        self.publish();
        self.ring.submitter().submit_and_wait_timeout(want, timeout)
    }

    /// The CQ head as last stored (only we write it).
    #[inline]
    pub(crate) fn cq_head(&self) -> u32 {
        Self::atomic(self.state.cq_khead).load(Ordering::Relaxed)
    }

    /// CQEs ready (the kernel's tail loaded with acquire: the CQEs below it are written).
    #[inline]
    pub(crate) fn cq_ready(&self) -> u32 {
        Self::atomic(self.state.cq_ktail)
            .load(Ordering::Acquire)
            .wrapping_sub(self.cq_head())
    }

    /// The CQE at ring position `pos` (valid to read while `pos` is in `[head, tail)`).
    #[inline]
    pub(crate) fn cqe_at(&self, pos: u32) -> *mut ringcore_cqe {
        let index = ((pos & self.state.cq_mask) << self.state.cqe_shift) as usize;
        self.state.cqes.wrapping_add(index)
    }

    /// CQEs ready, after asking the kernel to flush held-back ones when there are none.
    pub(crate) fn cq_ready_flushed(&mut self) -> u32 {
        let ready = self.cq_ready();
        if ready > 0 {
            return ready;
        }
        // An error only means nothing was flushed; the caller sees an empty ring.
        let _ = self.ring.submitter().flush_backlog();
        self.cq_ready()
    }

    /// Consumes `n` CQEs (clamped to those ready): one release store of the head, after our
    /// reads of them.
    #[inline]
    pub(crate) fn cq_advance(&mut self, n: u32) {
        let n = n.min(self.cq_ready());
        let head = self.cq_head().wrapping_add(n);
        Self::atomic(self.state.cq_khead).store(head, Ordering::Release);
    }

    /// Stores the CQ head (after a CQE walk that consumed up to `head`).
    #[inline]
    pub(crate) fn set_cq_head(&mut self, head: u32) {
        Self::atomic(self.state.cq_khead).store(head, Ordering::Release);
    }

    /// SQEs `get_sqe` can still hand out before the kernel consumes any.
    pub(crate) fn sq_space_left(&self) -> u32 {
        let head = Self::atomic(self.state.sq_khead).load(Ordering::Acquire);
        self.state.sq_entries - self.state.sq_tail.wrapping_sub(head)
    }
}

/// Recomputes the inline fast path's limit from the kernel's `head`.
fn set_limit(s: &mut ringcore_ring_state, head: u32) {
    s.sq_limit = if s.sqe_shift == 0 {
        head.wrapping_add(s.sq_entries)
    } else {
        s.sq_tail
    };
}
