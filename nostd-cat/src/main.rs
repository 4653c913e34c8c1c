//! `nostd-cat FILE`: copies FILE to stdout through ringcore [`Submission`]s on the
//! single-threaded [`LocalDriver`], in a program without std.
//!
//! Everything outside the allocator and the entry point is safe code: the file is opened,
//! read, written and closed by events that own their buffers.

#![no_std]
#![no_main]

extern crate alloc;

use alloc::ffi::CString;
use alloc::vec;
use alloc::vec::Vec;
use core::ffi::{c_char, c_int, CStr};
use ringcore::driver::LocalDriver;
use ringcore::event::events::{Close, OpenAt, Read, Write, CURRENT_POSITION};
use ringcore::Errno;

const CHUNK: usize = 64 * 1024;
const STDOUT: i32 = 1;
const STDERR: i32 = 2;

/// The global allocator: libc's `malloc` family.
mod heap {
    use core::alloc::{GlobalAlloc, Layout};

    struct Malloc;

    /// `malloc` aligns to 16 bytes; larger alignments go through `aligned_alloc`.
    const MALLOC_ALIGN: usize = 16;

    // SAFETY: each method forwards to the libc allocator, which returns memory of at least
    // the requested size and alignment (or null), and `dealloc`/`realloc` receive only
    // pointers these methods returned.
    unsafe impl GlobalAlloc for Malloc {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            if layout.align() <= MALLOC_ALIGN {
                // SAFETY: plain malloc of a non-zero size (GlobalAlloc's callers never ask
                // for zero bytes).
                unsafe { libc::malloc(layout.size()).cast() }
            } else {
                let size = layout.size().next_multiple_of(layout.align());
                // SAFETY: the alignment is a power of two and the size a multiple of it.
                unsafe { libc::aligned_alloc(layout.align(), size).cast() }
            }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
            // SAFETY: `ptr` came from `alloc`/`realloc` above, i.e. from libc.
            unsafe { libc::free(ptr.cast()) }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            if layout.align() <= MALLOC_ALIGN {
                // SAFETY: `ptr` came from malloc; realloc keeps malloc's alignment.
                unsafe { libc::realloc(ptr.cast(), new_size).cast() }
            } else {
                let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
                    return core::ptr::null_mut();
                };
                // SAFETY: as `alloc`; the old block (`layout.size()` bytes) is copied as far as
                // both blocks reach, then freed.
                unsafe {
                    let new = self.alloc(new_layout);
                    if !new.is_null() {
                        core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                    new
                }
            }
        }
    }

    #[global_allocator]
    static GLOBAL: Malloc = Malloc;
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    // SAFETY: abort takes no arguments and never returns.
    unsafe { libc::abort() }
}

/// The unwinding personality routine, which only std provides. With `panic = "abort"` nothing
/// ever unwinds, but the precompiled `core` and `alloc` are built for unwinding and their
/// cleanup code names this symbol; a release build with LTO drops that code, a debug build
/// keeps it and fails to link without a definition. It is never called; if it were, aborting
/// is the only safe answer.
#[no_mangle]
pub extern "C" fn rust_eh_personality() {
    // SAFETY: abort takes no arguments and never returns.
    unsafe { libc::abort() }
}

/// The C entry point: turns `argv` into owned strings, then runs safe code.
///
/// # Safety
/// Called by the C runtime with `argc` valid pointers to NUL-terminated strings in `argv`.
#[no_mangle]
pub unsafe extern "C" fn main(argc: c_int, argv: *const *const c_char) -> c_int {
    let mut args = Vec::new();
    for i in 0..usize::try_from(argc).unwrap_or(0) {
        // SAFETY: the C runtime passes `argc` valid pointers to NUL-terminated strings.
        let arg = unsafe { CStr::from_ptr(*argv.add(i)) };
        args.push(CString::from(arg));
    }
    match args.get(1) {
        Some(path) if args.len() == 2 => match cat(path.clone()) {
            Ok(()) => 0,
            Err(e) => {
                report(b"nostd-cat: ", e);
                1
            }
        },
        _ => {
            let _ = write_all_blocking(STDERR, b"usage: nostd-cat FILE\n");
            2
        }
    }
}

/// Copies the file at `path` to stdout: open, then read/write chunks, then close.
fn cat(path: CString) -> Result<(), Errno> {
    let driver = LocalDriver::new(8)?;
    driver.block_on(async {
        let open = OpenAt {
            dirfd: libc::AT_FDCWD,
            path,
            flags: libc::O_RDONLY | libc::O_CLOEXEC,
            mode: 0,
        };
        let fd = driver.submit_event(open).await.1? as i32;
        let mut buf = vec![0u8; CHUNK];
        let result = loop {
            let (read, res) = driver
                .submit_event(Read::new(fd, buf, CURRENT_POSITION))
                .await;
            let n = match res {
                Ok(0) => break Ok(()),
                Ok(n) => n as usize,
                Err(e) => break Err(e),
            };
            buf = read.buf;
            let mut done = 0;
            while done < n {
                let chunk = buf[done..n].to_vec();
                let (_, res) = driver
                    .submit_event(Write::new(STDOUT, chunk, CURRENT_POSITION))
                    .await;
                match res {
                    Ok(0) => return Err(Errno::EIO),
                    Ok(w) => done += w as usize,
                    Err(e) => return Err(e),
                }
            }
        };
        // SAFETY: `fd` came from this program's own open and is not used after this.
        driver.submit_event(unsafe { Close::new(fd) }).await.1?;
        result
    })?
}

/// Writes an error line to stderr through the ring.
fn report(prefix: &[u8], e: Errno) {
    let mut line = Vec::from(prefix);
    line.extend_from_slice(e.name().unwrap_or("error").as_bytes());
    line.extend_from_slice(b": ");
    line.extend_from_slice(e.description().as_bytes());
    line.push(b'\n');
    let _ = write_all_blocking(STDERR, &line);
}

/// Writes `bytes` to `fd` with a fresh driver (used for messages when the copy failed).
fn write_all_blocking(fd: i32, bytes: &[u8]) -> Result<(), Errno> {
    let driver = LocalDriver::new(2)?;
    let (_, res) =
        driver.block_on(driver.submit_event(Write::new(fd, bytes.to_vec(), CURRENT_POSITION)))?;
    res.map(|_| ())
}
