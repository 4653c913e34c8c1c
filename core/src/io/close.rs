//! Closing an fd through the ring without waiting for it.

use crate::driver::Drive;
use crate::event::{Cancellation, Event, Submission};
use crate::ring::Entry;
use crate::sys::{self, SqeFlags};
use core::future::Future;
use core::mem::ManuallyDrop;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::sync::{Arc, OnceLock};
use std::task::Wake;

/// A `NOP` hard-linked to a `CLOSE` whose CQE nobody awaits.
///
/// The submission's key is the NOP's. Abandoning a submission asks the kernel to cancel its
/// key; were that key the close's, a close the kernel had punted to a worker could be
/// cancelled and the fd leaked. The NOP completes at once, and the hard link runs the close
/// whatever happens to the NOP, so the fd is closed exactly once.
#[derive(Debug)]
struct DetachedClose {
    fd: i32,
}

impl Event for DetachedClose {
    fn sqe_count(&self) -> u32 {
        2
    }

    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        sqe.raw.opcode = sys::IORING_OP_NOP;
        sqe.raw.flags |= SqeFlags::IO_HARDLINK.bits();
    }

    unsafe fn prepare_linked(&mut self, _index: u32, sqe: &mut Entry) {
        sqe.raw.opcode = sys::IORING_OP_CLOSE;
        sqe.raw.fd = self.fd;
    }

    unsafe fn cancel(_: &mut ManuallyDrop<Self>) -> Cancellation {
        Cancellation::null()
    }
}

struct NoopWake;

impl Wake for NoopWake {
    fn wake(self: Arc<Self>) {}
}

fn noop_waker() -> &'static Waker {
    static WAKER: OnceLock<Waker> = OnceLock::new();
    WAKER.get_or_init(|| Waker::from(Arc::new(NoopWake)))
}

/// Closes `fd` through `driver`'s ring and returns at once; the close runs when the driver
/// next submits. If the ring cannot take it now (SQ full, ring failed), closes it directly.
pub(crate) fn close_in_background<D: Drive + Clone>(fd: i32, driver: &D) {
    let mut sub = Submission::new(DetachedClose { fd }, driver.clone());
    let mut cx = Context::from_waker(noop_waker());
    // A submission that is not eager is `Ready` on its first poll only if it could not be
    // prepared; once prepared it is `Pending` until its CQE.
    let queued = match Pin::new(&mut sub).poll(&mut cx) {
        Poll::Pending => sub.is_in_flight(),
        Poll::Ready(_) => false,
    };
    // Dropping an in-flight submission parks it with the driver (the NOP's CQE frees it).
    drop(sub);
    if !queued {
        // SAFETY: the ring never saw this fd's close, and the owner gave the fd up.
        unsafe { libc::close(fd) };
    }
}
