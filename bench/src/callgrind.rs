//! User-space instructions per operation, from `valgrind --tool=callgrind` at two sizes.
//!
//! callgrind counts the instructions a process executes in user space (the kernel's work inside
//! `io_uring_enter` is not counted). Running the same child at `n1` and `n2` operations and
//! dividing the difference of the totals by `n2 - n1` cancels everything but the loop:
//! process start, ring setup, teardown.

use crate::workload::{Impl, Workload};
use crate::Error;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether `valgrind` can be run.
pub fn available() -> bool {
    Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Instructions (Ir) per operation of `imp` on `w`, from runs of `n1` and `n2` operations
/// (over `file`, for workloads that read one).
/// The callgrind profiles stay in `out_dir` for `callgrind_annotate`.
///
/// # Errors
/// valgrind or the child failed, or a profile could not be read.
pub fn per_op(
    exe: &Path,
    imp: Impl,
    w: Workload,
    (n1, n2): (u64, u64),
    file: Option<&Path>,
    out_dir: &Path,
) -> Result<f64, Error> {
    std::fs::create_dir_all(out_dir)?;
    let ir1 = total_ir(exe, imp, w, n1, file, out_dir)?;
    let ir2 = total_ir(exe, imp, w, n2, file, out_dir)?;
    Ok((ir2 as f64 - ir1 as f64) / (n2 - n1) as f64)
}

/// The profile file of one callgrind run.
pub fn profile_path(out_dir: &Path, imp: Impl, w: Workload, n: u64) -> PathBuf {
    out_dir.join(format!("callgrind.{}.{}.{n}.out", imp.name(), w.name()))
}

/// Runs the child under callgrind and returns its total instruction count.
fn total_ir(
    exe: &Path,
    imp: Impl,
    w: Workload,
    n: u64,
    file: Option<&Path>,
    out_dir: &Path,
) -> Result<u64, Error> {
    let profile = profile_path(out_dir, imp, w, n);
    let child = crate::child::command(exe, imp, w, n, file)?;
    let out = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", profile.display()))
        .arg(child.get_program())
        .args(child.get_args())
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "callgrind run of {imp} {} failed: {}",
            w.name(),
            String::from_utf8_lossy(&out.stderr).trim()
        )
        .into());
    }
    parse_total(&std::fs::read_to_string(&profile)?)
        .ok_or_else(|| format!("no instruction total in {}", profile.display()).into())
}

/// The `summary:` (or `totals:`) line of a callgrind profile: its first number is Ir.
pub fn parse_total(profile: &str) -> Option<u64> {
    profile
        .lines()
        .find_map(|l| {
            l.strip_prefix("summary:")
                .or_else(|| l.strip_prefix("totals:"))
        })
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_summary_line() {
        let p = "events: Ir\nfn=main\n1 5\nsummary: 123456\ntotals: 123456\n";
        assert_eq!(parse_total(p), Some(123_456));
        assert_eq!(parse_total("totals: 77 3\n"), Some(77));
        assert_eq!(parse_total("events: Ir\n"), None);
    }
}
