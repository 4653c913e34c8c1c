//! System structures that preparers take pointers to. The header only forward-declares them
//! (`struct sockaddr;` ...), so C code includes the system header that defines each one
//! (`<sys/socket.h>`, `<sys/uio.h>`, `<sys/epoll.h>`, `<sys/stat.h>`, `<linux/openat2.h>`,
//! `<linux/futex.h>`, `<linux/time_types.h>`) and passes its own pointers. On the Rust side
//! they are cast to the `libc` / core crate types, whose layout is the kernel's.

/// `struct sockaddr` (any socket address; pass its length alongside).
pub struct sockaddr {
    _private: [u8; 0],
}

/// `struct msghdr`.
pub struct msghdr {
    _private: [u8; 0],
}

/// `struct iovec`.
pub struct iovec {
    _private: [u8; 0],
}

/// `struct epoll_event`.
pub struct epoll_event {
    _private: [u8; 0],
}

/// `struct statx`.
pub struct statx {
    _private: [u8; 0],
}

/// `struct open_how` (`openat2`).
pub struct open_how {
    _private: [u8; 0],
}

/// `struct futex_waitv`.
pub struct futex_waitv {
    _private: [u8; 0],
}

/// `struct __kernel_timespec` (64-bit seconds and nanoseconds).
pub struct __kernel_timespec {
    _private: [u8; 0],
}
