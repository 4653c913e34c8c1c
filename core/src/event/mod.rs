//! The safe layer (needs `alloc`): ringbahn's model of I/O that stays memory-safe when its
//! future is dropped while the kernel still owns its buffers.
//!
//! - [`Event`]: an operation and everything the kernel touches for it; it prepares its SQE and,
//!   if abandoned, hands those resources over as a [`Cancellation`].
//! - [`Registry`]: completion slots keyed by `user_data` (only ringcore writes it), reused
//!   without allocation once warm.
//! - [`Submission`]: a future yielding `(event, result)`; [`Multishot`]: a stream of
//!   completions; [`BatchSubmission`]: a future running a whole [`Batch`] of events through one
//!   completion slot and one wake-up.
//! - [`OwnedBuf`]: the byte buffers events own (`Vec<u8>`, `Box<[u8]>`, `&'static mut [u8]`).
//! - [`events`]: ready-made events for the common operations.
//!
//! Drivers live in [`driver`](crate::driver).

mod batch;
mod buf;
mod cancellation;
#[allow(clippy::module_inception)]
mod event;
pub mod events;
mod registry;
mod submission;

pub use batch::{Batch, BatchMembers, BatchProgress, BatchSubmission};
pub use buf::OwnedBuf;
pub use cancellation::Cancellation;
pub use event::Event;
pub use registry::{
    batch_member_key, CancelOutcome, Registry, BATCH_UNSET, MAX_BATCH_MEMBERS, RESERVED_USER_DATA,
};
pub use submission::{Completion, Multishot, Next, Submission};
