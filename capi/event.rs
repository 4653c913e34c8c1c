//! Completion callbacks with cancellation: `ringcore_sqe_set_callback`, `ringcore_cancel`,
//! `ringcore_run`, and the teardown `ringcore_ring_free` does.
//!
//! # How plain and callback CQEs share a ring
//!
//! A callback operation's `user_data` is a token from the core crate's
//! [`callback`](rc::callback) registry: bit 63 (`RINGCORE_TOKEN_TAG`) set. The async-cancel
//! requests this layer submits carry bits 63 and 62. `ringcore_run` walks the CQEs in the
//! ring, consumes exactly those two kinds — running callbacks and cleanups — and leaves every
//! other CQE where it was, in order, for `ringcore_peek_cqe` and friends (it moves them up
//! over the consumed slots, which the ring's owner may do before advancing the head). A CQE
//! whose `user_data` has bit 63 set but is no live token is left alone too. Code that peeks
//! CQEs itself should hand any CQE with bit 63 set to `ringcore_run` instead of consuming it,
//! or the operation's callback or cleanup never runs.
//!
//! # Re-entrancy
//!
//! Callbacks and cleanups run with no Rust reference to the ring alive: each step re-borrows
//! it from the raw pointer, so C may call back into the ring (take and submit SQEs, set
//! callbacks, cancel, run nested). A CQE taken out of the ring is matched to its operation
//! only when its turn comes, so a cancel from an earlier callback of the same round still
//! wins. `ringcore_ring_free` from a callback is refused (the `dispatching` count), and while
//! the ring is being freed no new callback operation can start (the `closing` flag).

use crate::ffi::{self, ringcore_ring};
use crate::handle::{Cancelled, FdResult, Pending, Release, RingHandle};
use crate::panic::{boundary, PANICKED};
use crate::types::{ringcore_cqe, ringcore_sqe};
use core::ffi::{c_int, c_uint, c_void};
use core::time::Duration;
use rc::callback::{Completed, Completion, Entry, INTERNAL_TAG, TOKEN_TAG};
use rc::sys::{self, CqeFlags, Features, SqeFlags};
use rc::Errno;
use std::time::Instant;

/// Bit 63 of `user_data`: set in every callback token, clear in plain `user_data`.
pub const RINGCORE_TOKEN_TAG: u64 = 0x8000_0000_0000_0000;
static_assertions::const_assert_eq!(RINGCORE_TOKEN_TAG, TOKEN_TAG);

/// How long `ringcore_ring_free` waits without any callback operation completing before it
/// gives up on the kernel (milliseconds).
pub const RINGCORE_FREE_PATIENCE_MS: u32 = 5000;

/// `user_data` of the async-cancel SQEs this layer submits.
const INTERNAL: u64 = TOKEN_TAG | INTERNAL_TAG;

/// One wait of the teardown loop.
const TEARDOWN_TICK: Duration = Duration::from_millis(100);

/// Called with a callback operation's CQE: `cb(userdata, res, flags)`. For a multishot
/// operation it runs once per CQE; `flags` has `RINGCORE_CQE_F_MORE` on all but the last.
pub type ringcore_complete_fn =
    Option<unsafe extern "C" fn(userdata: *mut c_void, res: i32, flags: u32)>;

/// Called once, after the kernel has completed a cancelled operation, to release `resource`.
pub type ringcore_cleanup_fn = Option<unsafe extern "C" fn(resource: *mut c_void)>;

/// Gives `sqe` (taken from this ring, not yet submitted) a completion callback: `ringcore_run`
/// calls `cb(userdata, res, flags)` when its CQE arrives. Overwrites the SQE's `user_data` with
/// a token, also stored in `*token_out` (written only on success), that `ringcore_cancel`
/// takes. Call it after the `ringcore_prep_*` call and any `ringcore_sqe_set_*` calls.
///
/// A callback operation always ends with a CQE, which is what lets `ringcore_cancel` and
/// `ringcore_ring_free` wait for it. So `sqe` may not have `RINGCORE_SQE_CQE_SKIP_SUCCESS`
/// (refused here), and when the SQE is submitted the flag is cleared and `user_data` set back
/// to the token should they have been changed after this call.
///
/// Operations that create a descriptor — `openat`, `openat2`, `accept`, `socket`,
/// `fixed_fd_install`, `pipe` (not into direct descriptor slots) — are recognised from the SQE
/// as submitted: when such an operation is cancelled and completes anyway, ringcore closes the
/// descriptors it created, which nobody could receive.
///
/// Returns 0, or `-EINVAL` for a NULL `ring`, `cb` or `token_out`, an `sqe` that is NULL, not
/// one of this ring's SQEs, already submitted, already given a callback, or has
/// `RINGCORE_SQE_CQE_SKIP_SUCCESS`; `-ESHUTDOWN` from a callback run by `ringcore_ring_free`;
/// `-ENOMEM`.
#[no_mangle]
pub extern "C" fn ringcore_sqe_set_callback(
    ring: *mut ringcore_ring,
    sqe: *mut ringcore_sqe,
    cb: ringcore_complete_fn,
    userdata: *mut c_void,
    token_out: *mut u64,
) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring` and `token_out`.
        let (h, out) = match unsafe { (ffi::ring_mut(ring), ffi::out(token_out)) } {
            (Ok(h), Ok(out)) => (h, out),
            _ => return -libc::EINVAL,
        };
        let Some(cb) = cb else {
            return -libc::EINVAL;
        };
        if h.closing {
            return -libc::ESHUTDOWN;
        }
        let Some(index) = h.unpublished_index(sqe) else {
            return -libc::EINVAL;
        };
        // SAFETY: `sqe` is one of this ring's SQEs, handed out and not yet published (checked
        // above), so it is the caller's to fill and ours to read and write in this call.
        let Some(s) = (unsafe { ffi::csqe_mut(sqe) }) else {
            return -libc::EINVAL;
        };
        if s.flags & SqeFlags::CQE_SKIP_SUCCESS.bits() != 0 || h.has_callback(index) {
            return -libc::EINVAL;
        }
        let pending = Pending {
            cb,
            userdata,
            fd: FdResult::None,
        };
        let token = match h.registry.insert(pending) {
            Ok(t) => t,
            Err(e) => return -e.raw(),
        };
        if !h.note_callback_sqe(index, token) {
            // `has_callback` said no; keep the registry consistent all the same.
            let _ = h.registry.complete(token, false);
            return -libc::EINVAL;
        }
        s.user_data = token;
        *out = token;
        0
    })
}

/// Cancels a callback operation: its callback will never run, and `cleanup(resource)` runs
/// exactly once, from `ringcore_run` or `ringcore_ring_free`, after the kernel has completed
/// the operation — so `resource` (e.g. the operation's buffer) stays valid until the kernel
/// has let go of it. `cleanup` may be NULL when there is nothing to release. If the operation
/// created a descriptor before the cancel took effect, ringcore closes it.
///
/// Also submits the SQEs taken and not yet submitted, then an async-cancel request so that
/// the kernel stops the operation early. When no SQE can be had for that request (the SQ is
/// full and cannot be submitted), the request is queued and sent by the next `ringcore_cancel`
/// or `ringcore_run`; the cancellation itself holds from this call on.
///
/// May be called from callbacks and cleanups, also those `ringcore_ring_free` runs: there it
/// replaces the `-ECANCELED` call of the operation's callback by the cleanup. An operation
/// whose CQE `ringcore_run` has already taken but whose callback has not run yet can still be
/// cancelled.
///
/// Returns 0; `-ENOENT` for a token that is not in flight on this ring (unknown, another
/// ring's, or already completed: its callback has run); `-EALREADY` when it was already
/// cancelled (`cleanup` is not kept); `-EINVAL` for a NULL `ring`; `-ENOMEM`.
#[no_mangle]
pub extern "C" fn ringcore_cancel(
    ring: *mut ringcore_ring,
    token: u64,
    cleanup: ringcore_cleanup_fn,
    resource: *mut c_void,
) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        let h = match unsafe { ffi::ring_mut(ring) } {
            Ok(h) => h,
            Err(e) => return -e.raw(),
        };
        let fd = match h.registry.get_mut(token) {
            None => return -libc::ENOENT,
            Some(Entry::Pending(p)) => p.fd,
            Some(Entry::Cancelled(c)) => {
                if let Release::Teardown(..) = c.release {
                    // Cancelled by `ringcore_ring_free`, which sent the request already: the
                    // caller's cleanup replaces the -ECANCELED callback.
                    c.release = Release::Cleanup(cleanup, resource);
                    return 0;
                }
                return -libc::EALREADY;
            }
        };
        if h.deferred_cancels.try_reserve(1).is_err() {
            return -libc::ENOMEM;
        }
        let cancelled = Cancelled {
            fd,
            release: Release::Cleanup(cleanup, resource),
        };
        if let Err(e) = h.registry.cancel(token, cancelled) {
            return -e.raw();
        }
        h.deferred_cancels.push(token);
        send_cancels(h);
        0
    })
}

/// Sends the queued async-cancel requests, as far as free SQEs allow. The SQEs C has taken are
/// submitted first, on their own, so that a request never joins a chain C left open
/// (`IOSQE_IO_LINK` on its last SQE). Errors leave the requests queued or in the SQ for the
/// next submit; the cancellation contract holds either way, since a cleanup waits for the
/// operation's own CQE.
fn send_cancels(h: &mut RingHandle) {
    if h.deferred_cancels.is_empty() {
        return;
    }
    let _ = h.submit(0);
    let mut sent = 0;
    let mut prepared = false;
    while let Some(&token) = h.deferred_cancels.get(sent) {
        if h.registry.is_live(token) {
            let Some(sqe) = h.get_sqe() else {
                break;
            };
            prep_cancel(sqe, token);
            prepared = true;
        }
        sent += 1;
    }
    h.deferred_cancels.drain(..sent);
    if prepared {
        let _ = h.submit(0);
    }
}

/// Fills `sqe` with an async-cancel request for the operation whose `user_data` is `token`.
fn prep_cancel(sqe: *mut ringcore_sqe, token: u64) {
    // SAFETY: `sqe` was just taken from the ring (zeroed) by `get_sqe` and is ours to fill.
    if let Some(sqe) = unsafe { ffi::csqe_mut(sqe) } {
        sqe.opcode = sys::IORING_OP_ASYNC_CANCEL;
        sqe.fd = -1;
        sqe.addr = token;
        sqe.user_data = INTERNAL;
    }
}

/// Submits pending SQEs, waits until at least `wait_nr` CQEs are in the ring, then runs the
/// callback of every callback CQE there (and the cleanup of every cancelled operation that
/// completed), consuming those CQEs and leaving plain ones in order for `ringcore_peek_cqe`.
/// One call handles at most about a CQ's worth of CQEs, so it returns even while a multishot
/// operation keeps posting.
///
/// Callbacks and cleanups may use the ring: take and submit SQEs, set callbacks, call
/// `ringcore_cancel`, even `ringcore_run`. `ringcore_ring_free` called from them is ignored.
///
/// Returns the number of callbacks run (cleanups not counted); `-EINVAL` for a NULL `ring`;
/// `-ESHUTDOWN` from a callback run by `ringcore_ring_free`; the kernel's errno when
/// submitting or waiting failed and no callback ran.
#[no_mangle]
pub extern "C" fn ringcore_run(ring: *mut ringcore_ring, wait_nr: c_uint) -> c_int {
    boundary!(PANICKED, {
        let submitted = {
            // SAFETY: the C contract for `ring`; the borrow ends before any callback runs.
            let h = match unsafe { ffi::ring_mut(ring) } {
                Ok(h) => h,
                Err(e) => return -e.raw(),
            };
            if h.closing {
                return -libc::ESHUTDOWN;
            }
            send_cancels(h);
            h.submit(wait_nr)
        };
        // SAFETY: a live ring (the C contract), no reference to it held.
        let (ran, _) = unsafe { drain(ring, true) };
        match submitted {
            Err(e) if ran == 0 => -e.raw(),
            _ => ran,
        }
    })
}

/// Rounds of [`round`] until the ring holds no more CQEs for this layer, at most enough to
/// go through a full CQ. Returns the callbacks run and the operations' CQEs consumed.
///
/// # Safety
/// `ring` is a live ring, and no reference to it is held across this call.
unsafe fn drain(ring: *mut ringcore_ring, keep_plain: bool) -> (i32, usize) {
    // SAFETY: forwarded.
    let rounds = match unsafe { ffi::ring_mut(ring) } {
        Ok(h) => h.state.cq_entries as usize / BATCH + 2,
        Err(_) => return (0, 0),
    };
    let (mut ran, mut consumed) = (0i32, 0usize);
    for _ in 0..rounds {
        // SAFETY: forwarded.
        match unsafe { round(ring, keep_plain) } {
            Some((r, c)) => {
                ran = ran.saturating_add(r);
                consumed += c;
            }
            None => break,
        }
    }
    (ran, consumed)
}

/// One round: takes up to [`BATCH`] CQEs of this layer out of the ring (every CQE, plain ones
/// dropped, without `keep_plain`), then dispatches them in order. `None` when there were none;
/// otherwise the callbacks run and the operations' CQEs consumed.
///
/// # Safety
/// As [`drain`].
unsafe fn round(ring: *mut ringcore_ring, keep_plain: bool) -> Option<(i32, usize)> {
    let mut batch = Batch::new();
    {
        // SAFETY: forwarded; the borrow ends before any callback runs.
        let h = unsafe { ffi::ring_mut(ring) }.ok()?;
        if !batch.collect(h, keep_plain) {
            return None;
        }
    }
    let mut ran = 0i32;
    for cqe in &batch.taken[..batch.n_taken] {
        // SAFETY: forwarded.
        if unsafe { dispatch(ring, *cqe) } {
            ran = ran.saturating_add(1);
        }
    }
    Some((ran, batch.n_taken))
}

/// Does what an operation's CQE, taken out of the ring, calls for: runs its callback, or for a
/// cancelled operation closes the descriptors it created and, at its last CQE, runs the
/// release. The operation is looked up only now, so cancels from earlier callbacks count.
/// Returns whether a completion callback ran.
///
/// # Safety
/// As [`drain`].
unsafe fn dispatch(ring: *mut ringcore_ring, cqe: ringcore_cqe) -> bool {
    enum Call {
        Callback(Pending),
        Release(Release),
    }
    let call = {
        // SAFETY: forwarded; the borrow ends before any C code runs.
        let Ok(h) = (unsafe { ffi::ring_mut(ring) }) else {
            return false;
        };
        let more = CqeFlags::from_bits_retain(cqe.flags).contains(CqeFlags::MORE);
        let call = match h.registry.complete(cqe.user_data, more) {
            None => return false,
            Some(Completion::Done(Completed::Pending(p))) => Call::Callback(p),
            Some(Completion::More(p)) => Call::Callback(*p),
            Some(Completion::CancelledMore(c)) => {
                let fd = c.fd;
                // SAFETY: the operation is still in flight, so the memory it names is still
                // the caller's to keep valid (its cleanup has not run).
                unsafe { fd.close_orphans(cqe.res, cqe.flags) };
                return false;
            }
            Some(Completion::Done(Completed::Cancelled(c))) => {
                // SAFETY: as above: the release, which may free that memory, runs after.
                unsafe { c.fd.close_orphans(cqe.res, cqe.flags) };
                Call::Release(c.release)
            }
        };
        h.dispatching += 1;
        call
    };
    let callback = match call {
        Call::Callback(p) => {
            // SAFETY: C registered `cb` and `userdata` for this operation's CQEs.
            unsafe { (p.cb)(p.userdata, cqe.res, cqe.flags) };
            true
        }
        Call::Release(r) => {
            // SAFETY: the kernel completed the cancelled operation; C registered the release
            // for exactly this moment.
            unsafe { r.run() };
            false
        }
    };
    // SAFETY: forwarded; the callback has returned.
    if let Ok(h) = unsafe { ffi::ring_mut(ring) } {
        h.dispatching -= 1;
    }
    callback
}

/// The most CQEs one round consumes before running their callbacks.
const BATCH: usize = 64;

/// One round's CQEs, taken out of the ring.
struct Batch {
    taken: [ringcore_cqe; BATCH],
    n_taken: usize,
    /// Ring positions of the consumed CQEs (also internal and dropped ones), ascending.
    consumed: [u32; BATCH],
    n_consumed: usize,
}

impl Batch {
    fn new() -> Batch {
        Batch {
            taken: [ringcore_cqe::default(); BATCH],
            n_taken: 0,
            consumed: [0; BATCH],
            n_consumed: 0,
        }
    }

    /// Takes up to `BATCH` CQEs out of the ring: those of live operations (kept in `taken`)
    /// and of this layer's cancel requests, and with `!keep_plain` every other one too. The
    /// kept CQEs before them move up so they stay in order at the head. Returns whether it
    /// consumed any.
    fn collect(&mut self, h: &mut RingHandle, keep_plain: bool) -> bool {
        let head = h.cq_head();
        let tail = head.wrapping_add(h.cq_ready_flushed());
        let mut pos = head;
        while pos != tail && self.n_consumed < BATCH {
            // SAFETY: `pos` lies in `[head, tail)`: the kernel wrote it and will not reuse it
            // before the head moves past it.
            let cqe: ringcore_cqe = unsafe { *h.cqe_at(pos) };
            let take = if cqe.user_data == INTERNAL {
                true
            } else if h.registry.is_live(cqe.user_data) {
                self.taken[self.n_taken] = cqe;
                self.n_taken += 1;
                true
            } else {
                !keep_plain
            };
            if take {
                self.consumed[self.n_consumed] = pos;
                self.n_consumed += 1;
            }
            pos = pos.wrapping_add(1);
        }
        if self.n_consumed == 0 {
            return false;
        }
        // Move the kept CQEs of `[head, pos)` to its end, last first, so they stay in order
        // right below `pos`; the new head is the first of them.
        let slot = 1usize << h.state.cqe_shift;
        let mut write = pos;
        let mut k = self.n_consumed;
        let mut read = pos;
        while read != head {
            read = read.wrapping_sub(1);
            if k > 0 && self.consumed[k - 1] == read {
                k -= 1;
                continue;
            }
            write = write.wrapping_sub(1);
            if write != read {
                // SAFETY: both positions lie in `[head, tail)`, which the kernel does not
                // touch until the head moves; a slot is `slot` CQEs long.
                unsafe { core::ptr::copy_nonoverlapping(h.cqe_at(read), h.cqe_at(write), slot) };
            }
        }
        h.set_cq_head(write);
        true
    }
}

/// Ends every callback operation before the ring goes away (`ringcore_ring_free`):
///
/// 1. CQEs already in the ring are dispatched as `ringcore_run` would, with their real
///    results (plain CQEs are dropped: nobody reaps them any more);
/// 2. the SQEs C has taken are submitted, every operation still pending is cancelled (its
///    callback will run with `-ECANCELED`) and an async-cancel request is sent for it;
/// 3. CQEs are dispatched as they come until no operation is left. Descriptors created by
///    operations that completed after all are closed.
///
/// Returns `false` when it gave up: [`RINGCORE_FREE_PATIENCE_MS`] passed without any
/// operation completing (the kernel cannot be waited on, or C consumed an operation's CQE
/// itself). The ring must then stay mapped, and the operations left never call back.
///
/// A ring never enabled (`RINGCORE_SETUP_R_DISABLED`) gave the kernel no SQE: its operations
/// end at once, callbacks with `-ECANCELED`, cleanups run.
///
/// # Safety
/// `ring` is a live ring being freed by the caller, not borrowed anywhere.
pub(crate) unsafe fn teardown(ring: *mut ringcore_ring) -> bool {
    {
        // SAFETY: forwarded.
        let Ok(h) = (unsafe { ffi::ring_mut(ring) }) else {
            return true;
        };
        h.closing = true;
        if h.disabled {
            // SAFETY: forwarded.
            unsafe { end_unsubmitted(ring) };
            return true;
        }
    }
    // 1.
    // SAFETY: forwarded (no reference held across the call).
    unsafe { drain(ring, false) };
    // 2.
    {
        // SAFETY: forwarded.
        let Ok(h) = (unsafe { ffi::ring_mut(ring) }) else {
            return true;
        };
        if h.registry.is_empty() {
            // Nothing to wait for: plain SQEs never submitted stay that way.
            return true;
        }
        let _ = h.submit(0);
        let RingHandle {
            registry,
            deferred_cancels,
            ..
        } = h;
        registry.cancel_all(teardown_cancelled, |token| deferred_cancels.push(token));
    }
    // 3.
    let patience = Duration::from_millis(RINGCORE_FREE_PATIENCE_MS.into());
    let mut idle_since = Instant::now();
    loop {
        let waited = {
            // SAFETY: forwarded.
            let Ok(h) = (unsafe { ffi::ring_mut(ring) }) else {
                return true;
            };
            if h.registry.is_empty() {
                return true;
            }
            send_cancels(h);
            wait_a_while(h)
        };
        // SAFETY: forwarded.
        let (_, consumed) = unsafe { drain(ring, false) };
        if consumed > 0 {
            idle_since = Instant::now();
        } else if idle_since.elapsed() >= patience {
            return false;
        } else if !matches!(waited, Ok(_) | Err(Errno::ETIME)) {
            // The wait failed at once (EBUSY, EAGAIN, ...): do not spin.
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

/// A pending operation as `ringcore_ring_free` cancels it: its callback runs with
/// `-ECANCELED` after its last CQE.
fn teardown_cancelled(p: Pending) -> Cancelled {
    Cancelled {
        fd: p.fd,
        release: Release::Teardown(p.cb, p.userdata),
    }
}

/// Submits what is in the SQ and waits up to [`TEARDOWN_TICK`] for a CQE (polling with short
/// sleeps on kernels without `IORING_FEAT_EXT_ARG`).
fn wait_a_while(h: &mut RingHandle) -> Result<u32, Errno> {
    if h.cq_ready() > 0 {
        return h.submit(0);
    }
    if Features::from_bits_retain(h.ring.params().features).contains(Features::EXT_ARG) {
        return h.submit_timeout(1, TEARDOWN_TICK);
    }
    let r = h.submit(0);
    if h.cq_ready() == 0 {
        std::thread::sleep(Duration::from_millis(1));
    }
    r
}

/// Ends the operations of a ring the kernel never saw an SQE of: each as if its last CQE had
/// come with `-ECANCELED`.
///
/// # Safety
/// As [`teardown`].
unsafe fn end_unsubmitted(ring: *mut ringcore_ring) {
    let tokens: Vec<u64> = {
        // SAFETY: forwarded.
        let Ok(h) = (unsafe { ffi::ring_mut(ring) }) else {
            return;
        };
        h.registry.cancel_all(teardown_cancelled, |_| {});
        h.registry.live_tokens().collect()
    };
    for user_data in tokens {
        let cqe = ringcore_cqe {
            user_data,
            res: -libc::ECANCELED,
            flags: 0,
        };
        // SAFETY: forwarded.
        unsafe { dispatch(ring, cqe) };
    }
}
