//! The completion registry on its own, fed with synthetic CQEs: states, multishot order, the
//! result of requests that post a notification after it, and when Cancellations run.

use ringcore::event::{CancelOutcome, Cancellation, Registry, RESERVED_USER_DATA};
use ringcore::{Cqe, CqeFlags};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Poll, Wake, Waker};

struct CountWakes(AtomicUsize);
impl Wake for CountWakes {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn waker() -> (Waker, Arc<CountWakes>) {
    let w = Arc::new(CountWakes(AtomicUsize::new(0)));
    (Waker::from(w.clone()), w)
}

fn cqe(user_data: u64, res: i32, more: bool) -> Cqe {
    Cqe {
        user_data,
        res,
        flags: if more { CqeFlags::MORE.bits() } else { 0 },
    }
}

struct Dropped(Arc<AtomicUsize>);
impl Drop for Dropped {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn single_shot_completes_once_and_frees_its_slot() {
    let (w, wakes) = waker();
    let mut reg = Registry::new();
    let key = reg.insert(false, &w).unwrap();
    assert_eq!(reg.in_kernel(), 1);
    assert_eq!(reg.poll_complete(key, &w), Poll::Pending);
    reg.dispatch(&cqe(key, 42, false));
    assert_eq!(wakes.0.load(Ordering::SeqCst), 1);
    assert_eq!(reg.in_kernel(), 0);
    assert_eq!(reg.poll_complete(key, &w), Poll::Ready((42, 0)));
    // The key is stale now: a late CQE with it is ignored, the slot is reused with a new key.
    reg.dispatch(&cqe(key, 7, false));
    let again = reg.insert(false, &w).unwrap();
    assert_ne!(again, key);
    assert_eq!(again as u32, key as u32, "the slot is reused");
    assert_eq!(reg.capacity(), 1, "no growth after warm-up");
    assert_eq!(reg.poll_complete(key, &w), Poll::Pending);
    reg.dispatch(&cqe(RESERVED_USER_DATA, 0, false));
    assert_eq!(reg.in_kernel(), 1);
}

#[test]
fn a_notification_after_the_result_holds_the_request_open() {
    // Zero-copy send: the result comes with MORE, the buffer is released by the last CQE.
    let (w, _) = waker();
    let mut reg = Registry::new();
    let key = reg.insert(false, &w).unwrap();
    reg.dispatch(&cqe(key, 5, true));
    assert_eq!(reg.poll_complete(key, &w), Poll::Pending);
    assert_eq!(reg.in_kernel(), 1);
    reg.dispatch(&Cqe {
        user_data: key,
        res: 0,
        flags: CqeFlags::NOTIF.bits(),
    });
    assert_eq!(
        reg.poll_complete(key, &w).map(|(res, _)| res),
        Poll::Ready(5)
    );
}

#[test]
fn multishot_delivers_every_cqe_in_order_then_ends() {
    let (w, wakes) = waker();
    let mut reg = Registry::new();
    let key = reg.insert(true, &w).unwrap();
    for i in 0..5 {
        reg.dispatch(&cqe(key, i, true));
    }
    assert_eq!(wakes.0.load(Ordering::SeqCst), 5);
    for i in 0..3 {
        assert_eq!(
            reg.poll_next(key, &w),
            Poll::Ready(Some((i, CqeFlags::MORE.bits())))
        );
    }
    reg.dispatch(&cqe(key, -125, false));
    assert_eq!(reg.in_kernel(), 0);
    assert_eq!(
        reg.poll_next(key, &w),
        Poll::Ready(Some((3, CqeFlags::MORE.bits())))
    );
    assert_eq!(
        reg.poll_next(key, &w),
        Poll::Ready(Some((4, CqeFlags::MORE.bits())))
    );
    assert_eq!(reg.poll_next(key, &w), Poll::Ready(Some((-125, 0))));
    assert_eq!(reg.poll_next(key, &w), Poll::Ready(None));
}

#[test]
fn cancellations_run_after_the_last_cqe_only() {
    let (w, _) = waker();
    let mut reg = Registry::new();
    let drops = Arc::new(AtomicUsize::new(0));

    // Single shot, cancelled in flight: parked until its CQE.
    let key = reg.insert(false, &w).unwrap();
    let c = Cancellation::from_box(Box::new(Dropped(drops.clone())));
    assert_eq!(reg.cancel(key, c), CancelOutcome::Parked);
    assert!(reg.is_in_kernel(key));
    assert_eq!(drops.load(Ordering::SeqCst), 0);
    reg.dispatch(&cqe(key, -125, false));
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    assert!(!reg.is_in_kernel(key));

    // Multishot, cancelled mid-stream: CQEs with MORE keep it parked.
    let key = reg.insert(true, &w).unwrap();
    reg.dispatch(&cqe(key, 1, true));
    let c = Cancellation::from_box(Box::new(Dropped(drops.clone())));
    assert_eq!(reg.cancel(key, c), CancelOutcome::Parked);
    reg.dispatch(&cqe(key, 2, true));
    reg.dispatch(&cqe(key, 3, true));
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    reg.dispatch(&cqe(key, -125, false));
    assert_eq!(drops.load(Ordering::SeqCst), 2);

    // Completed but never collected: the Cancellation runs at once.
    let key = reg.insert(false, &w).unwrap();
    reg.dispatch(&cqe(key, 0, false));
    let c = Cancellation::from_box(Box::new(Dropped(drops.clone())));
    assert_eq!(reg.cancel(key, c), CancelOutcome::Finished);
    assert_eq!(drops.load(Ordering::SeqCst), 3);
    assert_eq!(reg.in_kernel(), 0);

    // A ring that cannot be waited on: parked Cancellations are leaked, not run.
    let key = reg.insert(false, &w).unwrap();
    let c = Cancellation::from_box(Box::new(Dropped(drops.clone())));
    reg.cancel(key, c);
    reg.leak_cancellations();
    reg.dispatch(&cqe(key, 0, false));
    drop(reg);
    assert_eq!(drops.load(Ordering::SeqCst), 3);
}

#[test]
fn keys_in_kernel_lists_exactly_the_open_requests() {
    let (w, _) = waker();
    let mut reg = Registry::with_capacity(8);
    let keys: Vec<u64> = (0..6)
        .map(|i| reg.insert(i % 2 == 0, &w).unwrap())
        .collect();
    reg.dispatch(&cqe(keys[1], 0, false));
    reg.dispatch(&cqe(keys[2], 0, false));
    reg.dispatch(&cqe(keys[4], 0, true));
    let mut open = Vec::new();
    reg.keys_in_kernel(&mut open);
    open.sort_unstable();
    let mut want = vec![keys[0], keys[3], keys[4], keys[5]];
    want.sort_unstable();
    assert_eq!(open, want);
    assert_eq!(reg.in_kernel(), 4);
    assert_eq!(reg.capacity(), 8);
}
