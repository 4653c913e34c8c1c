//! The panic boundary: every exported function runs its body inside [`boundary!`], so a Rust
//! panic becomes an error value instead of unwinding into C (which would abort).

/// The value `int` functions return when a panic was caught: `-ENOTRECOVERABLE`.
pub(crate) const PANICKED: i32 = -libc::ENOTRECOVERABLE;

/// Runs `$body`; on a panic returns `$on_panic` instead.
macro_rules! boundary {
    ($on_panic:expr, $body:block) => {
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body)) {
            Ok(value) => value,
            Err(_) => $on_panic,
        }
    };
}

pub(crate) use boundary;

#[cfg(test)]
mod tests {
    use super::*;

    fn may_panic(fail: bool) -> i32 {
        boundary!(PANICKED, {
            if fail {
                panic!("a bug inside an export");
            }
            7
        })
    }

    #[test]
    fn a_panic_becomes_the_error_value() {
        assert_eq!(may_panic(false), 7);
        assert_eq!(may_panic(true), -libc::ENOTRECOVERABLE);
        let ptr: *const u8 = boundary!(core::ptr::null(), { panic!("pointer export") });
        assert!(ptr.is_null());
    }
}
