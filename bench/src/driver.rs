//! Runs every implementation in a child process of its own, alternating them run by run, and
//! checks that each produced the expected results.

use crate::outcome::Outcome;
use crate::workload::{expected, Impl, Sizes, Workload};
use crate::{callgrind, datafile, fio, imp, Error};
use std::fs::File;
use std::path::{Path, PathBuf};

/// What to run.
#[derive(Clone, Debug)]
pub struct Config {
    /// Operation counts and file size.
    pub sizes: Sizes,
    /// Timed runs per implementation and workload.
    pub runs: usize,
    /// Whether to count instructions per NOP with callgrind.
    pub callgrind: bool,
    /// The workloads, in order.
    pub workloads: Vec<Workload>,
    /// Where the random-read file and the callgrind profiles go.
    pub data_dir: PathBuf,
    /// This program, re-run as `child` for every measurement.
    pub exe: PathBuf,
}

/// One line of a workload's table: an implementation (or fio) and its rate in every run.
#[derive(Clone, Debug)]
pub struct Series {
    /// The implementation, `None` for fio's reference line.
    pub imp: Option<Impl>,
    /// What the report calls it.
    pub label: String,
    /// Operations per second, by run; NaN where it did not run.
    pub rates: Vec<f64>,
    /// Why it did not run at all.
    pub missing: Option<String>,
}

/// The measurements of one workload. `series[0]` is ringcore's ring, the baseline of the ratios.
#[derive(Clone, Debug)]
pub struct WorkloadResult {
    /// The workload.
    pub workload: Workload,
    /// Operations per timed run (echo: round trips per connection).
    pub ops: u64,
    /// One line per implementation.
    pub series: Vec<Series>,
}

/// Instructions per operation of one implementation on one NOP workload.
#[derive(Clone, Debug)]
pub struct InstrResult {
    /// The workload.
    pub workload: Workload,
    /// The implementation.
    pub imp: Impl,
    /// Ir per operation, or why it could not be measured.
    pub per_op: Result<f64, String>,
}

/// Everything one benchmark run measured.
#[derive(Clone, Debug, Default)]
pub struct Results {
    /// Throughput, by workload.
    pub workloads: Vec<WorkloadResult>,
    /// Instructions per NOP (empty when callgrind was not run).
    pub instructions: Vec<InstrResult>,
    /// Why callgrind was not run, if it was not.
    pub callgrind_skipped: Option<String>,
    /// Failures and wrong results; the run fails when this is not empty.
    pub failures: Vec<String>,
}

/// Runs the benchmark as configured.
///
/// # Errors
/// The random-read file could not be prepared. Failures of single runs are collected in
/// [`Results::failures`] instead.
pub fn run(cfg: &Config) -> Result<Results, Error> {
    let mut res = Results::default();
    let file = if cfg.workloads.iter().any(|w| w.needs_file()) {
        Some(datafile::prepare(&cfg.data_dir, cfg.sizes.file_bytes())?)
    } else {
        None
    };
    for &w in &cfg.workloads {
        eprintln!("{} ...", w.title());
        let r = run_workload(cfg, w, file.as_deref(), &mut res.failures);
        res.workloads.push(r);
    }
    if !cfg.callgrind {
        res.callgrind_skipped = Some("not asked for (--no-callgrind)".into());
    } else if !callgrind::available() {
        res.callgrind_skipped = Some("valgrind not installed (apt-get install valgrind)".into());
    } else {
        for &w in &cfg.workloads {
            if !w.counts_instructions() {
                continue;
            }
            for &i in w.impls() {
                if i.available().is_err() {
                    continue;
                }
                eprintln!("callgrind: {} {}", i, w.name());
                let out = cfg.data_dir.join("callgrind");
                let sizes = cfg.sizes.callgrind_ops(w);
                let data = file.as_deref().filter(|_| w.needs_file());
                let per_op =
                    callgrind::per_op(&cfg.exe, i, w, sizes, data, &out).map_err(|e| e.to_string());
                if let Err(e) = &per_op {
                    res.failures.push(e.clone());
                }
                res.instructions.push(InstrResult {
                    workload: w,
                    imp: i,
                    per_op,
                });
            }
        }
    }
    Ok(res)
}

/// The timed runs of one workload, implementations alternating in a rotating order.
fn run_workload(
    cfg: &Config,
    w: Workload,
    file: Option<&Path>,
    failures: &mut Vec<String>,
) -> WorkloadResult {
    let ops = cfg.sizes.ops(w);
    let impls = w.impls();
    let mut series: Vec<Series> = impls
        .iter()
        .map(|&i| Series {
            imp: Some(i),
            label: i.label(),
            rates: vec![f64::NAN; cfg.runs],
            missing: i.available().err().map(String::from),
        })
        .collect();
    let fio_version = (w == Workload::RandRead).then(fio::version);
    if let Some(v) = &fio_version {
        series.push(Series {
            imp: None,
            label: match v {
                Some(v) => format!("{v} io_uring engine (reference)"),
                None => "fio io_uring engine (reference)".into(),
            },
            rates: vec![f64::NAN; cfg.runs],
            missing: v
                .is_none()
                .then(|| "fio not installed (apt-get install fio)".into()),
        });
    }
    let blocks = file
        .and_then(|p| File::open(p).ok())
        .and_then(|f| imp::file_blocks(&f).ok())
        .unwrap_or(0);
    let want = expected(w, ops, blocks);
    for run in 0..cfg.runs {
        for k in 0..impls.len() {
            let idx = (k + run) % impls.len();
            let i = impls[idx];
            if series[idx].missing.is_some() {
                continue;
            }
            match child(&cfg.exe, i, w, ops, file) {
                Ok(o) if (o.ops, o.check) == want => series[idx].rates[run] = o.ops_per_sec(),
                Ok(o) => failures.push(format!(
                    "{} {}: results (ops {}, check {}) differ from the expected ({}, {})",
                    i,
                    w.name(),
                    o.ops,
                    o.check,
                    want.0,
                    want.1
                )),
                Err(e) => failures.push(format!("{} {}: {e}", i, w.name())),
            }
        }
        if let (Some(Some(_)), Some(path)) = (&fio_version, file) {
            match fio::randread_iops(path, ops) {
                Ok(rate) => series.last_mut().expect("fio line").rates[run] = rate,
                Err(e) => failures.push(format!("fio: {e}")),
            }
        }
    }
    WorkloadResult {
        workload: w,
        ops,
        series,
    }
}

/// Runs one measurement in a child process and reads its outcome.
fn child(
    exe: &Path,
    i: Impl,
    w: Workload,
    ops: u64,
    file: Option<&Path>,
) -> Result<Outcome, Error> {
    crate::child::run(crate::child::command(exe, i, w, ops, file)?)
}
