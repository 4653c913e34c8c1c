//! The safe layer (needs `alloc`): ringbahn's model of I/O that stays memory-safe when its
//! future is dropped while the kernel still owns its buffers.
//!
//! - [`Event`]: an operation and everything the kernel touches for it; it prepares its SQE and,
//!   if abandoned, hands those resources over as a [`Cancellation`].
//! - [`Registry`]: completion slots keyed by `user_data` (only ringcore writes it), reused
//!   without allocation once warm.
//! - [`Submission`]: a future yielding `(event, result)`; [`Multishot`]: a stream of
//!   completions.
//! - [`OwnedBuf`]: the byte buffers events own (`Vec<u8>`, `Box<[u8]>`, `&'static mut [u8]`).
//! - [`events`]: ready-made events for the common operations.
//!
//! Drivers live in [`driver`](crate::driver).

mod buf;
mod cancellation;
#[allow(clippy::module_inception)]
mod event;
pub mod events;
mod registry;
mod submission;

pub use buf::OwnedBuf;
pub use cancellation::Cancellation;
pub use event::Event;
pub use registry::{CancelOutcome, Registry, RESERVED_USER_DATA};
pub use submission::{Completion, Multishot, Next, Submission};
