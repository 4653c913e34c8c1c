//! ringcore: a small, fast, memory-safe io_uring library.
//!
//! Layers, bottom to top:
//!
//! - [`sys`]: the kernel ABI (structs, opcodes, flags) and the three syscalls.
//! - [`ring`]: the mapped queues — take SQEs, submit, reap CQEs — with no allocation, lock or
//!   syscall per SQE.
//! - [`op`]: one typed preparer per opcode; it fills an SQE and nothing else.
//! - [`register`]: registered buffers and files, eventfd, buffer rings, probe and the rest of
//!   `io_uring_register`.
//! - `event` (feature `alloc`): ringbahn's `Event` / `Cancellation` / `Submission` model, which
//!   keeps every buffer alive until the kernel has let go of it.
//! - `driver` (feature `alloc`; a shared driver with `std`): drivers that run events.
//! - `fs`, `net`, `stdio` (feature `std`): async files, sockets and standard streams on the
//!   safe layer, running on a background driver under any executor.
//!
//! The crate is `#![no_std]`; `ring`, `op` and `register` need no allocator.
#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(
    missing_docs,
    clippy::undocumented_unsafe_blocks,
    clippy::missing_safety_doc,
    clippy::incompatible_msrv
)]
#![allow(clippy::missing_errors_doc)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod error;
pub mod op;
pub mod register;
pub mod ring;
mod sync;
#[allow(missing_docs)]
pub mod sys;

#[cfg(feature = "alloc")]
pub mod callback;
#[cfg(feature = "alloc")]
pub mod driver;
#[cfg(feature = "alloc")]
pub mod event;
#[cfg(feature = "std")]
pub mod fs;
#[cfg(feature = "std")]
mod io;
#[cfg(feature = "std")]
pub mod net;
#[cfg(feature = "std")]
pub mod stdio;

pub use error::Errno;
pub use ring::{
    Builder, CompletionQueue, Completions, Entry, Entry128, Ring, SqBatch, SubmissionQueue,
    Submitter,
};
pub use sys::{Cqe, CqeFlags, Sqe, SqeFlags};

/// The README's Rust examples, compiled and run as doctests.
#[cfg(all(doctest, feature = "std"))]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;

/// The Rust guide's examples, compiled and run as doctests.
#[cfg(all(doctest, feature = "std"))]
#[doc = include_str!("../../docs/rust-guide.md")]
pub struct RustGuideExamples;

/// The soundness argument's `compile_fail` examples, run as doctests.
#[cfg(all(doctest, feature = "std"))]
#[doc = include_str!("../../docs/SOUNDNESS.md")]
pub struct SoundnessExamples;
