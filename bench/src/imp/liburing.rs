//! The C peers over liburing (`c/liburing_peer.c`), present when liburing-dev was installed at
//! build time.

use crate::outcome::Outcome;
use crate::Error;
use std::fs::File;
use std::os::fd::OwnedFd;

/// liburing's version as pkg-config reported it at build time ("-" when not built).
#[cfg(have_liburing)]
pub const VERSION: &str = env!("RINGCORE_BENCH_LIBURING_VERSION");
/// liburing's version as pkg-config reported it at build time ("-" when not built).
#[cfg(not(have_liburing))]
pub const VERSION: &str = "-";

/// `Ok` when the C peers were built.
///
/// # Errors
/// A message saying liburing-dev was missing at build time.
pub fn available() -> Result<(), &'static str> {
    if cfg!(have_liburing) {
        Ok(())
    } else {
        Err(MISSING)
    }
}

/// Why the peer is missing, when it is.
pub const MISSING: &str =
    "liburing peer not built: liburing-dev was missing (apt-get install liburing-dev)";

#[cfg(have_liburing)]
mod ffi {
    use crate::outcome::Outcome;
    use std::os::raw::{c_int, c_uint};

    extern "C" {
        pub fn lu_nop(batch: c_uint, ops: u64, out: *mut Outcome) -> c_int;
        pub fn lu_randread(fd: c_int, blocks: u64, ops: u64, out: *mut Outcome) -> c_int;
        pub fn lu_echo_server(fds: *const c_int, conns: c_uint, out: *mut Outcome) -> c_int;
        pub fn lu_cancel_storm(ops: u64, out: *mut Outcome) -> c_int;
    }
}

/// Turns a C peer's return value into a result.
#[cfg(have_liburing)]
fn check(ret: std::os::raw::c_int, out: Outcome) -> Result<Outcome, Error> {
    if ret < 0 {
        return Err(ringcore::Errno::from_raw(-ret).into());
    }
    Ok(out)
}

/// NOPs in batches of `batch` (see [`ringcore_ring::nop`](super::ringcore_ring::nop)).
///
/// # Errors
/// The peer is missing, or a liburing call or a NOP failed.
pub fn nop(batch: u32, ops: u64) -> Result<Outcome, Error> {
    #[cfg(have_liburing)]
    {
        let mut out = Outcome::default();
        // SAFETY: `out` is a valid `struct bench_outcome` (same layout) for the call.
        let ret = unsafe { ffi::lu_nop(batch, ops, &mut out) };
        check(ret, out)
    }
    #[cfg(not(have_liburing))]
    {
        let _ = (batch, ops);
        Err(MISSING.into())
    }
}

/// Random 4 KiB reads (see [`ringcore_ring::randread`](super::ringcore_ring::randread)).
///
/// # Errors
/// The peer is missing, or a liburing call or a read failed.
pub fn randread(file: &File, ops: u64) -> Result<Outcome, Error> {
    #[cfg(have_liburing)]
    {
        use std::os::fd::AsRawFd;
        let blocks = super::file_blocks(file)?;
        let mut out = Outcome::default();
        // SAFETY: the fd is open for the call; `out` is a valid `struct bench_outcome`.
        let ret = unsafe { ffi::lu_randread(file.as_raw_fd(), blocks, ops, &mut out) };
        check(ret, out)
    }
    #[cfg(not(have_liburing))]
    {
        let _ = (file, ops);
        Err(MISSING.into())
    }
}

/// The echo server (see [`ringcore_ring::echo_server`](super::ringcore_ring::echo_server)).
///
/// # Errors
/// The peer is missing, or a liburing call, a receive or a send failed.
pub fn echo_server(fds: Vec<OwnedFd>) -> Result<u64, Error> {
    #[cfg(have_liburing)]
    {
        use std::os::fd::IntoRawFd;
        let raw: Vec<i32> = fds.into_iter().map(IntoRawFd::into_raw_fd).collect();
        let mut out = Outcome::default();
        // SAFETY: `raw` holds `raw.len()` open fds, whose ownership passes to the peer (it
        // closes every one); `out` is a valid `struct bench_outcome`.
        let ret = unsafe { ffi::lu_echo_server(raw.as_ptr(), raw.len() as u32, &mut out) };
        check(ret, out).map(|o| o.check)
    }
    #[cfg(not(have_liburing))]
    {
        drop(fds);
        Err(MISSING.into())
    }
}

/// The cancellation storm (see [`ringcore_ring::cancel_storm`](super::ringcore_ring::cancel_storm)).
///
/// # Errors
/// The peer is missing, or a liburing call failed, or a read or cancel ended unexpectedly.
pub fn cancel_storm(ops: u64) -> Result<Outcome, Error> {
    #[cfg(have_liburing)]
    {
        let mut out = Outcome::default();
        // SAFETY: `out` is a valid `struct bench_outcome` (same layout) for the call.
        let ret = unsafe { ffi::lu_cancel_storm(ops, &mut out) };
        check(ret, out)
    }
    #[cfg(not(have_liburing))]
    {
        let _ = ops;
        Err(MISSING.into())
    }
}
