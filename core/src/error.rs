//! [`Errno`]: the kernel's error numbers as a no_std error type.

use core::fmt;

/// An error number from the kernel (a positive `errno` value such as `EINVAL`).
///
/// Syscalls report it directly; a CQE carries it negated in `res` ([`Errno::from_cqe_res`]).
/// `Errno` is a transparent `i32`, so it crosses FFI and fits in registers. Every number Linux
/// assigns (1 to 133; 41 and 58 are unassigned) has a constant, a [`name`](Errno::name) and a
/// [`description`](Errno::description).
///
/// ```
/// use ringcore::Errno;
///
/// let e = Errno::from_cqe_res(-71).unwrap_err();
/// assert_eq!(e, Errno::EPROTO);
/// assert_eq!(e.name(), Some("EPROTO"));
/// assert_eq!(e.to_string(), "protocol error (EPROTO)");
/// ```
#[repr(transparent)]
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Errno(i32);

/// One list for the constants, the name and description table and the test against `libc`.
macro_rules! errnos {
    ($($n:literal => $name:ident, $text:literal;)*) => {
        impl Errno {
            $(
                #[doc = concat!("`", stringify!($name), "`: ", $text, ".")]
                pub const $name: Errno = Errno($n);
            )*

            fn entry(self) -> Option<(&'static str, &'static str)> {
                Some(match self.0 {
                    $($n => (stringify!($name), $text),)*
                    _ => return None,
                })
            }
        }

        /// Every named number with the value `libc` gives its name.
        #[cfg(test)]
        const LIBC_VALUES: &[(Errno, i32)] = &[$((Errno::$name, libc::$name),)*];
    };
}

errnos! {
    1 => EPERM, "operation not permitted";
    2 => ENOENT, "no such file or directory";
    3 => ESRCH, "no such process";
    4 => EINTR, "interrupted system call";
    5 => EIO, "input/output error";
    6 => ENXIO, "no such device or address";
    7 => E2BIG, "argument list too long";
    8 => ENOEXEC, "exec format error";
    9 => EBADF, "bad file descriptor";
    10 => ECHILD, "no child processes";
    11 => EAGAIN, "resource temporarily unavailable";
    12 => ENOMEM, "out of memory";
    13 => EACCES, "permission denied";
    14 => EFAULT, "bad address";
    15 => ENOTBLK, "block device required";
    16 => EBUSY, "device or resource busy";
    17 => EEXIST, "file exists";
    18 => EXDEV, "invalid cross-device link";
    19 => ENODEV, "no such device";
    20 => ENOTDIR, "not a directory";
    21 => EISDIR, "is a directory";
    22 => EINVAL, "invalid argument";
    23 => ENFILE, "too many open files in system";
    24 => EMFILE, "too many open files";
    25 => ENOTTY, "inappropriate ioctl for device";
    26 => ETXTBSY, "text file busy";
    27 => EFBIG, "file too large";
    28 => ENOSPC, "no space left on device";
    29 => ESPIPE, "illegal seek";
    30 => EROFS, "read-only file system";
    31 => EMLINK, "too many links";
    32 => EPIPE, "broken pipe";
    33 => EDOM, "numerical argument out of domain";
    34 => ERANGE, "result out of range";
    35 => EDEADLK, "resource deadlock avoided";
    36 => ENAMETOOLONG, "file name too long";
    37 => ENOLCK, "no locks available";
    38 => ENOSYS, "function not implemented";
    39 => ENOTEMPTY, "directory not empty";
    40 => ELOOP, "too many levels of symbolic links";
    42 => ENOMSG, "no message of desired type";
    43 => EIDRM, "identifier removed";
    44 => ECHRNG, "channel number out of range";
    45 => EL2NSYNC, "level 2 not synchronized";
    46 => EL3HLT, "level 3 halted";
    47 => EL3RST, "level 3 reset";
    48 => ELNRNG, "link number out of range";
    49 => EUNATCH, "protocol driver not attached";
    50 => ENOCSI, "no CSI structure available";
    51 => EL2HLT, "level 2 halted";
    52 => EBADE, "invalid exchange";
    53 => EBADR, "invalid request descriptor";
    54 => EXFULL, "exchange full";
    55 => ENOANO, "no anode";
    56 => EBADRQC, "invalid request code";
    57 => EBADSLT, "invalid slot";
    59 => EBFONT, "bad font file format";
    60 => ENOSTR, "device not a stream";
    61 => ENODATA, "no data available";
    62 => ETIME, "timer expired";
    63 => ENOSR, "out of streams resources";
    64 => ENONET, "machine is not on the network";
    65 => ENOPKG, "package not installed";
    66 => EREMOTE, "object is remote";
    67 => ENOLINK, "link has been severed";
    68 => EADV, "advertise error";
    69 => ESRMNT, "srmount error";
    70 => ECOMM, "communication error on send";
    71 => EPROTO, "protocol error";
    72 => EMULTIHOP, "multihop attempted";
    73 => EDOTDOT, "RFS specific error";
    74 => EBADMSG, "bad message";
    75 => EOVERFLOW, "value too large for defined data type";
    76 => ENOTUNIQ, "name not unique on network";
    77 => EBADFD, "file descriptor in bad state";
    78 => EREMCHG, "remote address changed";
    79 => ELIBACC, "cannot access a needed shared library";
    80 => ELIBBAD, "accessing a corrupted shared library";
    81 => ELIBSCN, ".lib section in a.out corrupted";
    82 => ELIBMAX, "attempting to link in too many shared libraries";
    83 => ELIBEXEC, "cannot exec a shared library directly";
    84 => EILSEQ, "invalid or incomplete multibyte or wide character";
    85 => ERESTART, "interrupted system call should be restarted";
    86 => ESTRPIPE, "streams pipe error";
    87 => EUSERS, "too many users";
    88 => ENOTSOCK, "socket operation on non-socket";
    89 => EDESTADDRREQ, "destination address required";
    90 => EMSGSIZE, "message too long";
    91 => EPROTOTYPE, "protocol wrong type for socket";
    92 => ENOPROTOOPT, "protocol not available";
    93 => EPROTONOSUPPORT, "protocol not supported";
    94 => ESOCKTNOSUPPORT, "socket type not supported";
    95 => EOPNOTSUPP, "operation not supported";
    96 => EPFNOSUPPORT, "protocol family not supported";
    97 => EAFNOSUPPORT, "address family not supported by protocol";
    98 => EADDRINUSE, "address already in use";
    99 => EADDRNOTAVAIL, "cannot assign requested address";
    100 => ENETDOWN, "network is down";
    101 => ENETUNREACH, "network is unreachable";
    102 => ENETRESET, "network dropped connection on reset";
    103 => ECONNABORTED, "software caused connection abort";
    104 => ECONNRESET, "connection reset by peer";
    105 => ENOBUFS, "no buffer space available";
    106 => EISCONN, "transport endpoint is already connected";
    107 => ENOTCONN, "transport endpoint is not connected";
    108 => ESHUTDOWN, "cannot send after transport endpoint shutdown";
    109 => ETOOMANYREFS, "too many references: cannot splice";
    110 => ETIMEDOUT, "connection timed out";
    111 => ECONNREFUSED, "connection refused";
    112 => EHOSTDOWN, "host is down";
    113 => EHOSTUNREACH, "no route to host";
    114 => EALREADY, "operation already in progress";
    115 => EINPROGRESS, "operation now in progress";
    116 => ESTALE, "stale file handle";
    117 => EUCLEAN, "structure needs cleaning";
    118 => ENOTNAM, "not a XENIX named type file";
    119 => ENAVAIL, "no XENIX semaphores available";
    120 => EISNAM, "is a named type file";
    121 => EREMOTEIO, "remote I/O error";
    122 => EDQUOT, "disk quota exceeded";
    123 => ENOMEDIUM, "no medium found";
    124 => EMEDIUMTYPE, "wrong medium type";
    125 => ECANCELED, "operation canceled";
    126 => ENOKEY, "required key not available";
    127 => EKEYEXPIRED, "key has expired";
    128 => EKEYREVOKED, "key has been revoked";
    129 => EKEYREJECTED, "key was rejected by service";
    130 => EOWNERDEAD, "owner died";
    131 => ENOTRECOVERABLE, "state not recoverable";
    132 => ERFKILL, "operation not possible due to RF-kill";
    133 => EHWPOISON, "memory page has hardware error";
}

impl Errno {
    /// `EWOULDBLOCK` is `EAGAIN` on Linux.
    pub const EWOULDBLOCK: Errno = Errno::EAGAIN;
    /// `ENOTSUP` is `EOPNOTSUPP` on Linux.
    pub const ENOTSUP: Errno = Errno::EOPNOTSUPP;
    /// `EDEADLOCK` is `EDEADLK` on Linux.
    pub const EDEADLOCK: Errno = Errno::EDEADLK;

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

    /// The symbolic name (`"EINVAL"`), or `None` for a number Linux does not assign.
    pub fn name(self) -> Option<&'static str> {
        self.entry().map(|(name, _)| name)
    }

    /// A short description (`"invalid argument"`); `"unknown error"` for unassigned numbers.
    pub fn description(self) -> &'static str {
        self.entry().map_or("unknown error", |(_, text)| text)
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
        for &(errno, value) in LIBC_VALUES {
            assert_eq!(errno.raw(), value, "{:?}", errno.name());
        }
        assert_eq!(Errno::EWOULDBLOCK.raw(), libc::EWOULDBLOCK);
        assert_eq!(Errno::ENOTSUP.raw(), libc::ENOTSUP);
        assert_eq!(Errno::EDEADLOCK.raw(), libc::EDEADLOCK);
        assert_eq!(Errno::from_cqe_res(-22), Err(Errno::EINVAL));
        assert_eq!(Errno::from_cqe_res(7), Ok(7));
        assert_eq!(Errno::EINVAL.name(), Some("EINVAL"));
        assert_eq!(Errno::from_raw(4095).name(), None);
    }

    /// Linux assigns every number from 1 to 133 except 41 and 58 (`EWOULDBLOCK` and
    /// `EDEADLOCK` are aliases); each has a name and a description.
    #[test]
    fn every_assigned_number_is_named() {
        for n in 1..=133 {
            let e = Errno::from_raw(n);
            if n == 41 || n == 58 {
                assert_eq!(e.name(), None);
                assert_eq!(e.description(), "unknown error");
            } else {
                assert!(e.name().is_some(), "errno {n} has no name");
                assert_ne!(e.description(), "unknown error", "errno {n}");
            }
        }
        assert_eq!(LIBC_VALUES.len(), 131);
        assert_eq!(
            Errno::ENOTRECOVERABLE.description(),
            "state not recoverable"
        );
        assert_eq!(Errno::EHWPOISON.name(), Some("EHWPOISON"));
        assert_eq!(Errno::from_raw(134).name(), None);
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
