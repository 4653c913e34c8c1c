//! Which thread is running, cheaply: a token per thread.
//!
//! The ring layer keeps one piece of per-thread kernel state: a registered ring fd is an index
//! into the registering thread's table (see
//! [`Ring::register_ring_fd`](super::Ring::register_ring_fd)).
//! A `Ring` is `Send` and its `Submitter` `Sync`, so before it enters through such an index the
//! submitter checks that it runs on the thread that registered it, by comparing tokens.
//!
//! A token is taken from a process-wide counter the first time a thread asks for one and is never
//! handed out again, not even after its thread has exited: thread-local addresses, `pthread_t`s
//! and thread ids are reused, tokens are not. 0 means "this thread has none". Reading the token
//! is one thread-local load (with `std`: a `#[thread_local]` cell; without: a pthread key),
//! no system call.
//!
//! A forked child starts with empty kernel tables, so the fork handler installed with the first
//! token clears the token of the child's only thread: a ring registered before the fork is not
//! entered through its index in the child.

use core::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

/// A thread's token: pointer-sized, so that no process runs out of them.
pub(crate) type Token = usize;

/// The next token to hand out.
static NEXT: AtomicUsize = AtomicUsize::new(1);

/// The calling thread's token, or 0 when it has none.
#[inline(always)]
pub(crate) fn current() -> Token {
    imp::get()
}

/// The calling thread's token, given one first if it has none; `None` when no token can be
/// handed out (the fork handler could not be installed, or the counter is exhausted).
pub(crate) fn current_or_new() -> Option<Token> {
    let token = imp::get();
    if token != 0 {
        return Some(token);
    }
    if !install_fork_handler() {
        return None;
    }
    let token = NEXT
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_add(1))
        .ok()?;
    imp::set(token).then_some(token)
}

/// Runs in a forked child, on its only thread.
extern "C" fn forget_in_child() {
    imp::set(0);
}

/// Installs [`forget_in_child`] once per process; whether it is installed.
fn install_fork_handler() -> bool {
    // 0: not installed, 1: being installed, 2: installed.
    static STATE: AtomicU8 = AtomicU8::new(0);
    loop {
        match STATE.compare_exchange(0, 1, Ordering::Acquire, Ordering::Acquire) {
            Ok(_) => {
                // SAFETY: registers a handler that only clears a thread-local value, which is
                // safe in a forked child.
                let ok = unsafe { libc::pthread_atfork(None, None, Some(forget_in_child)) } == 0;
                STATE.store(if ok { 2 } else { 0 }, Ordering::Release);
                return ok;
            }
            Err(2) => return true,
            Err(_) => core::hint::spin_loop(),
        }
    }
}

#[cfg(feature = "std")]
mod imp {
    use super::Token;
    use core::cell::Cell;

    std::thread_local! {
        // Const-initialised and without a destructor: reading it is a plain thread-local load
        // and works at every point of a thread's life.
        static TOKEN: Cell<Token> = const { Cell::new(0) };
    }

    #[inline(always)]
    pub(super) fn get() -> Token {
        TOKEN.with(Cell::get)
    }

    pub(super) fn set(token: Token) -> bool {
        TOKEN.with(|t| t.set(token));
        true
    }
}

#[cfg(not(feature = "std"))]
mod imp {
    use super::Token;
    use core::sync::atomic::{AtomicU32, Ordering};

    /// The pthread key holding the token, plus one; 0 until it is created.
    static KEY: AtomicU32 = AtomicU32::new(0);

    #[inline(always)]
    pub(super) fn get() -> Token {
        match KEY.load(Ordering::Acquire) {
            0 => 0,
            // SAFETY: the key was created (below) and is never deleted.
            key => unsafe { libc::pthread_getspecific((key - 1) as libc::pthread_key_t) as Token },
        }
    }

    fn key() -> Option<libc::pthread_key_t> {
        let key = KEY.load(Ordering::Acquire);
        if key != 0 {
            return Some((key - 1) as libc::pthread_key_t);
        }
        let mut new: libc::pthread_key_t = 0;
        // SAFETY: `new` is a valid out-pointer; no destructor.
        if unsafe { libc::pthread_key_create(&mut new, None) } != 0 {
            return None;
        }
        match KEY.compare_exchange(0, new as u32 + 1, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => Some(new),
            Err(theirs) => {
                // Another thread created one first: use it and give ours back.
                // SAFETY: `new` was created above and never handed out.
                unsafe { libc::pthread_key_delete(new) };
                Some((theirs - 1) as libc::pthread_key_t)
            }
        }
    }

    pub(super) fn set(token: Token) -> bool {
        let Some(key) = key() else {
            return false;
        };
        // SAFETY: a valid key; the value is a number stored as a pointer, never dereferenced.
        unsafe { libc::pthread_setspecific(key, token as *const core::ffi::c_void) == 0 }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::{current, current_or_new};

    #[test]
    fn tokens_are_per_thread_and_never_reused() {
        let mine = current_or_new().unwrap();
        assert_ne!(mine, 0);
        assert_eq!(current(), mine);
        assert_eq!(current_or_new(), Some(mine));
        let mut seen = std::vec![mine];
        for _ in 0..8 {
            // Each new thread (often reusing the previous one's stack and thread-local block)
            // starts without a token and gets a new one.
            let theirs = std::thread::spawn(|| {
                assert_eq!(current(), 0);
                current_or_new().unwrap()
            })
            .join()
            .unwrap();
            assert!(!seen.contains(&theirs));
            seen.push(theirs);
        }
        assert_eq!(current(), mine);
    }

    #[test]
    fn a_forked_child_starts_without_a_token() {
        let mine = current_or_new().unwrap();
        // SAFETY: the child only reads a thread-local and calls `_exit`, both fine after a fork
        // of a multi-threaded process.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0);
        if pid == 0 {
            let code = if current() == 0 { 0 } else { 1 };
            // SAFETY: ends the child at once, running nothing of the parent's.
            unsafe { libc::_exit(code) };
        }
        let mut status = 0;
        // SAFETY: waits for the child just forked; `status` is a valid out-pointer.
        assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
        assert!(libc::WIFEXITED(status));
        assert_eq!(
            libc::WEXITSTATUS(status),
            0,
            "the child kept the parent's token"
        );
        assert_eq!(current(), mine);
    }
}
