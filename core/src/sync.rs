//! The one door to atomics. The ring code takes its atomic types and fences from here, so a
//! model checker can substitute its own and check the production code itself: under
//! `cfg(ringcore_loom)` (`make test-loom`) these are loom's types, whose every access loom
//! schedules and whose orderings it enforces.

#[cfg(not(ringcore_loom))]
pub(crate) use core::sync::atomic::{fence, AtomicU32, Ordering};
#[cfg(ringcore_loom)]
pub(crate) use loom::sync::atomic::{fence, AtomicU32, Ordering};
