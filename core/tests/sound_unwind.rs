//! Finding 3: an event whose `prepare` panics after it filled its SQE. Before, the SQE stayed
//! queued while the unwinding Submission dropped the event and freed its buffer, and the next
//! submit sent a read into freed memory (in a batch, already prepared members were dropped as
//! if never prepared, their SQEs still queued). Now the driver takes the SQEs back as the
//! panic passes through it. The test sees it from outside: data written to the sockets
//! afterwards must still be there, not consumed by a stale read.

use ringcore::driver::LocalDriver;
use ringcore::event::{Batch, Cancellation, Event};
use ringcore::{op, Entry};
use std::future::Future;
use std::io::{ErrorKind, Read as _, Write as _};
use std::mem::ManuallyDrop;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

/// A read into its own heap buffer whose `prepare` panics after filling the SQE when asked to.
struct ReadThenPanic {
    fd: i32,
    buf: Box<[u8; 16]>,
    panic: bool,
}

impl Event for ReadThenPanic {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        // SAFETY: the buffer is the event's, on the heap; the driver keeps the event until the
        // CQE (the contract), and takes the SQE back if this panics.
        unsafe { op::read(sqe, self.fd, self.buf.as_mut_ptr(), 16, 0) };
        if self.panic {
            panic!("prepare panicked after filling its SQE");
        }
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again.
        let this = unsafe { ManuallyDrop::take(this) };
        Cancellation::from_box(this.buf)
    }
}

struct NoWake;
impl Wake for NoWake {
    fn wake(self: Arc<Self>) {}
}

fn poll_once<F: Future + Unpin>(fut: &mut F) -> Poll<F::Output> {
    let waker = Waker::from(Arc::new(NoWake));
    Pin::new(fut).poll(&mut Context::from_waker(&waker))
}

/// Lets the driver submit whatever it has queued, then gives the kernel time to run it.
fn settle(driver: &LocalDriver) {
    driver.run_once(0).unwrap();
    std::thread::sleep(Duration::from_millis(50));
    driver.run_once(0).unwrap();
}

/// What a nonblocking read of `s` finds.
fn waiting_bytes(s: &mut UnixStream) -> Vec<u8> {
    s.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 64];
    match s.read(&mut buf) {
        Ok(n) => buf[..n].to_vec(),
        Err(e) if e.kind() == ErrorKind::WouldBlock => Vec::new(),
        Err(e) => panic!("read: {e}"),
    }
}

#[test]
fn a_panicking_prepare_sends_no_sqe() {
    let driver = LocalDriver::new(8).unwrap();
    let (mut tx, mut rx) = UnixStream::pair().unwrap();
    let mut sub = driver.submit_event(ReadThenPanic {
        fd: rx.as_raw_fd(),
        buf: Box::new([0; 16]),
        panic: true,
    });
    assert!(catch_unwind(AssertUnwindSafe(|| poll_once(&mut sub))).is_err());
    drop(sub); // frees the buffer the filled SQE names
    assert_eq!(driver.in_flight(), 0);
    tx.write_all(b"still here").unwrap();
    settle(&driver);
    assert_eq!(
        waiting_bytes(&mut rx),
        b"still here",
        "no stale read consumed the data"
    );
    // The driver goes on working.
    let mut ok = driver.submit_event(ReadThenPanic {
        fd: rx.as_raw_fd(),
        buf: Box::new([0; 16]),
        panic: false,
    });
    tx.write_all(b"next").unwrap();
    let (event, res) = driver.block_on(&mut ok).unwrap();
    assert_eq!(res, Ok(4));
    assert_eq!(&event.buf[..4], b"next");
}

#[test]
fn a_panicking_batch_member_sends_no_sqe_of_its_fill() {
    let driver = LocalDriver::new(8).unwrap();
    let (mut tx1, mut rx1) = UnixStream::pair().unwrap();
    let (mut tx2, mut rx2) = UnixStream::pair().unwrap();
    let mut batch = Batch::with_capacity(2);
    batch.push(ReadThenPanic {
        fd: rx1.as_raw_fd(),
        buf: Box::new([0; 16]),
        panic: false,
    });
    batch.push(ReadThenPanic {
        fd: rx2.as_raw_fd(),
        buf: Box::new([0; 16]),
        panic: true,
    });
    let mut sub = driver.submit_batch(batch);
    assert!(catch_unwind(AssertUnwindSafe(|| poll_once(&mut sub))).is_err());
    assert_eq!(sub.prepared(), 0, "no member counts as given to the kernel");
    drop(sub); // drops both events, as never prepared
    tx1.write_all(b"one").unwrap();
    tx2.write_all(b"two").unwrap();
    settle(&driver);
    assert_eq!(waiting_bytes(&mut rx1), b"one");
    assert_eq!(waiting_bytes(&mut rx2), b"two");
    driver.run_until_idle().unwrap();
    assert_eq!(driver.in_flight(), 0);
}

/// Sets its flag when dropped: stands for memory the kernel may still write into.
struct Freed(Arc<std::sync::atomic::AtomicBool>);
impl Drop for Freed {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// Panics when dropped.
struct PanicOnDrop;
impl Drop for PanicOnDrop {
    fn drop(&mut self) {
        panic!("Cancellation dropped");
    }
}

/// A NOP whose Cancellation panics when the driver drops it.
struct NopPanickyCancel;
impl Event for NopPanickyCancel {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        op::nop(sqe);
    }
    unsafe fn cancel(_: &mut ManuallyDrop<Self>) -> Cancellation {
        Cancellation::from_box(Box::new(PanicOnDrop))
    }
}

/// A read whose Cancellation records its drop.
struct TrackedRead {
    fd: i32,
    buf: Box<[u8; 16]>,
    freed: Arc<std::sync::atomic::AtomicBool>,
}
impl Event for TrackedRead {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        // SAFETY: the buffer is the event's, on the heap, moved into the Cancellation.
        unsafe { op::read(sqe, self.fd, self.buf.as_mut_ptr(), 16, 0) };
    }
    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again.
        let this = unsafe { ManuallyDrop::take(this) };
        Cancellation::from_box(Box::new((this.buf, Freed(this.freed))))
    }
}

/// A Cancellation that panics while the driver's drop waits for the kernel must not make the
/// drop free what the kernel still owns: before, unwinding out of the drain dropped the
/// registry (and every parked Cancellation with it) and unmapped the ring.
#[test]
fn a_cancellation_panicking_in_the_drivers_drop_frees_nothing_early() {
    let driver = LocalDriver::new(8).unwrap();
    let (_tx, rx) = UnixStream::pair().unwrap();
    let freed = Arc::new(std::sync::atomic::AtomicBool::new(false));
    // Eager: submitted as they are polled, and nothing reaps their CQEs until the drop.
    let mut nop = driver.submit_event(NopPanickyCancel).eager();
    assert!(poll_once(&mut nop).is_pending());
    let mut read = driver
        .submit_event(TrackedRead {
            fd: rx.as_raw_fd(),
            buf: Box::new([0; 16]),
            freed: freed.clone(),
        })
        .eager();
    assert!(poll_once(&mut read).is_pending());
    std::thread::sleep(Duration::from_millis(20));
    // Both abandoned: the NOP has completed (its CQE waits in the ring), the read has not.
    drop(nop);
    drop(read);
    let dropped = catch_unwind(AssertUnwindSafe(move || drop(driver)));
    assert!(
        dropped.is_err(),
        "the Cancellation's panic reaches the caller"
    );
    assert!(
        !freed.load(std::sync::atomic::Ordering::SeqCst),
        "the read's buffer was freed while the kernel may still write into it"
    );
}
