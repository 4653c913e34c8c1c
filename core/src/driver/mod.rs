//! Drivers that run events: [`LocalDriver`] (single-threaded, no std) and, with `std`,
//! [`SharedDriver`] (shared between threads).
//!
//! Both implement [`Drive`] and keep the ownership contract of the event layer: a request's
//! resources are released only after its last CQE, and dropping a driver cancels and waits
//! for every request the kernel still owns before the ring is unmapped.

#[cfg(feature = "std")]
mod background;
#[cfg(feature = "std")]
mod default;
mod drive;
mod engine;
mod engine_cell;
mod local;
#[cfg(feature = "std")]
mod shared;
#[cfg(feature = "tokio")]
mod tokio_driver;
mod wake;
#[cfg(feature = "std")]
mod watch;

#[cfg(feature = "std")]
pub use background::BackgroundDriver;
#[cfg(feature = "std")]
pub use default::DefaultDriver;
pub use drive::Drive;
pub use local::LocalDriver;
#[cfg(feature = "std")]
pub use shared::SharedDriver;
#[cfg(feature = "tokio")]
pub use tokio_driver::TokioDriver;
