//! [`Transfer`]: a read or write of part of an owned `Vec<u8>`, for the buffered std types.

use crate::event::{Cancellation, Event};
use crate::ring::Entry;
use crate::sys;
use alloc::vec::Vec;
use core::mem::ManuallyDrop;

/// How an object's bytes move: which opcodes, and whether it has a file offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A seekable file: `READ`/`WRITE` at the object's cursor.
    File,
    /// A pipe, tty or other stream: `READ`/`WRITE` at the current position.
    Stream,
    /// A stream socket: `RECV`/`SEND` (all of it, without `SIGPIPE`).
    Socket,
}

/// One read or write of `buf[start..start + len]` at `offset`.
///
/// Unlike the public `Read`/`Write` events it works on a sub-range, so the buffered types keep
/// one buffer for good and resume a short write without moving bytes.
#[derive(Debug)]
pub(crate) struct Transfer {
    opcode: u8,
    msg_flags: u32,
    fd: i32,
    offset: u64,
    start: usize,
    len: u32,
    /// The bytes; handed back with the completion.
    pub(crate) buf: Vec<u8>,
}

impl Transfer {
    /// A read into all of `buf` (whose length is its usable size).
    pub(crate) fn read(kind: Kind, fd: i32, buf: Vec<u8>, offset: u64) -> Transfer {
        let (opcode, msg_flags) = match kind {
            Kind::File | Kind::Stream => (sys::IORING_OP_READ, 0),
            Kind::Socket => (sys::IORING_OP_RECV, 0),
        };
        let len = u32::try_from(buf.len()).unwrap_or(u32::MAX);
        Transfer {
            opcode,
            msg_flags,
            fd,
            offset: effective_offset(kind, offset),
            start: 0,
            len,
            buf,
        }
    }

    /// A read into `buf[start..]` (whose length is its usable size), keeping `buf[..start]`.
    pub(crate) fn read_into(
        kind: Kind,
        fd: i32,
        buf: Vec<u8>,
        start: usize,
        offset: u64,
    ) -> Transfer {
        let mut read = Transfer::read(kind, fd, buf, offset);
        read.start = start.min(read.buf.len());
        read.len = u32::try_from(read.buf.len() - read.start).unwrap_or(u32::MAX);
        read
    }

    /// A write of `buf[start..]`.
    pub(crate) fn write(kind: Kind, fd: i32, buf: Vec<u8>, start: usize, offset: u64) -> Transfer {
        let (opcode, msg_flags) = match kind {
            Kind::File | Kind::Stream => (sys::IORING_OP_WRITE, 0),
            Kind::Socket => (
                sys::IORING_OP_SEND,
                (libc::MSG_NOSIGNAL | libc::MSG_WAITALL) as u32,
            ),
        };
        let start = start.min(buf.len());
        let len = u32::try_from(buf.len() - start).unwrap_or(u32::MAX);
        Transfer {
            opcode,
            msg_flags,
            fd,
            offset: effective_offset(kind, offset),
            start,
            len,
            buf,
        }
    }

    /// Where the transfer started in `buf`.
    pub(crate) fn start(&self) -> usize {
        self.start
    }
}

fn effective_offset(kind: Kind, offset: u64) -> u64 {
    match kind {
        Kind::File => offset,
        Kind::Stream => crate::event::events::CURRENT_POSITION,
        // `off` shares its SQE field with `addr2`, which recv/send must leave 0.
        Kind::Socket => 0,
    }
}

impl Event for Transfer {
    #[inline]
    unsafe fn prepare(&mut self, sqe: &mut Entry) {
        sqe.raw.opcode = self.opcode;
        sqe.raw.fd = self.fd;
        // `start <= buf.len()` (the constructors clamp it), so this stays inside the Vec's
        // heap block, which does not move while the event lives.
        sqe.raw.addr.addr = self.buf.as_mut_ptr().wrapping_add(self.start) as u64;
        sqe.raw.len = self.len;
        sqe.raw.off.off = self.offset;
        sqe.raw.op_flags.msg_flags = self.msg_flags;
    }

    unsafe fn cancel(this: &mut ManuallyDrop<Self>) -> Cancellation {
        // SAFETY: called once; the event is not used again (the Event contract).
        let this = unsafe { ManuallyDrop::take(this) };
        Cancellation::from_vec(this.buf)
    }
}
