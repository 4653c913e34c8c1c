//! The reference model of a ring shared by the property tests (`prop_ring.rs`) and the fuzz
//! target (`fuzz/fuzz_targets/ring_ops.rs`): a sequence of [`Step`]s is applied to a real ring
//! and checked, step by step, against what the ring must hold.
//!
//! The model knows, without racing the kernel, how many SQEs are taken and unsubmitted (the
//! kernel's SQ head moves only inside our `io_uring_enter`), so `get_sqe`, `sq_space_left` and
//! `submit`'s count are predicted exactly. Completions are checked as a ledger: every CQE must
//! belong to an operation in flight, carry that operation's expected result, arrive once, and
//! NOPs must arrive in submission order; at the end every operation has completed exactly once
//! and the CQ is empty, with nothing dropped. Any disagreement panics.
#![allow(dead_code)]

use ringcore::op::SqeOptions as _;
use ringcore::sys::{self, Cqe};
use ringcore::{op, Ring};
use std::collections::HashMap;
use std::time::Duration;

pub const SQ_ENTRIES: u32 = 8;
/// Smaller than the number of operations a case can have in flight, so the CQ overflows into
/// the kernel's backlog (`IORING_FEAT_NODROP`) and the flush is exercised.
pub const CQ_ENTRIES: u32 = 16;

/// A timeout far longer than a case runs: it completes only when cancelled.
static LONG: sys::Timespec = sys::Timespec {
    tv_sec: 60,
    tv_nsec: 0,
};

#[derive(Clone, Debug)]
pub enum Step {
    /// Take up to this many SQEs as NOPs.
    Nops(u8),
    /// Take one SQE as a 60 s timeout.
    Timeout,
    /// Take one SQE that removes the oldest timeout in flight (or a user_data nobody has).
    CancelOldest,
    /// An SQE the kernel must reject (unknown opcode): `-EINVAL` in its CQE.
    Invalid,
    Submit,
    /// Submit and wait for up to this many completions (clamped to what can complete).
    SubmitAndWait(u8),
    Peek,
    /// Consume this many CQEs with one store of the head (clamped by the ring).
    Advance(u8),
    /// Iterate the CQEs, stopping after this many; only those returned are consumed.
    Iterate(u8),
    /// Copy up to this many CQEs out.
    Copy(u8),
    /// Drain everything, then drop the ring and build a fresh one.
    Rebuild,
}

impl Step {
    /// Decodes fuzzer bytes into steps: two bytes per step (which step, its argument).
    pub fn decode(data: &[u8]) -> Vec<Step> {
        data.chunks_exact(2)
            .map(|b| {
                let arg = b[1];
                match b[0] % 11 {
                    0 => Step::Nops(arg % 12 + 1),
                    1 => Step::Timeout,
                    2 => Step::CancelOldest,
                    3 => Step::Invalid,
                    4 => Step::Submit,
                    5 => Step::SubmitAndWait(arg % 9),
                    6 => Step::Peek,
                    7 => Step::Advance(arg % 7),
                    8 => Step::Iterate(arg % 11),
                    9 => Step::Copy(arg % 10 + 1),
                    _ => Step::Rebuild,
                }
            })
            .collect()
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Nop,
    Timeout,
    Cancel,
    Invalid,
}

/// What the ring must hold, by `user_data`.
pub struct Model {
    pub ring: Ring,
    next_id: u64,
    /// Taken but not yet submitted, in order.
    unsubmitted: Vec<(u64, Kind)>,
    /// Submitted and not yet reaped: kind, and for cancels the timeout they target.
    in_flight: HashMap<u64, Kind>,
    /// Timeouts in flight nobody has asked to cancel yet, oldest first.
    live_timeouts: Vec<u64>,
    /// Cancels in flight: cancel id -> timeout id (`u64::MAX`: no such timeout).
    cancels: HashMap<u64, u64>,
    /// Timeouts a cancel has removed; their CQE says `-ECANCELED`.
    cancelled: Vec<u64>,
    last_nop: Option<u64>,
    pub reaped: u64,
}

pub fn new_ring() -> Ring {
    Ring::builder(SQ_ENTRIES)
        .cq_entries(CQ_ENTRIES)
        .build()
        .expect("ring setup")
}

impl Model {
    pub fn new() -> Model {
        Model {
            ring: new_ring(),
            next_id: 1,
            unsubmitted: Vec::new(),
            in_flight: HashMap::new(),
            live_timeouts: Vec::new(),
            cancels: HashMap::new(),
            cancelled: Vec::new(),
            last_nop: None,
            reaped: 0,
        }
    }

    /// Takes an SQE if the model says there is room; checks the ring agrees either way.
    fn take(&mut self, kind: Kind, target: u64) -> bool {
        let room = (self.unsubmitted.len() as u32) < SQ_ENTRIES;
        assert_eq!(
            self.ring.sq_space_left(),
            SQ_ENTRIES - self.unsubmitted.len() as u32
        );
        let Some(sqe) = self.ring.get_sqe() else {
            assert!(!room, "get_sqe refused with room in the SQ");
            return false;
        };
        assert!(room, "get_sqe handed out an SQE from a full SQ");
        let id = self.next_id;
        self.next_id += 1;
        match kind {
            Kind::Nop => op::nop(sqe),
            Kind::Timeout => {
                // SAFETY: the timespec is a static, valid for the whole program.
                let raw = unsafe { sqe.sqe_mut() };
                raw.opcode = sys::IORING_OP_TIMEOUT;
                raw.addr.addr = &LONG as *const sys::Timespec as u64;
                raw.len = 1;
            }
            Kind::Cancel => op::timeout_remove(sqe, target),
            // SAFETY: an unknown opcode carries no address; the kernel rejects it.
            Kind::Invalid => unsafe { sqe.sqe_mut() }.opcode = 0xEE,
        }
        sqe.user_data(id);
        if kind == Kind::Cancel {
            self.cancels.insert(id, target);
        }
        self.unsubmitted.push((id, kind));
        true
    }

    /// How many SQEs one `io_uring_enter` takes: every published one, except that the kernel
    /// stops right after one it rejects (no `SUBMIT_ALL`); the rest stay queued.
    fn first_chunk(&self) -> usize {
        match self
            .unsubmitted
            .iter()
            .position(|(_, k)| *k == Kind::Invalid)
        {
            Some(i) => i + 1,
            None => self.unsubmitted.len(),
        }
    }

    /// Accounts for a submit that took `n` SQEs: exactly the first chunk for a plain submit;
    /// a submit that waits enters again after a short chunk, so it may take more.
    fn submitted(&mut self, n: u32, waited: bool) {
        let n = n as usize;
        let chunk = self.first_chunk();
        if waited {
            assert!(
                (chunk..=self.unsubmitted.len()).contains(&n),
                "submit_and_wait took {n} SQEs; between {chunk} and {} expected",
                self.unsubmitted.len()
            );
        } else {
            assert_eq!(n, chunk, "submit took the wrong number of SQEs");
        }
        for (id, kind) in self.unsubmitted.drain(..n) {
            if kind == Kind::Timeout {
                self.live_timeouts.push(id);
            }
            self.in_flight.insert(id, kind);
        }
    }

    /// Timeouts are the only operations that stay in flight by themselves.
    fn can_complete(&self) -> usize {
        self.in_flight.len() - self.live_timeouts.len()
    }

    /// Checks one reaped CQE against the ledger.
    fn reap(&mut self, cqe: Cqe) {
        let kind = self
            .in_flight
            .remove(&cqe.user_data)
            .unwrap_or_else(|| panic!("CQE for nothing in flight (or twice): {cqe:?}"));
        self.reaped += 1;
        match kind {
            Kind::Nop => {
                assert_eq!(cqe.res, 0);
                assert!(
                    self.last_nop < Some(cqe.user_data),
                    "NOPs out of order: {:?} after {:?}",
                    cqe.user_data,
                    self.last_nop
                );
                self.last_nop = Some(cqe.user_data);
            }
            Kind::Invalid => assert_eq!(cqe.res, -libc::EINVAL, "{cqe:?}"),
            Kind::Timeout => {
                let i = self
                    .cancelled
                    .iter()
                    .position(|&t| t == cqe.user_data)
                    .expect("a 60 s timeout completed without being cancelled");
                self.cancelled.remove(i);
                assert_eq!(cqe.res, -libc::ECANCELED, "{cqe:?}");
            }
            Kind::Cancel => {
                let target = self.cancels.remove(&cqe.user_data).unwrap();
                let expected = if target == u64::MAX { -libc::ENOENT } else { 0 };
                assert_eq!(cqe.res, expected, "{cqe:?}");
            }
        }
    }

    pub fn apply(&mut self, step: &Step) {
        match *step {
            Step::Nops(n) => {
                for _ in 0..n {
                    if !self.take(Kind::Nop, 0) {
                        break;
                    }
                }
            }
            Step::Timeout => {
                self.take(Kind::Timeout, 0);
            }
            Step::CancelOldest => {
                // A timeout is cancellable once submitted; with none, cancel a user_data that
                // nobody has, which the kernel answers with -ENOENT.
                let target = self.live_timeouts.first().copied();
                if self.take(Kind::Cancel, target.unwrap_or(u64::MAX)) {
                    if let Some(t) = target {
                        self.live_timeouts.remove(0);
                        self.cancelled.push(t);
                    }
                }
            }
            Step::Invalid => {
                self.take(Kind::Invalid, 0);
            }
            Step::Submit => {
                let n = self.ring.submit().expect("submit");
                self.submitted(n, false);
            }
            Step::SubmitAndWait(want) => {
                // Wait only for what this submit lets complete (a rejected SQE stops it), or
                // the wait would never end; and for no more than the CQ holds.
                let taken = self.first_chunk();
                let new_timeouts = self.unsubmitted[..taken]
                    .iter()
                    .filter(|(_, k)| *k == Kind::Timeout)
                    .count();
                let bound = self.can_complete() + taken - new_timeouts;
                let want = (want as usize).min(bound).min(CQ_ENTRIES as usize) as u32;
                let n = self
                    .ring
                    .submit_and_wait_timeout(want, Duration::from_secs(10))
                    .expect("submit_and_wait");
                assert!(
                    self.ring.cq_ready() >= want,
                    "woke before {want} CQEs were ready"
                );
                self.submitted(n, want > 0);
            }
            Step::Peek => {
                if let Some(cqe) = self.ring.peek_cqe() {
                    // peek does not consume: a second peek sees the same CQE.
                    assert_eq!(self.ring.peek_cqe(), Some(cqe));
                    self.ring.cqe_seen();
                    self.reap(cqe);
                } else {
                    assert_eq!(self.ring.cq_ready(), 0);
                }
            }
            Step::Advance(n) => {
                let ready = self.ring.cq_ready();
                let mut copies = Vec::new();
                {
                    // Read the CQEs in place before the head moves past them.
                    let cq = self.ring.cq();
                    let head = cq.head_position();
                    for i in 0..(n as u32).min(ready) {
                        // SAFETY: position head + i lies below the tail (i < ready) and the head
                        // has not moved yet.
                        copies.push(unsafe { *cq.cqe_ptr(head.wrapping_add(i)) });
                    }
                }
                self.ring.cq_advance(n as u32);
                assert_eq!(self.ring.cq_ready(), ready - copies.len() as u32);
                for cqe in copies {
                    self.reap(cqe);
                }
            }
            Step::Iterate(limit) => {
                let ready = self.ring.cq_ready();
                let taken: Vec<Cqe> = self.ring.completions().take(limit as usize).collect();
                assert_eq!(taken.len(), (limit as usize).min(ready as usize));
                assert_eq!(self.ring.cq_ready(), ready - taken.len() as u32);
                for cqe in taken {
                    self.reap(cqe);
                }
            }
            Step::Copy(n) => {
                let mut out = vec![Cqe::default(); n as usize];
                let got = self.ring.copy_cqes(&mut out);
                assert!(got <= n as usize);
                for cqe in &out[..got] {
                    self.reap(*cqe);
                }
            }
            Step::Rebuild => {
                self.finish();
                self.ring = new_ring();
            }
        }
    }

    /// Submits what is left, cancels every timeout, and reaps until the ledger is empty.
    pub fn finish(&mut self) {
        while !self.unsubmitted.is_empty() {
            let n = self.ring.submit().expect("submit");
            self.submitted(n, false);
        }
        while let Some(t) = self.live_timeouts.first().copied() {
            if !self.take(Kind::Cancel, t) {
                let n = self.ring.submit().expect("submit");
                self.submitted(n, false);
                continue;
            }
            self.live_timeouts.remove(0);
            self.cancelled.push(t);
        }
        while !self.unsubmitted.is_empty() {
            let n = self.ring.submit().expect("submit");
            self.submitted(n, false);
        }
        while !self.in_flight.is_empty() {
            let cqe = self
                .ring
                .wait_cqe_timeout(Duration::from_secs(10))
                .unwrap_or_else(|e| panic!("{e}: still in flight: {:?}", self.in_flight));
            self.ring.cqe_seen();
            self.reap(cqe);
        }
        assert!(self.ring.peek_cqe().is_none(), "a CQE beyond the ledger");
        assert_eq!(self.ring.cq().overflow(), 0, "the kernel dropped CQEs");
        assert!(self.cancels.is_empty() && self.cancelled.is_empty());
    }
}
