//! Compiles the C peers in `c/` when liburing's header is installed, and says so with
//! `cfg(have_liburing)`; without it the bench reports the liburing peer as missing.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(have_liburing)");
    println!("cargo::rerun-if-changed=c");
    println!("cargo::rerun-if-env-changed=RINGCORE_BENCH_NO_LIBURING");

    let version = Command::new("pkg-config")
        .args(["--modversion", "liburing"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let header = Path::new("/usr/include/liburing.h").exists();
    let disabled = std::env::var_os("RINGCORE_BENCH_NO_LIBURING").is_some();
    if disabled || (version.is_none() && !header) {
        println!("cargo::warning=liburing-dev not found: the liburing peer is left out");
        return;
    }
    cc::Build::new()
        .file("c/liburing_peer.c")
        .include("c")
        .flag_if_supported("-std=gnu11")
        .warnings(true)
        .compile("ringcore_bench_peers");
    println!("cargo::rustc-link-lib=uring");
    println!("cargo::rustc-cfg=have_liburing");
    println!(
        "cargo::rustc-env=RINGCORE_BENCH_LIBURING_VERSION={}",
        version.unwrap_or_else(|| "?".into())
    );
}
