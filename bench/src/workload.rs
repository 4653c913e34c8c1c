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
    /// TCP echo as [`Echo1`](Self::Echo1), servers on tokio (or on their own io_uring runtime).
    TokioEcho1,
    /// The same on 16 connections.
    TokioEcho16,
    /// The same on 256 connections.
    TokioEcho256,
    /// 4 KiB random reads as [`RandRead`](Self::RandRead) (32 in flight), by tasks on a tokio
    /// current-thread runtime (or on their own io_uring runtime).
    TokioRandRead,
    /// Copying the random-read file to a new file (page cache to page cache); an "op" is a
    /// byte.
    Copy,
    /// 1-byte reads of the page-cached file, rounds of 32 joined with `join_all`, one thread:
    /// issue 14's reference loop (per-read overhead, the kernel's work being tiny).
    Read1,
}

impl Workload {
    /// Every workload, in report order.
    pub const ALL: [Workload; 12] = [
        Workload::Nop32,
        Workload::Nop1,
        Workload::RandRead,
        Workload::Echo1,
        Workload::Echo16,
        Workload::CancelStorm,
        Workload::TokioEcho1,
        Workload::TokioEcho16,
        Workload::TokioEcho256,
        Workload::TokioRandRead,
        Workload::Copy,
        Workload::Read1,
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
            Workload::TokioEcho1 => "tokio-echo1",
            Workload::TokioEcho16 => "tokio-echo16",
            Workload::TokioEcho256 => "tokio-echo256",
            Workload::TokioRandRead => "tokio-randread",
            Workload::Copy => "copy",
            Workload::Read1 => "read1",
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
            Workload::TokioEcho1 => "on tokio: TCP echo 64 B, 1 connection",
            Workload::TokioEcho16 => "on tokio: TCP echo 64 B, 16 connections",
            Workload::TokioEcho256 => "on tokio: TCP echo 64 B, 256 connections",
            Workload::TokioRandRead => "on tokio: 4 KiB random read, page cache, 32 tasks",
            Workload::Copy => "on tokio: copy a page-cached file",
            Workload::Read1 => "1-byte reads, page cache, 32 per round (join_all), one thread",
        }
    }

    /// What one "op" is, for the report.
    pub fn unit(self) -> &'static str {
        match self {
            Workload::Nop32 | Workload::Nop1 => "NOPs/s",
            Workload::RandRead | Workload::TokioRandRead | Workload::Read1 => "reads/s",
            Workload::Echo1
            | Workload::Echo16
            | Workload::TokioEcho1
            | Workload::TokioEcho16
            | Workload::TokioEcho256 => "round trips/s",
            Workload::CancelStorm => "cancelled reads/s",
            Workload::Copy => "MB/s",
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
            Workload::Echo1 | Workload::TokioEcho1 => Some(1),
            Workload::Echo16 | Workload::TokioEcho16 => Some(16),
            Workload::TokioEcho256 => Some(256),
            _ => None,
        }
    }

    /// Whether the workload reads the random-read file.
    pub fn needs_file(self) -> bool {
        matches!(
            self,
            Workload::RandRead | Workload::TokioRandRead | Workload::Copy | Workload::Read1
        )
    }

    /// Whether callgrind counts this workload's instructions per operation.
    pub fn counts_instructions(self) -> bool {
        self.nop_batch().is_some() || self == Workload::Read1
    }

    /// The line `i`'s ratio is taken against: ringcore on the same runtime.
    pub fn baseline(self, i: Impl) -> Impl {
        match i {
            Impl::TokioMt | Impl::RingcoreTokioMt => Impl::RingcoreTokioMt,
            _ => self.impls()[0],
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
            Workload::TokioEcho1 | Workload::TokioEcho16 | Workload::TokioEcho256 => &[
                Impl::RingcoreTokioCt,
                Impl::RingcoreTokioCtQueued,
                Impl::TokioEpoll,
                Impl::RingcoreTokioMt,
                Impl::TokioMt,
                Impl::TokioUring,
                Impl::Monoio,
            ],
            Workload::TokioRandRead => &[
                Impl::RingcoreTokioCt,
                Impl::TokioFs,
                Impl::TokioUring,
                Impl::Monoio,
            ],
            Workload::Copy => &[
                Impl::RingcoreTokioCt,
                Impl::RingcoreTokioSplice,
                Impl::TokioFs,
                Impl::StdFs,
            ],
            Workload::Read1 => &[
                Impl::RingcoreSafe,
                Impl::RingcoreTokioCt,
                Impl::TokioUring,
                Impl::Monoio,
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
            (Workload::TokioEcho1, false) => 25_000,
            (Workload::TokioEcho16, false) => 5_000,
            (Workload::TokioEcho256, false) => 500,
            (Workload::TokioEcho1, true) => 200,
            (Workload::TokioEcho16, true) => 20,
            (Workload::TokioEcho256, true) => 4,
            (Workload::TokioRandRead, false) => 300_000,
            (Workload::TokioRandRead, true) => 2_000,
            (Workload::Read1, false) => 1_000_000,
            (Workload::Read1, true) => 3_200,
            (Workload::Copy, _) => self.file_bytes(),
        }
    }

    /// The two sizes whose instruction counts are subtracted (callgrind), for NOP workloads.
    pub fn callgrind_ops(self, w: Workload) -> (u64, u64) {
        let base = match w {
            Workload::Nop32 | Workload::Read1 => 3_200,
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
    /// ringcore's std types (`ringcore::net`, `ringcore::fs`) on a tokio current-thread
    /// runtime: `TokioDriver`.
    RingcoreTokioCt,
    /// [`RingcoreTokioCt`](Self::RingcoreTokioCt), echo only, its server sending with `write`
    /// (returns once the send is queued) instead of `write_all` (once it is sent).
    RingcoreTokioCtQueued,
    /// The same on tokio's multi-thread runtime.
    RingcoreTokioMt,
    /// ringcore's `Splice` events on tokio current-thread, copy only.
    RingcoreTokioSplice,
    /// tokio's multi-thread runtime (epoll), echo only.
    TokioMt,
    /// `tokio::fs` on a current-thread runtime (each call runs on tokio's blocking pool).
    TokioFs,
    /// `std::fs::copy` (`copy_file_range` in the kernel).
    StdFs,
    /// tokio-uring 0.5 on its own runtime (the `ringcore-bench-tokio-uring` program).
    TokioUring,
    /// monoio 0.2 with its io_uring driver (the `ringcore-bench-monoio` program).
    Monoio,
}

impl Impl {
    /// Every implementation.
    pub const ALL: [Impl; 17] = [
        Impl::RingcoreRing,
        Impl::RingcoreSafe,
        Impl::RingcoreBatch,
        Impl::IoUringCrate,
        Impl::Liburing,
        Impl::TokioEpoll,
        Impl::RawC,
        Impl::RingcoreC,
        Impl::RingcoreTokioCt,
        Impl::RingcoreTokioCtQueued,
        Impl::RingcoreTokioMt,
        Impl::RingcoreTokioSplice,
        Impl::TokioMt,
        Impl::TokioFs,
        Impl::StdFs,
        Impl::TokioUring,
        Impl::Monoio,
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
            Impl::RingcoreTokioCt => "ringcore-tokio-ct",
            Impl::RingcoreTokioCtQueued => "ringcore-tokio-ct-queued",
            Impl::RingcoreTokioMt => "ringcore-tokio-mt",
            Impl::RingcoreTokioSplice => "ringcore-tokio-splice",
            Impl::TokioMt => "tokio-mt",
            Impl::TokioFs => "tokio-fs",
            Impl::StdFs => "std",
            Impl::TokioUring => "tokio-uring",
            Impl::Monoio => "monoio",
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
            Impl::RingcoreTokioCt => "ringcore on tokio current-thread (`TokioDriver`)".into(),
            Impl::RingcoreTokioCtQueued => {
                "ringcore on tokio current-thread, `write` returning once queued".into()
            }
            Impl::RingcoreTokioMt => "ringcore on tokio multi-thread (`TokioDriver`)".into(),
            Impl::RingcoreTokioSplice => "ringcore `Splice` file→pipe→file on tokio".into(),
            Impl::TokioMt => "tokio multi-thread (epoll)".into(),
            Impl::TokioFs => "`tokio::fs` on current-thread (blocking pool)".into(),
            Impl::StdFs => "`std::fs::copy` (copy_file_range)".into(),
            Impl::TokioUring => "tokio-uring 0.5 (own runtime)".into(),
            Impl::Monoio => "monoio 0.2 (own runtime, io_uring)".into(),
        }
    }

    /// `Err` with the reason when this implementation was not built.
    pub fn available(self) -> Result<(), &'static str> {
        match self {
            Impl::Liburing => crate::imp::liburing::available(),
            Impl::RingcoreC => crate::imp::capi::available(),
            Impl::TokioUring | Impl::Monoio => crate::imp::peers::available(self),
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
        Workload::Echo1
        | Workload::Echo16
        | Workload::TokioEcho1
        | Workload::TokioEcho16
        | Workload::TokioEcho256 => {
            let trips = ops * w.echo_conns().unwrap_or(1) as u64;
            (trips, trips * crate::echo::MESSAGE as u64)
        }
        Workload::CancelStorm => (ops, ops),
        Workload::TokioRandRead => (ops, crate::prng::expected_read_check(blocks, ops)),
        Workload::Copy => (
            blocks * crate::imp::BLOCK as u64,
            blocks.wrapping_mul(blocks.wrapping_sub(1)) / 2,
        ),
        Workload::Read1 => (ops, crate::imp::read1_check(blocks, ops)),
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
            assert!(w.impls()[0].name().starts_with("ringcore"), "{}", w.name());
            for &i in w.impls() {
                assert!(w.impls().contains(&w.baseline(i)));
            }
        }
    }
}
