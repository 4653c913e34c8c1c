//! The C API of ringcore (`libringcore.a`, `libringcore.so`, `include/ringcore.h`).
//! Thin: pointer checks and conversions over the `ringcore` crate, no logic of its own.
