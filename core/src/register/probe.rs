//! Which opcodes the running kernel supports (`IORING_REGISTER_PROBE`).

use crate::error::Errno;
use crate::ring::Ring;
use crate::sys::{self, Opcode};

/// The kernel's answer to a probe: one entry per opcode it knows.
#[derive(Clone, Copy, Debug)]
pub struct Probe(sys::Probe);

impl Probe {
    /// Whether the kernel supports opcode `op`.
    pub fn is_supported(&self, op: Opcode) -> bool {
        let h = &self.0.header;
        op <= h.last_op
            && usize::from(op) < usize::from(h.ops_len)
            && self.0.ops[usize::from(op)].flags & sys::IO_URING_OP_SUPPORTED != 0
    }

    /// The highest opcode the kernel knows.
    pub fn last_op(&self) -> Opcode {
        self.0.header.last_op
    }

    /// The supported opcodes, in order.
    pub fn supported(&self) -> impl Iterator<Item = Opcode> + '_ {
        (0..=self.last_op()).filter(move |&op| self.is_supported(op))
    }

    /// The raw probe as the kernel filled it in.
    pub fn raw(&self) -> &sys::Probe {
        &self.0
    }
}

impl Ring {
    /// Asks the kernel which opcodes it supports.
    ///
    /// # Errors
    /// `EINVAL` on kernels before 5.6; `EFAULT`.
    pub fn probe(&self) -> Result<Probe, Errno> {
        let mut probe = sys::Probe {
            header: sys::ProbeHeader::default(),
            ops: [sys::ProbeOp::default(); 256],
        };
        // SAFETY: `probe` is a zeroed `io_uring_probe` with room for 256 ops, as announced.
        unsafe {
            self.register(
                sys::IORING_REGISTER_PROBE,
                (&mut probe as *mut sys::Probe).cast(),
                probe.ops.len() as u32,
            )
        }?;
        Ok(Probe(probe))
    }
}
