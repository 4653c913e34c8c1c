//! [`read`] and [`write()`]: a whole file in one call — open, read or write, close, all
//! through the ring.

use super::file::c_path;
use crate::driver::{DefaultDriver, Drive};
use crate::event::events::{Close, OpenAt, Statx, CURRENT_POSITION};
use crate::event::Submission;
use crate::io::{close_in_background, Kind, Transfer};
use crate::Errno;
use alloc::vec::Vec;
use core::future::{poll_fn, Future};
use core::pin::Pin;
use core::task::Poll;
use std::io;
use std::path::Path;

/// The first read of a file whose size is unknown (0 in `statx`, as for `/proc` files).
const FIRST_READ: usize = 8 * 1024;

/// An fd opened here: closed through the ring when dropped, unless closed explicitly first.
///
/// Its requests and its close go to the same ring (one driver handle), so a read still queued
/// when the future is dropped reaches the kernel before the close does.
struct OpenFd<D: Drive + Clone> {
    fd: i32,
    driver: D,
}

impl<D: Drive + Clone> OpenFd<D> {
    /// Closes the fd through the ring and waits for the result.
    async fn close(mut self) -> io::Result<()> {
        let fd = core::mem::replace(&mut self.fd, -1);
        // SAFETY: this guard owns `fd` (opened by `open`, given to nobody) and has just
        // forgotten it, so its drop does not close it again.
        let close = unsafe { Close::new(fd) };
        let (_, res) = Submission::new(close, self.driver.clone()).await;
        res.map(drop).map_err(io::Error::from)
    }
}

impl<D: Drive + Clone> Drop for OpenFd<D> {
    fn drop(&mut self) {
        if self.fd >= 0 {
            close_in_background(self.fd, &self.driver);
        }
    }
}

/// Opens `path` with `flags` (plus `O_CLOEXEC`) and `mode`; with `size_hint`, also `statx`es
/// the path in the same submission and returns its size (`None` if that failed).
async fn open<D: Drive + Clone>(
    path: &Path,
    flags: i32,
    mode: u32,
    size_hint: bool,
    driver: D,
) -> io::Result<(OpenFd<D>, Option<u64>)> {
    let path = c_path(path)?;
    let mut stat = size_hint.then(|| {
        let statx = Statx::new(libc::AT_FDCWD, path.clone(), 0, libc::STATX_SIZE);
        Submission::new(statx, driver.clone())
    });
    let open = OpenAt {
        dirfd: libc::AT_FDCWD,
        path,
        flags: flags | libc::O_CLOEXEC,
        mode,
    };
    let mut open = Submission::new(open, driver);
    // Both are prepared in the same poll, so one `io_uring_enter` carries them.
    let (mut opened, mut size) = (None, None);
    let file = poll_fn(|cx| {
        if opened.is_none() {
            if let Poll::Ready((_, res)) = Pin::new(&mut open).poll(cx) {
                // Owned at once: dropping the future while the statx runs closes it.
                // The open's handle is bound to the ring that ran it (a `TokioDriver` binds
                // on first use), so the reads and the close go to that ring, in order.
                let driver = open.driver().clone();
                opened = Some(res.map(|fd| OpenFd {
                    fd: fd as i32,
                    driver,
                }));
            }
        }
        if let Some(sub) = stat.as_mut() {
            if let Poll::Ready((statx, res)) = Pin::new(sub).poll(cx) {
                size = res.ok().map(|_| statx.stat().stx_size);
                stat = None;
            }
        }
        match opened.take() {
            Some(res) if stat.is_none() => Poll::Ready(res),
            other => {
                opened = other;
                Poll::Pending
            }
        }
    })
    .await?;
    Ok((file, size))
}

/// Reads the whole file at `path` into a vector, on [`DefaultDriver::current`] — the ring
/// version of [`std::fs::read`].
///
/// The file is opened, read and closed through io_uring (`openat`, `read`s, `close`); its size
/// from a `statx` submitted with the open sizes the vector, and reading continues until a read
/// returns 0, so a file that grows or shrinks meanwhile, or reports size 0 (`/proc`), is still
/// read whole. The kernel reads straight into the vector, which the request owns: dropping the
/// future mid-read frees it only after the kernel lets go.
///
/// # Example
///
/// ```
/// let text = futures::executor::block_on(ringcore::fs::read("Cargo.toml"))?;
/// assert!(text.starts_with(b"[package]"));
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
/// The kernel's error from `openat` or `read` (`NotFound`, `PermissionDenied`, `IsADirectory`
/// ...); `InvalidInput` for a path with a NUL byte; the driver's error if it cannot start.
pub async fn read(path: impl AsRef<Path>) -> io::Result<Vec<u8>> {
    read_on(path, DefaultDriver::current()?).await
}

/// [`read`] on `driver`.
///
/// # Example
///
/// ```
/// use ringcore::driver::LocalDriver;
///
/// let driver = LocalDriver::new(8)?;
/// let text = driver.block_on(ringcore::fs::read_on("Cargo.toml", &driver))??;
/// assert!(text.starts_with(b"[package]"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`read`].
pub async fn read_on<D: Drive + Clone>(path: impl AsRef<Path>, driver: D) -> io::Result<Vec<u8>> {
    let (file, size) = open(path.as_ref(), libc::O_RDONLY, 0, true, driver).await?;
    // One byte more than the size, so that a file that did not change ends with a read of 0
    // instead of a reallocation.
    let first = match size.and_then(|n| usize::try_from(n).ok()) {
        Some(n) if n > 0 => n.saturating_add(1),
        _ => FIRST_READ,
    };
    let mut buf = alloc::vec![0; first];
    let mut filled = 0;
    loop {
        if filled == buf.len() {
            let more = buf.len().max(FIRST_READ);
            buf.resize(buf.len().saturating_add(more), 0);
        }
        // `Stream` reads at the file position: right for pipes and devices too, and nobody
        // else moves this fd's position.
        let read = Transfer::read_into(Kind::Stream, file.fd, buf, filled, CURRENT_POSITION);
        let (read, res) = Submission::new(read, file.driver.clone()).await;
        buf = read.buf;
        match res {
            Ok(0) => break,
            Ok(n) => filled += n as usize,
            Err(Errno::EINTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
    // A read-only fd has nothing to report at close: close it without waiting.
    drop(file);
    buf.truncate(filled);
    Ok(buf)
}

/// Writes `contents` as the whole of the file at `path` (created if missing, truncated if
/// not), on [`DefaultDriver::current`] — the ring version of [`std::fs::write`].
///
/// `contents` is copied into a buffer the request owns (the kernel may use it after the
/// future is dropped), written with as many `write`s as the kernel needs, and the file is
/// closed through the ring; the close's result is reported.
///
/// # Example
///
/// ```
/// let path = std::env::temp_dir().join(format!("ringcore-doc-write-{}", std::process::id()));
/// futures::executor::block_on(async {
///     ringcore::fs::write(&path, "through the ring").await?;
///     assert_eq!(ringcore::fs::read(&path).await?, b"through the ring");
///     ringcore::fs::remove_file(&path).await
/// })?;
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
/// The kernel's error from `openat`, `write` or `close` (`NotFound` for a missing directory,
/// `PermissionDenied`, `StorageFull` ...); `WriteZero` if a write makes no progress;
/// `InvalidInput` for a path with a NUL byte; the driver's error if it cannot start.
pub async fn write(path: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> io::Result<()> {
    write_on(path, contents, DefaultDriver::current()?).await
}

/// [`write()`] on `driver`.
///
/// # Errors
/// As [`write()`].
pub async fn write_on<D: Drive + Clone>(
    path: impl AsRef<Path>,
    contents: impl AsRef<[u8]>,
    driver: D,
) -> io::Result<()> {
    let mut buf = contents.as_ref().to_vec();
    let flags = libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC;
    let (file, _) = open(path.as_ref(), flags, 0o666, false, driver).await?;
    let mut written = 0;
    while written < buf.len() {
        let write = Transfer::write(Kind::Stream, file.fd, buf, written, CURRENT_POSITION);
        let (write, res) = Submission::new(write, file.driver.clone()).await;
        buf = write.buf;
        match res {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => written += n as usize,
            Err(Errno::EINTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
    file.close().await
}
