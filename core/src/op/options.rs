//! SQE modifiers: flags, personality and direct-descriptor slot, applied after a preparer.

use crate::ring::Entry;
use crate::sys::{self, SqeFlags};

/// Modifiers of a prepared SQE. Each sets only its own field or flag bit and returns the SQE,
/// so calls chain: `op::nop(sqe); sqe.link().skip_success().user_data(7);`.
pub trait SqeOptions {
    /// Sets `user_data`, handed back in the CQE.
    fn user_data(&mut self, user_data: u64) -> &mut Self;
    /// Adds `flags` to the SQE's flags.
    fn set_flags(&mut self, flags: SqeFlags) -> &mut Self;
    /// `IOSQE_IO_LINK`: the next SQE starts when this one succeeds; on failure the rest of
    /// the chain completes with `-ECANCELED`.
    fn link(&mut self) -> &mut Self;
    /// `IOSQE_IO_HARDLINK`: like [`link`](Self::link), but the chain goes on after a failure.
    fn hardlink(&mut self) -> &mut Self;
    /// `IOSQE_IO_DRAIN`: starts only after every earlier request has completed.
    fn drain(&mut self) -> &mut Self;
    /// `IOSQE_ASYNC`: always runs in an async worker instead of trying inline first.
    fn force_async(&mut self) -> &mut Self;
    /// `IOSQE_BUFFER_SELECT` with buffer group `group`: the kernel picks the buffer.
    fn buffer_select(&mut self, group: u16) -> &mut Self;
    /// `IOSQE_FIXED_FILE`: the SQE's fd is an index into the registered file table.
    fn fixed_file(&mut self) -> &mut Self;
    /// `IOSQE_CQE_SKIP_SUCCESS`: no CQE unless the request fails.
    fn skip_success(&mut self) -> &mut Self;
    /// Runs the request with the credentials registered as personality `id`.
    fn personality(&mut self, id: u16) -> &mut Self;
    /// Makes an open, accept, socket or pipe create a direct descriptor in registered slot
    /// `slot` instead of a regular fd (`file_index = slot + 1`; `IORING_FILE_INDEX_ALLOC`
    /// passes through).
    fn direct_slot(&mut self, slot: u32) -> &mut Self;
    /// Like [`direct_slot`](Self::direct_slot), letting the kernel pick a free slot
    /// (`IORING_FILE_INDEX_ALLOC`); the CQE's `res` is the slot.
    fn direct_alloc(&mut self) -> &mut Self;
}

impl SqeOptions for Entry {
    #[inline]
    fn user_data(&mut self, user_data: u64) -> &mut Self {
        self.raw.user_data = user_data;
        self
    }

    #[inline]
    fn set_flags(&mut self, flags: SqeFlags) -> &mut Self {
        self.raw.flags |= flags.bits();
        self
    }

    #[inline]
    fn link(&mut self) -> &mut Self {
        self.set_flags(SqeFlags::IO_LINK)
    }

    #[inline]
    fn hardlink(&mut self) -> &mut Self {
        self.set_flags(SqeFlags::IO_HARDLINK)
    }

    #[inline]
    fn drain(&mut self) -> &mut Self {
        self.set_flags(SqeFlags::IO_DRAIN)
    }

    #[inline]
    fn force_async(&mut self) -> &mut Self {
        self.set_flags(SqeFlags::ASYNC)
    }

    #[inline]
    fn buffer_select(&mut self, group: u16) -> &mut Self {
        super::select_buffer(self, group);
        self
    }

    #[inline]
    fn fixed_file(&mut self) -> &mut Self {
        self.set_flags(SqeFlags::FIXED_FILE)
    }

    #[inline]
    fn skip_success(&mut self) -> &mut Self {
        self.set_flags(SqeFlags::CQE_SKIP_SUCCESS)
    }

    #[inline]
    fn personality(&mut self, id: u16) -> &mut Self {
        self.raw.personality = id;
        self
    }

    #[inline]
    fn direct_slot(&mut self, slot: u32) -> &mut Self {
        self.raw.file.file_index = super::slot_index(slot);
        self
    }

    #[inline]
    fn direct_alloc(&mut self) -> &mut Self {
        self.raw.file.file_index = sys::IORING_FILE_INDEX_ALLOC;
        self
    }
}
