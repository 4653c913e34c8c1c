//! The C API peer: `c/capi_peer.c`, built by `make bench` against `include/ringcore.h` (with its
//! inline fast paths) and `libringcore.a` into a program of its own, `ringcore-bench-capi`, the
//! way a C user builds it. It runs the NOP and random-read loops.

use crate::outcome::Outcome;
use crate::workload::{Impl, Workload};
use crate::{child, Error};
use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::PathBuf;

/// The peer's program name, next to `ringcore-bench` in `target/release/`.
pub const EXE: &str = "ringcore-bench-capi";

/// Why the peer is missing, when it is.
pub const MISSING: &str =
    "C API peer not built (`make bench` builds target/release/ringcore-bench-capi)";

/// The peer's program: next to this executable, or one directory up (test binaries live in
/// `deps/`).
pub fn path() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?;
    let found = [Some(dir), dir.parent()]
        .into_iter()
        .flatten()
        .map(|d| d.join(EXE))
        .find(|p| p.is_file());
    found
}

/// `Ok` when the peer's program was built.
///
/// # Errors
/// [`MISSING`].
pub fn available() -> Result<(), &'static str> {
    path().map(|_| ()).ok_or(MISSING)
}

/// Runs the peer on `w` in its own process (it cannot run in this one).
///
/// # Errors
/// The peer is missing or failed.
pub fn run(w: Workload, ops: u64, file: Option<&File>) -> Result<Outcome, Error> {
    let exe = std::env::current_exe()?;
    // The child opens the same file through this process's fd.
    let path =
        file.map(|f| PathBuf::from(format!("/proc/{}/fd/{}", std::process::id(), f.as_raw_fd())));
    child::run(child::command(
        &exe,
        Impl::RingcoreC,
        w,
        ops,
        path.as_deref(),
    )?)
}
