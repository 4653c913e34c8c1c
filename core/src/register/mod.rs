//! Registration: the `io_uring_register` calls, as methods on [`Ring`].
//!
//! Each submodule adds one family of calls in its own `impl Ring` block:
//!
//! | module | calls |
//! |---|---|
//! | `buffers` | `register_buffers` (plain, tagged, sparse), `register_buffers_update`, `unregister_buffers`, `clone_buffers_from` |
//! | `fixed_buffers` | [`FixedBuffers`]: owned buffer memory, registered safely with `register_fixed_buffers` |
//! | `files` | `register_files` (plain, tagged, sparse), `register_files_update`, `unregister_files`, `register_file_alloc_range` |
//! | `eventfd` | `register_eventfd` (plain, async), `unregister_eventfd`, `set_eventfd_notifications` |
//! | `ring_fd` | `register_ring_fd`, `unregister_ring_fd` (enters then use the index) |
//! | `personality` | `register_personality`, `unregister_personality` |
//! | `iowq` | `register_iowq_aff`, `unregister_iowq_aff`, `register_iowq_max_workers` |
//! | `probe` | [`Ring::probe`](crate::Ring::probe) → [`Probe`] |
//! | `restrictions` | `register_restrictions` (for rings built `r_disabled`, then `enable`) |
//! | `buf_ring` | [`BufRing`]: provided-buffer rings, their status, buffer ids from CQEs |
//! | `napi` | `register_napi`, `unregister_napi` |
//! | `clock` | `register_clock` |
//! | `sync_cancel` | `register_sync_cancel` with a [`SyncCancel`] description |
//! | `resize` | `resize_rings` (remaps the queues) |
//! | `send_msg` | [`send_msg_ring`]: post a CQE to a ring without a source ring |
//!
//! # Errors
//!
//! Every call returns the kernel's errno as an [`Errno`]: registering twice is
//! `EBUSY`, unregistering what is not registered is `ENXIO`, a bad fd is `EBADF`, a call this
//! kernel lacks is `EINVAL`. Nothing panics on bad input.
//!
//! # Memory the kernel keeps
//!
//! Registered files are safe to register: the kernel holds its own reference to each file.
//! Registered buffers are memory the kernel will later read and write at any time a request
//! names them, so registering them is `unsafe`: the caller promises the memory stays valid
//! until it is unregistered (from every ring it was cloned into). [`FixedBuffers`] and
//! [`BufRing`] own their memory instead, which makes their registration safe.

mod buf_ring;
mod buffers;
mod clock;
mod eventfd;
mod files;
mod fixed_buffers;
mod iowq;
mod napi;
mod personality;
mod probe;
mod region;
mod resize;
mod restrictions;
mod ring_fd;
mod send_msg;
mod sync_cancel;

pub use buf_ring::{buffer_id, BufRing};
pub use fixed_buffers::FixedBuffers;
pub use probe::Probe;
pub use send_msg::send_msg_ring;
pub use sync_cancel::SyncCancel;

use crate::error::Errno;
use crate::ring::Ring;
use core::ffi::c_void;

impl Ring {
    /// The one door of this layer to `io_uring_register`.
    ///
    /// # Safety
    /// As [`Submitter::register_raw`](crate::Submitter::register_raw).
    unsafe fn register(&self, opcode: u32, arg: *const c_void, nr_args: u32) -> Result<u32, Errno> {
        // SAFETY: forwarded from the caller.
        unsafe { self.submitter().register_raw(opcode, arg, nr_args) }
    }
}

/// `len` as the `u32` count the kernel takes; `EINVAL` when it does not fit.
fn count(len: usize) -> Result<u32, Errno> {
    u32::try_from(len).map_err(|_| Errno::EINVAL)
}
