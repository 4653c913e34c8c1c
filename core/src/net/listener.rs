//! The listening side both socket families share: accept once, accept as a stream, close.

use crate::driver::Drive;
use crate::event::events::{Accept, AcceptMulti};
use crate::event::{Multishot, Submission};
use crate::io::close_in_background;
use core::future::poll_fn;
use core::marker::PhantomData;
use core::net::SocketAddr;
use core::task::{Context, Poll};
use std::io;

/// A listening socket's fd and driver; the fd is closed through the ring on drop.
#[derive(Debug)]
pub(crate) struct Listener<D: Drive + Clone> {
    pub(crate) fd: i32,
    pub(crate) driver: D,
}

impl<D: Drive + Clone> Listener<D> {
    /// Accepts one connection: its fd and, for IP sockets, the peer's address.
    pub(crate) async fn accept(&self) -> io::Result<(i32, Option<SocketAddr>)> {
        let accept = Accept::new(self.fd, libc::SOCK_CLOEXEC);
        let (accept, res) = Submission::new(accept, self.driver.clone()).await;
        Ok((res? as i32, accept.peer_addr()))
    }

    /// A multishot accept on this socket.
    pub(crate) fn incoming<S>(&self, wrap: fn(i32, D) -> S) -> Incoming<'_, S, D> {
        Incoming {
            listener: self,
            accepts: self.multishot(),
            rearm: false,
            wrap,
            _stream: PhantomData,
        }
    }

    fn multishot(&self) -> Multishot<AcceptMulti, D> {
        let event = AcceptMulti {
            fd: self.fd,
            flags: libc::SOCK_CLOEXEC,
        };
        Multishot::new(event, self.driver.clone())
    }
}

impl<D: Drive + Clone> Drop for Listener<D> {
    fn drop(&mut self) {
        close_in_background(self.fd, &self.driver);
    }
}

/// The connections of a listener, accepted by one multishot request (one SQE for any number
/// of connections). The kernel may end a multishot request on its own (for example when the
/// CQ overflowed); the stream then submits a new one. Dropping it cancels the request;
/// connections the kernel accepted after that moment are closed by nobody, so drop it only
/// when the listener goes too.
#[must_use = "streams do nothing unless polled"]
pub struct Incoming<'a, S, D: Drive + Clone> {
    listener: &'a Listener<D>,
    accepts: Multishot<AcceptMulti, D>,
    /// True after a successful completion: an end then means "re-arm", not "give up".
    rearm: bool,
    wrap: fn(i32, D) -> S,
    _stream: PhantomData<fn() -> S>,
}

impl<S, D: Drive + Clone> core::fmt::Debug for Incoming<'_, S, D> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Incoming")
            .field("fd", &self.listener.fd)
            .finish_non_exhaustive()
    }
}

impl<S, D: Drive + Clone> Incoming<'_, S, D> {
    /// Polls the next accepted connection. `None` only if the kernel ended the request right
    /// after an error.
    ///
    /// # Errors
    /// The kernel's error from `accept` (the stream goes on after it).
    pub fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<io::Result<S>>> {
        loop {
            match core::task::ready!(self.accepts.poll_next(cx)) {
                Some(completion) => {
                    return Poll::Ready(Some(match completion.result {
                        Ok(fd) => {
                            self.rearm = true;
                            Ok((self.wrap)(fd as i32, self.listener.driver.clone()))
                        }
                        Err(e) => {
                            self.rearm = false;
                            Err(e.into())
                        }
                    }));
                }
                None if self.rearm => {
                    self.rearm = false;
                    self.accepts = self.listener.multishot();
                }
                None => return Poll::Ready(None),
            }
        }
    }

    /// The next accepted connection (see [`poll_next`](Self::poll_next)).
    ///
    /// # Errors
    /// As [`poll_next`](Self::poll_next).
    // Named like `StreamExt::next`: it returns a future, so it is not an `Iterator`.
    #[allow(clippy::should_implement_trait)]
    pub async fn next(&mut self) -> Option<io::Result<S>> {
        poll_fn(|cx| self.poll_next(cx)).await
    }
}

/// The same stream for `futures`' and tokio's combinators (`StreamExt::next`, `for_each`, ...).
#[cfg(any(feature = "tokio", feature = "futures-io"))]
impl<S, D: Drive + Clone> futures_core::Stream for Incoming<'_, S, D> {
    type Item = io::Result<S>;

    fn poll_next(
        self: core::pin::Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Self::Item>> {
        Incoming::poll_next(self.get_mut(), cx)
    }
}
