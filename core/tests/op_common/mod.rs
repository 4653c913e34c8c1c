//! Helpers shared by the `op_*` tests: probe gating, waiting for CQEs, temp dirs, sockets, and
//! raw registrations (files, buffers, buffer rings) made through `register_raw`.
#![allow(dead_code)]

use ringcore::sys::{self, Cqe};
use ringcore::Ring;
use std::ffi::{c_void, CString};
use std::net::{TcpListener, TcpStream};
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// Prints why a test is skipped; the test then returns early.
#[macro_export]
macro_rules! skip {
    ($($arg:tt)*) => {{
        println!("SKIPPED: {}", format!($($arg)*));
        return;
    }};
}

/// Skips the test unless the ring's kernel supports opcode `$op`.
#[macro_export]
macro_rules! require {
    ($ring:expr, $($op:expr),+) => {{
        $(
            if !$crate::op_common::supported(&$ring, $op) {
                skip!(
                    "IORING_OP_{} is not supported by this kernel",
                    ringcore::sys::opcode_name($op).unwrap_or("?")
                );
            }
        )+
    }};
}

/// Whether the kernel supports opcode `op` (`IORING_REGISTER_PROBE`).
pub fn supported(ring: &Ring, op: u8) -> bool {
    let mut probe = sys::Probe {
        header: sys::ProbeHeader::default(),
        ops: [sys::ProbeOp::default(); 256],
    };
    // SAFETY: `probe` has room for 256 ops, which is what we tell the kernel.
    let r = unsafe {
        ring.submitter().register_raw(
            sys::IORING_REGISTER_PROBE,
            &mut probe as *mut sys::Probe as *const c_void,
            256,
        )
    };
    r.is_ok()
        && op <= probe.header.last_op
        && probe.ops[op as usize].flags & sys::IO_URING_OP_SUPPORTED != 0
}

/// Submits what is pending and collects exactly `n` CQEs (failing after 5 s).
pub fn complete(ring: &mut Ring, n: usize) -> Vec<Cqe> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let cqe = ring
            .wait_cqe_timeout(Duration::from_secs(5))
            .unwrap_or_else(|e| panic!("waiting for CQE {} of {n}: {e:?}", out.len() + 1));
        ring.cqe_seen();
        out.push(cqe);
    }
    out
}

/// Submits and returns the one CQE that comes back.
pub fn complete_one(ring: &mut Ring) -> Cqe {
    complete(ring, 1)[0]
}

/// The CQE with `user_data` `ud` in `cqes`.
pub fn by_ud(cqes: &[Cqe], ud: u64) -> Cqe {
    *cqes
        .iter()
        .find(|c| c.user_data == ud)
        .unwrap_or_else(|| panic!("no CQE with user_data {ud} in {cqes:?}"))
}

/// Asserts that no CQE arrives within `ms` milliseconds.
pub fn assert_no_cqe(ring: &mut Ring, ms: u64) {
    match ring.wait_cqe_timeout(Duration::from_millis(ms)) {
        Err(ringcore::Errno::ETIME) => {}
        other => panic!("expected no CQE, got {other:?}"),
    }
}

/// A fresh directory under the temp dir, removed with its contents on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let p = std::env::temp_dir().join(format!("ringcore-op-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `p` as a C string.
pub fn cstr(p: &Path) -> CString {
    CString::new(p.as_os_str().as_encoded_bytes()).unwrap()
}

/// A pipe: (read end, write end).
pub fn pipe() -> (OwnedFd, OwnedFd) {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two fds.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    // SAFETY: both fds are new and owned by nobody else.
    unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) }
}

/// A non-blocking eventfd.
pub fn eventfd() -> OwnedFd {
    // SAFETY: plain syscall.
    let fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
    assert!(fd >= 0);
    // SAFETY: the fd is new.
    unsafe { OwnedFd::from_raw_fd(fd) }
}

/// Adds `n` to an eventfd's counter.
pub fn eventfd_write(fd: i32, n: u64) {
    // SAFETY: writes 8 bytes from a live u64.
    let r = unsafe { libc::write(fd, &n as *const u64 as *const c_void, 8) };
    assert_eq!(r, 8);
}

/// A connected loopback TCP pair: (client, server side).
pub fn tcp_pair() -> (TcpStream, TcpStream) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
    let (s, _) = l.accept().unwrap();
    (c, s)
}

/// Registers `fds` as the ring's file table (`IORING_REGISTER_FILES`).
pub fn register_files(ring: &Ring, fds: &[i32]) {
    // SAFETY: `fds` is valid for `fds.len()` ints during the call; the kernel copies it.
    unsafe {
        ring.submitter()
            .register_raw(
                sys::IORING_REGISTER_FILES,
                fds.as_ptr() as *const c_void,
                fds.len() as u32,
            )
            .expect("register files");
    }
}

/// Registers an empty file table of `n` slots (`IORING_REGISTER_FILES2`, sparse).
pub fn register_files_sparse(ring: &Ring, n: u32) {
    let reg = sys::RsrcRegister {
        nr: n,
        flags: sys::IORING_RSRC_REGISTER_SPARSE,
        ..Default::default()
    };
    // SAFETY: `reg` is a valid `io_uring_rsrc_register` the kernel reads during the call.
    unsafe {
        ring.submitter()
            .register_raw(
                sys::IORING_REGISTER_FILES2,
                &reg as *const _ as *const c_void,
                core::mem::size_of::<sys::RsrcRegister>() as u32,
            )
            .expect("register sparse files");
    }
}

/// Registers `bufs` as fixed buffers 0.. (`IORING_REGISTER_BUFFERS`).
///
/// The caller keeps `bufs` alive (and unmoved) while the ring uses them.
pub fn register_buffers(ring: &Ring, bufs: &mut [Vec<u8>]) {
    let iov: Vec<libc::iovec> = bufs
        .iter_mut()
        .map(|b| libc::iovec {
            iov_base: b.as_mut_ptr() as *mut c_void,
            iov_len: b.len(),
        })
        .collect();
    // SAFETY: `iov` names live buffers; the kernel pins their pages while registered.
    unsafe {
        ring.submitter()
            .register_raw(
                sys::IORING_REGISTER_BUFFERS,
                iov.as_ptr() as *const c_void,
                iov.len() as u32,
            )
            .expect("register buffers");
    }
}

/// A provided-buffer ring of `entries` buffers of `size` bytes in group `group`, registered
/// with `IORING_REGISTER_PBUF_RING`. Buffers are added with [`BufRing::add`] and published
/// with [`BufRing::publish`].
pub struct BufRing {
    ring: *mut sys::Buf,
    entries: u16,
    tail: u16,
    pub size: usize,
    pub storage: Vec<u8>,
}

impl BufRing {
    /// `Err` with the errno when the kernel refuses the registration.
    pub fn new(ring: &Ring, group: u16, entries: u16, size: usize) -> Result<BufRing, i32> {
        Self::with_flags(ring, group, entries, size, 0)
    }

    /// Like [`BufRing::new`] with `IOU_PBUF_RING_*` flags (e.g. `IOU_PBUF_RING_INC`).
    pub fn with_flags(
        ring: &Ring,
        group: u16,
        entries: u16,
        size: usize,
        flags: u16,
    ) -> Result<BufRing, i32> {
        let bytes = entries as usize * core::mem::size_of::<sys::Buf>();
        // SAFETY: an anonymous private mapping; checked for failure below.
        let map = unsafe {
            libc::mmap(
                core::ptr::null_mut(),
                bytes,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_ANONYMOUS | libc::MAP_PRIVATE,
                -1,
                0,
            )
        };
        assert_ne!(map, libc::MAP_FAILED);
        let reg = sys::BufReg {
            ring_addr: map as u64,
            ring_entries: entries as u32,
            bgid: group,
            flags,
            ..Default::default()
        };
        // SAFETY: `reg` names a live, page-aligned mapping of `entries` ring entries.
        let r = unsafe {
            ring.submitter().register_raw(
                sys::IORING_REGISTER_PBUF_RING,
                &reg as *const _ as *const c_void,
                1,
            )
        };
        if let Err(e) = r {
            // SAFETY: unmapping our own mapping.
            unsafe { libc::munmap(map, bytes) };
            return Err(e.raw());
        }
        Ok(BufRing {
            ring: map as *mut sys::Buf,
            entries,
            tail: 0,
            size,
            storage: vec![0; entries as usize * size],
        })
    }

    /// Queues buffer `bid` (its `size` bytes of storage) for the kernel.
    pub fn add(&mut self, bid: u16) {
        let idx = (self.tail & (self.entries - 1)) as usize;
        let addr = self.storage[bid as usize * self.size..].as_mut_ptr() as u64;
        // SAFETY: `idx` is inside the mapped ring; the kernel reads only entries below the
        // published tail.
        unsafe {
            let e = self.ring.add(idx);
            (*e).addr = addr;
            (*e).len = self.size as u32;
            (*e).bid = bid;
        }
        self.tail = self.tail.wrapping_add(1);
    }

    /// Publishes the queued buffers (release-store of the tail).
    pub fn publish(&self) {
        // SAFETY: the tail lives at byte 14 of the mapping, a 2-byte-aligned u16 that the
        // kernel reads with acquire ordering.
        unsafe {
            let tail = (self.ring as *mut u8).add(sys::BUF_RING_TAIL_OFFSET)
                as *const std::sync::atomic::AtomicU16;
            (*tail).store(self.tail, Ordering::Release);
        }
    }

    /// The contents of buffer `bid`.
    pub fn buf(&self, bid: u16) -> &[u8] {
        &self.storage[bid as usize * self.size..][..self.size]
    }
}

impl Drop for BufRing {
    fn drop(&mut self) {
        // SAFETY: our mapping; the kernel keeps its own pin of the pages while registered.
        unsafe {
            libc::munmap(
                self.ring as *mut c_void,
                self.entries as usize * core::mem::size_of::<sys::Buf>(),
            )
        };
    }
}

/// Writes all of `data` to `fd` with one `write(2)`.
pub fn write_fd(fd: i32, data: &[u8]) {
    // SAFETY: `data` is valid for reads of its length.
    let r = unsafe { libc::write(fd, data.as_ptr() as *const c_void, data.len()) };
    assert_eq!(r, data.len() as isize);
}

/// Reads up to `n` bytes from `fd` with one `read(2)`.
pub fn read_fd(fd: i32, n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    // SAFETY: `v` is valid for writes of `n` bytes.
    let r = unsafe { libc::read(fd, v.as_mut_ptr() as *mut c_void, n) };
    assert!(r >= 0, "read failed");
    v.truncate(r as usize);
    v
}
