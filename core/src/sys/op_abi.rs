//! ABI items used by the opcode preparers (structures and constants beyond the core ring ABI).

/// `BLOCK_URING_CMD_DISCARD` (`_IO(0x12, 0)`): the block-device `uring_cmd` that discards a
/// byte range (6.12+).
pub const BLOCK_URING_CMD_DISCARD: u32 = 0x12 << 8;
