//! `ringcore_version`: the library's version at run time, to compare with the header's
//! `RINGCORE_VERSION` (build.rs writes the `RINGCORE_VERSION_*` macros from the package
//! version, so Cargo.toml is the one place the version is set).

/// Parses one component of the package version at compile time.
const fn component(text: &str) -> u32 {
    let bytes = text.as_bytes();
    let mut value = 0u32;
    let mut i = 0;
    while i < bytes.len() {
        assert!(bytes[i].is_ascii_digit(), "a version component is a number");
        value = value * 10 + (bytes[i] - b'0') as u32;
        i += 1;
    }
    assert!(value < 256, "a version component fits in 8 bits");
    value
}

const MAJOR: u32 = component(env!("CARGO_PKG_VERSION_MAJOR"));
const MINOR: u32 = component(env!("CARGO_PKG_VERSION_MINOR"));
const PATCH: u32 = component(env!("CARGO_PKG_VERSION_PATCH"));

/// The version of the library that is running, as `RINGCORE_MAKE_VERSION(major, minor, patch)`
/// encodes it: `(major << 16) | (minor << 8) | patch`. Compare it with `RINGCORE_VERSION`,
/// the version of the header a program was compiled against: with a shared library the two
/// can differ, and the major versions must match.
#[no_mangle]
pub extern "C" fn ringcore_version() -> u32 {
    (MAJOR << 16) | (MINOR << 8) | PATCH
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_matches_the_package() {
        let v = super::ringcore_version();
        let text = format!("{}.{}.{}", v >> 16, (v >> 8) & 0xff, v & 0xff);
        assert_eq!(text, env!("CARGO_PKG_VERSION"));
    }
}
