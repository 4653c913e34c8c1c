//! The three io_uring system calls, through `libc::syscall`.

use super::{GeteventsArg, Params};
use crate::error::Errno;
use core::ffi::c_void;

#[inline]
fn check(ret: libc::c_long) -> Result<u32, Errno> {
    if ret < 0 {
        Err(Errno::last())
    } else {
        Ok(ret as u32)
    }
}

/// `io_uring_setup(entries, params)`: creates a ring and returns its fd.
///
/// # Errors
/// The kernel's errno: `EINVAL` (bad sizes or flags), `ENOMEM`, `EMFILE`/`ENFILE`, `EPERM`
/// (io_uring disabled), `EFAULT`.
pub fn io_uring_setup(entries: u32, params: &mut Params) -> Result<i32, Errno> {
    // SAFETY: `params` is a valid, exclusive `io_uring_params` for the call's duration; the
    // kernel reads and writes only that struct.
    let ret = unsafe { libc::syscall(libc::SYS_io_uring_setup, entries, params as *mut Params) };
    check(ret).map(|fd| fd as i32)
}

/// `io_uring_enter(fd, to_submit, min_complete, flags, arg, argsz)`.
///
/// # Safety
/// The SQEs being submitted and everything they point to must stay valid as the opcodes require;
/// `arg` must be null or point to `argsz` readable bytes of the type `flags` announces
/// (a signal set, or a [`GeteventsArg`] with `IORING_ENTER_EXT_ARG`).
///
/// # Errors
/// The kernel's errno: `EAGAIN`/`EBUSY` (no room for completions), `EINTR`, `ETIME` (timed out),
/// `EBADF`, `EINVAL`, `EFAULT`, `EBADFD` (ring disabled).
#[inline]
pub unsafe fn io_uring_enter(
    fd: i32,
    to_submit: u32,
    min_complete: u32,
    flags: u32,
    arg: *const c_void,
    argsz: usize,
) -> Result<u32, Errno> {
    // SAFETY: the caller guarantees the SQEs and `arg` are valid as documented above.
    let ret = unsafe {
        libc::syscall(
            libc::SYS_io_uring_enter,
            fd,
            to_submit,
            min_complete,
            flags,
            arg,
            argsz,
        )
    };
    check(ret)
}

/// `io_uring_enter` with an extended argument.
///
/// # Safety
/// As [`io_uring_enter`], for the SQEs being submitted.
///
/// # Errors
/// As [`io_uring_enter`].
#[inline]
pub unsafe fn io_uring_enter_ext(
    fd: i32,
    to_submit: u32,
    min_complete: u32,
    flags: u32,
    arg: &GeteventsArg,
) -> Result<u32, Errno> {
    // SAFETY: `arg` is a valid `GeteventsArg`; the caller answers for the SQEs.
    unsafe {
        io_uring_enter(
            fd,
            to_submit,
            min_complete,
            flags | super::EnterFlags::EXT_ARG.bits(),
            arg as *const GeteventsArg as *const c_void,
            core::mem::size_of::<GeteventsArg>(),
        )
    }
}

/// `io_uring_register(fd, opcode, arg, nr_args)`.
///
/// # Safety
/// `arg` must point to what `opcode` expects (`nr_args` items of its type, or null where it
/// takes none), and memory it registers must stay valid while it is registered.
///
/// # Errors
/// The kernel's errno: `EINVAL`, `EBUSY` (already registered), `ENXIO` (nothing registered),
/// `EFAULT`, `ENOMEM`, `EOPNOTSUPP`, `EBADF`, ...
pub unsafe fn io_uring_register(
    fd: i32,
    opcode: u32,
    arg: *const c_void,
    nr_args: u32,
) -> Result<u32, Errno> {
    // SAFETY: the caller guarantees `arg` is valid for `opcode`.
    let ret = unsafe { libc::syscall(libc::SYS_io_uring_register, fd, opcode, arg, nr_args) };
    check(ret)
}
