//! Soak: an echo server on the safe layer under clients that misbehave at random, for
//! `SOAK_SECONDS` (20 by default; `make soak` runs it for minutes).
//!
//! The server runs on a [`LocalDriver`], its reads and writes are `Recv`/`Send` submissions of
//! buffers that count how often they are made and dropped. Now and then it closes a connection
//! under a pending read, cancels a pending accept, or drops the whole serving future (every
//! connection mid-flight) and then the driver itself, and starts over on a new driver and port.
//! The clients, each thread a `LocalDriver` with many connections, send random-size messages,
//! check every echoed byte, drop read futures mid-flight (and read on: no byte may be lost or
//! doubled), abandon writes, and close sockets under pending reads.
//!
//! At the end: no byte mismatched, every buffer the kernel saw dropped exactly once (its
//! Cancellation ran once), no request left in any driver, open descriptors back at their
//! starting count, and resident memory within [`RSS_SLACK`] of its level after a warm-up.
//! Set `SOAK_SEED` to replay a run (the seed is printed).

use futures::stream::FuturesUnordered;
use futures::{select, FutureExt, StreamExt};
use ringcore::driver::LocalDriver;
use ringcore::event::events::{Recv, Send, Timeout};
use ringcore::event::{Cancellation, OwnedBuf};
use ringcore::net::{TcpListener, TcpStream};
use std::net::SocketAddr;
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Growth of resident memory allowed between the warm-up and the end: the allocator keeps
/// freed blocks, and thread stacks and arenas come and go; a leak of one buffer per request
/// would exceed it many times over.
const RSS_SLACK: u64 = 8 << 20;
/// Client threads, and connections each keeps open at once.
const CLIENT_THREADS: usize = 4;
const CONNS_PER_THREAD: usize = 16;
/// Largest message a client sends, and largest read the server asks for.
const MAX_MESSAGE: usize = 64 << 10;
const MAX_RECV: usize = 16 << 10;

static MADE: AtomicU64 = AtomicU64::new(0);
static DROPPED: AtomicU64 = AtomicU64::new(0);

/// A heap buffer that counts how many of its kind exist: made minus dropped.
struct Tracked(Vec<u8>);

impl Tracked {
    fn zeroed(len: usize) -> Tracked {
        MADE.fetch_add(1, Ordering::Relaxed);
        Tracked(vec![0; len])
    }
    fn copy_of(bytes: &[u8]) -> Tracked {
        MADE.fetch_add(1, Ordering::Relaxed);
        Tracked(bytes.to_vec())
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        DROPPED.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: the bytes live in the Vec's heap block, which does not move when the Tracked or the
// box its Cancellation keeps it in moves, and is freed only when the Tracked drops.
unsafe impl OwnedBuf for Tracked {
    fn as_ptr(&self) -> *const u8 {
        self.0.as_ptr()
    }
    fn as_mut_ptr(&mut self) -> *mut u8 {
        self.0.as_mut_ptr()
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn into_cancellation(self) -> Cancellation {
        Cancellation::from_box(Box::new(self))
    }
}

/// xorshift64*: reproducible from the printed seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
    fn one_in(&mut self, n: u64) -> bool {
        self.next() % n == 0
    }
}

/// What happened, for the final report and for the checks that each path was taken.
#[derive(Default)]
struct Stats {
    epochs: AtomicU64,
    drivers_dropped_busy: AtomicU64,
    accepted: AtomicU64,
    accepts_cancelled: AtomicU64,
    server_closed_under_read: AtomicU64,
    connections: AtomicU64,
    bytes_checked: AtomicU64,
    reads_dropped: AtomicU64,
    writes_dropped: AtomicU64,
    client_closed_under_read: AtomicU64,
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    // SAFETY: sysconf has no memory-safety preconditions.
    pages * unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as u64
}

async fn sleep(driver: &LocalDriver, millis: u64) {
    let _ = driver
        .submit_event(Timeout::new(Duration::from_millis(millis)))
        .await;
}

/// One accept, cancelled after a short random time now and then.
async fn accept_one<'d>(
    driver: &'d LocalDriver,
    listener: &TcpListener<&'d LocalDriver>,
    cancel_after: Option<u64>,
    stats: &Stats,
) -> Option<TcpStream<&'d LocalDriver>> {
    let accept = listener.accept().fuse();
    let result = match cancel_after {
        None => accept.await,
        Some(millis) => {
            let mut accept = std::pin::pin!(accept);
            select! {
                r = accept => r,
                _ = sleep(driver, millis).fuse() => {
                    bump(&stats.accepts_cancelled);
                    return None;
                }
            }
        }
    };
    let (stream, _) = result.ok()?;
    bump(&stats.accepted);
    Some(stream)
}

/// Echoes one connection until the peer goes, an error, or (rarely) the server closes it
/// under a pending read.
async fn echo(driver: &LocalDriver, stream: TcpStream<&LocalDriver>, seed: u64, stats: &Stats) {
    let fd = stream.as_raw_fd();
    let mut rng = Rng::new(seed);
    loop {
        let buf = Tracked::zeroed(rng.range(1, MAX_RECV as u64) as usize);
        let recv = driver.submit_event(Recv { fd, buf, flags: 0 }).fuse();
        let (recv, res) = if rng.one_in(64) {
            let mut recv = std::pin::pin!(recv);
            select! {
                r = recv => r,
                _ = sleep(driver, rng.range(0, 5)).fuse() => {
                    bump(&stats.server_closed_under_read);
                    return; // the stream closes with its read in flight
                }
            }
        } else {
            recv.await
        };
        let n = match res {
            Ok(0) | Err(_) => return,
            Ok(n) => n as usize,
        };
        let mut sent = 0;
        while sent < n {
            let buf = Tracked::copy_of(&recv.buf.0[sent..n]);
            let send = Send {
                fd,
                buf,
                flags: libc::MSG_NOSIGNAL,
            };
            match driver.submit_event(send).await.1 {
                Ok(k) if k > 0 => sent += k as usize,
                _ => return,
            }
        }
    }
}

/// Serves on `listener` until `epoch_ms` passes, then returns, dropping every connection
/// future mid-flight.
async fn serve(
    driver: &LocalDriver,
    listener: &TcpListener<&LocalDriver>,
    epoch_ms: u64,
    rng: &mut Rng,
    stats: &Stats,
) {
    let mut conns = FuturesUnordered::new();
    let mut end = std::pin::pin!(sleep(driver, epoch_ms).fuse());
    let cancel_after = |rng: &mut Rng| rng.one_in(8).then(|| rng.range(0, 3));
    let mut accept = Box::pin(accept_one(driver, listener, cancel_after(rng), stats).fuse());
    loop {
        select! {
            stream = accept => {
                if let Some(stream) = stream {
                    conns.push(echo(driver, stream, rng.next(), stats));
                }
                accept = Box::pin(accept_one(driver, listener, cancel_after(rng), stats).fuse());
            }
            () = conns.select_next_some() => {}
            () = end => return,
        }
    }
}

fn server(addr: &Mutex<Option<SocketAddr>>, stop: &AtomicBool, seed: u64, stats: &Stats) {
    let mut rng = Rng::new(seed);
    while !stop.load(Ordering::Relaxed) {
        // A small ring, so that bursts fill the SQ and the driver's backpressure path runs.
        let driver = LocalDriver::new(32).unwrap();
        let any = SocketAddr::from(([127, 0, 0, 1], 0));
        let listener = TcpListener::bind_on(any, &driver).unwrap();
        *addr.lock().unwrap() = Some(listener.local_addr().unwrap());
        let epoch_ms = rng.range(100, 1500);
        driver
            .block_on(serve(&driver, &listener, epoch_ms, &mut rng, stats))
            .unwrap();
        drop(listener);
        if rng.one_in(2) {
            // Settle first: every abandoned request must come back and leave the registry.
            driver.run_until_idle().unwrap();
            assert_eq!(driver.in_flight(), 0, "requests left after run_until_idle");
        } else {
            bump(&stats.drivers_dropped_busy);
        }
        drop(driver);
        bump(&stats.epochs);
    }
}

/// One client connection: messages out, every echoed byte checked, misbehaving at random.
async fn session(driver: &LocalDriver, addr: SocketAddr, seed: u64, stats: &Stats) {
    let mut rng = Rng::new(seed);
    let Ok(mut stream) = TcpStream::connect_on(addr, driver).await else {
        sleep(driver, 1).await; // the server is between drivers
        return;
    };
    bump(&stats.connections);
    for _ in 0..rng.range(1, 40) {
        let len = rng.range(1, MAX_MESSAGE as u64) as usize;
        let message: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        if rng.one_in(50) {
            let write = stream.write_all(&message).fuse();
            let mut write = std::pin::pin!(write);
            select! {
                r = write => if r.is_err() { return },
                _ = sleep(driver, rng.range(0, 2)).fuse() => {
                    // How much went out is unknown now: this connection is done.
                    bump(&stats.writes_dropped);
                    return;
                }
            }
        } else if stream.write_all(&message).await.is_err() {
            return;
        }
        let mut echoed = vec![0u8; len];
        let mut got = 0;
        while got < len {
            let dropping = rng.one_in(6);
            let read = stream.read(&mut echoed[got..]).fuse();
            let result = if dropping {
                let mut read = std::pin::pin!(read);
                select! {
                    r = read => Some(r),
                    _ = sleep(driver, rng.range(0, 2)).fuse() => None,
                }
            } else {
                Some(read.await)
            };
            match result {
                None => {
                    bump(&stats.reads_dropped);
                    if rng.one_in(8) {
                        bump(&stats.client_closed_under_read);
                        return; // the stream closes with its read in flight
                    }
                }
                Some(Ok(0)) | Some(Err(_)) => break, // the server went away
                Some(Ok(n)) => got += n,
            }
        }
        assert!(
            echoed[..got] == message[..got],
            "echoed bytes differ from the sent ones (seed {seed:#x})"
        );
        stats.bytes_checked.fetch_add(got as u64, Ordering::Relaxed);
        if got < len {
            return;
        }
    }
}

fn client(addr: &Mutex<Option<SocketAddr>>, stop: &AtomicBool, seed: u64, stats: &Stats) {
    let driver = LocalDriver::new(64).unwrap();
    let mut rng = Rng::new(seed);
    let current = || addr.lock().unwrap().unwrap();
    driver
        .block_on(async {
            let mut sessions = FuturesUnordered::new();
            for _ in 0..CONNS_PER_THREAD {
                sessions.push(session(&driver, current(), rng.next(), stats));
            }
            while sessions.next().await.is_some() {
                if !stop.load(Ordering::Relaxed) {
                    sessions.push(session(&driver, current(), rng.next(), stats));
                }
            }
        })
        .unwrap();
    // Abandoned reads and closes of dropped streams are still the kernel's until their CQEs.
    driver.run_until_idle().unwrap();
    assert_eq!(driver.in_flight(), 0, "client requests left in flight");
}

/// Runs servers and clients for `seconds`.
fn run(seconds: f64, seed: u64, stats: &Stats) {
    let addr = Mutex::new(None);
    let stop = AtomicBool::new(false);
    let server_stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let server = scope.spawn(|| server(&addr, &server_stop, seed, stats));
        while addr.lock().unwrap().is_none() {
            std::thread::sleep(Duration::from_millis(1));
        }
        let clients: Vec<_> = (0..CLIENT_THREADS as u64)
            .map(|i| {
                let (addr, stop) = (&addr, &stop);
                scope.spawn(move || client(addr, stop, seed ^ ((i + 1) * 0x9E37_79B9), stats))
            })
            .collect();
        std::thread::sleep(Duration::from_secs_f64(seconds));
        stop.store(true, Ordering::Relaxed);
        let results: Vec<_> = clients.into_iter().map(|c| c.join()).collect();
        server_stop.store(true, Ordering::Relaxed);
        server.join().unwrap();
        for result in results {
            result.unwrap();
        }
    });
}

#[test]
fn echo_soak() {
    let seconds: f64 = std::env::var("SOAK_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20.0);
    let seed = std::env::var("SOAK_SEED")
        .ok()
        .and_then(|s| u64::from_str_radix(s.trim_start_matches("0x"), 16).ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    println!("soak: {seconds} s, SOAK_SEED={seed:x}");
    let fds_before = open_fds();

    // A warm-up brings the allocator, the thread arenas and the kernel's socket buffers to
    // their working size; resident memory is compared with its level after it.
    let warm_up = (seconds / 10.0).min(2.0);
    run(warm_up, seed.rotate_left(17), &Stats::default());
    let rss_before = resident_bytes();

    let start = Instant::now();
    let stats = Stats::default();
    run(seconds - warm_up, seed, &stats);
    let elapsed = start.elapsed().as_secs_f64();

    let rss_after = resident_bytes();
    let fds_after = open_fds();
    let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
    println!(
        "soak: {:.1} s, {} server drivers ({} dropped with requests in flight), \
         {} connections, {} accepted, {} accepts cancelled, {} MB echoed and checked",
        elapsed,
        get(&stats.epochs),
        get(&stats.drivers_dropped_busy),
        get(&stats.connections),
        get(&stats.accepted),
        get(&stats.accepts_cancelled),
        get(&stats.bytes_checked) >> 20,
    );
    println!(
        "soak: reads dropped mid-flight {}, writes dropped {}, closed under a pending read: \
         client {} server {}",
        get(&stats.reads_dropped),
        get(&stats.writes_dropped),
        get(&stats.client_closed_under_read),
        get(&stats.server_closed_under_read),
    );
    let (made, dropped) = (MADE.load(Ordering::SeqCst), DROPPED.load(Ordering::SeqCst));
    println!(
        "soak: {made} kernel buffers made, {dropped} dropped; fds {fds_before} -> {fds_after}; \
         resident {} KiB -> {} KiB (slack {} KiB)",
        rss_before >> 10,
        rss_after >> 10,
        RSS_SLACK >> 10
    );

    assert_eq!(made, dropped, "a buffer leaked or was dropped twice");
    assert_eq!(fds_after, fds_before, "descriptors leaked");
    assert!(
        rss_after <= rss_before + RSS_SLACK,
        "resident memory grew by {} KiB",
        (rss_after - rss_before) >> 10
    );
    // Each misbehaviour must actually have happened, or the soak proved nothing about it.
    for (what, counter) in [
        ("server drivers", &stats.epochs),
        ("drivers dropped busy", &stats.drivers_dropped_busy),
        ("bytes checked", &stats.bytes_checked),
        ("accepts cancelled", &stats.accepts_cancelled),
        ("reads dropped", &stats.reads_dropped),
        ("writes dropped", &stats.writes_dropped),
        ("client closes under read", &stats.client_closed_under_read),
        ("server closes under read", &stats.server_closed_under_read),
    ] {
        assert!(get(counter) > 0, "the soak never exercised: {what}");
    }
}
