//! A hostile review's attempts to break ringcore's promise from safe code (see
//! docs/SOUNDNESS.md): each test asserts that the promise holds, so it fails if the attack
//! works. Everything here is safe Rust; helpers use std's safe APIs only.
#![forbid(unsafe_code)]

use ringcore::driver::LocalDriver;
use ringcore::event::events::Nop;
use ringcore::op::{self, SqeOptions};
use ringcore::register::BufRing;
use ringcore::{Errno, Ring};
use std::io::Write as _;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::Duration;

/// Runs `f` on a thread and fails the test if it has not finished within `secs` seconds.
fn within<T: Send + 'static>(secs: u64, what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(secs))
        .unwrap_or_else(|_| panic!("{what} did not finish within {secs} s (hang)"))
}

/// Tests that depend on which descriptor numbers or address ranges come next run one at a
/// time.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

fn wait_cqe(ring: &mut Ring) -> ringcore::Cqe {
    ring.submit_and_wait_timeout(1, Duration::from_secs(2))
        .expect("a CQE within 2 s");
    let cqe = ring.peek_cqe().expect("a CQE");
    ring.cqe_seen();
    cqe
}

/// Preparers write only the fields their opcode uses; a second preparer on the same entry
/// used to inherit the first one's. `fadvise` puts its advice in the op-flags word and its
/// offset in `off`/`addr2`; `timeout_remove` then read the advice as `IORING_TIMEOUT_UPDATE`
/// and the offset as a pointer to the new timespec: the kernel read 16 bytes at an address
/// safe code chose (here a Vec's, which safe code may free). The result must not depend on that memory.
#[test]
fn a_preparer_does_not_inherit_another_preparers_fields() {
    let mut ring = Ring::new(4).unwrap();
    let mut results = Vec::new();
    for tv_sec in [-1i64, 0] {
        let mut ts = tv_sec.to_ne_bytes().to_vec();
        ts.extend_from_slice(&0i64.to_ne_bytes());
        let sqe = ring.get_sqe().unwrap();
        // advice 2 == IORING_TIMEOUT_UPDATE; offset == the Vec's address, which safe code
        // may free at any time.
        op::fadvise(sqe, 0, ts.as_ptr() as u64, 0, 2);
        op::timeout_remove(sqe, 12345);
        results.push(wait_cqe(&mut ring).res);
        drop(ts);
    }
    // A plain remove of an unknown timeout: ENOENT, whatever the freed memory held.
    assert_eq!(results, [-Errno::ENOENT.raw(), -Errno::ENOENT.raw()]);
}

/// The same for every pair of safe preparers: after the second one, no field the first one
/// wrote survives unless the second one wrote it too (compared with the second one alone).
#[test]
fn every_safe_preparer_writes_a_whole_entry() {
    type Prep = fn(&mut ringcore::Entry);
    let preps: &[(&str, Prep)] = &[
        ("fadvise", |s| {
            op::fadvise(s, 3, 0xdead_0000, 0xbeef_0000, 2)
        }),
        ("fallocate", |s| {
            op::fallocate(s, 3, 1, 0xdead_0000, 0xbeef_0000)
        }),
        ("sync_file_range", |s| {
            op::sync_file_range(s, 3, 0xdead_0000, 7, 3)
        }),
        ("splice", |s| {
            op::splice(s, 3, 0xdead_0000, 4, 0xbeef_0000, 9, 1)
        }),
        ("tee", |s| op::tee(s, 3, 4, 9, 1)),
        ("cancel", |s| op::cancel(s, 0xdead_0000, Default::default())),
        ("cancel_any", |s| op::cancel_any(s)),
        ("poll_add", |s| op::poll_add(s, 3, 1)),
        ("poll_remove", |s| op::poll_remove(s, 0xdead_0000)),
        ("poll_update", |s| {
            op::poll_update(s, 0xdead_0000, 0xbeef_0000, 1, 3)
        }),
        ("timeout_remove", |s| op::timeout_remove(s, 0xdead_0000)),
        ("nop", |s| op::nop(s)),
        ("nop_inject", |s| op::nop_inject(s, 5)),
        ("close_direct", |s| op::close_direct(s, 2)),
        ("fsync", |s| op::fsync(s, 3, true)),
        ("ftruncate", |s| op::ftruncate(s, 3, 0xdead_0000)),
        ("read_provided", |s| {
            op::read_provided(s, 3, 8, 0xdead_0000, 1)
        }),
        ("recv_provided", |s| op::recv_provided(s, 3, 8, 1, 1)),
        ("send_bundle", |s| op::send_bundle(s, 3, 8, 1, 1)),
        ("accept_multishot", |s| op::accept_multishot(s, 3, 1)),
        ("socket", |s| op::socket(s, 2, 1, 0, 0)),
        ("listen", |s| op::listen(s, 3, 5)),
        ("shutdown", |s| op::shutdown(s, 3, 1)),
        ("remove_buffers", |s| op::remove_buffers(s, 3, 1)),
        ("cmd_discard", |s| {
            op::cmd_discard(s, 3, 0xdead_0000, 0xbeef_0000)
        }),
        ("sock_siocinq", |s| op::sock_siocinq(s, 3)),
        ("fixed_fd_install", |s| op::fixed_fd_install(s, 2, 0)),
        ("direct_slot", |s| {
            op::nop(s);
            s.direct_slot(0xdead);
        }),
    ];
    let words = |e: &ringcore::Sqe| {
        let mut w = e.as_words();
        // The options a caller may set before or after preparing (`SqeOptions`), which the
        // preparers keep: the flags byte; buffer group, personality and direct slot.
        w[0] &= !0xff00;
        w[5] = 0;
        w
    };
    // Entries of a ring that is never submitted: `from_sqe_mut` on a stack value is unsafe.
    let mut ring = Ring::new(2048).unwrap();
    let mut broken = Vec::new();
    for (first_name, first) in preps {
        for (second_name, second) in preps {
            let a = ring.get_sqe().unwrap();
            first(a);
            second(a);
            let a = **a;
            let b = ring.get_sqe().unwrap();
            second(b);
            // Everything but the caller's options must be the second preparer's alone.
            if words(&a) != words(b) {
                broken.push(format!("{first_name} then {second_name}: {a:?}"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "stale fields survive:\n{}",
        broken.join("\n")
    );
}

/// BufRing's docs warned: dropping it while a request that took one of its buffers is in
/// flight lets the kernel write into unmapped memory, which the next mapping may reuse. A
/// read forced to io-wq (`force_async`) on a socket takes (and commits) its buffer, finds no
/// data and waits; the BufRing is dropped; fresh memory of the same size is mapped; data
/// arrives. The fresh memory must stay untouched.
#[test]
fn dropping_a_buf_ring_under_a_request_frees_nothing_the_kernel_writes() {
    let _serial = serial();
    let mut ring = Ring::new(8).unwrap();
    let (mut tx, rx) = UnixStream::pair().unwrap();
    const LEN: u32 = 1 << 20;
    let br = BufRing::new(&ring, 7, 1, LEN).unwrap();
    let sqe = ring.get_sqe().unwrap();
    op::read_provided(sqe, rx.as_raw_fd(), 64, 0, 7);
    sqe.force_async().user_data(1);
    ring.submit().unwrap();
    // Let the worker take the buffer and park on the socket.
    std::thread::sleep(Duration::from_millis(50));
    drop(br);
    // Same size as the BufRing's mapping (one page of descriptors + 1 MiB): malloc maps
    // these, and the kernel hands out the hole just freed.
    let victims: Vec<Vec<u8>> = (0..4).map(|_| vec![0u8; LEN as usize]).collect();
    tx.write_all(&[0xAB; 64]).unwrap();
    let cqe = wait_cqe(&mut ring);
    let hit = victims.iter().any(|v| v.iter().any(|&b| b != 0));
    assert!(
        !hit,
        "the kernel wrote into memory safe code owns (res {})",
        cqe.res
    );
    assert!(
        cqe.res < 0,
        "the read completed into a buffer of a dropped BufRing (res {})",
        cqe.res
    );
}

/// `op::close` and the `Close` event closed any descriptor number from safe code (a ringcore
/// stream's fd, then reopened as a std `File`: the stream's drop closed the `File`'s fd, and
/// std aborted on the I/O-safety violation). They are `unsafe` now (compile-fail examples in
/// docs/SOUNDNESS.md). What is left safe must not close a number it was not given:
/// `close_direct` after a preparer that named an fd closes no regular fd.
#[test]
fn close_direct_closes_no_regular_descriptor() {
    let _serial = serial();
    let victim = std::fs::File::open("/dev/null").unwrap();
    let mut ring = Ring::new(4).unwrap();
    for slot in [0, 5, u32::MAX] {
        let sqe = ring.get_sqe().unwrap();
        op::fsync(sqe, victim.as_raw_fd(), false);
        op::close_direct(sqe, slot);
        assert!(
            wait_cqe(&mut ring).res < 0,
            "no file table: nothing to close"
        );
    }
    assert!(victim.metadata().is_ok(), "the File's fd was closed");
}

/// A driver's requests are its own: a NOP through the driver still works after the attacks
/// above (sanity check that the helpers do not break the driver by themselves).
#[test]
fn sanity_nop_through_a_driver() {
    let _serial = serial();
    let driver = LocalDriver::new(4).unwrap();
    let (_, res) = driver.block_on(driver.submit_event(Nop)).unwrap();
    assert_eq!(res, Ok(0));
}

fn poll_once<F: std::future::Future + Unpin>(fut: &mut F) -> std::task::Poll<F::Output> {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    std::pin::Pin::new(fut).poll(&mut cx)
}

/// A `SINGLE_ISSUER | DEFER_TASKRUN` driver moved to another thread and dropped there with a
/// read it abandoned: the kernel refuses that thread (`EEXIST`), so the drop cannot wait; it
/// must return (leaking the buffer), not hang or free it.
#[test]
fn a_single_issuer_driver_dropped_on_another_thread_returns() {
    let driver = LocalDriver::with_builder(
        Ring::builder(8)
            .single_issuer()
            .defer_taskrun()
            .taskrun_flag(),
    )
    .unwrap();
    let (_tx, rx) = UnixStream::pair().unwrap();
    {
        let mut read = driver
            .submit_event(ringcore::event::events::Read::new(
                rx.as_raw_fd(),
                vec![0u8; 64],
                0,
            ))
            .eager();
        assert!(poll_once(&mut read).is_pending());
    }
    assert_eq!(driver.in_flight(), 1);
    within(3, "the drop on another thread", move || drop(driver));
    drop(rx);
}

/// `resize_rings` while an SQE is taken and not yet submitted: the entry would be lost (or
/// the kernel would copy a half-filled one); it must refuse.
#[test]
fn resize_refuses_while_an_sqe_is_taken() {
    let mut ring = match Ring::builder(8)
        .single_issuer()
        .defer_taskrun()
        .no_sqarray(true)
        .build()
    {
        Ok(r) => r,
        Err(_) => return, // no DEFER_TASKRUN here
    };
    op::nop(ring.get_sqe().unwrap());
    assert_eq!(ring.resize_rings(16, 0), Err(Errno::EBUSY));
    ring.submit_and_wait(1).unwrap();
    assert_eq!(ring.resize_rings(16, 0), Ok(()));
}

/// A forgotten `SqBatch` never writes its cursor back: what it took is not published, and the
/// next SQE taken is the same slot, zeroed again.
#[test]
fn a_forgotten_sq_batch_publishes_nothing() {
    let mut ring = Ring::new(4).unwrap();
    {
        let mut batch = ring.sq_batch();
        for ud in [1, 2] {
            let sqe = batch.get_sqe().unwrap();
            op::nop(sqe);
            sqe.user_data(ud);
        }
        std::mem::forget(batch);
    }
    let sqe = ring.get_sqe().unwrap();
    assert_eq!(sqe.user_data, 0, "a taken slot came back unzeroed");
    op::nop(sqe);
    sqe.user_data(3);
    ring.submit_and_wait(1).unwrap();
    let mut seen = Vec::new();
    ring.completions().for_each(|c| seen.push(c.user_data));
    assert_eq!(seen, [3]);
}

/// A driver over a ring with 128-byte SQEs and 32-byte CQEs (`with_builder` takes any
/// builder): requests still complete, and the driver's drop returns.
#[test]
fn a_driver_over_sqe128_cqe32_rings_works() {
    within(3, "the SQE128/CQE32 driver", || {
        let driver = LocalDriver::with_builder(Ring::builder(4).sqe128().cqe32()).unwrap();
        for _ in 0..10 {
            let (_, res) = driver.block_on(driver.submit_event(Nop)).unwrap();
            assert_eq!(res, Ok(0));
        }
        assert_eq!(driver.in_flight(), 0);
    });
}

/// A multishot timeout submitted as a single-shot request (`Timeout::flags` takes any flag):
/// its CQEs carry `MORE`, so the request must stay in flight — counted, its timespec kept —
/// until the kernel's last CQE; dropping it, then the driver, must return.
#[test]
fn a_multishot_timeout_as_a_single_request_keeps_the_count() {
    within(3, "the multishot timeout", || {
        let driver = LocalDriver::new(8).unwrap();
        {
            let mut t = driver.submit_event(
                ringcore::event::events::Timeout::new(Duration::from_millis(1))
                    .flags(ringcore::sys::TimeoutFlags::MULTISHOT),
            );
            assert!(poll_once(&mut t).is_pending());
            for _ in 0..5 {
                driver.run_once(1).unwrap();
            }
            assert!(poll_once(&mut t).is_pending(), "completed on a MORE CQE");
            assert_eq!(driver.in_flight(), 1);
        }
        driver.run_until_idle().unwrap();
        assert_eq!(driver.in_flight(), 0);
    });
}

/// A `SharedDriver` used from four threads at once: each submits reads that never get data
/// and abandons them, or NOPs it awaits; the buffers of the abandoned reads stay with the
/// driver, and the last handle's drop cancels them all and returns.
#[test]
fn a_shared_driver_from_four_threads_abandons_and_drops_cleanly() {
    within(5, "four threads on a SharedDriver", || {
        let driver = ringcore::driver::SharedDriver::new(16).unwrap();
        let (_tx, rx) = UnixStream::pair().unwrap();
        let fd = rx.as_raw_fd();
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let driver = driver.clone();
                std::thread::spawn(move || {
                    for i in 0..50 {
                        if i % 2 == 0 {
                            let mut read = driver
                                .submit_event(ringcore::event::events::Read::new(
                                    fd,
                                    vec![0u8; 32],
                                    0,
                                ))
                                .eager();
                            let _ = poll_once(&mut read);
                        } else {
                            let (_, res) = driver.block_on(driver.submit_event(Nop)).unwrap();
                            assert_eq!(res, Ok(0));
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        drop(driver);
        drop(rx);
    });
}

/// The std-like types never give the kernel the caller's slice: a read future dropped while
/// its request is in flight leaves the slice untouched when the data arrives later, and the
/// bytes are not lost (the next read returns them).
#[test]
fn a_dropped_stream_read_never_writes_the_callers_slice() {
    let driver = LocalDriver::new(8).unwrap();
    let (mut a, mut b) = ringcore::net::UnixStream::pair_on(&driver).unwrap();
    let mut slice = [0u8; 8];
    {
        let mut read = Box::pin(a.read(&mut slice));
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        assert!(std::future::Future::poll(read.as_mut(), &mut cx).is_pending());
        driver.run_once(0).unwrap();
    }
    let sent = driver.block_on(b.write_all(b"abcdefgh")).unwrap();
    sent.unwrap();
    driver.block_on(b.flush()).unwrap().unwrap();
    for _ in 0..3 {
        driver.run_once(0).unwrap();
    }
    assert_eq!(slice, [0u8; 8], "the kernel wrote into a borrowed slice");
    let n = driver.block_on(a.read(&mut slice)).unwrap().unwrap();
    assert_eq!(&slice[..n], &b"abcdefgh"[..n]);
}
