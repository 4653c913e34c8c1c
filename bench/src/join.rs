//! A tiny join for the safe-layer loops: polls a slice of futures until every one is ready.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Polls every future in `futs` (an empty slot is a finished one) until all are done, handing
/// each output to `on_ready` with its index; stops at the first error `on_ready` returns.
pub struct JoinSlice<'a, F, G> {
    futs: &'a mut [Option<F>],
    on_ready: G,
    left: usize,
}

impl<'a, F, G, E> JoinSlice<'a, F, G>
where
    F: Future + Unpin,
    G: FnMut(usize, F::Output) -> Result<(), E> + Unpin,
{
    /// A join over `futs`.
    pub fn new(futs: &'a mut [Option<F>], on_ready: G) -> Self {
        let left = futs.iter().filter(|f| f.is_some()).count();
        JoinSlice {
            futs,
            on_ready,
            left,
        }
    }
}

impl<F, G, E> Future for JoinSlice<'_, F, G>
where
    F: Future + Unpin,
    G: FnMut(usize, F::Output) -> Result<(), E> + Unpin,
{
    type Output = Result<(), E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        for (i, slot) in this.futs.iter_mut().enumerate() {
            let Some(f) = slot else { continue };
            if let Poll::Ready(out) = Pin::new(f).poll(cx) {
                *slot = None;
                this.left -= 1;
                if let Err(e) = (this.on_ready)(i, out) {
                    return Poll::Ready(Err(e));
                }
            }
        }
        if this.left == 0 {
            Poll::Ready(Ok(()))
        } else {
            Poll::Pending
        }
    }
}
