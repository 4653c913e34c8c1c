//! Ring lifetime, submission and completion calls.
//!
//! `ringcore_get_sqe`, `ringcore_peek_cqe`, `ringcore_peek_batch_cqe`, `ringcore_cqe_seen`,
//! `ringcore_cq_advance`, `ringcore_cq_ready` and `ringcore_sq_space_left` also exist as
//! `static inline` functions in the header, which C calls by default; these exported versions
//! behave the same and are what the inlines fall back to when their fast path runs out.

use crate::ffi::{self, ringcore_ring};
use crate::handle::{give_back_ring_id, RingHandle};
use crate::panic::{boundary, PANICKED};
use crate::types::{ringcore_cqe, ringcore_params, ringcore_sqe};
use core::ffi::{c_int, c_uint};
use core::ptr;
use core::time::Duration;
use rc::sys::{Params, SetupFlags};
use rc::{Errno, Ring};

/// Creates a ring with `entries` SQEs (rounded up to a power of two) and stores it in `*out`.
///
/// `params` may be NULL for defaults; otherwise its `flags` (`RINGCORE_SETUP_*`) and the inputs
/// they enable (`cq_entries`, `sq_thread_idle`, `sq_thread_cpu`, `wq_fd`) are used, output
/// fields are ignored and `resv` must be zero. `*out` is written only on success.
///
/// Returns 0, or `-EINVAL` (NULL `out`, zero `entries`, nonzero `resv`,
/// unsupported or conflicting flags, too many entries without `RINGCORE_SETUP_CLAMP`),
/// `-ENOMEM`, `-EMFILE`, `-EPERM` or another errno from `io_uring_setup`/`mmap`.
#[no_mangle]
pub extern "C" fn ringcore_ring_new(
    entries: c_uint,
    params: *const ringcore_params,
    out: *mut *mut ringcore_ring,
) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: `out` is NULL or writable (the C contract).
        let Ok(out) = (unsafe { ffi::out(out) }) else {
            return -libc::EINVAL;
        };
        // SAFETY: `params` is NULL or readable (the C contract).
        let params = unsafe { ffi::opt_ref(params) };
        match build(entries, params, false) {
            Ok(ring) => {
                *out = ffi::ring_into_raw(Box::new(RingHandle::new(ring)));
                0
            }
            Err(e) => -e.raw(),
        }
    })
}

/// Builds a ring from C parameters; `exact`: with the caller's setup flags only (no
/// `NO_SQARRAY` added).
pub(crate) fn build(
    entries: u32,
    params: Option<&ringcore_params>,
    exact: bool,
) -> Result<Ring, Errno> {
    if entries == 0 {
        return Err(Errno::EINVAL);
    }
    let mut builder = Ring::builder(entries).no_sqarray(!exact);
    if let Some(p) = params {
        if p.resv != [0; 3] {
            return Err(Errno::EINVAL);
        }
        let flags = SetupFlags::from_bits_retain(p.flags);
        builder = builder.flags(flags);
        if flags.contains(SetupFlags::CQSIZE) {
            builder = builder.cq_entries(p.cq_entries);
        }
        if flags.contains(SetupFlags::SQPOLL) {
            builder = builder.sqpoll(p.sq_thread_idle);
        }
        if flags.contains(SetupFlags::SQ_AFF) {
            builder = builder.sqpoll_cpu(p.sq_thread_cpu);
        }
        if flags.contains(SetupFlags::ATTACH_WQ) {
            builder = builder.attach_wq(p.wq_fd as i32);
        }
    }
    builder.build()
}

/// Frees a ring. NULL is ignored.
///
/// Callback operations still in flight end first, each exactly once:
///  1. CQEs already in the ring are handled as `ringcore_run` would: callbacks get their real
///     results (e.g. the fd an `openat` created), cleanups run;
///  2. the SQEs taken and not yet submitted are submitted, and every operation still pending
///     is cancelled: its callback runs with `-ECANCELED` once the kernel has completed it
///     (a descriptor it created anyway is closed);
///  3. the call waits for the kernel to complete every operation, running callbacks and
///     cleanups as their CQEs come, then unmaps the ring and closes its fd.
///
/// Callbacks and cleanups it runs may call `ringcore_cancel` (the cleanup then runs instead
/// of the `-ECANCELED` callback), but cannot start operations: `ringcore_sqe_set_callback`
/// and `ringcore_run` return `-ESHUTDOWN` then.
///
/// If no operation completes for `RINGCORE_FREE_PATIENCE_MS` (the kernel cannot be waited on,
/// or the caller consumed a callback CQE itself, which it must not do), it gives up rather
/// than wait forever: the ring's memory stays mapped (the kernel may still complete into it),
/// its fd is closed, and the remaining operations never call back — their callbacks and
/// cleanups do not run, so their memory is never released. A ring created with
/// `RINGCORE_SETUP_R_DISABLED` and never enabled gave the kernel nothing: its operations end
/// at once (callbacks with `-ECANCELED`, cleanups).
///
/// Plain SQEs (without a callback) are the caller's: reap them before freeing, since the
/// memory they name must outlive them; their CQEs still in the ring are dropped. Called from a
/// callback or cleanup running on this ring, it does nothing (free the ring after
/// `ringcore_run` returns).
#[no_mangle]
pub extern "C" fn ringcore_ring_free(ring: *mut ringcore_ring) {
    boundary!((), {
        // SAFETY: `ring` is NULL or a live ring (the C contract); the borrow ends here.
        match unsafe { ffi::ring_mut(ring) } {
            Err(_) => return,
            // From a callback, or twice: the ring is in use by the call running it.
            Ok(h) if h.closing || h.dispatching > 0 => return,
            Ok(_) => {}
        }
        // SAFETY: a live ring that the caller gives up with this call; nothing borrows it.
        let done = unsafe { crate::event::teardown(ring) };
        // SAFETY: `ring` came from `ring_into_raw`; teardown has returned, so no callback of
        // it runs any more, and C does not use it again.
        let Some(handle) = (unsafe { ffi::ring_from_raw(ring) }) else {
            return;
        };
        give_back_ring_id(handle.registry.id());
        if !done {
            abandon(handle);
        }
    })
}

/// Frees a ring the kernel may still write into, except its mappings: the CQ and the SQE
/// array stay mapped (and with them the kernel's ring) for the life of the process.
fn abandon(handle: Box<RingHandle>) {
    let RingHandle { ring, .. } = *handle;
    let fd = ring.fd();
    core::mem::forget(ring);
    // SAFETY: the ring's own fd, which nothing uses any more (the `Ring` is forgotten); the
    // mappings hold the kernel's ring alive without it.
    unsafe { libc::close(fd) };
}

/// Copies the ring's parameters as the kernel returned them (sizes, `features`, offsets) to
/// `*out`. Returns 0, or `-EINVAL` for a NULL `ring` or `out`.
#[no_mangle]
pub extern "C" fn ringcore_ring_params(
    ring: *const ringcore_ring,
    out: *mut ringcore_params,
) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring` and `out`.
        let (h, out) = match unsafe { (ffi::ring_ref(ring), ffi::out(out)) } {
            (Ok(h), Ok(out)) => (h, out),
            _ => return -libc::EINVAL,
        };
        let p = h.ring.params();
        // SAFETY: `ringcore_params` and `Params` have the same layout (pinned in `types`).
        *out = unsafe { core::mem::transmute::<Params, ringcore_params>(*p) };
        0
    })
}

/// The ring's file descriptor, or `-EINVAL` for NULL.
#[no_mangle]
pub extern "C" fn ringcore_ring_fd(ring: *const ringcore_ring) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_ref(ring) } {
            Ok(h) => h.ring.fd(),
            Err(e) => -e.raw(),
        }
    })
}

/// Enables a ring created with `RINGCORE_SETUP_R_DISABLED`. Returns 0, `-EINVAL` for NULL,
/// `-EBADFD` when the ring is not disabled, or the kernel's errno.
#[no_mangle]
pub extern "C" fn ringcore_ring_enable(ring: *mut ringcore_ring) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_mut(ring) } {
            Ok(h) => {
                let r = h.ring.enable();
                if r.is_ok() {
                    h.disabled = false;
                }
                ffi::status(r)
            }
            Err(e) => -e.raw(),
        }
    })
}

/// The next free SQE, zeroed, or NULL when the SQ is full (submit, then retry) or `ring` is
/// NULL. Fill it with one `ringcore_prep_*` call and any `ringcore_sqe_set_*` calls; it goes to
/// the kernel with the next submit.
#[no_mangle]
pub extern "C" fn ringcore_get_sqe(ring: *mut ringcore_ring) -> *mut ringcore_sqe {
    boundary!(ptr::null_mut(), {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_mut(ring) } {
            Ok(h) => h.get_sqe().unwrap_or(ptr::null_mut()),
            Err(_) => ptr::null_mut(),
        }
    })
}

/// SQEs `ringcore_get_sqe` can still hand out before the kernel consumes any; 0 for NULL.
#[no_mangle]
pub extern "C" fn ringcore_sq_space_left(ring: *const ringcore_ring) -> c_uint {
    boundary!(0, {
        // SAFETY: the C contract for `ring`.
        unsafe { ffi::ring_ref(ring) }.map_or(0, RingHandle::sq_space_left)
    })
}

/// Submits the SQEs taken since the last submit, in one `io_uring_enter` (none when there is
/// nothing to do). Returns how many the kernel took, or `-EINVAL` for NULL, or the kernel's
/// errno (`-EBUSY`/`-EAGAIN`: too many completions pending, reap some).
#[no_mangle]
pub extern "C" fn ringcore_submit(ring: *mut ringcore_ring) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_mut(ring) } {
            Ok(h) => h.submit_raw(0),
            Err(e) => -e.raw(),
        }
    })
}

/// Submits, then waits until at least `wait_nr` CQEs are in the ring (no syscall when nothing
/// is to be submitted and they are already there). Returns as `ringcore_submit`.
#[no_mangle]
pub extern "C" fn ringcore_submit_and_wait(ring: *mut ringcore_ring, wait_nr: c_uint) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_mut(ring) } {
            Ok(h) => h.submit_raw(wait_nr),
            Err(e) => -e.raw(),
        }
    })
}

/// Stores a pointer to the oldest CQE in `*cqe` without consuming it (call
/// `ringcore_cqe_seen` when done with it). Returns 0, `-EAGAIN` when there is none, or
/// `-EINVAL` for a NULL `ring` or `cqe`. `*cqe` is written only on success.
#[no_mangle]
pub extern "C" fn ringcore_peek_cqe(
    ring: *mut ringcore_ring,
    cqe: *mut *mut ringcore_cqe,
) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring` and `cqe`.
        let (h, out) = match unsafe { (ffi::ring_mut(ring), ffi::out(cqe)) } {
            (Ok(h), Ok(out)) => (h, out),
            _ => return -libc::EINVAL,
        };
        if h.cq_ready_flushed() == 0 {
            return -libc::EAGAIN;
        }
        *out = h.cqe_at(h.cq_head());
        0
    })
}

/// Like `ringcore_peek_cqe`, but submits pending SQEs and waits when the ring is empty.
/// Returns 0, `-EINVAL` for NULL arguments, or the kernel's errno.
#[no_mangle]
pub extern "C" fn ringcore_wait_cqe(
    ring: *mut ringcore_ring,
    cqe: *mut *mut ringcore_cqe,
) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring` and `cqe`.
        let (h, out) = match unsafe { (ffi::ring_mut(ring), ffi::out(cqe)) } {
            (Ok(h), Ok(out)) => (h, out),
            _ => return -libc::EINVAL,
        };
        loop {
            if h.cq_ready_flushed() > 0 {
                *out = h.cqe_at(h.cq_head());
                return 0;
            }
            if let Err(e) = h.submit(1) {
                return -e.raw();
            }
        }
    })
}

/// Like `ringcore_wait_cqe`, giving up after `timeout_ns` nanoseconds with `-ETIME`.
/// Also `-EINVAL` for NULL arguments or on kernels without `RINGCORE_FEAT_EXT_ARG`.
#[no_mangle]
pub extern "C" fn ringcore_wait_cqe_timeout(
    ring: *mut ringcore_ring,
    cqe: *mut *mut ringcore_cqe,
    timeout_ns: u64,
) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring` and `cqe`.
        let (h, out) = match unsafe { (ffi::ring_mut(ring), ffi::out(cqe)) } {
            (Ok(h), Ok(out)) => (h, out),
            _ => return -libc::EINVAL,
        };
        if h.cq_ready_flushed() == 0 {
            if let Err(e) = h.submit_timeout(1, Duration::from_nanos(timeout_ns)) {
                return -e.raw();
            }
            if h.cq_ready_flushed() == 0 {
                return -libc::ETIME;
            }
        }
        *out = h.cqe_at(h.cq_head());
        0
    })
}

/// Stores pointers to up to `count` CQEs, oldest first, in `cqes[0..]` without consuming them
/// (call `ringcore_cq_advance` with the number used). Returns how many; 0 when there are none
/// or for a NULL `ring`, or a NULL `cqes` with a nonzero `count`.
#[no_mangle]
pub extern "C" fn ringcore_peek_batch_cqe(
    ring: *mut ringcore_ring,
    cqes: *mut *mut ringcore_cqe,
    count: c_uint,
) -> c_uint {
    boundary!(0, {
        // SAFETY: the C contract for `ring`, and `cqes` has room for `count` pointers.
        let (h, out) = match unsafe { (ffi::ring_mut(ring), ffi::out_slice(cqes, count)) } {
            (Ok(h), Ok(out)) => (h, out),
            _ => return 0,
        };
        if out.is_empty() {
            return 0;
        }
        let n = h.cq_ready_flushed().min(count);
        let head = h.cq_head();
        for (i, slot) in out[..n as usize].iter_mut().enumerate() {
            *slot = h.cqe_at(head.wrapping_add(i as u32));
        }
        n
    })
}

/// Consumes the CQE returned by the last peek or wait. NULL arguments are ignored.
#[no_mangle]
pub extern "C" fn ringcore_cqe_seen(ring: *mut ringcore_ring, cqe: *mut ringcore_cqe) {
    boundary!((), {
        if cqe.is_null() {
            return;
        }
        // SAFETY: the C contract for `ring`.
        if let Ok(h) = unsafe { ffi::ring_mut(ring) } {
            h.cq_advance(1);
        }
    })
}

/// Consumes `nr` CQEs (at most those ready) with one store of the CQ head. NULL is ignored.
#[no_mangle]
pub extern "C" fn ringcore_cq_advance(ring: *mut ringcore_ring, nr: c_uint) {
    boundary!((), {
        // SAFETY: the C contract for `ring`.
        if let Ok(h) = unsafe { ffi::ring_mut(ring) } {
            h.cq_advance(nr);
        }
    })
}

/// CQEs ready to be peeked; 0 for NULL.
#[no_mangle]
pub extern "C" fn ringcore_cq_ready(ring: *const ringcore_ring) -> c_uint {
    boundary!(0, {
        // SAFETY: the C contract for `ring`.
        unsafe { ffi::ring_ref(ring) }.map_or(0, RingHandle::cq_ready)
    })
}
