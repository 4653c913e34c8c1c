//! The benchmark's loops on monoio 0.2 (its own thread-per-core runtime, io_uring driver):
//! `ringcore-bench-monoio WORKLOAD OPS [FILE]` prints `ops check ns` (see
//! `ringcore_bench::imp::peers`).

use monoio::buf::IoBuf;
use monoio::io::{AsyncReadRent, AsyncWriteRentExt};
use ringcore_bench::imp::{
    block_number, file_blocks, read1_offset, BLOCK, ECHO_BUF, QD, READ1_ROUND,
};
use ringcore_bench::outcome::Outcome;
use ringcore_bench::workload::Workload;
use ringcore_bench::{echo, imp, Error};
use std::cell::Cell;
use std::fs::File;
use std::os::fd::{AsRawFd, OwnedFd};
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Instant;

fn main() -> ExitCode {
    imp::peers::main(run)
}

fn run(w: Workload, ops: u64, file: Option<&File>) -> Result<Outcome, Error> {
    let file = || file.ok_or_else(|| Error::from("this workload needs the data file"));
    match w {
        Workload::TokioEcho1 | Workload::TokioEcho16 | Workload::TokioEcho256 => {
            echo::run(w.echo_conns().unwrap_or(1), ops, echo_server)
        }
        Workload::TokioRandRead => randread(file()?, ops),
        Workload::Read1 => read1(file()?, ops),
        _ => Err(format!("monoio does not run {}", w.name()).into()),
    }
}

/// Echoes on one connection until its peer closes it; returns the bytes echoed.
async fn echo_conn(mut s: monoio::net::TcpStream) -> std::io::Result<u64> {
    let mut buf = vec![0u8; ECHO_BUF];
    let mut bytes = 0;
    loop {
        let (res, b) = s.read(buf).await;
        let n = res?;
        if n == 0 {
            return Ok(bytes);
        }
        let (res, slice) = s.write_all(b.slice(0..n)).await;
        res?;
        buf = slice.into_inner();
        bytes += n as u64;
    }
}

/// monoio's runtime on its io_uring driver, as the other io_uring loops: 256 entries.
fn runtime() -> std::io::Result<monoio::Runtime<monoio::IoUringDriver>> {
    monoio::RuntimeBuilder::<monoio::IoUringDriver>::new()
        .with_entries(256)
        .build()
}

/// A task per connection on monoio's runtime; returns the bytes echoed.
fn echo_server(fds: Vec<OwnedFd>) -> Result<u64, Error> {
    runtime()?.block_on(async move {
        let mut tasks = Vec::with_capacity(fds.len());
        for fd in fds {
            let s = std::net::TcpStream::from(fd);
            s.set_nonblocking(true)?;
            tasks.push(monoio::spawn(echo_conn(monoio::net::TcpStream::from_std(
                s,
            )?)));
        }
        let mut bytes = 0;
        for t in tasks {
            bytes += t.await?;
        }
        Ok(bytes)
    })
}

/// Opens `file` again for monoio.
async fn reopen(file: &File) -> std::io::Result<monoio::fs::File> {
    monoio::fs::File::open(format!("/proc/self/fd/{}", file.as_raw_fd())).await
}

/// [`QD`] tasks, each a loop of 4 KiB `read_at`s at the drawn blocks, on one shared file.
fn randread(file: &File, ops: u64) -> Result<Outcome, Error> {
    let list: Rc<[u64]> = ringcore_bench::prng::random_blocks(file_blocks(file)?, ops).into();
    runtime()?.block_on(async move {
        let f = Rc::new(reopen(file).await?);
        let next = Rc::new(Cell::new(0usize));
        let start = Instant::now();
        let readers: Vec<_> = (0..QD)
            .map(|_| {
                let (f, next, list) = (f.clone(), next.clone(), list.clone());
                monoio::spawn(async move {
                    let mut buf = vec![0u8; BLOCK];
                    let (mut reads, mut check) = (0u64, 0u64);
                    loop {
                        let i = next.get();
                        next.set(i + 1);
                        let Some(&block) = list.get(i) else { break };
                        let (res, b) = f.read_at(buf, block * BLOCK as u64).await;
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
            let (n, c) = r.await?;
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

/// Issue 14's reference loop: 1-byte `read_at`s, rounds of [`READ1_ROUND`] joined with
/// `join_all`, in one task.
fn read1(file: &File, ops: u64) -> Result<Outcome, Error> {
    let blocks = file_blocks(file)?;
    runtime()?.block_on(async move {
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
            for (res, buf) in futures::future::join_all(reads).await {
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
