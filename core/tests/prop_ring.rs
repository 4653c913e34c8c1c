//! Property tests of the ring layer on the real kernel: random sequences of take-SQE (NOP,
//! timeout, timeout removal, rejected opcode), submit, wait, peek, advance, partial iteration,
//! copy-out and ring rebuild, checked step by step against the reference model in
//! `model/mod.rs`.

mod model;

use model::{Model, Step};
use proptest::prelude::*;
use ringcore::sys::{self, Features};

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (1u8..=12).prop_map(Step::Nops),
        1 => Just(Step::Timeout),
        1 => Just(Step::CancelOldest),
        1 => Just(Step::Invalid),
        3 => Just(Step::Submit),
        2 => (0u8..=8).prop_map(Step::SubmitAndWait),
        2 => Just(Step::Peek),
        2 => (0u8..=6).prop_map(Step::Advance),
        2 => (0u8..=10).prop_map(Step::Iterate),
        2 => (1u8..=10).prop_map(Step::Copy),
        1 => Just(Step::Rebuild),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Every operation completes exactly once with its expected result; the SQ never hands
    /// out more than it holds; NOPs complete in order; nothing is dropped on CQ overflow.
    #[test]
    fn ring_matches_the_model(steps in prop::collection::vec(step(), 1..120)) {
        let mut model = Model::new();
        if !model.ring.features().contains(Features::NODROP) {
            println!("SKIPPED: kernel lacks IORING_FEAT_NODROP; overflow would drop CQEs");
            return Ok(());
        }
        for step in &steps {
            model.apply(step);
        }
        model.finish();
    }
}

/// The model's sizes do reach the CQ overflow path: 80 NOPs into a 16-entry CQ.
#[test]
fn the_model_reaches_cq_overflow() {
    let mut model = Model::new();
    if !model.ring.features().contains(Features::NODROP) {
        println!("SKIPPED: kernel lacks IORING_FEAT_NODROP");
        return;
    }
    for _ in 0..10 {
        model.apply(&Step::Nops(8));
        model.apply(&Step::Submit);
    }
    assert!(model
        .ring
        .sq()
        .flags()
        .contains(sys::SqRingFlags::CQ_OVERFLOW));
    model.apply(&Step::Iterate(100));
    model.finish();
    assert_eq!(model.reaped, 80);
}
