//! Registered buffers and files against the running kernel.

use ringcore::op::SqeOptions as _;
use ringcore::sys::{self, Cqe, SqeFlags};
use ringcore::{Errno, Ring};

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
    assert!(fd >= 0, "memfd_create: {}", Errno::last());
    // SAFETY: `data` is readable for its length.
    let n = unsafe { libc::pwrite(fd, data.as_ptr().cast(), data.len(), 0) };
    assert_eq!(n, data.len() as isize);
    fd
}

fn pread_all(fd: i32, len: usize, off: i64) -> Vec<u8> {
    let mut v = vec![0u8; len];
    // SAFETY: `v` is writable for `len` bytes.
    let n = unsafe { libc::pread(fd, v.as_mut_ptr().cast(), len, off) };
    assert_eq!(n, len as isize);
    v
}

fn close(fd: i32) {
    // SAFETY: the test owns `fd`.
    unsafe { libc::close(fd) };
}

fn iov(buf: &mut [u8]) -> libc::iovec {
    libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    }
}

/// Submits what is queued, waits for one CQE and consumes it.
fn one(ring: &mut Ring) -> Cqe {
    let cqe = ring.wait_cqe().unwrap();
    ring.cqe_seen();
    cqe
}

/// Every CQE in the ring now, after flushing deferred completions.
fn drain(ring: &mut Ring) -> Vec<Cqe> {
    ring.get_events().unwrap();
    ring.completions().collect()
}

/// Queues a READ_FIXED/WRITE_FIXED of `len` bytes at `addr` (inside registered buffer `index`).
fn fixed_rw(ring: &mut Ring, opcode: u8, fd: i32, addr: *mut u8, len: u32, off: u64, index: u16) {
    let sqe = ring.get_sqe().unwrap();
    // SAFETY: the test keeps whatever these fields point to alive until the CQE is
    // reaped (or names no memory: the kernel rejects the SQE).
    let raw = unsafe { sqe.sqe_mut() };
    raw.opcode = opcode;
    raw.fd = fd;
    raw.addr.addr = addr as u64;
    raw.len = len;
    raw.off.off = off;
    raw.buf.buf_index = index;
    sqe.user_data(0xf1);
}

/// Queues a plain READ of `buf` from fixed-file slot `slot`.
fn read_fixed_file(ring: &mut Ring, slot: i32, buf: &mut [u8]) {
    let sqe = ring.get_sqe().unwrap();
    // SAFETY: the test keeps whatever these fields point to alive until the CQE is
    // reaped (or names no memory: the kernel rejects the SQE).
    let raw = unsafe { sqe.sqe_mut() };
    raw.opcode = sys::IORING_OP_READ;
    raw.flags = SqeFlags::FIXED_FILE.bits();
    raw.fd = slot;
    raw.addr.addr = buf.as_mut_ptr() as u64;
    raw.len = buf.len() as u32;
    raw.off.off = 0;
    sqe.user_data(0xf2);
}

#[test]
fn fixed_buffers_read_and_write() {
    let mut ring = Ring::new(8).unwrap();
    let data: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 251) as u8).collect();
    let fd = memfd_with(&data);
    let mut a = vec![0u8; 4096];
    let mut b = vec![0u8; 4096];
    // SAFETY: `a` and `b` outlive the registration (unregistered below, before they drop).
    unsafe { ring.register_buffers(&[iov(&mut a), iov(&mut b)]) }.unwrap();

    // READ_FIXED into the middle of buffer 1.
    fixed_rw(
        &mut ring,
        sys::IORING_OP_READ_FIXED,
        fd,
        b[100..].as_mut_ptr(),
        1000,
        5,
        1,
    );
    let cqe = one(&mut ring);
    assert_eq!(cqe.res, 1000);
    assert_eq!(&b[100..1100], &data[5..1005]);
    assert!(b[..100].iter().all(|&x| x == 0));

    // WRITE_FIXED from buffer 0.
    a[..8].copy_from_slice(b"ringcore");
    fixed_rw(
        &mut ring,
        sys::IORING_OP_WRITE_FIXED,
        fd,
        a.as_mut_ptr(),
        8,
        300,
        0,
    );
    assert_eq!(one(&mut ring).res, 8);
    assert_eq!(pread_all(fd, 8, 300), b"ringcore");

    // An index past the table, and an address outside the named buffer, fail in the CQE.
    fixed_rw(
        &mut ring,
        sys::IORING_OP_READ_FIXED,
        fd,
        a.as_mut_ptr(),
        8,
        0,
        9,
    );
    assert_eq!(one(&mut ring).res, -libc::EFAULT);
    fixed_rw(
        &mut ring,
        sys::IORING_OP_READ_FIXED,
        fd,
        b.as_mut_ptr(),
        8,
        0,
        0,
    );
    assert_eq!(one(&mut ring).res, -libc::EFAULT);

    ring.unregister_buffers().unwrap();
    close(fd);
}

#[test]
fn buffer_registration_errors() {
    let ring = Ring::new(4).unwrap();
    let mut a = vec![0u8; 64];
    assert_eq!(ring.unregister_buffers(), Err(Errno::ENXIO));
    // SAFETY: `a` outlives the registration.
    unsafe { ring.register_buffers(&[iov(&mut a)]) }.unwrap();
    // SAFETY: as above.
    assert_eq!(
        unsafe { ring.register_buffers(&[iov(&mut a)]) },
        Err(Errno::EBUSY)
    );
    assert_eq!(ring.register_buffers_sparse(4), Err(Errno::EBUSY));
    ring.unregister_buffers().unwrap();
    assert_eq!(ring.unregister_buffers(), Err(Errno::ENXIO));
    // SAFETY: rejected before the kernel sees it.
    let r = unsafe { ring.register_buffers_tags(&[iov(&mut a)], &[1, 2]) };
    assert_eq!(r, Err(Errno::EINVAL));
    // SAFETY: `a` outlives the ring; the call is refused (no table).
    let r = unsafe { ring.register_buffers_update(0, &[iov(&mut a)], None) };
    assert_eq!(r, Err(Errno::ENXIO));
    // An empty set of buffers is refused.
    // SAFETY: an empty slice names no memory.
    assert_eq!(unsafe { ring.register_buffers(&[]) }, Err(Errno::EINVAL));
}

#[test]
fn sparse_buffers_fill_by_update() {
    let mut ring = Ring::new(4).unwrap();
    let fd = memfd_with(b"sparse buffer table");
    ring.register_buffers_sparse(4).unwrap();
    let mut buf = vec![0u8; 64];
    fixed_rw(
        &mut ring,
        sys::IORING_OP_READ_FIXED,
        fd,
        buf.as_mut_ptr(),
        19,
        0,
        2,
    );
    assert_eq!(one(&mut ring).res, -libc::EFAULT, "slot 2 is empty");

    // SAFETY: `buf` outlives the registration.
    let n = unsafe { ring.register_buffers_update(2, &[iov(&mut buf)], None) }.unwrap();
    assert_eq!(n, 1);
    fixed_rw(
        &mut ring,
        sys::IORING_OP_READ_FIXED,
        fd,
        buf.as_mut_ptr(),
        19,
        0,
        2,
    );
    assert_eq!(one(&mut ring).res, 19);
    assert_eq!(&buf[..19], b"sparse buffer table");

    // Out of the table's range.
    // SAFETY: rejected; and `buf` outlives the ring anyway.
    let r = unsafe { ring.register_buffers_update(4, &[iov(&mut buf)], None) };
    assert_eq!(r, Err(Errno::EINVAL));
    ring.unregister_buffers().unwrap();
    close(fd);
}

#[test]
fn buffer_tags_post_cqes_when_released() {
    let mut ring = Ring::new(8).unwrap();
    let mut a = vec![0u8; 64];
    let mut b = vec![0u8; 64];
    let mut c = vec![0u8; 64];
    // SAFETY: the buffers outlive the registration.
    unsafe { ring.register_buffers_tags(&[iov(&mut a), iov(&mut b)], &[0xb0, 0xb1]) }.unwrap();
    // Replacing slot 0 releases `a`: its tag comes back as a CQE.
    // SAFETY: as above.
    let n = unsafe { ring.register_buffers_update(0, &[iov(&mut c)], Some(&[0xb2])) }.unwrap();
    assert_eq!(n, 1);
    let cqes = drain(&mut ring);
    assert_eq!(cqes.len(), 1, "{cqes:?}");
    assert_eq!((cqes[0].user_data, cqes[0].res), (0xb0, 0));

    ring.unregister_buffers().unwrap();
    let mut tags: Vec<u64> = drain(&mut ring).iter().map(|c| c.user_data).collect();
    tags.sort();
    assert_eq!(tags, [0xb1, 0xb2]);
}

#[test]
fn clone_buffers_share_memory_between_rings() {
    let src = Ring::new(4).unwrap();
    let mut dst = Ring::new(4).unwrap();
    let fd = memfd_with(b"cloned into another ring");
    let mut buf = vec![0u8; 128];
    // SAFETY: `buf` outlives both registrations (unregistered from both rings below).
    unsafe { src.register_buffers(&[iov(&mut buf)]) }.unwrap();
    let empty = Ring::new(4).unwrap();
    // SAFETY: the source has no buffers; nothing is shared.
    match unsafe { dst.clone_buffers_from(&empty) } {
        Err(Errno::EINVAL) => skip!("IORING_REGISTER_CLONE_BUFFERS: kernel lacks it (EINVAL)"),
        r => assert_eq!(r, Err(Errno::ENXIO)),
    }
    // SAFETY: `buf` stays alive until both rings unregister it below.
    unsafe { dst.clone_buffers_from(&src) }.unwrap();
    // SAFETY: as above; the destination already has a table.
    assert_eq!(unsafe { dst.clone_buffers_from(&src) }, Err(Errno::EBUSY));

    fixed_rw(
        &mut dst,
        sys::IORING_OP_READ_FIXED,
        fd,
        buf.as_mut_ptr(),
        24,
        0,
        0,
    );
    assert_eq!(one(&mut dst).res, 24);
    assert_eq!(&buf[..24], b"cloned into another ring");

    // Replacing the destination's table with a range of the source's works too.
    // SAFETY: as above.
    unsafe { dst.clone_buffers_range_from(&src, 0, 0, 1, true) }.unwrap();
    dst.unregister_buffers().unwrap();
    src.unregister_buffers().unwrap();
    close(fd);
}

#[test]
fn fixed_files_read_through_slots() {
    let mut ring = Ring::new(8).unwrap();
    let fa = memfd_with(b"file A");
    let fb = memfd_with(b"file B");
    ring.register_files(&[fa, -1, fb]).unwrap();
    // The slot holds its own reference: closing the fd does not matter.
    close(fb);
    let mut buf = [0u8; 6];
    read_fixed_file(&mut ring, 2, &mut buf);
    assert_eq!(one(&mut ring).res, 6);
    assert_eq!(&buf, b"file B");
    read_fixed_file(&mut ring, 0, &mut buf);
    assert_eq!(one(&mut ring).res, 6);
    assert_eq!(&buf, b"file A");
    // An empty slot and a slot past the table.
    read_fixed_file(&mut ring, 1, &mut buf);
    assert_eq!(one(&mut ring).res, -libc::EBADF);
    read_fixed_file(&mut ring, 7, &mut buf);
    assert_eq!(one(&mut ring).res, -libc::EBADF);
    ring.unregister_files().unwrap();
    close(fa);
}

#[test]
fn files_update_swaps_the_file() {
    let mut ring = Ring::new(8).unwrap();
    let fa = memfd_with(b"old file");
    let fb = memfd_with(b"new file");
    ring.register_files(&[fa, fa]).unwrap();
    let mut buf = [0u8; 8];
    read_fixed_file(&mut ring, 0, &mut buf);
    assert_eq!(one(&mut ring).res, 8);
    assert_eq!(&buf, b"old file");

    // Slot 0 gets the new file; slot 1 is skipped and keeps the old one.
    let n = ring
        .register_files_update(0, &[fb, sys::IORING_REGISTER_FILES_SKIP])
        .unwrap();
    assert_eq!(n, 2);
    read_fixed_file(&mut ring, 0, &mut buf);
    assert_eq!(one(&mut ring).res, 8);
    assert_eq!(&buf, b"new file");
    read_fixed_file(&mut ring, 1, &mut buf);
    assert_eq!(one(&mut ring).res, 8);
    assert_eq!(&buf, b"old file");

    // -1 empties a slot.
    assert_eq!(ring.register_files_update(1, &[-1]).unwrap(), 1);
    read_fixed_file(&mut ring, 1, &mut buf);
    assert_eq!(one(&mut ring).res, -libc::EBADF);
    assert_eq!(ring.register_files_update(2, &[fa]), Err(Errno::EINVAL));
    ring.unregister_files().unwrap();
    close(fa);
    close(fb);
}

#[test]
fn file_registration_errors() {
    let ring = Ring::new(4).unwrap();
    let fa = memfd_with(b"x");
    assert_eq!(ring.unregister_files(), Err(Errno::ENXIO));
    assert_eq!(ring.register_files_update(0, &[fa]), Err(Errno::ENXIO));
    assert_eq!(ring.register_files(&[fa, 999_999]), Err(Errno::EBADF));
    assert_eq!(ring.register_files_tags(&[fa], &[1, 2]), Err(Errno::EINVAL));
    assert_eq!(ring.register_files(&[]), Err(Errno::EINVAL));
    ring.register_files(&[fa]).unwrap();
    assert_eq!(ring.register_files(&[fa]), Err(Errno::EBUSY));
    assert_eq!(ring.register_files_sparse(2), Err(Errno::EBUSY));
    assert_eq!(ring.register_files_update(0, &[999_999]), Err(Errno::EBADF));
    ring.unregister_files().unwrap();
    assert_eq!(ring.unregister_files(), Err(Errno::ENXIO));
    close(fa);
}

#[test]
fn file_tags_post_cqes_when_released() {
    let mut ring = Ring::new(8).unwrap();
    let fa = memfd_with(b"a");
    let fb = memfd_with(b"b");
    ring.register_files_tags(&[fa, fb], &[0xf0, 0xf1]).unwrap();
    assert_eq!(
        ring.register_files_update_tags(0, &[fb], &[0xf2]).unwrap(),
        1
    );
    let cqes = drain(&mut ring);
    assert_eq!(cqes.len(), 1, "{cqes:?}");
    assert_eq!((cqes[0].user_data, cqes[0].res), (0xf0, 0));
    ring.unregister_files().unwrap();
    let mut tags: Vec<u64> = drain(&mut ring).iter().map(|c| c.user_data).collect();
    tags.sort();
    assert_eq!(tags, [0xf1, 0xf2]);
    close(fa);
    close(fb);
}

#[test]
fn sparse_files_and_allocation_range() {
    let mut ring = Ring::new(8).unwrap();
    ring.register_files_sparse(8).unwrap();
    assert_eq!(ring.register_file_alloc_range(6, 4), Err(Errno::EINVAL));
    ring.register_file_alloc_range(4, 2).unwrap();
    let path = c"/dev/zero";
    let mut slots = Vec::new();
    for _ in 0..3 {
        let sqe = ring.get_sqe().unwrap();
        // SAFETY: the test keeps whatever these fields point to alive until the CQE is
        // reaped (or names no memory: the kernel rejects the SQE).
        let raw = unsafe { sqe.sqe_mut() };
        raw.opcode = sys::IORING_OP_OPENAT;
        raw.fd = libc::AT_FDCWD;
        raw.addr.addr = path.as_ptr() as u64;
        raw.op_flags.open_flags = libc::O_RDONLY as u32;
        raw.file.file_index = sys::IORING_FILE_INDEX_ALLOC;
        slots.push(one(&mut ring).res);
    }
    // Two direct opens land inside the range; the third finds it full.
    let mut first_two = slots[..2].to_vec();
    first_two.sort();
    assert_eq!(first_two, [4, 5]);
    assert_eq!(slots[2], -libc::ENFILE);

    // The allocated slot is a working file: /dev/zero reads zeros.
    let mut buf = [0xffu8; 16];
    read_fixed_file(&mut ring, 4, &mut buf);
    assert_eq!(one(&mut ring).res, 16);
    assert_eq!(buf, [0u8; 16]);
    ring.unregister_files().unwrap();
}

#[test]
fn owned_fixed_buffers_read_and_write() {
    use ringcore::register::FixedBuffers;
    let mut ring = Ring::new(8).unwrap();
    assert_eq!(FixedBuffers::new(0, 64).unwrap_err(), Errno::EINVAL);
    assert_eq!(FixedBuffers::new(2, 0).unwrap_err(), Errno::EINVAL);
    let data: Vec<u8> = (0..8192u32).map(|i| (i % 253) as u8).collect();
    let fd = memfd_with(&data);
    let mut bufs = FixedBuffers::new(3, 8192).unwrap();
    assert_eq!((bufs.count(), bufs.buf_len()), (3, 8192));
    assert!(bufs.as_mut_ptr(3).is_none());
    ring.register_fixed_buffers(&bufs).unwrap();
    assert_eq!(ring.register_fixed_buffers(&bufs), Err(Errno::EBUSY));

    let p = bufs.as_mut_ptr(2).unwrap();
    fixed_rw(&mut ring, sys::IORING_OP_READ_FIXED, fd, p, 8192, 0, 2);
    assert_eq!(one(&mut ring).res, 8192);
    // SAFETY: the read has completed; nothing else is in flight.
    assert_eq!(unsafe { bufs.slice(2, 0, 8192) }.unwrap(), &data[..]);

    // SAFETY: no request is in flight.
    unsafe { bufs.slice_mut(0, 0, 5) }
        .unwrap()
        .copy_from_slice(b"owned");
    let p = bufs.as_mut_ptr(0).unwrap();
    fixed_rw(&mut ring, sys::IORING_OP_WRITE_FIXED, fd, p, 5, 9000, 0);
    assert_eq!(one(&mut ring).res, 5);
    assert_eq!(pread_all(fd, 5, 9000), b"owned");
    // SAFETY: out-of-range requests return None before touching memory.
    unsafe {
        assert!(bufs.slice(0, 8190, 3).is_none());
        assert!(bufs.slice(3, 0, 1).is_none());
    }
    ring.unregister_buffers().unwrap();
    close(fd);
}

#[test]
fn dropping_registered_fixed_buffers_is_harmless() {
    use ringcore::register::FixedBuffers;
    let mut ring = Ring::new(8).unwrap();
    let fd = memfd_with(&[0xab; 4096]);
    let mut old = FixedBuffers::new(1, 4096).unwrap();
    ring.register_fixed_buffers(&old).unwrap();
    let old_addr = old.as_mut_ptr(0).unwrap();
    drop(old);
    // New memory, quite possibly at the same address.
    let mut fresh = FixedBuffers::new(1, 4096).unwrap();
    println!(
        "fresh buffer reuses the old address: {}",
        fresh.as_mut_ptr(0) == Some(old_addr)
    );
    // The kernel still writes into the registered (now orphaned) pages, not into `fresh`.
    fixed_rw(
        &mut ring,
        sys::IORING_OP_READ_FIXED,
        fd,
        old_addr,
        4096,
        0,
        0,
    );
    assert_eq!(one(&mut ring).res, 4096);
    // SAFETY: no request is in flight.
    let bytes = unsafe { fresh.slice(0, 0, 4096) }.unwrap();
    assert!(
        bytes.iter().all(|&b| b == 0),
        "the kernel wrote into memory it does not own"
    );
    ring.unregister_buffers().unwrap();
    close(fd);
}
