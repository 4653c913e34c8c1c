//! Provided-buffer rings against the running kernel.

use ringcore::op::SqeOptions as _;
use ringcore::register::{buffer_id, BufRing};
use ringcore::sys::{self, Cqe, CqeFlags, SqeFlags};
use ringcore::{Errno, Ring};
use std::collections::BTreeMap;

/// Prints why a test is skipped; the test then returns early.
macro_rules! skip {
    ($($arg:tt)*) => {{
        println!("SKIPPED: {}", format!($($arg)*));
        return;
    }};
}

/// A memfd holding `data`.
fn memfd_with(data: &[u8]) -> i32 {
    // SAFETY: a NUL-terminated name; the result is checked.
    let fd = unsafe { libc::memfd_create(c"ringcore-test".as_ptr(), 0) };
    assert!(fd >= 0);
    // SAFETY: `data` is readable for its length.
    let n = unsafe { libc::pwrite(fd, data.as_ptr().cast(), data.len(), 0) };
    assert_eq!(n, data.len() as isize);
    fd
}

fn close(fd: i32) {
    // SAFETY: the test owns `fd`.
    unsafe { libc::close(fd) };
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 13 % 256) as u8).collect()
}

/// Queues a READ of `len` bytes at `off` that selects its buffer from group `bgid`.
fn read_select(ring: &mut Ring, fd: i32, len: u32, off: u64, bgid: u16, user_data: u64) {
    let sqe = ring.get_sqe().unwrap();
    // SAFETY: the test keeps whatever these fields point to alive until the CQE is
    // reaped (or names no memory: the kernel rejects the SQE).
    let raw = unsafe { sqe.sqe_mut() };
    raw.opcode = sys::IORING_OP_READ;
    raw.flags = SqeFlags::BUFFER_SELECT.bits();
    raw.fd = fd;
    raw.len = len;
    raw.off.off = off;
    raw.buf.buf_group = bgid;
    sqe.user_data(user_data);
}

fn one(ring: &mut Ring) -> Cqe {
    let cqe = ring.wait_cqe().unwrap();
    ring.cqe_seen();
    cqe
}

#[test]
fn buf_ring_runs_dry_and_ids_match() {
    let mut ring = Ring::new(16).unwrap();
    let data = pattern(96);
    let fd = memfd_with(&data);
    let mut br = match BufRing::new(&ring, 7, 4, 16) {
        Err(Errno::EINVAL) => skip!("IORING_REGISTER_PBUF_RING: kernel lacks it (EINVAL)"),
        r => r.unwrap(),
    };
    assert_eq!((br.bgid(), br.entries(), br.buf_len()), (7, 4, 16));

    // Five reads of 16 bytes, four buffers: the last read finds the ring dry.
    for i in 0..5u64 {
        read_select(&mut ring, fd, 16, i * 16, 7, i);
    }
    ring.submit_and_wait(5).unwrap();
    let cqes: Vec<Cqe> = ring.completions().collect();
    assert_eq!(cqes.len(), 5);
    let mut by_bid = BTreeMap::new();
    let mut dry = 0;
    for cqe in &cqes {
        match buffer_id(cqe) {
            Some(bid) => {
                assert_eq!(cqe.res, 16, "{cqe:?}");
                let off = cqe.user_data as usize * 16;
                // SAFETY: the CQE handed `bid` back and it has not been recycled.
                let got = unsafe { br.buffer(bid, 0, 16) }.unwrap();
                assert_eq!(got, &data[off..off + 16], "bid {bid}");
                assert!(
                    by_bid.insert(bid, cqe.user_data).is_none(),
                    "bid {bid} twice"
                );
            }
            None => {
                assert_eq!(cqe.res, -libc::ENOBUFS, "{cqe:?}");
                dry += 1;
            }
        }
    }
    assert_eq!(dry, 1);
    assert_eq!(by_bid.keys().copied().collect::<Vec<_>>(), [0, 1, 2, 3]);
    match br.head() {
        Err(Errno::EINVAL) => println!("SKIPPED: IORING_REGISTER_PBUF_STATUS: kernel lacks it"),
        r => assert_eq!(r, Ok(4)),
    }

    // Give buffer 2 back (and consume a CQE in the same step): the next read gets it.
    read_select(&mut ring, fd, 16, 80, 7, 9);
    br.recycle(2).unwrap();
    br.advance();
    ring.submit_and_wait(1).unwrap();
    let cqe = ring.peek_cqe().unwrap();
    assert_eq!((cqe.user_data, cqe.res, buffer_id(&cqe)), (9, 16, Some(2)));
    // SAFETY: buffer 2 was just handed back.
    assert_eq!(unsafe { br.buffer(2, 0, 16) }.unwrap(), &data[80..96]);
    br.recycle(2).unwrap();
    br.advance_with_cq(ring.cq(), 1);
    assert_eq!(ring.cq_ready(), 0);
    read_select(&mut ring, fd, 8, 0, 7, 10);
    let cqe = one(&mut ring);
    assert_eq!((cqe.res, buffer_id(&cqe)), (8, Some(2)));
    drop(br);
    close(fd);
}

#[test]
fn incremental_consumption_reports_buf_more() {
    let mut ring = Ring::new(8).unwrap();
    let data = pattern(128);
    let fd = memfd_with(&data);
    let br = match BufRing::new_incremental(&ring, 3, 2, 64) {
        Err(Errno::EINVAL) => skip!("IOU_PBUF_RING_INC: kernel lacks it (EINVAL)"),
        r => r.unwrap(),
    };
    // 10 + 10 bytes: both land in buffer 0, one after the other, with more room left.
    read_select(&mut ring, fd, 10, 0, 3, 1);
    let a = one(&mut ring);
    read_select(&mut ring, fd, 10, 10, 3, 2);
    let b = one(&mut ring);
    for cqe in [a, b] {
        assert_eq!(cqe.res, 10);
        assert_eq!(buffer_id(&cqe), Some(0));
        assert!(CqeFlags::from_bits_retain(cqe.flags).contains(CqeFlags::BUF_MORE));
    }
    // SAFETY: bytes 0..20 of buffer 0 were filled by the reaped CQEs; the kernel writes past them.
    assert_eq!(unsafe { br.buffer(0, 0, 20) }.unwrap(), &data[..20]);
    // The remaining 44 bytes use the buffer up: no BUF_MORE; the next read moves to buffer 1.
    read_select(&mut ring, fd, 64, 20, 3, 3);
    let c = one(&mut ring);
    assert_eq!((c.res, buffer_id(&c)), (44, Some(0)));
    assert!(!CqeFlags::from_bits_retain(c.flags).contains(CqeFlags::BUF_MORE));
    // SAFETY: buffer 0 is fully handed back.
    assert_eq!(unsafe { br.buffer(0, 0, 64) }.unwrap(), &data[..64]);
    read_select(&mut ring, fd, 8, 64, 3, 4);
    let d = one(&mut ring);
    assert_eq!((d.res, buffer_id(&d)), (8, Some(1)));
    close(fd);
}

#[test]
fn caller_memory_added_to_an_empty_ring() {
    let mut ring = Ring::new(8).unwrap();
    let fd = memfd_with(b"caller owned");
    let mut br = match BufRing::empty(&ring, 11, 8) {
        Err(Errno::EINVAL) => skip!("IORING_REGISTER_PBUF_RING: kernel lacks it (EINVAL)"),
        r => r.unwrap(),
    };
    assert_eq!(br.buf_len(), 0);
    assert_eq!(br.recycle(0), Err(Errno::EINVAL));
    // Nothing published yet: dry.
    read_select(&mut ring, fd, 12, 0, 11, 1);
    assert_eq!(one(&mut ring).res, -libc::ENOBUFS);

    let mut mine = vec![0u8; 32];
    // SAFETY: `mine` outlives the request that uses it (reaped below) and the ring.
    unsafe { br.add(mine.as_mut_ptr(), 32, 500) };
    // Added but not published: still dry.
    read_select(&mut ring, fd, 12, 0, 11, 2);
    assert_eq!(one(&mut ring).res, -libc::ENOBUFS);
    br.advance();
    read_select(&mut ring, fd, 12, 0, 11, 3);
    let cqe = one(&mut ring);
    assert_eq!((cqe.res, buffer_id(&cqe)), (12, Some(500)));
    drop(br);
    assert_eq!(&mine[..12], b"caller owned");
    close(fd);
}

#[test]
fn buf_ring_errors_and_unregister_on_drop() {
    let mut ring = Ring::new(4).unwrap();
    assert_eq!(BufRing::new(&ring, 1, 3, 16).unwrap_err(), Errno::EINVAL);
    assert_eq!(BufRing::new(&ring, 1, 0, 16).unwrap_err(), Errno::EINVAL);
    assert_eq!(BufRing::new(&ring, 1, 4, 0).unwrap_err(), Errno::EINVAL);
    let br = match BufRing::new(&ring, 1, 4, 16) {
        Err(Errno::EINVAL) => skip!("IORING_REGISTER_PBUF_RING: kernel lacks it (EINVAL)"),
        r => r.unwrap(),
    };
    assert_eq!(BufRing::new(&ring, 1, 4, 16).unwrap_err(), Errno::EEXIST);
    // SAFETY: out-of-range requests return None before touching memory.
    unsafe {
        assert!(br.buffer(4, 0, 1).is_none());
        assert!(br.buffer(0, 10, 7).is_none());
        assert!(br.buffer(0, usize::MAX, 2).is_none());
    }
    let mut br = br;
    assert_eq!(br.recycle(4), Err(Errno::EINVAL));
    // A CQE without a provided buffer carries no id.
    let sqe = ring.get_sqe().unwrap();
    ringcore::op::nop(sqe);
    assert_eq!(buffer_id(&one(&mut ring)), None);

    // Dropping unregisters: the group id is free again.
    drop(br);
    let again = BufRing::new(&ring, 1, 4, 16).unwrap();
    // The ring may go first; the BufRing still unregisters cleanly afterwards.
    drop(ring);
    drop(again);
}
