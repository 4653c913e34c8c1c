//! The command lines of measurements, and reading their result: every measurement runs in a
//! process of its own, `ringcore-bench child IMPL WORKLOAD OPS [FILE]`, or for the C API peer
//! its own program, `ringcore-bench-capi WORKLOAD OPS [FILE]`; both print `ops check ns`.

use crate::outcome::Outcome;
use crate::workload::{Impl, Workload};
use crate::{imp, Error};
use std::path::Path;
use std::process::Command;

/// The command that measures `ops` operations of `w` with `i`; `exe` is this program.
///
/// # Errors
/// The implementation's program is missing.
pub fn command(
    exe: &Path,
    i: Impl,
    w: Workload,
    ops: u64,
    file: Option<&Path>,
) -> Result<Command, Error> {
    let mut cmd = if i == Impl::RingcoreC {
        Command::new(imp::capi::path().ok_or(imp::capi::MISSING)?)
    } else {
        let mut c = Command::new(exe);
        c.args(["child", i.name()]);
        c
    };
    cmd.args([w.name(), &ops.to_string()]);
    if let Some(f) = file {
        cmd.arg(f);
    }
    Ok(cmd)
}

/// Runs a measurement's command and reads its outcome.
///
/// # Errors
/// The command could not start, failed, or printed no outcome.
pub fn run(mut cmd: Command) -> Result<Outcome, Error> {
    let out = cmd.output()?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr)
            .trim()
            .to_string()
            .into());
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    stdout
        .lines()
        .last()
        .and_then(Outcome::parse)
        .ok_or_else(|| format!("unreadable child output: {stdout:?}").into())
}
