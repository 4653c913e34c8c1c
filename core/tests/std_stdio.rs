//! `ringcore::stdio` against the kernel: this test binary re-runs itself as a child whose
//! stdin, stdout and stderr are pipes; the child copies stdin to stdout (upper-cased) through
//! the ring and reports on stderr, and the parent checks every byte.

use futures::executor::block_on;
use std::io::{Read, Write};
use std::process::{Command, Stdio};

const CHILD: &str = "RINGCORE_STDIO_CHILD";

/// In the child: stdin → upper-case → stdout, then a count on stderr.
fn child() {
    block_on(async {
        let mut input = ringcore::stdio::stdin().unwrap();
        let mut output = ringcore::stdio::stdout().unwrap();
        let mut errors = ringcore::stdio::stderr().unwrap();
        let mut buf = vec![0u8; 10_000];
        let mut total = 0usize;
        loop {
            let n = input.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            buf[..n].make_ascii_uppercase();
            output.write_all(&buf[..n]).await.unwrap();
            total += n;
        }
        output.flush().await.unwrap();
        errors
            .write_all(format!("copied {total}\n").as_bytes())
            .await
            .unwrap();
    });
}

#[test]
fn stdin_to_stdout_through_the_ring() {
    if std::env::var_os(CHILD).is_some() {
        child();
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let mut proc = Command::new(exe)
        .args([
            "stdin_to_stdout_through_the_ring",
            "--exact",
            "--nocapture",
            "--quiet",
        ])
        .env(CHILD, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input: Vec<u8> = (0..300_000).map(|i| b"abcdefghij\n"[i % 11]).collect();
    let mut stdin = proc.stdin.take().unwrap();
    let feeder = {
        let input = input.clone();
        std::thread::spawn(move || stdin.write_all(&input).unwrap())
    };
    let mut out = Vec::new();
    proc.stdout.take().unwrap().read_to_end(&mut out).unwrap();
    let mut err = String::new();
    proc.stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    feeder.join().unwrap();
    assert!(proc.wait().unwrap().success(), "child failed: {err}");
    // The test harness prints its own lines around the child's output; ours is one block.
    let expected = input.to_ascii_uppercase();
    let start = out
        .windows(11)
        .position(|w| w == b"ABCDEFGHIJ\n")
        .expect("child output present");
    assert!(
        out[start..start + expected.len()] == expected[..],
        "stdout differs"
    );
    assert!(err.contains("copied 300000"), "stderr: {err}");
}
