//! [`Cancellation`]: whatever the kernel may still touch after its owner lost interest.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;
use core::mem::ManuallyDrop;

/// Type-erased ownership of the resources of a cancelled event.
///
/// When a [`Submission`](super::Submission) is dropped before its CQE arrives, its event hands
/// everything the kernel may still read or write (buffers, paths, address structures) to a
/// `Cancellation`. The registry keeps it until the request's last CQE has been reaped and then
/// drops it, which runs the drop function exactly once. A `Cancellation` is a data pointer, two
/// words of metadata and the function that frees them; it allocates nothing itself.
///
/// An abandoned request may still *produce* something nobody will collect: an `accept` or an
/// `openat` that completes after its future was dropped creates a file descriptor. A
/// Cancellation marked with [`closing_fd_results`](Cancellation::closing_fd_results) has the
/// registry close every such descriptor (each non-negative result of the request that was not
/// delivered), so abandoning the request leaks nothing.
/// # Example
///
/// ```
/// use ringcore::event::Cancellation;
/// use std::sync::atomic::{AtomicUsize, Ordering};
///
/// static DROPPED: AtomicUsize = AtomicUsize::new(0);
/// struct Buffer(#[allow(dead_code)] Vec<u8>);
/// impl Drop for Buffer {
///     fn drop(&mut self) {
///         DROPPED.fetch_add(1, Ordering::SeqCst);
///     }
/// }
///
/// // Two resources of one request, as one Cancellation.
/// let both = Cancellation::pair(
///     Cancellation::from_box(Box::new(Buffer(vec![0; 4096]))),
///     Cancellation::from_vec(vec![Buffer(vec![0; 16])]),
/// );
/// assert_eq!(DROPPED.load(Ordering::SeqCst), 0);
/// drop(both); // what the registry does once the request's last CQE is in
/// assert_eq!(DROPPED.load(Ordering::SeqCst), 2);
/// ```
pub struct Cancellation {
    data: *mut (),
    meta: [usize; 2],
    drop: unsafe fn(*mut (), [usize; 2]),
    fd_results: bool,
}

// SAFETY: every safe constructor takes `Send` values only, and the data is never accessed
// except by the drop function, which runs once, on whichever thread drops the Cancellation.
unsafe impl Send for Cancellation {}
// SAFETY: a `&Cancellation` gives no access to the data at all.
unsafe impl Sync for Cancellation {}

unsafe fn drop_nothing(_: *mut (), _: [usize; 2]) {}

unsafe fn drop_box<T>(data: *mut (), _: [usize; 2]) {
    // SAFETY: `data` came from `Box::<T>::into_raw` in `from_box` and is dropped once.
    drop(unsafe { Box::from_raw(data as *mut T) });
}

unsafe fn drop_vec<T>(data: *mut (), meta: [usize; 2]) {
    // SAFETY: `data`, `meta` are the pointer, length and capacity of a Vec<T> given up in
    // `from_vec`; it is rebuilt and dropped once.
    drop(unsafe { Vec::from_raw_parts(data as *mut T, meta[0], meta[1]) });
}

unsafe fn drop_pair(data: *mut (), _: [usize; 2]) {
    // SAFETY: `data` came from `Box::<(Cancellation, Cancellation)>::into_raw` in `pair`.
    drop(unsafe { Box::from_raw(data as *mut (Cancellation, Cancellation)) });
}

impl Cancellation {
    /// A Cancellation that owns nothing (for events that lend the kernel no memory).
    #[inline]
    pub const fn null() -> Cancellation {
        Cancellation {
            data: core::ptr::null_mut(),
            meta: [0, 0],
            drop: drop_nothing,
            fd_results: false,
        }
    }

    /// Takes ownership of a boxed value; it is dropped with the Cancellation.
    pub fn from_box<T: Send + 'static>(value: Box<T>) -> Cancellation {
        Cancellation {
            data: Box::into_raw(value) as *mut (),
            meta: [0, 0],
            drop: drop_box::<T>,
            fd_results: false,
        }
    }

    /// Takes ownership of a boxed slice (a byte buffer, an iovec array, ...) without copying it.
    pub fn from_boxed_slice<T: Send + 'static>(slice: Box<[T]>) -> Cancellation {
        // A boxed slice is a Vec whose capacity equals its length.
        let len = slice.len();
        let ptr = Box::into_raw(slice) as *mut T;
        Cancellation {
            data: ptr as *mut (),
            meta: [len, len],
            drop: drop_vec::<T>,
            fd_results: false,
        }
    }

    /// Takes ownership of a vector (its heap block stays where it is).
    pub fn from_vec<T: Send + 'static>(vec: Vec<T>) -> Cancellation {
        let mut vec = ManuallyDrop::new(vec);
        Cancellation {
            data: vec.as_mut_ptr() as *mut (),
            meta: [vec.len(), vec.capacity()],
            drop: drop_vec::<T>,
            fd_results: false,
        }
    }

    /// Combines two Cancellations into one that drops both (this allocates one small box).
    /// The combination closes fd results if either does.
    pub fn pair(first: Cancellation, second: Cancellation) -> Cancellation {
        let fd_results = first.fd_results || second.fd_results;
        Cancellation {
            data: Box::into_raw(Box::new((first, second))) as *mut (),
            meta: [0, 0],
            drop: drop_pair,
            fd_results,
        }
    }

    /// A Cancellation from raw parts: `drop(data, meta)` runs exactly once, when it is dropped.
    ///
    /// # Safety
    /// `drop` must be sound to call once with `data` and `meta`, on any thread, at any later
    /// time; whatever `data` names must be `Send`.
    pub unsafe fn from_raw(
        data: *mut (),
        meta: [usize; 2],
        drop: unsafe fn(*mut (), [usize; 2]),
    ) -> Cancellation {
        Cancellation {
            data,
            meta,
            drop,
            fd_results: false,
        }
    }

    /// Marks the request's results as new file descriptors (as `accept`, `socket` and
    /// `openat` return): each non-negative result nobody collects is closed by the registry.
    ///
    /// # Safety
    /// Every non-negative result of the request this Cancellation is given for must be a
    /// descriptor the kernel created for it, owned by no one else: the registry closes it.
    /// (On any other request, a result such as a byte count would close someone's fd.)
    #[must_use]
    pub unsafe fn closing_fd_results(mut self) -> Cancellation {
        self.fd_results = true;
        self
    }

    /// True when undelivered non-negative results are file descriptors to close.
    #[inline]
    pub fn closes_fd_results(&self) -> bool {
        self.fd_results
    }
}

impl Drop for Cancellation {
    fn drop(&mut self) {
        // SAFETY: the constructors pair `data`/`meta` with the matching drop function, and
        // `Drop` runs once.
        unsafe { (self.drop)(self.data, self.meta) }
    }
}

impl fmt::Debug for Cancellation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cancellation")
            .field("data", &self.data)
            .finish_non_exhaustive()
    }
}
