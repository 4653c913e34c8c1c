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
                let text = if n == 0 {
                    "success"
                } else {
                    Errno::from_raw(n).description()
                };
                CString::new(text).unwrap_or_default()
            })
            .collect()
    })
}

/// A static, NUL-terminated description of an error number, negative (as ringcore returns
/// them) or positive: `"invalid argument"` for `-EINVAL`, `"success"` for 0, `"unknown error"`
/// for numbers it does not know. Never NULL; the string must not be freed.
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
