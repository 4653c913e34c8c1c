//! The `futures-io` traits on the std types (feature `futures-io`; `make test` runs this with
//! the feature on): generic code from the `futures` crate — `read_to_end`, `read_line`,
//! `seek`, `copy`, `close` — over ringcore files and sockets.
#![cfg(feature = "futures-io")]

use futures::executor::block_on;
use futures::io::{AsyncBufReadExt, AsyncReadExt, AsyncSeekExt, AsyncWriteExt, BufReader};
use ringcore::fs::File;
use ringcore::net::{TcpListener, TcpStream, UnixStream};
use std::io::SeekFrom;

fn temp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("ringcore-std-fio-{}-{name}", std::process::id()))
}

#[test]
fn file_through_the_traits() {
    let path = temp("traits");
    let lines: String = (0..5000).map(|i| format!("line {i}\n")).collect();
    block_on(async {
        let mut file = File::create(&path).await.unwrap();
        AsyncWriteExt::write_all(&mut file, lines.as_bytes())
            .await
            .unwrap();
        AsyncWriteExt::close(&mut file).await.unwrap();

        let mut file = File::open(&path).await.unwrap();
        let mut first = String::new();
        AsyncBufReadExt::read_line(&mut file, &mut first)
            .await
            .unwrap();
        assert_eq!(first, "line 0\n");
        let at = AsyncSeekExt::seek(&mut file, SeekFrom::Start(7 * 10 + 1))
            .await
            .unwrap();
        assert_eq!(at, 71);
        let mut rest = Vec::new();
        AsyncReadExt::read_to_end(&mut file, &mut rest)
            .await
            .unwrap();
        assert_eq!(rest, lines.as_bytes()[71..]);
    });
    let _ = std::fs::remove_file(&path);
}

#[test]
fn copy_between_sockets_and_files() {
    let path = temp("copy");
    let data: Vec<u8> = (0..1_000_000u32).map(|i| (i % 241) as u8).collect();
    std::fs::write(&path, &data).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let got = block_on(async {
        let send = async {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            let mut file = File::open(&path).await.unwrap();
            let n = futures::io::copy(&mut file, &mut stream).await.unwrap();
            // `close` flushes and shuts the write side down.
            AsyncWriteExt::close(&mut stream).await.unwrap();
            n
        };
        let recv = async {
            let (stream, _) = listener.accept().await.unwrap();
            let mut reader = BufReader::new(stream);
            let mut got = Vec::new();
            reader.read_to_end(&mut got).await.unwrap();
            got
        };
        let (n, got) = futures::join!(send, recv);
        assert_eq!(n, data.len() as u64);
        got
    });
    assert!(got == data, "copied bytes differ");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn split_halves_through_the_traits() {
    let (mut a, mut b) = UnixStream::pair().unwrap();
    block_on(async {
        // `UnixStream::split` by path: `AsyncReadExt::split` (by value) would win otherwise.
        let (mut rd, mut wr) = UnixStream::split(&mut a);
        let write = async {
            wr.write_all(b"ping").await.unwrap();
            AsyncWriteExt::close(&mut wr).await.unwrap();
        };
        let echo = async {
            let mut got = Vec::new();
            AsyncReadExt::read_to_end(&mut b, &mut got).await.unwrap();
            AsyncWriteExt::write_all(&mut b, &got).await.unwrap();
            AsyncWriteExt::close(&mut b).await.unwrap();
        };
        let read = async {
            let mut back = Vec::new();
            AsyncReadExt::read_to_end(&mut rd, &mut back).await.unwrap();
            back
        };
        let ((), (), back) = futures::join!(write, echo, read);
        assert_eq!(back, b"ping");
    });
}
