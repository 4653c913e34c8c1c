//! ABI items used by the opcode preparers (structures and constants beyond the core ring ABI).
