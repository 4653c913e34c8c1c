//! `shared_driver_cost TEST DRIVER`: what it costs to keep requests independent of the thread
//! that submitted them. Prints wall and CPU time (all threads of the process, the kernel's SQ
//! polling thread included) per operation.
//!
//! TEST: `nop32` (32 NOPs per round), `nop1` (one NOP per round), `pingpong` (read a byte from
//! a pipe another thread writes, write it back through another pipe), `sparse` (one NOP every
//! 2 ms). DRIVER: `sqpoll` (`SharedDriver::new`: the kernel's SQ thread submits), `plain`
//! (`SharedDriver::from_ring` over a plain ring: the `block_on` thread submits), `background`
//! (`BackgroundDriver`, futures' `block_on`: the driver's own thread submits and reaps).
//!
//! The figures in `SharedDriver`'s docs are medians of five runs of each on a 2-core VM.

use ringcore::driver::{BackgroundDriver, SharedDriver};
use ringcore::event::events::{Nop, Read, Write, CURRENT_POSITION};
use ringcore::event::{Event, Submission};
use ringcore::{Errno, Ring};
use std::io::{Read as _, Write as _};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

/// CPU time of the whole process so far.
fn cpu_time() -> Duration {
    // SAFETY: `rusage` is plain data; all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid out-pointer.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let time = |tv: libc::timeval| Duration::new(tv.tv_sec as u64, tv.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// Runs submissions to completion, on the driver's own loop or on futures' executor.
trait Runner {
    fn run<E: Event>(&self, event: E) -> Result<u32, Errno>;
    fn run_all<E: Event>(&self, events: Vec<E>) -> Vec<Result<u32, Errno>>;
}

impl Runner for SharedDriver {
    fn run<E: Event>(&self, event: E) -> Result<u32, Errno> {
        self.block_on(self.submit_event(event)).unwrap().1
    }
    fn run_all<E: Event>(&self, events: Vec<E>) -> Vec<Result<u32, Errno>> {
        let subs = events.into_iter().map(|e| self.submit_event(e));
        let all = futures::future::join_all(subs);
        let done = self.block_on(all).unwrap();
        done.into_iter().map(|(_, r)| r).collect()
    }
}

impl Runner for BackgroundDriver {
    fn run<E: Event>(&self, event: E) -> Result<u32, Errno> {
        futures::executor::block_on(Submission::new(event, self.clone())).1
    }
    fn run_all<E: Event>(&self, events: Vec<E>) -> Vec<Result<u32, Errno>> {
        let subs = events.into_iter().map(|e| Submission::new(e, self.clone()));
        let done = futures::executor::block_on(futures::future::join_all(subs));
        done.into_iter().map(|(_, r)| r).collect()
    }
}

/// Runs `test` on `runner`; returns the number of operations.
fn run_test<R: Runner>(test: &str, runner: &R) -> u64 {
    match test {
        "nop32" => {
            let n = 320_000;
            for _ in 0..n / 32 {
                let results = runner.run_all((0..32).map(|_| Nop).collect());
                assert!(results.iter().all(|r| *r == Ok(0)));
            }
            n
        }
        "nop1" => {
            let n = 100_000;
            for _ in 0..n {
                assert_eq!(runner.run(Nop), Ok(0));
            }
            n
        }
        "pingpong" => {
            let n = 20_000;
            let (r1, mut w1) = std::io::pipe().unwrap();
            let (mut r2, w2) = std::io::pipe().unwrap();
            let peer = std::thread::spawn(move || {
                let mut byte = [0u8; 1];
                for _ in 0..n {
                    w1.write_all(&[1]).unwrap();
                    r2.read_exact(&mut byte).unwrap();
                }
            });
            for _ in 0..n {
                let read = Read::new(r1.as_raw_fd(), vec![0u8; 1], CURRENT_POSITION);
                assert_eq!(runner.run(read), Ok(1));
                let write = Write::new(w2.as_raw_fd(), vec![1u8; 1], CURRENT_POSITION);
                assert_eq!(runner.run(write), Ok(1));
            }
            peer.join().unwrap();
            n
        }
        "sparse" => {
            let n = 500;
            for _ in 0..n {
                assert_eq!(runner.run(Nop), Ok(0));
                std::thread::sleep(Duration::from_millis(2));
            }
            n
        }
        _ => usage(),
    }
}

fn usage() -> ! {
    eprintln!("usage: shared_driver_cost nop32|nop1|pingpong|sparse sqpoll|plain|background");
    std::process::exit(2);
}

fn measure<R: Runner>(test: &str, name: &str, runner: R) {
    // Let the driver settle (its threads start, an SQ poller goes idle).
    std::thread::sleep(Duration::from_millis(20));
    let (cpu, wall) = (cpu_time(), Instant::now());
    let n = run_test(test, &runner);
    let (cpu, wall) = (cpu_time() - cpu, wall.elapsed());
    println!(
        "{test:8} {name:10}: wall {:9.0} ns/op, cpu {:9.0} ns/op",
        wall.as_nanos() as f64 / n as f64,
        cpu.as_nanos() as f64 / n as f64,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [test, driver] = args.as_slice() else {
        usage();
    };
    match driver.as_str() {
        "sqpoll" => measure(test, driver, SharedDriver::new(64).unwrap()),
        "plain" => measure(
            test,
            driver,
            SharedDriver::with_builder(Ring::builder(64)).unwrap(),
        ),
        "background" => measure(test, driver, BackgroundDriver::new(64).unwrap()),
        _ => usage(),
    }
}
