//! Registration calls (`io_uring_register`): buffers, files, eventfd, personalities, the ring
//! fd, io-wq limits, the wait clock, the opcode probe, and provided-buffer rings. Each wraps the
//! core crate's call of the same name; all return 0 (or a count or id) or a negative errno, and
//! `-EINVAL` for a NULL ring, a NULL array with a nonzero count, or a count that is too large.

use crate::ctypes::iovec;
use crate::ffi::{self, ringcore_ring};
use crate::panic::{boundary, PANICKED};
use core::ffi::{c_int, c_uint, c_void};
use rc::register::BufRing;
use rc::Errno;

/// Borrows `nr` elements of `p` for reading; `EINVAL` for NULL with a nonzero `nr`.
///
/// # Safety
/// `p` is NULL or valid for reads of `nr` elements.
unsafe fn input<'a, T>(p: *const T, nr: c_uint) -> Result<&'a [T], Errno> {
    // SAFETY: forwarded; `out_slice` only builds the slice, which is never written here.
    unsafe { ffi::out_slice(p.cast_mut(), nr) }.map(|s| &*s)
}

/// Registers `nr` buffers (`iovs[0..nr]`) for the `*_fixed` preparers, as indices `0..nr`.
/// The memory must stay valid until unregistered (or the ring is freed). Returns 0; `-EBUSY`
/// when buffers are already registered; `-EINVAL`, `-EFAULT`, `-ENOMEM` (locked-memory limit).
#[no_mangle]
pub extern "C" fn ringcore_register_buffers(
    ring: *mut ringcore_ring,
    iovs: *const iovec,
    nr: c_uint,
) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring` and `iovs` (`nr` readable `struct iovec`s).
        let (h, iovs) =
            match unsafe { (ffi::ring_ref(ring), input(iovs.cast::<libc::iovec>(), nr)) } {
                (Ok(h), Ok(iovs)) => (h, iovs),
                _ => return -libc::EINVAL,
            };
        // SAFETY: C keeps the memory valid while registered (documented above).
        ffi::status(unsafe { h.ring.register_buffers(iovs) })
    })
}

/// Registers an empty buffer table of `nr` slots, to be filled by updates. Returns 0 or
/// `-errno`.
#[no_mangle]
pub extern "C" fn ringcore_register_buffers_sparse(ring: *mut ringcore_ring, nr: c_uint) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_ref(ring) } {
            Ok(h) => ffi::status(h.ring.register_buffers_sparse(nr)),
            Err(e) => -e.raw(),
        }
    })
}

/// Unregisters the buffers. Returns 0, or `-ENXIO` when none are registered.
#[no_mangle]
pub extern "C" fn ringcore_unregister_buffers(ring: *mut ringcore_ring) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_ref(ring) } {
            Ok(h) => ffi::status(h.ring.unregister_buffers()),
            Err(e) => -e.raw(),
        }
    })
}

/// Registers `nr` files (`fds[0..nr]`, -1 for an empty slot) for `RINGCORE_SQE_FIXED_FILE`,
/// as indices `0..nr`. Returns 0; `-EBUSY` when files are registered; `-EBADF`; `-EMFILE`.
#[no_mangle]
pub extern "C" fn ringcore_register_files(
    ring: *mut ringcore_ring,
    fds: *const c_int,
    nr: c_uint,
) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring` and `fds` (`nr` readable ints).
        let (h, fds) = match unsafe { (ffi::ring_ref(ring), input(fds, nr)) } {
            (Ok(h), Ok(fds)) => (h, fds),
            _ => return -libc::EINVAL,
        };
        ffi::status(h.ring.register_files(fds))
    })
}

/// Registers an empty file table of `nr` slots (for direct descriptors and updates).
/// Returns 0 or `-errno`.
#[no_mangle]
pub extern "C" fn ringcore_register_files_sparse(ring: *mut ringcore_ring, nr: c_uint) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_ref(ring) } {
            Ok(h) => ffi::status(h.ring.register_files_sparse(nr)),
            Err(e) => -e.raw(),
        }
    })
}

/// Replaces file slots `offset..offset + nr` with `fds` (-1 empties a slot,
/// `RINGCORE_REGISTER_FILES_SKIP` leaves it). Returns how many slots were updated; `-ENXIO`
/// without a file table; `-EINVAL` out of range; `-EBADF`.
#[no_mangle]
pub extern "C" fn ringcore_register_files_update(
    ring: *mut ringcore_ring,
    offset: c_uint,
    fds: *const c_int,
    nr: c_uint,
) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring` and `fds` (`nr` readable ints).
        let (h, fds) = match unsafe { (ffi::ring_ref(ring), input(fds, nr)) } {
            (Ok(h), Ok(fds)) => (h, fds),
            _ => return -libc::EINVAL,
        };
        ffi::int(h.ring.register_files_update(offset, fds))
    })
}

/// Unregisters the file table. Returns 0, or `-ENXIO` when there is none.
#[no_mangle]
pub extern "C" fn ringcore_unregister_files(ring: *mut ringcore_ring) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_ref(ring) } {
            Ok(h) => ffi::status(h.ring.unregister_files()),
            Err(e) => -e.raw(),
        }
    })
}

/// Makes the kernel allocate direct descriptors (`RINGCORE_FILE_INDEX_ALLOC`) only from slots
/// `offset..offset + len`. Returns 0 or `-errno`.
#[no_mangle]
pub extern "C" fn ringcore_register_file_alloc_range(
    ring: *mut ringcore_ring,
    offset: c_uint,
    len: c_uint,
) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_ref(ring) } {
            Ok(h) => ffi::status(h.ring.register_file_alloc_range(offset, len)),
            Err(e) => -e.raw(),
        }
    })
}

/// Makes the kernel signal eventfd `fd` for each CQE posted. Returns 0; `-EBUSY` when one is
/// registered; `-EBADF`.
#[no_mangle]
pub extern "C" fn ringcore_register_eventfd(ring: *mut ringcore_ring, fd: c_int) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_ref(ring) } {
            Ok(h) => ffi::status(h.ring.register_eventfd(fd)),
            Err(e) => -e.raw(),
        }
    })
}

/// Like `ringcore_register_eventfd`, signalling only for CQEs of requests that completed
/// asynchronously.
#[no_mangle]
pub extern "C" fn ringcore_register_eventfd_async(ring: *mut ringcore_ring, fd: c_int) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_ref(ring) } {
            Ok(h) => ffi::status(h.ring.register_eventfd_async(fd)),
            Err(e) => -e.raw(),
        }
    })
}

/// Unregisters the eventfd. Returns 0, or `-ENXIO` when none is registered.
#[no_mangle]
pub extern "C" fn ringcore_unregister_eventfd(ring: *mut ringcore_ring) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_ref(ring) } {
            Ok(h) => ffi::status(h.ring.unregister_eventfd()),
            Err(e) => -e.raw(),
        }
    })
}

/// Registers the calling thread's credentials; returns the personality id for
/// `ringcore_sqe_set_personality`, or `-errno`.
#[no_mangle]
pub extern "C" fn ringcore_register_personality(ring: *mut ringcore_ring) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_ref(ring) } {
            Ok(h) => ffi::int(h.ring.register_personality().map(u32::from)),
            Err(e) => -e.raw(),
        }
    })
}

/// Unregisters personality `id`. Returns 0, or `-EINVAL` for an unknown id.
#[no_mangle]
pub extern "C" fn ringcore_unregister_personality(ring: *mut ringcore_ring, id: u16) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_ref(ring) } {
            Ok(h) => ffi::status(h.ring.unregister_personality(id)),
            Err(e) => -e.raw(),
        }
    })
}

/// Registers the ring fd in the calling thread's table (the kernel keeps one per thread);
/// returns the registered index, or `-EBUSY` (already registered, or the thread's table is
/// full), `-EINVAL`. The index is used only on this thread: submits from any other thread go
/// through the ring's fd, never another ring. The C fast path (`ringcore_submit*` without
/// SQPOLL or callback SQEs) always uses the fd.
#[no_mangle]
pub extern "C" fn ringcore_register_ring_fd(ring: *mut ringcore_ring) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_mut(ring) } {
            Ok(h) => ffi::int(h.ring.register_ring_fd()),
            Err(e) => -e.raw(),
        }
    })
}

/// Unregisters the ring fd from the calling thread's table (submits use the plain fd again).
/// Returns 0, or `-ENXIO` when it is not registered on this thread.
#[no_mangle]
pub extern "C" fn ringcore_unregister_ring_fd(ring: *mut ringcore_ring) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_mut(ring) } {
            Ok(h) => ffi::status(h.ring.unregister_ring_fd()),
            Err(e) => -e.raw(),
        }
    })
}

/// Sets the most io-wq workers for bounded (`counts[0]`) and unbounded (`counts[1]`) work (0
/// leaves a limit alone) and stores the previous limits in `counts`. Returns 0, `-EINVAL` for
/// NULL `counts`, or `-errno`.
#[no_mangle]
pub extern "C" fn ringcore_register_iowq_max_workers(
    ring: *mut ringcore_ring,
    counts: *mut c_uint,
) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`, and `counts` holds two writable unsigned ints.
        let (h, counts) =
            match unsafe { (ffi::ring_ref(ring), ffi::out(counts.cast::<[u32; 2]>())) } {
                (Ok(h), Ok(c)) => (h, c),
                _ => return -libc::EINVAL,
            };
        ffi::status(h.ring.register_iowq_max_workers(counts))
    })
}

/// Makes waits with a timeout use clock `clockid` (`CLOCK_MONOTONIC` or `CLOCK_BOOTTIME`).
/// Returns 0, or `-EINVAL` (other clocks, or kernels before 6.12).
#[no_mangle]
pub extern "C" fn ringcore_register_clock(ring: *mut ringcore_ring, clockid: c_int) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_ref(ring) } {
            Ok(h) => ffi::status(h.ring.register_clock(clockid)),
            Err(e) => -e.raw(),
        }
    })
}

/// Whether the kernel supports opcode `op` (`RINGCORE_OP_*`): 1 or 0, or `-errno` when it
/// cannot be asked (`-EINVAL` before Linux 5.6, or for a NULL ring).
#[no_mangle]
pub extern "C" fn ringcore_opcode_supported(ring: *mut ringcore_ring, op: u8) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring`.
        match unsafe { ffi::ring_ref(ring) } {
            Ok(h) => match h.ring.probe() {
                Ok(p) => c_int::from(p.is_supported(op)),
                Err(e) => -e.raw(),
            },
            Err(e) => -e.raw(),
        }
    })
}

/// A provided-buffer ring: `entries` buffers owned by the library, handed to requests that
/// select from its group (`ringcore_sqe_set_buf_group`).
pub struct ringcore_buf_ring {
    _private: [u8; 0],
}

/// Registers a provided-buffer ring of `entries` buffers of `buf_len` bytes each under group
/// `bgid`, all added and published, and stores it in `*out` (written only on success). Free it
/// with `ringcore_buf_ring_free` once no request selecting from the group is in flight.
///
/// Returns 0; `-EINVAL` (NULL `ring` or `out`, `entries` not a power of two up to 32768,
/// `buf_len` 0); `-EEXIST` when the group is taken; `-ENOMEM`.
#[no_mangle]
pub extern "C" fn ringcore_buf_ring_new(
    ring: *mut ringcore_ring,
    bgid: u16,
    entries: u16,
    buf_len: c_uint,
    out: *mut *mut ringcore_buf_ring,
) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `ring` and `out`.
        let (h, out) = match unsafe { (ffi::ring_ref(ring), ffi::out(out)) } {
            (Ok(h), Ok(out)) => (h, out),
            _ => return -libc::EINVAL,
        };
        match BufRing::new(&h.ring, bgid, entries, buf_len) {
            Ok(br) => {
                *out = ffi::buf_ring_into_raw(Box::new(br));
                0
            }
            Err(e) => -e.raw(),
        }
    })
}

/// Unregisters and frees a provided-buffer ring. NULL is ignored.
#[no_mangle]
pub extern "C" fn ringcore_buf_ring_free(br: *mut ringcore_buf_ring) {
    boundary!((), {
        // SAFETY: `br` is NULL or a live buffer ring the caller gives up (the C contract).
        drop(unsafe { ffi::buf_ring_from_raw(br) });
    })
}

/// The start of buffer `bid` (its `buf_len` bytes), to read what a CQE naming it received; NULL
/// for a NULL ring or an id out of range.
#[no_mangle]
pub extern "C" fn ringcore_buf_ring_buffer(
    br: *const ringcore_buf_ring,
    bid: u16,
) -> *const c_void {
    boundary!(core::ptr::null(), {
        // SAFETY: the C contract for `br`.
        let Some(br) = (unsafe { ffi::buf_ring_ref(br) }) else {
            return core::ptr::null();
        };
        // SAFETY: only the address is taken here; C reads the bytes after reaping the CQE that
        // handed `bid` back and before recycling it.
        match unsafe { br.buffer(bid, 0, br.buf_len() as usize) } {
            Some(bytes) => bytes.as_ptr().cast(),
            None => core::ptr::null(),
        }
    })
}

/// Gives buffer `bid` back to the kernel after its CQE has been handled, and publishes it.
/// Returns 0, or `-EINVAL` for a NULL ring or an id that is not one of its buffers.
#[no_mangle]
pub extern "C" fn ringcore_buf_ring_recycle(br: *mut ringcore_buf_ring, bid: u16) -> c_int {
    boundary!(PANICKED, {
        // SAFETY: the C contract for `br`.
        let Some(br) = (unsafe { ffi::buf_ring_mut(br) }) else {
            return -libc::EINVAL;
        };
        match br.recycle(bid) {
            Ok(()) => {
                br.advance();
                0
            }
            Err(e) => -e.raw(),
        }
    })
}
