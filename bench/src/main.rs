//! `ringcore-bench`: the benchmark driver (see the library docs), or one measurement with
//! `child`.

use ringcore_bench::driver::{self, Config};
use ringcore_bench::workload::{Impl, Sizes, Workload};
use ringcore_bench::{imp, report, Error};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: ringcore-bench [--tiny] [--runs N] [--no-callgrind] \
[--only w1,w2,...] [--data-dir DIR]
       ringcore-bench child IMPL WORKLOAD OPS [FILE]
workloads: nop32 nop1 randread echo1 echo16 cancel tokio-echo1 tokio-echo16 tokio-echo256
  tokio-randread copy read1
implementations: ringcore-ring ringcore-safe ringcore-batch io-uring liburing tokio raw-c
  ringcore-c ringcore-tokio-ct ringcore-tokio-ct-queued ringcore-tokio-mt
  ringcore-tokio-splice tokio-mt tokio-fs std tokio-uring monoio";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = if args.first().map(String::as_str) == Some("child") {
        child(&args[1..])
    } else {
        bench(&args)
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ringcore-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// One measurement: prints `ops check ns`.
fn child(args: &[String]) -> Result<ExitCode, Error> {
    let [i, w, ops, rest @ ..] = args else {
        return Err(USAGE.into());
    };
    let i = Impl::from_name(i).ok_or(USAGE)?;
    let w = Workload::from_name(w).ok_or(USAGE)?;
    let ops: u64 = ops.parse().map_err(|_| USAGE)?;
    let file = rest.first().map(std::fs::File::open).transpose()?;
    let o = imp::run(i, w, ops, file.as_ref())?;
    println!("{o}");
    Ok(ExitCode::SUCCESS)
}

/// The whole benchmark: prints the markdown report; fails on any failed run or wrong result.
fn bench(args: &[String]) -> Result<ExitCode, Error> {
    let exe = std::env::current_exe()?;
    let mut cfg = Config {
        sizes: Sizes { tiny: false },
        runs: 0,
        callgrind: true,
        workloads: Workload::ALL.to_vec(),
        data_dir: exe
            .parent()
            .map_or_else(|| PathBuf::from("."), PathBuf::from)
            .join("ringcore-bench-data"),
        exe,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--tiny" => cfg.sizes.tiny = true,
            "--no-callgrind" => cfg.callgrind = false,
            "--runs" => cfg.runs = it.next().and_then(|n| n.parse().ok()).ok_or(USAGE)?,
            "--data-dir" => cfg.data_dir = it.next().ok_or(USAGE)?.into(),
            "--only" => {
                cfg.workloads = it
                    .next()
                    .ok_or(USAGE)?
                    .split(',')
                    .map(|w| Workload::from_name(w).ok_or(USAGE))
                    .collect::<Result<_, _>>()?;
            }
            _ => return Err(USAGE.into()),
        }
    }
    if cfg.runs == 0 {
        cfg.runs = if cfg.sizes.tiny { 1 } else { 5 };
    }
    for i in Impl::ALL {
        if let Err(why) = i.available() {
            eprintln!("note: {why}");
        }
    }
    let res = driver::run(&cfg)?;
    print!("{}", report::markdown(&cfg, &res));
    Ok(if res.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
