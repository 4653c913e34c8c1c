//! Compiles the C peers in `c/`: the raw-syscall floor always, the liburing peer when
//! liburing's header is installed (then `cfg(have_liburing)`); without it the bench reports the
//! liburing peer as missing.

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
    let with_liburing = !disabled && (version.is_some() || header);
    let mut build = cc::Build::new();
    build
        .file("c/raw_peer.c")
        .include("c")
        .flag_if_supported("-std=gnu11")
        .warnings(true);
    if with_liburing {
        build.file("c/liburing_peer.c");
    }
    build.compile("ringcore_bench_peers");
    if !with_liburing {
        println!("cargo::warning=liburing-dev not found: the liburing peer is left out");
        return;
    }
    println!("cargo::rustc-link-lib=uring");
    println!("cargo::rustc-cfg=have_liburing");
    println!(
        "cargo::rustc-env=RINGCORE_BENCH_LIBURING_VERSION={}",
        version.unwrap_or_else(|| "?".into())
    );
}
