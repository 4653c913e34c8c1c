//! Reading completions: CQE flag helpers and the layout of a multishot recvmsg buffer.

use crate::sys::{self, Cqe, CqeFlags, RecvmsgOut};

/// The provided buffer the kernel used for this CQE (`IORING_CQE_F_BUFFER`), if any.
#[inline]
pub fn buffer_id(cqe: &Cqe) -> Option<u16> {
    if cqe.flags & CqeFlags::BUFFER.bits() != 0 {
        Some((cqe.flags >> sys::IORING_CQE_BUFFER_SHIFT) as u16)
    } else {
        None
    }
}

/// `IORING_CQE_F_MORE`: the request is still armed and more CQEs will follow.
#[inline]
pub fn more(cqe: &Cqe) -> bool {
    cqe.flags & CqeFlags::MORE.bits() != 0
}

/// `IORING_CQE_F_NOTIF`: this is a zero-copy send's notification (the buffer is free again).
#[inline]
pub fn is_notif(cqe: &Cqe) -> bool {
    cqe.flags & CqeFlags::NOTIF.bits() != 0
}

/// `IORING_CQE_F_SOCK_NONEMPTY`: the socket still had data after this receive.
#[inline]
pub fn sock_nonempty(cqe: &Cqe) -> bool {
    cqe.flags & CqeFlags::SOCK_NONEMPTY.bits() != 0
}

/// `IORING_CQE_F_BUF_MORE`: an incrementally consumed buffer stays in use for more data.
#[inline]
pub fn buf_more(cqe: &Cqe) -> bool {
    cqe.flags & CqeFlags::BUF_MORE.bits() != 0
}

/// A notification CQE's result says the data was copied instead of sent zero-copy
/// (`IORING_NOTIF_USAGE_ZC_COPIED`, with `IORING_SEND_ZC_REPORT_USAGE`).
#[inline]
pub fn notif_copied(cqe: &Cqe) -> bool {
    cqe.res as u32 & sys::IORING_NOTIF_USAGE_ZC_COPIED != 0
}

/// The parts of a buffer filled by a multishot recvmsg: an [`RecvmsgOut`] header, then the
/// source address, the control data and the payload, each in its own slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecvMsgOutView<'a> {
    /// The header as the kernel wrote it.
    pub header: RecvmsgOut,
    /// The source address (up to the `msg_namelen` given in the request's `msghdr`).
    pub name: &'a [u8],
    /// The control messages the kernel wrote.
    pub control: &'a [u8],
    /// The payload bytes that fit in the buffer.
    pub payload: &'a [u8],
    /// The address was longer than the room reserved for it.
    pub name_truncated: bool,
    /// The payload was longer than the buffer (`payloadlen` exceeds what is in `payload`).
    pub payload_truncated: bool,
}

impl<'a> RecvMsgOutView<'a> {
    /// Splits `buf`, the provided buffer of one multishot recvmsg CQE (its first `cqe.res`
    /// bytes), given the `msg_namelen` and `msg_controllen` of the `msghdr` passed with the
    /// request. `None` when `buf` is too short for the header and the reserved room.
    pub fn parse(buf: &'a [u8], msg_namelen: u32, msg_controllen: u32) -> Option<Self> {
        let hdr_len = core::mem::size_of::<RecvmsgOut>();
        let word = |i: usize| -> Option<u32> {
            let b = buf.get(i * 4..i * 4 + 4)?;
            Some(u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
        };
        let header = RecvmsgOut {
            namelen: word(0)?,
            controllen: word(1)?,
            payloadlen: word(2)?,
            flags: word(3)?,
        };
        let name_room = msg_namelen as usize;
        let control_room = msg_controllen as usize;
        let name_start = hdr_len;
        let control_start = name_start.checked_add(name_room)?;
        let payload_start = control_start.checked_add(control_room)?;
        if payload_start > buf.len() {
            return None;
        }
        let name_len = (header.namelen as usize).min(name_room);
        let control_len = (header.controllen as usize).min(control_room);
        let payload_len = (header.payloadlen as usize).min(buf.len() - payload_start);
        Some(RecvMsgOutView {
            header,
            name: &buf[name_start..name_start + name_len],
            control: &buf[control_start..control_start + control_len],
            payload: &buf[payload_start..payload_start + payload_len],
            name_truncated: header.namelen as usize > name_room,
            payload_truncated: header.payloadlen as usize > payload_len,
        })
    }
}
