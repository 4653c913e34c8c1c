//! Drivers that run events (needs `alloc`).
