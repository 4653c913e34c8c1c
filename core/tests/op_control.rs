//! Control opcodes against the running kernel: poll, epoll, timeouts, links and SQE flags,
//! cancellation, msg_ring, futexes and waitid.

mod op_common;

use op_common::*;
use ringcore::op::{self, SqeOptions};
use ringcore::sys::{self, CancelFlags, TimeoutFlags, Timespec};
use ringcore::Ring;
use std::os::fd::AsRawFd;
use std::sync::atomic::AtomicU32;
use std::time::{Duration, Instant};

const POLLIN: u32 = libc::POLLIN as u32;

fn ts(d: Duration) -> Timespec {
    Timespec {
        tv_sec: d.as_secs() as i64,
        tv_nsec: d.subsec_nanos() as i64,
    }
}

fn clock_now(clock: libc::clockid_t) -> Duration {
    // SAFETY: all-zero is a valid timespec; clock_gettime writes it.
    let mut t: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    assert_eq!(unsafe { libc::clock_gettime(clock, &mut t) }, 0);
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

#[test]
fn poll_add_fires_once_with_the_ready_mask() {
    let mut ring = Ring::new(8).unwrap();
    require!(ring, sys::IORING_OP_POLL_ADD);
    let efd = eventfd();
    op::poll_add(
        ring.get_sqe().unwrap().user_data(1),
        efd.as_raw_fd(),
        POLLIN,
    );
    ring.submit().unwrap();
    assert_no_cqe(&mut ring, 20);
    eventfd_write(efd.as_raw_fd(), 1);
    let cqe = complete_one(&mut ring);
    assert_eq!(cqe.user_data, 1);
    assert_eq!(cqe.res as u32 & POLLIN, POLLIN);
    assert!(!op::more(&cqe));
}

#[test]
fn poll_multishot_counts_every_wakeup_then_remove_ends_it() {
    let mut ring = Ring::new(8).unwrap();
    require!(ring, sys::IORING_OP_POLL_ADD, sys::IORING_OP_POLL_REMOVE);
    let (r, w) = pipe();
    op::poll_multishot(ring.get_sqe().unwrap().user_data(1), r.as_raw_fd(), POLLIN);
    ring.submit().unwrap();
    for i in 0..4 {
        write_fd(w.as_raw_fd(), b"x");
        let cqe = complete_one(&mut ring);
        assert_eq!(cqe.user_data, 1);
        assert_eq!(cqe.res as u32 & POLLIN, POLLIN, "wakeup {i}");
        assert!(op::more(&cqe), "wakeup {i} keeps the poll armed");
        assert_eq!(read_fd(r.as_raw_fd(), 8), b"x");
    }
    op::poll_remove(ring.get_sqe().unwrap().user_data(2), 1);
    let cqes = complete(&mut ring, 2);
    assert_eq!(by_ud(&cqes, 2).res, 0);
    assert_eq!(by_ud(&cqes, 1).res, -libc::ECANCELED);
    assert!(!op::more(&by_ud(&cqes, 1)));
    // Removing it again finds nothing.
    op::poll_remove(ring.get_sqe().unwrap(), 1);
    assert_eq!(complete_one(&mut ring).res, -libc::ENOENT);
}

#[test]
fn poll_update_changes_user_data_and_events() {
    let mut ring = Ring::new(8).unwrap();
    require!(ring, sys::IORING_OP_POLL_ADD, sys::IORING_OP_POLL_REMOVE);
    let (r, w) = pipe();
    // Waits for POLLPRI, which a pipe never raises; the update switches it to POLLIN and
    // renames it to user_data 2.
    op::poll_add(
        ring.get_sqe().unwrap().user_data(1),
        r.as_raw_fd(),
        libc::POLLPRI as u32,
    );
    ring.submit().unwrap();
    write_fd(w.as_raw_fd(), b"x");
    assert_no_cqe(&mut ring, 20);
    let flags = sys::IORING_POLL_UPDATE_EVENTS | sys::IORING_POLL_UPDATE_USER_DATA;
    op::poll_update(ring.get_sqe().unwrap().user_data(3), 1, 2, POLLIN, flags);
    let cqes = complete(&mut ring, 2);
    assert_eq!(by_ud(&cqes, 3).res, 0);
    assert_eq!(by_ud(&cqes, 2).res as u32 & POLLIN, POLLIN);
    // Updating a poll that is gone.
    op::poll_update(ring.get_sqe().unwrap(), 1, 2, POLLIN, flags);
    assert_eq!(complete_one(&mut ring).res, -libc::ENOENT);
}

#[test]
fn epoll_ctl_and_epoll_wait() {
    let mut ring = Ring::new(8).unwrap();
    require!(ring, sys::IORING_OP_EPOLL_CTL);
    // SAFETY: plain syscall.
    let epfd = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
    assert!(epfd >= 0);
    let efd = eventfd();
    let ev = libc::epoll_event {
        events: libc::EPOLLIN as u32,
        u64: 77,
    };
    // SAFETY: `ev` outlives the request.
    unsafe {
        op::epoll_ctl(
            ring.get_sqe().unwrap(),
            epfd,
            libc::EPOLL_CTL_ADD,
            efd.as_raw_fd(),
            &ev,
        )
    };
    assert_eq!(complete_one(&mut ring).res, 0);
    // SAFETY: as above.
    unsafe {
        op::epoll_ctl(
            ring.get_sqe().unwrap(),
            epfd,
            libc::EPOLL_CTL_ADD,
            efd.as_raw_fd(),
            &ev,
        )
    };
    assert_eq!(complete_one(&mut ring).res, -libc::EEXIST);
    eventfd_write(efd.as_raw_fd(), 1);

    let mut out = [libc::epoll_event { events: 0, u64: 0 }; 4];
    if supported(&ring, sys::IORING_OP_EPOLL_WAIT) {
        // SAFETY: `out` outlives the request.
        unsafe { op::epoll_wait(ring.get_sqe().unwrap(), epfd, out.as_mut_ptr(), 4) };
        assert_eq!(complete_one(&mut ring).res, 1);
    } else {
        println!("SKIPPED (part): IORING_OP_EPOLL_WAIT is not supported by this kernel");
        // SAFETY: `out` has room for 4 events.
        assert_eq!(
            unsafe { libc::epoll_wait(epfd, out.as_mut_ptr(), 4, 1000) },
            1
        );
    }
    let (events, data) = (out[0].events, out[0].u64);
    assert_eq!(
        (events & libc::EPOLLIN as u32, data),
        (libc::EPOLLIN as u32, 77)
    );
    // SAFETY: `EPOLL_CTL_DEL` takes no event.
    unsafe {
        op::epoll_ctl(
            ring.get_sqe().unwrap(),
            epfd,
            libc::EPOLL_CTL_DEL,
            efd.as_raw_fd(),
            std::ptr::null(),
        )
    };
    assert_eq!(complete_one(&mut ring).res, 0);
    // SAFETY: our fd.
    unsafe { libc::close(epfd) };
}

#[test]
fn timeouts_relative_absolute_and_each_clock() {
    let mut ring = Ring::new(8).unwrap();
    require!(ring, sys::IORING_OP_TIMEOUT);
    let cases: [(&str, TimeoutFlags, Option<libc::clockid_t>); 4] = [
        ("relative monotonic", TimeoutFlags::empty(), None),
        (
            "absolute monotonic",
            TimeoutFlags::ABS,
            Some(libc::CLOCK_MONOTONIC),
        ),
        (
            "absolute realtime",
            TimeoutFlags::ABS | TimeoutFlags::REALTIME,
            Some(libc::CLOCK_REALTIME),
        ),
        ("relative boottime", TimeoutFlags::BOOTTIME, None),
    ];
    for (name, flags, abs_clock) in cases {
        let wait = Duration::from_millis(20);
        let t = ts(abs_clock.map_or(wait, |c| clock_now(c) + wait));
        let start = Instant::now();
        // SAFETY: `t` outlives the submission.
        unsafe { op::timeout(ring.get_sqe().unwrap(), &t, 0, flags) };
        let cqe = complete_one(&mut ring);
        assert_eq!(cqe.res, -libc::ETIME, "{name}");
        assert!(
            start.elapsed() >= Duration::from_millis(15),
            "{name} fired early"
        );
    }
    // ETIME_SUCCESS turns the expiry into a plain completion that does not break links.
    let t = ts(Duration::from_millis(1));
    // SAFETY: `t` outlives the submission.
    unsafe {
        op::timeout(
            ring.get_sqe().unwrap().link(),
            &t,
            0,
            TimeoutFlags::ETIME_SUCCESS,
        )
    };
    op::nop(ring.get_sqe().unwrap().user_data(5));
    let cqes = complete(&mut ring, 2);
    assert_eq!(cqes[0].res, -libc::ETIME);
    assert_eq!(by_ud(&cqes, 5).res, 0, "the link went on");
    // A clock combination the kernel rejects fails in the CQE.
    // SAFETY: `t` outlives the submission.
    unsafe {
        op::timeout(
            ring.get_sqe().unwrap(),
            &t,
            0,
            TimeoutFlags::BOOTTIME | TimeoutFlags::REALTIME,
        )
    };
    assert_eq!(complete_one(&mut ring).res, -libc::EINVAL);
}

#[test]
fn timeout_by_count_completes_after_n_requests() {
    let mut ring = Ring::new(8).unwrap();
    require!(ring, sys::IORING_OP_TIMEOUT);
    let t = ts(Duration::from_secs(10));
    // SAFETY: `t` outlives the submission.
    unsafe {
        op::timeout(
            ring.get_sqe().unwrap().user_data(1),
            &t,
            2,
            TimeoutFlags::empty(),
        )
    };
    op::nop(ring.get_sqe().unwrap().user_data(2));
    op::nop(ring.get_sqe().unwrap().user_data(3));
    let start = Instant::now();
    let cqes = complete(&mut ring, 3);
    assert_eq!(by_ud(&cqes, 1).res, 0, "count reached, not timed out");
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn multishot_timeout_fires_count_times() {
    let mut ring = Ring::new(8).unwrap();
    require!(ring, sys::IORING_OP_TIMEOUT);
    let t = ts(Duration::from_millis(5));
    // SAFETY: `t` outlives the submission.
    unsafe {
        op::timeout(
            ring.get_sqe().unwrap().user_data(1),
            &t,
            3,
            TimeoutFlags::MULTISHOT,
        )
    };
    let first = complete_one(&mut ring);
    if first.res == -libc::EINVAL {
        skip!("multishot timeouts are not supported by this kernel");
    }
    let mut cqes = vec![first];
    cqes.extend(complete(&mut ring, 2));
    for (i, c) in cqes.iter().enumerate() {
        assert_eq!((c.user_data, c.res), (1, -libc::ETIME), "shot {i}");
        assert_eq!(op::more(c), i < 2, "MORE on every shot but the last ({i})");
    }
    assert_no_cqe(&mut ring, 20);
}

#[test]
fn timeout_remove_and_update() {
    let mut ring = Ring::new(8).unwrap();
    require!(ring, sys::IORING_OP_TIMEOUT, sys::IORING_OP_TIMEOUT_REMOVE);
    let long = ts(Duration::from_secs(10));
    // SAFETY: `long` outlives the submission.
    unsafe {
        op::timeout(
            ring.get_sqe().unwrap().user_data(1),
            &long,
            0,
            TimeoutFlags::empty(),
        )
    };
    op::timeout_remove(ring.get_sqe().unwrap().user_data(2), 1);
    let cqes = complete(&mut ring, 2);
    assert_eq!(by_ud(&cqes, 2).res, 0);
    assert_eq!(by_ud(&cqes, 1).res, -libc::ECANCELED);
    op::timeout_remove(ring.get_sqe().unwrap(), 1);
    assert_eq!(complete_one(&mut ring).res, -libc::ENOENT);

    // SAFETY: as above.
    unsafe {
        op::timeout(
            ring.get_sqe().unwrap().user_data(3),
            &long,
            0,
            TimeoutFlags::empty(),
        )
    };
    ring.submit().unwrap();
    let short = ts(Duration::from_millis(10));
    let start = Instant::now();
    // SAFETY: `short` outlives the submission.
    unsafe {
        op::timeout_update(
            ring.get_sqe().unwrap().user_data(4),
            3,
            &short,
            TimeoutFlags::empty(),
        )
    };
    let cqes = complete(&mut ring, 2);
    assert_eq!(by_ud(&cqes, 4).res, 0);
    assert_eq!(by_ud(&cqes, 3).res, -libc::ETIME);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "the update shortened the timeout"
    );
}

#[test]
fn link_timeout_fires_and_cancels_the_linked_request() {
    let mut ring = Ring::new(8).unwrap();
    require!(ring, sys::IORING_OP_LINK_TIMEOUT, sys::IORING_OP_POLL_ADD);
    let (r, _w) = pipe();
    let t = ts(Duration::from_millis(20));
    op::poll_add(
        ring.get_sqe().unwrap().user_data(1).link(),
        r.as_raw_fd(),
        POLLIN,
    );
    // SAFETY: `t` outlives the submission.
    unsafe {
        op::link_timeout(
            ring.get_sqe().unwrap().user_data(2),
            &t,
            TimeoutFlags::empty(),
        )
    };
    let cqes = complete(&mut ring, 2);
    assert_eq!(by_ud(&cqes, 1).res, -libc::ECANCELED);
    assert_eq!(by_ud(&cqes, 2).res, -libc::ETIME);

    // The request finishes first: the link timeout is cancelled instead.
    op::nop(ring.get_sqe().unwrap().user_data(3).link());
    // SAFETY: as above.
    unsafe {
        op::link_timeout(
            ring.get_sqe().unwrap().user_data(4),
            &t,
            TimeoutFlags::empty(),
        )
    };
    let cqes = complete(&mut ring, 2);
    assert_eq!(by_ud(&cqes, 3).res, 0);
    assert_eq!(by_ud(&cqes, 4).res, -libc::ECANCELED);
}

#[test]
fn failed_link_head_cancels_the_chain_and_hardlink_goes_on() {
    let mut ring = Ring::new(8).unwrap();
    let mut buf = [0u8; 4];
    // SAFETY: `buf` outlives the request.
    unsafe {
        op::read(
            ring.get_sqe().unwrap().user_data(1).link(),
            -1,
            buf.as_mut_ptr(),
            4,
            0,
        )
    };
    op::nop(ring.get_sqe().unwrap().user_data(2).link());
    op::nop(ring.get_sqe().unwrap().user_data(3));
    let cqes = complete(&mut ring, 3);
    assert_eq!(by_ud(&cqes, 1).res, -libc::EBADF);
    assert_eq!(by_ud(&cqes, 2).res, -libc::ECANCELED);
    assert_eq!(by_ud(&cqes, 3).res, -libc::ECANCELED);

    // SAFETY: as above.
    unsafe {
        op::read(
            ring.get_sqe().unwrap().user_data(4).hardlink(),
            -1,
            buf.as_mut_ptr(),
            4,
            0,
        )
    };
    op::nop(ring.get_sqe().unwrap().user_data(5));
    let cqes = complete(&mut ring, 2);
    assert_eq!(by_ud(&cqes, 4).res, -libc::EBADF);
    assert_eq!(by_ud(&cqes, 5).res, 0);
}

#[test]
fn drain_waits_for_everything_before_it() {
    let mut ring = Ring::new(8).unwrap();
    let (r, w) = pipe();
    op::poll_add(ring.get_sqe().unwrap().user_data(1), r.as_raw_fd(), POLLIN);
    op::nop(ring.get_sqe().unwrap().user_data(2).drain());
    ring.submit().unwrap();
    assert_no_cqe(&mut ring, 30);
    write_fd(w.as_raw_fd(), b"go");
    let cqes = complete(&mut ring, 2);
    assert_eq!(
        cqes[0].user_data, 1,
        "the poll completes before the drained NOP"
    );
    assert_eq!((cqes[1].user_data, cqes[1].res), (2, 0));
}

#[test]
fn skip_success_posts_only_failures() {
    let mut ring = Ring::new(8).unwrap();
    if !ring.features().contains(sys::Features::CQE_SKIP) {
        skip!("IORING_FEAT_CQE_SKIP is not offered by this kernel");
    }
    let mut buf = [0u8; 4];
    op::nop(ring.get_sqe().unwrap().user_data(1).skip_success());
    // SAFETY: `buf` outlives the request.
    unsafe {
        op::read(
            ring.get_sqe().unwrap().user_data(2).skip_success(),
            -1,
            buf.as_mut_ptr(),
            4,
            0,
        )
    };
    op::nop(ring.get_sqe().unwrap().user_data(3));
    let cqes = complete(&mut ring, 2);
    assert_eq!(by_ud(&cqes, 2).res, -libc::EBADF);
    assert_eq!(by_ud(&cqes, 3).res, 0);
    assert!(cqes.iter().all(|c| c.user_data != 1));
    assert_no_cqe(&mut ring, 10);
}

#[test]
fn async_flag_and_personality() {
    let mut ring = Ring::new(8).unwrap();
    let dir = TempDir::new("async");
    std::fs::write(dir.path("f"), b"async data").unwrap();
    let f = std::fs::File::open(dir.path("f")).unwrap();
    let mut buf = [0u8; 16];
    // SAFETY: `buf` outlives the request.
    unsafe {
        op::read(
            ring.get_sqe().unwrap().force_async(),
            f.as_raw_fd(),
            buf.as_mut_ptr(),
            16,
            0,
        )
    };
    assert_eq!(complete_one(&mut ring).res, 10);
    assert_eq!(&buf[..10], b"async data");

    // SAFETY: PERSONALITY takes no argument.
    let id = unsafe {
        ring.submitter()
            .register_raw(sys::IORING_REGISTER_PERSONALITY, std::ptr::null(), 0)
    };
    let id = match id {
        Ok(id) => id as u16,
        Err(e) => skip!("personalities unavailable: {e:?}"),
    };
    buf.fill(0);
    // SAFETY: as above.
    unsafe {
        op::read(
            ring.get_sqe().unwrap().personality(id),
            f.as_raw_fd(),
            buf.as_mut_ptr(),
            16,
            0,
        )
    };
    assert_eq!(complete_one(&mut ring).res, 10);
    assert_eq!(&buf[..10], b"async data");
    // SAFETY: as above.
    unsafe {
        op::read(
            ring.get_sqe().unwrap().personality(id.wrapping_add(100)),
            f.as_raw_fd(),
            buf.as_mut_ptr(),
            16,
            0,
        )
    };
    assert_eq!(
        complete_one(&mut ring).res,
        -libc::EINVAL,
        "unknown personality"
    );
}

#[test]
fn cancel_by_fd_op_all_and_any_find_every_match() {
    let mut ring = Ring::new(32).unwrap();
    require!(ring, sys::IORING_OP_ASYNC_CANCEL, sys::IORING_OP_POLL_ADD);
    let (ra, _wa) = pipe();
    let (rb, _wb) = pipe();
    let efd = eventfd();
    // Three polls on pipe A, two on pipe B, one on the eventfd, one read on pipe B.
    for ud in 10..13 {
        op::poll_add(
            ring.get_sqe().unwrap().user_data(ud),
            ra.as_raw_fd(),
            POLLIN,
        );
    }
    for ud in 20..22 {
        op::poll_add(
            ring.get_sqe().unwrap().user_data(ud),
            rb.as_raw_fd(),
            POLLIN,
        );
    }
    op::poll_add(
        ring.get_sqe().unwrap().user_data(30),
        efd.as_raw_fd(),
        POLLIN,
    );
    let mut buf = [0u8; 8];
    // SAFETY: `buf` outlives the request (it is cancelled and reaped below).
    unsafe {
        op::read(
            ring.get_sqe().unwrap().user_data(40),
            rb.as_raw_fd(),
            buf.as_mut_ptr(),
            8,
            u64::MAX,
        )
    };
    ring.submit().unwrap();
    assert_no_cqe(&mut ring, 10);

    // By fd, ALL: the three on pipe A.
    op::cancel_fd(
        ring.get_sqe().unwrap().user_data(100),
        ra.as_raw_fd(),
        CancelFlags::ALL,
    );
    let cqes = complete(&mut ring, 4);
    assert_eq!(by_ud(&cqes, 100).res, 3);
    for ud in 10..13 {
        assert_eq!(by_ud(&cqes, ud).res, -libc::ECANCELED);
    }
    // By opcode, ALL: the remaining polls (two on B, one on the eventfd), not the read.
    op::cancel_op(
        ring.get_sqe().unwrap().user_data(101),
        sys::IORING_OP_POLL_ADD,
        CancelFlags::ALL,
    );
    let cqes = complete(&mut ring, 4);
    assert_eq!(by_ud(&cqes, 101).res, 3);
    for ud in [20, 21, 30] {
        assert_eq!(by_ud(&cqes, ud).res, -libc::ECANCELED);
    }
    // Same user_data on three requests: ALL finds all three, plain finds one.
    for _ in 0..3 {
        op::poll_add(
            ring.get_sqe().unwrap().user_data(50),
            ra.as_raw_fd(),
            POLLIN,
        );
    }
    ring.submit().unwrap();
    op::cancel(
        ring.get_sqe().unwrap().user_data(102),
        50,
        CancelFlags::empty(),
    );
    let cqes = complete(&mut ring, 2);
    assert_eq!(by_ud(&cqes, 102).res, 0);
    op::cancel(ring.get_sqe().unwrap().user_data(103), 50, CancelFlags::ALL);
    let cqes = complete(&mut ring, 3);
    assert_eq!(by_ud(&cqes, 103).res, 2);
    assert_eq!(
        cqes.iter()
            .filter(|c| c.user_data == 50 && c.res == -libc::ECANCELED)
            .count(),
        2
    );
    // ANY: whatever is left (the read).
    op::cancel_any(ring.get_sqe().unwrap().user_data(104));
    let cqes = complete(&mut ring, 2);
    assert_eq!(by_ud(&cqes, 104).res, 1);
    assert!(by_ud(&cqes, 40).res == -libc::ECANCELED || by_ud(&cqes, 40).res == -libc::EINTR);
    // Nothing left: ANY counts zero, a plain user_data match is ENOENT.
    op::cancel_any(ring.get_sqe().unwrap());
    assert_eq!(complete_one(&mut ring).res, 0);
    op::cancel(ring.get_sqe().unwrap(), 12345, CancelFlags::empty());
    assert_eq!(complete_one(&mut ring).res, -libc::ENOENT);
}

#[test]
fn cancel_by_fixed_fd() {
    let mut ring = Ring::new(8).unwrap();
    require!(ring, sys::IORING_OP_ASYNC_CANCEL, sys::IORING_OP_POLL_ADD);
    let (r, _w) = pipe();
    register_files(&ring, &[r.as_raw_fd()]);
    for ud in 1..3 {
        op::poll_add(
            ring.get_sqe().unwrap().user_data(ud).fixed_file(),
            0,
            POLLIN,
        );
    }
    ring.submit().unwrap();
    op::cancel_fd(
        ring.get_sqe().unwrap().user_data(9),
        0,
        CancelFlags::FD_FIXED | CancelFlags::ALL,
    );
    let cqes = complete(&mut ring, 3);
    assert_eq!(by_ud(&cqes, 9).res, 2);
    assert_eq!(by_ud(&cqes, 1).res, -libc::ECANCELED);
    assert_eq!(by_ud(&cqes, 2).res, -libc::ECANCELED);
}

#[test]
fn msg_ring_data_flags_and_descriptors() {
    let mut a = Ring::new(8).unwrap();
    require!(a, sys::IORING_OP_MSG_RING);
    let mut b = Ring::new(8).unwrap();
    // SAFETY (every msg_ring below): ring `b` is this test's own, and nothing in it awaits the
    // user_data posted there; the messages carry no address.
    unsafe { op::msg_ring(a.get_sqe().unwrap().user_data(1), b.fd(), 42, 99, 0) };
    assert_eq!(complete_one(&mut a).res, 0);
    let got = complete_one(&mut b);
    assert_eq!((got.user_data, got.res, got.flags), (99, 42, 0));

    unsafe { op::msg_ring_cqe_flags(a.get_sqe().unwrap(), b.fd(), 7, 100, 0, 0x5 << 16) };
    assert_eq!(complete_one(&mut a).res, 0);
    let got = complete_one(&mut b);
    assert_eq!((got.user_data, got.res, got.flags), (100, 7, 0x5 << 16));

    // CQE_SKIP applies to descriptor passing only; on a data message it is EINVAL.
    unsafe {
        op::msg_ring(
            a.get_sqe().unwrap(),
            b.fd(),
            1,
            101,
            sys::IORING_MSG_RING_CQE_SKIP,
        )
    };
    assert_eq!(complete_one(&mut a).res, -libc::EINVAL);
    // Skipping the sender's CQE is the SQE flag's job.
    unsafe { op::msg_ring(a.get_sqe().unwrap().skip_success(), b.fd(), 1, 101, 0) };
    a.submit().unwrap();
    assert_eq!(complete_one(&mut b).user_data, 101);
    assert_no_cqe(&mut a, 10);

    // A direct descriptor from ring A's slot 0 into ring B's slot 2, then a free slot.
    let dir = TempDir::new("msgfd");
    std::fs::write(dir.path("f"), b"shared").unwrap();
    let f = std::fs::File::open(dir.path("f")).unwrap();
    register_files(&a, &[f.as_raw_fd()]);
    register_files_sparse(&b, 4);
    unsafe { op::msg_ring_fd(a.get_sqe().unwrap(), b.fd(), 0, 2, 200, 0) };
    assert_eq!(complete_one(&mut a).res, 0);
    let got = complete_one(&mut b);
    assert_eq!((got.user_data, got.res), (200, 0));
    unsafe {
        op::msg_ring_fd(
            a.get_sqe().unwrap(),
            b.fd(),
            0,
            sys::IORING_FILE_INDEX_ALLOC,
            201,
            0,
        )
    };
    let sender = complete_one(&mut a).res;
    let got = complete_one(&mut b);
    assert_eq!(got.user_data, 201);
    assert_eq!(sender, got.res, "both sides learn the allocated slot");
    assert!(
        (0..4).contains(&got.res) && got.res != 2,
        "allocated slot {}",
        got.res
    );
    for slot in [2, got.res, 3] {
        let mut buf = [0u8; 8];
        // SAFETY: `buf` outlives the request.
        unsafe {
            op::read(
                b.get_sqe().unwrap().fixed_file(),
                slot,
                buf.as_mut_ptr(),
                8,
                0,
            )
        };
        assert_eq!(complete_one(&mut b).res, 6);
        assert_eq!(&buf[..6], b"shared");
    }
    // Errors: a source slot that is empty, and a target that is not a ring.
    unsafe { op::msg_ring_fd(a.get_sqe().unwrap(), b.fd(), 3, 1, 0, 0) };
    assert!(complete_one(&mut a).res < 0);
    unsafe { op::msg_ring(a.get_sqe().unwrap(), f.as_raw_fd(), 0, 0, 0) };
    assert_eq!(complete_one(&mut a).res, -libc::EBADFD);
}

#[test]
fn futex_wait_wake_and_waitv() {
    let mut ring = Ring::new(8).unwrap();
    require!(
        ring,
        sys::IORING_OP_FUTEX_WAIT,
        sys::IORING_OP_FUTEX_WAKE,
        sys::IORING_OP_FUTEX_WAITV
    );
    let flags = sys::FUTEX2_SIZE_U32 | sys::FUTEX2_PRIVATE;
    let word = AtomicU32::new(0);
    let p = word.as_ptr() as *const u32;
    // SAFETY: `word` outlives every request here.
    unsafe {
        op::futex_wait(
            ring.get_sqe().unwrap().user_data(1),
            p,
            0,
            sys::FUTEX_BITSET_MATCH_ANY,
            flags,
        );
        ring.submit().unwrap();
        assert_no_cqe(&mut ring, 20);
        op::futex_wake(
            ring.get_sqe().unwrap().user_data(2),
            p,
            1,
            sys::FUTEX_BITSET_MATCH_ANY,
            flags,
        );
        let cqes = complete(&mut ring, 2);
        assert_eq!(by_ud(&cqes, 2).res, 1, "one waiter woken");
        assert_eq!(by_ud(&cqes, 1).res, 0);
        // The value differs: no wait at all.
        op::futex_wait(
            ring.get_sqe().unwrap(),
            p,
            5,
            sys::FUTEX_BITSET_MATCH_ANY,
            flags,
        );
        assert_eq!(complete_one(&mut ring).res, -libc::EAGAIN);
        // No waiters: nobody woken.
        op::futex_wake(
            ring.get_sqe().unwrap(),
            p,
            1,
            sys::FUTEX_BITSET_MATCH_ANY,
            flags,
        );
        assert_eq!(complete_one(&mut ring).res, 0);

        let second = AtomicU32::new(3);
        let v = [
            sys::FutexWaitv {
                val: 0,
                uaddr: p as u64,
                flags,
                reserved: 0,
            },
            sys::FutexWaitv {
                val: 3,
                uaddr: second.as_ptr() as u64,
                flags,
                reserved: 0,
            },
        ];
        op::futex_waitv(ring.get_sqe().unwrap().user_data(3), v.as_ptr(), 2);
        ring.submit().unwrap();
        assert_no_cqe(&mut ring, 20);
        op::futex_wake(
            ring.get_sqe().unwrap().user_data(4),
            second.as_ptr(),
            1,
            sys::FUTEX_BITSET_MATCH_ANY,
            flags,
        );
        let cqes = complete(&mut ring, 2);
        assert_eq!(by_ud(&cqes, 4).res, 1);
        assert_eq!(by_ud(&cqes, 3).res, 1, "woken by the futex at index 1");
        // Bad flags are the CQE's EINVAL.
        op::futex_wait(
            ring.get_sqe().unwrap(),
            p,
            0,
            sys::FUTEX_BITSET_MATCH_ANY,
            0x7f,
        );
        assert_eq!(complete_one(&mut ring).res, -libc::EINVAL);
    }
}

#[test]
fn waitid_reaps_a_child() {
    let mut ring = Ring::new(8).unwrap();
    require!(ring, sys::IORING_OP_WAITID);
    let child = std::process::Command::new("sh")
        .args(["-c", "exit 3"])
        .spawn()
        .unwrap();
    let pid = child.id();
    // SAFETY: all-zero is a valid siginfo_t.
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    // SAFETY: `info` outlives the request.
    unsafe {
        op::waitid(
            ring.get_sqe().unwrap(),
            libc::P_PID,
            pid,
            &mut info,
            libc::WEXITED,
        )
    };
    assert_eq!(complete_one(&mut ring).res, 0);
    // SAFETY: the kernel filled a SIGCHLD siginfo.
    unsafe {
        assert_eq!(info.si_pid(), pid as i32);
        assert_eq!(info.si_status(), 3);
    }
    assert_eq!(info.si_code, libc::CLD_EXITED);
    // Not our child (any more): ECHILD in the CQE.
    // SAFETY: as above.
    unsafe {
        op::waitid(
            ring.get_sqe().unwrap(),
            libc::P_PID,
            pid,
            &mut info,
            libc::WEXITED,
        )
    };
    assert_eq!(complete_one(&mut ring).res, -libc::ECHILD);
    drop(child);
}

#[test]
fn link_timeout_update_shortens_a_link_timeout() {
    let mut ring = Ring::new(8).unwrap();
    require!(
        ring,
        sys::IORING_OP_LINK_TIMEOUT,
        sys::IORING_OP_TIMEOUT_REMOVE
    );
    let (r, _w) = pipe();
    let long = ts(Duration::from_secs(10));
    op::poll_add(
        ring.get_sqe().unwrap().user_data(1).link(),
        r.as_raw_fd(),
        POLLIN,
    );
    // SAFETY: `long` outlives the submission.
    unsafe {
        op::link_timeout(
            ring.get_sqe().unwrap().user_data(2),
            &long,
            TimeoutFlags::empty(),
        )
    };
    ring.submit().unwrap();
    let short = ts(Duration::from_millis(10));
    let start = Instant::now();
    // SAFETY: `short` outlives the submission.
    unsafe {
        op::timeout_update(
            ring.get_sqe().unwrap().user_data(3),
            2,
            &short,
            TimeoutFlags::LINK_UPDATE,
        )
    };
    let cqes = complete(&mut ring, 3);
    assert_eq!(by_ud(&cqes, 3).res, 0);
    assert_eq!(by_ud(&cqes, 2).res, -libc::ETIME);
    assert_eq!(by_ud(&cqes, 1).res, -libc::ECANCELED);
    assert!(start.elapsed() < Duration::from_secs(5));
}
