//! The scale benchmark (issue 16): how the cost of a request grows with the number of requests
//! in flight, for the raw ring, the safe layer (`Submission` and `Batch` on `LocalDriver`;
//! `SharedDriver`) and the C API's callback layer.
//!
//! `scale` prints markdown tables — requests in flight, then TCP echo against tokio as the
//! connections grow (`scale echo` alone) — and writes a plot (`--png PATH`); `scale --tiny`
//! runs every implementation at the small sizes only, natively, and fails on any wrong result
//! (for `make test-bench`). `scale child IMP DEPTH ROUNDS` is one measurement (the benchmark runs
//! itself as a child, natively and under callgrind).

mod echo;
mod inflight;
mod plot;

use inflight::{Error, Imp, Measured};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const DEPTHS: [u64; 5] = [1, 32, 1024, 10_240, 102_400];
const TINY_DEPTHS: [u64; 3] = [1, 32, 1024];
/// Requests per native run (at least two rounds): enough for a stable time.
const NATIVE_REQUESTS: u64 = 200_000;
/// Requests in the smaller callgrind run of a depth (the larger has twice as many rounds).
const CALLGRIND_REQUESTS: u64 = 2_000;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("child") => child(&args[1..]),
        Some("plot") => plot_tsv(&args[1..]),
        Some("echo") => echo_args(&args[1..]),
        _ => report(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("scale: {e}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage: scale [--tiny] [--no-callgrind] [--png PATH] | scale echo [--tiny | --conns N [--runs R] [--server NAME]] | scale plot TSV PNG | scale child IMP DEPTH ROUNDS [ENTRIES]";

fn child(args: &[String]) -> Result<(), Error> {
    let (imp, depth, rounds, entries) = match args {
        [imp, depth, rounds] => (imp, depth, rounds, inflight::RING_ENTRIES),
        [imp, depth, rounds, entries] => (imp, depth, rounds, entries.parse()?),
        _ => return Err(USAGE.into()),
    };
    let imp = Imp::from_name(imp).ok_or(USAGE)?;
    let m = inflight::run(imp, depth.parse()?, rounds.parse()?, entries)?;
    println!(
        "{} {} {}",
        m.ns_per_request, m.bytes_per_request, m.completed
    );
    Ok(())
}

/// Connections of the echo runs; the last is cut to what the descriptor limit allows (two per
/// connection, client and server, in this one process).
const ECHO_CONNS: [usize; 5] = [1, 16, 256, 1024, 10_000];
/// Round trips per echo run (at least two per connection).
const ECHO_ROUND_TRIPS: u64 = 200_000;
/// Runs of each server at each size, alternated; the best counts.
const ECHO_RUNS: usize = 3;

/// `scale echo [--tiny | --conns N [--runs R] [--server NAME]]`: the echo table, at every size, the tiny
/// ones, or at N connections only (R runs, alternated).
fn echo_args(args: &[String]) -> Result<(), Error> {
    match args {
        [] => echo_report(&ECHO_CONNS, ECHO_RUNS, false, None),
        [t] if t == "--tiny" => echo_report(&ECHO_CONNS[..3], 1, true, None),
        [c, n, rest @ ..] if c == "--conns" => {
            let conns: usize = n.parse().map_err(|_| USAGE)?;
            let (mut runs, mut only) = (ECHO_RUNS, None);
            let mut it = rest.iter();
            while let Some(a) = it.next() {
                match (a.as_str(), it.next()) {
                    ("--runs", Some(k)) => runs = k.parse().map_err(|_| USAGE)?,
                    ("--server", Some(name)) => {
                        let known = echo::Server::ALL.iter().any(|s| s.name() == name);
                        only = Some(known.then_some(name.as_str()).ok_or(USAGE)?);
                    }
                    _ => return Err(USAGE.into()),
                }
            }
            echo_report(&[conns], runs, false, only)
        }
        _ => Err(USAGE.into()),
    }
}

/// The echo table at each of `sizes` connections, the best of `runs` alternated runs each
/// (2 round trips per connection when `tiny`), of every server or of the one named `only`
/// (to profile one server alone).
fn echo_report(sizes: &[usize], runs: usize, tiny: bool, only: Option<&str>) -> Result<(), Error> {
    let limit = echo::raise_nofile();
    let max_conns = (limit.saturating_sub(64) / 2) as usize;
    println!("\nTCP echo, 64-byte round trips over loopback (best of {runs}, alternated)\n");
    print!("| connections |");
    for s in echo::Server::ALL {
        print!(" {} round trips/s | server CPU per round trip |", s.name());
    }
    println!(" safe / tokio | net / tokio |");
    println!(
        "|---:|{}---:|---:|",
        "---:|---:|".repeat(echo::Server::ALL.len())
    );
    for &want in sizes {
        let conns = want.min(max_conns);
        let rounds = (ECHO_ROUND_TRIPS / conns as u64).max(2);
        let rounds = if tiny { 2 } else { rounds };
        let mut best: Vec<Option<echo::EchoRun>> = echo::Server::ALL.iter().map(|_| None).collect();
        for _ in 0..runs {
            for (k, &server) in echo::Server::ALL.iter().enumerate() {
                if only.is_some_and(|o| o != server.name()) {
                    continue;
                }
                let r = echo::run(server, conns, rounds).map_err(|e| e.to_string())?;
                eprintln!(
                    "scale: echo {:<14} {conns:>6} conns: {:>9.0} rt/s, {:>6.0} ns server CPU",
                    server.name(),
                    r.round_trips_per_s,
                    r.server_cpu_ns
                );
                if best[k]
                    .as_ref()
                    .is_none_or(|b| r.round_trips_per_s > b.round_trips_per_s)
                {
                    best[k] = Some(r);
                }
            }
        }
        print!("| {conns} |");
        for b in best.iter().flatten() {
            print!(" {:.0} | {:.0} ns |", b.round_trips_per_s, b.server_cpu_ns);
        }
        if let [Some(safe), Some(net), Some(tokio)] = &best[..] {
            print!(
                " {:.2} | {:.2} |",
                safe.round_trips_per_s / tokio.round_trips_per_s,
                net.round_trips_per_s / tokio.round_trips_per_s
            );
        }
        println!();
    }
    Ok(())
}

/// `scale plot TSV PNG`: draws a finished run again.
fn plot_tsv(args: &[String]) -> Result<(), Error> {
    let [tsv, png] = args else {
        return Err(USAGE.into());
    };
    let rows = read_tsv(Path::new(tsv))?;
    let imps: Vec<Imp> = Imp::ALL
        .into_iter()
        .filter(|i| rows.iter().any(|r| r.imp == *i))
        .collect();
    plot::write(Path::new(png), &imps, &rows)
}

/// The program and arguments of one measurement.
fn command(exe: &Path, imp: Imp, depth: u64, rounds: u64, entries: u32) -> Command {
    let mut c = match imp {
        Imp::Capi => Command::new(capi_exe(exe)),
        _ => {
            let mut c = Command::new(exe);
            c.args(["child", imp.name()]);
            c
        }
    };
    c.args([depth.to_string(), rounds.to_string(), entries.to_string()]);
    c
}

/// The C API's program, built by `make bench-scale` next to this one.
fn capi_exe(exe: &Path) -> PathBuf {
    exe.with_file_name("ringcore-scale-capi")
}

fn native(exe: &Path, imp: Imp, depth: u64, rounds: u64, entries: u32) -> Result<Measured, Error> {
    let out = command(exe, imp, depth, rounds, entries).output()?;
    if !out.status.success() {
        return Err(format!(
            "{} at depth {depth}: {}",
            imp.name(),
            String::from_utf8_lossy(&out.stderr).trim()
        )
        .into());
    }
    let text = String::from_utf8(out.stdout)?;
    let f: Vec<f64> = text
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let [ns, bytes, completed] = f[..] else {
        return Err(format!("{}: bad output {text:?}", imp.name()).into());
    };
    if completed as u64 != depth * rounds {
        return Err(format!(
            "{}: {completed} of {} completed",
            imp.name(),
            depth * rounds
        )
        .into());
    }
    Ok(Measured {
        ns_per_request: ns,
        bytes_per_request: bytes,
        completed: completed as u64,
    })
}

/// Total user-space instructions of one run under callgrind.
fn instructions(exe: &Path, imp: Imp, depth: u64, rounds: u64, dir: &Path) -> Result<u64, Error> {
    let profile = dir.join(format!(
        "callgrind.scale.{}.{depth}.{rounds}.out",
        imp.name()
    ));
    let c = command(exe, imp, depth, rounds, inflight::RING_ENTRIES);
    let out = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", profile.display()))
        .arg(c.get_program())
        .args(c.get_args())
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "callgrind of {} at depth {depth} failed: {}",
            imp.name(),
            String::from_utf8_lossy(&out.stderr).trim()
        )
        .into());
    }
    std::fs::read_to_string(&profile)?
        .lines()
        .find_map(|l| {
            l.strip_prefix("summary:")
                .or_else(|| l.strip_prefix("totals:"))
        })
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| format!("no total in {}", profile.display()).into())
}

/// Marginal instructions per request at `depth`: runs of `k` and `2k` rounds, the difference
/// divided by the `k * depth` requests it adds.
fn per_request(exe: &Path, imp: Imp, depth: u64, dir: &Path) -> Result<f64, Error> {
    let k = (CALLGRIND_REQUESTS / depth).max(1);
    let small = instructions(exe, imp, depth, k, dir)?;
    let large = instructions(exe, imp, depth, 2 * k, dir)?;
    Ok((large as f64 - small as f64) / (k * depth) as f64)
}

/// One row of the table.
pub struct Row {
    pub imp: Imp,
    pub depth: u64,
    pub instr: Option<f64>,
    pub ns: f64,
    pub bytes: f64,
}

fn report(args: &[String]) -> Result<(), Error> {
    let exe = std::env::current_exe()?;
    let mut tiny = false;
    let mut callgrind = true;
    let mut png = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--tiny" => tiny = true,
            "--no-callgrind" => callgrind = false,
            "--png" => png = Some(PathBuf::from(it.next().ok_or(USAGE)?)),
            _ => return Err(USAGE.into()),
        }
    }
    let depths: &[u64] = if tiny { &TINY_DEPTHS } else { &DEPTHS };
    let callgrind = callgrind && !tiny && valgrind_available();
    let imps: Vec<Imp> = Imp::ALL
        .into_iter()
        .filter(|&i| {
            let ok = i != Imp::Capi || capi_exe(&exe).exists();
            if !ok {
                eprintln!("scale: no {}, so no C API row", capi_exe(&exe).display());
            }
            ok
        })
        .collect();
    let dir = exe.with_file_name("scale-callgrind");
    std::fs::create_dir_all(&dir)?;
    let mut rows = Vec::new();
    for &depth in depths {
        // Alternate the implementations at each depth, so that a noisy moment hits all.
        for &imp in &imps {
            let rounds = (NATIVE_REQUESTS / depth).max(2) + 1;
            let rounds = if tiny { 3 } else { rounds };
            let m = native(&exe, imp, depth, rounds, inflight::RING_ENTRIES)?;
            let instr = if callgrind {
                Some(per_request(&exe, imp, depth, &dir)?)
            } else {
                None
            };
            eprintln!(
                "scale: {:<16} depth {depth:>6}: {:>8.1} ns, {:>7.1} B, {} instr",
                imp.name(),
                m.ns_per_request,
                m.bytes_per_request,
                instr.map_or("-".into(), |i| format!("{i:.0}"))
            );
            rows.push(Row {
                imp,
                depth,
                instr,
                ns: m.ns_per_request,
                bytes: m.bytes_per_request,
            });
        }
    }
    print_table(&imps, depths, &rows);
    let tsv = exe.with_file_name("scale.tsv");
    write_tsv(&tsv, &rows)?;
    println!("\nData: {}", tsv.display());
    if let Some(path) = png {
        plot::write(&path, &imps, &rows)?;
        println!("\nPlot: {}", path.display());
    }
    pressure(&exe, &imps, tiny)?;
    if tiny {
        echo_report(&ECHO_CONNS[..3], 1, true, None)
    } else {
        echo_report(&ECHO_CONNS, ECHO_RUNS, false, None)
    }
}

/// SQ entries of the small ring of the pressure runs (its CQ has twice as many).
const SMALL_RING: u32 = 32;
/// Requests in flight of the pressure runs.
const PRESSURE_DEPTH: u64 = 10_240;

/// The same burst on a 32-entry ring as on a 4,096-entry one: the SQ fills 320 times per
/// round and the burst is 160 times the CQ, so the kernel's overflow backlog holds most of it.
fn pressure(exe: &Path, imps: &[Imp], tiny: bool) -> Result<(), Error> {
    let depth = if tiny { 1024 } else { PRESSURE_DEPTH };
    let rounds = if tiny {
        3
    } else {
        (NATIVE_REQUESTS / depth).max(2) + 1
    };
    println!(
        "\nA full SQ and an overflowing CQ: {depth} requests in flight, wall time per request \
         (best of 3)\n"
    );
    println!(
        "| implementation | {} SQ entries | {SMALL_RING} SQ entries | ratio |",
        inflight::RING_ENTRIES
    );
    println!("|---|---:|---:|---:|");
    for &imp in imps {
        // Best of three, alternating the two rings: single runs on a shared machine vary by
        // more than the effect.
        let (mut big, mut small) = (f64::MAX, f64::MAX);
        for _ in 0..if tiny { 1 } else { 3 } {
            let b = native(exe, imp, depth, rounds, inflight::RING_ENTRIES)?;
            let s = native(exe, imp, depth, rounds, SMALL_RING)?;
            big = big.min(b.ns_per_request);
            small = small.min(s.ns_per_request);
        }
        println!(
            "| {} | {big:.0} ns | {small:.0} ns | {:.2} |",
            imp.name(),
            small / big
        );
    }
    Ok(())
}

/// The rows as tab-separated values (`scale plot` draws them).
fn write_tsv(path: &Path, rows: &[Row]) -> Result<(), Error> {
    let mut text = String::from("implementation\tdepth\tinstructions\tns\tbytes\n");
    for r in rows {
        let instr = r.instr.map_or("-".into(), |i| format!("{i:.1}"));
        text += &format!(
            "{}\t{}\t{instr}\t{:.1}\t{:.1}\n",
            r.imp.name(),
            r.depth,
            r.ns,
            r.bytes
        );
    }
    std::fs::write(path, text)?;
    Ok(())
}

/// Reads what [`write_tsv`] wrote.
fn read_tsv(path: &Path) -> Result<Vec<Row>, Error> {
    let mut rows = Vec::new();
    for line in std::fs::read_to_string(path)?.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let [imp, depth, instr, ns, bytes] = f[..] else {
            return Err(format!("bad line in {}: {line:?}", path.display()).into());
        };
        rows.push(Row {
            imp: Imp::from_name(imp).ok_or("unknown implementation")?,
            depth: depth.parse()?,
            instr: instr.parse().ok(),
            ns: ns.parse()?,
            bytes: bytes.parse()?,
        });
    }
    Ok(rows)
}

fn valgrind_available() -> bool {
    let ok = Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("scale: no valgrind, so no instruction counts");
    }
    ok
}

fn print_table(imps: &[Imp], depths: &[u64], rows: &[Row]) {
    let find = |imp: Imp, depth: u64| rows.iter().find(|r| r.imp == imp && r.depth == depth);
    for (title, unit, get) in [
        (
            "User-space instructions per request (callgrind, marginal)",
            "",
            (|r: &Row| r.instr.map(|i| format!("{i:.0}"))) as fn(&Row) -> Option<String>,
        ),
        ("Wall time per request", " ns", |r: &Row| {
            Some(format!("{:.0}", r.ns))
        }),
        (
            "Resident memory per request in flight (pages are 4 KiB: shown from 10,240 on)",
            " B",
            |r: &Row| (r.depth >= 10_240).then(|| format!("{:.0}", r.bytes)),
        ),
    ] {
        println!("\n{title}\n");
        print!("| implementation |");
        for d in depths {
            print!(" {d} |");
        }
        println!();
        print!("|---|");
        for _ in depths {
            print!("---:|");
        }
        println!();
        for &imp in imps {
            print!("| {} |", imp.name());
            for &d in depths {
                let cell = find(imp, d).and_then(get).map_or("-".into(), |c| c + unit);
                print!(" {cell} |");
            }
            println!();
        }
    }
    println!(
        "\nA `Submission<PollAdd, &LocalDriver>` future is {} bytes; the rest of a safe \
         request's memory is its registry slot.",
        std::mem::size_of::<
            ringcore::event::Submission<
                ringcore::event::events::PollAdd,
                &ringcore::driver::LocalDriver,
            >,
        >()
    );
    if depths.contains(&32) && depths.contains(&102_400) {
        println!("\nInstructions per request at 102,400 in flight / at 32 (target <= 1.2):\n");
        for &imp in imps {
            let at = |d| find(imp, d).and_then(|r| r.instr);
            if let (Some(a), Some(b)) = (at(32), at(102_400)) {
                println!("- {}: {:.2}", imp.name(), b / a);
            }
        }
    }
}
