//! [`OwnedBuf`]: byte buffers an event can own while the kernel uses them.

use super::Cancellation;
use alloc::boxed::Box;
use alloc::vec::Vec;

/// A byte buffer with a stable heap (or `'static`) address that an event can own.
///
/// # Safety
/// Implementors promise that [`as_ptr`](OwnedBuf::as_ptr) / [`as_mut_ptr`](OwnedBuf::as_mut_ptr)
/// point to [`len`](OwnedBuf::len) initialised bytes that stay valid, at the same address, for
/// as long as the value lives — also when the value itself is moved — and, after
/// [`into_cancellation`](OwnedBuf::into_cancellation), for as long as the returned
/// `Cancellation` lives.
pub unsafe trait OwnedBuf: Send + 'static {
    /// The first byte.
    fn as_ptr(&self) -> *const u8;
    /// The first byte, for the kernel to write.
    fn as_mut_ptr(&mut self) -> *mut u8;
    /// The number of bytes the kernel may use.
    fn len(&self) -> usize;
    /// True when the buffer has no bytes.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Moves the buffer into a [`Cancellation`] without moving its bytes.
    fn into_cancellation(self) -> Cancellation;
}

// SAFETY: a Vec's heap block does not move when the Vec does; `from_vec` keeps it intact.
unsafe impl OwnedBuf for Vec<u8> {
    #[inline]
    fn as_ptr(&self) -> *const u8 {
        <[u8]>::as_ptr(self)
    }
    #[inline]
    fn as_mut_ptr(&mut self) -> *mut u8 {
        <[u8]>::as_mut_ptr(self)
    }
    #[inline]
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn into_cancellation(self) -> Cancellation {
        Cancellation::from_vec(self)
    }
}

// SAFETY: a boxed slice's heap block does not move when the box does.
unsafe impl OwnedBuf for Box<[u8]> {
    #[inline]
    fn as_ptr(&self) -> *const u8 {
        <[u8]>::as_ptr(self)
    }
    #[inline]
    fn as_mut_ptr(&mut self) -> *mut u8 {
        <[u8]>::as_mut_ptr(self)
    }
    #[inline]
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }
    fn into_cancellation(self) -> Cancellation {
        Cancellation::from_boxed_slice(self)
    }
}

// SAFETY: `'static` memory is never freed; the unique borrow is given up with the value, so
// nothing else can reach the bytes the kernel may still write.
unsafe impl OwnedBuf for &'static mut [u8] {
    #[inline]
    fn as_ptr(&self) -> *const u8 {
        <[u8]>::as_ptr(self)
    }
    #[inline]
    fn as_mut_ptr(&mut self) -> *mut u8 {
        <[u8]>::as_mut_ptr(self)
    }
    #[inline]
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }
    fn into_cancellation(self) -> Cancellation {
        Cancellation::null()
    }
}
