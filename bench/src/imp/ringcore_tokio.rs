//! ringcore's std types on tokio: `ringcore::net::TcpStream` and `ringcore::fs::File` made
//! inside a tokio runtime, so on `TokioDriver` (a ring per worker thread, its fd in tokio's
//! reactor) — what a tokio user gets from ringcore without choosing a driver.

use super::tokio_echo::runtime;
use super::{block_number, copy, file_blocks, read1_offset, BLOCK, ECHO_BUF, QD, READ1_ROUND};
use crate::outcome::Outcome;
use crate::Error;
use ringcore::driver::DefaultDriver;
use ringcore::event::events::Splice;
use ringcore::event::Submission;
use ringcore::fs::File as RcFile;
use ringcore::net::TcpStream;
use std::fs::File;
use std::os::fd::{AsRawFd, IntoRawFd, OwnedFd};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// How the echo server sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Send {
    /// `write_all`: returns once the kernel has sent the bytes (a round of the ring between
    /// the send and the next receive).
    WaitSent,
    /// `write` until all is accepted: returns once the send is queued, so the send and the
    /// next receive go to the kernel together (errors show at the next write or flush) —
    /// close to tokio's `write_all`, which returns once the bytes are in the socket.
    Queued,
}

/// Echoes on one connection until its peer closes it; returns the bytes echoed.
async fn echo_conn(fd: OwnedFd, send: Send) -> Result<u64, Error> {
    // SAFETY: `fd` is an open, connected TCP socket that this function owns and gives up.
    let mut s = unsafe { TcpStream::from_raw_fd(fd.into_raw_fd(), DefaultDriver::current()?) };
    let mut buf = [0u8; ECHO_BUF];
    let mut bytes = 0;
    loop {
        let n = s.read(&mut buf).await?;
        if n == 0 {
            return Ok(bytes);
        }
        match send {
            Send::WaitSent => s.write_all(&buf[..n]).await?,
            Send::Queued => {
                let mut queued = 0;
                while queued < n {
                    queued += s.write(&buf[queued..n]).await?;
                }
            }
        }
        bytes += n as u64;
    }
}

/// Echoes on every connection until the peer closes it, a task per connection, on the
/// current-thread (`multi_thread == false`) or multi-thread runtime, sending as `send` says;
/// returns the bytes echoed.
///
/// # Errors
/// The runtime or the driver could not start, or a read or write failed.
pub fn echo_server(multi_thread: bool, send: Send, fds: Vec<OwnedFd>) -> Result<u64, Error> {
    runtime(multi_thread)?.block_on(async move {
        let tasks: Vec<_> = fds
            .into_iter()
            .map(|fd| tokio::spawn(echo_conn(fd, send)))
            .collect();
        let mut bytes = 0;
        for t in tasks {
            bytes += t.await??;
        }
        Ok(bytes)
    })
}

/// Opens `file` again as a ringcore `File` (on the runtime's `TokioDriver`).
async fn reopen(file: &File) -> Result<RcFile, Error> {
    let path = format!("/proc/self/fd/{}", file.as_raw_fd());
    Ok(RcFile::open(path).await?)
}

/// 4 KiB reads at the random blocks of `file`: [`QD`] tasks on a current-thread runtime, each
/// a loop of `File::read_at` on one shared ringcore `File`. The checksum is the sum of the
/// block numbers read.
///
/// # Errors
/// The runtime could not start, or a read failed or came back short.
pub fn randread(file: &File, ops: u64) -> Result<Outcome, Error> {
    let list: Arc<[u64]> = crate::prng::random_blocks(file_blocks(file)?, ops).into();
    runtime(false)?.block_on(async move {
        let f = Arc::new(reopen(file).await?);
        let next = Arc::new(AtomicUsize::new(0));
        let start = Instant::now();
        let readers: Vec<_> = (0..QD)
            .map(|_| {
                let (f, next, list) = (f.clone(), next.clone(), list.clone());
                tokio::spawn(async move {
                    let mut buf = vec![0u8; BLOCK];
                    let (mut reads, mut check) = (0u64, 0u64);
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&block) = list.get(i) else { break };
                        let (b, res) = f.read_at(buf, block * BLOCK as u64).await;
                        buf = b;
                        if res? != BLOCK {
                            return Err::<_, Error>("short read".into());
                        }
                        check = check.wrapping_add(block_number(&buf));
                        reads += 1;
                    }
                    Ok((reads, check))
                })
            })
            .collect();
        let (mut done, mut check) = (0u64, 0u64);
        for r in readers {
            let (n, c) = r.await??;
            done += n;
            check = check.wrapping_add(c);
        }
        Ok(Outcome {
            ops: done,
            check,
            ns: start.elapsed().as_nanos() as u64,
        })
    })
}

/// Chunks in flight while copying.
pub const COPY_DEPTH: usize = 4;
/// Bytes per chunk of the `read_at`/`write_at` copy.
pub const COPY_CHUNK: usize = 512 * 1024;

/// Copies `file` to a new file with ringcore's `File` on a current-thread runtime:
/// [`COPY_DEPTH`] futures, each reading a chunk with `read_at` and writing it with `write_at`
/// at the same offset, striped over the file. Returns the bytes copied and the copy's checksum.
///
/// # Errors
/// The runtime could not start, or a read or write failed.
pub fn copy_file(file: &File) -> Result<Outcome, Error> {
    let len = file.metadata()?.len();
    copy::timed(file, |src: &Path, dst: &Path| {
        runtime(false)?.block_on(async move {
            let from = RcFile::open(src).await?;
            let to = RcFile::create(dst).await?;
            let stripes = (0..COPY_DEPTH).map(|k| {
                let (from, to) = (&from, &to);
                async move {
                    let mut buf = vec![0u8; COPY_CHUNK];
                    let mut off = (k * COPY_CHUNK) as u64;
                    while off < len {
                        let want = (len - off).min(COPY_CHUNK as u64) as usize;
                        buf.resize(want, 0);
                        let (b, res) = from.read_at(buf, off).await;
                        buf = b;
                        if res? != want {
                            return Err::<_, Error>("short read".into());
                        }
                        let (b, res) = to.write_at(buf, off).await;
                        buf = b;
                        let mut done = res?;
                        // A short write (rare for a regular file): write the rest.
                        while done < want {
                            let rest = buf[done..].to_vec();
                            let n = to.write_at(rest, off + done as u64).await.1?;
                            if n == 0 {
                                return Err("write_at wrote nothing".into());
                            }
                            done += n;
                        }
                        off += (COPY_DEPTH * COPY_CHUNK) as u64;
                    }
                    Ok(())
                }
            });
            for r in futures::future::join_all(stripes).await {
                r?;
            }
            to.close().await?;
            Ok(())
        })
    })
}

/// Bytes a copy pipe holds, and moves per splice.
pub const PIPE_BYTES: usize = 1 << 20;

/// A pipe of [`PIPE_BYTES`] for a splice copy: (read end, write end).
fn copy_pipe() -> Result<(OwnedFd, OwnedFd), Error> {
    let (r, w) = super::empty_pipe()?;
    // SAFETY: plain system call on an open fd; the result is checked.
    if unsafe { libc::fcntl(w.as_raw_fd(), libc::F_SETPIPE_SZ, PIPE_BYTES as libc::c_int) } < 0 {
        return Err(std::io::Error::last_os_error().into());
    }
    Ok((r, w))
}

/// Copies `file` to a new file with ringcore's `Splice` events on a current-thread runtime:
/// [`COPY_DEPTH`] stripes, each with a pipe of its own, moving each chunk of [`PIPE_BYTES`]
/// file → pipe → file in the kernel (no copy through user space, as `copy_file_range`).
/// The kernel runs splices on its io-wq workers.
///
/// # Errors
/// The runtime could not start, a pipe could not be made, or a splice failed.
pub fn splice_copy_file(file: &File) -> Result<Outcome, Error> {
    let len = file.metadata()?.len();
    copy::timed(file, |src: &Path, dst: &Path| {
        let pipes = (0..COPY_DEPTH)
            .map(|_| copy_pipe())
            .collect::<Result<Vec<_>, _>>()?;
        runtime(false)?.block_on(async move {
            let from = RcFile::open(src).await?;
            let to = RcFile::create(dst).await?;
            let driver = DefaultDriver::current()?;
            let (fd_in, fd_out) = (from.as_raw_fd(), to.as_raw_fd());
            let stripes = pipes.iter().enumerate().map(|(k, (pr, pw))| {
                let driver = driver.clone();
                async move {
                    let mut off = (k * PIPE_BYTES) as u64;
                    while off < len {
                        let want = (len - off).min(PIPE_BYTES as u64) as u32;
                        let into_pipe = Splice {
                            fd_in,
                            off_in: off,
                            fd_out: pw.as_raw_fd(),
                            off_out: u64::MAX,
                            len: want,
                            flags: 0,
                        };
                        let n = Submission::new(into_pipe, driver.clone()).await.1?;
                        if n != want {
                            return Err::<_, Error>("short splice from the file".into());
                        }
                        let mut moved = 0;
                        while moved < n {
                            let out_of_pipe = Splice {
                                fd_in: pr.as_raw_fd(),
                                off_in: u64::MAX,
                                fd_out,
                                off_out: off + u64::from(moved),
                                len: n - moved,
                                flags: 0,
                            };
                            let m = Submission::new(out_of_pipe, driver.clone()).await.1?;
                            if m == 0 {
                                return Err("splice into the copy moved nothing".into());
                            }
                            moved += m;
                        }
                        off += (COPY_DEPTH * PIPE_BYTES) as u64;
                    }
                    Ok(())
                }
            });
            for r in futures::future::join_all(stripes).await {
                r?;
            }
            to.close().await?;
            Ok(())
        })
    })
}

/// Issue 14's reference loop on `TokioDriver`: 1-byte `File::read_at`s of `file`, rounds of
/// [`READ1_ROUND`] joined with `join_all`, in one task of a current-thread runtime. The
/// checksum is the sum of the bytes read.
///
/// # Errors
/// The runtime could not start, or a read failed.
pub fn read1(file: &File, ops: u64) -> Result<Outcome, Error> {
    let blocks = file_blocks(file)?;
    runtime(false)?.block_on(async move {
        let f = reopen(file).await?;
        let mut bufs: Vec<Vec<u8>> = (0..READ1_ROUND).map(|_| vec![0u8; 1]).collect();
        let (mut done, mut check) = (0u64, 0u64);
        let start = Instant::now();
        while done < ops {
            let n = (READ1_ROUND as u64).min(ops - done);
            let reads = (0..n).map(|k| {
                let buf = bufs.pop().expect("a buffer per read");
                f.read_at(buf, read1_offset(done + k, blocks))
            });
            for (buf, res) in futures::future::join_all(reads).await {
                if res? != 1 {
                    return Err::<_, Error>("short read".into());
                }
                check = check.wrapping_add(u64::from(buf[0]));
                bufs.push(buf);
            }
            done += n;
        }
        Ok(Outcome {
            ops: done,
            check,
            ns: start.elapsed().as_nanos() as u64,
        })
    })
}
