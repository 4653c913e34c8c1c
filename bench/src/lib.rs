//! ringcore's benchmark: ringcore against liburing, the `io-uring` crate and tokio, side by side
//! in one run, with the same loops, alternating run by run.
//!
//! `ringcore-bench` (the binary) is the driver: it re-runs itself as `child <impl> <workload>
//! <ops> [file]` for every measurement, so each implementation runs in a fresh process of the
//! same tree, checks every result against the expected one, counts instructions per NOP with
//! callgrind, and prints a markdown table.
#![warn(
    missing_docs,
    clippy::undocumented_unsafe_blocks,
    clippy::missing_safety_doc
)]

pub mod callgrind;
pub mod child;
pub mod datafile;
pub mod driver;
pub mod echo;
pub mod fio;
pub mod imp;
pub mod join;
pub mod outcome;
pub mod prng;
pub mod report;
pub mod stats;
pub mod workload;

/// Errors of the benchmark: a message or any error value.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
