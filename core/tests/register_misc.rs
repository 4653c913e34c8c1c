//! Eventfd, ring-fd, personality, io-wq, probe, restrictions, NAPI, clock and sync-cancel
//! registration against the running kernel.

use ringcore::op::SqeOptions as _;
use ringcore::register::SyncCancel;
use ringcore::sys::{self, Cqe, Restriction, SqeFlags};
use ringcore::{op, Errno, Ring};
use std::time::Duration;

/// Prints why a test is skipped; the test then returns early.
macro_rules! skip {
    ($($arg:tt)*) => {{
        println!("SKIPPED: {}", format!($($arg)*));
        return;
    }};
}

fn nop(ring: &mut Ring, user_data: u64) -> &mut ringcore::Entry {
    let sqe = ring.get_sqe().expect("SQ has space");
    op::nop(sqe);
    sqe.user_data(user_data);
    sqe
}

/// Submits what is queued, waits for one CQE and consumes it.
fn one(ring: &mut Ring) -> Cqe {
    let cqe = ring.wait_cqe().unwrap();
    ring.cqe_seen();
    cqe
}

fn eventfd() -> i32 {
    // SAFETY: plain syscall; result checked.
    let fd = unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) };
    assert!(fd >= 0);
    fd
}

/// Reads and resets an eventfd counter; 0 when it was not signalled.
fn take_count(fd: i32) -> u64 {
    let mut v = 0u64;
    // SAFETY: 8 writable bytes.
    let n = unsafe { libc::read(fd, (&mut v as *mut u64).cast(), 8) };
    if n < 0 {
        assert_eq!(Errno::last(), Errno::EAGAIN);
        return 0;
    }
    assert_eq!(n, 8);
    v
}

fn close(fd: i32) {
    // SAFETY: the test owns `fd`.
    unsafe { libc::close(fd) };
}

fn pipe() -> [i32; 2] {
    let mut p = [0i32; 2];
    // SAFETY: two writable ints.
    assert_eq!(unsafe { libc::pipe2(p.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    p
}

#[test]
fn eventfd_counts_completions_and_can_be_disabled() {
    let mut ring = Ring::new(8).unwrap();
    let efd = eventfd();
    assert_eq!(ring.unregister_eventfd(), Err(Errno::ENXIO));
    assert_eq!(ring.register_eventfd(-1), Err(Errno::EBADF));
    ring.register_eventfd(efd).unwrap();
    assert_eq!(ring.register_eventfd(efd), Err(Errno::EBUSY));

    // One completion per submit: one signal each.
    for i in 0..5 {
        nop(&mut ring, i);
        one(&mut ring);
    }
    assert_eq!(take_count(efd), 5);
    // Five completions posted together in one flush: one signal.
    for i in 0..5 {
        nop(&mut ring, i);
    }
    ring.submit_and_wait(5).unwrap();
    assert_eq!(ring.completions().count(), 5);
    assert_eq!(take_count(efd), 1);

    // Disabled through the CQ ring flag: completions arrive, the counter stays put.
    assert!(ring.eventfd_notifications());
    ring.set_eventfd_notifications(false).unwrap();
    assert!(!ring.eventfd_notifications());
    for i in 0..3 {
        nop(&mut ring, i);
        assert_eq!(one(&mut ring).user_data, i);
    }
    assert_eq!(take_count(efd), 0);

    ring.set_eventfd_notifications(true).unwrap();
    nop(&mut ring, 9);
    one(&mut ring);
    assert_eq!(take_count(efd), 1);

    ring.unregister_eventfd().unwrap();
    nop(&mut ring, 10);
    one(&mut ring);
    assert_eq!(take_count(efd), 0);
    assert_eq!(ring.unregister_eventfd(), Err(Errno::ENXIO));
    close(efd);
}

#[test]
fn eventfd_async_skips_inline_completions() {
    let mut ring = Ring::new(8).unwrap();
    let efd = eventfd();
    ring.register_eventfd_async(efd).unwrap();
    // A NOP completes inline, at submission: no signal.
    nop(&mut ring, 1);
    one(&mut ring);
    assert_eq!(take_count(efd), 0);
    // Forced to an io-wq worker, it completes asynchronously: signalled.
    nop(&mut ring, 2).set_flags(SqeFlags::ASYNC);
    assert_eq!(one(&mut ring).res, 0);
    assert_eq!(take_count(efd), 1);
    ring.unregister_eventfd().unwrap();
    close(efd);
}

#[test]
fn ring_fd_registration_enters_through_the_index() {
    let mut ring = Ring::new(8).unwrap();
    assert_eq!(ring.registered_ring_index(), None);
    assert_eq!(ring.unregister_ring_fd(), Err(Errno::ENXIO));
    let index = match ring.register_ring_fd() {
        Err(Errno::EINVAL) => skip!("IORING_REGISTER_RING_FDS: kernel lacks it (EINVAL)"),
        r => r.unwrap(),
    };
    assert!(index < sys::IO_RINGFD_REG_MAX);
    assert_eq!(ring.registered_ring_index(), Some(index));
    assert_eq!(ring.register_ring_fd(), Err(Errno::EBUSY));
    for i in 0..4 {
        nop(&mut ring, i);
    }
    assert_eq!(ring.submit_and_wait(4).unwrap(), 4);
    assert_eq!(ring.completions().count(), 4);

    // Take the registration away behind the ring's back: enters now fail, which shows they
    // name the ring by the index and not by its fd.
    let up = sys::RsrcUpdate {
        offset: index,
        resv: 0,
        data: 0,
    };
    // SAFETY: one valid `io_uring_rsrc_update`.
    unsafe {
        ring.submitter().register_raw(
            sys::IORING_UNREGISTER_RING_FDS,
            (&up as *const sys::RsrcUpdate).cast(),
            1,
        )
    }
    .unwrap();
    nop(&mut ring, 5);
    let err = ring.submit().unwrap_err();
    assert!(err == Errno::EINVAL || err == Errno::EBADF, "{err:?}");

    // Back to the plain fd: the queued NOP goes through.
    ring.unregister_ring_fd().unwrap();
    assert_eq!(ring.registered_ring_index(), None);
    assert_eq!(one(&mut ring).user_data, 5);

    // The task's table holds IO_RINGFD_REG_MAX rings; one more is EBUSY.
    let max = sys::IO_RINGFD_REG_MAX as usize;
    let mut others: Vec<Ring> = (0..=max).map(|_| Ring::new(2).unwrap()).collect();
    let (fits, over) = others.split_at_mut(max);
    for r in fits.iter_mut() {
        r.register_ring_fd().unwrap();
    }
    assert_eq!(over[0].register_ring_fd(), Err(Errno::EBUSY));
    assert_eq!(over[0].registered_ring_index(), None);
    for r in fits.iter_mut() {
        r.unregister_ring_fd().unwrap();
    }

    // Register again, and the ring keeps working through the index.
    ring.register_ring_fd().unwrap();
    nop(&mut ring, 6);
    assert_eq!(one(&mut ring).user_data, 6);
    ring.unregister_ring_fd().unwrap();
}

#[test]
fn personality_runs_requests_with_saved_credentials() {
    let mut ring = Ring::new(8).unwrap();
    let id = ring.register_personality().unwrap();
    nop(&mut ring, 1).personality(id);
    assert_eq!(one(&mut ring).res, 0);
    // An id nobody registered.
    nop(&mut ring, 2).personality(id.wrapping_add(100));
    assert_eq!(one(&mut ring).res, -libc::EINVAL);
    ring.unregister_personality(id).unwrap();
    nop(&mut ring, 3).personality(id);
    assert_eq!(one(&mut ring).res, -libc::EINVAL);
    assert_eq!(ring.unregister_personality(id), Err(Errno::EINVAL));
}

#[test]
fn iowq_max_workers_round_trip() {
    let ring = Ring::new(4).unwrap();
    let mut counts = [3u32, 5];
    ring.register_iowq_max_workers(&mut counts).unwrap();
    let defaults = counts;
    assert!(defaults[0] > 0 && defaults[1] > 0, "{defaults:?}");
    // [0, 0] reads the limits back without changing them.
    let mut read = [0u32, 0];
    ring.register_iowq_max_workers(&mut read).unwrap();
    assert_eq!(read, [3, 5]);
    // Changing only the unbounded limit.
    let mut counts = [0u32, 7];
    ring.register_iowq_max_workers(&mut counts).unwrap();
    assert_eq!(counts, [3, 5]);
    let mut read = [0u32, 0];
    ring.register_iowq_max_workers(&mut read).unwrap();
    assert_eq!(read, [3, 7]);
}

/// The CPU list allowed to this thread's io-wq workers (`iou-wrk-<tid>`), if one is alive.
fn iowq_worker_cpus() -> Option<String> {
    // SAFETY: gettid has no preconditions.
    let name = format!("iou-wrk-{}", unsafe { libc::gettid() });
    for task in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        if comm.trim_end() == name {
            let status = std::fs::read_to_string(task.path().join("status")).ok()?;
            let line = status
                .lines()
                .find(|l| l.starts_with("Cpus_allowed_list:"))?;
            return Some(line.split_whitespace().nth(1)?.to_string());
        }
    }
    None
}

#[test]
fn iowq_affinity_pins_the_workers() {
    let mut ring = Ring::new(4).unwrap();
    // SAFETY: an all-zero cpu_set_t is an empty set.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: CPU 0 is inside the set's bit range.
    unsafe { libc::CPU_SET(0, &mut set) };
    ring.register_iowq_aff(&set).unwrap();
    // Async work starts a worker, pinned to CPU 0.
    nop(&mut ring, 1).set_flags(SqeFlags::ASYNC);
    assert_eq!(one(&mut ring).res, 0);
    assert_eq!(iowq_worker_cpus().as_deref(), Some("0"));
    ring.unregister_iowq_aff().unwrap();
}

#[test]
fn probe_agrees_with_the_kernel() {
    let mut ring = Ring::new(4).unwrap();
    let probe = ring.probe().unwrap();
    for op in [
        sys::IORING_OP_NOP,
        sys::IORING_OP_READV,
        sys::IORING_OP_READ_FIXED,
        sys::IORING_OP_READ,
        sys::IORING_OP_WRITE,
    ] {
        assert!(probe.is_supported(op), "opcode {op}");
    }
    let last = probe.last_op();
    assert!(last >= sys::IORING_OP_READ, "last_op {last}");
    assert!(!probe.is_supported(last.wrapping_add(1)));
    assert!(!probe.is_supported(255));
    assert_eq!(probe.supported().next(), Some(sys::IORING_OP_NOP));
    println!(
        "probe: last_op {last}, {} opcodes supported",
        probe.supported().count()
    );

    // What the probe calls supported, the kernel accepts; past last_op it refuses.
    nop(&mut ring, 1);
    assert_eq!(one(&mut ring).res, 0);
    let sqe = ring.get_sqe().unwrap();
    // SAFETY: the test keeps whatever these fields point to alive until the CQE is
    // reaped (or names no memory: the kernel rejects the SQE).
    let raw = unsafe { sqe.sqe_mut() };
    raw.opcode = last.wrapping_add(1);
    assert_eq!(one(&mut ring).res, -libc::EINVAL);
}

#[test]
fn restrictions_refuse_what_is_not_allowed() {
    let mut ring = match Ring::builder(8).r_disabled().build() {
        Err(Errno::EINVAL) => skip!("IORING_SETUP_R_DISABLED: kernel lacks it (EINVAL)"),
        r => r.unwrap(),
    };
    let enabled = Ring::new(4).unwrap();
    assert_eq!(
        enabled.register_restrictions(&[Restriction::sqe_op(sys::IORING_OP_NOP)]),
        Err(Errno::EBADFD)
    );
    ring.register_restrictions(&[
        Restriction::sqe_op(sys::IORING_OP_NOP),
        Restriction::sqe_flags_allowed(SqeFlags::IO_LINK),
        Restriction::register_op(sys::IORING_REGISTER_PROBE),
    ])
    .unwrap();
    assert_eq!(
        ring.register_restrictions(&[Restriction::sqe_op(sys::IORING_OP_READ)]),
        Err(Errno::EBUSY)
    );
    // Disabled: nothing can be submitted yet.
    nop(&mut ring, 1);
    assert_eq!(ring.submit(), Err(Errno::EBADFD));
    ring.enable().unwrap();
    assert_eq!(
        one(&mut ring),
        Cqe {
            user_data: 1,
            res: 0,
            flags: 0
        }
    );

    // A READ is not allowed, nor is a NOP with an SQE flag outside the allowed set.
    let mut buf = [0u8; 4];
    let sqe = ring.get_sqe().unwrap();
    // SAFETY: `buf` outlives the request, which is refused before it runs anyway.
    unsafe { op::read(sqe, 0, buf.as_mut_ptr(), 4, 0) };
    sqe.user_data(2);
    assert_eq!(one(&mut ring).res, -libc::EACCES);
    nop(&mut ring, 3).set_flags(SqeFlags::ASYNC);
    assert_eq!(one(&mut ring).res, -libc::EACCES);
    nop(&mut ring, 4).set_flags(SqeFlags::IO_LINK);
    assert_eq!(one(&mut ring).res, 0);

    // Register calls: PROBE allowed, PERSONALITY refused.
    assert!(ring.probe().is_ok());
    assert_eq!(ring.register_personality(), Err(Errno::EACCES));
}

#[test]
fn napi_register_and_unregister() {
    let ring = Ring::new(4).unwrap();
    match ring.register_napi(50, true) {
        Err(Errno::EINVAL) => skip!("IORING_REGISTER_NAPI: kernel lacks it (EINVAL)"),
        r => r.unwrap(),
    }
    let old = ring.unregister_napi().unwrap();
    assert_eq!(old.busy_poll_to, 50);
    assert_eq!(old.prefer_busy_poll, 1);

    // Static tracking: register the strategy, then add and remove an id.
    let mut napi = sys::Napi {
        busy_poll_to: 10,
        opcode: sys::IO_URING_NAPI_REGISTER_OP,
        op_param: sys::IO_URING_NAPI_TRACKING_STATIC,
        ..Default::default()
    };
    ring.register_napi_raw(&mut napi).unwrap();
    let mut bad = sys::Napi {
        opcode: 77,
        ..Default::default()
    };
    assert_eq!(ring.register_napi_raw(&mut bad), Err(Errno::EINVAL));
    ring.unregister_napi().unwrap();
}

#[test]
fn clock_registration() {
    let mut ring = Ring::new(4).unwrap();
    match ring.register_clock(libc::CLOCK_BOOTTIME) {
        Err(Errno::EINVAL) => skip!("IORING_REGISTER_CLOCK: kernel lacks it (EINVAL)"),
        r => r.unwrap(),
    }
    assert_eq!(
        ring.register_clock(libc::CLOCK_REALTIME),
        Err(Errno::EINVAL)
    );
    // Waits still time out as asked on the registered clock.
    let start = std::time::Instant::now();
    let r = ring.wait_cqe_timeout(Duration::from_millis(20));
    assert_eq!(r.unwrap_err(), Errno::ETIME);
    assert!(start.elapsed() >= Duration::from_millis(15));
    ring.register_clock(libc::CLOCK_MONOTONIC).unwrap();
}

#[test]
fn sync_cancel_waits_for_the_cancelled_requests() {
    let mut ring = Ring::new(8).unwrap();
    let [r, w] = pipe();
    let mut bufs = [[0u8; 8]; 3];
    for (i, buf) in bufs.iter_mut().enumerate() {
        let sqe = ring.get_sqe().unwrap();
        // SAFETY: `bufs` outlives the requests, which are cancelled and reaped below.
        unsafe { op::read(sqe, r, buf.as_mut_ptr(), 8, u64::MAX) };
        sqe.user_data(100 + i as u64);
    }
    assert_eq!(ring.submit().unwrap(), 3);
    match ring.register_sync_cancel(&SyncCancel::user_data(101)) {
        Err(Errno::EINVAL) => skip!("IORING_REGISTER_SYNC_CANCEL: kernel lacks it (EINVAL)"),
        res => assert_eq!(res, Ok(0)),
    }
    // When the call returns, the cancelled request's CQE is there.
    let cqe = one(&mut ring);
    assert_eq!((cqe.user_data, cqe.res), (101, -libc::ECANCELED));
    assert_eq!(
        ring.register_sync_cancel(&SyncCancel::user_data(101)),
        Err(Errno::ENOENT)
    );
    // The two others, by fd, all of them, with a timeout.
    let n = ring.register_sync_cancel(&SyncCancel::fd(r).all().timeout(Duration::from_secs(1)));
    assert_eq!(n, Ok(2));
    let mut seen: Vec<(u64, i32)> = ring.completions().map(|c| (c.user_data, c.res)).collect();
    seen.sort();
    assert_eq!(seen, [(100, -libc::ECANCELED), (102, -libc::ECANCELED)]);
    // Nothing left: a single match is ENOENT, ANY counts none.
    assert_eq!(
        ring.register_sync_cancel(&SyncCancel::fd(r)),
        Err(Errno::ENOENT)
    );
    assert_eq!(ring.register_sync_cancel(&SyncCancel::any()), Ok(0));
    close(r);
    close(w);
}

#[test]
fn resize_rings_keeps_pending_cqes_and_grows_the_queues() {
    let mut plain = Ring::new(8).unwrap();
    let mut ring = match Ring::builder(8).single_issuer().defer_taskrun().build() {
        Err(Errno::EINVAL) => skip!("IORING_SETUP_DEFER_TASKRUN: kernel lacks it (EINVAL)"),
        r => r.unwrap(),
    };
    assert_eq!(
        plain.resize_rings(16, 32),
        Err(Errno::EINVAL),
        "not DEFER_TASKRUN"
    );

    for i in 0..4 {
        nop(&mut ring, i);
    }
    ring.submit_and_wait(4).unwrap();
    // A taken, unsubmitted SQE blocks the resize (its slot would be lost).
    nop(&mut ring, 99);
    assert_eq!(ring.resize_rings(64, 128), Err(Errno::EBUSY));
    ring.submit().unwrap();
    ring.get_events().unwrap();
    assert_eq!(ring.cq_ready(), 5);

    match ring.resize_rings(64, 128) {
        Err(Errno::EINVAL) => skip!("IORING_REGISTER_RESIZE_RINGS: kernel lacks it (EINVAL)"),
        r => r.unwrap(),
    }
    assert_eq!(
        (ring.params().sq_entries, ring.params().cq_entries),
        (64, 128)
    );
    // The CQEs posted before the resize are still there, in order.
    let before: Vec<u64> = ring.completions().map(|c| c.user_data).collect();
    assert_eq!(before, [0, 1, 2, 3, 99]);

    // A batch the old 8-entry SQ could not hold goes through in one submit.
    assert_eq!(ring.sq_space_left(), 64);
    for i in 0..64 {
        nop(&mut ring, 1000 + i);
    }
    assert_eq!(ring.submit_and_wait(64).unwrap(), 64);
    let mut seen: Vec<u64> = ring.completions().map(|c| c.user_data).collect();
    seen.sort();
    assert_eq!(seen, (1000..1064).collect::<Vec<_>>());

    // Shrinking the CQ below the CQEs waiting in it is refused; the ring keeps working.
    for i in 0..20 {
        nop(&mut ring, i);
    }
    ring.submit_and_wait(20).unwrap();
    ring.get_events().unwrap();
    assert_eq!(ring.resize_rings(8, 16), Err(Errno::EOVERFLOW));
    assert_eq!(ring.completions().count(), 20);
    assert_eq!(ring.params().sq_entries, 64);

    // Resizing keeps a registered ring fd in use.
    let index = ring.register_ring_fd().unwrap();
    ring.resize_rings(16, 32).unwrap();
    assert_eq!(ring.registered_ring_index(), Some(index));
    nop(&mut ring, 7);
    assert_eq!(one(&mut ring).user_data, 7);
    ring.unregister_ring_fd().unwrap();
    assert_eq!(ring.params().sq_entries, 16);
}

#[test]
fn send_msg_ring_posts_a_cqe_without_a_source_ring() {
    let mut ring = Ring::new(4).unwrap();
    // SAFETY (every send_msg_ring below): the target ring is this test's own and awaits none
    // of the user_data posted.
    match unsafe { ringcore::register::send_msg_ring(ring.fd(), 0x5e4d, 42, 0) } {
        Err(Errno::EINVAL) => skip!("IORING_REGISTER_SEND_MSG_RING: kernel lacks it (EINVAL)"),
        r => r.unwrap(),
    }
    let cqe = one(&mut ring);
    assert_eq!(
        cqe,
        Cqe {
            user_data: 0x5e4d,
            res: 42,
            flags: 0
        }
    );
    // CQE flags passed through.
    unsafe { ringcore::register::send_msg_ring(ring.fd(), 7, -5, 0x30000) }.unwrap();
    assert_eq!(
        one(&mut ring),
        Cqe {
            user_data: 7,
            res: -5,
            flags: 0x30000
        }
    );
    // Not a ring.
    let efd = eventfd();
    assert_eq!(
        unsafe { ringcore::register::send_msg_ring(efd, 1, 0, 0) },
        Err(Errno::EBADFD)
    );
    assert_eq!(
        unsafe { ringcore::register::send_msg_ring(999_999, 1, 0, 0) },
        Err(Errno::EBADF)
    );
    close(efd);
}
