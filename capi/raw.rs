//! Calls for C code that runs a ring's queues itself, as the liburing-compatible face
//! (`include/liburing-compat/`) does: a ring with exactly the setup flags asked for, where its
//! shared memory is, waits that do not submit (with a timeout and a signal mask), and the
//! system calls themselves for programs that make them directly.
//!
//! The waits follow liburing's rules rather than the rest of the C API's: a signal ends them
//! with `-EINTR` (nothing is retried), and the CQE pointer is written on every return (NULL
//! when there is none).

use crate::ctypes::__kernel_timespec;
use crate::ffi::{self, ringcore_ring};
use crate::handle::RingHandle;
use crate::panic::{boundary, PANICKED};
use crate::types::{ringcore_cqe, ringcore_params, ringcore_sqe};
use core::ffi::{c_int, c_uint, c_void};
use core::ptr;
use core::sync::atomic::{AtomicU32, Ordering};
use rc::sys::{EnterFlags, GeteventsArg, Params, SetupFlags, SqRingFlags};
use rc::Errno;

/// Where a ring's shared memory is mapped, for code that computes the kernel's ring words
/// from the offsets in `struct ringcore_params` (`sq_off`, `cq_off`) as liburing does.
#[repr(C)]
#[derive(Debug)]
pub struct ringcore_ring_layout {
    /// The SQ ring mapping; `sq_off` offsets are relative to it.
    pub sq_ring: *mut c_void,
    /// Its length in bytes.
    pub sq_ring_size: usize,
    /// The CQ ring mapping (the same as `sq_ring` with `RINGCORE_FEAT_SINGLE_MMAP`); `cq_off`
    /// offsets are relative to it.
    pub cq_ring: *mut c_void,
    /// Its length in bytes.
    pub cq_ring_size: usize,
    /// The SQE array.
    pub sqes: *mut ringcore_sqe,
    /// Its length in bytes.
    pub sqes_size: usize,
}

/// Creates a ring with exactly the setup flags in `params->flags` — unlike `ringcore_ring_new`,
/// nothing is added (no `RINGCORE_SETUP_NO_SQARRAY`: the SQ index array exists unless asked
/// away) — and writes the parameters the kernel returned (sizes, `features`, offsets) back to
/// `*params`. The inputs are those of `ringcore_ring_new` (`cq_entries` with
/// `RINGCORE_SETUP_CQSIZE`, `sq_thread_idle`, `sq_thread_cpu`, `wq_fd`).
///
/// Returns 0, or `-EINVAL` (NULL `params` or `out`, zero `entries`, nonzero `resv`, bad or
/// conflicting flags, flags whose rings the library does not map: `NO_MMAP`,
/// `REGISTERED_FD_ONLY`), or the errno of `io_uring_setup`/`mmap` (`-ENOMEM`, `-EMFILE`,
/// `-EPERM`, ...). `*out` and `*params` are written only on success.
#[no_mangle]
pub extern "C" fn ringcore_ring_new_exact(
    entries: c_uint,
    params: *mut ringcore_params,
    out: *mut *mut ringcore_ring,
) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: `out` and `params` are NULL or writable (the C contract).
        let (out, params) = match unsafe { (ffi::out(out), ffi::out(params)) } {
            (Ok(out), Ok(params)) => (out, params),
            _ => return -libc::EINVAL,
        };
        match crate::ring::build(entries, Some(params), true) {
            Ok(ring) => {
                // SAFETY: `ringcore_params` and `Params` have the same layout (pinned in
                // `types`).
                *params =
                    unsafe { core::mem::transmute::<Params, ringcore_params>(*ring.params()) };
                *out = ffi::ring_into_raw(Box::new(RingHandle::new(ring)));
                0
            }
            Err(e) => -e.raw(),
        }
    })
}

/// Stores where the ring's SQ ring, CQ ring and SQE array are mapped in `*out`. They stay
/// mapped until `ringcore_ring_free`. Returns 0, or `-EINVAL` for a NULL `ring` or `out`.
#[no_mangle]
pub extern "C" fn ringcore_ring_layout(
    ring: *const ringcore_ring,
    out: *mut ringcore_ring_layout,
) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring` and `out`.
        let (h, out) = match unsafe { (ffi::ring_ref(ring), ffi::out(out)) } {
            (Ok(h), Ok(out)) => (h, out),
            _ => return -libc::EINVAL,
        };
        let raw = h.ring.raw_parts();
        *out = ringcore_ring_layout {
            sq_ring: raw.sq_ring.0.cast(),
            sq_ring_size: raw.sq_ring.1,
            cq_ring: raw.cq_ring.0.cast(),
            cq_ring_size: raw.cq_ring.1,
            sqes: raw.sqes.cast(),
            sqes_size: raw.sqes_len,
        };
        0
    })
}

/// Makes the ring use `fd` — a duplicate of its ring fd (`dup`) — for its system calls and
/// close it when freed, in place of the fd it had, which it gives up without closing (for
/// programs that duplicate the ring fd and close the original, as liburing allows).
///
/// Returns 0, or `-EINVAL` for a NULL `ring`, when `fd` is not an io_uring instance, or when
/// the ring's own fd is still open and `fd` is not a duplicate of it (`kcmp`). Once the
/// original is closed only the first can be checked: passing another ring's fd then is the
/// caller's error, which sends this ring's enters to that ring (its submissions and waits
/// misbehave) but hands the kernel no memory: each ring's kernel side reads only its own
/// mappings.
#[no_mangle]
pub extern "C" fn ringcore_ring_set_fd(ring: *mut ringcore_ring, fd: c_int) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        let h = match unsafe { ffi::ring_mut(ring) } {
            Ok(h) => h,
            Err(e) => return -e.raw(),
        };
        if fd == h.ring.fd() {
            return 0;
        }
        if !is_io_uring(fd) || !may_be_duplicate(h.ring.fd(), fd) {
            return -libc::EINVAL;
        }
        // SAFETY: `fd` is an open io_uring instance, this ring's own as far as can be checked
        // (above); the old fd is the caller's from here on (documented above).
        unsafe { h.ring.replace_fd(fd) };
        0
    })
}

/// Whether `new` may be a duplicate of `old`: `old` is closed (nothing to compare with),
/// `kcmp` says both name the same open file, or `kcmp` is unavailable.
fn may_be_duplicate(old: c_int, new: c_int) -> bool {
    // SAFETY: F_GETFD only reads the descriptor table.
    if unsafe { libc::fcntl(old, libc::F_GETFD) } < 0 {
        return true;
    }
    const KCMP_FILE: libc::c_long = 0;
    // SAFETY: getpid has no preconditions.
    let pid = unsafe { libc::getpid() };
    // SAFETY: kcmp only compares two descriptors of the calling process.
    let r = unsafe { libc::syscall(libc::SYS_kcmp, pid, pid, KCMP_FILE, old, new) };
    r <= 0
}

/// Whether `fd` is an io_uring instance (its `/proc/self/fd` link names `anon_inode:[io_uring]`).
fn is_io_uring(fd: c_int) -> bool {
    let mut path = [0u8; 32];
    let mut w = Cursor {
        buf: &mut path,
        len: 0,
    };
    if core::fmt::write(&mut w, format_args!("/proc/self/fd/{fd}\0")).is_err() {
        return false;
    }
    let mut link = [0u8; 64];
    // SAFETY: `path` is NUL-terminated; `link` is writable for its length.
    let n = unsafe { libc::readlink(path.as_ptr().cast(), link.as_mut_ptr().cast(), link.len()) };
    n > 0 && link[..n as usize] == *b"anon_inode:[io_uring]"
}

/// A byte buffer `core::fmt::write` can fill.
struct Cursor<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl core::fmt::Write for Cursor<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let end = self.len + s.len();
        self.buf
            .get_mut(self.len..end)
            .ok_or(core::fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Bytes of the kernel's signal set (`_NSIG / 8`), the size io_uring_enter expects with one.
const SIGSET_SIZE: usize = 8;

/// What a wait passes to `io_uring_enter`: nothing, a signal mask, or (with a timeout) an
/// extended argument carrying both.
struct WaitArg {
    ext: GeteventsArg,
    sigmask: *const c_void,
    timed: bool,
}

impl WaitArg {
    fn new(ts: *const __kernel_timespec, sigmask: *const c_void) -> WaitArg {
        WaitArg {
            ext: GeteventsArg {
                sigmask: sigmask as u64,
                sigmask_sz: if sigmask.is_null() {
                    0
                } else {
                    SIGSET_SIZE as u32
                },
                min_wait_usec: 0,
                ts: ts as u64,
            },
            sigmask,
            timed: !ts.is_null(),
        }
    }

    /// The argument, its size and the flag announcing it.
    fn parts(&self) -> (*const c_void, usize, EnterFlags) {
        if self.timed {
            let p = (&self.ext as *const GeteventsArg).cast();
            (p, core::mem::size_of::<GeteventsArg>(), EnterFlags::EXT_ARG)
        } else if self.sigmask.is_null() {
            (ptr::null(), 0, EnterFlags::empty())
        } else {
            (self.sigmask, SIGSET_SIZE, EnterFlags::empty())
        }
    }
}

/// Whether the kernel holds completions back that an enter with `GETEVENTS` would bring into
/// the CQ (overflow backlog, task work), or the ring polls for them (`IOPOLL`).
fn cq_needs_enter(h: &RingHandle) -> bool {
    if h.ring.setup_flags().contains(SetupFlags::IOPOLL) {
        return true;
    }
    h.ring
        .submitter()
        .sq_flags()
        .intersects(SqRingFlags::CQ_OVERFLOW | SqRingFlags::TASKRUN)
}

/// Whether SQEs that are published must be handed over by an enter: always without an SQPOLL
/// thread; with one, only when it sleeps (then `SQ_WAKEUP` is added to `flags`).
fn sq_needs_enter(h: &RingHandle, flags: &mut EnterFlags) -> bool {
    if !h.ring.setup_flags().contains(SetupFlags::SQPOLL) {
        return true;
    }
    if h.ring.submitter().sqpoll_needs_wakeup() {
        *flags |= EnterFlags::SQ_WAKEUP;
        return true;
    }
    false
}

/// Published SQEs the kernel has not consumed yet.
fn sq_pending(h: &RingHandle) -> u32 {
    let s = &h.state;
    // SAFETY: the kernel's SQ head lives in the ring's mapping while the ring does.
    let head = unsafe { AtomicU32::from_ptr(s.sq_khead.cast_mut()) }.load(Ordering::Acquire);
    s.sq_tail.wrapping_sub(head)
}

/// liburing's completion wait: submits `submit` SQEs (already published), then waits until
/// `wait_nr` CQEs are ready, `arg`'s timeout passes or a signal arrives; stores the oldest CQE
/// (or NULL) in `*out`. Returns 0 (or, after an enter that submitted, the count it took),
/// `-EAGAIN` when nothing is ready and nothing was to be waited for, `-ETIME`, `-EINTR`, or
/// the kernel's errno.
fn get_cqe(
    h: &mut RingHandle,
    out: &mut *mut ringcore_cqe,
    mut submit: u32,
    wait_nr: u32,
    arg: &WaitArg,
) -> c_int {
    let (argp, argsz, arg_flag) = arg.parts();
    let mut looped = false;
    let mut err: c_int = 0;
    let mut cqe: *mut ringcore_cqe;
    loop {
        let ready = h.cq_ready();
        cqe = if ready > 0 {
            h.cqe_at(h.cq_head())
        } else {
            ptr::null_mut()
        };
        let mut flags = EnterFlags::empty();
        let mut need_enter = false;
        if cqe.is_null() && wait_nr == 0 && submit == 0 {
            // Only a flush could bring one in; after one enter, give up.
            if looped || !cq_needs_enter(h) {
                err = -libc::EAGAIN;
                break;
            }
            need_enter = true;
        }
        if wait_nr > ready || need_enter {
            flags |= EnterFlags::GETEVENTS | arg_flag;
            need_enter = true;
        }
        if submit > 0 && sq_needs_enter(h, &mut flags) {
            need_enter = true;
        }
        if !need_enter {
            break;
        }
        if looped && arg.timed {
            // A timed wait enters once: the kernel waited the whole timeout already.
            if cqe.is_null() && err == 0 {
                err = -libc::ETIME;
            }
            break;
        }
        // SAFETY: the published SQEs were filled by C, which answers for what they reference
        // (the header's contract); `argp` is null, a signal set of `argsz` bytes, or `arg.ext`,
        // which outlives the call.
        match unsafe {
            h.ring
                .submitter()
                .enter(submit, wait_nr, flags, argp, argsz)
        } {
            Err(e) => {
                err = -e.raw();
                break;
            }
            Ok(n) => {
                submit = submit.saturating_sub(n);
                if !cqe.is_null() {
                    break;
                }
                if !looped {
                    looped = true;
                    err = n as c_int;
                }
            }
        }
    }
    *out = cqe;
    err
}

/// Waits, without submitting, until at least `wait_nr` CQEs are ready, and stores the oldest
/// in `*cqe` (without consuming it). `ts` (relative, may be NULL: no limit) bounds the wait;
/// `sigmask` (a `const sigset_t *`, may be NULL) is the signal mask during it. With `wait_nr`
/// 0 it only looks, after asking the kernel for completions it holds back.
///
/// `*cqe` is written on every return: the oldest CQE, or NULL when none is ready. Returns 0
/// when a CQE is there, `-EAGAIN` (`wait_nr` 0 and none ready), `-ETIME` (the time ran out
/// first), `-EINTR` (a signal; not retried), `-EINVAL` for a NULL `ring` or `cqe`, or the
/// kernel's errno.
#[no_mangle]
pub extern "C" fn ringcore_wait_cqes(
    ring: *mut ringcore_ring,
    cqe: *mut *mut ringcore_cqe,
    wait_nr: c_uint,
    ts: *const __kernel_timespec,
    sigmask: *const c_void,
) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring` and `cqe`.
        let (h, out) = match unsafe { (ffi::ring_mut(ring), ffi::out(cqe)) } {
            (Ok(h), Ok(out)) => (h, out),
            _ => return -libc::EINVAL,
        };
        let arg = WaitArg::new(ts, sigmask);
        get_cqe(h, out, 0, wait_nr, &arg)
    })
}

/// Submits the SQEs taken since the last submit, then waits as `ringcore_wait_cqes` for
/// `wait_nr` CQEs, up to `ts` (may be NULL) with signal mask `sigmask` (may be NULL).
/// `*cqe` is written on every return (the oldest CQE or NULL).
///
/// Returns the number of SQEs submitted (0 or more) once `wait_nr` CQEs are ready or the wait
/// ended with one ready, `-ETIME` when the time ran out with none, `-EINTR`, `-EINVAL` for a
/// NULL `ring` or `cqe`, or the kernel's errno.
#[no_mangle]
pub extern "C" fn ringcore_submit_and_wait_cqes(
    ring: *mut ringcore_ring,
    cqe: *mut *mut ringcore_cqe,
    wait_nr: c_uint,
    ts: *const __kernel_timespec,
    sigmask: *const c_void,
) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring` and `cqe`.
        let (h, out) = match unsafe { (ffi::ring_mut(ring), ffi::out(cqe)) } {
            (Ok(h), Ok(out)) => (h, out),
            _ => return -libc::EINVAL,
        };
        h.publish();
        let submit = sq_pending(h);
        let arg = WaitArg::new(ts, sigmask);
        get_cqe(h, out, submit, wait_nr, &arg)
    })
}

/// Submits the SQEs taken since the last submit with one `io_uring_enter` that also asks for
/// completions (`GETEVENTS`: runs task work, flushes the overflow backlog), even when nothing
/// is to be submitted. Returns the number submitted, `-EINVAL` for NULL, or the kernel's errno.
#[no_mangle]
pub extern "C" fn ringcore_submit_and_get_events(ring: *mut ringcore_ring) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        let h = match unsafe { ffi::ring_mut(ring) } {
            Ok(h) => h,
            Err(e) => return -e.raw(),
        };
        h.publish();
        let pending = sq_pending(h);
        let mut flags = EnterFlags::GETEVENTS;
        let sqpoll = h.ring.setup_flags().contains(SetupFlags::SQPOLL);
        let to_submit = if sqpoll { 0 } else { pending };
        if pending > 0 {
            sq_needs_enter(h, &mut flags);
        }
        // SAFETY: as in `get_cqe`; no argument.
        match unsafe {
            h.ring
                .submitter()
                .enter(to_submit, 0, flags, ptr::null(), 0)
        } {
            Ok(n) if sqpoll => pending.max(n) as c_int,
            Ok(n) => n as c_int,
            Err(e) => -e.raw(),
        }
    })
}

/// Publishes the SQEs taken since the last submit without entering the kernel, for a caller
/// that makes the `io_uring_enter` itself (`ringcore_sys_enter`). Returns how many published
/// SQEs the kernel has not consumed yet (the `to_submit` to pass), or `-EINVAL` for NULL.
#[no_mangle]
pub extern "C" fn ringcore_flush_sq(ring: *mut ringcore_ring) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_mut(ring) } {
            Ok(h) => {
                h.publish();
                sq_pending(h) as c_int
            }
            Err(e) => -e.raw(),
        }
    })
}

/// Asks the kernel for the completions it holds back (one `io_uring_enter` with `GETEVENTS`,
/// submitting nothing, not waiting). Returns 0, `-EINVAL` for NULL, or the kernel's errno.
#[no_mangle]
pub extern "C" fn ringcore_get_events(ring: *mut ringcore_ring) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_mut(ring) } {
            Ok(h) => ffi::status(h.ring.submitter().get_events()),
            Err(e) => -e.raw(),
        }
    })
}

/// With an SQPOLL thread: when the SQ is full, wakes the thread and waits until it has taken
/// an entry. Returns 0 (at once without SQPOLL or with room left), `-EINVAL` for NULL, or the
/// kernel's errno.
#[no_mangle]
pub extern "C" fn ringcore_sqring_wait(ring: *mut ringcore_ring) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_mut(ring) } {
            Ok(h) if h.sq_space_left() > 0 => 0,
            Ok(h) => ffi::status(h.ring.submitter().sq_wait()),
            Err(e) => -e.raw(),
        }
    })
}

/// `io_uring_register(ring's fd, opcode, arg, nr_args)`: any registration, for the ones the C
/// API has no typed call for (tags, restrictions, io-wq affinity, NAPI, sync cancel, ...).
/// `arg` must be what `opcode` expects, and memory it registers must stay valid while it is
/// registered. Returns the kernel's result (0 or a count or id), `-EINVAL` for a NULL `ring`,
/// or the kernel's errno.
#[no_mangle]
pub extern "C" fn ringcore_register(
    ring: *mut ringcore_ring,
    opcode: c_uint,
    arg: *const c_void,
    nr_args: c_uint,
) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_ref(ring) } {
            // SAFETY: `arg` is what `opcode` expects and stays valid while registered (the C
            // contract above).
            Ok(h) => ffi::int(unsafe { h.ring.submitter().register_raw(opcode, arg, nr_args) }),
            Err(e) => -e.raw(),
        }
    })
}

/// The `io_uring_setup` system call: returns the new ring's fd or a negative errno. The ring
/// is the caller's to map and close; ringcore does not manage it.
#[no_mangle]
pub extern "C" fn ringcore_sys_setup(entries: c_uint, params: *mut ringcore_params) -> c_int {
    // SAFETY: the kernel reads and writes `*params` (or fails with EFAULT for a bad pointer).
    let ret = unsafe { libc::syscall(libc::SYS_io_uring_setup, entries, params) };
    sys_result(ret)
}

/// The `io_uring_enter` system call on `fd` (a ring fd, or a registered index with
/// `RINGCORE_ENTER_REGISTERED_RING`), with `arg`/`argsz` as the flags announce (a signal set,
/// or `struct io_uring_getevents_arg` with `RINGCORE_ENTER_EXT_ARG`). Returns the kernel's
/// result or a negative errno (`-EINTR` is not retried). The SQEs it submits, and the memory
/// they name, are the caller's to keep valid.
#[no_mangle]
pub extern "C" fn ringcore_sys_enter(
    fd: c_uint,
    to_submit: c_uint,
    min_complete: c_uint,
    flags: c_uint,
    arg: *const c_void,
    argsz: usize,
) -> c_int {
    // SAFETY: a plain system call; what it submits, and `arg`, are the caller's (documented
    // above).
    unsafe { rc::sys::io_uring_enter_raw(fd as i32, to_submit, min_complete, flags, arg, argsz) }
}

/// The `io_uring_register` system call on `fd`. Returns the kernel's result or a negative
/// errno.
#[no_mangle]
pub extern "C" fn ringcore_sys_register(
    fd: c_uint,
    opcode: c_uint,
    arg: *const c_void,
    nr_args: c_uint,
) -> c_int {
    // SAFETY: a plain system call; `arg` is the caller's, as `opcode` requires.
    let ret = unsafe { libc::syscall(libc::SYS_io_uring_register, fd, opcode, arg, nr_args) };
    sys_result(ret)
}

fn sys_result(ret: libc::c_long) -> c_int {
    if ret < 0 {
        -Errno::last().raw()
    } else {
        ret as c_int
    }
}
