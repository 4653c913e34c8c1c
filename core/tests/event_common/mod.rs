//! What the safe-layer tests share: a buffer that counts its drops (and records what the kernel
//! wrote into it), pipes, and polling helpers.
#![allow(dead_code)]

use ringcore::event::{Cancellation, OwnedBuf};
use ringcore::Errno;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

/// Bytes a buffer holds before the kernel writes into it; data written by the tests differs.
pub const CANARY: u8 = 0xAA;

/// What the counted buffers saw when they were dropped.
#[derive(Default)]
pub struct Ledger {
    pub drops: AtomicUsize,
    /// Bytes the kernel wrote (non-canary prefix) into each dropped buffer, summed.
    pub written: AtomicUsize,
    /// The written prefix of each dropped buffer, in drop order.
    pub contents: Mutex<Vec<Vec<u8>>>,
}

impl Ledger {
    pub fn drops(&self) -> usize {
        self.drops.load(Ordering::SeqCst)
    }

    pub fn written(&self) -> usize {
        self.written.load(Ordering::SeqCst)
    }
}

/// A heap buffer that records its drop (and what the kernel left in it) in a ledger.
pub struct Counted {
    pub data: Vec<u8>,
    pub ledger: Arc<Ledger>,
}

impl Counted {
    pub fn new(len: usize, ledger: &Arc<Ledger>) -> Counted {
        Counted {
            data: vec![CANARY; len],
            ledger: ledger.clone(),
        }
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        let written = self.data.iter().take_while(|&&b| b != CANARY).count();
        self.ledger.written.fetch_add(written, Ordering::SeqCst);
        self.ledger
            .contents
            .lock()
            .unwrap()
            .push(self.data[..written].to_vec());
        self.ledger.drops.fetch_add(1, Ordering::SeqCst);
    }
}

// SAFETY: the bytes live in the Vec's heap block, which moves with neither the Counted nor the
// box the Cancellation keeps it in.
unsafe impl OwnedBuf for Counted {
    fn as_ptr(&self) -> *const u8 {
        self.data.as_ptr()
    }
    fn as_mut_ptr(&mut self) -> *mut u8 {
        self.data.as_mut_ptr()
    }
    fn len(&self) -> usize {
        self.data.len()
    }
    fn into_cancellation(self) -> Cancellation {
        Cancellation::from_box(Box::new(self))
    }
}

/// A waker that counts its wake-ups.
pub struct CountWakes(pub AtomicUsize);
impl Wake for CountWakes {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Counts its drops: the stand-in for a buffer the kernel may still touch.
pub struct Dropped(pub Arc<AtomicUsize>);
impl Drop for Dropped {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

pub struct NoWake;
impl Wake for NoWake {
    fn wake(self: Arc<Self>) {}
}

/// Polls `fut` once with a waker that does nothing.
pub fn poll_once<F: Future + Unpin>(fut: &mut F) -> Poll<F::Output> {
    let waker = Waker::from(Arc::new(NoWake));
    Pin::new(fut).poll(&mut Context::from_waker(&waker))
}

/// A pipe: (read end, write end).
pub fn pipe() -> (i32, i32) {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two fds pipe2 writes.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    (fds[0], fds[1])
}

pub fn write_fd(fd: i32, bytes: &[u8]) -> usize {
    // SAFETY: `bytes` is valid for reads of its length.
    let n = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
    assert!(n >= 0, "write: {}", Errno::last());
    n as usize
}

/// Reads what is left in a pipe without blocking.
pub fn drain_pipe(fd: i32) -> usize {
    // SAFETY: plain fcntl on an fd the test owns.
    unsafe { libc::fcntl(fd, libc::F_SETFL, libc::O_NONBLOCK) };
    let mut total = 0;
    let mut buf = [0u8; 4096];
    loop {
        // SAFETY: `buf` is valid for writes of its length.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n <= 0 {
            return total;
        }
        total += n as usize;
    }
}

pub fn close(fd: i32) {
    // SAFETY: closes an fd the test owns, once.
    unsafe { libc::close(fd) };
}
