//! The three io_uring system calls, through `libc::syscall` — except `io_uring_enter` on
//! x86_64, the per-batch call, which is one `syscall` instruction (see `enter_x86_64`).

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
    // SAFETY: forwarded from the caller.
    let ret = unsafe { io_uring_enter_raw(fd, to_submit, min_complete, flags, arg, argsz) };
    if ret < 0 {
        Err(Errno::from_raw(-ret))
    } else {
        Ok(ret as u32)
    }
}

/// [`io_uring_enter`] with the kernel's own result: the count (an `int`, so never negative
/// as an `i32`) or the negated errno. For callers that hand the result on unconverted.
///
/// # Safety
/// As [`io_uring_enter`].
#[inline(always)]
pub unsafe fn io_uring_enter_raw(
    fd: i32,
    to_submit: u32,
    min_complete: u32,
    flags: u32,
    arg: *const c_void,
    argsz: usize,
) -> i32 {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: the caller guarantees the SQEs and `arg` are valid as documented above.
        unsafe { enter_x86_64(fd, to_submit, min_complete, flags, arg, argsz) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
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
        if ret < 0 {
            -Errno::last().raw()
        } else {
            ret as i32
        }
    }
}

/// `io_uring_enter` as one `syscall` instruction.
///
/// The hot path's one syscall. `libc::syscall` is variadic: marshalling six arguments through
/// it and glibc's `syscall.S` costs ~17 user-space instructions per enter and a write of
/// `errno`; this costs ~8, and the kernel's `-errno` comes back in the register. `setup` and
/// `register`, which are not per batch, keep `libc::syscall`, as does every other architecture.
///
/// # Safety
/// As [`io_uring_enter`].
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn enter_x86_64(
    fd: i32,
    to_submit: u32,
    min_complete: u32,
    flags: u32,
    arg: *const c_void,
    argsz: usize,
) -> i32 {
    let ret: isize;
    // SAFETY: the Linux x86_64 syscall convention: number in rax, arguments in rdi, rsi, rdx,
    // r10, r8, r9; the kernel clobbers rcx and r11 and returns in rax. The asm may read and
    // write memory (no `nomem`/`readonly`), so the compiler keeps no SQE or CQ word cached
    // across it; it does not touch the stack. The caller answers for the SQEs and `arg`.
    unsafe {
        core::arch::asm!(
            "syscall",
            inlateout("rax") libc::SYS_io_uring_enter as isize => ret,
            in("rdi") fd as isize,
            in("rsi") to_submit as usize,
            in("rdx") min_complete as usize,
            in("r10") flags as usize,
            in("r8") arg,
            in("r9") argsz,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    // The kernel returns an `int` (a count or -errno) sign-extended to the register.
    ret as i32
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
