//! Index arithmetic of both queues over a ring imitated in ordinary memory, with indices that
//! cross `u32::MAX`. The kernel cannot be asked to start there, so the queues run over fake
//! shared words; the code under test is the production code.

use super::cq::{CompletionQueue, CqRaw};
use super::sq::{SqRaw, SubmissionQueue};
use crate::op::SqeOptions as _;
use crate::sync::{AtomicU32, Ordering};
use crate::sys::{Cqe, Sqe};

struct FakeWords {
    sq_head: AtomicU32,
    sq_tail: AtomicU32,
    sq_flags: AtomicU32,
    sq_dropped: AtomicU32,
    cq_head: AtomicU32,
    cq_tail: AtomicU32,
    cq_overflow: AtomicU32,
}

const ENTRIES: u32 = 8;

fn fake(start: u32) -> FakeWords {
    FakeWords {
        sq_head: AtomicU32::new(start),
        sq_tail: AtomicU32::new(start),
        sq_flags: AtomicU32::new(0),
        sq_dropped: AtomicU32::new(0),
        cq_head: AtomicU32::new(start),
        cq_tail: AtomicU32::new(start),
        cq_overflow: AtomicU32::new(0),
    }
}

fn queues(w: &FakeWords, sqes: &mut [Sqe], cqes: &[Cqe]) -> (SubmissionQueue, CompletionQueue) {
    let sq = SqRaw {
        head: &w.sq_head,
        tail: &w.sq_tail,
        flags: &w.sq_flags,
        dropped: &w.sq_dropped,
        sqes: sqes.as_mut_ptr(),
        entries: ENTRIES,
        sqe_shift: 0,
    };
    let cq = CqRaw {
        head: &w.cq_head,
        tail: &w.cq_tail,
        overflow: &w.cq_overflow,
        flags: core::ptr::null(),
        cqes: cqes.as_ptr(),
        entries: ENTRIES,
        cqe_shift: 0,
    };
    // SAFETY: the words and arrays outlive the queues (the test drops them first) and have
    // ENTRIES entries, a power of two.
    unsafe { (SubmissionQueue::new(sq), CompletionQueue::new(cq)) }
}

#[test]
fn sq_wraps_across_u32_max() {
    let start = u32::MAX - 3;
    let w = fake(start);
    let mut sqes = [Sqe::ZERO; ENTRIES as usize];
    let cqes = [Cqe::default(); ENTRIES as usize];
    let (mut sq, _cq) = queues(&w, &mut sqes, &cqes);
    let mut expected_tail = start;
    for lap in 0..5u64 {
        for i in 0..ENTRIES as u64 {
            let sqe = sq.get_sqe().expect("space in the ring");
            sqe.user_data(lap * 100 + i);
            expected_tail = expected_tail.wrapping_add(1);
        }
        assert!(
            sq.get_sqe().is_none(),
            "a full ring must not hand out an SQE"
        );
        assert_eq!(sq.space_left(), 0);
        sq.sync();
        assert_eq!(w.sq_tail.load(Ordering::Relaxed), expected_tail);
        // The "kernel" consumes everything: entries are in ring order from (start + lap*8).
        let head = w.sq_head.load(Ordering::Relaxed);
        for i in 0..ENTRIES {
            let slot = (head.wrapping_add(i) & (ENTRIES - 1)) as usize;
            assert_eq!(sqes_at(&sq, slot), lap * 100 + i as u64);
        }
        w.sq_head.store(expected_tail, Ordering::Release);
        assert_eq!(sq.space_left(), ENTRIES);
    }
    assert!(expected_tail < start, "the tail wrapped around");
}

/// Reads SQE slot `slot` through the queue's own pointer, as the kernel would.
fn sqes_at(sq: &SubmissionQueue, slot: usize) -> u64 {
    sq.slot(slot).user_data
}

#[test]
fn cq_wraps_across_u32_max() {
    let start = u32::MAX - 2;
    let w = fake(start);
    let mut sqes = [Sqe::ZERO; ENTRIES as usize];
    let mut cqes = [Cqe::default(); ENTRIES as usize];
    let cq_ptr = cqes.as_mut_ptr();
    let (_sq, mut cq) = queues(&w, &mut sqes, &cqes);
    let mut next = 0u64;
    let mut seen = 0u64;
    for round in 0..6 {
        // The "kernel" posts 5 CQEs (fewer than the ring holds), then publishes the tail.
        let tail = w.cq_tail.load(Ordering::Relaxed);
        for i in 0..5u32 {
            let slot = (tail.wrapping_add(i) & (ENTRIES - 1)) as usize;
            // SAFETY: `slot` < ENTRIES; the queue reads only below the published tail.
            unsafe {
                cq_ptr.add(slot).write(Cqe {
                    user_data: next,
                    res: round,
                    flags: 0,
                })
            };
            next += 1;
        }
        w.cq_tail.store(tail.wrapping_add(5), Ordering::Release);
        assert_eq!(cq.ready(), 5);
        if round % 2 == 0 {
            for cqe in cq.completions() {
                assert_eq!(cqe.user_data, seen);
                seen += 1;
            }
        } else {
            let mut out = [Cqe::default(); 3];
            while cq.ready() > 0 {
                let n = cq.copy_into(&mut out);
                for cqe in &out[..n] {
                    assert_eq!(cqe.user_data, seen);
                    seen += 1;
                }
            }
        }
        assert_eq!(cq.ready(), 0);
        assert_eq!(
            w.cq_head.load(Ordering::Relaxed),
            w.cq_tail.load(Ordering::Relaxed)
        );
    }
    assert_eq!(seen, 30);
    assert!(
        w.cq_head.load(Ordering::Relaxed) < start,
        "the head wrapped around"
    );
}

#[test]
fn cq_advance_never_passes_the_tail() {
    let w = fake(u32::MAX);
    let mut sqes = [Sqe::ZERO; ENTRIES as usize];
    let cqes = [Cqe::default(); ENTRIES as usize];
    let (_sq, mut cq) = queues(&w, &mut sqes, &cqes);
    w.cq_tail.store(1, Ordering::Release); // two CQEs: positions u32::MAX and 0
    assert_eq!(cq.ready(), 2);
    cq.advance(10);
    assert_eq!(w.cq_head.load(Ordering::Relaxed), 1);
    assert_eq!(cq.ready(), 0);
}
