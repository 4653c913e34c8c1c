//! `fs_copy SRC DST`: copies a file with `ringcore::fs::File` on the background driver, under
//! `futures::executor::block_on` (an executor that knows nothing of io_uring).

use ringcore::fs::File;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [src, dst] = args.as_slice() else {
        eprintln!("usage: fs_copy SRC DST");
        std::process::exit(2);
    };
    match futures::executor::block_on(copy(src, dst)) {
        Ok(n) => println!("copied {n} bytes"),
        Err(e) => {
            eprintln!("fs_copy: {e}");
            std::process::exit(1);
        }
    }
}

async fn copy(src: &str, dst: &str) -> std::io::Result<u64> {
    let mut from = File::open(src).await?;
    let mut to = File::create(dst).await?;
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0u64;
    loop {
        let n = from.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        let mut data = &buf[..n];
        while !data.is_empty() {
            // Accepted writes run while the next read is in flight.
            let k = to.write(data).await?;
            data = &data[k..];
        }
        total += n as u64;
    }
    to.close().await?;
    Ok(total)
}
