//! The io_uring runtimes compared on their own runtimes: tokio-uring and monoio, each a program
//! of its own (`bench/peers/`, a workspace apart), so that a peer that does not build with this
//! toolchain only goes missing from the report. `make bench` builds them into
//! `target/release/`; each runs `PROGRAM WORKLOAD OPS [FILE]` and prints `ops check ns`, with
//! the loops and checks of this crate ([`main`] is their `main`).

use crate::outcome::Outcome;
use crate::workload::{Impl, Workload};
use crate::{child, Error};
use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::process::ExitCode;

/// The program of peer `imp`.
pub fn exe_name(imp: Impl) -> Option<&'static str> {
    match imp {
        Impl::TokioUring => Some("ringcore-bench-tokio-uring"),
        Impl::Monoio => Some("ringcore-bench-monoio"),
        _ => None,
    }
}

/// The peer's program: next to this executable, or one directory up (test binaries live in
/// `deps/`).
pub fn path(imp: Impl) -> Option<PathBuf> {
    let name = exe_name(imp)?;
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?;
    let found = [Some(dir), dir.parent()]
        .into_iter()
        .flatten()
        .map(|d| d.join(name))
        .find(|p| p.is_file());
    found
}

/// `Ok` when the peer's program was built.
///
/// # Errors
/// Why it is missing.
pub fn available(imp: Impl) -> Result<(), &'static str> {
    match (imp, path(imp)) {
        (_, Some(_)) => Ok(()),
        (Impl::TokioUring, None) => Err("tokio-uring peer not built (`make bench` builds \
             target/release/ringcore-bench-tokio-uring; see its output for why it failed)"),
        _ => Err(
            "monoio peer not built (`make bench` builds target/release/ringcore-bench-monoio; \
             see its output for why it failed)",
        ),
    }
}

/// Runs peer `imp` on `w` in its own process.
///
/// # Errors
/// The peer is missing or failed.
pub fn run(imp: Impl, w: Workload, ops: u64, file: Option<&File>) -> Result<Outcome, Error> {
    let exe = std::env::current_exe()?;
    let path =
        file.map(|f| PathBuf::from(format!("/proc/{}/fd/{}", std::process::id(), f.as_raw_fd())));
    child::run(child::command(&exe, imp, w, ops, path.as_deref())?)
}

/// A peer program's `main`: parses `WORKLOAD OPS [FILE]`, runs `run` and prints its outcome.
pub fn main(run: fn(Workload, u64, Option<&File>) -> Result<Outcome, Error>) -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = (|| -> Result<Outcome, Error> {
        let usage = "usage: PEER WORKLOAD OPS [FILE]";
        let [w, ops, rest @ ..] = &args[..] else {
            return Err(usage.into());
        };
        let w = Workload::from_name(w).ok_or(usage)?;
        let ops: u64 = ops.parse().map_err(|_| usage)?;
        let file = rest.first().map(File::open).transpose()?;
        run(w, ops, file.as_ref())
    })();
    match result {
        Ok(o) => {
            println!("{o}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
