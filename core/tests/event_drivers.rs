//! The drivers: the local run loop, backpressure, linked chains, and the shared driver used
//! from several threads.

use ringcore::driver::{LocalDriver, SharedDriver};
use ringcore::event::events::{Nop, Read, Write, CURRENT_POSITION};
use ringcore::event::{Cancellation, Event, Submission};
use ringcore::{sys, Entry, Errno};
use std::future::Future;
use std::mem::ManuallyDrop;
use std::pin::Pin;
use std::task::Poll;
use std::time::{Duration, Instant};

fn pipe() -> (i32, i32) {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two fds.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    (fds[0], fds[1])
}

fn close(fd: i32) {
    // SAFETY: closes an fd this test owns, once.
    unsafe { libc::close(fd) };
}

/// Polls every submission until all are done; returns the results in order.
fn join_all<F: Future + Unpin>(subs: Vec<F>) -> impl Future<Output = Vec<F::Output>> {
    let mut subs: Vec<Option<F>> = subs.into_iter().map(Some).collect();
    let mut out: Vec<Option<F::Output>> = subs.iter().map(|_| None).collect();
    std::future::poll_fn(move |cx| {
        for (sub, slot) in subs.iter_mut().zip(out.iter_mut()) {
            if let Some(f) = sub {
                if let Poll::Ready(v) = Pin::new(f).poll(cx) {
                    *slot = Some(v);
                    *sub = None;
                }
            }
        }
        if out.iter().all(Option::is_some) {
            Poll::Ready(out.iter_mut().map(|o| o.take().unwrap()).collect())
        } else {
            Poll::Pending
        }
    })
}

#[test]
fn batches_larger_than_the_sq_complete_through_backpressure() {
    let driver = LocalDriver::new(8).unwrap();
    for _ in 0..3 {
        let subs: Vec<_> = (0..100).map(|_| Submission::new(Nop, &driver)).collect();
        let results = driver.block_on(join_all(subs)).unwrap();
        assert_eq!(results.len(), 100);
        assert!(results.iter().all(|(_, r)| *r == Ok(0)));
    }
    assert_eq!(driver.in_flight(), 0);
}

#[test]
fn block_on_reports_a_future_that_can_never_wake() {
    let driver = LocalDriver::new(4).unwrap();
    let never = std::future::pending::<()>();
    assert_eq!(driver.block_on(never), Err(Errno::EDEADLK));
    // The driver still works afterwards.
    assert_eq!(driver.block_on(driver.submit_event(Nop)).unwrap().1, Ok(0));
}

/// A read linked to a timeout: a two-SQE chain. The timeout's CQE is not delivered.
struct ReadWithTimeout {
    read: Read<Vec<u8>>,
    ts: Box<sys::Timespec>,
}

impl Event for ReadWithTimeout {
    fn sqe_count(&self) -> u32 {
        2
    }
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        // SAFETY: forwarded: this event upholds the contract for its read.
        unsafe { self.read.prepare(sqe) }
    }
    unsafe fn prepare_linked(&mut self, index: u32, sqe: &mut Entry) {
        assert_eq!(index, 1);
        // SAFETY: the test keeps whatever these fields point to alive until the CQE is
        // reaped (or names no memory: the kernel rejects the SQE).
        let raw = unsafe { sqe.sqe_mut() };
        raw.opcode = sys::IORING_OP_LINK_TIMEOUT;
        raw.fd = -1;
        raw.addr.addr = &*self.ts as *const sys::Timespec as u64;
        raw.len = 1;
    }
    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; not used again.
        let this = unsafe { ManuallyDrop::take(this) };
        Cancellation::pair(
            Cancellation::from_vec(this.read.buf),
            Cancellation::from_box(this.ts),
        )
    }
}

#[test]
fn linked_chains_deliver_the_first_cqe_only() {
    let driver = LocalDriver::new(4).unwrap();
    let (rd, wr) = pipe();
    let start = Instant::now();
    let (_, res) = driver
        .block_on(driver.submit_event(ReadWithTimeout {
            read: Read::new(rd, vec![0; 8], CURRENT_POSITION),
            ts: Box::new(sys::Timespec {
                tv_sec: 0,
                tv_nsec: 20_000_000,
            }),
        }))
        .unwrap();
    assert_eq!(
        res,
        Err(Errno::ECANCELED),
        "the link timeout cut the read short"
    );
    assert!(start.elapsed() >= Duration::from_millis(20));
    driver.run_once(0).unwrap();
    assert_eq!(driver.in_flight(), 0);
    close(rd);
    close(wr);
}

/// An event asking for more SQEs than the ring has.
struct TooLong;
impl Event for TooLong {
    fn sqe_count(&self) -> u32 {
        1000
    }
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        // SAFETY: the test keeps whatever these fields point to alive until the CQE is
        // reaped (or names no memory: the kernel rejects the SQE).
        let raw = unsafe { sqe.sqe_mut() };
        raw.opcode = sys::IORING_OP_NOP;
    }
    unsafe fn cancel(_: &mut ManuallyDrop<Self>) -> Cancellation {
        Cancellation::null()
    }
}

#[test]
fn a_chain_longer_than_the_sq_is_an_error() {
    let driver = LocalDriver::new(4).unwrap();
    let (_, res) = driver.block_on(driver.submit_event(TooLong)).unwrap();
    assert_eq!(res, Err(Errno::EINVAL));
    assert_eq!(driver.in_flight(), 0);
}

#[test]
fn shared_driver_serves_four_threads() {
    const THREADS: usize = 4;
    const PER_THREAD: usize = 200;
    let driver = SharedDriver::new(32).unwrap();
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let driver = driver.clone();
            std::thread::spawn(move || {
                let (rd, wr) = pipe();
                let mut bytes = 0;
                for i in 0..PER_THREAD {
                    let msg = vec![(t * 10 + i % 10) as u8; 1 + i % 7];
                    let (w, res) = driver
                        .block_on(driver.submit_event(Write::new(wr, msg, CURRENT_POSITION)))
                        .unwrap();
                    assert_eq!(res, Ok(w.buf.len() as u32));
                    let (r, res) = driver
                        .block_on(driver.submit_event(Read::new(
                            rd,
                            vec![0u8; 16],
                            CURRENT_POSITION,
                        )))
                        .unwrap();
                    let n = res.unwrap() as usize;
                    assert_eq!(&r.buf[..n], &w.buf[..]);
                    bytes += n;
                }
                close(rd);
                close(wr);
                bytes
            })
        })
        .collect();
    let total: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    let per_thread: usize = (0..PER_THREAD).map(|i| 1 + i % 7).sum();
    assert_eq!(total, THREADS * per_thread);
    assert_eq!(driver.in_flight(), 0);
}

#[test]
fn shared_driver_drop_waits_for_reads_abandoned_on_other_threads() {
    let driver = SharedDriver::new(16).unwrap();
    let (rd, wr) = pipe();
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let driver = driver.clone();
            std::thread::spawn(move || {
                for _ in 0..10 {
                    let mut sub =
                        driver.submit_event(Read::new(rd, vec![0u8; 8], CURRENT_POSITION));
                    let out = driver
                        .block_on(std::future::poll_fn(|cx| {
                            Poll::Ready(Pin::new(&mut sub).poll(cx).is_pending())
                        }))
                        .unwrap();
                    assert!(out, "an empty pipe has nothing to read");
                    // Dropped while the kernel owns its buffer.
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(driver.in_flight(), 40);
    let start = Instant::now();
    drop(driver);
    assert!(start.elapsed() < Duration::from_secs(5));
    close(rd);
    close(wr);
}

#[test]
fn with_timeout_cuts_a_read_short_and_lets_a_fast_event_through() {
    use ringcore::event::events::WithTimeout;
    let driver = LocalDriver::new(8).unwrap();
    let (rd, wr) = pipe();
    let start = Instant::now();
    let read = WithTimeout::new(
        Read::new(rd, vec![0u8; 8], CURRENT_POSITION),
        Duration::from_millis(20),
    );
    let (read, res) = driver.block_on(driver.submit_event(read)).unwrap();
    assert_eq!(res, Err(Errno::ECANCELED));
    assert!(start.elapsed() >= Duration::from_millis(20));
    assert_eq!(read.into_inner().buf.len(), 8);

    let start = Instant::now();
    let nop = WithTimeout::new(Nop, Duration::from_secs(10));
    let (_, res) = driver.block_on(driver.submit_event(nop)).unwrap();
    assert_eq!(res, Ok(0));
    driver.run_once(0).unwrap();
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(driver.in_flight(), 0);
    close(rd);
    close(wr);
}

#[test]
fn local_driver_runs_completion_work_cooperatively_where_the_kernel_can() {
    use ringcore::sys::SetupFlags;
    use ringcore::Ring;
    let coop = SetupFlags::COOP_TASKRUN | SetupFlags::TASKRUN_FLAG;
    let driver = LocalDriver::new(8).unwrap();
    match Ring::builder(8).coop_taskrun().taskrun_flag().build() {
        Err(Errno::EINVAL) => {
            // A plain ring is the fallback on kernels before 5.19.
            assert!(!driver.setup_flags().intersects(coop));
            println!("SKIPPED: kernel lacks COOP_TASKRUN|TASKRUN_FLAG");
        }
        other => {
            other.unwrap();
            assert!(driver.setup_flags().contains(coop));
            // Not tied to the creating thread: the driver may move.
            assert!(!driver.setup_flags().contains(SetupFlags::SINGLE_ISSUER));
        }
    }
}

/// A receive becomes ready (another thread writes) while this thread spins in user space; a
/// non-waiting `run_once(0)` must still deliver it. With `COOP_TASKRUN` the kernel holds the
/// completion as task work of this thread, so this checks that the driver notices the
/// `TASKRUN` flag and enters to collect it.
#[test]
fn run_once_collects_a_completion_that_arrived_while_the_thread_was_busy() {
    use ringcore::event::events::Recv;
    use std::io::Write as _;
    use std::os::fd::AsRawFd;
    use std::os::unix::net::UnixStream;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::task::{Context, Waker};

    let driver = LocalDriver::new(8).unwrap();
    for round in 0..20u8 {
        let (a, b) = UnixStream::pair().unwrap();
        let mut recv = driver.submit_event(Recv {
            fd: a.as_raw_fd(),
            buf: vec![0u8; 16],
            flags: 0,
        });
        let mut cx = Context::from_waker(Waker::noop());
        assert!(Pin::new(&mut recv).poll(&mut cx).is_pending());
        // Submits the receive, which finds no data and waits in the kernel.
        assert_eq!(driver.run_once(0).unwrap(), 0);
        assert!(recv.is_in_flight());
        let wrote = Arc::new(AtomicBool::new(false));
        let writer = {
            let wrote = wrote.clone();
            std::thread::spawn(move || {
                (&b).write_all(&[round; 4]).unwrap();
                wrote.store(true, Ordering::Release);
                b
            })
        };
        // No syscall on this thread until the data is in the socket.
        while !wrote.load(Ordering::Acquire) {
            std::hint::spin_loop();
        }
        assert_eq!(driver.run_once(0).unwrap(), 1, "round {round}");
        match Pin::new(&mut recv).poll(&mut cx) {
            Poll::Ready((ev, Ok(4))) => assert_eq!(&ev.buf[..4], &[round; 4]),
            Poll::Ready((_, res)) => panic!("round {round}: receive ended {res:?}"),
            Poll::Pending => panic!("round {round}: completion not delivered"),
        }
        drop(writer.join().unwrap());
    }
    assert_eq!(driver.in_flight(), 0);
}

/// A driver made on one thread serves another, and a thread asleep in the driver's wait is
/// woken by a completion that another thread causes.
#[test]
fn local_driver_moves_to_another_thread_and_wakes_there() {
    use ringcore::event::events::Recv;
    use std::io::Write as _;
    use std::os::fd::AsRawFd;
    use std::os::unix::net::UnixStream;

    let driver = LocalDriver::new(8).unwrap();
    let (a, b) = UnixStream::pair().unwrap();
    let server = std::thread::spawn(move || {
        let (_, nop) = driver.block_on(driver.submit_event(Nop)).unwrap();
        assert_eq!(nop, Ok(0));
        let recv = Recv {
            fd: a.as_raw_fd(),
            buf: vec![0u8; 16],
            flags: 0,
        };
        let (ev, res) = driver.block_on(driver.submit_event(recv)).unwrap();
        assert_eq!(res, Ok(5));
        assert_eq!(&ev.buf[..5], b"wake!");
        assert_eq!(driver.in_flight(), 0);
    });
    // Long enough for the server to be asleep in io_uring_enter, waiting for the receive.
    std::thread::sleep(Duration::from_millis(50));
    (&b).write_all(b"wake!").unwrap();
    server.join().unwrap();
}
