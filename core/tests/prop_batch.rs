//! Property test of batches in the completion registry: random interleavings of opening a
//! batch, preparing members, closing it, member CQEs (in any order, zero-copy style with a
//! notification, stale ones), polls and cancels, checked against a model — results land at
//! their member's index, the waiter is woken once when the last prepared member of a closed
//! batch is done, `in_kernel` and the member keys in flight are exact, and a cancelled batch's
//! Cancellation is dropped exactly once, after its last member's CQE.

mod event_common;

use event_common::{CountWakes, Dropped};
use proptest::prelude::*;
use ringcore::event::{batch_member_key, CancelOutcome, Cancellation, Registry, BATCH_UNSET};
use ringcore::{Cqe, CqeFlags};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Poll, Waker};

#[derive(Clone, Debug)]
enum Step {
    Open {
        members: u32,
    },
    Prepare {
        which: usize,
        count: u32,
    },
    Close {
        which: usize,
    },
    /// The CQE of one in-flight member; `zc`: a zero-copy send's two CQEs, result then
    /// notification.
    Cqe {
        which: usize,
        member: usize,
        res: i32,
        zc: bool,
    },
    Stale {
        which: usize,
        member: u32,
    },
    Poll {
        which: usize,
    },
    Cancel {
        which: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        2 => (1u32..8).prop_map(|members| Step::Open { members }),
        3 => (any::<usize>(), 1u32..4).prop_map(|(which, count)| Step::Prepare { which, count }),
        2 => any::<usize>().prop_map(|which| Step::Close { which }),
        6 => (any::<usize>(), any::<usize>(), -50i32..50, any::<bool>())
            .prop_map(|(which, member, res, zc)| Step::Cqe { which, member, res, zc }),
        1 => (any::<usize>(), 0u32..8).prop_map(|(which, member)| Step::Stale { which, member }),
        3 => any::<usize>().prop_map(|which| Step::Poll { which }),
        1 => any::<usize>().prop_map(|which| Step::Cancel { which }),
    ]
}

struct Batch {
    key: u64,
    len: u32,
    prepared: u32,
    closed: bool,
    /// Per member: result once its CQE arrived.
    results: Vec<(i32, u32)>,
    /// Members prepared whose CQE has not arrived.
    in_flight: Vec<u32>,
    waker: Waker,
    wakes: Arc<CountWakes>,
    expected_wakes: usize,
    /// Collected or cancelled-and-done: the slot is free.
    freed: bool,
    cancelled: Option<Arc<AtomicUsize>>,
}

impl Batch {
    fn done(&self) -> bool {
        self.closed && self.in_flight.is_empty()
    }
}

struct Model {
    reg: Registry,
    batches: Vec<Batch>,
}

impl Model {
    fn pick(&self, which: usize, f: impl Fn(&Batch) -> bool) -> Option<usize> {
        let ok: Vec<usize> = (0..self.batches.len())
            .filter(|&i| f(&self.batches[i]))
            .collect();
        ok.get(which % ok.len().max(1)).copied()
    }

    fn apply(&mut self, step: &Step) {
        match *step {
            Step::Open { members } => {
                let wakes = Arc::new(CountWakes(AtomicUsize::new(0)));
                let waker = Waker::from(wakes.clone());
                let results = vec![BATCH_UNSET; members as usize];
                let key = self.reg.insert_batch(results, &waker).expect("a free slot");
                assert!(self.batches.iter().all(|b| b.freed || b.key != key));
                self.batches.push(Batch {
                    key,
                    len: members,
                    prepared: 0,
                    closed: false,
                    results: vec![BATCH_UNSET; members as usize],
                    in_flight: Vec::new(),
                    waker,
                    wakes,
                    expected_wakes: 0,
                    freed: false,
                    cancelled: None,
                });
            }
            Step::Prepare { which, count } => {
                let Some(i) = self.pick(which, |b| !b.freed && !b.closed && b.cancelled.is_none())
                else {
                    return;
                };
                let b = &mut self.batches[i];
                let count = count.min(b.len - b.prepared);
                self.reg.batch_prepared(b.key, count);
                b.in_flight.extend(b.prepared..b.prepared + count);
                b.prepared += count;
            }
            Step::Close { which } => {
                let Some(i) = self.pick(which, |b| !b.freed && !b.closed && b.cancelled.is_none())
                else {
                    return;
                };
                let b = &mut self.batches[i];
                self.reg.batch_close(b.key);
                b.closed = true;
            }
            Step::Cqe {
                which,
                member,
                res,
                zc,
            } => {
                let Some(i) = self.pick(which, |b| !b.in_flight.is_empty()) else {
                    return;
                };
                let b = &mut self.batches[i];
                let m = b.in_flight[member % b.in_flight.len()];
                let key = batch_member_key(b.key, m);
                let drops = b.cancelled.clone();
                if zc {
                    let more = CqeFlags::MORE.bits();
                    self.reg.dispatch(&Cqe {
                        user_data: key,
                        res,
                        flags: more,
                    });
                    if let Some(d) = &drops {
                        assert_eq!(d.load(Ordering::SeqCst), 0, "dropped before the last CQE");
                    }
                    b.results[m as usize] = (res, more);
                    self.reg.dispatch(&Cqe {
                        user_data: key,
                        res: 0,
                        flags: CqeFlags::NOTIF.bits(),
                    });
                } else {
                    self.reg.dispatch(&Cqe {
                        user_data: key,
                        res,
                        flags: 0,
                    });
                    b.results[m as usize] = (res, 0);
                }
                b.in_flight.retain(|&x| x != m);
                if b.in_flight.is_empty() {
                    if b.cancelled.is_some() {
                        b.freed = true;
                    } else if b.closed {
                        b.expected_wakes += 1;
                    }
                }
            }
            Step::Stale { which, member } => {
                let Some(i) = self.pick(which, |b| b.freed) else {
                    return;
                };
                let before = self.reg.in_kernel();
                self.reg.dispatch(&Cqe {
                    user_data: batch_member_key(self.batches[i].key, member),
                    res: 1,
                    flags: 0,
                });
                assert_eq!(
                    self.reg.in_kernel(),
                    before,
                    "a stale CQE changed the registry"
                );
            }
            Step::Poll { which } => {
                let Some(i) = self.pick(which, |b| !b.freed && b.cancelled.is_none()) else {
                    return;
                };
                let b = &mut self.batches[i];
                let got = self.reg.poll_batch(b.key, &b.waker);
                if b.done() {
                    b.freed = true;
                    assert_eq!(got, Poll::Ready(b.results.clone()), "batch {i}");
                } else {
                    assert_eq!(got, Poll::Pending, "batch {i}");
                }
            }
            Step::Cancel { which } => {
                let Some(i) = self.pick(which, |b| !b.freed && b.cancelled.is_none()) else {
                    return;
                };
                let drops = Arc::new(AtomicUsize::new(0));
                let c = Cancellation::from_box(Box::new(Dropped(drops.clone())));
                let b = &mut self.batches[i];
                let outcome = self.reg.cancel(b.key, c);
                if b.in_flight.is_empty() {
                    assert_eq!(outcome, CancelOutcome::Finished);
                    assert_eq!(drops.load(Ordering::SeqCst), 1);
                    b.freed = true;
                } else {
                    assert_eq!(outcome, CancelOutcome::Parked);
                    assert_eq!(drops.load(Ordering::SeqCst), 0);
                }
                b.cancelled = Some(drops);
            }
        }
        self.check();
    }

    fn check(&self) {
        let busy = self
            .batches
            .iter()
            .filter(|b| !b.in_flight.is_empty())
            .count();
        assert_eq!(self.reg.in_kernel(), busy);
        let mut keys = Vec::new();
        self.reg.keys_in_kernel(&mut keys);
        keys.sort();
        let mut expected: Vec<u64> = self
            .batches
            .iter()
            .flat_map(|b| b.in_flight.iter().map(|&m| batch_member_key(b.key, m)))
            .collect();
        expected.sort();
        assert_eq!(keys, expected, "member keys in flight");
        for (i, b) in self.batches.iter().enumerate() {
            assert_eq!(
                b.wakes.0.load(Ordering::SeqCst),
                b.expected_wakes,
                "wake-ups of batch {i}"
            );
            if let Some(d) = &b.cancelled {
                let expected = usize::from(b.in_flight.is_empty());
                assert_eq!(d.load(Ordering::SeqCst), expected, "drops of batch {i}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn batches_match_the_model(steps in prop::collection::vec(step(), 1..300)) {
        let mut model = Model { reg: Registry::new(), batches: Vec::new() };
        for step in &steps {
            model.apply(step);
        }
        // The kernel finishes every member; every Cancellation has then run exactly once.
        for i in 0..model.batches.len() {
            // Earlier batches are finished, so the first with members in flight is this one.
            while !model.batches[i].in_flight.is_empty() {
                model.apply(&Step::Cqe { which: 0, member: 0, res: 0, zc: false });
            }
        }
        assert_eq!(model.reg.in_kernel(), 0);
        for b in &model.batches {
            if let Some(d) = &b.cancelled {
                assert_eq!(d.load(Ordering::SeqCst), 1);
            }
        }
    }
}
