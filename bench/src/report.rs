//! The markdown report: machine, throughput with ratios, instructions per NOP.

use crate::driver::{Config, Results, Series};
use crate::stats::Summary;
use crate::workload::Workload;
use std::fmt::Write;
use std::process::Command;

/// A rate in `w`'s unit: bytes/s as MB/s for the copy, else ops/s, short: `12.34 M` or
/// `56.7 k`.
fn rate_of(w: Workload, x: f64) -> String {
    if w == Workload::Copy {
        format!("{:.0}", x / 1e6)
    } else {
        rate(x)
    }
}

/// A rate in ops/s, short: `12.34 M` or `56.7 k`.
fn rate(x: f64) -> String {
    if x >= 1e6 {
        format!("{:.2} M", x / 1e6)
    } else {
        format!("{:.1} k", x / 1e3)
    }
}

/// ringcore's rate divided by this series', run by run (only runs where both ran).
fn ratios(base: &Series, s: &Series) -> Vec<f64> {
    base.rates
        .iter()
        .zip(&s.rates)
        .map(|(b, x)| b / x)
        .filter(|r| r.is_finite())
        .collect()
}

/// The first line of `cmd`'s output, or `?`.
fn command_line(cmd: &str, args: &[&str]) -> String {
    Command::new(cmd)
        .args(args)
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.lines().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// The CPU model from `/proc/cpuinfo`.
fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "?".into())
}

/// The report as markdown.
pub fn markdown(cfg: &Config, res: &Results) -> String {
    let mut out = String::new();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let _ = writeln!(
        out,
        "Measured {} on {} ({} cores), Linux {}; {} run(s) per implementation, alternated{}.\n",
        command_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        cpu_model(),
        cores,
        command_line("uname", &["-r"]),
        cfg.runs,
        if cfg.sizes.tiny { ", tiny sizes" } else { "" }
    );
    out.push_str(
        "| workload | implementation | ops/s median | min – max | ringcore ÷ this: median (min – max) |\n\
         |---|---|---:|---:|---:|\n",
    );
    for wr in &res.workloads {
        let w = wr.workload;
        let what = match w.echo_conns() {
            Some(c) => format!("{} ({}, {} round trips × {c})", w.title(), w.unit(), wr.ops),
            None if w == Workload::Copy => {
                format!("{} ({}, {} MiB)", w.title(), w.unit(), wr.ops >> 20)
            }
            None => format!("{} ({}, {} ops)", w.title(), w.unit(), wr.ops),
        };
        for (k, s) in wr.series.iter().enumerate() {
            let base = s
                .imp
                .and_then(|i| wr.series.iter().find(|b| b.imp == Some(w.baseline(i))))
                .unwrap_or(&wr.series[0]);
            let first = if k == 0 { what.as_str() } else { "" };
            if let Some(why) = &s.missing {
                let _ = writeln!(out, "| {first} | {} | — | — | skipped: {why} |", s.label);
                continue;
            }
            let (med, range) = match Summary::of(&s.rates) {
                Some(x) => (
                    rate_of(w, x.median),
                    format!("{} – {}", rate_of(w, x.min), rate_of(w, x.max)),
                ),
                None => ("failed".into(), "—".into()),
            };
            let ratio = if std::ptr::eq(base, s) {
                "1 (baseline)".to_string()
            } else {
                match Summary::of(&ratios(base, s)) {
                    Some(r) => format!("{:.2} ({:.2} – {:.2})", r.median, r.min, r.max),
                    None => "—".into(),
                }
            };
            let _ = writeln!(out, "| {first} | {} | {med} | {range} | {ratio} |", s.label);
        }
    }
    out.push('\n');
    match &res.callgrind_skipped {
        Some(why) => {
            let _ = writeln!(out, "User-space instructions per op: skipped, {why}.");
        }
        None => {
            out.push_str(
                "User-space instructions per operation (callgrind Ir, (Ir(N2) − Ir(N1)) / (N2 − N1); \
                 NOPs: 256-entry ring, submit_and_wait(batch), reap all):\n\n\
                 | workload | implementation | N1 → N2 | instructions/op | ringcore ÷ this |\n\
                 |---|---|---|---:|---:|\n",
            );
            for ir in &res.instructions {
                let (n1, n2) = cfg.sizes.callgrind_ops(ir.workload);
                let base = res
                    .instructions
                    .iter()
                    .find(|b| b.workload == ir.workload && b.imp == ir.workload.impls()[0])
                    .and_then(|b| b.per_op.clone().ok());
                let (val, ratio) = match (&ir.per_op, base) {
                    (Ok(v), Some(b)) => (format!("{v:.1}"), format!("{:.2}", b / v)),
                    (Ok(v), None) => (format!("{v:.1}"), "—".into()),
                    (Err(e), _) => (format!("failed: {e}"), "—".into()),
                };
                let _ = writeln!(
                    out,
                    "| {} | {} | {n1} → {n2} | {val} | {ratio} |",
                    ir.workload.title(),
                    ir.imp.label()
                );
            }
        }
    }
    if !res.failures.is_empty() {
        out.push_str("\nFAILURES:\n\n");
        for f in &res.failures {
            let _ = writeln!(out, "- {f}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_ratios() {
        assert_eq!(rate(12_345_678.0), "12.35 M");
        assert_eq!(rate(56_700.0), "56.7 k");
        let s = |r: Vec<f64>| Series {
            imp: None,
            label: String::new(),
            rates: r,
            missing: None,
        };
        let r = ratios(&s(vec![2.0, 3.0, f64::NAN]), &s(vec![1.0, f64::NAN, 1.0]));
        assert_eq!(r, vec![2.0]);
    }
}
