//! ringcore: a small, fast, memory-safe io_uring library for Linux.
//!
//! io_uring lets a program hand the kernel many I/O requests through a shared ring and collect
//! their completions from another, with one system call per batch (or none). ringcore gives you
//! that ring at its raw speed and, on top, a safe layer in which the kernel can never write into
//! memory you have freed — also when you drop a future whose request is still in flight.
//!
//! # Where to start
//!
//! | you want | start at | feature |
//! |---|---|---|
//! | async files and sockets under any executor | [`fs::File`], [`fs::read`], [`net::TcpListener`], [`net::TcpStream`] | `std` (default) |
//! | timers: sleep, timeout, interval | [`time::sleep`], [`time::timeout`], [`time::interval`] | `std` (default) |
//! | any io_uring operation from safe Rust, with futures | [`driver::LocalDriver`] (one thread), [`driver::SharedDriver`], [`driver::BackgroundDriver`]; [`event::events`] | `alloc` |
//! | an operation of your own in the safe layer | [`event::Event`], [`event::Cancellation`] | `alloc` |
//! | the raw rings: every opcode, no allocation, no std | [`Ring`], [`op`], [`register`] | none |
//!
//! Files, under any executor (here `futures`' `block_on`; tokio's works the same):
//!
//! ```
//! let mut text = Vec::new();
//! futures::executor::block_on(async {
//!     let mut file = ringcore::fs::File::open("Cargo.toml").await?;
//!     file.read_to_end(&mut text).await
//! })?;
//! assert!(text.starts_with(b"[package]"));
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! The safe layer: an event owns its buffer, travels to the kernel and comes back with the
//! result ([`event::Submission`] is the future; [`event::Batch`] submits many as one):
//!
//! ```
//! use ringcore::driver::LocalDriver;
//! use ringcore::event::events::Read;
//! use std::os::fd::AsRawFd;
//!
//! let driver = LocalDriver::new(32)?;
//! let file = std::fs::File::open("Cargo.toml").unwrap();
//! let (read, res) = driver.block_on(driver.submit_event(Read::new(file.as_raw_fd(), vec![0; 9], 0)))?;
//! assert_eq!(res, Ok(9));
//! assert_eq!(&read.buf, b"[package]");
//! # Ok::<(), ringcore::Errno>(())
//! ```
//!
//! The raw ring: take SQEs, fill them with [`op`] preparers, submit the batch, reap CQEs
//! (preparers that take pointers are `unsafe`: the memory must outlive the request):
//!
//! ```
//! use ringcore::op::{self, SqeOptions};
//!
//! let mut ring = ringcore::Ring::new(64)?;
//! for i in 0..8 {
//!     op::nop(ring.get_sqe().unwrap().user_data(i));
//! }
//! ring.submit_and_wait(8)?;
//! assert_eq!(ring.completions().count(), 8);
//! # Ok::<(), ringcore::Errno>(())
//! ```
//!
//! # Layers
//!
//! Bottom to top:
//!
//! - [`sys`]: the kernel ABI (structs, opcodes, flags) and the three syscalls.
//! - [`ring`]: the mapped queues — take SQEs, submit, reap CQEs — with no allocation, lock or
//!   syscall per SQE.
//! - [`op`]: one typed preparer per opcode; it fills an SQE and nothing else.
//! - [`register`]: registered buffers and files, eventfd, buffer rings, probe and the rest of
//!   `io_uring_register`.
//! - `event` (feature `alloc`): ringbahn's `Event` / `Cancellation` / `Submission` model, which
//!   keeps every buffer alive until the kernel has let go of it.
//! - `driver` (feature `alloc`; the shared drivers with `std`): drivers that run events.
//! - `fs`, `net`, `stdio`, `time` (feature `std`): async files, sockets, standard streams and
//!   timers on the safe layer, running on a background driver under any executor.
//!
//! # Features
//!
//! - none: `sys`, `ring`, `op`, `register`; `libc` only, no allocator, `#![no_std]`.
//! - `alloc`: the safe layer and [`driver::LocalDriver`]; needs a global allocator.
//! - `std` (default): `std::io::Error` conversions, the thread-safe drivers, `fs`, `net`,
//!   `stdio`, `time`.
//! - `futures-io`: `AsyncRead`, `AsyncBufRead`, `AsyncWrite` and `AsyncSeek` for the std types.
//!
//! # Requirements and further reading
//!
//! Linux 5.11 or later with io_uring enabled (tested on 6.18); Rust 1.81 or later. Creating a
//! ring fails with [`Errno::ENOSYS`] on a kernel without io_uring and [`Errno::EPERM`] where
//! `/proc/sys/kernel/io_uring_disabled` forbids it.
//!
//! In the repository: `docs/rust-guide.md` (a tour of the layers and what a `no_std` binary
//! needs), `docs/SOUNDNESS.md` (why safe code cannot make the kernel touch freed memory),
//! `docs/coverage.md` (every opcode and registration call) and `docs/ARCHITECTURE.md`.
#![no_std]
// The crate page links the types of the `alloc` and `std` features, absent without them.
#![cfg_attr(not(feature = "std"), allow(rustdoc::broken_intra_doc_links))]
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
#[cfg(feature = "std")]
pub mod time;

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

/// The driver guide's examples (one per executor), run as doctests with feature `tokio`.
#[cfg(all(doctest, feature = "tokio"))]
#[doc = include_str!("../../docs/drivers.md")]
pub struct DriverGuideExamples;

/// The soundness argument's `compile_fail` examples, run as doctests.
#[cfg(all(doctest, feature = "std"))]
#[doc = include_str!("../../docs/SOUNDNESS.md")]
pub struct SoundnessExamples;
