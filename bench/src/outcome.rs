//! What one run of one implementation reports.

use std::fmt;

/// The result of one timed loop. Laid out as `struct bench_outcome` in `c/peer.h`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Operations completed (NOPs, reads, echo round trips).
    pub ops: u64,
    /// A workload-defined checksum; every implementation must report the same one.
    pub check: u64,
    /// Wall time of the timed loop, in nanoseconds.
    pub ns: u64,
}

impl Outcome {
    /// Operations per second.
    pub fn ops_per_sec(&self) -> f64 {
        self.ops as f64 * 1e9 / self.ns.max(1) as f64
    }

    /// Whether two runs produced the same results (time aside).
    pub fn same_results(&self, other: &Outcome) -> bool {
        self.ops == other.ops && self.check == other.check
    }

    /// Parses the line a child process prints (`ops check ns`).
    pub fn parse(line: &str) -> Option<Outcome> {
        let mut it = line.split_whitespace().map(str::parse::<u64>);
        let o = Outcome {
            ops: it.next()?.ok()?,
            check: it.next()?.ok()?,
            ns: it.next()?.ok()?,
        };
        it.next().is_none().then_some(o)
    }
}

/// The child's output line, read back by [`Outcome::parse`].
impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.ops, self.check, self.ns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_round_trips() {
        let o = Outcome {
            ops: 10,
            check: 45,
            ns: 1234,
        };
        assert_eq!(Outcome::parse(&o.to_string()), Some(o));
        assert_eq!(Outcome::parse("1 2"), None);
        assert_eq!(Outcome::parse("1 2 3 4"), None);
        assert_eq!(Outcome::parse("1 x 3"), None);
    }

    #[test]
    fn rate_and_comparison() {
        let a = Outcome {
            ops: 2_000,
            check: 7,
            ns: 1_000_000,
        };
        assert_eq!(a.ops_per_sec(), 2_000_000.0);
        assert!(a.same_results(&Outcome { ns: 5, ..a }));
        assert!(!a.same_results(&Outcome { check: 8, ..a }));
    }
}
