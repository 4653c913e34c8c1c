//! Every implementation, run in this process at a small size, must report exactly the expected
//! results: the same operation count and checksum as every other one.

use ringcore_bench::workload::{expected, Impl, Workload};
use ringcore_bench::{datafile, imp};
use std::fs::File;

/// Runs `w` with every implementation that was built; returns how many ran.
fn agree(w: Workload, ops: u64, file: Option<&File>) -> usize {
    let blocks = file.map_or(0, |f| imp::file_blocks(f).unwrap());
    let want = expected(w, ops, blocks);
    let mut ran = 0;
    for &i in w.impls() {
        if let Err(why) = i.available() {
            println!("SKIPPED: {i} on {}: {why}", w.name());
            continue;
        }
        let o = imp::run(i, w, ops, file).unwrap_or_else(|e| panic!("{i} {}: {e}", w.name()));
        assert_eq!((o.ops, o.check), want, "{i} on {}", w.name());
        assert!(o.ns > 0, "{i} on {} took no time", w.name());
        ran += 1;
    }
    ran
}

#[test]
fn nop_batches_agree() {
    // 1000 is not a multiple of 32: the last batch is short.
    assert!(agree(Workload::Nop32, 1000, None) >= 2);
}

#[test]
fn nop_singles_agree() {
    assert!(agree(Workload::Nop1, 300, None) >= 2);
}

#[test]
fn random_reads_agree() {
    let dir = std::env::temp_dir().join(format!("ringcore-bench-test-{}", std::process::id()));
    let path = datafile::prepare(&dir, 1 << 20).unwrap();
    let file = File::open(&path).unwrap();
    assert_eq!(imp::file_blocks(&file).unwrap(), 256);
    // Fewer reads than the queue depth, then many more.
    assert!(agree(Workload::RandRead, 7, Some(&file)) >= 2);
    assert!(agree(Workload::RandRead, 1000, Some(&file)) >= 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn echo_agrees() {
    assert!(agree(Workload::Echo1, 50, None) >= 3);
    assert!(agree(Workload::Echo16, 10, None) >= 3);
}

#[test]
fn wrong_pairings_are_errors() {
    assert!(imp::run(Impl::TokioEpoll, Workload::Nop32, 10, None).is_err());
    assert!(imp::run(Impl::RingcoreRing, Workload::RandRead, 10, None).is_err());
}

#[test]
fn cancellation_storms_agree() {
    // 40 is not a multiple of the 16 reads per round.
    assert!(agree(Workload::CancelStorm, 40, None) >= 3);
}
