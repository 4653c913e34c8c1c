//! [`Errno`]: the kernel's error numbers as a no_std error type.

use core::fmt;

/// An error number from the kernel (a positive `errno` value such as `EINVAL`).
///
/// Syscalls report it directly; a CQE carries it negated in `res` ([`Errno::from_cqe_res`]).
/// `Errno` is a transparent `i32`, so it crosses FFI and fits in registers.
#[repr(transparent)]
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Errno(i32);

impl Errno {
    /// `EPERM`: operation not permitted.
    pub const EPERM: Errno = Errno(1);
    /// `ENOENT`: no such file or directory.
    pub const ENOENT: Errno = Errno(2);
    /// `ESRCH`: no such process.
    pub const ESRCH: Errno = Errno(3);
    /// `EINTR`: interrupted system call.
    pub const EINTR: Errno = Errno(4);
    /// `EIO`: input/output error.
    pub const EIO: Errno = Errno(5);
    /// `ENXIO`: no such device or address.
    pub const ENXIO: Errno = Errno(6);
    /// `E2BIG`: argument list too long.
    pub const E2BIG: Errno = Errno(7);
    /// `ENOEXEC`: exec format error.
    pub const ENOEXEC: Errno = Errno(8);
    /// `EBADF`: bad file descriptor.
    pub const EBADF: Errno = Errno(9);
    /// `ECHILD`: no child processes.
    pub const ECHILD: Errno = Errno(10);
    /// `EAGAIN`: resource temporarily unavailable.
    pub const EAGAIN: Errno = Errno(11);
    /// `ENOMEM`: out of memory.
    pub const ENOMEM: Errno = Errno(12);
    /// `EACCES`: permission denied.
    pub const EACCES: Errno = Errno(13);
    /// `EFAULT`: bad address.
    pub const EFAULT: Errno = Errno(14);
    /// `EBUSY`: device or resource busy.
    pub const EBUSY: Errno = Errno(16);
    /// `EEXIST`: file exists.
    pub const EEXIST: Errno = Errno(17);
    /// `EXDEV`: invalid cross-device link.
    pub const EXDEV: Errno = Errno(18);
    /// `ENODEV`: no such device.
    pub const ENODEV: Errno = Errno(19);
    /// `ENOTDIR`: not a directory.
    pub const ENOTDIR: Errno = Errno(20);
    /// `EISDIR`: is a directory.
    pub const EISDIR: Errno = Errno(21);
    /// `EINVAL`: invalid argument.
    pub const EINVAL: Errno = Errno(22);
    /// `ENFILE`: too many open files in system.
    pub const ENFILE: Errno = Errno(23);
    /// `EMFILE`: too many open files.
    pub const EMFILE: Errno = Errno(24);
    /// `ENOTTY`: inappropriate ioctl for device.
    pub const ENOTTY: Errno = Errno(25);
    /// `EFBIG`: file too large.
    pub const EFBIG: Errno = Errno(27);
    /// `ENOSPC`: no space left on device.
    pub const ENOSPC: Errno = Errno(28);
    /// `ESPIPE`: illegal seek.
    pub const ESPIPE: Errno = Errno(29);
    /// `EROFS`: read-only file system.
    pub const EROFS: Errno = Errno(30);
    /// `EMLINK`: too many links.
    pub const EMLINK: Errno = Errno(31);
    /// `EPIPE`: broken pipe.
    pub const EPIPE: Errno = Errno(32);
    /// `ERANGE`: result out of range.
    pub const ERANGE: Errno = Errno(34);
    /// `EDEADLK`: resource deadlock avoided.
    pub const EDEADLK: Errno = Errno(35);
    /// `ENAMETOOLONG`: file name too long.
    pub const ENAMETOOLONG: Errno = Errno(36);
    /// `ENOSYS`: function not implemented.
    pub const ENOSYS: Errno = Errno(38);
    /// `ENOTEMPTY`: directory not empty.
    pub const ENOTEMPTY: Errno = Errno(39);
    /// `ELOOP`: too many levels of symbolic links.
    pub const ELOOP: Errno = Errno(40);
    /// `ENODATA`: no data available.
    pub const ENODATA: Errno = Errno(61);
    /// `ETIME`: timer expired.
    pub const ETIME: Errno = Errno(62);
    /// `EOVERFLOW`: value too large for defined data type.
    pub const EOVERFLOW: Errno = Errno(75);
    /// `EBADFD`: file descriptor in bad state.
    pub const EBADFD: Errno = Errno(77);
    /// `ENOTSOCK`: socket operation on non-socket.
    pub const ENOTSOCK: Errno = Errno(88);
    /// `EDESTADDRREQ`: destination address required.
    pub const EDESTADDRREQ: Errno = Errno(89);
    /// `EMSGSIZE`: message too long.
    pub const EMSGSIZE: Errno = Errno(90);
    /// `EPROTOTYPE`: protocol wrong type for socket.
    pub const EPROTOTYPE: Errno = Errno(91);
    /// `ENOPROTOOPT`: protocol not available.
    pub const ENOPROTOOPT: Errno = Errno(92);
    /// `EPROTONOSUPPORT`: protocol not supported.
    pub const EPROTONOSUPPORT: Errno = Errno(93);
    /// `EOPNOTSUPP`: operation not supported.
    pub const EOPNOTSUPP: Errno = Errno(95);
    /// `EAFNOSUPPORT`: address family not supported by protocol.
    pub const EAFNOSUPPORT: Errno = Errno(97);
    /// `EADDRINUSE`: address already in use.
    pub const EADDRINUSE: Errno = Errno(98);
    /// `EADDRNOTAVAIL`: cannot assign requested address.
    pub const EADDRNOTAVAIL: Errno = Errno(99);
    /// `ENETDOWN`: network is down.
    pub const ENETDOWN: Errno = Errno(100);
    /// `ENETUNREACH`: network is unreachable.
    pub const ENETUNREACH: Errno = Errno(101);
    /// `ECONNABORTED`: software caused connection abort.
    pub const ECONNABORTED: Errno = Errno(103);
    /// `ECONNRESET`: connection reset by peer.
    pub const ECONNRESET: Errno = Errno(104);
    /// `ENOBUFS`: no buffer space available.
    pub const ENOBUFS: Errno = Errno(105);
    /// `EISCONN`: transport endpoint is already connected.
    pub const EISCONN: Errno = Errno(106);
    /// `ENOTCONN`: transport endpoint is not connected.
    pub const ENOTCONN: Errno = Errno(107);
    /// `ETIMEDOUT`: connection timed out.
    pub const ETIMEDOUT: Errno = Errno(110);
    /// `ECONNREFUSED`: connection refused.
    pub const ECONNREFUSED: Errno = Errno(111);
    /// `EHOSTUNREACH`: no route to host.
    pub const EHOSTUNREACH: Errno = Errno(113);
    /// `EALREADY`: operation already in progress.
    pub const EALREADY: Errno = Errno(114);
    /// `EINPROGRESS`: operation now in progress.
    pub const EINPROGRESS: Errno = Errno(115);
    /// `ECANCELED`: operation canceled.
    pub const ECANCELED: Errno = Errno(125);
    /// `EOWNERDEAD`: owner died.
    pub const EOWNERDEAD: Errno = Errno(130);
    /// `EWOULDBLOCK` is `EAGAIN` on Linux.
    pub const EWOULDBLOCK: Errno = Errno::EAGAIN;
    /// `ENOTSUP` is `EOPNOTSUPP` on Linux.
    pub const ENOTSUP: Errno = Errno::EOPNOTSUPP;

    /// The error with number `raw` (a positive errno value).
    #[inline]
    pub const fn from_raw(raw: i32) -> Errno {
        Errno(raw)
    }

    /// The positive errno value.
    #[inline]
    pub const fn raw(self) -> i32 {
        self.0
    }

    /// The errno the calling thread's last failed libc call left.
    #[inline]
    pub fn last() -> Errno {
        // SAFETY: `__errno_location` returns a valid pointer to the calling thread's errno.
        Errno(unsafe { *libc::__errno_location() })
    }

    /// Turns a CQE result into `Ok(value)` or `Err(errno)`.
    #[inline]
    pub const fn from_cqe_res(res: i32) -> Result<u32, Errno> {
        if res < 0 {
            Err(Errno(-res))
        } else {
            Ok(res as u32)
        }
    }

    /// The symbolic name (`"EINVAL"`), or `None` for a number ringcore has no name for.
    pub fn name(self) -> Option<&'static str> {
        self.entry().map(|(name, _)| name)
    }

    /// A short description (`"invalid argument"`); `"unknown error"` for unnamed numbers.
    pub fn description(self) -> &'static str {
        self.entry().map_or("unknown error", |(_, text)| text)
    }

    fn entry(self) -> Option<(&'static str, &'static str)> {
        Some(match self.0 {
            1 => ("EPERM", "operation not permitted"),
            2 => ("ENOENT", "no such file or directory"),
            3 => ("ESRCH", "no such process"),
            4 => ("EINTR", "interrupted system call"),
            5 => ("EIO", "input/output error"),
            6 => ("ENXIO", "no such device or address"),
            7 => ("E2BIG", "argument list too long"),
            8 => ("ENOEXEC", "exec format error"),
            9 => ("EBADF", "bad file descriptor"),
            10 => ("ECHILD", "no child processes"),
            11 => ("EAGAIN", "resource temporarily unavailable"),
            12 => ("ENOMEM", "out of memory"),
            13 => ("EACCES", "permission denied"),
            14 => ("EFAULT", "bad address"),
            16 => ("EBUSY", "device or resource busy"),
            17 => ("EEXIST", "file exists"),
            18 => ("EXDEV", "invalid cross-device link"),
            19 => ("ENODEV", "no such device"),
            20 => ("ENOTDIR", "not a directory"),
            21 => ("EISDIR", "is a directory"),
            22 => ("EINVAL", "invalid argument"),
            23 => ("ENFILE", "too many open files in system"),
            24 => ("EMFILE", "too many open files"),
            25 => ("ENOTTY", "inappropriate ioctl for device"),
            27 => ("EFBIG", "file too large"),
            28 => ("ENOSPC", "no space left on device"),
            29 => ("ESPIPE", "illegal seek"),
            30 => ("EROFS", "read-only file system"),
            31 => ("EMLINK", "too many links"),
            32 => ("EPIPE", "broken pipe"),
            34 => ("ERANGE", "result out of range"),
            35 => ("EDEADLK", "resource deadlock avoided"),
            36 => ("ENAMETOOLONG", "file name too long"),
            38 => ("ENOSYS", "function not implemented"),
            39 => ("ENOTEMPTY", "directory not empty"),
            40 => ("ELOOP", "too many levels of symbolic links"),
            61 => ("ENODATA", "no data available"),
            62 => ("ETIME", "timer expired"),
            75 => ("EOVERFLOW", "value too large for defined data type"),
            77 => ("EBADFD", "file descriptor in bad state"),
            88 => ("ENOTSOCK", "socket operation on non-socket"),
            89 => ("EDESTADDRREQ", "destination address required"),
            90 => ("EMSGSIZE", "message too long"),
            91 => ("EPROTOTYPE", "protocol wrong type for socket"),
            92 => ("ENOPROTOOPT", "protocol not available"),
            93 => ("EPROTONOSUPPORT", "protocol not supported"),
            95 => ("EOPNOTSUPP", "operation not supported"),
            97 => ("EAFNOSUPPORT", "address family not supported by protocol"),
            98 => ("EADDRINUSE", "address already in use"),
            99 => ("EADDRNOTAVAIL", "cannot assign requested address"),
            100 => ("ENETDOWN", "network is down"),
            101 => ("ENETUNREACH", "network is unreachable"),
            103 => ("ECONNABORTED", "software caused connection abort"),
            104 => ("ECONNRESET", "connection reset by peer"),
            105 => ("ENOBUFS", "no buffer space available"),
            106 => ("EISCONN", "transport endpoint is already connected"),
            107 => ("ENOTCONN", "transport endpoint is not connected"),
            110 => ("ETIMEDOUT", "connection timed out"),
            111 => ("ECONNREFUSED", "connection refused"),
            113 => ("EHOSTUNREACH", "no route to host"),
            114 => ("EALREADY", "operation already in progress"),
            115 => ("EINPROGRESS", "operation now in progress"),
            125 => ("ECANCELED", "operation canceled"),
            130 => ("EOWNERDEAD", "owner died"),
            _ => return None,
        })
    }
}

impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{name}"),
            None => write!(f, "Errno({})", self.0),
        }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{} ({name})", self.description()),
            None => write!(f, "unknown error {}", self.0),
        }
    }
}

impl core::error::Error for Errno {}

#[cfg(feature = "std")]
impl From<Errno> for std::io::Error {
    fn from(e: Errno) -> Self {
        std::io::Error::from_raw_os_error(e.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_values_agree_with_libc() {
        assert_eq!(Errno::EINVAL.raw(), libc::EINVAL);
        assert_eq!(Errno::ECANCELED.raw(), libc::ECANCELED);
        assert_eq!(Errno::ETIME.raw(), libc::ETIME);
        assert_eq!(Errno::ENOBUFS.raw(), libc::ENOBUFS);
        assert_eq!(Errno::EBADFD.raw(), libc::EBADFD);
        assert_eq!(Errno::from_cqe_res(-22), Err(Errno::EINVAL));
        assert_eq!(Errno::from_cqe_res(7), Ok(7));
        assert_eq!(Errno::EINVAL.name(), Some("EINVAL"));
        assert_eq!(Errno::from_raw(4095).name(), None);
    }

    #[cfg(feature = "std")]
    #[test]
    fn display_and_io_error() {
        extern crate std;
        use std::string::ToString;
        assert_eq!(Errno::ETIME.to_string(), "timer expired (ETIME)");
        let io: std::io::Error = Errno::EBADF.into();
        assert_eq!(io.raw_os_error(), Some(libc::EBADF));
    }
}
