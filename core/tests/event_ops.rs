//! Every owned-buffer event against the running kernel, through the single-threaded driver.

use ringcore::driver::LocalDriver;
use ringcore::event::events::*;
use ringcore::event::{Cancellation, Event, OwnedBuf};
use ringcore::{op, sys, Entry, Errno, Ring};
use std::ffi::CString;
use std::mem::ManuallyDrop;
use std::net::{TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

/// Prints why a test is skipped; the test then returns early.
macro_rules! skip {
    ($($arg:tt)*) => {{
        println!("SKIPPED: {}", format!($($arg)*));
        return;
    }};
}

fn run<E: Event>(driver: &LocalDriver, event: E) -> (E, Result<u32, Errno>) {
    driver.block_on(driver.submit_event(event)).unwrap()
}

fn temp_path(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("ringcore-event-{}-{name}", std::process::id()))
}

fn cpath(p: &std::path::Path) -> CString {
    CString::new(p.to_str().unwrap()).unwrap()
}

fn close(fd: i32) {
    // SAFETY: closes an fd this test owns, once.
    unsafe { libc::close(fd) };
}

fn pipe() -> (i32, i32) {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two fds.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    (fds[0], fds[1])
}

#[test]
fn nop_completes_with_zero() {
    let driver = LocalDriver::new(4).unwrap();
    assert_eq!(run(&driver, Nop).1, Ok(0));
    assert_eq!(driver.in_flight(), 0);
}

#[test]
fn write_then_read_a_file_with_every_buffer_kind() {
    let driver = LocalDriver::new(8).unwrap();
    let path = temp_path("rw");
    let file = std::fs::File::create_new(&path).unwrap();
    let fd = file.as_raw_fd();

    let (w, res) = run(&driver, Write::new(fd, b"hello, ".to_vec(), 0));
    assert_eq!(res, Ok(7));
    assert_eq!(w.buf, b"hello, ");
    let boxed: Box<[u8]> = b"ring".to_vec().into_boxed_slice();
    assert_eq!(run(&driver, Write::new(fd, boxed, 7)).1, Ok(4));
    let leaked: &'static mut [u8] = Box::leak(b"core".to_vec().into_boxed_slice());
    assert_eq!(run(&driver, Write::new(fd, leaked, 11)).1, Ok(4));
    assert_eq!(std::fs::read(&path).unwrap(), b"hello, ringcore");

    let (r, res) = run(&driver, Read::new(fd, vec![0u8; 64], 0));
    assert_eq!(res, Ok(15));
    assert_eq!(&r.buf[..15], b"hello, ringcore");
    let (r, res) = run(&driver, Read::new(fd, vec![0u8; 4].into_boxed_slice(), 7));
    assert_eq!((res, &*r.buf), (Ok(4), &b"ring"[..]));
    let static_buf: &'static mut [u8] = Box::leak(vec![0u8; 4].into_boxed_slice());
    let (r, res) = run(&driver, Read::new(fd, static_buf, 11));
    assert_eq!((res, &*r.buf), (Ok(4), &b"core"[..]));
    // A bad fd is an error value, not a panic.
    assert_eq!(
        run(&driver, Read::new(-1, vec![0u8; 4], 0)).1,
        Err(Errno::EBADF)
    );
    drop(file);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn vectored_write_and_read() {
    let driver = LocalDriver::new(8).unwrap();
    let path = temp_path("vec");
    let file = std::fs::File::create_new(&path).unwrap();
    let fd = file.as_raw_fd();
    let (_, res) = run(
        &driver,
        Writev::new(fd, vec![b"abc".to_vec(), b"defgh".to_vec()], 0),
    );
    assert_eq!(res, Ok(8));
    let (r, res) = run(&driver, Readv::new(fd, vec![vec![0; 2], vec![0; 10]], 0));
    assert_eq!(res, Ok(8));
    let bufs = r.into_bufs();
    assert_eq!(bufs[0], b"ab");
    assert_eq!(&bufs[1][..6], b"cdefgh");
    assert_eq!(
        run(
            &driver,
            Fsync {
                fd,
                datasync: false
            }
        )
        .1,
        Ok(0)
    );
    assert_eq!(run(&driver, Fsync { fd, datasync: true }).1, Ok(0));
    drop(file);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn open_stat_close_and_directory_entries() {
    let driver = LocalDriver::new(8).unwrap();
    let dir = temp_path("dir");
    let (_, res) = run(
        &driver,
        Mkdirat {
            dirfd: libc::AT_FDCWD,
            path: cpath(&dir),
            mode: 0o755,
        },
    );
    assert_eq!(res, Ok(0));
    assert!(dir.is_dir());

    let file = dir.join("a");
    let (_, res) = run(
        &driver,
        OpenAt {
            dirfd: libc::AT_FDCWD,
            path: cpath(&file),
            flags: libc::O_CREAT | libc::O_WRONLY | libc::O_CLOEXEC,
            mode: 0o644,
        },
    );
    let fd = res.unwrap() as i32;
    assert_eq!(run(&driver, Write::new(fd, vec![1u8; 100], 0)).1, Ok(100));
    // SAFETY: the test opened `fd` through the ring and owns it.
    assert_eq!(run(&driver, unsafe { Close::new(fd) }).1, Ok(0));
    // A close of a number no descriptor has gives EBADF. Not `fd` again: the other tests of
    // this process run on other threads and may have been given that number meanwhile.
    // SAFETY: no descriptor of this process has this number (far above RLIMIT_NOFILE).
    assert_eq!(
        run(&driver, unsafe { Close::new(1 << 24) }).1,
        Err(Errno::EBADF)
    );

    let (st, res) = run(
        &driver,
        Statx::new(libc::AT_FDCWD, cpath(&file), 0, libc::STATX_SIZE),
    );
    assert_eq!(res, Ok(0));
    assert_eq!(st.stat().stx_size, 100);

    let renamed = dir.join("b");
    let (_, res) = run(
        &driver,
        Renameat {
            old_dirfd: libc::AT_FDCWD,
            old_path: cpath(&file),
            new_dirfd: libc::AT_FDCWD,
            new_path: cpath(&renamed),
            flags: 0,
        },
    );
    assert_eq!(res, Ok(0));
    assert!(!file.exists() && renamed.exists());
    let unlink = |path: &std::path::Path, flags| {
        run(
            &driver,
            Unlinkat {
                dirfd: libc::AT_FDCWD,
                path: cpath(path),
                flags,
            },
        )
        .1
    };
    assert_eq!(unlink(&renamed, 0), Ok(0));
    assert_eq!(unlink(&renamed, 0), Err(Errno::ENOENT));
    assert_eq!(unlink(&dir, libc::AT_REMOVEDIR), Ok(0));
    assert!(!dir.exists());
}

#[test]
fn timeout_expires_and_counts() {
    let driver = LocalDriver::new(8).unwrap();
    let start = Instant::now();
    let (_, res) = run(&driver, Timeout::new(Duration::from_millis(20)));
    assert_eq!(res, Err(Errno::ETIME));
    assert!(start.elapsed() >= Duration::from_millis(20));
    // A count-1 timeout completes with 0 as soon as one other request completes.
    let out = driver
        .block_on(async {
            let t = driver.submit_event(Timeout::new(Duration::from_secs(10)).count(1));
            let n = driver.submit_event(Nop);
            let mut t = std::pin::pin!(t);
            let waker_poll = std::future::poll_fn(|cx| {
                let _ = t.as_mut().poll(cx);
                std::task::Poll::Ready(())
            });
            waker_poll.await;
            let (_, nres) = n.await;
            let (_, tres) = t.await;
            (nres, tres)
        })
        .unwrap();
    assert_eq!(out, (Ok(0), Ok(0)));
    assert!(start.elapsed() < Duration::from_secs(5));
}

use std::future::Future;

#[test]
fn poll_and_splice_on_pipes() {
    let driver = LocalDriver::new(8).unwrap();
    let (rd, wr) = pipe();
    // SAFETY: writes 5 bytes from a valid buffer.
    assert_eq!(unsafe { libc::write(wr, b"splic".as_ptr().cast(), 5) }, 5);
    let (_, res) = run(
        &driver,
        PollAdd {
            fd: rd,
            events: libc::POLLIN as u32,
        },
    );
    assert_eq!(res.unwrap() & libc::POLLIN as u32, libc::POLLIN as u32);

    let path = temp_path("splice");
    let file = std::fs::File::create_new(&path).unwrap();
    let (_, res) = run(
        &driver,
        Splice {
            fd_in: rd,
            off_in: u64::MAX,
            fd_out: file.as_raw_fd(),
            off_out: 0,
            len: 5,
            flags: 0,
        },
    );
    assert_eq!(res, Ok(5));
    assert_eq!(std::fs::read(&path).unwrap(), b"splic");
    drop(file);
    std::fs::remove_file(&path).unwrap();
    close(rd);
    close(wr);
}

#[test]
fn sockets_connect_accept_send_recv_shutdown() {
    let driver = LocalDriver::new(16).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (_, res) = run(
        &driver,
        Socket {
            domain: libc::AF_INET,
            socket_type: libc::SOCK_STREAM | libc::SOCK_CLOEXEC,
            protocol: 0,
        },
    );
    let client = match res {
        Ok(fd) => fd as i32,
        Err(Errno::EINVAL) => skip!("IORING_OP_SOCKET needs Linux 5.19"),
        Err(e) => panic!("socket: {e}"),
    };
    let (accepted, (_, connected)) = driver
        .block_on(async {
            let accept = driver.submit_event(Accept::new(listener.as_raw_fd(), libc::SOCK_CLOEXEC));
            let connect = driver.submit_event(Connect::new(client, addr));
            let mut accept = std::pin::pin!(accept);
            std::future::poll_fn(|cx| {
                let _ = accept.as_mut().poll(cx);
                std::task::Poll::Ready(())
            })
            .await;
            let c = connect.await;
            (accept.await, c)
        })
        .unwrap();
    assert_eq!(connected, Ok(0));
    let (accept, res) = accepted;
    let server = res.unwrap() as i32;
    let peer = accept.peer_addr().expect("an IPv4 peer");
    assert_eq!(peer.ip(), addr.ip());

    let (_, res) = run(
        &driver,
        Send {
            fd: client,
            buf: b"ping".to_vec(),
            flags: 0,
        },
    );
    assert_eq!(res, Ok(4));
    let (r, res) = run(
        &driver,
        Recv {
            fd: server,
            buf: vec![0u8; 16],
            flags: 0,
        },
    );
    assert_eq!(res, Ok(4));
    assert_eq!(&r.buf[..4], b"ping");

    match run(
        &driver,
        SendZc {
            fd: server,
            buf: b"pong!".to_vec(),
            flags: 0,
        },
    )
    .1
    {
        Ok(n) => {
            assert_eq!(n, 5);
            let (r, res) = run(
                &driver,
                Recv {
                    fd: client,
                    buf: vec![0u8; 16],
                    flags: 0,
                },
            );
            assert_eq!((res, &r.buf[..5]), (Ok(5), &b"pong!"[..]));
        }
        Err(Errno::EINVAL) | Err(Errno::EOPNOTSUPP) => {
            println!("SKIPPED: IORING_OP_SEND_ZC not supported here (part of this test)")
        }
        Err(e) => panic!("send_zc: {e}"),
    }

    let (_, res) = run(
        &driver,
        Shutdown {
            fd: client,
            how: libc::SHUT_WR,
        },
    );
    assert_eq!(res, Ok(0));
    let (_, res) = run(
        &driver,
        Recv {
            fd: server,
            buf: vec![0u8; 16],
            flags: 0,
        },
    );
    assert_eq!(res, Ok(0), "EOF after the peer's shutdown");
    close(client);
    close(server);
}

/// `IORING_OP_PROVIDE_BUFFERS` of `count` buffers of `len` bytes from `'static` memory: a test
/// event written against the public `Event` trait.
struct ProvideBuffers {
    mem: &'static mut [u8],
    count: u32,
    len: u32,
    group: u16,
}

impl Event for ProvideBuffers {
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        let addr = self.mem.as_mut_ptr();
        // SAFETY: the memory is `'static` and the event's alone.
        unsafe { op::provide_buffers(sqe, addr, self.len, self.count, self.group, 0) };
    }
    unsafe fn cancel(_: &mut ManuallyDrop<Self>) -> Cancellation {
        Cancellation::null()
    }
}

#[test]
fn multishot_recv_with_provided_buffers() {
    const LEN: usize = 64;
    let driver = LocalDriver::new(16).unwrap();
    let mem: &'static mut [u8] = Box::leak(vec![0u8; 4 * LEN].into_boxed_slice());
    let base = mem.as_ptr() as usize;
    let (_, res) = run(
        &driver,
        ProvideBuffers {
            mem,
            count: 4,
            len: LEN as u32,
            group: 7,
        },
    );
    assert_eq!(res, Ok(0));
    let (a, b) = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        (c, l.accept().unwrap().0)
    };
    let mut stream = driver.multishot(RecvMulti {
        fd: b.as_raw_fd(),
        buf_group: 7,
        flags: 0,
    });
    let got = driver
        .block_on(async {
            use std::io::Write as _;
            let mut a = &a;
            let mut got = Vec::new();
            for msg in [&b"one"[..], b"two2", b"three"] {
                a.write_all(msg).unwrap();
                let c = stream.next().await.expect("a completion");
                if c.result == Err(Errno::EINVAL) {
                    return None;
                }
                let n = c.result.unwrap() as usize;
                let id = c.buffer_id().expect("a selected buffer") as usize;
                assert!(id < 4);
                // SAFETY: the kernel filled `n` bytes of buffer `id` of the leaked region,
                // which lives forever and which nothing else writes now.
                let bytes =
                    unsafe { std::slice::from_raw_parts((base + id * LEN) as *const u8, n) };
                got.push(bytes.to_vec());
            }
            stream.cancel();
            while stream.next().await.is_some() {}
            Some(got)
        })
        .unwrap();
    let Some(got) = got else {
        skip!("multishot recv needs Linux 6.0");
    };
    assert_eq!(
        got,
        vec![b"one".to_vec(), b"two2".to_vec(), b"three".to_vec()]
    );
    assert_eq!(driver.in_flight(), 0);
    drop((a, b));
}

#[test]
fn fixed_buffers_read_and_write() {
    let ring = Ring::new(8).unwrap();
    let region: &'static mut [u8] = Box::leak(vec![0u8; 4096].into_boxed_slice());
    let iov = libc::iovec {
        iov_base: region.as_mut_ptr().cast(),
        iov_len: region.len(),
    };
    let mut ring = ring;
    // SAFETY: one iovec naming leaked memory, which stays valid for as long as it is registered.
    let r = unsafe {
        ring.split().0.register_raw(
            sys::IORING_REGISTER_BUFFERS,
            (&iov as *const libc::iovec).cast(),
            1,
        )
    };
    if let Err(e) = r {
        skip!("cannot register buffers: {e}");
    }
    // SAFETY: the ring is this test's own, with nothing queued or in flight.
    let driver = unsafe { LocalDriver::from_ring(ring) };
    region[..5].copy_from_slice(b"fixed");
    let path = temp_path("fixed");
    let file = std::fs::File::create_new(&path).unwrap();
    let fd = file.as_raw_fd();
    let (w, res) = run(
        &driver,
        WriteFixed {
            fd,
            buf: region,
            buf_index: 0,
            offset: 0,
        },
    );
    assert_eq!(res, Ok(4096));
    let region = w.buf;
    region.fill(0);
    let (r, res) = run(
        &driver,
        ReadFixed {
            fd,
            buf: region,
            buf_index: 0,
            offset: 0,
        },
    );
    assert_eq!(res, Ok(4096));
    assert_eq!(&r.buf[..5], b"fixed");
    // A buffer outside the registered region is refused by the kernel.
    let (_, res) = run(
        &driver,
        ReadFixed {
            fd,
            buf: vec![0u8; 16],
            buf_index: 0,
            offset: 0,
        },
    );
    assert_eq!(res, Err(Errno::EFAULT));
    drop(file);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn buffer_lengths_reach_the_sqe() {
    // OwnedBuf reports the lengths events put in their SQEs.
    let v = vec![0u8; 3];
    let b: Box<[u8]> = vec![0u8; 5].into_boxed_slice();
    let s: &'static mut [u8] = Box::leak(vec![0u8; 7].into_boxed_slice());
    assert_eq!(
        (OwnedBuf::len(&v), OwnedBuf::len(&b), OwnedBuf::len(&s)),
        (3, 5, 7)
    );
    let mut sqe = sys::Sqe::ZERO;
    let mut read = Read::new(3, v, 9);
    // SAFETY: the SQE is never submitted, so nothing is lent to the kernel.
    unsafe { read.prepare(Entry::from_sqe_mut(&mut sqe)) };
    assert_eq!((sqe.opcode, sqe.fd, sqe.len), (sys::IORING_OP_READ, 3, 3));
    // SAFETY: as above; the SQE's fields are plain integers.
    assert_eq!(
        unsafe { (sqe.addr.addr, sqe.off.off) },
        (read.buf.as_ptr() as u64, 9)
    );
}

#[test]
fn multishot_recv_with_a_buffer_ring() {
    use ringcore::register::BufRing;
    const LEN: u32 = 64;
    let ring = Ring::new(16).unwrap();
    // Declared before the driver, so dropped after it: the driver waits for the stream first.
    let mut br = match BufRing::new(&ring, 3, 4, LEN) {
        Ok(br) => br,
        Err(Errno::EINVAL) => skip!("IORING_REGISTER_PBUF_RING needs Linux 5.19"),
        Err(e) => panic!("buffer ring: {e}"),
    };
    // SAFETY: the ring is this test's own, with nothing queued or in flight.
    let driver = unsafe { LocalDriver::from_ring(ring) };
    let (a, b) = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        (c, l.accept().unwrap().0)
    };
    let mut stream = driver.multishot(RecvMulti {
        fd: b.as_raw_fd(),
        buf_group: 3,
        flags: 0,
    });
    let messages: Vec<Vec<u8>> = (0..10)
        .map(|i| format!("message {i}").into_bytes())
        .collect();
    let got = driver
        .block_on(async {
            use std::io::Write as _;
            let mut a = &a;
            let mut got = Vec::new();
            // More messages than buffers: each buffer is recycled after its CQE.
            for msg in &messages {
                a.write_all(msg).unwrap();
                let c = stream.next().await.expect("a completion");
                let n = c.result.expect("bytes received") as usize;
                let id = c.buffer_id().expect("a buffer from the ring");
                // SAFETY: the CQE handed buffer `id` back with `n` bytes; nothing else writes it
                // until it is recycled below.
                let bytes = unsafe { br.buffer(id, 0, n) }.expect("inside the buffer");
                got.push(bytes.to_vec());
                br.recycle(id).unwrap();
                br.advance();
            }
            stream.cancel();
            while stream.next().await.is_some() {}
            got
        })
        .unwrap();
    assert_eq!(got, messages);
    assert_eq!(driver.in_flight(), 0);
    drop((a, b));
}
