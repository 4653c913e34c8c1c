//! [`File`]: open, read, write, seek, stat, sync and close through the ring.

use super::Metadata;
use crate::driver::{DefaultDriver, Drive};
use crate::event::events::{Fsync, OpenAt, Read, Statx, Write, CURRENT_POSITION};
use crate::event::Submission;
use crate::io::{Io, Kind};
use alloc::ffi::CString;
use alloc::vec::Vec;
use core::future::poll_fn;
use core::task::{Context, Poll};
use std::io::{self, SeekFrom};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// A file whose I/O goes through io_uring.
///
/// By default it runs on [`DefaultDriver::current`] (tokio's threads inside a tokio runtime, the
/// global background driver elsewhere), so its futures make progress under any executor; the
/// `*_on` constructors take any other driver (which the caller then runs).
/// The file keeps its own cursor: each read or write is submitted at the cursor's offset.
///
/// Reads fill an owned buffer (64 KiB by default, see
/// [`set_buffer_size`](Self::set_buffer_size)) and copy out of it; writes are copied into an
/// owned buffer and accepted once queued (write-behind: [`flush`](Self::flush) waits for them
/// and reports their errors). Dropping a read or write future at any point loses no byte the
/// kernel already moved and frees no buffer the kernel may still use. Dropping the file closes
/// it through the ring, after cancelling what is in flight: call [`close`](Self::close) (or
/// `flush`) first to know that accepted writes landed.
/// # Example
///
/// ```
/// use ringcore::fs::File;
///
/// let path = std::env::temp_dir().join(format!("ringcore-doc-{}", std::process::id()));
/// futures::executor::block_on(async {
///     let mut file = File::create(&path).await?;
///     file.write_all(b"written through the ring\n").await?;
///     file.close().await?; // flushes, and reports what the writes returned
///
///     let mut file = File::open(&path).await?;
///     let mut text = Vec::new();
///     file.read_to_end(&mut text).await?;
///     assert_eq!(text, b"written through the ring\n");
///     std::io::Result::Ok(())
/// })?;
/// std::fs::remove_file(&path)?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct File<D: Drive + Clone = DefaultDriver> {
    io: Io<D>,
    /// Offset of the next byte the caller reads or writes.
    cursor: u64,
    /// A seek started through tokio's `AsyncSeek::start_seek`, not yet completed.
    #[cfg(feature = "tokio")]
    pub(crate) pending_seek: Option<SeekFrom>,
}

pub(super) fn c_path(path: &Path) -> io::Result<CString> {
    CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path contains a NUL byte"))
}

/// Seekable files are read at offsets; anything else (pipes, ttys) at the current position.
fn kind_of(fd: RawFd) -> Kind {
    // SAFETY: `stat` is plain integers (all-zero is valid) and `fstat` writes only into it.
    let mut st: libc::stat = unsafe { core::mem::zeroed() };
    // SAFETY: `fd` is open; `st` is valid for writes.
    if unsafe { libc::fstat(fd, &mut st) } == 0 {
        match st.st_mode & libc::S_IFMT {
            libc::S_IFREG | libc::S_IFBLK => return Kind::File,
            libc::S_IFSOCK => return Kind::Socket,
            _ => {}
        }
    }
    Kind::Stream
}

impl File<DefaultDriver> {
    /// Opens `path` read-only on [`DefaultDriver::current`].
    ///
    /// # Errors
    /// The kernel's error from `openat` (e.g. `NotFound`); `InvalidInput` for a path with a
    /// NUL byte; the driver's error if it cannot be started.
    pub async fn open(path: impl AsRef<Path>) -> io::Result<File> {
        File::open_on(path, DefaultDriver::current()?).await
    }

    /// Creates (or truncates) `path` write-only on [`DefaultDriver::current`].
    ///
    /// # Errors
    /// As [`open`](File::open).
    pub async fn create(path: impl AsRef<Path>) -> io::Result<File> {
        File::create_on(path, DefaultDriver::current()?).await
    }
}

impl<D: Drive + Clone> File<D> {
    /// Opens `path` read-only on `driver`.
    ///
    /// # Errors
    /// The kernel's error from `openat`; `InvalidInput` for a path with a NUL byte.
    pub async fn open_on(path: impl AsRef<Path>, driver: D) -> io::Result<File<D>> {
        File::open_with(path, libc::O_RDONLY, 0, driver).await
    }

    /// Creates (or truncates) `path` write-only, mode `0o666` before the umask, on `driver`.
    ///
    /// # Errors
    /// As [`open_on`](Self::open_on).
    pub async fn create_on(path: impl AsRef<Path>, driver: D) -> io::Result<File<D>> {
        let flags = libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC;
        File::open_with(path, flags, 0o666, driver).await
    }

    /// Opens `path` with `open(2)` `flags` (`O_CLOEXEC` is always added) and `mode`.
    ///
    /// # Errors
    /// As [`open_on`](Self::open_on).
    pub async fn open_with(
        path: impl AsRef<Path>,
        flags: i32,
        mode: u32,
        driver: D,
    ) -> io::Result<File<D>> {
        let open = OpenAt {
            dirfd: libc::AT_FDCWD,
            path: c_path(path.as_ref())?,
            flags: flags | libc::O_CLOEXEC,
            mode,
        };
        let (_, res) = Submission::new(open, driver.clone()).await;
        let fd = res? as RawFd;
        Ok(File {
            io: Io::new(fd, kind_of(fd), true, driver),
            cursor: 0,
            #[cfg(feature = "tokio")]
            pending_seek: None,
        })
    }

    /// Wraps an open fd (a file, pipe or tty); the `File` owns it from now on and closes it
    /// through the ring when dropped.
    ///
    /// # Safety
    /// `fd` must be open and owned by the caller, who gives it up: nothing else may close it
    /// or use it for I/O while the `File` lives.
    pub unsafe fn from_raw_fd(fd: RawFd, driver: D) -> File<D> {
        File {
            io: Io::new(fd, kind_of(fd), true, driver),
            cursor: 0,
            #[cfg(feature = "tokio")]
            pending_seek: None,
        }
    }

    /// The driver the file runs on.
    pub fn driver(&self) -> &D {
        &self.io.driver
    }

    /// Sets the size of the read buffer and of the largest write accepted at once.
    pub fn set_buffer_size(&mut self, bytes: usize) {
        self.io.reader.set_capacity(bytes);
        self.io.writer.set_capacity(bytes);
    }

    /// The cursor: where the next read or write happens.
    pub fn position(&self) -> u64 {
        self.cursor
    }

    /// Polls a read into `buf` at the cursor (see [`read`](Self::read)).
    ///
    /// # Errors
    /// The kernel's error from the read (or from a write that had to finish first).
    pub fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        let n = core::task::ready!(self.io.poll_read(cx, self.cursor, buf))?;
        self.cursor += n as u64;
        Poll::Ready(Ok(n))
    }

    /// Polls the buffered bytes at the cursor, reading first if there are none (empty: end
    /// of file). Consume them with [`consume`](Self::consume).
    ///
    /// # Errors
    /// As [`poll_read`](Self::poll_read).
    pub fn poll_fill_buf(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        let cursor = self.cursor;
        Poll::Ready(Ok(core::task::ready!(self.io.poll_fill(cx, cursor))?))
    }

    /// Marks `n` bytes returned by [`poll_fill_buf`](Self::poll_fill_buf) as read.
    pub fn consume(&mut self, n: usize) {
        let n = n.min(self.io.reader.buffered());
        self.io.reader.consume(n);
        self.cursor += n as u64;
    }

    /// Polls a write of (a prefix of) `buf` at the cursor (see [`write`](Self::write)).
    ///
    /// # Errors
    /// The kernel's error from an earlier accepted write, or from this one if it failed at
    /// once.
    pub fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let n = core::task::ready!(self.io.poll_write(cx, self.cursor, buf))?;
        self.cursor += n as u64;
        Poll::Ready(Ok(n))
    }

    /// Polls until every accepted write has landed.
    ///
    /// # Errors
    /// The first error of an accepted write not reported yet.
    pub fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(core::task::ready!(self.io.poll_flush(cx))?))
    }

    /// Polls a move of the cursor; writes are flushed and read-ahead is dropped first.
    ///
    /// # Errors
    /// `InvalidInput` for a position before the start or past `u64::MAX`; the error of a
    /// write being flushed; the error of `fstat` for [`SeekFrom::End`].
    pub fn poll_seek(&mut self, cx: &mut Context<'_>, pos: SeekFrom) -> Poll<io::Result<u64>> {
        core::task::ready!(self.io.poll_flush(cx))?;
        core::task::ready!(self.io.reader.poll_discard(cx));
        let (base, delta) = match pos {
            SeekFrom::Start(n) => (n, 0),
            SeekFrom::Current(d) => (self.cursor, d),
            SeekFrom::End(d) => (self.len_now()?, d),
        };
        let target = base
            .checked_add_signed(delta)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek out of range"))?;
        self.cursor = target;
        Poll::Ready(Ok(target))
    }

    /// The file's size now (`fstat`; needed only to seek from the end).
    fn len_now(&self) -> io::Result<u64> {
        // SAFETY: `stat` is plain integers; all-zero is valid.
        let mut st: libc::stat = unsafe { core::mem::zeroed() };
        // SAFETY: the fd is open while `self` lives; `st` is valid for writes.
        if unsafe { libc::fstat(self.io.fd, &mut st) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(st.st_size as u64)
    }

    /// Reads up to `buf.len()` bytes at the cursor; 0 means end of file.
    ///
    /// # Errors
    /// As [`poll_read`](Self::poll_read).
    pub async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        poll_fn(|cx| self.poll_read(cx, buf)).await
    }

    /// Reads exactly `buf.len()` bytes at the cursor.
    ///
    /// # Errors
    /// `UnexpectedEof` if the file ends first (the bytes read stay in `buf`, the cursor after
    /// them); otherwise as [`poll_read`](Self::poll_read).
    pub async fn read_exact(&mut self, mut buf: &mut [u8]) -> io::Result<()> {
        while !buf.is_empty() {
            let n = self.read(buf).await?;
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            buf = &mut buf[n..];
        }
        Ok(())
    }

    /// Reads until end of file, appending to `buf`; returns how many bytes were appended.
    ///
    /// # Errors
    /// As [`poll_read`](Self::poll_read); bytes read before an error stay in `buf`.
    pub async fn read_to_end(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
        let start = buf.len();
        loop {
            let n = poll_fn(|cx| {
                let data = core::task::ready!(self.poll_fill_buf(cx))?;
                buf.extend_from_slice(data);
                Poll::Ready(Ok::<_, io::Error>(data.len()))
            })
            .await?;
            if n == 0 {
                return Ok(buf.len() - start);
            }
            self.consume(n);
        }
    }

    /// Writes (a prefix of) `buf` at the cursor; returns how many bytes were accepted.
    ///
    /// # Errors
    /// As [`poll_write`](Self::poll_write).
    pub async fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        poll_fn(|cx| self.poll_write(cx, buf)).await
    }

    /// Writes all of `buf` at the cursor and waits until it has landed.
    ///
    /// # Errors
    /// As [`poll_write`](Self::poll_write) and [`flush`](Self::flush).
    pub async fn write_all(&mut self, mut buf: &[u8]) -> io::Result<()> {
        while !buf.is_empty() {
            let n = self.write(buf).await?;
            buf = &buf[n..];
        }
        self.flush().await
    }

    /// Waits until every accepted write has landed.
    ///
    /// # Errors
    /// As [`poll_flush`](Self::poll_flush).
    pub async fn flush(&mut self) -> io::Result<()> {
        poll_fn(|cx| self.poll_flush(cx)).await
    }

    /// Moves the cursor; returns the new position.
    ///
    /// # Errors
    /// As [`poll_seek`](Self::poll_seek).
    pub async fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        poll_fn(|cx| self.poll_seek(cx, pos)).await
    }

    /// Reads up to `buf.len()` bytes at `offset` into `buf`, which the kernel owns until the
    /// read ends and which comes back with the result: the bytes read (0 at end of file).
    ///
    /// Positional: neither uses nor moves the cursor and bypasses the file's buffers, so
    /// several reads may run at once on one `&File` (a write accepted by
    /// [`write`](Self::write) but not yet [flushed](Self::flush) is not seen). Dropping the
    /// future cancels the read; the buffer is freed once the kernel lets go of it.
    ///
    /// # Errors
    /// The kernel's error from the read; `InvalidInput` for `offset == u64::MAX` (not a file
    /// offset); `ESPIPE` (`NotSeekable`) when the file is a pipe, socket or tty.
    ///
    /// # Example
    ///
    /// ```
    /// use ringcore::fs::File;
    ///
    /// let path = std::env::temp_dir().join(format!("ringcore-read-at-{}", std::process::id()));
    /// std::fs::write(&path, b"0123456789")?;
    /// futures::executor::block_on(async {
    ///     let file = File::open(&path).await?;
    ///     let (a, b) = futures::join!(file.read_at(vec![0u8; 3], 2), file.read_at(vec![0u8; 4], 6));
    ///     assert_eq!((&a.0[..a.1?], &b.0[..b.1?]), (&b"234"[..], &b"6789"[..]));
    ///     std::io::Result::Ok(())
    /// })?;
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub async fn read_at<B: crate::event::OwnedBuf>(
        &self,
        buf: B,
        offset: u64,
    ) -> (B, io::Result<usize>) {
        if let Err(e) = self.positional(offset) {
            return (buf, Err(e));
        }
        let (read, res) =
            Submission::new(Read::new(self.io.fd, buf, offset), self.io.driver.clone()).await;
        (read.buf, res.map(|n| n as usize).map_err(io::Error::from))
    }

    /// Writes `buf` at `offset`; returns it with the bytes written (which may be fewer than
    /// `buf.len()`).
    ///
    /// Positional and unbuffered like [`read_at`](Self::read_at): the cursor stays, and the
    /// write is not ordered with writes accepted by [`write`](Self::write) but not yet
    /// flushed. The bytes have landed (in the page cache) when the future returns.
    ///
    /// # Errors
    /// The kernel's error from the write (`EBADF` for a file opened read-only);
    /// `InvalidInput` and `ESPIPE` as for [`read_at`](Self::read_at).
    pub async fn write_at<B: crate::event::OwnedBuf>(
        &self,
        buf: B,
        offset: u64,
    ) -> (B, io::Result<usize>) {
        if let Err(e) = self.positional(offset) {
            return (buf, Err(e));
        }
        let (write, res) =
            Submission::new(Write::new(self.io.fd, buf, offset), self.io.driver.clone()).await;
        (write.buf, res.map(|n| n as usize).map_err(io::Error::from))
    }

    /// Whether a positional read or write at `offset` is possible.
    fn positional(&self, offset: u64) -> io::Result<()> {
        if offset == CURRENT_POSITION {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "u64::MAX is not a file offset",
            ));
        }
        if self.io.kind != Kind::File {
            return Err(io::Error::from_raw_os_error(libc::ESPIPE));
        }
        Ok(())
    }

    /// The file's metadata, through `statx`.
    ///
    /// # Errors
    /// The kernel's error from `statx`.
    pub async fn metadata(&self) -> io::Result<Metadata> {
        let statx = Statx::new(
            self.io.fd,
            CString::default(),
            libc::AT_EMPTY_PATH,
            libc::STATX_BASIC_STATS,
        );
        let (statx, res) = Submission::new(statx, self.io.driver.clone()).await;
        res?;
        Ok(Metadata::new(*statx.stat()))
    }

    /// Flushes, then `fsync`s the file (data and metadata).
    ///
    /// # Errors
    /// As [`flush`](Self::flush); the kernel's error from `fsync`.
    pub async fn sync_all(&mut self) -> io::Result<()> {
        self.flush().await?;
        let fsync = Fsync {
            fd: self.io.fd,
            datasync: false,
        };
        let (_, res) = Submission::new(fsync, self.io.driver.clone()).await;
        res.map(|_| ()).map_err(io::Error::from)
    }

    /// Flushes and closes the file through the ring, reporting errors that a drop would
    /// lose.
    ///
    /// # Errors
    /// The first error of an accepted write; the kernel's error from `close`.
    pub async fn close(mut self) -> io::Result<()> {
        self.io.close().await.map_err(io::Error::from)
    }
}

impl<D: Drive + Clone> AsRawFd for File<D> {
    fn as_raw_fd(&self) -> RawFd {
        self.io.fd
    }
}
