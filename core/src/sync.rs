//! The one door to atomics. The ring code takes its atomic types and fences from here, so a
//! model checker can substitute its own (`cfg(loom)`) and check the production code itself.

pub(crate) use core::sync::atomic::{fence, AtomicU32, Ordering};
