//! fio's io_uring engine on the same file, as a reference line for the random-read workload.

use crate::Error;
use std::path::Path;
use std::process::Command;

/// fio's version string, or `None` when fio is not installed.
pub fn version() -> Option<String> {
    let out = Command::new("fio").arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Reads/s of fio doing `ops` random 4 KiB reads of `file` at queue depth 32 through io_uring,
/// buffered, without dropping the page cache first.
///
/// # Errors
/// fio failed or printed something unexpected.
pub fn randread_iops(file: &Path, ops: u64) -> Result<f64, Error> {
    let out = Command::new("fio")
        .args([
            "--name=randread",
            "--readonly",
            "--rw=randread",
            "--bs=4k",
            "--ioengine=io_uring",
            "--iodepth=32",
            "--direct=0",
            "--invalidate=0",
            "--norandommap",
            "--randrepeat=1",
            "--minimal",
        ])
        .arg(format!("--filename={}", file.display()))
        .arg(format!("--io_size={}", ops * 4096))
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "fio failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )
        .into());
    }
    parse_minimal_read_iops(&String::from_utf8_lossy(&out.stdout))
        .ok_or_else(|| "fio printed no terse result".into())
}

/// The read IOPS field of fio's terse (`--minimal`, version 3) line: the 8th `;`-field.
pub fn parse_minimal_read_iops(out: &str) -> Option<f64> {
    let line = out.lines().find(|l| l.starts_with("3;"))?;
    line.split(';').nth(7)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terse_line() {
        let out = "noise\n3;fio-3.33;randread;0;0;400000;800000;200000;500;x\n";
        assert_eq!(parse_minimal_read_iops(out), Some(200_000.0));
        assert_eq!(parse_minimal_read_iops("nothing"), None);
    }
}
