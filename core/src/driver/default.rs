//! [`DefaultDriver`]: the driver the std types pick when they are given none.

#[cfg(feature = "tokio")]
use super::TokioDriver;
use super::{BackgroundDriver, Drive};
use crate::event::{BatchMembers, BatchProgress, Cancellation};
use crate::ring::Entry;
use crate::Errno;
use core::task::{Context, Poll};
use std::vec::Vec;

/// The driver of the std file, socket and stdio types made without one
/// ([`File::open`](crate::fs::File::open), [`TcpStream::connect`](crate::net::TcpStream::connect),
/// ...): chosen by [`current`](Self::current) when the object is made.
///
/// - Inside a tokio runtime with I/O enabled (feature `tokio`): a `TokioDriver`, whose rings
///   live on the runtime's own threads.
/// - Anywhere else: [`BackgroundDriver::global`], whose own thread submits and reaps, so the
///   futures make progress under any executor.
///
/// To choose explicitly, give the driver to an `*_on` constructor
/// (`File::open_on(path, TokioDriver::new())`, `TcpStream::connect_on(addr, driver.clone())`).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum DefaultDriver {
    /// The process-wide background driver.
    Background(BackgroundDriver),
    /// The rings of the tokio runtime's threads.
    #[cfg(feature = "tokio")]
    Tokio(TokioDriver),
}

impl DefaultDriver {
    /// A `TokioDriver` inside a tokio runtime with I/O enabled (feature `tokio`), the global
    /// [`BackgroundDriver`] otherwise.
    ///
    /// # Errors
    /// As [`BackgroundDriver::global`], when that one is picked.
    pub fn current() -> Result<DefaultDriver, Errno> {
        #[cfg(feature = "tokio")]
        if TokioDriver::in_runtime() && TokioDriver::usable_here() {
            return Ok(DefaultDriver::Tokio(TokioDriver::new()));
        }
        Ok(DefaultDriver::Background(BackgroundDriver::global()?))
    }
}

/// Forwards a call to the driver inside.
macro_rules! each {
    ($self:expr, $d:ident => $call:expr) => {
        match $self {
            DefaultDriver::Background($d) => $call,
            #[cfg(feature = "tokio")]
            DefaultDriver::Tokio($d) => $call,
        }
    };
}

// SAFETY: every call is forwarded to the same driver inside (a value never changes variant),
// which keeps the contract.
unsafe impl Drive for DefaultDriver {
    #[inline]
    unsafe fn poll_prepare<F: FnMut(u32, &mut Entry)>(
        &self,
        cx: &mut Context<'_>,
        count: u32,
        multishot: bool,
        prepare: F,
    ) -> Poll<Result<u64, Errno>> {
        // SAFETY: forwarded from this method's caller.
        each!(self, d => unsafe { d.poll_prepare(cx, count, multishot, prepare) })
    }

    #[inline]
    fn poll_submit(&self, cx: &mut Context<'_>, eager: bool) -> Poll<Result<u32, Errno>> {
        each!(self, d => d.poll_submit(cx, eager))
    }

    #[inline]
    unsafe fn poll_prepare_batch<M: BatchMembers>(
        &self,
        cx: &mut Context<'_>,
        batch: &mut BatchProgress,
        members: M,
    ) -> Poll<Result<(), Errno>> {
        // SAFETY: forwarded from this method's caller.
        each!(self, d => unsafe { d.poll_prepare_batch(cx, batch, members) })
    }

    #[inline]
    unsafe fn poll_batch(&self, cx: &mut Context<'_>, key: u64) -> Poll<Vec<(i32, u32)>> {
        // SAFETY: forwarded from this method's caller.
        each!(self, d => unsafe { d.poll_batch(cx, key) })
    }

    #[inline]
    unsafe fn poll_complete(&self, cx: &mut Context<'_>, key: u64) -> Poll<(i32, u32)> {
        // SAFETY: forwarded from this method's caller.
        each!(self, d => unsafe { d.poll_complete(cx, key) })
    }

    #[inline]
    unsafe fn poll_next(&self, cx: &mut Context<'_>, key: u64) -> Poll<Option<(i32, u32)>> {
        // SAFETY: forwarded from this method's caller.
        each!(self, d => unsafe { d.poll_next(cx, key) })
    }

    unsafe fn request_cancel(&self, key: u64) {
        // SAFETY: forwarded from this method's caller.
        each!(self, d => unsafe { d.request_cancel(key) })
    }

    unsafe fn cancel(&self, key: u64, cancellation: Cancellation) {
        // SAFETY: forwarded from this method's caller.
        each!(self, d => unsafe { d.cancel(key, cancellation) })
    }
}
