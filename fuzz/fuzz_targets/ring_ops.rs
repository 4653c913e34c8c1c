//! Fuzz target: byte strings decoded into sequences of ring operations (take SQEs of four
//! kinds, submit, wait, peek, advance, iterate, copy out, rebuild), applied to a real ring and
//! checked against the reference model the property tests use. A disagreement panics, which
//! libFuzzer reports as a crash and saves as a reproducer.
#![no_main]

#[path = "../../core/tests/model/mod.rs"]
mod model;

use libfuzzer_sys::fuzz_target;
use model::{Model, Step};

fuzz_target!(|data: &[u8]| {
    // Bound a run's length so each execution stays short.
    let steps = Step::decode(&data[..data.len().min(512)]);
    let mut model = Model::new();
    for step in &steps {
        model.apply(step);
    }
    model.finish();
});
