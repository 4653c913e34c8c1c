//! The ring layer against the running kernel.

use ringcore::op::SqeOptions as _;
use ringcore::sys::{self, Features, SetupFlags};
use ringcore::{op, Errno, Ring};
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// Prints why a test is skipped; the test then returns early.
macro_rules! skip {
    ($($arg:tt)*) => {{
        println!("SKIPPED: {}", format!($($arg)*));
        return;
    }};
}

fn nop(ring: &mut Ring, user_data: u64) {
    let sqe = ring.get_sqe().expect("SQ has space");
    op::nop(sqe);
    sqe.user_data(user_data);
}

#[test]
fn nop_round_trip() {
    let mut ring = Ring::new(8).unwrap();
    nop(&mut ring, 42);
    assert_eq!(ring.submit_and_wait(1).unwrap(), 1);
    let cqe = ring.peek_cqe().expect("a CQE after waiting for one");
    assert_eq!((cqe.user_data, cqe.res, cqe.flags), (42, 0, 0));
    ring.cqe_seen();
    assert_eq!(ring.cq_ready(), 0);
    assert!(ring.peek_cqe().is_none());
}

#[test]
fn nop_batches_account_for_every_user_data() {
    let mut ring = Ring::new(256).unwrap();
    let mut seen = HashSet::new();
    let mut next = 0u64;
    for _ in 0..100 {
        for _ in 0..32 {
            nop(&mut ring, next);
            next += 1;
        }
        assert_eq!(ring.submit_and_wait(32).unwrap(), 32);
        let mut n = 0;
        for cqe in ring.completions() {
            assert_eq!(cqe.res, 0);
            assert!(
                seen.insert(cqe.user_data),
                "duplicate CQE {}",
                cqe.user_data
            );
            n += 1;
        }
        assert_eq!(n, 32);
    }
    assert_eq!(seen.len(), 3200);
    assert!((0..3200).all(|u| seen.contains(&u)));
    assert_eq!(ring.cq_ready(), 0);
}

#[test]
fn copy_cqes_takes_a_batch() {
    let mut ring = Ring::new(64).unwrap();
    for u in 0..40 {
        nop(&mut ring, u);
    }
    ring.submit_and_wait(40).unwrap();
    let mut out = [sys::Cqe::default(); 16];
    let mut all = Vec::new();
    loop {
        let n = ring.copy_cqes(&mut out);
        if n == 0 {
            break;
        }
        all.extend(out[..n].iter().map(|c| c.user_data));
    }
    all.sort();
    assert_eq!(all, (0..40).collect::<Vec<_>>());
}

#[test]
fn consume_while_stops_before_the_first_cqe_it_refuses() {
    let mut ring = Ring::new(16).unwrap();
    for u in 0..10 {
        nop(&mut ring, u);
    }
    ring.submit_and_wait(10).unwrap();
    let mut seen = Vec::new();
    let mut cqes = ring.completions();
    let taken = cqes.consume_while(|c| {
        if c.user_data == 6 {
            return false;
        }
        seen.push(c.user_data);
        true
    });
    assert_eq!(taken, 6);
    assert_eq!(cqes.remaining(), 4);
    // The refused CQE is still next; the rest follow in order.
    let rest: Vec<u64> = cqes.map(|c| c.user_data).collect();
    assert_eq!(seen, (0..6).collect::<Vec<_>>());
    assert_eq!(rest, (6..10).collect::<Vec<_>>());
    // Dropping the iterator consumed them all.
    assert_eq!(ring.completions().count(), 0);
}

#[test]
fn write_then_read_back_a_file() {
    let path = std::env::temp_dir().join(format!("ringcore-ring-{}", std::process::id()));
    let file = std::fs::File::create(&path).unwrap();
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    let data: Vec<u8> = (0..8192u32).map(|i| (i * 7 + 3) as u8).collect();
    let mut ring = Ring::new(4).unwrap();
    let sqe = ring.get_sqe().unwrap();
    // SAFETY: `data` outlives the request: we wait for its CQE below.
    unsafe { op::write(sqe, fd, data.as_ptr(), data.len() as u32, 0) };
    sqe.user_data(1);
    ring.submit_and_wait(1).unwrap();
    let cqe = ring.wait_cqe().unwrap();
    ring.cqe_seen();
    assert_eq!((cqe.user_data, cqe.res), (1, 8192));

    let file = std::fs::File::open(&path).unwrap();
    let mut back = vec![0u8; 8192];
    let sqe = ring.get_sqe().unwrap();
    // SAFETY: `back` outlives the request.
    unsafe { op::read(sqe, file.as_raw_fd(), back.as_mut_ptr(), 8192, 0) };
    sqe.user_data(2);
    let cqe = ring.wait_cqe().unwrap();
    ring.cqe_seen();
    assert_eq!((cqe.user_data, cqe.res), (2, 8192));
    assert_eq!(back, data);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn full_sq_gives_no_sqe_and_never_overwrites() {
    let mut ring = Ring::new(8).unwrap();
    assert_eq!(ring.sq_space_left(), 8);
    for u in 0..8 {
        nop(&mut ring, u);
    }
    assert!(ring.get_sqe().is_none());
    assert_eq!(ring.sq_space_left(), 0);
    assert_eq!(ring.submit().unwrap(), 8);
    assert_eq!(ring.sq_space_left(), 8);
    nop(&mut ring, 8);
    ring.submit_and_wait(9).unwrap();
    let mut ids: Vec<u64> = ring.completions().map(|c| c.user_data).collect();
    ids.sort();
    assert_eq!(ids, (0..9).collect::<Vec<_>>());
}

#[test]
fn cq_overflow_loses_no_cqe() {
    let mut ring = Ring::builder(16).cq_entries(16).build().unwrap();
    if !ring.features().contains(Features::NODROP) {
        skip!("kernel lacks IORING_FEAT_NODROP");
    }
    assert_eq!(ring.params().cq_entries, 16);
    // 64 NOPs without reaping: 48 of them go to the kernel's overflow backlog.
    for round in 0..4u64 {
        for i in 0..16 {
            nop(&mut ring, round * 16 + i);
        }
        ring.submit().unwrap();
    }
    assert!(ring.sq().flags().contains(sys::SqRingFlags::CQ_OVERFLOW));
    let mut seen = HashSet::new();
    while seen.len() < 64 {
        let cqe = ring.wait_cqe_timeout(Duration::from_secs(5)).unwrap();
        ring.cqe_seen();
        assert!(seen.insert(cqe.user_data));
    }
    assert_eq!(ring.cq().overflow(), 0, "no CQE may be dropped with NODROP");
    assert!(ring.peek_cqe().is_none());
}

#[test]
fn timed_wait_returns_etime() {
    let mut ring = Ring::new(4).unwrap();
    let start = Instant::now();
    assert_eq!(
        ring.wait_cqe_timeout(Duration::from_millis(30)),
        Err(Errno::ETIME)
    );
    assert!(start.elapsed() >= Duration::from_millis(25));
    assert_eq!(
        ring.submit_and_wait_timeout(1, Duration::from_millis(5)),
        Err(Errno::ETIME)
    );
}

#[test]
fn completions_already_there_need_no_wait() {
    let mut ring = Ring::new(8).unwrap();
    nop(&mut ring, 1);
    nop(&mut ring, 2);
    ring.submit_and_wait(2).unwrap();
    // Nothing pending and both CQEs present: returns at once, submitting nothing.
    assert_eq!(ring.submit_and_wait(2).unwrap(), 0);
    assert_eq!(ring.submit().unwrap(), 0);
    assert_eq!(ring.cq_ready(), 2);
}

#[test]
fn sqpoll_submits_without_entering() {
    let mut ring = match Ring::builder(8).sqpoll(2000).build() {
        Ok(r) => r,
        Err(e) => skip!("SQPOLL ring not allowed here: {e}"),
    };
    assert!(ring.setup_flags().contains(SetupFlags::SQPOLL));
    // The first submit may wake the poller; then it stays awake for 2 s.
    nop(&mut ring, 1);
    ring.submit().unwrap();
    ring.wait_cqe_timeout(Duration::from_secs(5)).unwrap();
    ring.cqe_seen();
    // Publish the tail only; no io_uring_enter at all. The poller picks the SQEs up.
    for u in 10..14 {
        nop(&mut ring, u);
    }
    ring.sq().sync();
    let deadline = Instant::now() + Duration::from_secs(5);
    while ring.cq_ready() < 4 {
        assert!(
            Instant::now() < deadline,
            "SQPOLL thread did not consume the SQEs"
        );
        std::hint::spin_loop();
    }
    let mut ids: Vec<u64> = ring.completions().map(|c| c.user_data).collect();
    ids.sort();
    assert_eq!(ids, vec![10, 11, 12, 13]);
}

#[test]
fn single_issuer_defer_taskrun() {
    let mut ring = match Ring::builder(32).single_issuer().defer_taskrun().build() {
        Ok(r) => r,
        Err(Errno::EINVAL) => skip!("kernel lacks SINGLE_ISSUER|DEFER_TASKRUN"),
        Err(e) => panic!("setup failed: {e}"),
    };
    for u in 0..32 {
        nop(&mut ring, u);
    }
    ring.submit_and_wait(32).unwrap();
    assert_eq!(ring.completions().count(), 32);
    // With TASKRUN_FLAG, peek flushes deferred work by itself.
    let mut ring = Ring::builder(8)
        .single_issuer()
        .defer_taskrun()
        .taskrun_flag()
        .build()
        .unwrap();
    nop(&mut ring, 7);
    ring.submit().unwrap();
    let cqe = ring.wait_cqe().unwrap();
    assert_eq!(cqe.user_data, 7);
}

#[test]
fn bad_parameters_are_errors() {
    assert_eq!(Ring::new(0).err(), Some(Errno::EINVAL));
    assert_eq!(
        Ring::new(sys::IORING_MAX_ENTRIES * 2).err(),
        Some(Errno::EINVAL)
    );
    let clamped = Ring::builder(sys::IORING_MAX_ENTRIES * 2)
        .clamp()
        .build()
        .unwrap();
    assert_eq!(clamped.params().sq_entries, sys::IORING_MAX_ENTRIES);
    let unknown = SetupFlags::from_bits_retain(1 << 30);
    assert_eq!(
        Ring::builder(8).flags(unknown).build().err(),
        Some(Errno::EINVAL)
    );
    assert_eq!(
        Ring::builder(8).cq_entries(0).build().err(),
        Some(Errno::EINVAL)
    );
    assert_eq!(
        Ring::builder(8).flags(SetupFlags::NO_MMAP).build().err(),
        Some(Errno::EINVAL)
    );
    // DEFER_TASKRUN without SINGLE_ISSUER is rejected by the kernel.
    assert_eq!(
        Ring::builder(8).defer_taskrun().build().err(),
        Some(Errno::EINVAL)
    );
}

#[test]
fn no_sqarray_by_default_with_fallback_off() {
    let ring = Ring::new(8).unwrap();
    let with = ring.setup_flags().contains(SetupFlags::NO_SQARRAY);
    println!("NO_SQARRAY in use: {with}");
    let mut plain = Ring::builder(8).no_sqarray(false).build().unwrap();
    assert!(!plain.setup_flags().contains(SetupFlags::NO_SQARRAY));
    for u in 0..8 {
        nop(&mut plain, u);
    }
    plain.submit_and_wait(8).unwrap();
    assert_eq!(plain.completions().count(), 8);
}

#[test]
fn disabled_ring_until_enabled() {
    let mut ring = Ring::builder(4).r_disabled().build().unwrap();
    nop(&mut ring, 1);
    assert_eq!(ring.submit().err(), Some(Errno::EBADFD));
    ring.enable().unwrap();
    assert_eq!(ring.submit_and_wait(1).unwrap(), 1);
    assert_eq!(ring.wait_cqe().unwrap().user_data, 1);
    assert_eq!(ring.enable().err(), Some(Errno::EBADFD));
}

#[test]
fn attach_wq_shares_the_backend() {
    let first = Ring::new(4).unwrap();
    let mut second = Ring::builder(4).attach_wq(first.fd()).build().unwrap();
    assert!(second.setup_flags().contains(SetupFlags::ATTACH_WQ));
    nop(&mut second, 5);
    assert_eq!(second.wait_cqe().unwrap().user_data, 5);
    // The kernel says ENXIO for an fd that is not a ring (EBADF on some versions).
    let bad = Ring::builder(4).attach_wq(-1).build().err();
    assert!(matches!(bad, Some(Errno::ENXIO | Errno::EBADF)), "{bad:?}");
}

#[test]
fn big_entries_sqe128_and_cqe32() {
    let mut ring = match Ring::builder(4).sqe128().cqe32().build() {
        Ok(r) => r,
        Err(e) => skip!("kernel lacks SQE128/CQE32: {e}"),
    };
    for u in 0..4 {
        let sqe = ring.get_sqe128().unwrap();
        op::nop(sqe.entry());
        sqe.entry().user_data(100 + u);
        // SAFETY: the test keeps whatever these fields point to alive until the CQE is
        // reaped (or names no memory: the kernel rejects the SQE).
        let raw = unsafe { sqe.sqe_mut() };
        raw.cmd_ext = [0xAB; 64];
    }
    assert!(ring.get_sqe128().is_none());
    ring.submit_and_wait(4).unwrap();
    for u in 0..4 {
        let big = ring.cq().peek32().unwrap();
        assert_eq!(big.cqe.user_data, 100 + u);
        assert_eq!(big.big_cqe, [0, 0]);
        ring.cqe_seen();
    }
    let mut plain = Ring::new(4).unwrap();
    assert!(plain.get_sqe128().is_none());
    assert!(plain.cq().peek32().is_none());
}

#[test]
fn split_submit_on_one_thread_reap_on_another() {
    let mut ring = Ring::new(64).unwrap();
    let (submitter, sq, cq) = ring.split();
    const N: u64 = 20_000;
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut next = 0;
            while next < N {
                while next < N {
                    let Some(sqe) = sq.get_sqe() else { break };
                    op::nop(sqe);
                    sqe.user_data(next);
                    next += 1;
                }
                sq.sync();
                submitter.submit().unwrap();
            }
        });
        s.spawn(|| {
            let mut expected = 0;
            let deadline = Instant::now() + Duration::from_secs(30);
            while expected < N {
                for cqe in cq.completions() {
                    assert_eq!(cqe.user_data, expected, "NOPs complete in order");
                    expected += 1;
                }
                assert!(
                    Instant::now() < deadline,
                    "lost CQEs: got {expected} of {N}"
                );
                if cq.is_empty() {
                    // The CQ may have overflowed into the kernel's backlog.
                    submitter.flush_backlog().unwrap();
                }
            }
        });
    });
}

#[test]
fn signals_during_a_wait_do_not_surface_as_eintr() {
    extern "C" fn on_signal(_: libc::c_int) {}
    // SAFETY: installs a handler that does nothing, without SA_RESTART, so waits see EINTR.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
        libc::sigaction(libc::SIGUSR1, &sa, std::ptr::null_mut());
    }
    let mut ring = Ring::new(4).unwrap();
    let ts = sys::Timespec {
        tv_sec: 0,
        tv_nsec: 300_000_000,
    };
    let sqe = ring.get_sqe().unwrap();
    // SAFETY: the test keeps whatever these fields point to alive until the CQE is
    // reaped (or names no memory: the kernel rejects the SQE).
    let raw = unsafe { sqe.sqe_mut() };
    raw.opcode = sys::IORING_OP_TIMEOUT;
    raw.addr.addr = &ts as *const _ as u64;
    raw.len = 1;
    sqe.user_data(9);
    // SAFETY: pthread_self is always valid.
    let me = unsafe { libc::pthread_self() };
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                // SAFETY: the target thread is alive until `done` is set.
                unsafe { libc::pthread_kill(me, libc::SIGUSR1) };
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        let cqe = ring.wait_cqe().unwrap();
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        assert_eq!((cqe.user_data, cqe.res), (9, -libc::ETIME));
    });
}

#[test]
fn batch_cursor_fills_refills_and_stops_when_full() {
    let mut ring = Ring::new(8).unwrap();
    {
        let mut sq = ring.sq_batch();
        for u in 0..8 {
            let sqe = sq.get_sqe().expect("room for 8");
            op::nop(sqe);
            sqe.user_data(u);
        }
        assert_eq!(sq.space_left(), 0);
        assert!(sq.get_sqe().is_none(), "full ring hands out nothing");
    }
    assert_eq!(ring.sq_pending(), 8);
    assert_eq!(ring.submit_and_wait(8).unwrap(), 8);
    // The cursor's cached limit is stale now; its slow path must find the freed room.
    {
        let mut sq = ring.sq_batch();
        for u in 8..16 {
            let sqe = sq.get_sqe().expect("room after the kernel consumed");
            op::nop(sqe);
            sqe.user_data(u);
        }
    }
    // Interleave with the queue's own get_sqe: the cursor wrote its position back.
    assert!(ring.get_sqe().is_none());
    let mut ids: Vec<u64> = ring.completions().map(|c| c.user_data).collect();
    ring.submit_and_wait(8).unwrap();
    ids.extend(ring.completions().map(|c| c.user_data));
    ids.sort();
    assert_eq!(ids, (0..16).collect::<Vec<_>>());
}

#[test]
fn completions_walk_32_byte_cqes() {
    let mut ring = match Ring::builder(8).cqe32().build() {
        Ok(r) => r,
        Err(e) => skip!("kernel lacks CQE32: {e}"),
    };
    for round in 0..3u64 {
        for u in 0..8 {
            let sqe = ring.get_sqe().unwrap();
            op::nop(sqe);
            sqe.user_data(round * 8 + u);
        }
        ring.submit_and_wait(8).unwrap();
        let ids: Vec<u64> = ring.completions().map(|c| c.user_data).collect();
        assert_eq!(ids, (round * 8..round * 8 + 8).collect::<Vec<_>>());
    }
}

#[test]
fn no_syscall_when_completions_are_already_there() {
    let mut ring = Ring::new(8).unwrap();
    for u in 0..4 {
        nop(&mut ring, u);
    }
    ring.submit_and_wait(4).unwrap();
    // Put /dev/null where the ring fd was: the mappings stay valid, but any io_uring_enter now
    // fails (EOPNOTSUPP or EBADF), so a successful call below proves no syscall was made.
    let null = std::fs::File::open("/dev/null").unwrap();
    use std::os::fd::AsRawFd;
    // SAFETY: both fds are open; dup2 replaces the ring fd number, which the ring closes on drop.
    assert!(unsafe { libc::dup2(null.as_raw_fd(), ring.fd()) } >= 0);
    assert!(ring.get_events().is_err(), "entering must fail now");
    assert_eq!(ring.submit().unwrap(), 0);
    assert_eq!(ring.submit_and_wait(4).unwrap(), 0);
    assert_eq!(ring.peek_cqe().unwrap().user_data, 0);
    ring.cqe_seen();
    assert_eq!(ring.wait_cqe().unwrap().user_data, 1);
    assert_eq!(ring.completions().count(), 3);
    // Waiting for more than is there does need the kernel, and reports its error.
    assert!(ring.submit_and_wait(1).is_err());
}

/// Publishes the SQEs taken so far and returns the published SQ tail, as an FFI layer that calls
/// `Submitter::submit_and_wait_raw` would.
fn publish(ring: &mut Ring) -> u32 {
    ring.sq().sync();
    // SAFETY: `sq_tail` points into the live ring; nothing else stores it meanwhile.
    unsafe { std::ptr::read_volatile(ring.raw_parts().sq_tail) }
}

#[test]
fn raw_submit_returns_the_kernels_count_or_nothing_to_do() {
    let mut ring = Ring::new(8).unwrap();
    let tail = publish(&mut ring);
    assert_eq!(
        ring.submitter().submit_and_wait_raw(tail, 0),
        0,
        "nothing to submit"
    );
    for u in 0..3 {
        nop(&mut ring, u);
    }
    let tail = publish(&mut ring);
    assert_eq!(ring.submitter().submit_and_wait_raw(tail, 3), 3);
    assert_eq!(ring.cq_ready(), 3);
    // Nothing new to submit and the CQEs wanted are in: no call, 0 taken.
    assert_eq!(ring.submitter().submit_and_wait_raw(tail, 2), 0);
    nop(&mut ring, 3);
    let tail = publish(&mut ring);
    assert_eq!(
        ring.submitter().submit_and_wait_raw(tail, 0),
        1,
        "submit only"
    );
    while ring.cq_ready() < 4 {
        assert_eq!(ring.submitter().submit_and_wait_raw(tail, 4), 0);
    }
    let got: Vec<u64> = ring.completions().map(|c| c.user_data).collect();
    assert_eq!(got, [0, 1, 2, 3]);
}

#[test]
fn raw_submit_passes_the_kernels_errno_through() {
    let mut ring = Ring::builder(4).r_disabled().build().unwrap();
    nop(&mut ring, 1);
    let tail = publish(&mut ring);
    assert_eq!(ring.submitter().submit_and_wait_raw(tail, 1), -libc::EBADFD);
    assert_eq!(ring.submitter().submit_and_wait_raw(tail, 0), -libc::EBADFD);
    ring.enable().unwrap();
    assert_eq!(ring.submitter().submit_and_wait_raw(tail, 1), 1);
    assert_eq!(ring.wait_cqe().unwrap().user_data, 1);
}

#[test]
fn raw_submit_waits_again_when_a_signal_cuts_the_wait_short() {
    extern "C" fn on_signal(_: libc::c_int) {}
    // SAFETY: installs a handler that does nothing, without SA_RESTART, so waits see EINTR.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
        libc::sigaction(libc::SIGUSR2, &sa, std::ptr::null_mut());
    }
    let mut ring = Ring::new(4).unwrap();
    let ts = sys::Timespec {
        tv_sec: 0,
        tv_nsec: 300_000_000,
    };
    let sqe = ring.get_sqe().unwrap();
    // SAFETY: the test keeps whatever these fields point to alive until the CQE is
    // reaped (or names no memory: the kernel rejects the SQE).
    let raw = unsafe { sqe.sqe_mut() };
    raw.opcode = sys::IORING_OP_TIMEOUT;
    raw.addr.addr = &ts as *const _ as u64;
    raw.len = 1;
    sqe.user_data(9);
    let tail = publish(&mut ring);
    // SAFETY: pthread_self is always valid.
    let me = unsafe { libc::pthread_self() };
    let done = std::sync::atomic::AtomicBool::new(false);
    let start = Instant::now();
    std::thread::scope(|s| {
        s.spawn(|| {
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                // SAFETY: the target thread is alive until `done` is set.
                unsafe { libc::pthread_kill(me, libc::SIGUSR2) };
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        // The first call takes the SQE and is interrupted while it waits; the count it returns
        // must not be mistaken for the end of the wait.
        let ret = ring.submitter().submit_and_wait_raw(tail, 1);
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        assert_eq!(ret, 1);
    });
    assert!(
        start.elapsed() >= Duration::from_millis(250),
        "returned before the timeout fired"
    );
    let cqe = ring
        .peek_cqe()
        .expect("the wait ended with the CQE in the ring");
    assert_eq!((cqe.user_data, cqe.res), (9, -libc::ETIME));
}
