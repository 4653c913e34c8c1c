//! The floor: the NOP loop in C over the raw syscalls, no library (`c/raw_peer.c`).

use crate::outcome::Outcome;
use crate::Error;
use std::os::raw::{c_int, c_uint};

extern "C" {
    fn raw_nop(batch: c_uint, ops: u64, out: *mut Outcome) -> c_int;
}

/// NOPs in batches of `batch` (see [`ringcore_ring::nop`](super::ringcore_ring::nop)).
///
/// # Errors
/// A syscall or a NOP failed.
pub fn nop(batch: u32, ops: u64) -> Result<Outcome, Error> {
    let mut out = Outcome::default();
    // SAFETY: `out` is a valid `struct bench_outcome` (same layout) for the call.
    let ret = unsafe { raw_nop(batch, ops, &mut out) };
    if ret < 0 {
        return Err(ringcore::Errno::from_raw(-ret).into());
    }
    Ok(out)
}
