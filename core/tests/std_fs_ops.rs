//! `ringcore::fs::{read, write, remove_file, remove_dir, rename, create_dir, metadata,
//! symlink_metadata}` against the kernel: on a `LocalDriver`, on the default driver under
//! `futures`' executor (the background driver) and, with feature `tokio`, inside tokio's
//! current-thread and multi-thread runtimes (the `TokioDriver`).
#![forbid(unsafe_code)]

use futures::task::noop_waker;
use ringcore::driver::{DefaultDriver, Drive, LocalDriver};
use ringcore::fs;
use std::future::Future;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::pin::pin;
use std::task::{Context, Poll};

/// A fresh directory in the temp dir, removed with everything in it when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path =
            std::env::temp_dir().join(format!("ringcore-fs-ops-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir(&path).unwrap();
        TempDir(path)
    }

    fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Bytes that differ at every offset (a read at the wrong offset is caught).
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
}

/// Whole-file reads: larger than one read, empty, `/proc` (size 0 in `statx`).
async fn reads<D: Drive + Clone>(dir: &TempDir, driver: D) {
    // 3 MiB and a bit: several reads on most file systems, not a multiple of anything.
    let big = pattern(3 * 1024 * 1024 + 17);
    std::fs::write(dir.join("big"), &big).unwrap();
    let back = fs::read_on(dir.join("big"), driver.clone()).await.unwrap();
    assert_eq!(back.len(), big.len());
    assert!(back == big, "the big file's bytes");

    std::fs::write(dir.join("empty"), b"").unwrap();
    assert_eq!(
        fs::read_on(dir.join("empty"), driver.clone())
            .await
            .unwrap(),
        b""
    );

    // statx says 0 for these; they still have content.
    for proc_file in ["/proc/self/cmdline", "/proc/filesystems", "/proc/kallsyms"] {
        if !Path::new(proc_file).exists() {
            println!("skipping {proc_file}: not present");
            continue;
        }
        assert_eq!(std::fs::metadata(proc_file).unwrap().len(), 0);
        let ours = fs::read_on(proc_file, driver.clone()).await.unwrap();
        let std = std::fs::read(proc_file).unwrap();
        assert!(!ours.is_empty(), "{proc_file} read empty");
        assert_eq!(ours.len(), std.len(), "{proc_file}");
        assert!(ours == std, "{proc_file} differs");
    }
}

/// Writes, renames, directories, metadata, removal.
async fn round_trip<D: Drive + Clone>(dir: &TempDir, driver: D) {
    let data = pattern(1024 * 1024 + 3);
    let a = dir.join("a");
    fs::write_on(&a, &data, driver.clone()).await.unwrap();
    assert_eq!(std::fs::read(&a).unwrap(), data);
    // Truncates what was there.
    fs::write_on(&a, b"short", driver.clone()).await.unwrap();
    assert_eq!(std::fs::read(&a).unwrap(), b"short");
    fs::write_on(&a, b"", driver.clone()).await.unwrap();
    assert_eq!(std::fs::read(&a).unwrap(), b"");
    fs::write_on(&a, &data, driver.clone()).await.unwrap();
    assert_eq!(fs::read_on(&a, driver.clone()).await.unwrap(), data);

    let meta = fs::metadata_on(&a, driver.clone()).await.unwrap();
    assert!(meta.is_file() && !meta.is_dir());
    assert_eq!(meta.len(), data.len() as u64);

    let b = dir.join("b");
    fs::rename_on(&a, &b, driver.clone()).await.unwrap();
    assert!(!a.exists());
    assert_eq!(std::fs::read(&b).unwrap(), data);

    let sub = dir.join("sub");
    fs::create_dir_on(&sub, driver.clone()).await.unwrap();
    assert!(std::fs::metadata(&sub).unwrap().is_dir());
    let meta = fs::metadata_on(&sub, driver.clone()).await.unwrap();
    assert!(meta.is_dir() && !meta.is_file());

    // A link: `metadata` follows it, `symlink_metadata` does not.
    let link = dir.join("link");
    std::os::unix::fs::symlink(&b, &link).unwrap();
    let followed = fs::metadata_on(&link, driver.clone()).await.unwrap();
    assert!(followed.is_file() && !followed.is_symlink());
    assert_eq!(followed.len(), data.len() as u64);
    let own = fs::symlink_metadata_on(&link, driver.clone())
        .await
        .unwrap();
    assert!(own.is_symlink() && !own.is_file());

    fs::remove_file_on(&link, driver.clone()).await.unwrap();
    assert!(b.exists(), "removing the link left its target");
    fs::remove_file_on(&b, driver.clone()).await.unwrap();
    assert!(!b.exists());
    fs::remove_dir_on(&sub, driver.clone()).await.unwrap();
    assert!(!sub.exists());
}

/// Every error is the kernel's errno as an `io::Error`.
async fn errors<D: Drive + Clone>(dir: &TempDir, driver: D) {
    let missing = dir.join("missing");
    let errno = |e: std::io::Error| (e.kind(), e.raw_os_error());
    let not_found = (ErrorKind::NotFound, Some(libc::ENOENT));

    let e = fs::read_on(&missing, driver.clone()).await.unwrap_err();
    assert_eq!(errno(e), not_found);
    let e = fs::read_on(&dir.0, driver.clone()).await.unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EISDIR));
    let e = fs::write_on(missing.join("x"), b"x", driver.clone())
        .await
        .unwrap_err();
    assert_eq!(errno(e), not_found);
    let e = fs::remove_file_on(&missing, driver.clone())
        .await
        .unwrap_err();
    assert_eq!(errno(e), not_found);
    let e = fs::remove_dir_on(&missing, driver.clone())
        .await
        .unwrap_err();
    assert_eq!(errno(e), not_found);
    let e = fs::rename_on(&missing, dir.join("to"), driver.clone())
        .await
        .unwrap_err();
    assert_eq!(errno(e), not_found);
    let e = fs::metadata_on(&missing, driver.clone()).await.unwrap_err();
    assert_eq!(errno(e), not_found);
    let e = fs::create_dir_on(missing.join("deeper"), driver.clone())
        .await
        .unwrap_err();
    assert_eq!(errno(e), not_found);

    let e = fs::create_dir_on(&dir.0, driver.clone()).await.unwrap_err();
    assert_eq!(
        errno(e),
        (ErrorKind::AlreadyExists, Some(libc::EEXIST)),
        "create_dir of an existing directory"
    );
    std::fs::create_dir(dir.join("full")).unwrap();
    std::fs::write(dir.join("full/f"), b"f").unwrap();
    let e = fs::remove_dir_on(dir.join("full"), driver.clone())
        .await
        .unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::ENOTEMPTY));
    let e = fs::remove_file_on(dir.join("full"), driver.clone())
        .await
        .unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EISDIR));
    let e = fs::remove_dir_on(dir.join("full/f"), driver.clone())
        .await
        .unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::ENOTDIR));

    // A NUL byte cannot reach the kernel.
    let e = fs::read_on("a\0b", driver.clone()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let e = fs::rename_on("a", "b\0", driver.clone()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    // Too long for the kernel: fails in the preparation of both the openat and the statx.
    let long = "x".repeat(5000);
    let e = fs::read_on(&long, driver.clone()).await.unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::ENAMETOOLONG));
    let e = fs::write_on(&long, b"x", driver.clone()).await.unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::ENAMETOOLONG));
    // The empty path: the kernel's ENOENT, as std.
    let e = fs::read_on("", driver.clone()).await.unwrap_err();
    assert_eq!(errno(e), not_found);
}

async fn all<D: Drive + Clone>(name: &str, driver: D) {
    let dir = TempDir::new(name);
    reads(&dir, driver.clone()).await;
    round_trip(&dir, driver.clone()).await;
    errors(&dir, driver).await;
}

#[test]
fn on_a_local_driver() {
    let driver = LocalDriver::new(32).unwrap();
    driver.block_on(all("local", &driver)).unwrap();
    assert_eq!(driver.in_flight(), 0);
}

#[test]
fn on_the_default_driver_outside_tokio() {
    futures::executor::block_on(async {
        let driver = DefaultDriver::current().unwrap();
        assert!(matches!(driver, DefaultDriver::Background(_)));
        all("background", driver).await;
    });
}

/// The functions without a driver argument, wherever they run.
async fn default_functions(name: &str) {
    let dir = TempDir::new(name);
    let (a, b, sub) = (dir.join("a"), dir.join("b"), dir.join("sub"));
    fs::write(&a, "via the default driver").await.unwrap();
    assert_eq!(fs::read(&a).await.unwrap(), b"via the default driver");
    assert_eq!(fs::metadata(&a).await.unwrap().len(), 22);
    fs::rename(&a, &b).await.unwrap();
    assert_eq!(fs::read(&a).await.unwrap_err().kind(), ErrorKind::NotFound);
    assert!(fs::symlink_metadata(&b).await.unwrap().is_file());
    fs::create_dir(&sub).await.unwrap();
    assert_eq!(
        fs::create_dir(&sub).await.unwrap_err().kind(),
        ErrorKind::AlreadyExists
    );
    fs::remove_dir(&sub).await.unwrap();
    fs::remove_file(&b).await.unwrap();
    assert_eq!(
        fs::remove_file(&b).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[test]
fn default_functions_outside_tokio() {
    futures::executor::block_on(default_functions("default-fns"));
}

/// Polls `fut` once with a waker nobody listens to.
fn poll_once<F: Future + Unpin>(fut: &mut F) -> Poll<F::Output> {
    let waker = noop_waker();
    std::pin::Pin::new(fut).poll(&mut Context::from_waker(&waker))
}

/// Runs `driver` until the kernel holds nothing of it.
fn settle(driver: &LocalDriver) {
    driver.run_until_idle().unwrap();
}

/// Polls `fut` and runs `driver` in turns until it is ready.
fn finish<F: Future + Unpin>(driver: &LocalDriver, fut: &mut F) -> F::Output {
    loop {
        if let Poll::Ready(out) = poll_once(fut) {
            return out;
        }
        driver.run_once(1).unwrap();
    }
}

#[test]
fn read_of_a_file_that_grows_or_shrinks_after_its_size_was_taken() {
    let dir = TempDir::new("changing");
    let path = dir.join("f");
    let driver = LocalDriver::new(8).unwrap();
    let start = pattern(10_000);
    let grown = pattern(50_000);

    // Grows between the statx (10 000 bytes) and the first read: the read fills the
    // 10 001-byte buffer, which then grows until a read returns 0.
    std::fs::write(&path, &start).unwrap();
    let mut read = pin!(fs::read_on(&path, &driver));
    assert!(poll_once(&mut read).is_pending()); // open + statx queued
    settle(&driver);
    assert!(poll_once(&mut read).is_pending()); // the first read queued, not submitted yet
    std::fs::write(&path, &grown).unwrap(); // same inode, now 50 000 bytes
    let back = finish(&driver, &mut read).unwrap();
    assert_eq!(back.len(), grown.len());
    assert!(back == grown, "the grown file's bytes");

    // Shrinks in the same window: the short read and then a 0 end it.
    std::fs::write(&path, &start).unwrap();
    let mut read = pin!(fs::read_on(&path, &driver));
    assert!(poll_once(&mut read).is_pending());
    settle(&driver);
    assert!(poll_once(&mut read).is_pending());
    std::fs::write(&path, &start[..1234]).unwrap();
    assert_eq!(finish(&driver, &mut read).unwrap(), &start[..1234]);
    settle(&driver);
    assert_eq!(driver.in_flight(), 0);
}

/// The fds of this process that point at `path`.
fn fds_open_on(path: &Path) -> usize {
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter(|target| target == path)
        .count()
}

#[test]
fn dropping_read_and_write_mid_flight_leaks_no_fd_and_no_request() {
    let dir = TempDir::new("drop");
    let path = dir.join("f");
    std::fs::write(&path, pattern(100_000)).unwrap();
    let driver = LocalDriver::new(8).unwrap();

    // Dropped with the open (and statx) queued: the open, if it completes, is closed.
    let mut read = Box::pin(fs::read_on(&path, &driver));
    assert!(poll_once(&mut read).is_pending());
    drop(read);
    settle(&driver);
    assert_eq!(fds_open_on(&path), 0);

    // Dropped with the file open and a read queued.
    let mut read = Box::pin(fs::read_on(&path, &driver));
    assert!(poll_once(&mut read).is_pending());
    settle(&driver);
    assert!(poll_once(&mut read).is_pending());
    assert_eq!(
        fds_open_on(&path),
        1,
        "the file is open while its read is queued"
    );
    drop(read);
    settle(&driver);
    assert_eq!(fds_open_on(&path), 0);

    // Dropped with the file open and a write queued.
    let mut write = Box::pin(fs::write_on(&path, pattern(70_000), &driver));
    assert!(poll_once(&mut write).is_pending());
    settle(&driver);
    assert!(poll_once(&mut write).is_pending());
    assert_eq!(fds_open_on(&path), 1);
    drop(write);
    settle(&driver);
    assert_eq!(fds_open_on(&path), 0);
    assert_eq!(driver.in_flight(), 0);

    // Still usable afterwards.
    let mut read = pin!(fs::read_on(&path, &driver));
    let back = finish(&driver, &mut read).unwrap();
    assert!(back.len() <= 100_000);
}

/// Runs `f` on a thread of its own; fails if it takes over 20 s (a hang) instead of stalling.
fn within_20s(f: impl FnOnce() + Send + 'static) {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        f();
        done.send(()).unwrap();
    });
    finished
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("finished within 20 s");
}

/// An `openat` of "" fails in the kernel's preparation, and the kernel (without
/// `IORING_SETUP_SUBMIT_ALL`) stops the batch there: the requests queued after it in the
/// same batch must still be submitted (`fs::read` queues its `statx` after its `openat`).
async fn batch_with_a_failing_sqe<D: Drive + Clone>(driver: D) {
    use ringcore::event::events::Statx;
    use ringcore::event::{Batch, BatchSubmission};
    let stat = |path: &str| {
        let path = std::ffi::CString::new(path).unwrap();
        Statx::new(libc::AT_FDCWD, path, 0, libc::STATX_BASIC_STATS)
    };
    // One batch: prepared in one call, handed to the kernel in one `io_uring_enter`.
    let mut batch = Batch::with_capacity(3);
    batch.push(stat(""));
    batch.push(stat("/dev/null"));
    batch.push(stat("/"));
    let batch = BatchSubmission::new(batch, driver).await;
    let results: Vec<_> = batch.results().collect();
    assert_eq!(results, [Err(ringcore::Errno::ENOENT), Ok(0), Ok(0)]);
    assert_eq!(
        batch.events()[2].stat().stx_mode as u32 & libc::S_IFMT,
        libc::S_IFDIR
    );
}

#[test]
fn a_batch_with_an_sqe_failing_its_preparation_is_submitted_whole() {
    within_20s(|| {
        let driver = ringcore::driver::BackgroundDriver::new(8).unwrap();
        futures::executor::block_on(batch_with_a_failing_sqe(driver));
    });
    within_20s(|| {
        let driver = ringcore::driver::SharedDriver::new(8).unwrap();
        driver
            .block_on(batch_with_a_failing_sqe(driver.clone()))
            .unwrap();
    });
    within_20s(|| {
        let driver = LocalDriver::new(8).unwrap();
        driver.block_on(batch_with_a_failing_sqe(&driver)).unwrap();
    });
}

#[cfg(feature = "tokio")]
mod tokio_runtimes {
    use super::*;

    fn current_thread() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    fn multi_thread() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    }

    async fn on_tokio(name: &str) {
        let driver = DefaultDriver::current().unwrap();
        assert!(matches!(driver, DefaultDriver::Tokio(_)));
        all(name, driver).await;
        default_functions(&format!("{name}-fns")).await;
    }

    #[test]
    fn on_the_current_thread_runtime() {
        current_thread().block_on(on_tokio("tokio-ct"));
    }

    #[test]
    fn a_batch_with_an_sqe_failing_its_preparation_on_tokio() {
        within_20s(|| {
            let driver = ringcore::driver::TokioDriver::new();
            current_thread().block_on(batch_with_a_failing_sqe(driver));
        });
    }

    #[test]
    fn on_the_multi_thread_runtime() {
        // Spawned: the task runs on (and may move between) the runtime's workers.
        let rt = multi_thread();
        rt.block_on(async { tokio::spawn(on_tokio("tokio-mt")).await.unwrap() });
    }
}
