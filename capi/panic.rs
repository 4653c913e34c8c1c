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
