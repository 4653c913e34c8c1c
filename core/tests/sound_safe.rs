//! Soundness regressions reachable from safe code: a hostile user with no `unsafe` tries to
//! corrupt the driver's count, hang its drop, or lose an abandoned request's Cancellation.
//! (The compile-time half — SQE fields, `msg_ring`, `from_ring`, `poll_prepare` — is in the
//! `compile_fail` examples of `docs/SOUNDNESS.md`, run as doctests.)
#![forbid(unsafe_code)]

use ringcore::driver::{LocalDriver, SharedDriver};
use ringcore::event::events::{Nop, OpenAt, Read};
use ringcore::event::Submission;
use std::cell::RefCell;
use std::ffi::CString;
use std::future::Future;
use std::io::{Read as _, Write as _};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

/// Runs `f` on a thread and fails the test if it has not finished within five seconds (a
/// hang is the failure several findings produced).
fn within_5s<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(5))
        .unwrap_or_else(|_| panic!("{what} did not finish within 5 s (hang)"))
}

/// Tests that count the process's descriptors run one at a time; the others take it too.
static FDS: Mutex<()> = Mutex::new(());

struct PanicOnWake;
impl Wake for PanicOnWake {
    fn wake(self: Arc<Self>) {
        panic!("hostile waker");
    }
}

struct NoWake;
impl Wake for NoWake {
    fn wake(self: Arc<Self>) {}
}

fn poll_with<F: Future + Unpin>(fut: &mut F, waker: &Waker) -> Poll<F::Output> {
    Pin::new(fut).poll(&mut Context::from_waker(waker))
}

/// Finding 4: a waker that panics inside the dispatch loop must not leave the in-kernel count
/// wrong (it stayed 1 after the only request completed, and the driver's drop then looped
/// forever waiting for it).
#[test]
fn a_panicking_waker_leaves_the_count_right_and_drop_returns() {
    let _serial = FDS.lock().unwrap_or_else(|e| e.into_inner());
    within_5s("drop after a waker panic", || {
        let driver = LocalDriver::new(8).unwrap();
        // Run once, so that the first poll does not wake the task (a never-run driver's does,
        // see local_elsewhere.rs): the waker is to panic in the dispatch loop.
        driver.run_once(0).unwrap();
        let mut nop = driver.submit_event(Nop);
        let hostile = Waker::from(Arc::new(PanicOnWake));
        assert!(poll_with(&mut nop, &hostile).is_pending());
        assert_eq!(driver.in_flight(), 1);
        let run = catch_unwind(AssertUnwindSafe(|| driver.run_once(1)));
        assert!(
            run.is_err(),
            "the waker's panic reaches the caller of run_once"
        );
        assert_eq!(driver.in_flight(), 0, "the NOP's CQE was counted");
        // The result is still delivered.
        let quiet = Waker::from(Arc::new(NoWake));
        match poll_with(&mut nop, &quiet) {
            Poll::Ready((_, r)) => assert_eq!(r, Ok(0)),
            Poll::Pending => panic!("the NOP's result was lost"),
        }
        drop(nop);
        drop(driver);
    });
}

/// A pending read on a leaked (so `'static`) driver, parked where a waker can reach it.
type ParkedRead = Option<Submission<Read<Vec<u8>>, &'static LocalDriver>>;

thread_local! {
    static VICTIM: RefCell<ParkedRead> = const { RefCell::new(None) };
}

/// Drops the parked read when woken: the Submission's drop re-enters the driver while it is
/// dispatching completions.
struct DropVictimOnWake;
impl Wake for DropVictimOnWake {
    fn wake(self: Arc<Self>) {
        VICTIM.with(|v| drop(v.borrow_mut().take()));
    }
}

/// Finding 9: a Submission dropped from inside a waker (the driver busy dispatching) must be
/// cancelled, not forgotten: before, its Cancellation was leaked, no async cancel was sent,
/// and the read stayed in the kernel forever (`run_until_idle` never returned).
#[test]
fn a_submission_dropped_inside_a_waker_is_cancelled_not_leaked() {
    let _serial = FDS.lock().unwrap_or_else(|e| e.into_inner());
    within_5s("re-entrant cancellation", || {
        let driver: &'static LocalDriver = Box::leak(Box::new(LocalDriver::new(8).unwrap()));
        let (mut ours, theirs) = UnixStream::pair().unwrap();
        // A read that stays pending: nothing is written to `theirs` yet.
        let mut read = driver.submit_event(Read::new(theirs.as_raw_fd(), vec![0u8; 16], 0));
        let quiet = Waker::from(Arc::new(NoWake));
        assert!(poll_with(&mut read, &quiet).is_pending());
        driver.run_once(0).unwrap();
        VICTIM.with(|v| *v.borrow_mut() = Some(read));
        // A NOP whose waker drops the read while the driver dispatches the NOP's CQE.
        let mut nop = driver.submit_event(Nop);
        let dropper = Waker::from(Arc::new(DropVictimOnWake));
        assert!(poll_with(&mut nop, &dropper).is_pending());
        driver.run_once(1).unwrap();
        assert!(VICTIM.with(|v| v.borrow().is_none()), "the waker ran");
        assert!(matches!(
            poll_with(&mut nop, &quiet),
            Poll::Ready((_, Ok(0)))
        ));
        // The abandoned read is cancelled and its Cancellation runs.
        driver.run_until_idle().unwrap();
        assert_eq!(driver.in_flight(), 0);
        // Its cancel did not eat data written afterwards.
        ours.write_all(b"after").unwrap();
        let mut got = [0u8; 5];
        let mut theirs = theirs;
        theirs.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"after");
    });
}

thread_local! {
    static OPEN: RefCell<Option<Submission<OpenAt, &'static LocalDriver>>> =
        const { RefCell::new(None) };
}

struct DropOpenOnWake;
impl Wake for DropOpenOnWake {
    fn wake(self: Arc<Self>) {
        OPEN.with(|v| drop(v.borrow_mut().take()));
    }
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

/// Finding 9, second half: an open whose CQE (a new fd) was reaped, dropped from inside a
/// waker before anyone collected the fd. Before, the Cancellation was forgotten and the fd
/// leaked; now it is queued, adopted at the next run, and the orphan fd is closed.
#[test]
fn an_open_dropped_inside_a_waker_leaks_no_descriptor() {
    let _serial = FDS.lock().unwrap_or_else(|e| e.into_inner());
    within_5s("re-entrant drop of a completed open", || {
        let driver: &'static LocalDriver = Box::leak(Box::new(LocalDriver::new(8).unwrap()));
        let before = open_fds();
        let quiet = Waker::from(Arc::new(NoWake));
        for _ in 0..8 {
            let mut open = driver.submit_event(OpenAt {
                dirfd: libc::AT_FDCWD,
                path: CString::new("/dev/null").unwrap(),
                flags: libc::O_RDONLY | libc::O_CLOEXEC,
                mode: 0,
            });
            assert!(poll_with(&mut open, &quiet).is_pending());
            driver.run_once(0).unwrap();
            OPEN.with(|v| *v.borrow_mut() = Some(open));
            // The NOP goes in after the open, so its CQE is dispatched after the open's.
            let mut nop = driver.submit_event(Nop);
            let dropper = Waker::from(Arc::new(DropOpenOnWake));
            assert!(poll_with(&mut nop, &dropper).is_pending());
            while OPEN.with(|v| v.borrow().is_some()) {
                driver.run_once(1).unwrap();
            }
            driver.run_until_idle().unwrap();
        }
        assert_eq!(driver.in_flight(), 0);
        assert_eq!(open_fds(), before, "every orphaned descriptor was closed");
    });
}

/// Attack: `mem::forget` of every public future while its request is in the kernel. The
/// buffers leak (the kernel may still write into them, and nobody else ever gets them), the
/// driver still counts the requests, and its drop cancels and waits for them instead of
/// hanging or unmapping under them.
#[test]
fn forgotten_futures_leak_their_buffers_and_drop_still_returns() {
    let _serial = FDS.lock().unwrap_or_else(|e| e.into_inner());
    within_5s("drop after forgotten futures", || {
        let driver = LocalDriver::new(16).unwrap();
        let (_ours, theirs) = UnixStream::pair().unwrap();
        let quiet = Waker::from(Arc::new(NoWake));
        let mut single = driver.submit_event(Read::new(theirs.as_raw_fd(), vec![0u8; 8], 0));
        assert!(poll_with(&mut single, &quiet).is_pending());
        let mut batch = ringcore::event::Batch::with_capacity(2);
        batch.push(Read::new(theirs.as_raw_fd(), vec![0u8; 8], 0));
        batch.push(Read::new(theirs.as_raw_fd(), vec![0u8; 8], 0));
        let mut batch = driver.submit_batch(batch);
        assert!(poll_with(&mut batch, &quiet).is_pending());
        driver.run_once(0).unwrap();
        std::mem::forget(single);
        std::mem::forget(batch);
        assert_eq!(driver.in_flight(), 2, "one request and one batch");
        drop(driver);
    });
}

/// A pending read of a `SharedDriver`, which a waker drops.
type SharedRead = Arc<Mutex<Option<Submission<Read<Vec<u8>>, SharedDriver>>>>;

struct DropSharedOnWake(SharedRead);
impl Wake for DropSharedOnWake {
    fn wake(self: Arc<Self>) {
        drop(self.0.lock().unwrap().take());
    }
}

/// The same re-entrancy on a `SharedDriver`, whose wakers run under its lock: the dropped
/// Submission's cancel must not wait for that lock (before, it deadlocked the thread).
#[test]
fn a_shared_submission_dropped_inside_a_waker_does_not_deadlock() {
    let _serial = FDS.lock().unwrap_or_else(|e| e.into_inner());
    within_5s("re-entrant cancellation on a SharedDriver", || {
        let driver = SharedDriver::new(8).unwrap();
        let (_ours, theirs) = UnixStream::pair().unwrap();
        let mut read = Submission::new(
            Read::new(theirs.as_raw_fd(), vec![0u8; 16], 0),
            driver.clone(),
        );
        let quiet = Waker::from(Arc::new(NoWake));
        assert!(poll_with(&mut read, &quiet).is_pending());
        driver.run_once().unwrap();
        let parked: SharedRead = Arc::new(Mutex::new(Some(read)));
        let mut nop = driver.submit_event(Nop);
        let dropper = Waker::from(Arc::new(DropSharedOnWake(parked.clone())));
        assert!(poll_with(&mut nop, &dropper).is_pending());
        while parked.lock().unwrap().is_some() {
            driver.run_once().unwrap();
        }
        while driver.in_flight() > 0 {
            driver.run_once().unwrap();
            std::thread::sleep(Duration::from_millis(1));
        }
        drop(nop);
        drop(driver);
    });
}
