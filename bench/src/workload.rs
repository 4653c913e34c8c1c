//! The workloads, the implementations, and which implementation runs which workload.

use std::fmt;

/// The benchmark's workloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workload {
    /// NOPs in batches of 32: take 32 SQEs, `submit_and_wait(32)`, reap all, repeat.
    Nop32,
    /// NOPs one at a time: one SQE, `submit_and_wait(1)`, reap, repeat.
    Nop1,
    /// 4 KiB reads at random offsets of a page-cached file, 32 in flight.
    RandRead,
    /// TCP echo over loopback, 64-byte messages, ping-pong on one connection.
    Echo1,
    /// The same on 16 connections at once.
    Echo16,
    /// Reads of an empty pipe, each cancelled right after it is submitted (16 per round).
    CancelStorm,
}

impl Workload {
    /// Every workload, in report order.
    pub const ALL: [Workload; 6] = [
        Workload::Nop32,
        Workload::Nop1,
        Workload::RandRead,
        Workload::Echo1,
        Workload::Echo16,
        Workload::CancelStorm,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Workload::Nop32 => "nop32",
            Workload::Nop1 => "nop1",
            Workload::RandRead => "randread",
            Workload::Echo1 => "echo1",
            Workload::Echo16 => "echo16",
            Workload::CancelStorm => "cancel",
        }
    }

    /// The workload named `name`.
    pub fn from_name(name: &str) -> Option<Workload> {
        Workload::ALL.into_iter().find(|w| w.name() == name)
    }

    /// A line for the report.
    pub fn title(self) -> &'static str {
        match self {
            Workload::Nop32 => "NOP, batches of 32",
            Workload::Nop1 => "NOP, one per submit_and_wait(1)",
            Workload::RandRead => "4 KiB random read, page cache, QD 32",
            Workload::Echo1 => "TCP echo 64 B, 1 connection",
            Workload::Echo16 => "TCP echo 64 B, 16 connections",
            Workload::CancelStorm => "cancellation storm: pipe reads submitted and cancelled",
        }
    }

    /// What one "op" is, for the report.
    pub fn unit(self) -> &'static str {
        match self {
            Workload::Nop32 | Workload::Nop1 => "NOPs/s",
            Workload::RandRead => "reads/s",
            Workload::Echo1 | Workload::Echo16 => "round trips/s",
            Workload::CancelStorm => "cancelled reads/s",
        }
    }

    /// The batch size of the NOP workloads.
    pub fn nop_batch(self) -> Option<u32> {
        match self {
            Workload::Nop32 => Some(32),
            Workload::Nop1 => Some(1),
            _ => None,
        }
    }

    /// Connections of the echo workloads.
    pub fn echo_conns(self) -> Option<usize> {
        match self {
            Workload::Echo1 => Some(1),
            Workload::Echo16 => Some(16),
            _ => None,
        }
    }

    /// The implementations that run this workload.
    pub fn impls(self) -> &'static [Impl] {
        match self {
            Workload::Echo1 | Workload::Echo16 => &[
                Impl::RingcoreRing,
                Impl::RingcoreSafe,
                Impl::IoUringCrate,
                Impl::Liburing,
                Impl::TokioEpoll,
            ],
            Workload::Nop32 | Workload::Nop1 => &[
                Impl::RingcoreRing,
                Impl::RingcoreSafe,
                Impl::RingcoreBatch,
                Impl::RingcoreC,
                Impl::IoUringCrate,
                Impl::Liburing,
                Impl::RawC,
            ],
            Workload::RandRead => &[
                Impl::RingcoreRing,
                Impl::RingcoreSafe,
                Impl::RingcoreBatch,
                Impl::RingcoreC,
                Impl::IoUringCrate,
                Impl::Liburing,
            ],
            Workload::CancelStorm => &[
                Impl::RingcoreRing,
                Impl::RingcoreSafe,
                Impl::IoUringCrate,
                Impl::Liburing,
            ],
        }
    }
}

/// How big a run is: operations per run (echo: round trips per connection) and, for random
/// reads, the file size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sizes {
    /// `make bench` sizes, or the tiny CI sizes.
    pub tiny: bool,
}

impl Sizes {
    /// Operations in one timed run of `w` (echo: round trips per connection).
    pub fn ops(self, w: Workload) -> u64 {
        match (w, self.tiny) {
            (Workload::Nop32, false) => 10_000_000,
            (Workload::Nop1, false) => 1_000_000,
            (Workload::RandRead, false) => 1_000_000,
            (Workload::Echo1, false) => 100_000,
            (Workload::Echo16, false) => 10_000,
            (Workload::CancelStorm, false) => 1_000_000,
            (Workload::CancelStorm, true) => 1_600,
            (Workload::Nop32, true) => 3_200,
            (Workload::Nop1, true) => 1_000,
            (Workload::RandRead, true) => 2_000,
            (Workload::Echo1, true) => 200,
            (Workload::Echo16, true) => 20,
        }
    }

    /// The two sizes whose instruction counts are subtracted (callgrind), for NOP workloads.
    pub fn callgrind_ops(self, w: Workload) -> (u64, u64) {
        let base = match w {
            Workload::Nop32 => 3_200,
            _ => 1_000,
        };
        if self.tiny {
            (base, 2 * base)
        } else {
            (20 * base, 100 * base)
        }
    }

    /// Size of the random-read file in bytes.
    pub fn file_bytes(self) -> u64 {
        if self.tiny {
            8 << 20
        } else {
            1 << 30
        }
    }
}

/// An implementation under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Impl {
    /// `ringcore::Ring` with the `ringcore::op` preparers.
    RingcoreRing,
    /// ringcore's safe layer: `Submission`s on the single-threaded `LocalDriver`.
    RingcoreSafe,
    /// ringcore's safe layer in batches: one `BatchSubmission` of a `Batch` per round.
    RingcoreBatch,
    /// The `io-uring` crate, 0.7.
    IoUringCrate,
    /// liburing from C (Debian's liburing-dev).
    Liburing,
    /// tokio's current-thread runtime (epoll), echo only.
    TokioEpoll,
    /// C over the raw syscalls, no library: the floor of the NOP workloads.
    RawC,
    /// ringcore's C API from C (`libringcore.a` and `include/ringcore.h`).
    RingcoreC,
}

impl Impl {
    /// Every implementation.
    pub const ALL: [Impl; 8] = [
        Impl::RingcoreRing,
        Impl::RingcoreSafe,
        Impl::RingcoreBatch,
        Impl::IoUringCrate,
        Impl::Liburing,
        Impl::TokioEpoll,
        Impl::RawC,
        Impl::RingcoreC,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Impl::RingcoreRing => "ringcore-ring",
            Impl::RingcoreSafe => "ringcore-safe",
            Impl::RingcoreBatch => "ringcore-batch",
            Impl::IoUringCrate => "io-uring",
            Impl::Liburing => "liburing",
            Impl::TokioEpoll => "tokio",
            Impl::RawC => "raw-c",
            Impl::RingcoreC => "ringcore-c",
        }
    }

    /// The implementation named `name`.
    pub fn from_name(name: &str) -> Option<Impl> {
        Impl::ALL.into_iter().find(|i| i.name() == name)
    }

    /// A label for the report, with the version where it matters.
    pub fn label(self) -> String {
        match self {
            Impl::RingcoreRing => "ringcore `Ring` (Rust)".into(),
            Impl::RingcoreSafe => "ringcore safe layer (`Submission`, `LocalDriver`)".into(),
            Impl::RingcoreBatch => "ringcore safe layer (`BatchSubmission`, `LocalDriver`)".into(),
            Impl::IoUringCrate => "io-uring crate 0.7".into(),
            Impl::Liburing => match crate::imp::liburing::VERSION {
                "-" => "liburing (C)".into(),
                v => format!("liburing {v} (C)"),
            },
            Impl::TokioEpoll => "tokio current-thread (epoll)".into(),
            Impl::RawC => "bare C, raw syscalls (floor)".into(),
            Impl::RingcoreC => "ringcore C API (`libringcore.a`)".into(),
        }
    }

    /// `Err` with the reason when this implementation was not built.
    pub fn available(self) -> Result<(), &'static str> {
        match self {
            Impl::Liburing => crate::imp::liburing::available(),
            Impl::RingcoreC => crate::imp::capi::available(),
            _ => Ok(()),
        }
    }
}

impl fmt::Display for Impl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The results (`ops`, `check`) every implementation must report for `ops` operations of `w`
/// (echo: round trips per connection) over a file of `blocks` blocks.
pub fn expected(w: Workload, ops: u64, blocks: u64) -> (u64, u64) {
    match w {
        Workload::Nop32 | Workload::Nop1 => (ops, ops.wrapping_mul(ops.wrapping_sub(1)) / 2),
        Workload::RandRead => (ops, crate::prng::expected_read_check(blocks, ops)),
        Workload::Echo1 | Workload::Echo16 => {
            let trips = ops * w.echo_conns().unwrap_or(1) as u64;
            (trips, trips * crate::echo::MESSAGE as u64)
        }
        Workload::CancelStorm => (ops, ops),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for w in Workload::ALL {
            assert_eq!(Workload::from_name(w.name()), Some(w));
        }
        for i in Impl::ALL {
            assert_eq!(Impl::from_name(i.name()), Some(i));
        }
        assert_eq!(Workload::from_name("nope"), None);
    }

    #[test]
    fn expected_results() {
        assert_eq!(expected(Workload::Nop32, 4, 0), (4, 6));
        assert_eq!(expected(Workload::Nop1, 0, 0), (0, 0));
        assert_eq!(expected(Workload::Echo16, 3, 0), (48, 48 * 64));
        assert_eq!(expected(Workload::RandRead, 5, 1), (5, 0));
    }

    #[test]
    fn ringcore_runs_everything_first() {
        for w in Workload::ALL {
            assert_eq!(w.impls()[0], Impl::RingcoreRing);
        }
    }
}
