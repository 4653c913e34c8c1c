//! Fuzz target for the safe layer: fuzzer bytes decode into interleavings of submitting reads
//! (with buffers that count their drops), NOPs and timeouts on a `LocalDriver`, polling them,
//! dropping them in flight, writing into the pipe the reads wait on, and running the ring;
//! at the end the driver is dropped. Checked: a completed read returns no more than its buffer;
//! NOPs and timeouts give their results; no buffer is dropped while the kernel owns it, every one exactly once in the end;
//! every byte written is in a read's result, in a dropped buffer, or still in the pipe.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ringcore::driver::LocalDriver;
use ringcore::event::events::{Nop, Read, Timeout, CURRENT_POSITION};
use ringcore::event::{Cancellation, OwnedBuf, Submission};
use ringcore::Errno;
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

const CANARY: u8 = 0xAA;

#[derive(Default)]
struct Ledger {
    drops: AtomicUsize,
    /// Bytes the kernel wrote into buffers that were dropped without being read back.
    written: AtomicUsize,
}

struct Counted {
    data: Vec<u8>,
    ledger: Arc<Ledger>,
    /// Set when the test took the bytes out of a completed read itself.
    accounted: bool,
}

impl Drop for Counted {
    fn drop(&mut self) {
        if !self.accounted {
            let n = self.data.iter().take_while(|&&b| b != CANARY).count();
            self.ledger.written.fetch_add(n, Ordering::SeqCst);
        }
        self.ledger.drops.fetch_add(1, Ordering::SeqCst);
    }
}

// SAFETY: the bytes live in the Vec's heap block, which moves with neither the Counted nor the
// box the Cancellation keeps it in.
unsafe impl OwnedBuf for Counted {
    fn as_ptr(&self) -> *const u8 {
        self.data.as_ptr()
    }
    fn as_mut_ptr(&mut self) -> *mut u8 {
        self.data.as_mut_ptr()
    }
    fn len(&self) -> usize {
        self.data.len()
    }
    fn into_cancellation(self) -> Cancellation {
        Cancellation::from_box(Box::new(self))
    }
}

struct NoWake;
impl Wake for NoWake {
    fn wake(self: Arc<Self>) {}
}

enum Op<'d> {
    Read(Submission<Read<Counted>, &'d LocalDriver>),
    Nop(Submission<Nop, &'d LocalDriver>),
    Timeout(Submission<Timeout, &'d LocalDriver>),
}

fuzz_target!(|data: &[u8]| {
    let ledger = Arc::new(Ledger::default());
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for two fds.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    let (rd, wr) = (fds[0], fds[1]);
    let created = Rc::new(Cell::new(0usize));
    let mut written_total = 0usize;
    let mut read_back = Vec::new();
    {
        let driver = LocalDriver::new(8).unwrap();
        let waker = Waker::from(Arc::new(NoWake));
        let mut cx = Context::from_waker(&waker);
        let mut ops: Vec<Op> = Vec::new();
        let mut next_byte = 1u8;
        for pair in data[..data.len().min(400)].chunks_exact(2) {
            let (what, arg) = (pair[0] % 8, pair[1] as usize);
            match what {
                0 => {
                    let buf = Counted {
                        data: vec![CANARY; 1 + arg % 16],
                        ledger: ledger.clone(),
                        accounted: false,
                    };
                    created.set(created.get() + 1);
                    ops.push(Op::Read(Submission::new(
                        Read::new(rd, buf, CURRENT_POSITION),
                        &driver,
                    )));
                }
                1 => ops.push(Op::Nop(Submission::new(Nop, &driver))),
                2 => ops.push(Op::Timeout(Submission::new(
                    Timeout::new(Duration::from_micros(50 * (arg as u64 % 8))),
                    &driver,
                ))),
                3 | 4 if !ops.is_empty() => {
                    // Poll one; a finished one is checked and removed.
                    let i = arg % ops.len();
                    let done = match &mut ops[i] {
                        Op::Read(s) => match Pin::new(s).poll(&mut cx) {
                            Poll::Ready((mut ev, res)) => {
                                match res {
                                    Ok(n) => {
                                        let n = n as usize;
                                        assert!(n <= ev.buf.data.len());
                                        read_back.extend_from_slice(&ev.buf.data[..n]);
                                        ev.buf.accounted = true;
                                    }
                                    Err(e) => panic!("read failed: {e}"),
                                }
                                true
                            }
                            Poll::Pending => false,
                        },
                        Op::Nop(s) => match Pin::new(s).poll(&mut cx) {
                            Poll::Ready((_, res)) => {
                                assert_eq!(res, Ok(0));
                                true
                            }
                            Poll::Pending => false,
                        },
                        Op::Timeout(s) => match Pin::new(s).poll(&mut cx) {
                            Poll::Ready((_, res)) => {
                                assert_eq!(res, Err(Errno::ETIME));
                                true
                            }
                            Poll::Pending => false,
                        },
                    };
                    if done {
                        ops.swap_remove(i);
                    }
                }
                5 if !ops.is_empty() => {
                    // Lose interest, possibly while the kernel owns the buffer.
                    let i = arg % ops.len();
                    ops.swap_remove(i);
                }
                6 => {
                    let n = 1 + arg % 24;
                    let bytes: Vec<u8> = (0..n)
                        .map(|_| {
                            let b = next_byte;
                            next_byte = if next_byte == CANARY - 1 {
                                1
                            } else {
                                next_byte + 1
                            };
                            b
                        })
                        .collect();
                    // SAFETY: `wr` is the open write end; `bytes` is readable for its length.
                    let w = unsafe { libc::write(wr, bytes.as_ptr().cast(), n) };
                    assert_eq!(w, n as isize);
                    written_total += n;
                }
                _ => {
                    driver.run_once(0).unwrap();
                }
            }
            // No buffer is freed while its read can still complete into it.
            let alive = ops.iter().filter(|o| matches!(o, Op::Read(_))).count();
            assert!(ledger.drops.load(Ordering::SeqCst) <= created.get() - alive);
        }
        drop(ops);
        // Dropping the driver cancels what is left and waits for the kernel.
    }
    assert_eq!(
        ledger.drops.load(Ordering::SeqCst),
        created.get(),
        "a buffer leaked or dropped twice"
    );
    // SAFETY: `rd` is open; non-blocking so the drain below stops when the pipe is empty.
    unsafe { libc::fcntl(rd, libc::F_SETFL, libc::O_NONBLOCK) };
    let mut left = 0;
    let mut scratch = [0u8; 4096];
    loop {
        // SAFETY: `scratch` is writable for its length; `rd` is non-blocking.
        let r = unsafe { libc::read(rd, scratch.as_mut_ptr().cast(), scratch.len()) };
        if r <= 0 {
            break;
        }
        left += r as usize;
    }
    assert_eq!(
        read_back.len() + ledger.written.load(Ordering::SeqCst) + left,
        written_total,
        "bytes lost or invented"
    );
    // SAFETY: both fds are ours and closed once.
    unsafe {
        libc::close(rd);
        libc::close(wr);
    }
});
