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

use crate::ffi::{self, ringcore_ring};
use crate::handle::{Cancelled, Pending, RingHandle};
use crate::panic::{boundary, PANICKED};
use crate::types::{ringcore_cqe, ringcore_sqe};
use core::ffi::{c_int, c_uint, c_void};
use rc::callback::{Completed, Completion, INTERNAL_TAG, TOKEN_TAG};
use rc::sys::{self, CqeFlags};
use rc::Errno;

/// Bit 63 of `user_data`: set in every callback token, clear in plain `user_data`.
pub const RINGCORE_TOKEN_TAG: u64 = 0x8000_0000_0000_0000;
static_assertions::const_assert_eq!(RINGCORE_TOKEN_TAG, TOKEN_TAG);

/// `user_data` of the async-cancel SQEs this layer submits.
const INTERNAL: u64 = TOKEN_TAG | INTERNAL_TAG;

/// Called with a callback operation's CQE: `cb(userdata, res, flags)`. For a multishot
/// operation it runs once per CQE; `flags` has `RINGCORE_CQE_F_MORE` on all but the last.
pub type ringcore_complete_fn =
    Option<unsafe extern "C" fn(userdata: *mut c_void, res: i32, flags: u32)>;

/// Called once, after the kernel has completed a cancelled operation, to release `resource`.
pub type ringcore_cleanup_fn = Option<unsafe extern "C" fn(resource: *mut c_void)>;

/// Gives `sqe` (taken from this ring, not yet submitted) a completion callback: `ringcore_run`
/// calls `cb(userdata, res, flags)` when its CQE arrives. Overwrites the SQE's `user_data` with
/// a token, also stored in `*token_out` (written only on success), that `ringcore_cancel`
/// takes. Call it after the `ringcore_prep_*` call.
///
/// Returns 0, or `-EINVAL` for a NULL `ring`, `cb` or `token_out`, or an `sqe` that is NULL or
/// not one of this ring's SQEs, or `-ENOMEM`.
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
        if !h.owns_sqe(sqe) {
            return -libc::EINVAL;
        }
        let token = match h.registry.insert(Pending { cb, userdata }) {
            Ok(t) => t,
            Err(e) => return -e.raw(),
        };
        // SAFETY: `sqe` is one of this ring's SQE slots (checked above), held by the caller.
        if let Some(sqe) = unsafe { ffi::sqe_mut(sqe) } {
            sqe.user_data = token;
        }
        *out = token;
        0
    })
}

/// Cancels a callback operation: its callback will never run, and `cleanup(resource)` runs
/// exactly once, from `ringcore_run` or `ringcore_ring_free`, after the kernel has completed
/// the operation — so `resource` (e.g. the operation's buffer) stays valid until the kernel
/// has let go of it. `cleanup` may be NULL when there is nothing to release.
///
/// Also submits an async-cancel request so the kernel stops the operation early (together with
/// any SQEs taken and not yet submitted).
///
/// Returns 0; `-ENOENT` for a token that is not in flight (unknown, or already completed);
/// `-EALREADY` when it was already cancelled; `-EINVAL` for a NULL `ring`; `-EBUSY` (or the
/// submit error) when no SQE could be had for the cancel request — nothing changed then.
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
        if !h.registry.is_pending(token) {
            let none = Cancelled::Cleanup(None, core::ptr::null_mut());
            return ffi::status(h.registry.cancel(token, none).map(drop));
        }
        let sqe = match take_sqe(h) {
            Ok(sqe) => sqe,
            Err(e) => return -e.raw(),
        };
        // `is_pending` held, so this succeeds.
        let _ = h
            .registry
            .cancel(token, Cancelled::Cleanup(cleanup, resource));
        prep_cancel(sqe, token);
        // A failed submit leaves the request queued for the next one; the contract holds
        // either way, since the cleanup waits for the operation's own CQE.
        let _ = h.submit(0);
        0
    })
}

/// An SQE, submitting once to make room if the SQ is full.
fn take_sqe(h: &mut RingHandle) -> Result<*mut ringcore_sqe, Errno> {
    if let Some(sqe) = h.get_sqe() {
        return Ok(sqe);
    }
    h.submit(0)?;
    h.get_sqe().ok_or(Errno::EBUSY)
}

/// Fills `sqe` with an async-cancel request for the operation whose `user_data` is `token`.
fn prep_cancel(sqe: *mut ringcore_sqe, token: u64) {
    // SAFETY: `sqe` was just taken from the ring by `take_sqe` and is ours to fill.
    if let Some(sqe) = unsafe { ffi::sqe_mut(sqe) } {
        sqe.opcode = sys::IORING_OP_ASYNC_CANCEL;
        sqe.fd = -1;
        sqe.addr.addr = token;
        sqe.user_data = INTERNAL;
    }
}

/// Submits pending SQEs, waits until at least `wait_nr` CQEs are in the ring, then runs the
/// callback of every callback CQE there (and the cleanup of every cancelled operation that
/// completed), consuming those CQEs and leaving plain ones in order for `ringcore_peek_cqe`.
/// Callbacks may take and submit SQEs and call `ringcore_cancel`, but must not free the ring.
///
/// Returns the number of callbacks run (cleanups not counted), `-EINVAL` for a NULL `ring`,
/// or the kernel's errno from submitting or waiting.
#[no_mangle]
pub extern "C" fn ringcore_run(ring: *mut ringcore_ring, wait_nr: c_uint) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`; the borrow ends before any callback runs.
        match unsafe { ffi::ring_mut(ring) } {
            Ok(h) => {
                if let Err(e) = h.submit(wait_nr) {
                    return -e.raw();
                }
            }
            Err(e) => return -e.raw(),
        }
        let mut ran: i32 = 0;
        loop {
            let mut batch = Batch::new();
            // SAFETY: as above; re-borrowed per round because callbacks may use the ring.
            let Ok(h) = (unsafe { ffi::ring_mut(ring) }) else {
                return ran;
            };
            if !batch.collect(h) {
                return ran;
            }
            for action in &batch.actions[..batch.n_actions] {
                match *action {
                    Action::Call(p, res, flags) => {
                        // SAFETY: C registered `cb` and `userdata` for this operation's CQEs.
                        unsafe { (p.cb)(p.userdata, res, flags) };
                        ran = ran.saturating_add(1);
                    }
                    // SAFETY: the kernel completed the cancelled operation; C registered the
                    // cleanup for exactly this moment.
                    Action::Release(c) => unsafe { c.release() },
                    Action::Nothing => {}
                }
            }
        }
    })
}

/// The most CQEs one round of `ringcore_run` consumes before running their callbacks.
const BATCH: usize = 64;

#[derive(Clone, Copy)]
enum Action {
    Nothing,
    Call(Pending, i32, u32),
    Release(Cancelled),
}

/// One round of `ringcore_run`: the callback-layer CQEs taken out of the ring.
struct Batch {
    actions: [Action; BATCH],
    n_actions: usize,
    /// Ring positions of the consumed CQEs, ascending.
    consumed: [u32; BATCH],
    n_consumed: usize,
}

impl Batch {
    fn new() -> Batch {
        Batch {
            actions: [Action::Nothing; BATCH],
            n_actions: 0,
            consumed: [0; BATCH],
            n_consumed: 0,
        }
    }

    /// Takes up to `BATCH` callback-layer CQEs out of the ring, moving the plain CQEs before
    /// them up so they stay in order at the head. Returns whether it took any.
    fn collect(&mut self, h: &mut RingHandle) -> bool {
        let head = h.cq_head();
        let tail = head.wrapping_add(h.cq_ready_flushed());
        let mut pos = head;
        while pos != tail && self.n_consumed < BATCH {
            // SAFETY: `pos` lies in `[head, tail)`: the kernel wrote it and will not reuse it
            // before the head moves past it.
            let cqe: ringcore_cqe = unsafe { *h.cqe_at(pos) };
            let more = CqeFlags::from_bits_retain(cqe.flags).contains(CqeFlags::MORE);
            let action = if cqe.user_data == INTERNAL {
                Some(Action::Nothing)
            } else {
                h.registry.complete(cqe.user_data, more).map(|c| match c {
                    Completion::Done(Completed::Pending(p)) => Action::Call(p, cqe.res, cqe.flags),
                    Completion::More(p) => Action::Call(*p, cqe.res, cqe.flags),
                    Completion::Done(Completed::Cancelled(c)) => Action::Release(c),
                    Completion::CancelledMore(_) => Action::Nothing,
                })
            };
            if let Some(action) = action {
                self.consumed[self.n_consumed] = pos;
                self.n_consumed += 1;
                self.actions[self.n_actions] = action;
                self.n_actions += 1;
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

/// Ends every callback operation before the ring goes away: cancels the pending ones, waits
/// for the kernel to complete each, then calls pending callbacks with `-ECANCELED` and runs
/// the cleanups. Returns `false` when the kernel could not be waited for (the ring must then
/// stay mapped).
pub(crate) fn teardown(h: &mut RingHandle) -> bool {
    if h.registry.is_empty() {
        return true;
    }
    let mut tokens = Vec::new();
    h.registry
        .cancel_all(Cancelled::Teardown, |token| tokens.push(token));
    for token in tokens {
        match take_sqe(h) {
            Ok(sqe) => prep_cancel(sqe, token),
            // No room: the operation is waited for without the early stop.
            Err(_) => break,
        }
    }
    let mut releases = Vec::new();
    let mut failures = 0;
    while !h.registry.is_empty() {
        if h.submit(1).is_err() {
            // `EBUSY`/`EAGAIN` clear once CQEs are consumed below; anything persistent means
            // the ring cannot be waited on.
            failures += 1;
            if failures > 1000 {
                return false;
            }
        }
        let head = h.cq_head();
        let n = h.cq_ready();
        for i in 0..n {
            // SAFETY: `head + i` lies in `[head, tail)` as just loaded.
            let cqe: ringcore_cqe = unsafe { *h.cqe_at(head.wrapping_add(i)) };
            let more = CqeFlags::from_bits_retain(cqe.flags).contains(CqeFlags::MORE);
            if let Some(Completion::Done(done)) = h.registry.complete(cqe.user_data, more) {
                match done {
                    Completed::Cancelled(c) => releases.push(c),
                    // `cancel_all` left nothing pending.
                    Completed::Pending(p) => releases.push(Cancelled::Teardown(p)),
                }
            }
        }
        h.cq_advance(n);
    }
    for c in releases {
        // SAFETY: the kernel completed every operation; each release runs once.
        unsafe { c.release() };
    }
    true
}
