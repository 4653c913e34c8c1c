//! Property test of the completion registry under random interleavings of insert, CQE
//! (single-shot, with a notification, multishot, stale or unknown keys), poll and cancel,
//! against a model: every request's result and CQEs arrive as posted; wake-ups happen when they
//! must; `in_kernel` and `is_in_kernel` are exact; every `Cancellation` is dropped exactly
//! once, and never before the request's last CQE; slots are reused (capacity never exceeds the
//! peak of requests alive at once).

mod event_common;

use event_common::{CountWakes, Dropped};
use proptest::prelude::*;
use ringcore::event::{CancelOutcome, Cancellation, Registry, RESERVED_USER_DATA};
use ringcore::{Cqe, CqeFlags};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Poll, Waker};

#[derive(Clone, Debug)]
enum Step {
    Insert {
        multishot: bool,
    },
    /// A CQE for the `which`-th request the kernel owns; `more`: another CQE follows.
    Cqe {
        which: usize,
        more: bool,
        res: i32,
    },
    /// A CQE whose key is no longer (or never was) in use.
    StaleCqe {
        which: usize,
    },
    /// Polls the `which`-th request somebody still awaits.
    Poll {
        which: usize,
    },
    /// Drops interest in the `which`-th request somebody still awaits.
    Cancel {
        which: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => any::<bool>().prop_map(|multishot| Step::Insert { multishot }),
        4 => (any::<usize>(), any::<bool>(), -200i32..200)
            .prop_map(|(which, more, res)| Step::Cqe { which, more, res }),
        1 => any::<usize>().prop_map(|which| Step::StaleCqe { which }),
        3 => any::<usize>().prop_map(|which| Step::Poll { which }),
        2 => any::<usize>().prop_map(|which| Step::Cancel { which }),
    ]
}

/// What the model knows about one request.
struct Req {
    key: u64,
    multishot: bool,
    waker: Waker,
    wakes: Arc<CountWakes>,
    expected_wakes: usize,
    /// The kernel has not posted the last CQE yet.
    kernel_owns: bool,
    /// Single-shot: the result (first CQE). Multishot: CQEs not yet delivered.
    result: Option<(i32, u32)>,
    queue: VecDeque<(i32, u32)>,
    /// The slot was freed (result collected, stream ended, or cancelled and done).
    freed: bool,
    /// Set once cancelled: the drop counter of its Cancellation.
    cancelled: Option<Arc<AtomicUsize>>,
}

struct Model {
    reg: Registry,
    reqs: Vec<Req>,
    peak_live: usize,
}

impl Model {
    fn live(&self) -> usize {
        self.reqs.iter().filter(|r| !r.freed).count()
    }

    fn in_kernel(&self) -> Vec<usize> {
        (0..self.reqs.len())
            .filter(|&i| self.reqs[i].kernel_owns)
            .collect()
    }

    fn awaited(&self) -> Vec<usize> {
        (0..self.reqs.len())
            .filter(|&i| !self.reqs[i].freed && self.reqs[i].cancelled.is_none())
            .collect()
    }

    fn post(&mut self, i: usize, res: i32, more: bool) {
        let flags = if more { CqeFlags::MORE.bits() } else { 0 };
        self.reg.dispatch(&Cqe {
            user_data: self.reqs[i].key,
            res,
            flags,
        });
        let r = &mut self.reqs[i];
        if !more {
            r.kernel_owns = false;
        }
        if let Some(drops) = &r.cancelled {
            if !more {
                r.freed = true;
                assert_eq!(
                    drops.load(Ordering::SeqCst),
                    1,
                    "not dropped at the last CQE"
                );
            } else {
                assert_eq!(
                    drops.load(Ordering::SeqCst),
                    0,
                    "dropped before the last CQE"
                );
            }
        } else if r.multishot {
            r.queue.push_back((res, flags));
            r.expected_wakes += 1;
        } else {
            if r.result.is_none() {
                r.result = Some((res, flags));
            }
            if !more {
                r.expected_wakes += 1;
            }
        }
    }

    fn apply(&mut self, step: &Step) {
        match *step {
            Step::Insert { multishot } => {
                let wakes = Arc::new(CountWakes(AtomicUsize::new(0)));
                let waker = Waker::from(wakes.clone());
                let key = self.reg.insert(multishot, &waker).expect("a free slot");
                assert_ne!(key, RESERVED_USER_DATA);
                assert!(
                    self.reqs.iter().all(|r| r.freed || r.key != key),
                    "a live key was handed out again"
                );
                self.reqs.push(Req {
                    key,
                    multishot,
                    waker,
                    wakes,
                    expected_wakes: 0,
                    kernel_owns: true,
                    result: None,
                    queue: VecDeque::new(),
                    freed: false,
                    cancelled: None,
                });
                self.peak_live = self.peak_live.max(self.live());
            }
            Step::Cqe { which, more, res } => {
                let owned = self.in_kernel();
                if let Some(&i) = owned.get(which % owned.len().max(1)) {
                    self.post(i, res, more);
                }
            }
            Step::StaleCqe { which } => {
                let freed: Vec<u64> = self
                    .reqs
                    .iter()
                    .filter(|r| r.freed)
                    .map(|r| r.key)
                    .collect();
                let key = match freed.get(which % freed.len().max(1)) {
                    // A freed key may have been reused by a live request with the same key
                    // only if generations repeat, which they must not.
                    Some(&k) => k,
                    None => (which as u64) | (0xdead << 40),
                };
                if self.reqs.iter().any(|r| !r.freed && r.key == key) {
                    panic!("a freed key is live again: {key:#x}");
                }
                let before = self.reg.in_kernel();
                self.reg.dispatch(&Cqe {
                    user_data: key,
                    res: -1,
                    flags: 0,
                });
                assert_eq!(
                    self.reg.in_kernel(),
                    before,
                    "a stale CQE changed the registry"
                );
            }
            Step::Poll { which } => {
                let awaited = self.awaited();
                let Some(&i) = awaited.get(which % awaited.len().max(1)) else {
                    return;
                };
                let r = &mut self.reqs[i];
                let waker = r.waker.clone();
                if r.multishot {
                    let got = self.reg.poll_next(r.key, &waker);
                    let expected = if let Some(cqe) = r.queue.pop_front() {
                        Poll::Ready(Some(cqe))
                    } else if !r.kernel_owns {
                        r.freed = true;
                        Poll::Ready(None)
                    } else {
                        Poll::Pending
                    };
                    assert_eq!(got, expected, "multishot request {i}");
                } else {
                    let got = self.reg.poll_complete(r.key, &waker);
                    let expected = if r.kernel_owns {
                        Poll::Pending
                    } else {
                        r.freed = true;
                        Poll::Ready(r.result.expect("a finished request has a result"))
                    };
                    assert_eq!(got, expected, "single-shot request {i}");
                }
            }
            Step::Cancel { which } => {
                let awaited = self.awaited();
                let Some(&i) = awaited.get(which % awaited.len().max(1)) else {
                    return;
                };
                let drops = Arc::new(AtomicUsize::new(0));
                let cancellation = Cancellation::from_box(Box::new(Dropped(drops.clone())));
                let r = &mut self.reqs[i];
                let outcome = self.reg.cancel(r.key, cancellation);
                if r.kernel_owns {
                    assert_eq!(outcome, CancelOutcome::Parked);
                    assert_eq!(
                        drops.load(Ordering::SeqCst),
                        0,
                        "dropped while in the kernel"
                    );
                } else {
                    assert_eq!(outcome, CancelOutcome::Finished);
                    assert_eq!(drops.load(Ordering::SeqCst), 1);
                    r.freed = true;
                }
                r.cancelled = Some(drops);
            }
        }
        self.check();
    }

    fn check(&self) {
        assert_eq!(self.reg.in_kernel(), self.in_kernel().len());
        for (i, r) in self.reqs.iter().enumerate() {
            if !r.freed {
                assert_eq!(self.reg.is_in_kernel(r.key), r.kernel_owns, "request {i}");
            }
            assert_eq!(
                r.wakes.0.load(Ordering::SeqCst),
                r.expected_wakes,
                "wake-ups of request {i}"
            );
            if let Some(drops) = &r.cancelled {
                let expected = usize::from(!r.kernel_owns);
                assert_eq!(
                    drops.load(Ordering::SeqCst),
                    expected,
                    "drops of request {i}"
                );
            }
        }
        let mut keys = Vec::new();
        self.reg.keys_in_kernel(&mut keys);
        keys.sort();
        let mut expected: Vec<u64> = self
            .reqs
            .iter()
            .filter(|r| r.kernel_owns)
            .map(|r| r.key)
            .collect();
        expected.sort();
        assert_eq!(keys, expected);
    }

    /// The kernel finishes everything; every Cancellation has then run exactly once.
    fn finish(&mut self) {
        for i in self.in_kernel() {
            self.post(i, 0, false);
        }
        self.check();
        assert_eq!(self.reg.in_kernel(), 0);
        for r in &self.reqs {
            if let Some(drops) = &r.cancelled {
                assert_eq!(drops.load(Ordering::SeqCst), 1);
            }
        }
        assert!(
            self.reg.capacity() <= self.peak_live.max(1),
            "capacity {} above the peak of {} live requests: slots are not reused",
            self.reg.capacity(),
            self.peak_live
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn registry_matches_the_model(steps in prop::collection::vec(step(), 1..300)) {
        let mut model = Model {
            reg: Registry::new(),
            reqs: Vec::new(),
            peak_live: 0,
        };
        for step in &steps {
            model.apply(step);
        }
        model.finish();
    }
}
