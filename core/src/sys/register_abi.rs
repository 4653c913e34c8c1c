//! ABI items used by the registration calls (structures and constants beyond the core ring ABI).

/// Most registered ring fds per task (`IO_RINGFD_REG_MAX`).
pub const IO_RINGFD_REG_MAX: u32 = 16;

/// Most entries a provided-buffer ring may have.
pub const IORING_PBUF_MAX_ENTRIES: u32 = 1 << 15;

/// `Napi.opcode`: register with the tracking strategy in `op_param`.
pub const IO_URING_NAPI_REGISTER_OP: u8 = 0;
/// `Napi.opcode`: add the NAPI id in `op_param` (static tracking).
pub const IO_URING_NAPI_STATIC_ADD_ID: u8 = 1;
/// `Napi.opcode`: remove the NAPI id in `op_param` (static tracking).
pub const IO_URING_NAPI_STATIC_DEL_ID: u8 = 2;

/// `Napi.op_param` with `IO_URING_NAPI_REGISTER_OP`: track NAPI ids of polled sockets.
pub const IO_URING_NAPI_TRACKING_DYNAMIC: u32 = 0;
/// `Napi.op_param` with `IO_URING_NAPI_REGISTER_OP`: only ids added explicitly.
pub const IO_URING_NAPI_TRACKING_STATIC: u32 = 1;
/// `Napi.op_param` with `IO_URING_NAPI_REGISTER_OP`: no tracking.
pub const IO_URING_NAPI_TRACKING_INACTIVE: u32 = 255;
