//! How a `block_on` thread asleep in the kernel is woken from another thread at once: no tick.
//!
//! The engine keeps an eventfd and, while a thread sleeps in `io_uring_enter`, a
//! `IORING_OP_POLL_ADD` on it in the ring, under a registry slot of its own that counts as
//! no request in flight and drops its CQEs. The poll is multishot: it stays armed across
//! wakes, so a thread that goes to sleep after another thread reaped one of its CQEs is still
//! woken by the next write; when it ends (a CQ overflow), the engine queues it again.
//!
//! A waker that finds the thread asleep writes the eventfd: the poll completes, its CQE ends
//! the wait. A waker that finds the thread awake only sets a flag, which the thread looks at
//! before it sleeps — so a wake costs a system call only when it must interrupt a sleep.

use alloc::sync::Arc;
use alloc::task::Wake;
use core::sync::atomic::{AtomicI32, AtomicU32, AtomicU8, Ordering};

/// [`Signal::state`]: the thread is awake (or a waker's write is done).
const AWAKE: u8 = 0;
/// [`Signal::state`]: the thread sleeps, or is about to, in the kernel.
const SLEEPING: u8 = 1;
/// [`Signal::state`]: a waker took the sleep and is writing the eventfd.
const WRITING: u8 = 2;

/// The wake state of one `block_on` call, shared with its waker.
#[derive(Debug)]
pub(crate) struct Signal {
    /// Bit 0 set by the waker; the `block_on` thread clears it before each poll of its
    /// future. (A word whose bit is set with `fetch_or`: one `lock bts` on x86.)
    woken: AtomicU32,
    /// `SLEEPING` while the `block_on` thread sleeps (or is about to) in the kernel; a waker
    /// that takes it (`WRITING`) writes `fd`, then sets `AWAKE`.
    state: AtomicU8,
    /// The engine's eventfd (-1 until the thread first sleeps).
    fd: AtomicI32,
}

impl Signal {
    pub(crate) fn new() -> Signal {
        Signal {
            woken: AtomicU32::new(0),
            state: AtomicU8::new(AWAKE),
            fd: AtomicI32::new(-1),
        }
    }

    /// Clears the wake flag before the future is polled.
    #[inline]
    pub(crate) fn reset(&self) {
        self.woken.store(0, Ordering::Relaxed);
    }

    /// Whether a wake arrived since the last [`reset`](Self::reset).
    #[inline]
    pub(crate) fn is_woken(&self) -> bool {
        self.woken.load(Ordering::Acquire) != 0
    }

    /// Announces a sleep on the engine's eventfd `fd`; `false` if a wake already arrived
    /// (then the thread must not sleep).
    ///
    /// Dekker's pattern with the waker's [`wake`](Wake::wake): each side stores its flag, then
    /// loads the other's, all `SeqCst`: either this load sees the wake, or the waker sees
    /// `sleeping` and writes the eventfd.
    pub(crate) fn sleep(&self, fd: i32) -> bool {
        self.fd.store(fd, Ordering::Relaxed);
        self.state.store(SLEEPING, Ordering::SeqCst);
        // The waker may take the sleep from here on; `woke` reports that.
        self.woken.load(Ordering::SeqCst) == 0
    }

    /// Ends a sleep (or a sleep announced and not taken).
    ///
    /// Waits for a waker that is writing: the eventfd must stay open (the engine alive, so
    /// this call's caller must not return) until its write is done, or the write could land
    /// in whatever file reuses the number. Nothing else is left to do after a write: the
    /// engine's poll is multishot and the eventfd's counter is never read.
    pub(crate) fn woke(&self) {
        loop {
            match self
                .state
                .compare_exchange(SLEEPING, AWAKE, Ordering::SeqCst, Ordering::Acquire)
            {
                Ok(_) | Err(AWAKE) => return,
                // A single `write(2)` on another thread: wait it out.
                Err(_) => pause(),
            }
        }
    }
}

impl Wake for Signal {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    #[inline]
    fn wake_by_ref(self: &Arc<Self>) {
        // Already woken since the thread last cleared the flag: the wake that set it has
        // looked at `state` after setting it (see `sleep`), so there is nothing left to do —
        // the common case of many completions woken in one dispatch.
        if self.woken.fetch_or(1, Ordering::SeqCst) & 1 != 0 {
            return;
        }
        // The load (after the flag's SeqCst store, as `sleep` needs) skips the exchange when
        // the thread is awake, the usual case.
        if self.state.load(Ordering::SeqCst) == SLEEPING
            && self
                .state
                .compare_exchange(SLEEPING, WRITING, Ordering::SeqCst, Ordering::Relaxed)
                .is_ok()
        {
            let fd = self.fd.load(Ordering::Relaxed);
            let one: u64 = 1;
            // SAFETY: 8 bytes from a live u64. `fd` is the engine's eventfd, open while the
            // engine lives; the `block_on` call that set `SLEEPING` keeps the engine alive
            // until `woke` has seen `AWAKE`, which is stored only after this write. A failed
            // write (a full counter) leaves the eventfd readable, which is all the sleeper
            // needs.
            unsafe { libc::write(fd, (&one as *const u64).cast(), 8) };
            self.state.store(AWAKE, Ordering::Release);
        }
    }
}

#[cfg(feature = "std")]
fn pause() {
    std::thread::yield_now();
}

#[cfg(not(feature = "std"))]
fn pause() {
    core::hint::spin_loop();
}
