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
    } else if let Some(name) = imp::peers::exe_name(i) {
        Command::new(imp::peers::path(i).ok_or(name)?)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut c = Command::new("sh");
        c.args(["-c", script]);
        c
    }

    #[test]
    fn reads_the_last_line_and_rejects_failures() {
        let o = run(sh("echo starting; echo 7 21 900")).unwrap();
        assert_eq!((o.ops, o.check, o.ns), (7, 21, 900));
        let e = run(sh("echo boom >&2; exit 3")).unwrap_err();
        assert_eq!(e.to_string(), "boom");
        assert!(run(sh("echo 1 2")).is_err());
    }

    #[test]
    fn command_lines() {
        let exe = Path::new("/bin/true");
        let c = command(exe, Impl::Liburing, Workload::Nop1, 5, None).unwrap();
        let args: Vec<_> = c.get_args().map(|a| a.to_str().unwrap()).collect();
        assert_eq!(args, ["child", "liburing", "nop1", "5"]);
        let c = command(
            exe,
            Impl::IoUringCrate,
            Workload::RandRead,
            9,
            Some(Path::new("/f")),
        );
        let args: Vec<_> = c
            .unwrap()
            .get_args()
            .map(|a| a.to_str().unwrap().to_string())
            .collect();
        assert_eq!(args, ["child", "io-uring", "randread", "9", "/f"]);
    }
}
