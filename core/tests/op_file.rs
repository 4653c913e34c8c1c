//! File, path, pipe and buffer opcodes against the running kernel.

mod op_common;

use op_common::*;
use ringcore::op::{self, SqeOptions};
use ringcore::sys::{self, OpenHow};
use ringcore::Ring;
use std::fs::{self, File, OpenOptions};
use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::MetadataExt;

const EBADF: i32 = -libc::EBADF;

fn pattern(n: usize, seed: u8) -> Vec<u8> {
    (0..n)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

fn rw_file(dir: &TempDir, name: &str, contents: &[u8]) -> File {
    let p = dir.path(name);
    fs::write(&p, contents).unwrap();
    OpenOptions::new().read(true).write(true).open(p).unwrap()
}

#[test]
fn nop_inject_result_passes_the_value_through() {
    let mut ring = Ring::new(4).unwrap();
    op::nop_inject(ring.get_sqe().unwrap(), -libc::EOWNERDEAD);
    let cqe = complete_one(&mut ring);
    if cqe.res == 0 {
        skip!("IORING_NOP_INJECT_RESULT is not supported by this kernel");
    }
    assert_eq!(cqe.res, -libc::EOWNERDEAD);
}

#[test]
fn readv_writev_scatter_gather_with_flags() {
    let mut ring = Ring::new(8).unwrap();
    require!(ring, sys::IORING_OP_READV, sys::IORING_OP_WRITEV);
    let dir = TempDir::new("rwv");
    let f = rw_file(&dir, "f", b"");
    let a = pattern(1000, 1);
    let b = pattern(3000, 2);
    let iov = [
        libc::iovec {
            iov_base: a.as_ptr() as *mut _,
            iov_len: a.len(),
        },
        libc::iovec {
            iov_base: b.as_ptr() as *mut _,
            iov_len: b.len(),
        },
    ];
    // SAFETY: `a`, `b` and `iov` outlive the request (we wait for it).
    unsafe {
        op::writev(
            ring.get_sqe().unwrap(),
            f.as_raw_fd(),
            iov.as_ptr(),
            2,
            0,
            libc::RWF_DSYNC,
        )
    };
    assert_eq!(complete_one(&mut ring).res, 4000);
    // RWF_APPEND ignores the offset and appends.
    // SAFETY: as above.
    unsafe {
        op::writev(
            ring.get_sqe().unwrap(),
            f.as_raw_fd(),
            iov.as_ptr(),
            1,
            0,
            libc::RWF_APPEND,
        )
    };
    assert_eq!(complete_one(&mut ring).res, 1000);
    let on_disk = fs::read(dir.path("f")).unwrap();
    assert_eq!(on_disk.len(), 5000);
    assert_eq!(&on_disk[..1000], &a[..]);
    assert_eq!(&on_disk[1000..4000], &b[..]);
    assert_eq!(&on_disk[4000..], &a[..]);

    let mut x = vec![0u8; 1500];
    let mut y = vec![0u8; 2500];
    let iov = [
        libc::iovec {
            iov_base: x.as_mut_ptr() as *mut _,
            iov_len: x.len(),
        },
        libc::iovec {
            iov_base: y.as_mut_ptr() as *mut _,
            iov_len: y.len(),
        },
    ];
    // SAFETY: `x`, `y` and `iov` outlive the request.
    unsafe {
        op::readv(
            ring.get_sqe().unwrap(),
            f.as_raw_fd(),
            iov.as_ptr(),
            2,
            1000,
            0,
        )
    };
    assert_eq!(complete_one(&mut ring).res, 4000);
    assert_eq!(&x[..], &on_disk[1000..2500]);
    assert_eq!(&y[..], &on_disk[2500..5000]);
}

#[test]
fn fixed_buffers_read_write_and_vectored_fixed() {
    let mut ring = Ring::new(8).unwrap();
    require!(ring, sys::IORING_OP_READ_FIXED, sys::IORING_OP_WRITE_FIXED);
    let dir = TempDir::new("fixed");
    let f = rw_file(&dir, "f", b"");
    let mut bufs = vec![pattern(8192, 9), vec![0u8; 8192]];
    register_buffers(&ring, &mut bufs);
    let src = bufs[0].as_ptr();
    let dst = bufs[1].as_mut_ptr();
    // SAFETY: both ranges lie in registered buffers 0 and 1, alive until the end of the test.
    unsafe {
        op::write_fixed(
            ring.get_sqe().unwrap(),
            f.as_raw_fd(),
            src.add(100),
            4000,
            0,
            0,
        );
        assert_eq!(complete_one(&mut ring).res, 4000);
        op::read_fixed(ring.get_sqe().unwrap(), f.as_raw_fd(), dst, 4000, 0, 1);
        assert_eq!(complete_one(&mut ring).res, 4000);
    }
    assert_eq!(&bufs[1][..4000], &bufs[0][100..4100]);
    // A buffer index past the table is the CQE's error, not a crash.
    // SAFETY: the kernel rejects the index before touching memory.
    unsafe { op::read_fixed(ring.get_sqe().unwrap(), f.as_raw_fd(), dst, 16, 0, 7) };
    assert_eq!(complete_one(&mut ring).res, -libc::EFAULT);

    if !supported(&ring, sys::IORING_OP_READV_FIXED)
        || !supported(&ring, sys::IORING_OP_WRITEV_FIXED)
    {
        skip!("IORING_OP_READV_FIXED/WRITEV_FIXED are not supported by this kernel");
    }
    // SAFETY: as above; the iovecs point into registered buffers 0 and 1.
    unsafe {
        let wiov = [
            libc::iovec {
                iov_base: src.add(10) as *mut _,
                iov_len: 100,
            },
            libc::iovec {
                iov_base: src.add(5000) as *mut _,
                iov_len: 200,
            },
        ];
        op::writev_fixed(
            ring.get_sqe().unwrap(),
            f.as_raw_fd(),
            wiov.as_ptr(),
            2,
            8000,
            0,
            0,
        );
        assert_eq!(complete_one(&mut ring).res, 300);
        let riov = [libc::iovec {
            iov_base: dst.add(6000) as *mut _,
            iov_len: 300,
        }];
        op::readv_fixed(
            ring.get_sqe().unwrap(),
            f.as_raw_fd(),
            riov.as_ptr(),
            1,
            8000,
            0,
            1,
        );
        assert_eq!(complete_one(&mut ring).res, 300);
    }
    assert_eq!(&bufs[1][6000..6100], &bufs[0][10..110]);
    assert_eq!(&bufs[1][6100..6300], &bufs[0][5000..5200]);
}

#[test]
fn read_multishot_counts_every_cqe_until_buffers_run_dry() {
    let mut ring = Ring::new(8).unwrap();
    require!(ring, sys::IORING_OP_READ_MULTISHOT);
    let mut br = match BufRing::new(&ring, 3, 4, 64) {
        Ok(b) => b,
        Err(e) => skip!("provided-buffer rings unavailable (errno {e})"),
    };
    for bid in 0..4 {
        br.add(bid);
    }
    br.publish();
    let (r, w) = pipe();
    op::read_multishot(ring.get_sqe().unwrap(), r.as_raw_fd(), 0, 0, 3);
    ring.submit().unwrap();
    let mut seen = Vec::new();
    for i in 0..4u8 {
        let chunk = [i + 1; 10];
        write_fd(w.as_raw_fd(), &chunk);
        let cqe = complete_one(&mut ring);
        assert_eq!(cqe.res, 10, "read {i}");
        assert!(op::more(&cqe), "read {i} must keep the request armed");
        let bid = op::buffer_id(&cqe).expect("a provided buffer");
        assert_eq!(&br.buf(bid)[..10], &chunk);
        seen.push(bid);
    }
    seen.sort();
    assert_eq!(seen, [0, 1, 2, 3]);
    // No buffer left: the next read ends the request with -ENOBUFS and no MORE.
    write_fd(w.as_raw_fd(), b"x");
    let last = complete_one(&mut ring);
    assert_eq!(last.res, -libc::ENOBUFS);
    assert!(!op::more(&last));
    drop(br);
}

#[test]
fn provide_buffers_feed_reads_and_remove_takes_the_rest_back() {
    let mut ring = Ring::new(8).unwrap();
    require!(
        ring,
        sys::IORING_OP_PROVIDE_BUFFERS,
        sys::IORING_OP_REMOVE_BUFFERS
    );
    let dir = TempDir::new("pbuf");
    let f = rw_file(&dir, "f", &pattern(256, 4));
    let mut pool = vec![0u8; 4 * 64];
    // SAFETY: `pool` outlives every request that may use it; the buffers not consumed are
    // removed before the end of the test.
    unsafe { op::provide_buffers(ring.get_sqe().unwrap(), pool.as_mut_ptr(), 64, 4, 7, 100) };
    let res = complete_one(&mut ring).res;
    assert!(res == 0 || res == 4, "provide: {res}");
    op::read_provided(ring.get_sqe().unwrap(), f.as_raw_fd(), 64, 32, 7);
    let cqe = complete_one(&mut ring);
    assert_eq!(cqe.res, 64);
    let bid = op::buffer_id(&cqe).expect("a buffer id");
    assert!((100..104).contains(&bid));
    let slot = (bid - 100) as usize * 64;
    assert_eq!(&pool[slot..slot + 64], &pattern(256, 4)[32..96]);
    // The same through the generic modifier on a plain read (no buffer pointer).
    // SAFETY: with BUFFER_SELECT the kernel ignores the null buffer and picks one of `pool`.
    unsafe {
        let sqe = ring.get_sqe().unwrap().buffer_select(7);
        op::read(sqe, f.as_raw_fd(), std::ptr::null_mut(), 16, 0);
    }
    let cqe = complete_one(&mut ring);
    assert_eq!(cqe.res, 16);
    let bid2 = op::buffer_id(&cqe).expect("a buffer id");
    assert_ne!(bid2, bid);
    let slot = (bid2 - 100) as usize * 64;
    assert_eq!(&pool[slot..slot + 16], &pattern(256, 4)[..16]);
    // Two are left: removing up to 10 removes 2; then the group is empty.
    op::remove_buffers(ring.get_sqe().unwrap(), 10, 7);
    assert_eq!(complete_one(&mut ring).res, 2);
    op::read_provided(ring.get_sqe().unwrap(), f.as_raw_fd(), 64, 0, 7);
    assert_eq!(complete_one(&mut ring).res, -libc::ENOBUFS);
    // Nothing left to remove (the emptied group may linger or be gone), and a group that
    // never existed is ENOENT.
    op::remove_buffers(ring.get_sqe().unwrap(), 1, 7);
    let res = complete_one(&mut ring).res;
    assert!(
        res == 0 || res == -libc::ENOENT,
        "remove from an empty group: {res}"
    );
    op::remove_buffers(ring.get_sqe().unwrap(), 1, 99);
    assert_eq!(complete_one(&mut ring).res, -libc::ENOENT);
}

#[test]
fn fsync_sync_file_range_fallocate_ftruncate_fadvise() {
    let mut ring = Ring::new(8).unwrap();
    require!(
        ring,
        sys::IORING_OP_FSYNC,
        sys::IORING_OP_SYNC_FILE_RANGE,
        sys::IORING_OP_FALLOCATE,
        sys::IORING_OP_FADVISE
    );
    let dir = TempDir::new("sync");
    let f = rw_file(&dir, "f", &pattern(4096, 1));
    let fd = f.as_raw_fd();
    op::fsync(ring.get_sqe().unwrap().user_data(1), fd, false);
    let sqe = ring.get_sqe().unwrap();
    op::fsync(sqe, fd, true);
    sqe.user_data(2);
    let sqe = ring.get_sqe().unwrap();
    op::sync_file_range(sqe, fd, 0, 4096, libc::SYNC_FILE_RANGE_WRITE);
    sqe.user_data(3);
    let sqe = ring.get_sqe().unwrap();
    op::fadvise(sqe, fd, 0, 4096, libc::POSIX_FADV_DONTNEED);
    sqe.user_data(4);
    let cqes = complete(&mut ring, 4);
    for ud in 1..=4 {
        assert_eq!(by_ud(&cqes, ud).res, 0, "request {ud}");
    }

    op::fallocate(ring.get_sqe().unwrap(), fd, 0, 0, 1 << 20);
    assert_eq!(complete_one(&mut ring).res, 0);
    assert_eq!(f.metadata().unwrap().len(), 1 << 20);
    op::fallocate(
        ring.get_sqe().unwrap(),
        fd,
        libc::FALLOC_FL_KEEP_SIZE,
        1 << 20,
        1 << 20,
    );
    assert_eq!(complete_one(&mut ring).res, 0);
    assert_eq!(f.metadata().unwrap().len(), 1 << 20);

    // Errors arrive in the CQE: a bad fd, and a fallocate mode the kernel rejects.
    op::fsync(ring.get_sqe().unwrap(), -1, false);
    assert_eq!(complete_one(&mut ring).res, EBADF);
    op::fallocate(ring.get_sqe().unwrap(), fd, -1, 0, 1);
    assert!(complete_one(&mut ring).res < 0);

    if !supported(&ring, sys::IORING_OP_FTRUNCATE) {
        skip!("IORING_OP_FTRUNCATE is not supported by this kernel");
    }
    op::ftruncate(ring.get_sqe().unwrap(), fd, 1000);
    assert_eq!(complete_one(&mut ring).res, 0);
    assert_eq!(f.metadata().unwrap().len(), 1000);
    assert_eq!(fs::read(dir.path("f")).unwrap(), pattern(1000, 1));
}

#[test]
fn madvise_dontneed_zeroes_anonymous_memory() {
    let mut ring = Ring::new(4).unwrap();
    require!(ring, sys::IORING_OP_MADVISE);
    let len = 2 * 4096;
    // SAFETY: a fresh anonymous mapping, unmapped at the end.
    let map = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_ANONYMOUS | libc::MAP_PRIVATE,
            -1,
            0,
        )
    } as *mut u8;
    // SAFETY: `map` is ours, `len` bytes long.
    unsafe {
        std::ptr::write_bytes(map, 0xab, len);
        op::madvise(
            ring.get_sqe().unwrap(),
            map,
            len as u64,
            libc::MADV_DONTNEED,
        );
    }
    assert_eq!(complete_one(&mut ring).res, 0);
    // SAFETY: the mapping is still there; DONTNEED made it read back as zeroes.
    unsafe {
        assert_eq!(*map, 0);
        assert_eq!(*map.add(len - 1), 0);
        libc::munmap(map as *mut _, len);
    }
}

#[test]
fn openat_openat2_statx_close() {
    let mut ring = Ring::new(8).unwrap();
    require!(
        ring,
        sys::IORING_OP_OPENAT,
        sys::IORING_OP_OPENAT2,
        sys::IORING_OP_STATX,
        sys::IORING_OP_CLOSE
    );
    let dir = TempDir::new("open");
    let path = cstr(&dir.path("new"));
    // SAFETY: `path` outlives the request.
    unsafe {
        op::openat(
            ring.get_sqe().unwrap(),
            libc::AT_FDCWD,
            path.as_ptr(),
            libc::O_CREAT | libc::O_WRONLY | libc::O_CLOEXEC,
            0o600,
        )
    };
    let fd = complete_one(&mut ring).res;
    assert!(fd >= 0, "openat: {fd}");
    let data = pattern(777, 5);
    // SAFETY: `data` outlives the request.
    unsafe { op::write(ring.get_sqe().unwrap(), fd, data.as_ptr(), 777, 0) };
    assert_eq!(complete_one(&mut ring).res, 777);
    // SAFETY: the test opened `fd` through the ring and owns it.
    unsafe { op::close(ring.get_sqe().unwrap(), fd) };
    assert_eq!(complete_one(&mut ring).res, 0);
    // The fd is gone: closing it again is EBADF (no one got the number in between: this
    // test opens nothing else).
    // SAFETY: as above.
    unsafe { op::close(ring.get_sqe().unwrap(), fd) };
    assert_eq!(complete_one(&mut ring).res, EBADF);

    let how = OpenHow {
        flags: (libc::O_RDONLY | libc::O_CLOEXEC) as u64,
        mode: 0,
        resolve: libc::RESOLVE_NO_SYMLINKS,
    };
    // SAFETY: `path` and `how` outlive the request.
    unsafe { op::openat2(ring.get_sqe().unwrap(), libc::AT_FDCWD, path.as_ptr(), &how) };
    let fd = complete_one(&mut ring).res;
    assert!(fd >= 0, "openat2: {fd}");
    // SAFETY: the fd was just opened for us.
    let file = unsafe { File::from_raw_fd(fd) };
    let mut back = Vec::new();
    (&file).read_to_end(&mut back).unwrap();
    assert_eq!(back, data);

    // SAFETY: all-zero is a valid `statx`.
    let mut stx: libc::statx = unsafe { std::mem::zeroed() };
    // SAFETY: `path` and `stx` outlive the request.
    unsafe {
        op::statx(
            ring.get_sqe().unwrap(),
            libc::AT_FDCWD,
            path.as_ptr(),
            0,
            libc::STATX_SIZE | libc::STATX_MODE,
            &mut stx,
        )
    };
    assert_eq!(complete_one(&mut ring).res, 0);
    assert_eq!(stx.stx_size, 777);
    assert_eq!(stx.stx_mode as u32 & 0o777, 0o600);

    let missing = cstr(&dir.path("missing"));
    // SAFETY: `missing` outlives the request.
    unsafe {
        op::openat(
            ring.get_sqe().unwrap(),
            libc::AT_FDCWD,
            missing.as_ptr(),
            libc::O_RDONLY,
            0,
        )
    };
    assert_eq!(complete_one(&mut ring).res, -libc::ENOENT);
}

#[test]
fn direct_descriptors_open_read_install_close() {
    let mut ring = Ring::new(8).unwrap();
    require!(ring, sys::IORING_OP_OPENAT, sys::IORING_OP_CLOSE);
    let dir = TempDir::new("direct");
    let data = pattern(300, 8);
    fs::write(dir.path("f"), &data).unwrap();
    register_files_sparse(&ring, 4);
    let path = cstr(&dir.path("f"));
    // SAFETY: `path` outlives the request.
    unsafe {
        op::openat_direct(
            ring.get_sqe().unwrap(),
            libc::AT_FDCWD,
            path.as_ptr(),
            libc::O_RDONLY,
            0,
            2,
        )
    };
    assert_eq!(complete_one(&mut ring).res, 0);
    // SAFETY: `path` outlives the request.
    unsafe {
        op::openat_direct(
            ring.get_sqe().unwrap(),
            libc::AT_FDCWD,
            path.as_ptr(),
            libc::O_RDONLY,
            0,
            sys::IORING_FILE_INDEX_ALLOC,
        )
    };
    let alloc = complete_one(&mut ring).res;
    assert!(
        (0..4).contains(&alloc) && alloc != 2,
        "allocated slot {alloc}"
    );

    let how = OpenHow {
        flags: libc::O_RDONLY as u64,
        mode: 0,
        resolve: 0,
    };
    // Opening into an occupied slot replaces the file there.
    // SAFETY: `path` and `how` outlive the request.
    unsafe {
        op::openat2_direct(
            ring.get_sqe().unwrap(),
            libc::AT_FDCWD,
            path.as_ptr(),
            &how,
            2,
        )
    };
    assert_eq!(complete_one(&mut ring).res, 0);

    // The generic modifiers on a plain openat: an explicit slot, then a kernel-picked one, then
    // none free (ENFILE).
    let mut spare = (0..4).filter(|&s| s != 2 && s != alloc);
    let (mine, last) = (spare.next().unwrap(), spare.next().unwrap());
    // SAFETY: `path` outlives the requests.
    unsafe {
        let sqe = ring.get_sqe().unwrap().direct_slot(mine as u32);
        op::openat(sqe, libc::AT_FDCWD, path.as_ptr(), libc::O_RDONLY, 0);
        assert_eq!(complete_one(&mut ring).res, 0);
        let sqe = ring.get_sqe().unwrap().direct_alloc();
        op::openat(sqe, libc::AT_FDCWD, path.as_ptr(), libc::O_RDONLY, 0);
        assert_eq!(complete_one(&mut ring).res, last);
        let sqe = ring.get_sqe().unwrap().direct_alloc();
        op::openat(sqe, libc::AT_FDCWD, path.as_ptr(), libc::O_RDONLY, 0);
        assert_eq!(complete_one(&mut ring).res, -libc::ENFILE);
    }
    for slot in [mine, last] {
        op::close_direct(ring.get_sqe().unwrap(), slot as u32);
        assert_eq!(complete_one(&mut ring).res, 0);
    }

    let mut buf = vec![0u8; 300];
    let sqe = ring.get_sqe().unwrap();
    // SAFETY: `buf` outlives the request.
    unsafe { op::read(sqe, 2, buf.as_mut_ptr(), 300, 0) };
    sqe.fixed_file();
    assert_eq!(complete_one(&mut ring).res, 300);
    assert_eq!(buf, data);

    if supported(&ring, sys::IORING_OP_FIXED_FD_INSTALL) {
        op::fixed_fd_install(ring.get_sqe().unwrap(), 2, 0);
        let fd = complete_one(&mut ring).res;
        assert!(fd >= 0, "install: {fd}");
        // SAFETY: the kernel installed a new fd for us.
        let file = unsafe { File::from_raw_fd(fd) };
        let mut back = Vec::new();
        (&file).read_to_end(&mut back).unwrap();
        assert_eq!(back, data);
        // SAFETY: `fcntl` on our fd.
        assert_ne!(
            unsafe { libc::fcntl(fd, libc::F_GETFD) } & libc::FD_CLOEXEC,
            0
        );
        let empty = (0..4).find(|&s| s != 2 && s != alloc).unwrap();
        op::fixed_fd_install(ring.get_sqe().unwrap(), empty as u32, 0);
        assert_eq!(complete_one(&mut ring).res, EBADF, "empty slot");
    } else {
        println!("SKIPPED (part): IORING_OP_FIXED_FD_INSTALL is not supported by this kernel");
    }

    op::close_direct(ring.get_sqe().unwrap(), 2);
    assert_eq!(complete_one(&mut ring).res, 0);
    op::close_direct(ring.get_sqe().unwrap(), 2);
    assert_eq!(complete_one(&mut ring).res, EBADF);
    // A slot past the table (even u32::MAX) is the CQE's error; it never turns into fd 0.
    op::close_direct(ring.get_sqe().unwrap(), u32::MAX);
    assert_eq!(complete_one(&mut ring).res, -libc::EINVAL);
    op::close_direct(ring.get_sqe().unwrap(), 100);
    assert_eq!(complete_one(&mut ring).res, -libc::EINVAL);
    let sqe = ring.get_sqe().unwrap();
    // SAFETY: `buf` outlives the request.
    unsafe { op::read(sqe, 2, buf.as_mut_ptr(), 300, 0) };
    sqe.fixed_file();
    assert_eq!(complete_one(&mut ring).res, EBADF);
}

#[test]
fn files_update_replaces_and_clears_slots() {
    let mut ring = Ring::new(8).unwrap();
    require!(ring, sys::IORING_OP_FILES_UPDATE);
    let dir = TempDir::new("fupd");
    fs::write(dir.path("a"), b"aaaa").unwrap();
    let a = File::open(dir.path("a")).unwrap();
    register_files(&ring, &[-1, -1, -1]);
    let mut fds = [a.as_raw_fd(), a.as_raw_fd()];
    // SAFETY: `fds` outlives the request.
    unsafe { op::files_update(ring.get_sqe().unwrap(), fds.as_mut_ptr(), 2, 1) };
    assert_eq!(complete_one(&mut ring).res, 2);
    let mut buf = [0u8; 4];
    let sqe = ring.get_sqe().unwrap();
    // SAFETY: `buf` outlives the request.
    unsafe { op::read(sqe, 2, buf.as_mut_ptr(), 4, 0) };
    sqe.fixed_file();
    assert_eq!(complete_one(&mut ring).res, 4);
    assert_eq!(&buf, b"aaaa");
    let mut clear = [-1];
    // SAFETY: `clear` outlives the request.
    unsafe { op::files_update(ring.get_sqe().unwrap(), clear.as_mut_ptr(), 1, 2) };
    assert_eq!(complete_one(&mut ring).res, 1);
    let sqe = ring.get_sqe().unwrap();
    // SAFETY: `buf` outlives the request.
    unsafe { op::read(sqe, 2, buf.as_mut_ptr(), 4, 0) };
    sqe.fixed_file();
    assert_eq!(complete_one(&mut ring).res, EBADF);
}

#[test]
fn directory_entries_rename_unlink_mkdir_symlink_link() {
    let mut ring = Ring::new(8).unwrap();
    require!(
        ring,
        sys::IORING_OP_RENAMEAT,
        sys::IORING_OP_UNLINKAT,
        sys::IORING_OP_MKDIRAT,
        sys::IORING_OP_SYMLINKAT,
        sys::IORING_OP_LINKAT
    );
    let dir = TempDir::new("dirent");
    fs::write(dir.path("a"), b"hello").unwrap();
    let (a, b, d, s, l) = (
        cstr(&dir.path("a")),
        cstr(&dir.path("b")),
        cstr(&dir.path("d")),
        cstr(&dir.path("s")),
        cstr(&dir.path("l")),
    );
    // SAFETY: every path outlives its request (we wait for each).
    unsafe {
        op::renameat(
            ring.get_sqe().unwrap(),
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            0,
        );
        assert_eq!(complete_one(&mut ring).res, 0);
        assert!(!dir.path("a").exists());
        assert_eq!(fs::read(dir.path("b")).unwrap(), b"hello");

        op::mkdirat(ring.get_sqe().unwrap(), libc::AT_FDCWD, d.as_ptr(), 0o750);
        assert_eq!(complete_one(&mut ring).res, 0);
        let md = fs::metadata(dir.path("d")).unwrap();
        assert!(md.is_dir());
        // The umask may clear bits, never add them: no bits outside 0o750, owner rwx kept.
        assert_eq!(md.mode() & 0o777 & !0o750, 0);
        assert_eq!(md.mode() & 0o700, 0o700);

        op::symlinkat(
            ring.get_sqe().unwrap(),
            b.as_ptr(),
            libc::AT_FDCWD,
            s.as_ptr(),
        );
        assert_eq!(complete_one(&mut ring).res, 0);
        assert_eq!(fs::read_link(dir.path("s")).unwrap(), dir.path("b"));

        op::linkat(
            ring.get_sqe().unwrap(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::AT_FDCWD,
            l.as_ptr(),
            0,
        );
        assert_eq!(complete_one(&mut ring).res, 0);
        assert_eq!(fs::metadata(dir.path("b")).unwrap().nlink(), 2);

        op::unlinkat(ring.get_sqe().unwrap(), libc::AT_FDCWD, l.as_ptr(), 0);
        assert_eq!(complete_one(&mut ring).res, 0);
        assert_eq!(fs::metadata(dir.path("b")).unwrap().nlink(), 1);
        // A directory needs AT_REMOVEDIR.
        op::unlinkat(ring.get_sqe().unwrap(), libc::AT_FDCWD, d.as_ptr(), 0);
        assert_eq!(complete_one(&mut ring).res, -libc::EISDIR);
        op::unlinkat(
            ring.get_sqe().unwrap(),
            libc::AT_FDCWD,
            d.as_ptr(),
            libc::AT_REMOVEDIR,
        );
        assert_eq!(complete_one(&mut ring).res, 0);
        assert!(!dir.path("d").exists());
        // Renaming onto an existing name with RENAME_NOREPLACE fails in the CQE.
        op::renameat(
            ring.get_sqe().unwrap(),
            libc::AT_FDCWD,
            s.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_NOREPLACE,
        );
        assert_eq!(complete_one(&mut ring).res, -libc::EEXIST);
    }
}

#[test]
fn xattrs_by_path_and_fd() {
    let mut ring = Ring::new(8).unwrap();
    require!(
        ring,
        sys::IORING_OP_SETXATTR,
        sys::IORING_OP_GETXATTR,
        sys::IORING_OP_FSETXATTR,
        sys::IORING_OP_FGETXATTR
    );
    let dir = TempDir::new("xattr");
    let f = rw_file(&dir, "f", b"");
    let path = cstr(&dir.path("f"));
    let name = c"user.ringcore";
    let name2 = c"user.ringcore2";
    let value = b"value-1";
    // SAFETY: every pointer outlives its request.
    unsafe {
        op::setxattr(
            ring.get_sqe().unwrap(),
            path.as_ptr(),
            name.as_ptr(),
            value.as_ptr(),
            7,
            0,
        );
        let res = complete_one(&mut ring).res;
        if res == -libc::EOPNOTSUPP {
            skip!("the temp dir's file system has no user xattrs");
        }
        assert_eq!(res, 0);
        let mut out = [0u8; 32];
        op::getxattr(
            ring.get_sqe().unwrap(),
            path.as_ptr(),
            name.as_ptr(),
            out.as_mut_ptr(),
            32,
        );
        assert_eq!(complete_one(&mut ring).res, 7);
        assert_eq!(&out[..7], value);

        op::fsetxattr(
            ring.get_sqe().unwrap(),
            f.as_raw_fd(),
            name2.as_ptr(),
            b"xyz".as_ptr(),
            3,
            libc::XATTR_CREATE,
        );
        assert_eq!(complete_one(&mut ring).res, 0);
        op::fsetxattr(
            ring.get_sqe().unwrap(),
            f.as_raw_fd(),
            name2.as_ptr(),
            b"xyz".as_ptr(),
            3,
            libc::XATTR_CREATE,
        );
        assert_eq!(complete_one(&mut ring).res, -libc::EEXIST);
        op::fgetxattr(
            ring.get_sqe().unwrap(),
            f.as_raw_fd(),
            name2.as_ptr(),
            out.as_mut_ptr(),
            32,
        );
        assert_eq!(complete_one(&mut ring).res, 3);
        assert_eq!(&out[..3], b"xyz");
        op::fgetxattr(
            ring.get_sqe().unwrap(),
            f.as_raw_fd(),
            c"user.none".as_ptr(),
            out.as_mut_ptr(),
            32,
        );
        assert_eq!(complete_one(&mut ring).res, -libc::ENODATA);
    }
}

#[test]
fn splice_tee_and_pipe() {
    let mut ring = Ring::new(8).unwrap();
    require!(ring, sys::IORING_OP_SPLICE, sys::IORING_OP_TEE);
    let dir = TempDir::new("splice");
    let data = pattern(5000, 3);
    let src = rw_file(&dir, "src", &data);
    let dst = rw_file(&dir, "dst", b"");
    let (r1, w1) = pipe();
    let (r2, w2) = pipe();
    // file[1000..4000] -> pipe 1
    op::splice(
        ring.get_sqe().unwrap(),
        src.as_raw_fd(),
        1000,
        w1.as_raw_fd(),
        u64::MAX,
        3000,
        0,
    );
    assert_eq!(complete_one(&mut ring).res, 3000);
    // duplicate pipe 1 into pipe 2 without consuming it
    op::tee(
        ring.get_sqe().unwrap(),
        r1.as_raw_fd(),
        w2.as_raw_fd(),
        3000,
        0,
    );
    assert_eq!(complete_one(&mut ring).res, 3000);
    // pipe 1 -> dst at offset 10
    op::splice(
        ring.get_sqe().unwrap(),
        r1.as_raw_fd(),
        u64::MAX,
        dst.as_raw_fd(),
        10,
        3000,
        0,
    );
    assert_eq!(complete_one(&mut ring).res, 3000);
    assert_eq!(&fs::read(dir.path("dst")).unwrap()[10..], &data[1000..4000]);
    assert_eq!(read_fd(r2.as_raw_fd(), 4096), &data[1000..4000]);
    // Neither side a pipe: the kernel says EINVAL in the CQE.
    op::splice(
        ring.get_sqe().unwrap(),
        src.as_raw_fd(),
        0,
        dst.as_raw_fd(),
        0,
        10,
        0,
    );
    assert_eq!(complete_one(&mut ring).res, -libc::EINVAL);

    if !supported(&ring, sys::IORING_OP_PIPE) {
        skip!("IORING_OP_PIPE is not supported by this kernel");
    }
    let mut fds = [-1; 2];
    // SAFETY: `fds` outlives the request.
    unsafe { op::pipe(ring.get_sqe().unwrap(), &mut fds, libc::O_CLOEXEC as u32) };
    assert_eq!(complete_one(&mut ring).res, 0);
    // SAFETY: the kernel created both fds for us.
    let (pr, pw) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    write_fd(pw.as_raw_fd(), b"through the pipe");
    assert_eq!(read_fd(pr.as_raw_fd(), 64), b"through the pipe");

    register_files_sparse(&ring, 4);
    let mut slots = [-1; 2];
    // SAFETY: `slots` outlives the request.
    unsafe { op::pipe_direct(ring.get_sqe().unwrap(), &mut slots, 0, 1) };
    assert_eq!(complete_one(&mut ring).res, 0);
    assert_eq!(slots, [1, 2]);
    let msg = b"direct";
    let sqe = ring.get_sqe().unwrap();
    // SAFETY: `msg` outlives the request.
    unsafe { op::write(sqe, 2, msg.as_ptr(), 6, u64::MAX) };
    sqe.fixed_file();
    assert_eq!(complete_one(&mut ring).res, 6);
    let mut back = [0u8; 6];
    let sqe = ring.get_sqe().unwrap();
    // SAFETY: `back` outlives the request.
    unsafe { op::read(sqe, 1, back.as_mut_ptr(), 6, u64::MAX) };
    sqe.fixed_file();
    assert_eq!(complete_one(&mut ring).res, 6);
    assert_eq!(&back, msg);
}

#[test]
fn bad_fds_fail_in_the_cqe() {
    let mut ring = Ring::new(8).unwrap();
    let mut buf = [0u8; 8];
    // SAFETY: `buf` outlives the requests.
    unsafe {
        op::read(
            ring.get_sqe().unwrap().user_data(1),
            -1,
            buf.as_mut_ptr(),
            8,
            0,
        );
        op::write(
            ring.get_sqe().unwrap().user_data(2),
            99999,
            buf.as_ptr(),
            8,
            0,
        );
    }
    // A fixed-file index with no file table registered.
    let sqe = ring.get_sqe().unwrap();
    // SAFETY: as above.
    unsafe { op::read(sqe, 0, buf.as_mut_ptr(), 8, 0) };
    sqe.fixed_file().user_data(3);
    let cqes = complete(&mut ring, 3);
    for ud in 1..=3 {
        assert_eq!(by_ud(&cqes, ud).res, EBADF, "request {ud}");
    }
}
