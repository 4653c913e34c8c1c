//! Preparers and SQE setters. Each preparer fills the fields its opcode uses in an SQE that
//! `ringcore_get_sqe` returned zeroed, through the core crate's preparer for that opcode; a
//! NULL `sqe` is ignored.
//!
//! The memory a preparer's pointers name must stay valid and untouched until the operation's
//! CQE has been reaped (or, for a callback operation, until its callback or cleanup ran).

use crate::ffi::prep;
use crate::types::ringcore_sqe;
use core::ffi::{c_int, c_uint, c_void};
use rc::op::{self, SqeOptions};

/// Prepares a no-op; it completes with `res` 0.
#[no_mangle]
pub extern "C" fn ringcore_prep_nop(sqe: *mut ringcore_sqe) {
    prep!(sqe, |sqe| {
        op::nop(sqe);
    })
}

/// Prepares a read of up to `nbytes` bytes from `fd` at `offset` into `buf`
/// (`offset` `(uint64_t)-1`: the file position). The CQE's `res` is the byte count.
#[no_mangle]
pub extern "C" fn ringcore_prep_read(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    buf: *mut c_void,
    nbytes: c_uint,
    offset: u64,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer only stores the address; C keeps `buf` valid until the CQE.
        unsafe { op::read(sqe, fd, buf.cast(), nbytes, offset) };
    })
}

/// Prepares a write of `nbytes` bytes from `buf` to `fd` at `offset`
/// (`offset` `(uint64_t)-1`: the file position). The CQE's `res` is the byte count.
#[no_mangle]
pub extern "C" fn ringcore_prep_write(
    sqe: *mut ringcore_sqe,
    fd: c_int,
    buf: *const c_void,
    nbytes: c_uint,
    offset: u64,
) {
    prep!(sqe, |sqe| {
        // SAFETY: the preparer only stores the address; C keeps `buf` valid until the CQE.
        unsafe { op::write(sqe, fd, buf.cast(), nbytes, offset) };
    })
}

/// Sets the value the CQE will carry in `user_data`. NULL is ignored.
///
/// Keep bit 63 (`RINGCORE_TOKEN_TAG`) clear in `user_data` of SQEs without a callback: CQEs
/// with it set are the callback layer's (see `ringcore_run`).
#[no_mangle]
pub extern "C" fn ringcore_sqe_set_data64(sqe: *mut ringcore_sqe, data: u64) {
    prep!(sqe, |sqe| {
        sqe.user_data(data);
    })
}

/// Sets `user_data` to a pointer (read it back from `cqe->user_data`). NULL `sqe` is ignored.
#[no_mangle]
pub extern "C" fn ringcore_sqe_set_data(sqe: *mut ringcore_sqe, data: *mut c_void) {
    ringcore_sqe_set_data64(sqe, data as usize as u64);
}

/// Sets the SQE's flags to `flags` (`RINGCORE_SQE_*` bits, e.g. `RINGCORE_SQE_IO_LINK`).
/// NULL is ignored; the kernel rejects unknown bits with `-EINVAL` in the CQE.
#[no_mangle]
pub extern "C" fn ringcore_sqe_set_flags(sqe: *mut ringcore_sqe, flags: u8) {
    prep!(sqe, |sqe| {
        // SAFETY: C fills SQEs by hand anyway; the flags carry no address.
        unsafe { sqe.sqe_mut() }.flags = flags;
    })
}
