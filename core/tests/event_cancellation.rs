//! `Cancellation`: every constructor drops what it owns exactly once, on any thread.

use ringcore::event::{Cancellation, OwnedBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn counter() -> Arc<AtomicUsize> {
    Arc::new(AtomicUsize::new(0))
}

#[test]
fn boxed_values_slices_and_vectors_drop_once() {
    let drops = counter();
    let c = Cancellation::from_box(Box::new(Counted(drops.clone())));
    assert_eq!(drops.load(Ordering::SeqCst), 0);
    drop(c);
    assert_eq!(drops.load(Ordering::SeqCst), 1);

    let drops = counter();
    let slice: Box<[Counted]> = (0..5).map(|_| Counted(drops.clone())).collect();
    let c = Cancellation::from_boxed_slice(slice);
    assert_eq!(drops.load(Ordering::SeqCst), 0);
    drop(c);
    assert_eq!(drops.load(Ordering::SeqCst), 5);

    let drops = counter();
    let mut vec: Vec<Counted> = Vec::with_capacity(16);
    vec.extend((0..3).map(|_| Counted(drops.clone())));
    let c = Cancellation::from_vec(vec);
    drop(c);
    assert_eq!(drops.load(Ordering::SeqCst), 3);
}

#[test]
fn pairs_drop_both_halves_once() {
    let drops = counter();
    let a = Cancellation::from_box(Box::new(Counted(drops.clone())));
    let b = Cancellation::from_vec(vec![Counted(drops.clone()), Counted(drops.clone())]);
    let nested = Cancellation::pair(Cancellation::pair(a, b), Cancellation::null());
    assert_eq!(drops.load(Ordering::SeqCst), 0);
    drop(nested);
    assert_eq!(drops.load(Ordering::SeqCst), 3);
}

#[test]
fn a_cancellation_can_be_dropped_on_another_thread() {
    let drops = counter();
    let c = Cancellation::from_box(Box::new(Counted(drops.clone())));
    std::thread::spawn(move || drop(c)).join().unwrap();
    assert_eq!(drops.load(Ordering::SeqCst), 1);
}

#[test]
fn owned_buffers_keep_their_bytes_in_place_when_cancelled() {
    // The address the kernel was given stays the address of the bytes the Cancellation owns.
    let v = vec![1u8, 2, 3];
    let addr = OwnedBuf::as_ptr(&v);
    let c = v.into_cancellation();
    // SAFETY: the Cancellation owns the Vec's block, alive until `c` is dropped.
    assert_eq!(unsafe { std::slice::from_raw_parts(addr, 3) }, [1, 2, 3]);
    drop(c);
    let b: Box<[u8]> = vec![4u8, 5].into_boxed_slice();
    let addr = OwnedBuf::as_ptr(&b);
    let c = b.into_cancellation();
    // SAFETY: as above.
    assert_eq!(unsafe { std::slice::from_raw_parts(addr, 2) }, [4, 5]);
    drop(c);
    let s: &'static mut [u8] = Box::leak(vec![6u8; 4].into_boxed_slice());
    let addr = OwnedBuf::as_ptr(&s);
    drop(s.into_cancellation());
    // SAFETY: leaked memory is never freed.
    assert_eq!(unsafe { std::slice::from_raw_parts(addr, 4) }, [6; 4]);
}
