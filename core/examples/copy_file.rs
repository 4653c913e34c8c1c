//! `copy_file SRC DST`: copies a file through the safe layer, chunk by chunk, with owned
//! buffers that go to the kernel and come back with each completion.

use ringcore::driver::LocalDriver;
use ringcore::event::events::{Close, Fsync, OpenAt, Read, Write};
use ringcore::Errno;
use std::ffi::CString;

const CHUNK: usize = 64 * 1024;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: copy_file SRC DST");
        std::process::exit(2);
    }
    match copy(&args[1], &args[2]) {
        Ok(n) => println!("copied {n} bytes"),
        Err(e) => {
            eprintln!("copy_file: {e}");
            std::process::exit(1);
        }
    }
}

fn copy(src: &str, dst: &str) -> Result<u64, Errno> {
    let path = |p: &str| CString::new(p).map_err(|_| Errno::EINVAL);
    let driver = LocalDriver::new(8)?;
    driver.block_on(async {
        let open = |path, flags| OpenAt {
            dirfd: libc::AT_FDCWD,
            path,
            flags: flags | libc::O_CLOEXEC,
            mode: 0o644,
        };
        let src = driver
            .submit_event(open(path(src)?, libc::O_RDONLY))
            .await
            .1? as i32;
        let dst = driver
            .submit_event(open(
                path(dst)?,
                libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC,
            ))
            .await
            .1? as i32;
        let mut offset = 0u64;
        let mut buf = vec![0u8; CHUNK];
        loop {
            let (read, res) = driver.submit_event(Read::new(src, buf, offset)).await;
            let n = res? as usize;
            if n == 0 {
                break;
            }
            // The same allocation goes out for the write and comes back for the next read.
            let mut data = read.buf;
            data.truncate(n);
            let mut written = 0u64;
            while !data.is_empty() {
                let (write, res) = driver
                    .submit_event(Write::new(dst, data, offset + written))
                    .await;
                let w = res? as usize;
                if w == 0 {
                    return Err(Errno::EIO);
                }
                data = write.buf;
                data.drain(..w);
                written += w as u64;
            }
            offset += n as u64;
            data.resize(CHUNK, 0);
            buf = data;
        }
        driver
            .submit_event(Fsync {
                fd: dst,
                datasync: false,
            })
            .await
            .1?;
        // SAFETY: both fds came from the opens above and are not used after this.
        driver.submit_event(unsafe { Close::new(src) }).await.1?;
        // SAFETY: as above.
        driver.submit_event(unsafe { Close::new(dst) }).await.1?;
        Ok(offset)
    })?
}
