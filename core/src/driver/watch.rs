//! What keeps a [`LocalDriver`](super::LocalDriver) future from hanging when another executor
//! polls it and nobody runs the driver (std only).
//!
//! Such a future's poll submits on the polling thread and hands the wakers of the requests in
//! the kernel to a *watcher*: one thread per driver, spawned on first need, that sleeps in
//! `poll(2)` on the ring's fd until the CQ is not empty, then notes that and wakes them. The
//! next poll sees the note and reaps (on its own thread: the watcher never touches the ring's
//! memory or the registry). So the future makes progress, one thread hop per wait; the
//! driver's own `block_on` needs none. A poll reaps only after the watcher saw a completion,
//! so that a program that polls a future once before running the driver itself (a hand-made
//! event loop) sees what it saw before: the request submitted, its result left for the run.
//!
//! The watcher opens no descriptor of its own: it polls the ring's fd, which stays open until
//! the driver has stopped it, and is stopped by a NOP its driver submits.

use std::io;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::task::Waker;
use std::thread::JoinHandle;
use std::vec::Vec;

/// A thread that wakes tasks when a ring has completions, until stopped.
#[derive(Debug)]
pub(crate) struct Watcher {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Debug)]
struct Shared {
    /// The ring's fd; open until the driver has stopped the watcher.
    ring: RawFd,
    state: Mutex<State>,
    /// Signalled when wakers are handed over or the watcher stops.
    changed: Condvar,
    /// The watcher saw the CQ not empty since the driver last reaped.
    ready: AtomicBool,
}

#[derive(Debug, Default)]
struct State {
    wakers: Vec<Waker>,
    stopping: bool,
}

impl Watcher {
    /// Starts a watcher of the ring whose fd is `ring_fd`, which must stay open until
    /// [`stop`](Self::stop) returns.
    ///
    /// # Errors
    /// The error of spawning the thread.
    pub(crate) fn start(ring_fd: RawFd) -> io::Result<Watcher> {
        let shared = Arc::new(Shared {
            ring: ring_fd,
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
            ready: AtomicBool::new(false),
        });
        let thread = std::thread::Builder::new()
            .name("ringcore-watch".into())
            .spawn({
                let shared = shared.clone();
                move || shared.run()
            })?;
        Ok(Watcher {
            shared,
            thread: Some(thread),
        })
    }

    /// Wakes each of `wakers` once the ring has a completion (at once if it has one now),
    /// instead of the wakers it held.
    pub(crate) fn watch(&self, wakers: Vec<Waker>) {
        self.shared.lock().wakers = wakers;
        self.shared.changed.notify_one();
    }

    /// Whether the watcher saw a completion since the last call: the caller reaps.
    pub(crate) fn take_ready(&self) -> bool {
        self.shared.ready.swap(false, Ordering::Acquire)
    }

    /// Stops the thread. `kick` must make the ring's CQ non-empty (the thread may be asleep
    /// on it); if it cannot (`false`), the thread is left to end by itself.
    pub(crate) fn stop(mut self, kick: impl FnOnce() -> bool) {
        self.shared.lock().stopping = true;
        self.shared.changed.notify_one();
        let thread = self.thread.take();
        if kick() {
            if let Some(thread) = thread {
                let _ = thread.join();
            }
        }
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing panics under the lock; a poisoned list is still a list.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn run(&self) {
        loop {
            let wakers = {
                let mut state = self.lock();
                while state.wakers.is_empty() && !state.stopping {
                    state = self
                        .changed
                        .wait(state)
                        .unwrap_or_else(PoisonError::into_inner);
                }
                if state.stopping {
                    return;
                }
                core::mem::take(&mut state.wakers)
            };
            self.wait_for_completion();
            if self.lock().stopping {
                return;
            }
            self.ready.store(true, Ordering::Release);
            for waker in wakers {
                // A waker that panics must not end the watcher (its other tasks would hang)
                // nor unwind out of this thread.
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| waker.wake()));
            }
        }
    }

    /// Sleeps until the ring's CQ is not empty (or `poll` fails).
    fn wait_for_completion(&self) {
        let mut fd = libc::pollfd {
            fd: self.ring,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one initialized pollfd on the stack; the ring's fd is open until the driver
        // has stopped this thread (see `Watcher::stop`).
        while unsafe { libc::poll(&mut fd, 1, -1) } < 0 {
            if io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
                // Cannot wait: the tasks are woken anyway, and reap and ask again.
                return;
            }
        }
    }
}
