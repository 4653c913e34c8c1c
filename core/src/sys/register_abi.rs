//! ABI items used by the registration calls (structures and constants beyond the core ring ABI).
