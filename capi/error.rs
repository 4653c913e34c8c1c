//! `ringcore_strerror`: error numbers as text.

use crate::panic::boundary;
use core::ffi::{c_char, c_int};
use rc::Errno;
use std::ffi::CString;
use std::sync::OnceLock;

/// Errno values with a name in the core crate's table are below this.
const TABLE_LEN: i32 = 134;

fn table() -> &'static [CString] {
    static TABLE: OnceLock<Vec<CString>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0..TABLE_LEN)
            .map(|n| {
                if n == 0 {
                    return c"success".into();
                }
                let errno = Errno::from_raw(n);
                match errno.name() {
                    Some(_) => CString::new(errno.description()).unwrap_or_default(),
                    None => libc_text(n),
                }
            })
            .collect()
    })
}

/// The C library's text for a number the core crate has no name for (Linux leaves 41 and 58
/// unassigned: glibc says "Unknown error 41").
fn libc_text(n: i32) -> CString {
    let mut buf = [0u8; 128];
    // SAFETY: `buf` is writable for its whole length, which is what we pass; the XSI
    // `strerror_r` (the one the libc crate binds) writes a NUL-terminated string into it or
    // leaves it as it is (zeroed). For a number it has no name for, glibc writes
    // "Unknown error N" and returns EINVAL, so the text is taken whatever it returns.
    unsafe { libc::strerror_r(n, buf.as_mut_ptr().cast(), buf.len()) };
    match core::ffi::CStr::from_bytes_until_nul(&buf) {
        Ok(text) if !text.is_empty() => text.into(),
        _ => c"unknown error".into(),
    }
}

/// A static, NUL-terminated description of an error number, negative (as ringcore returns
/// them) or positive: `"invalid argument"` for `-EINVAL`, `"success"` for 0. Every number
/// Linux assigns (1 to 133) has its own text; the unassigned 41 and 58 get the C library's,
/// and numbers above 133 `"unknown error"`. Never NULL; the string must not be freed.
#[no_mangle]
pub extern "C" fn ringcore_strerror(err: c_int) -> *const c_char {
    boundary!(c"unknown error".as_ptr(), {
        let n = err.checked_abs().unwrap_or(-1);
        if (0..TABLE_LEN).contains(&n) {
            table()[n as usize].as_ptr()
        } else {
            c"unknown error".as_ptr()
        }
    })
}
