//! Generates the C header with cbindgen into `OUT_DIR/ringcore.h` (Cargo's rule: a build script
//! writes only under `OUT_DIR`). `make header` copies it to `include/ringcore.h`, which is
//! committed; `make test-c` fails when the two differ.

use std::env;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=capi");

    let version = |part: &str| env::var(format!("CARGO_PKG_VERSION_{part}")).expect("set by cargo");
    let (major, minor, patch) = (version("MAJOR"), version("MINOR"), version("PATCH"));

    // The shared library's SONAME is libringcore.so.MAJOR: a program linked against it loads
    // any later release with the same major version (`make install` adds the symlinks).
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libringcore.so.{major}");

    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("set by cargo")).join("ringcore.h");
    let mut config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("cbindgen.toml is readable and valid");
    // The version macros come from Cargo.toml's version, like ringcore_version().
    config.after_includes = Some(format!(
        "\n/* The version of this header; ringcore_version() returns the library's. */\n\
         #define RINGCORE_VERSION_MAJOR {major}\n\
         #define RINGCORE_VERSION_MINOR {minor}\n\
         #define RINGCORE_VERSION_PATCH {patch}\n\
         #define RINGCORE_MAKE_VERSION(major, minor, patch) \\\n  \
         (((uint32_t)(major) << 16) | ((uint32_t)(minor) << 8) | (uint32_t)(patch))\n\
         #define RINGCORE_VERSION \\\n  \
         RINGCORE_MAKE_VERSION(RINGCORE_VERSION_MAJOR, RINGCORE_VERSION_MINOR, \
         RINGCORE_VERSION_PATCH)"
    ));
    match cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
    {
        Ok(bindings) => {
            bindings.write_to_file(&out);
        }
        Err(e) => panic!("cbindgen failed to generate the C header: {e}"),
    }
}
