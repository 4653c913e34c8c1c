//! Restrictions (`IORING_REGISTER_RESTRICTIONS`): which register calls, SQE opcodes and SQE
//! flags a ring allows. They can be set once, on a ring built with
//! [`Builder::r_disabled`](crate::Builder::r_disabled), before [`Ring::enable`].

use super::count;
use crate::error::Errno;
use crate::ring::Ring;
use crate::sys::{self, Opcode, RegisterOp, Restriction, SqeFlags};

impl Restriction {
    /// Allows the `io_uring_register` opcode `op`.
    pub const fn register_op(op: RegisterOp) -> Restriction {
        Restriction::new(sys::IORING_RESTRICTION_REGISTER_OP, op as u8)
    }

    /// Allows SQEs with opcode `op`.
    pub const fn sqe_op(op: Opcode) -> Restriction {
        Restriction::new(sys::IORING_RESTRICTION_SQE_OP, op)
    }

    /// Allows SQE flags `flags` (any SQE flag outside every allowed set is refused).
    pub const fn sqe_flags_allowed(flags: SqeFlags) -> Restriction {
        Restriction::new(sys::IORING_RESTRICTION_SQE_FLAGS_ALLOWED, flags.bits())
    }

    /// Requires SQE flags `flags` on every SQE.
    pub const fn sqe_flags_required(flags: SqeFlags) -> Restriction {
        Restriction::new(sys::IORING_RESTRICTION_SQE_FLAGS_REQUIRED, flags.bits())
    }

    const fn new(opcode: u16, arg: u8) -> Restriction {
        Restriction {
            opcode,
            arg,
            resv: 0,
            resv2: [0; 3],
        }
    }
}

impl Ring {
    /// Installs `restrictions`; everything not allowed is refused once the ring is enabled:
    /// a refused SQE completes with `-EACCES`, a refused register call fails with `EACCES`.
    ///
    /// # Errors
    /// `EBADFD`: the ring is not disabled (build it with `r_disabled`); `EBUSY`: restrictions
    /// were already registered; `EINVAL`: an unknown restriction or opcode.
    pub fn register_restrictions(&self, restrictions: &[Restriction]) -> Result<(), Errno> {
        // SAFETY: `restrictions` is a live array of `len` restriction structs the kernel reads.
        unsafe {
            self.register(
                sys::IORING_REGISTER_RESTRICTIONS,
                restrictions.as_ptr().cast(),
                count(restrictions.len())?,
            )
        }
        .map(|_| ())
    }
}
