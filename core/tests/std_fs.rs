//! `ringcore::fs::File` against the kernel: ringbahn's file tests (read, read to end, seek then
//! read, write then read back, create, basic read and write), metadata, close on drop, and the
//! same file driven by `futures`' and tokio's `block_on` and by explicit drivers.

use futures::executor::block_on;
use ringcore::driver::{BackgroundDriver, LocalDriver, SharedDriver};
use ringcore::fs::File;
use std::io::SeekFrom;
use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A fresh path in the temp dir, removed when dropped.
struct TempPath(PathBuf);

impl TempPath {
    fn new(name: &str) -> TempPath {
        let path =
            std::env::temp_dir().join(format!("ringcore-std-fs-{}-{name}", std::process::id()));
        let _ = std::fs::remove_file(&path);
        TempPath(path)
    }

    fn with(name: &str, contents: &[u8]) -> TempPath {
        let p = TempPath::new(name);
        std::fs::write(&p.0, contents).unwrap();
        p
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Bytes that differ at every offset (so a read at the wrong offset is caught).
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
}

const LOREM: &[u8] =
    b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n";

#[test]
fn read_file() {
    let path = TempPath::with("read_file", LOREM);
    let (n, buf) = block_on(async {
        let mut file = File::open(&path.0).await.unwrap();
        let mut buf = [0u8; 32];
        let n = file.read(&mut buf).await.unwrap();
        (n, buf)
    });
    assert_eq!(n, 32);
    assert_eq!(&buf[..], &LOREM[..32]);
}

#[test]
fn read_to_end() {
    // Larger than the 64 KiB buffer, and not a multiple of it.
    let data = pattern(300_001);
    let path = TempPath::with("read_to_end", &data);
    let read = block_on(async {
        let mut file = File::open(&path.0).await.unwrap();
        let mut out = b"prefix".to_vec();
        let n = file.read_to_end(&mut out).await.unwrap();
        assert_eq!(n, data.len());
        assert_eq!(file.position(), data.len() as u64);
        out
    });
    assert_eq!(&read[..6], b"prefix");
    assert!(read[6..] == data[..], "contents differ");
}

#[test]
fn seek_then_read() {
    let data = pattern(200_000);
    let path = TempPath::with("seek_then_read", &data);
    block_on(async {
        let mut file = File::open(&path.0).await.unwrap();
        let mut buf = [0u8; 100];
        // Read a little (the file reads ahead), then jump around.
        file.read(&mut buf).await.unwrap();
        assert_eq!(file.seek(SeekFrom::Start(150_000)).await.unwrap(), 150_000);
        file.read(&mut buf).await.unwrap();
        assert_eq!(&buf[..], &data[150_000..150_100]);
        assert_eq!(file.seek(SeekFrom::Current(-1_100)).await.unwrap(), 149_000);
        file.read(&mut buf).await.unwrap();
        assert_eq!(&buf[..], &data[149_000..149_100]);
        assert_eq!(file.seek(SeekFrom::End(-10)).await.unwrap(), 199_990);
        let n = file.read(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], &data[199_990..]);
        assert_eq!(file.read(&mut buf).await.unwrap(), 0, "end of file");
        let err = file.seek(SeekFrom::Current(-300_000)).await.unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    });
}

#[test]
fn write_then_read_back() {
    let path = TempPath::new("write_then_read_back");
    let data = pattern(150_000);
    block_on(async {
        let mut file = File::open_with(
            &path.0,
            libc::O_RDWR | libc::O_CREAT,
            0o600,
            BackgroundDriver::global().unwrap(),
        )
        .await
        .unwrap();
        file.write_all(&data).await.unwrap();
        // Overwrite a stretch in the middle, then read everything back through the same file.
        file.seek(SeekFrom::Start(1000)).await.unwrap();
        file.write_all(b"OVERWRITTEN").await.unwrap();
        file.seek(SeekFrom::Start(0)).await.unwrap();
        let mut back = Vec::new();
        file.read_to_end(&mut back).await.unwrap();
        let mut expected = data.clone();
        expected[1000..1011].copy_from_slice(b"OVERWRITTEN");
        assert!(back == expected, "read back differs");
        file.close().await.unwrap();
    });
    assert_eq!(std::fs::read(&path.0).unwrap().len(), data.len());
}

#[test]
fn create() {
    let path = TempPath::with("create", b"old contents that must be truncated");
    block_on(async {
        let mut file = File::create(&path.0).await.unwrap();
        assert_eq!(file.write(b"new").await.unwrap(), 3);
        file.sync_all().await.unwrap();
        file.close().await.unwrap();
    });
    assert_eq!(std::fs::read(&path.0).unwrap(), b"new");
    let missing = TempPath::new("create-missing-dir");
    let err = block_on(File::create(missing.0.join("x"))).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
}

#[test]
fn open_errors_are_values() {
    let err = block_on(File::open("/nonexistent/ringcore")).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::ENOENT));
    let err = block_on(File::open("bad\0path")).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    // Writing a read-only file fails with the kernel's error, not a panic.
    let path = TempPath::with("readonly", b"x");
    block_on(async {
        let mut file = File::open(&path.0).await.unwrap();
        let accepted = file.write(b"abc").await.unwrap();
        assert_eq!(accepted, 3, "write-behind accepts, the flush reports");
        let err = file.flush().await.unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EBADF));
    });
}

#[test]
fn metadata() {
    let path = TempPath::with("metadata", &pattern(12_345));
    let meta = block_on(async { File::open(&path.0).await.unwrap().metadata().await.unwrap() });
    assert_eq!(meta.len(), 12_345);
    assert!(meta.is_file());
    assert!(!meta.is_dir());
    let std_meta = std::fs::metadata(&path.0).unwrap();
    assert_eq!(meta.modified().unwrap(), std_meta.modified().unwrap());
}

/// Basic read and write (ringbahn's basic-read / basic-write): a whole file in one call each,
/// on explicit drivers run by their own `block_on`.
#[test]
fn basic_read_and_write_on_given_drivers() {
    let data = pattern(4096);
    let path = TempPath::new("basic");
    let local = LocalDriver::new(32).unwrap();
    local
        .block_on(async {
            let mut file = File::create_on(&path.0, &local).await.unwrap();
            assert_eq!(file.write(&data).await.unwrap(), 4096);
            file.close().await.unwrap();
        })
        .unwrap();
    let shared = SharedDriver::new(32).unwrap();
    let read = shared
        .block_on(async {
            let mut file = File::open_on(&path.0, shared.clone()).await.unwrap();
            let mut buf = vec![0u8; 4096];
            let n = file.read(&mut buf).await.unwrap();
            buf.truncate(n);
            buf
        })
        .unwrap();
    assert_eq!(read, data);
    assert_eq!(local.in_flight(), 0);
}

#[test]
fn runs_under_tokio_block_on() {
    let data = pattern(100_000);
    let path = TempPath::with("tokio", &data);
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let read = rt.block_on(async {
        let mut file = File::open(&path.0).await.unwrap();
        let mut out = Vec::new();
        file.read_to_end(&mut out).await.unwrap();
        out
    });
    assert!(read == data);
}

fn fd_is_open(fd: i32) -> bool {
    // SAFETY: F_GETFD only queries the descriptor table.
    unsafe { libc::fcntl(fd, libc::F_GETFD) >= 0 }
}

#[test]
fn drop_closes_through_the_ring() {
    let path = TempPath::with("drop_close", b"abc");
    let file = block_on(File::open(&path.0)).unwrap();
    let fd = file.as_raw_fd();
    assert!(fd_is_open(fd));
    drop(file);
    // The close runs in the background; wait for it (other tests may open fds, but not
    // this number until it is closed).
    let deadline = Instant::now() + Duration::from_secs(5);
    while fd_is_open(fd) {
        assert!(Instant::now() < deadline, "fd {fd} still open after drop");
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn drop_on_local_driver_closes_when_the_driver_runs() {
    let path = TempPath::with("drop_close_local", b"abc");
    let local = LocalDriver::new(8).unwrap();
    let file = local
        .block_on(File::open_on(&path.0, &local))
        .unwrap()
        .unwrap();
    let fd = file.as_raw_fd();
    drop(file);
    local.run_until_idle().unwrap();
    assert!(!fd_is_open(fd), "fd {fd} still open after the driver ran");
}

#[test]
fn types_are_send_for_multithreaded_executors() {
    fn send<T: Send>() {}
    send::<File>();
    send::<ringcore::net::TcpStream>();
    send::<ringcore::net::TcpListener>();
    send::<ringcore::net::UnixStream>();
    send::<ringcore::stdio::Stdout>();
    send::<BackgroundDriver>();
    // A read future of a background-driver file can move between threads too.
    fn send_val<T: Send>(_: &T) {}
    let mut buf = [0u8; 1];
    let path = TempPath::with("send", b"x");
    let mut file = block_on(File::open(&path.0)).unwrap();
    let read = file.read(&mut buf);
    send_val(&read);
    assert_eq!(block_on(read).unwrap(), 1);
}

#[test]
fn read_at_reads_where_asked_concurrently_and_leaves_the_cursor() {
    let data = pattern(64 * 1024);
    let p = TempPath::with("read-at", &data);
    block_on(async {
        let mut file = File::open(&p.0).await.unwrap();
        // 32 reads in flight at once on one `&File`, at offsets out of order.
        let offsets: Vec<u64> = (0..32u64).map(|i| (i * 7919) % 60_000).collect();
        let reads = offsets.iter().map(|&o| file.read_at(vec![0u8; 1000], o));
        for (o, (buf, res)) in offsets.iter().zip(futures::future::join_all(reads).await) {
            assert_eq!(res.unwrap(), 1000);
            assert_eq!(buf[..], data[*o as usize..*o as usize + 1000], "offset {o}");
        }
        // Past the end: a short read, then 0.
        let (buf, res) = file.read_at(vec![0u8; 100], 64 * 1024 - 10).await;
        assert_eq!(res.unwrap(), 10);
        assert_eq!(buf[..10], data[data.len() - 10..]);
        assert_eq!(file.read_at(vec![0u8; 100], 1 << 20).await.1.unwrap(), 0);
        // The cursor did not move.
        let mut first = [0u8; 16];
        file.read_exact(&mut first).await.unwrap();
        assert_eq!(first[..], data[..16]);
    });
}

#[test]
fn write_at_writes_where_asked_and_read_at_sees_it() {
    let p = TempPath::with("write-at", &[b'.'; 100]);
    block_on(async {
        let file = File::open_with(
            &p.0,
            libc::O_RDWR,
            0,
            ringcore::driver::DefaultDriver::current().unwrap(),
        )
        .await
        .unwrap();
        let (a, b) = futures::join!(
            file.write_at(b"abc".to_vec(), 10),
            file.write_at(b"xyz".to_vec(), 98)
        );
        assert_eq!((a.1.unwrap(), b.1.unwrap()), (3, 3));
        let (buf, res) = file.read_at(vec![0u8; 5], 9).await;
        assert_eq!(res.unwrap(), 5);
        assert_eq!(&buf, b".abc.");
    });
    let on_disk = std::fs::read(&p.0).unwrap();
    assert_eq!(on_disk.len(), 101);
    assert_eq!(&on_disk[10..13], b"abc");
    assert_eq!(&on_disk[98..], b"xyz");
}

#[test]
fn positional_io_errors_are_values() {
    let p = TempPath::with("positional-errors", b"data");
    block_on(async {
        let file = File::open(&p.0).await.unwrap();
        let (_, res) = file.read_at(vec![0u8; 4], u64::MAX).await;
        assert_eq!(res.unwrap_err().kind(), std::io::ErrorKind::InvalidInput);
        // Opened read-only: the kernel refuses the write.
        let (buf, res) = file.write_at(b"no".to_vec(), 0).await;
        assert_eq!(res.unwrap_err().raw_os_error(), Some(libc::EBADF));
        assert_eq!(buf, b"no");
        // A pipe has no offsets (its write end is closed first, so that a read the check
        // let through would end at once, with 0, instead of waiting).
        let mut fds = [0i32; 2];
        // SAFETY: `fds` is valid for two ints.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        // SAFETY: the write end is ours and not used again.
        unsafe { libc::close(fds[1]) };
        // SAFETY: a fresh fd owned by nothing else; the File owns the read end from here.
        let pipe = unsafe {
            File::from_raw_fd(fds[0], ringcore::driver::DefaultDriver::current().unwrap())
        };
        let (_, res) = pipe.read_at(vec![0u8; 4], 0).await;
        assert_eq!(res.unwrap_err().raw_os_error(), Some(libc::ESPIPE));
    });
    assert_eq!(std::fs::read(&p.0).unwrap(), b"data");
}
