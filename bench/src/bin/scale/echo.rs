//! TCP echo as connections grow: 64-byte round trips over loopback with 1 to ~10,000
//! connections, ringcore's safe layer against tokio (epoll), each server on its own
//! thread against the same one-thread epoll client (`ringcore_bench::echo`).
//!
//! The safe-layer server here runs its connections on a tiny executor that polls only the
//! connections whose wakers fired (as tokio does): a join that polls every connection on each
//! wake-up walks all of them per completion and measures itself, not the library.

use ringcore::driver::LocalDriver;
use ringcore::net::TcpStream;
use ringcore_bench::echo;
use ringcore_bench::imp::{ringcore_safe, tokio_echo};
use std::future::Future;
use std::os::fd::{IntoRawFd, OwnedFd};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

type Error = ringcore_bench::Error;

/// SQ entries of the safe server's ring.
const RING_ENTRIES: u32 = 4096;
const BUF: usize = 2048;

/// The servers compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Server {
    Safe,
    Net,
    Tokio,
}

impl Server {
    /// The bench's raw-ring echo server (`imp::ringcore_ring`) takes one SQE per connection
    /// up front from a 256-entry SQ, so it stops at 256 connections: it is left out here.
    pub const ALL: [Server; 3] = [Server::Safe, Server::Net, Server::Tokio];

    pub fn name(self) -> &'static str {
        match self {
            Server::Safe => "ringcore-safe",
            Server::Net => "ringcore-net",
            Server::Tokio => "tokio-epoll",
        }
    }
}

/// One run's figures.
pub struct EchoRun {
    pub round_trips_per_s: f64,
    /// CPU time of the server thread (user + system) per round trip.
    pub server_cpu_ns: f64,
}

/// Raises the soft descriptor limit to the hard one; returns the limit.
pub fn raise_nofile() -> u64 {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: reads into a live struct.
    unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) };
    lim.rlim_cur = lim.rlim_max;
    // SAFETY: passes a live struct; raising the soft limit to the hard one is always allowed.
    unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lim) };
    lim.rlim_cur
}

fn thread_cpu_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: writes into a live struct.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// `rounds` round trips on each of `conns` connections against `server`.
///
/// # Errors
/// Socket setup, the server, or a wrong echo.
pub fn run(server: Server, conns: usize, rounds: u64) -> Result<EchoRun, Error> {
    let cpu = Arc::new(AtomicU64::new(0));
    let cpu_out = cpu.clone();
    let timed = move |fds: Vec<OwnedFd>| {
        let start = thread_cpu_ns();
        let r = match server {
            Server::Safe => safe_server(fds),
            Server::Net => net_server(fds),
            Server::Tokio => tokio_echo::echo_server(fds),
        };
        cpu_out.store(thread_cpu_ns() - start, Ordering::Relaxed);
        r
    };
    let o = echo::run(conns, rounds, timed)?;
    if o.ops != conns as u64 * rounds || o.check != o.ops * echo::MESSAGE as u64 {
        return Err(format!(
            "{}: {} round trips, {} bytes echoed",
            server.name(),
            o.ops,
            o.check
        )
        .into());
    }
    Ok(EchoRun {
        round_trips_per_s: o.ops as f64 * 1e9 / o.ns as f64,
        server_cpu_ns: cpu.load(Ordering::Relaxed) as f64 / o.ops as f64,
    })
}

/// The safe layer's server: a `LocalDriver`, one task per connection.
fn safe_server(fds: Vec<OwnedFd>) -> Result<u64, Error> {
    let driver = LocalDriver::new(RING_ENTRIES)?;
    let tasks = fds
        .into_iter()
        .map(|fd| Box::pin(ringcore_safe::echo_conn(&driver, fd)) as Task<'_>)
        .collect();
    driver.block_on(Tasks::new(tasks))?
}

/// The std types' server: `ringcore::net::TcpStream`s on a `LocalDriver`, one task per
/// connection, `read` then `write_all` (as a user writes it).
fn net_server(fds: Vec<OwnedFd>) -> Result<u64, Error> {
    let driver = LocalDriver::new(RING_ENTRIES)?;
    let tasks = fds
        .into_iter()
        .map(|fd| Box::pin(net_conn(&driver, fd)) as Task<'_>)
        .collect();
    driver.block_on(Tasks::new(tasks))?
}

/// One connection of [`net_server`]: the bytes echoed.
async fn net_conn(driver: &LocalDriver, fd: OwnedFd) -> Result<u64, Error> {
    // SAFETY: `fd` is an open, connected TCP socket that this function owns and gives up.
    let mut s = unsafe { TcpStream::from_raw_fd(fd.into_raw_fd(), driver) };
    s.set_buffer_size(BUF);
    let mut buf = [0u8; BUF];
    let mut bytes = 0;
    loop {
        let n = s.read(&mut buf).await?;
        if n == 0 {
            return Ok(bytes);
        }
        s.write_all(&buf[..n]).await?;
        bytes += n as u64;
    }
}

type Task<'a> = Pin<Box<dyn Future<Output = Result<u64, Error>> + 'a>>;

/// Indices of the tasks whose wakers fired, and the waker of the future that runs them.
#[derive(Default)]
struct ReadyQueue {
    ready: Mutex<Vec<usize>>,
    outer: Mutex<Option<Waker>>,
}

struct TaskWaker {
    queue: Arc<ReadyQueue>,
    index: usize,
    queued: AtomicBool,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        if !self.queued.swap(true, Ordering::AcqRel) {
            self.queue.ready.lock().unwrap().push(self.index);
            if let Some(w) = self.queue.outer.lock().unwrap().as_ref() {
                w.wake_by_ref();
            }
        }
    }
}

/// Runs every task to completion, polling only those woken; the sum of their results.
struct Tasks<'a> {
    tasks: Vec<Option<Task<'a>>>,
    wakers: Vec<(Arc<TaskWaker>, Waker)>,
    queue: Arc<ReadyQueue>,
    batch: Vec<usize>,
    left: usize,
    sum: u64,
}

impl<'a> Tasks<'a> {
    fn new(tasks: Vec<Task<'a>>) -> Tasks<'a> {
        let queue = Arc::new(ReadyQueue::default());
        let wakers = (0..tasks.len())
            .map(|index| {
                let w = Arc::new(TaskWaker {
                    queue: queue.clone(),
                    index,
                    queued: AtomicBool::new(true),
                });
                (w.clone(), Waker::from(w))
            })
            .collect();
        *queue.ready.lock().unwrap() = (0..tasks.len()).collect();
        Tasks {
            left: tasks.len(),
            tasks: tasks.into_iter().map(Some).collect(),
            wakers,
            queue,
            batch: Vec::new(),
            sum: 0,
        }
    }
}

impl Future for Tasks<'_> {
    type Output = Result<u64, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        {
            let mut outer = this.queue.outer.lock().unwrap();
            if !outer.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                *outer = Some(cx.waker().clone());
            }
        }
        loop {
            std::mem::swap(&mut this.batch, &mut this.queue.ready.lock().unwrap());
            if this.batch.is_empty() {
                break;
            }
            for i in this.batch.drain(..) {
                let (flag, waker) = &this.wakers[i];
                flag.queued.store(false, Ordering::Release);
                let Some(task) = this.tasks[i].as_mut() else {
                    continue;
                };
                if let Poll::Ready(r) = task.as_mut().poll(&mut Context::from_waker(waker)) {
                    this.tasks[i] = None;
                    this.left -= 1;
                    match r {
                        Ok(n) => this.sum += n,
                        Err(e) => return Poll::Ready(Err(e)),
                    }
                }
            }
        }
        if this.left == 0 {
            Poll::Ready(Ok(this.sum))
        } else {
            Poll::Pending
        }
    }
}
