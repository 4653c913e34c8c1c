//! The [`Event`] trait: one io_uring operation whose memory outlives interest in it.

use super::Cancellation;
use crate::ring::Entry;
use core::mem::ManuallyDrop;

/// An io_uring operation together with every resource the kernel reads or writes for it.
///
/// An event is prepared into one SQE (or a short linked chain of them, see
/// [`sqe_count`](Event::sqe_count)) and then belongs to the kernel until its completion arrives.
/// A [`Submission`](super::Submission) drives it: it asks a driver for SQEs, calls
/// [`prepare`](Event::prepare), waits for the CQE and hands the event back with the result. If
/// the submission is dropped first, it calls [`cancel`](Event::cancel) and parks the returned
/// [`Cancellation`] with the driver, which drops it only after the kernel's last CQE for the
/// request has been reaped.
///
/// # The contract
///
/// Implementing `Event` is safe; *calling* `prepare` and `cancel` is not, and the caller (the
/// `Submission`) promises the following, which is what makes the events' own code sound:
///
/// - After `prepare` returns, the event is not touched again — not read, written, or dropped —
///   until the CQE for it has been reaped, except by a call to `cancel`. It may be moved:
///   every address an event puts in an SQE must therefore point into memory the event owns on
///   the heap (or `'static` memory), never into the event value itself.
/// - `cancel` is called at most once, only after `prepare`, and only while the kernel may
///   still own the request. It must move out of `this` everything the kernel may still
///   touch and put it in the returned `Cancellation`; `this` is never used or dropped
///   afterwards (whatever is left in it is leaked).
/// - Events write only the SQE fields of their operation; the driver sets `user_data` and the
///   link flags. An event must not use `IOSQE_CQE_SKIP_SUCCESS`: its completion is awaited.
/// # Example: an event of your own
///
/// An event that reads the first bytes of a file into an array it owns. The array is boxed, so
/// moving the event moves nothing the kernel sees; if the submission is dropped in flight,
/// `cancel` hands the box over and the driver frees it after the CQE.
///
/// ```
/// use core::mem::ManuallyDrop;
/// use ringcore::driver::LocalDriver;
/// use ringcore::event::{Cancellation, Event};
/// use ringcore::{op, Entry};
/// use std::os::fd::AsRawFd;
///
/// struct ReadMagic {
///     fd: i32,
///     magic: Box<[u8; 9]>,
/// }
///
/// impl Event for ReadMagic {
///     unsafe fn prepare(&mut self, sqe: &mut Entry) {
///         // SAFETY: `magic` is on the heap and owned by the event, which the caller keeps
///         // untouched until the CQE or hands to `cancel` (the Event contract).
///         unsafe { op::read(sqe, self.fd, self.magic.as_mut_ptr(), 9, 0) };
///     }
///
///     unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
///         // SAFETY: called once, and the event is not used afterwards.
///         let this = unsafe { ManuallyDrop::take(this) };
///         Cancellation::from_box(this.magic)
///     }
/// }
///
/// let driver = LocalDriver::new(8)?;
/// let file = std::fs::File::open("Cargo.toml").unwrap();
/// let event = ReadMagic { fd: file.as_raw_fd(), magic: Box::new([0; 9]) };
/// let (event, res) = driver.block_on(driver.submit_event(event))?;
/// assert_eq!(res, Ok(9));
/// assert_eq!(&*event.magic, b"[package]");
/// # Ok::<(), ringcore::Errno>(())
/// ```
pub trait Event {
    /// How many SQEs the event fills: 1, or more for a linked chain (for example an operation
    /// and its link timeout). Only the first SQE's CQE is delivered; the others' are ignored.
    #[inline]
    fn sqe_count(&self) -> u32 {
        1
    }

    /// True when the request posts several CQEs (`IORING_CQE_F_MORE` on all but the last);
    /// drive it with [`Multishot`](super::Multishot) to receive them all.
    #[inline]
    fn is_multishot(&self) -> bool {
        false
    }

    /// Fills the first SQE of the request.
    ///
    /// # Safety
    /// The caller must uphold the contract in the trait's documentation: the event is not used
    /// again until its completion is reaped or [`cancel`](Event::cancel) is called.
    unsafe fn prepare(&mut self, sqe: &mut Entry);

    /// Fills SQE number `index` (1 ≤ `index` < [`sqe_count`](Event::sqe_count)) of a linked
    /// chain; the driver links it to the previous one. The default leaves a `NOP`.
    ///
    /// # Safety
    /// As [`prepare`](Event::prepare), which has been called just before.
    #[inline]
    unsafe fn prepare_linked(&mut self, index: u32, sqe: &mut Entry) {
        let _ = (index, sqe);
    }

    /// Gives up the event: returns everything the kernel may still read or write.
    ///
    /// # Safety
    /// Called at most once, after [`prepare`](Event::prepare) and before the completion was
    /// delivered; `this` is neither used nor dropped afterwards.
    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation;
}
