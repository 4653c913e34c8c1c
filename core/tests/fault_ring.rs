//! Fault injection at the ring layer: signals during waits, setup without fds or memory, a CQ
//! overflow backlog, fork with a ring open, operations the kernel rejects, and an fd closed
//! under an in-flight read. Each test asserts that nothing was lost, duplicated, or written
//! where it should not be.

use ringcore::op::SqeOptions as _;
use ringcore::sys::{self, Features, SetupFlags};
use ringcore::{op, Errno, Ring};
use std::collections::HashSet;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

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

fn timeout(ring: &mut Ring, ts: &sys::Timespec, user_data: u64) {
    let sqe = ring.get_sqe().expect("SQ has space");
    // SAFETY: the test keeps whatever these fields point to alive until the CQE is
    // reaped (or names no memory: the kernel rejects the SQE).
    let raw = unsafe { sqe.sqe_mut() };
    raw.opcode = sys::IORING_OP_TIMEOUT;
    raw.addr.addr = ts as *const sys::Timespec as u64;
    raw.len = 1;
    sqe.user_data(user_data);
}

fn pipe() -> (OwnedFd, OwnedFd) {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two fds pipe writes.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: pipe just returned these fds and nothing else owns them.
    unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) }
}

/// Runs `child` in a forked process and returns its exit status. The child runs only
/// syscall-level code (no allocation, no locks), which is what is safe after fork in a
/// multi-threaded test process.
fn in_child(child: impl FnOnce() -> i32) -> i32 {
    // SAFETY: fork has no preconditions; the child only makes syscalls and exits with `_exit`.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let code = child();
        // SAFETY: ends the child without running the parent's atexit handlers or destructors.
        unsafe { libc::_exit(code) };
    }
    let mut status = 0;
    // SAFETY: `pid` is our child; `status` is a valid out-pointer.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(libc::WIFEXITED(status), "child died: status {status:#x}");
    libc::WEXITSTATUS(status)
}

/// Signals every 2 ms while timeouts expire: every wait returns real completions or a real
/// error, never `EINTR`, and every timeout completes exactly once.
#[test]
fn signal_storm_during_waits_loses_nothing() {
    extern "C" fn on_signal(_: libc::c_int) {}
    // SAFETY: a handler that does nothing, without SA_RESTART, so blocking waits see EINTR.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
        libc::sigaction(libc::SIGUSR2, &sa, std::ptr::null_mut());
    }
    const N: u64 = 64;
    let mut ring = Ring::new(64).unwrap();
    // Timeouts of 1..=64 ms, so completions trickle in while signals arrive.
    let specs: Vec<sys::Timespec> = (1..=N as i64)
        .map(|ms| sys::Timespec {
            tv_sec: 0,
            tv_nsec: ms * 1_000_000,
        })
        .collect();
    for (i, ts) in specs.iter().enumerate() {
        timeout(&mut ring, ts, i as u64);
    }
    // SAFETY: pthread_self is always valid.
    let me = unsafe { libc::pthread_self() };
    let done = AtomicBool::new(false);
    let mut seen = HashSet::new();
    std::thread::scope(|s| {
        s.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                // SAFETY: the target thread lives until `done` is set.
                unsafe { libc::pthread_kill(me, libc::SIGUSR2) };
                std::thread::sleep(Duration::from_millis(2));
            }
        });
        assert_eq!(ring.submit().unwrap(), N as u32);
        while seen.len() < N as usize {
            // Alternate the plain and the timed wait; neither may surface EINTR.
            let want = if seen.len() % 2 == 0 { 1 } else { 2 };
            let want = want.min(N as u32 - seen.len() as u32);
            if seen.len() % 3 == 0 {
                ring.submit_and_wait(want).unwrap();
            } else {
                match ring.submit_and_wait_timeout(want, Duration::from_secs(5)) {
                    Ok(_) | Err(Errno::ETIME) => {}
                    Err(e) => panic!("timed wait failed: {e}"),
                }
            }
            for cqe in ring.completions() {
                assert_eq!(cqe.res, -libc::ETIME, "{cqe:?}");
                assert!(seen.insert(cqe.user_data), "duplicate CQE {cqe:?}");
            }
        }
        done.store(true, Ordering::Relaxed);
    });
    assert_eq!(seen, (0..N).collect());
    assert!(ring.peek_cqe().is_none());
}

/// With too few fds, setup fails with `EMFILE`; every ring made before still works, and after
/// they are dropped the fds are back.
#[test]
fn setup_without_fds_is_an_error() {
    let code = in_child(|| {
        let limit = libc::rlimit {
            rlim_cur: 64,
            rlim_max: 64,
        };
        // SAFETY: sets this (child) process's fd limit; `limit` is valid.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) } != 0 {
            return 10;
        }
        // Up to 64 rings fit in a fixed array: no allocation in the forked child.
        let mut rings: [Option<Ring>; 64] = [const { None }; 64];
        let mut made = 0;
        let err = loop {
            match Ring::new(2) {
                Ok(r) if made < rings.len() => {
                    rings[made] = Some(r);
                    made += 1;
                }
                Ok(_) => return 11, // the limit did not bite
                Err(e) => break e,
            }
        };
        if err != Errno::EMFILE || made == 0 {
            return 12;
        }
        // Every ring made before the failure still works.
        for ring in rings.iter_mut().flatten() {
            nop(ring, 5);
            if ring.submit_and_wait(1) != Ok(1) || ring.peek_cqe().map(|c| c.user_data) != Some(5) {
                return 13;
            }
        }
        rings = [const { None }; 64];
        drop(rings);
        match Ring::new(2) {
            Ok(_) => 0,
            Err(_) => 14,
        }
    });
    assert_eq!(code, 0, "child step {code} failed (see the test source)");
}

/// With no locked memory allowed, setup either succeeds (kernels since 5.12 charge the rings
/// to the memory cgroup instead) or fails with `ENOMEM`; it never crashes or returns junk.
#[test]
fn setup_without_locked_memory_is_ok_or_enomem() {
    let code = in_child(|| {
        let limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: sets this (child) process's locked-memory limit; `limit` is valid.
        if unsafe { libc::setrlimit(libc::RLIMIT_MEMLOCK, &limit) } != 0 {
            return 10;
        }
        match Ring::new(4096) {
            Ok(mut ring) => {
                nop(&mut ring, 1);
                if ring.submit_and_wait(1) != Ok(1) {
                    return 11;
                }
                0
            }
            Err(Errno::ENOMEM) => 1,
            Err(_) => 12,
        }
    });
    match code {
        0 => println!("RLIMIT_MEMLOCK=0: setup succeeds (memcg accounting)"),
        1 => println!("RLIMIT_MEMLOCK=0: setup fails with ENOMEM"),
        _ => panic!("child step {code} failed (see the test source)"),
    }
}

/// 10,000 NOPs into a 16-entry CQ without reaping: the kernel holds 9,984 back (NODROP), and
/// reaping gets every one exactly once, in submission order, with nothing dropped.
#[test]
fn cq_overflow_backlog_of_ten_thousand_is_flushed_in_order() {
    let mut ring = Ring::builder(8).cq_entries(16).build().unwrap();
    if !ring.features().contains(Features::NODROP) {
        skip!("kernel lacks IORING_FEAT_NODROP");
    }
    const N: u64 = 10_000;
    let mut next = 0;
    while next < N {
        while next < N {
            let Some(sqe) = ring.get_sqe() else { break };
            op::nop(sqe);
            sqe.user_data(next);
            next += 1;
        }
        match ring.submit() {
            Ok(_) => {}
            // Some kernels refuse new work while the backlog cannot be flushed.
            Err(Errno::EBUSY | Errno::EAGAIN) => break,
            Err(e) => panic!("submit: {e}"),
        }
    }
    assert!(ring.sq().flags().contains(sys::SqRingFlags::CQ_OVERFLOW));
    let submitted = next - u64::from(ring.sq_pending());
    let mut expected = 0;
    while expected < N {
        let cqe = ring.wait_cqe_timeout(Duration::from_secs(5)).unwrap();
        ring.cqe_seen();
        assert_eq!(cqe.user_data, expected, "CQE lost or out of order");
        expected += 1;
        if expected == submitted && expected < N {
            // Submit what the kernel refused earlier, now that the backlog is gone.
            ring.submit().unwrap();
        }
    }
    assert!(ring.peek_cqe().is_none());
    assert!(!ring.sq().flags().contains(sys::SqRingFlags::CQ_OVERFLOW));
    assert_eq!(ring.cq().overflow(), 0, "the kernel dropped CQEs");
}

/// A forked child gets a copy of the ring's mappings and fd. What it may do: drop its copy
/// (unmapping and closing only its own) or exit or exec. What it must not do: submit or reap,
/// because the queues are shared memory — with `SINGLE_ISSUER` the kernel refuses its enter
/// with `EEXIST`. The parent's ring, with an operation in flight across the fork, is intact.
#[test]
fn fork_with_a_ring_open_leaves_the_parent_intact() {
    let mut ring = Ring::new(8).unwrap();
    let ts = sys::Timespec {
        tv_sec: 0,
        tv_nsec: 50_000_000,
    };
    timeout(&mut ring, &ts, 77);
    ring.submit().unwrap();
    nop(&mut ring, 1); // taken before the fork, submitted after it

    let ring_ref = &mut ring;
    let code = in_child(move || {
        // The child's copy: dropping it unmaps the child's mappings and closes the child's fd.
        // SAFETY: `ring_ref` points at the parent's `Ring`, copied into this process by fork;
        // the parent's copy is untouched by what the child does to its own memory.
        unsafe { std::ptr::drop_in_place(ring_ref as *mut Ring) };
        0
    });
    assert_eq!(code, 0);
    // The child dropped its copy; the parent's ring still works and nothing was lost.
    nop(&mut ring, 2);
    ring.submit_and_wait(3).unwrap();
    let ids: HashSet<u64> = std::iter::from_fn(|| {
        let cqe = ring.wait_cqe_timeout(Duration::from_secs(5)).ok()?;
        ring.cqe_seen();
        Some(cqe.user_data)
    })
    .take(3)
    .collect();
    assert_eq!(ids, HashSet::from([1, 2, 77]));

    // With SINGLE_ISSUER a child that tries to submit is refused.
    let mut single = match Ring::builder(4).single_issuer().build() {
        Ok(r) => r,
        Err(e) => skip!("kernel lacks SINGLE_ISSUER: {e}"),
    };
    assert!(single.setup_flags().contains(SetupFlags::SINGLE_ISSUER));
    nop(&mut single, 9);
    single.submit_and_wait(1).unwrap();
    single.cqe_seen();
    let single_ref = &mut single;
    let code = in_child(move || {
        nop(single_ref, 10);
        match single_ref.submit() {
            Err(Errno::EEXIST) => 0,
            Ok(_) => 1,
            Err(_) => 2,
        }
    });
    assert_eq!(
        code, 0,
        "a forked child submitting on a SINGLE_ISSUER ring: {code}"
    );
    // The child's refused SQE was taken in the child's memory only (the SQ tail it wrote is
    // in shared memory, but the kernel refused the enter); the parent's ring keeps working.
    nop(&mut single, 11);
    let n = single.submit_and_wait(1).unwrap();
    assert!(n >= 1);
    let mut ids = Vec::new();
    for cqe in single.completions() {
        ids.push(cqe.user_data);
    }
    assert!(ids.contains(&11), "{ids:?}");
}

/// SQEs the kernel rejects complete with `-EINVAL` in their own CQE; the ring goes on.
#[test]
fn rejected_operations_complete_with_einval() {
    let mut ring = Ring::builder(8).submit_all().build().unwrap();
    let sqe = ring.get_sqe().unwrap();
    // SAFETY: the test keeps whatever these fields point to alive until the CQE is
    // reaped (or names no memory: the kernel rejects the SQE).
    let raw = unsafe { sqe.sqe_mut() };
    raw.opcode = 0xEE; // no such opcode
    sqe.user_data(1);
    let sqe = ring.get_sqe().unwrap();
    op::nop(sqe);
    // SAFETY: the test keeps whatever these fields point to alive until the CQE is
    // reaped (or names no memory: the kernel rejects the SQE).
    let raw = unsafe { sqe.sqe_mut() };
    raw.flags = 0x80; // an SQE flag bit no kernel defines
    sqe.user_data(2);
    let sqe = ring.get_sqe().unwrap();
    // SAFETY: the test keeps whatever these fields point to alive until the CQE is
    // reaped (or names no memory: the kernel rejects the SQE).
    let raw = unsafe { sqe.sqe_mut() };
    raw.opcode = sys::IORING_OP_TIMEOUT;
    raw.addr.addr = 0; // a timeout without a timespec
    raw.len = 2; // and a count other than 1
    sqe.user_data(3);
    nop(&mut ring, 4);
    assert_eq!(ring.submit_and_wait(4).unwrap(), 4);
    let mut res: Vec<(u64, i32)> = ring.completions().map(|c| (c.user_data, c.res)).collect();
    res.sort();
    assert_eq!(
        res,
        vec![
            (1, -libc::EINVAL),
            (2, -libc::EINVAL),
            (3, -libc::EINVAL),
            (4, 0)
        ]
    );
}

/// Closing the fd of an in-flight read does not end the read: the request holds its own
/// reference to the file, so data written later still lands in the buffer, which therefore
/// must stay alive until the CQE. A cancel ends the other read with `-ECANCELED`.
#[test]
fn closing_the_fd_of_an_inflight_read() {
    let mut ring = Ring::new(8).unwrap();
    let (r1, w1) = pipe();
    let (r2, w2) = pipe();
    let mut buf1 = [0u8; 16];
    let mut buf2 = [0u8; 16];
    let sqe = ring.get_sqe().unwrap();
    // SAFETY: `buf1` outlives the request: we reap its CQE below before it goes out of scope.
    unsafe { op::read(sqe, r1.as_raw_fd(), buf1.as_mut_ptr(), 16, u64::MAX) };
    sqe.user_data(1);
    let sqe = ring.get_sqe().unwrap();
    // SAFETY: as above, for `buf2`.
    unsafe { op::read(sqe, r2.as_raw_fd(), buf2.as_mut_ptr(), 16, u64::MAX) };
    sqe.user_data(2);
    assert_eq!(ring.submit().unwrap(), 2);
    std::thread::sleep(Duration::from_millis(20));
    assert!(ring.peek_cqe().is_none(), "empty pipes: reads must wait");
    drop(r1);
    drop(r2);
    std::thread::sleep(Duration::from_millis(20));
    assert!(
        ring.peek_cqe().is_none(),
        "closing the fd does not end the read"
    );

    // Read 1: data still arrives through the request's own file reference.
    // SAFETY: `w1` is an open pipe write end; the buffer is 5 bytes.
    assert_eq!(
        unsafe { libc::write(w1.as_raw_fd(), b"hello".as_ptr().cast(), 5) },
        5
    );
    // Read 2: cancelled by user_data.
    let sqe = ring.get_sqe().unwrap();
    // SAFETY: the test keeps whatever these fields point to alive until the CQE is
    // reaped (or names no memory: the kernel rejects the SQE).
    let raw = unsafe { sqe.sqe_mut() };
    raw.opcode = sys::IORING_OP_ASYNC_CANCEL;
    raw.addr.addr = 2;
    sqe.user_data(3);
    ring.submit().unwrap();
    let mut got = std::collections::HashMap::new();
    while got.len() < 3 {
        let cqe = ring.wait_cqe_timeout(Duration::from_secs(5)).unwrap();
        ring.cqe_seen();
        assert!(got.insert(cqe.user_data, cqe.res).is_none());
    }
    assert_eq!(got[&1], 5);
    assert_eq!(&buf1[..5], b"hello");
    assert_eq!(got[&2], -libc::ECANCELED);
    assert_eq!(got[&3], 0);
    assert_eq!(buf2, [0; 16], "a cancelled read wrote nothing");
    drop(w2);
}
