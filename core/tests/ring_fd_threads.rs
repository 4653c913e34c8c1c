//! A registered ring fd (`IORING_REGISTER_RING_FDS`) is an index into the registering
//! thread's table. A `Ring` is `Send` and its `Submitter` is `Sync`, so the ring can be used
//! from a thread whose table holds another ring at the same index: enters from there must
//! still reach this ring, never the other one, and unregistering from there must not take the
//! other ring's registration away.
#![forbid(unsafe_code)]

use ringcore::{op, sys, Errno, Ring};
use std::thread;
use std::time::Duration;

/// Prints why a test is skipped; the test then returns early.
macro_rules! skip {
    ($($arg:tt)*) => {{
        println!("SKIPPED: {}", format!($($arg)*));
        return;
    }};
}

/// How long a test waits for a CQE that must come (it comes at once when all is well).
const WAIT: Duration = Duration::from_secs(2);

/// A ring with its fd registered on the calling thread, and the index; `None` when the kernel
/// lacks ring-fd registration.
fn registered_ring() -> Option<(Ring, u32)> {
    let mut ring = Ring::new(4).unwrap();
    match ring.register_ring_fd() {
        Err(Errno::EINVAL) => None,
        r => {
            let index = r.unwrap();
            Some((ring, index))
        }
    }
}

/// Registers new rings on the calling thread until one gets `index`; returns it with the
/// rings registered on the way (kept so their indices stay taken).
fn ring_registered_at(index: u32) -> (Ring, Vec<Ring>) {
    let mut others = Vec::new();
    for _ in 0..sys::IO_RINGFD_REG_MAX {
        let mut ring = Ring::new(4).unwrap();
        if ring.register_ring_fd().unwrap() == index {
            return (ring, others);
        }
        others.push(ring);
    }
    panic!("index {index} never came up");
}

/// Queues one NOP in `ring` and publishes it without entering the kernel.
fn publish_nop(ring: &mut Ring) {
    let (_, sq, _) = ring.split();
    op::nop(sq.get_sqe().unwrap());
    sq.sync();
}

#[test]
fn a_ring_moved_to_another_thread_enters_itself_not_that_threads_ring() {
    let Some((mut x, index)) = thread::spawn(registered_ring).join().unwrap() else {
        skip!("IORING_REGISTER_RING_FDS: kernel lacks it (EINVAL)");
    };
    // The registering thread has exited; `x` now runs on this thread, which registers a ring
    // `y` at the same index and has a NOP waiting in it.
    let (mut y, _others) = ring_registered_at(index);
    publish_nop(&mut y);

    op::nop(x.get_sqe().unwrap());
    assert_eq!(x.submit(), Ok(1));
    assert_eq!(
        y.cq_ready(),
        0,
        "x's submit entered y and submitted y's NOP"
    );
    let cqe = x.wait_cqe_timeout(WAIT);
    assert!(cqe.is_ok(), "x's own NOP never completed: {cqe:?}");
    x.cqe_seen();

    // `y` itself still works through its index, and `x` keeps working here too.
    assert_eq!(y.submit_and_wait(1), Ok(1));
    assert_eq!(y.completions().count(), 1);
    op::nop(x.get_sqe().unwrap());
    assert_eq!(x.submit_and_wait_timeout(1, WAIT), Ok(1));
    assert_eq!(x.completions().count(), 1);
}

#[test]
fn a_shared_submitter_enters_its_own_ring_from_every_thread() {
    let Some((mut x, index)) = registered_ring() else {
        skip!("IORING_REGISTER_RING_FDS: kernel lacks it (EINVAL)");
    };
    publish_nop(&mut x);
    let (submitter, _, _) = x.split();
    thread::scope(|s| {
        s.spawn(|| {
            let (mut y, _others) = ring_registered_at(index);
            publish_nop(&mut y);
            // Through `&Submitter`, as `Ring::split` hands it out to be shared.
            assert_eq!(submitter.submit(), Ok(1));
            assert_eq!(y.cq_ready(), 0, "x's submitter entered y");
            assert_eq!(y.submit_and_wait(1), Ok(1));
        });
    });
    assert!(x.wait_cqe_timeout(WAIT).is_ok(), "x's NOP never completed");
    x.cqe_seen();
    // Back on the registering thread the index is still x's and still used.
    assert_eq!(x.registered_ring_index(), Some(index));
    op::nop(x.get_sqe().unwrap());
    assert_eq!(x.submit_and_wait_timeout(1, WAIT), Ok(1));
    assert_eq!(x.completions().count(), 1);
}

#[test]
fn unregistering_on_another_thread_leaves_that_threads_ring_registered() {
    let Some((mut x, index)) = thread::spawn(registered_ring).join().unwrap() else {
        skip!("IORING_REGISTER_RING_FDS: kernel lacks it (EINVAL)");
    };
    let (mut y, _others) = ring_registered_at(index);
    let unregistered = x.unregister_ring_fd();
    // `y` still enters through index `index`.
    assert_eq!(y.registered_ring_index(), Some(index));
    op::nop(y.get_sqe().unwrap());
    assert_eq!(
        y.submit_and_wait_timeout(1, WAIT),
        Ok(1),
        "x's unregister took y's registration away"
    );
    assert_eq!(y.completions().count(), 1);
    // `x`'s registration lives in the exited thread's table, not in this one: there is
    // nothing of x's here to unregister.
    assert_eq!(unregistered, Err(Errno::ENXIO));
    assert_eq!(x.registered_ring_index(), None);
    // And `x` can be registered on this thread now.
    let again = x.register_ring_fd().unwrap();
    assert_ne!(again, index);
    assert_eq!(x.registered_ring_index(), Some(again));
    op::nop(x.get_sqe().unwrap());
    assert_eq!(x.submit_and_wait_timeout(1, WAIT), Ok(1));
    assert_eq!(x.completions().count(), 1);
}

#[test]
fn a_ring_dropped_on_its_registering_thread_frees_its_slot() {
    thread::spawn(|| {
        // More rings than the table holds, one after the other.
        for _ in 0..2 * sys::IO_RINGFD_REG_MAX {
            let Some((mut ring, _)) = registered_ring() else {
                skip!("IORING_REGISTER_RING_FDS: kernel lacks it (EINVAL)");
            };
            op::nop(ring.get_sqe().unwrap());
            assert_eq!(ring.submit_and_wait_timeout(1, WAIT), Ok(1));
        }
    })
    .join()
    .unwrap();
}
