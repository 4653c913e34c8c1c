/* SPDX-License-Identifier: MIT */
/*
 * ringcore's liburing-compatible face: the kernel's io_uring user ABI.
 *
 * Names, numbers and layouts are the kernel's (include/uapi/linux/io_uring.h,
 * as of Linux 6.18, plus the two 6.19 opcodes ringcore also knows); the text
 * is ringcore's own. Values are pinned against ringcore's Rust definitions
 * (core/src/sys) and against the system's <linux/io_uring.h> by
 * c_tests/liburing_compat.
 *
 * The include guard is the kernel's own, like liburing's copy of this file:
 * a program that also includes <linux/io_uring.h> after this header gets
 * nothing twice. (Including the system's older header *first* hides this
 * one, exactly as it does with liburing.)
 */
#ifndef LINUX_IO_URING_H
#define LINUX_IO_URING_H

#include <linux/fs.h>		/* __kernel_rwf_t, and RWF_* for callers */
#include <linux/types.h>
#include <linux/time_types.h>	/* struct __kernel_timespec */

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------
 * Submission queue entry: 64 bytes (128 with IORING_SETUP_SQE128, where
 * the second half is more command payload after cmd[]).
 * ------------------------------------------------------------------- */
struct io_uring_sqe {
	__u8	opcode;		/* enum io_uring_op */
	__u8	flags;		/* IOSQE_* */
	__u16	ioprio;		/* priority, or per-opcode flags (send/recv/accept) */
	__s32	fd;		/* file, or registered-file index with IOSQE_FIXED_FILE */
	union {			/* bytes 8..15 */
		__u64	off;	/* file offset */
		__u64	addr2;	/* second address (send dest, waitid infop, ...) */
		struct {
			__u32	cmd_op;	/* URING_CMD sub-command */
			__u32	__pad1;
		};
	};
	union {			/* bytes 16..23 */
		__u64	addr;	/* buffer, iovec array, path, ... */
		__u64	splice_off_in;
		struct {
			__u32	level;	/* socket option level */
			__u32	optname;
		};
	};
	__u32	len;		/* byte count, iovec count, or per-opcode value */
	union {			/* bytes 28..31: the opcode's flags word */
		__kernel_rwf_t	rw_flags;
		__u32		fsync_flags;
		__u16		poll_events;	/* 16-bit legacy view */
		__u32		poll32_events;	/* halfword-swapped on big endian */
		__u32		sync_range_flags;
		__u32		msg_flags;
		__u32		timeout_flags;
		__u32		accept_flags;
		__u32		cancel_flags;
		__u32		open_flags;
		__u32		statx_flags;
		__u32		fadvise_advice;
		__u32		splice_flags;
		__u32		rename_flags;
		__u32		unlink_flags;
		__u32		hardlink_flags;
		__u32		xattr_flags;
		__u32		msg_ring_flags;
		__u32		uring_cmd_flags;
		__u32		waitid_flags;
		__u32		futex_flags;
		__u32		install_fd_flags;
		__u32		nop_flags;
		__u32		pipe_flags;
	};
	__u64	user_data;	/* returned untouched in the CQE */
	union {			/* bytes 40..41; packed for the ARM OABI */
		__u16	buf_index;	/* registered buffer */
		__u16	buf_group;	/* provided-buffer group (IOSQE_BUFFER_SELECT) */
	} __attribute__((packed));
	__u16	personality;	/* registered credentials, 0 = the submitter's */
	union {			/* bytes 44..47 */
		__s32	splice_fd_in;
		__u32	file_index;	/* direct-descriptor slot + 1; 0 = none */
		__u32	zcrx_ifq_idx;
		__u32	optlen;
		struct {
			__u16	addr_len;
			__u16	__pad3[1];
		};
		struct {
			__u8	write_stream;
			__u8	__pad4[3];
		};
	};
	union {			/* bytes 48..63 */
		struct {
			__u64	addr3;
			__u64	__pad2[1];
		};
		struct {
			__u64	attr_ptr;	/* struct io_uring_attr_pi * */
			__u64	attr_type_mask;	/* IORING_RW_ATTR_FLAG_* */
		};
		__u64	optval;
		__u8	cmd[0];		/* URING_CMD payload: 16 bytes, 80 in SQE128 */
	};
};

/* sqe->file_index for opcodes that create a direct descriptor: pick a free slot. */
#define IORING_FILE_INDEX_ALLOC		(~0U)

/* Bit numbers of sqe->flags. */
enum io_uring_sqe_flags_bit {
	IOSQE_FIXED_FILE_BIT,
	IOSQE_IO_DRAIN_BIT,
	IOSQE_IO_LINK_BIT,
	IOSQE_IO_HARDLINK_BIT,
	IOSQE_ASYNC_BIT,
	IOSQE_BUFFER_SELECT_BIT,
	IOSQE_CQE_SKIP_SUCCESS_BIT,
};

/* sqe->flags */
#define IOSQE_FIXED_FILE	(1U << IOSQE_FIXED_FILE_BIT)	/* fd is a registered-file index */
#define IOSQE_IO_DRAIN		(1U << IOSQE_IO_DRAIN_BIT)	/* start after all earlier requests */
#define IOSQE_IO_LINK		(1U << IOSQE_IO_LINK_BIT)	/* next SQE waits for this one */
#define IOSQE_IO_HARDLINK	(1U << IOSQE_IO_HARDLINK_BIT)	/* ... even if this one fails */
#define IOSQE_ASYNC		(1U << IOSQE_ASYNC_BIT)		/* always issue from a worker */
#define IOSQE_BUFFER_SELECT	(1U << IOSQE_BUFFER_SELECT_BIT)	/* take a buffer from buf_group */
#define IOSQE_CQE_SKIP_SUCCESS	(1U << IOSQE_CQE_SKIP_SUCCESS_BIT) /* no CQE on success */

/* io_uring_params.flags for io_uring_setup(2) */
#define IORING_SETUP_IOPOLL		(1U << 0)	/* busy-poll completions */
#define IORING_SETUP_SQPOLL		(1U << 1)	/* kernel thread polls the SQ */
#define IORING_SETUP_SQ_AFF		(1U << 2)	/* sq_thread_cpu is valid */
#define IORING_SETUP_CQSIZE		(1U << 3)	/* cq_entries is valid */
#define IORING_SETUP_CLAMP		(1U << 4)	/* clamp sizes to the maximum */
#define IORING_SETUP_ATTACH_WQ		(1U << 5)	/* share wq_fd's async backend */
#define IORING_SETUP_R_DISABLED		(1U << 6)	/* start disabled */
#define IORING_SETUP_SUBMIT_ALL		(1U << 7)	/* keep submitting after an error */
#define IORING_SETUP_COOP_TASKRUN	(1U << 8)	/* no IPI to run completion work */
#define IORING_SETUP_TASKRUN_FLAG	(1U << 9)	/* flag pending work in sq flags */
#define IORING_SETUP_SQE128		(1U << 10)	/* 128-byte SQEs */
#define IORING_SETUP_CQE32		(1U << 11)	/* 32-byte CQEs */
#define IORING_SETUP_SINGLE_ISSUER	(1U << 12)	/* one submitting task */
#define IORING_SETUP_DEFER_TASKRUN	(1U << 13)	/* run work only on GETEVENTS */
#define IORING_SETUP_NO_MMAP		(1U << 14)	/* caller provides ring memory */
#define IORING_SETUP_REGISTERED_FD_ONLY	(1U << 15)	/* return a registered ring index */
#define IORING_SETUP_NO_SQARRAY		(1U << 16)	/* no SQ index array */
#define IORING_SETUP_HYBRID_IOPOLL	(1U << 17)	/* hybrid polling for IOPOLL */
#define IORING_SETUP_CQE_MIXED		(1U << 18)	/* 16- and 32-byte CQEs mixed */
#define IORING_SETUP_SQE_MIXED		(1U << 19)	/* 64- and 128-byte SQEs mixed (6.19) */

/* sqe->opcode */
enum io_uring_op {
	IORING_OP_NOP,
	IORING_OP_READV,
	IORING_OP_WRITEV,
	IORING_OP_FSYNC,
	IORING_OP_READ_FIXED,
	IORING_OP_WRITE_FIXED,
	IORING_OP_POLL_ADD,
	IORING_OP_POLL_REMOVE,
	IORING_OP_SYNC_FILE_RANGE,
	IORING_OP_SENDMSG,
	IORING_OP_RECVMSG,
	IORING_OP_TIMEOUT,
	IORING_OP_TIMEOUT_REMOVE,
	IORING_OP_ACCEPT,
	IORING_OP_ASYNC_CANCEL,
	IORING_OP_LINK_TIMEOUT,
	IORING_OP_CONNECT,
	IORING_OP_FALLOCATE,
	IORING_OP_OPENAT,
	IORING_OP_CLOSE,
	IORING_OP_FILES_UPDATE,
	IORING_OP_STATX,
	IORING_OP_READ,
	IORING_OP_WRITE,
	IORING_OP_FADVISE,
	IORING_OP_MADVISE,
	IORING_OP_SEND,
	IORING_OP_RECV,
	IORING_OP_OPENAT2,
	IORING_OP_EPOLL_CTL,
	IORING_OP_SPLICE,
	IORING_OP_PROVIDE_BUFFERS,
	IORING_OP_REMOVE_BUFFERS,
	IORING_OP_TEE,
	IORING_OP_SHUTDOWN,
	IORING_OP_RENAMEAT,
	IORING_OP_UNLINKAT,
	IORING_OP_MKDIRAT,
	IORING_OP_SYMLINKAT,
	IORING_OP_LINKAT,
	IORING_OP_MSG_RING,
	IORING_OP_FSETXATTR,
	IORING_OP_SETXATTR,
	IORING_OP_FGETXATTR,
	IORING_OP_GETXATTR,
	IORING_OP_SOCKET,
	IORING_OP_URING_CMD,
	IORING_OP_SEND_ZC,
	IORING_OP_SENDMSG_ZC,
	IORING_OP_READ_MULTISHOT,
	IORING_OP_WAITID,
	IORING_OP_FUTEX_WAIT,
	IORING_OP_FUTEX_WAKE,
	IORING_OP_FUTEX_WAITV,
	IORING_OP_FIXED_FD_INSTALL,
	IORING_OP_FTRUNCATE,
	IORING_OP_BIND,
	IORING_OP_LISTEN,
	IORING_OP_RECV_ZC,
	IORING_OP_EPOLL_WAIT,
	IORING_OP_READV_FIXED,
	IORING_OP_WRITEV_FIXED,
	IORING_OP_PIPE,
	IORING_OP_NOP128,	/* 6.19 */
	IORING_OP_URING_CMD128,	/* 6.19 */

	IORING_OP_LAST,		/* one past the newest opcode */
};

/* sqe->uring_cmd_flags (the top 8 bits are the kernel's) */
#define IORING_URING_CMD_FIXED		(1U << 0)	/* buf_index names a registered buffer */
#define IORING_URING_CMD_MULTISHOT	(1U << 1)	/* with IOSQE_BUFFER_SELECT */
#define IORING_URING_CMD_MASK		(IORING_URING_CMD_FIXED | IORING_URING_CMD_MULTISHOT)

/* sqe->fsync_flags */
#define IORING_FSYNC_DATASYNC		(1U << 0)

/* sqe->timeout_flags */
#define IORING_TIMEOUT_ABS		(1U << 0)
#define IORING_TIMEOUT_UPDATE		(1U << 1)
#define IORING_TIMEOUT_BOOTTIME		(1U << 2)
#define IORING_TIMEOUT_REALTIME		(1U << 3)
#define IORING_LINK_TIMEOUT_UPDATE	(1U << 4)
#define IORING_TIMEOUT_ETIME_SUCCESS	(1U << 5)
#define IORING_TIMEOUT_MULTISHOT	(1U << 6)
#define IORING_TIMEOUT_IMMEDIATE_ARG	(1U << 7)
#define IORING_TIMEOUT_CLOCK_MASK	(IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME)
#define IORING_TIMEOUT_UPDATE_MASK	(IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE)

/* sqe->splice_flags: splice(2) flags plus this one */
#define SPLICE_F_FD_IN_FIXED		(1U << 31)	/* splice_fd_in is a registered file */

/* POLL_ADD command flags, carried in sqe->len (the flags word holds the events) */
#define IORING_POLL_ADD_MULTI		(1U << 0)	/* multishot */
#define IORING_POLL_UPDATE_EVENTS	(1U << 1)	/* POLL_REMOVE: update the events */
#define IORING_POLL_UPDATE_USER_DATA	(1U << 2)	/* POLL_REMOVE: update user_data */
#define IORING_POLL_ADD_LEVEL		(1U << 3)	/* level triggered */

/* sqe->cancel_flags, and io_uring_sync_cancel_reg.flags */
#define IORING_ASYNC_CANCEL_ALL		(1U << 0)	/* every match, not the first */
#define IORING_ASYNC_CANCEL_FD		(1U << 1)	/* match on fd */
#define IORING_ASYNC_CANCEL_ANY		(1U << 2)	/* match anything */
#define IORING_ASYNC_CANCEL_FD_FIXED	(1U << 3)	/* the fd is a registered file */
#define IORING_ASYNC_CANCEL_USERDATA	(1U << 4)	/* match on user_data */
#define IORING_ASYNC_CANCEL_OP		(1U << 5)	/* match on opcode */

/* send/recv flags, carried in sqe->ioprio */
#define IORING_RECVSEND_POLL_FIRST	(1U << 0)	/* arm poll before trying */
#define IORING_RECV_MULTISHOT		(1U << 1)
#define IORING_RECVSEND_FIXED_BUF	(1U << 2)	/* buf_index is a registered buffer */
#define IORING_SEND_ZC_REPORT_USAGE	(1U << 3)	/* report copying in the notif CQE */
#define IORING_RECVSEND_BUNDLE		(1U << 4)	/* use several provided buffers */
#define IORING_SEND_VECTORIZED		(1U << 5)	/* addr is an iovec array */

/* Notification CQE res bit with IORING_SEND_ZC_REPORT_USAGE: data was copied. */
#define IORING_NOTIF_USAGE_ZC_COPIED	(1U << 31)

/* accept flags, carried in sqe->ioprio */
#define IORING_ACCEPT_MULTISHOT		(1U << 0)
#define IORING_ACCEPT_DONTWAIT		(1U << 1)
#define IORING_ACCEPT_POLL_FIRST	(1U << 2)

/* MSG_RING command, carried in sqe->addr */
enum io_uring_msg_ring_flags {
	IORING_MSG_DATA,	/* post len as res and off as user_data */
	IORING_MSG_SEND_FD,	/* install a registered file in the target ring */
};

/* sqe->msg_ring_flags */
#define IORING_MSG_RING_CQE_SKIP	(1U << 0)	/* no CQE in the target ring */
#define IORING_MSG_RING_FLAGS_PASS	(1U << 1)	/* file_index is the target CQE's flags */

/* sqe->install_fd_flags */
#define IORING_FIXED_FD_NO_CLOEXEC	(1U << 0)

/* sqe->nop_flags */
#define IORING_NOP_INJECT_RESULT	(1U << 0)	/* complete with sqe->len as res */
#define IORING_NOP_FILE			(1U << 1)	/* look up fd */
#define IORING_NOP_FIXED_FILE		(1U << 2)	/* ... as a registered file */
#define IORING_NOP_FIXED_BUFFER		(1U << 3)	/* import registered buffer buf_index */
#define IORING_NOP_TW			(1U << 4)	/* complete through task work */
#define IORING_NOP_CQE32		(1U << 5)	/* post a 32-byte CQE (CQE_MIXED) */

/* ---------------------------------------------------------------------
 * Completion queue entry: 16 bytes (32 with IORING_SETUP_CQE32).
 * ------------------------------------------------------------------- */
struct io_uring_cqe {
	__u64	user_data;	/* the SQE's user_data */
	__s32	res;		/* result, or -errno */
	__u32	flags;		/* IORING_CQE_F_* */
	__u64	big_cqe[];	/* 16 more bytes in a 32-byte CQE */
};

/* cqe->flags */
#define IORING_CQE_F_BUFFER		(1U << 0)	/* upper 16 bits: buffer id */
#define IORING_CQE_F_MORE		(1U << 1)	/* more CQEs will follow */
#define IORING_CQE_F_SOCK_NONEMPTY	(1U << 2)	/* socket had more data */
#define IORING_CQE_F_NOTIF		(1U << 3)	/* zero-copy notification */
#define IORING_CQE_F_BUF_MORE		(1U << 4)	/* buffer stays in use (incremental) */
#define IORING_CQE_F_SKIP		(1U << 5)	/* padding entry; skip it */
#define IORING_CQE_F_32			(1U << 15)	/* 32-byte CQE in a mixed ring */

enum {
	IORING_CQE_BUFFER_SHIFT		= 16,
};

/* mmap(2) offsets of the ring regions */
#define IORING_OFF_SQ_RING		0ULL
#define IORING_OFF_CQ_RING		0x8000000ULL
#define IORING_OFF_SQES			0x10000000ULL
#define IORING_OFF_PBUF_RING		0x80000000ULL
#define IORING_OFF_PBUF_SHIFT		16
#define IORING_OFF_MMAP_MASK		0xf8000000ULL

/* Byte offsets of the SQ ring's fields, filled in by io_uring_setup(2). */
struct io_sqring_offsets {
	__u32 head;
	__u32 tail;
	__u32 ring_mask;
	__u32 ring_entries;
	__u32 flags;
	__u32 dropped;
	__u32 array;
	__u32 resv1;
	__u64 user_addr;	/* IORING_SETUP_NO_MMAP: the caller's memory */
};

/* sq ring flags word */
#define IORING_SQ_NEED_WAKEUP		(1U << 0)	/* SQPOLL thread sleeps */
#define IORING_SQ_CQ_OVERFLOW		(1U << 1)	/* CQEs wait in the backlog */
#define IORING_SQ_TASKRUN		(1U << 2)	/* completion work is pending */

/* Byte offsets of the CQ ring's fields. */
struct io_cqring_offsets {
	__u32 head;
	__u32 tail;
	__u32 ring_mask;
	__u32 ring_entries;
	__u32 overflow;
	__u32 cqes;
	__u32 flags;
	__u32 resv1;
	__u64 user_addr;
};

/* cq ring flags word */
#define IORING_CQ_EVENTFD_DISABLED	(1U << 0)

/* io_uring_enter(2) flags */
#define IORING_ENTER_GETEVENTS		(1U << 0)
#define IORING_ENTER_SQ_WAKEUP		(1U << 1)
#define IORING_ENTER_SQ_WAIT		(1U << 2)
#define IORING_ENTER_EXT_ARG		(1U << 3)	/* arg is io_uring_getevents_arg */
#define IORING_ENTER_REGISTERED_RING	(1U << 4)	/* fd is a registered ring index */
#define IORING_ENTER_ABS_TIMER		(1U << 5)
#define IORING_ENTER_EXT_ARG_REG	(1U << 6)	/* arg is a registered wait region offset */
#define IORING_ENTER_NO_IOWAIT		(1U << 7)

/* Argument and result of io_uring_setup(2). */
struct io_uring_params {
	__u32 sq_entries;
	__u32 cq_entries;
	__u32 flags;
	__u32 sq_thread_cpu;
	__u32 sq_thread_idle;
	__u32 features;
	__u32 wq_fd;
	__u32 resv[3];
	struct io_sqring_offsets sq_off;
	struct io_cqring_offsets cq_off;
};

/* io_uring_params.features */
#define IORING_FEAT_SINGLE_MMAP		(1U << 0)
#define IORING_FEAT_NODROP		(1U << 1)
#define IORING_FEAT_SUBMIT_STABLE	(1U << 2)
#define IORING_FEAT_RW_CUR_POS		(1U << 3)
#define IORING_FEAT_CUR_PERSONALITY	(1U << 4)
#define IORING_FEAT_FAST_POLL		(1U << 5)
#define IORING_FEAT_POLL_32BITS		(1U << 6)
#define IORING_FEAT_SQPOLL_NONFIXED	(1U << 7)
#define IORING_FEAT_EXT_ARG		(1U << 8)
#define IORING_FEAT_NATIVE_WORKERS	(1U << 9)
#define IORING_FEAT_RSRC_TAGS		(1U << 10)
#define IORING_FEAT_CQE_SKIP		(1U << 11)
#define IORING_FEAT_LINKED_FILE		(1U << 12)
#define IORING_FEAT_REG_REG_RING	(1U << 13)
#define IORING_FEAT_RECVSEND_BUNDLE	(1U << 14)
#define IORING_FEAT_MIN_TIMEOUT		(1U << 15)
#define IORING_FEAT_RW_ATTR		(1U << 16)
#define IORING_FEAT_NO_IOWAIT		(1U << 17)

/* io_uring_register(2) opcodes */
enum io_uring_register_op {
	IORING_REGISTER_BUFFERS			= 0,
	IORING_UNREGISTER_BUFFERS		= 1,
	IORING_REGISTER_FILES			= 2,
	IORING_UNREGISTER_FILES			= 3,
	IORING_REGISTER_EVENTFD			= 4,
	IORING_UNREGISTER_EVENTFD		= 5,
	IORING_REGISTER_FILES_UPDATE		= 6,
	IORING_REGISTER_EVENTFD_ASYNC		= 7,
	IORING_REGISTER_PROBE			= 8,
	IORING_REGISTER_PERSONALITY		= 9,
	IORING_UNREGISTER_PERSONALITY		= 10,
	IORING_REGISTER_RESTRICTIONS		= 11,
	IORING_REGISTER_ENABLE_RINGS		= 12,
	IORING_REGISTER_FILES2			= 13,
	IORING_REGISTER_FILES_UPDATE2		= 14,
	IORING_REGISTER_BUFFERS2		= 15,
	IORING_REGISTER_BUFFERS_UPDATE		= 16,
	IORING_REGISTER_IOWQ_AFF		= 17,
	IORING_UNREGISTER_IOWQ_AFF		= 18,
	IORING_REGISTER_IOWQ_MAX_WORKERS	= 19,
	IORING_REGISTER_RING_FDS		= 20,
	IORING_UNREGISTER_RING_FDS		= 21,
	IORING_REGISTER_PBUF_RING		= 22,
	IORING_UNREGISTER_PBUF_RING		= 23,
	IORING_REGISTER_SYNC_CANCEL		= 24,
	IORING_REGISTER_FILE_ALLOC_RANGE	= 25,
	IORING_REGISTER_PBUF_STATUS		= 26,
	IORING_REGISTER_NAPI			= 27,
	IORING_UNREGISTER_NAPI			= 28,
	IORING_REGISTER_CLOCK			= 29,
	IORING_REGISTER_CLONE_BUFFERS		= 30,
	IORING_REGISTER_SEND_MSG_RING		= 31,
	IORING_REGISTER_ZCRX_IFQ		= 32,
	IORING_REGISTER_RESIZE_RINGS		= 33,
	IORING_REGISTER_MEM_REGION		= 34,
	IORING_REGISTER_QUERY			= 35,

	IORING_REGISTER_LAST,

	/* OR-ed into the opcode: the fd argument is a registered ring index */
	IORING_REGISTER_USE_REGISTERED_RING	= 1U << 31
};

/* io-wq worker classes, the index into IORING_REGISTER_IOWQ_MAX_WORKERS' array */
enum io_wq_type {
	IO_WQ_BOUND,
	IO_WQ_UNBOUND,
};

/* Old name of io_uring_rsrc_update, kept by the kernel. */
struct io_uring_files_update {
	__u32 offset;
	__u32 resv;
	__aligned_u64 /* __s32 * */ fds;
};

/* io_uring_region_desc.flags */
enum {
	IORING_MEM_REGION_TYPE_USER = 1,	/* user_addr is the caller's memory */
};

/* A memory region shared with the kernel. */
struct io_uring_region_desc {
	__u64 user_addr;
	__u64 size;
	__u32 flags;
	__u32 id;
	__u64 mmap_offset;
	__u64 __resv[4];
};

/* io_uring_mem_region_reg.flags */
enum {
	IORING_MEM_REGION_REG_WAIT_ARG = 1,	/* the region holds io_uring_reg_wait entries */
};

/* Argument of IORING_REGISTER_MEM_REGION. */
struct io_uring_mem_region_reg {
	__u64 region_uptr;	/* struct io_uring_region_desc * */
	__u64 flags;
	__u64 __resv[2];
};

/* io_uring_rsrc_register.flags: register nr empty slots */
#define IORING_RSRC_REGISTER_SPARSE	(1U << 0)

/* Argument of IORING_REGISTER_FILES2 / BUFFERS2. */
struct io_uring_rsrc_register {
	__u32 nr;
	__u32 flags;
	__u64 resv2;
	__aligned_u64 data;
	__aligned_u64 tags;
};

struct io_uring_rsrc_update {
	__u32 offset;
	__u32 resv;
	__aligned_u64 data;
};

struct io_uring_rsrc_update2 {
	__u32 offset;
	__u32 resv;
	__aligned_u64 data;
	__aligned_u64 tags;
	__u32 nr;
	__u32 resv2;
};

/* A files update entry with this value leaves the slot as it is. */
#define IORING_REGISTER_FILES_SKIP	(-2)

/* io_uring_probe_op.flags */
#define IO_URING_OP_SUPPORTED	(1U << 0)

struct io_uring_probe_op {
	__u8 op;
	__u8 resv;
	__u16 flags;	/* IO_URING_OP_* */
	__u32 resv2;
};

struct io_uring_probe {
	__u8 last_op;	/* newest opcode the kernel knows */
	__u8 ops_len;	/* entries of ops[] filled in */
	__u16 resv;
	__u32 resv2[3];
	struct io_uring_probe_op ops[];
};

struct io_uring_restriction {
	__u16 opcode;	/* enum io_uring_register_restriction_op */
	union {
		__u8 register_op;	/* IORING_RESTRICTION_REGISTER_OP */
		__u8 sqe_op;		/* IORING_RESTRICTION_SQE_OP */
		__u8 sqe_flags;		/* IORING_RESTRICTION_SQE_FLAGS_* */
	};
	__u8 resv;
	__u32 resv2[3];
};

/* Argument of IORING_REGISTER_CLOCK. */
struct io_uring_clock_register {
	__u32	clockid;
	__u32	__resv[3];
};

/* io_uring_clone_buffers.flags */
enum {
	IORING_REGISTER_SRC_REGISTERED	= (1U << 0),	/* src_fd is a registered ring index */
	IORING_REGISTER_DST_REPLACE	= (1U << 1),	/* replace existing buffers */
};

/* Argument of IORING_REGISTER_CLONE_BUFFERS. */
struct io_uring_clone_buffers {
	__u32	src_fd;
	__u32	flags;
	__u32	src_off;
	__u32	dst_off;
	__u32	nr;
	__u32	pad[3];
};

/* One entry of a provided-buffer ring. */
struct io_uring_buf {
	__u64	addr;
	__u32	len;
	__u16	bid;
	__u16	resv;
};

/*
 * A provided-buffer ring. The ring's tail lives in the resv field of the
 * first entry, so the header costs no extra space: the anonymous struct
 * lays the tail over bufs[0].resv.
 */
struct io_uring_buf_ring {
	union {
		struct {
			__u64	resv1;
			__u32	resv2;
			__u16	resv3;
			__u16	tail;
		};
		struct io_uring_buf	bufs[0];
	};
};

/* io_uring_buf_reg.flags */
enum io_uring_register_pbuf_ring_flags {
	IOU_PBUF_RING_MMAP	= 1,	/* the kernel allocates; mmap at IORING_OFF_PBUF_RING */
	IOU_PBUF_RING_INC	= 2,	/* buffers are consumed incrementally */
};

/* Argument of IORING_(UN)REGISTER_PBUF_RING. */
struct io_uring_buf_reg {
	__u64	ring_addr;
	__u32	ring_entries;
	__u16	bgid;
	__u16	flags;
	__u64	resv[3];
};

/* Argument of IORING_REGISTER_PBUF_STATUS. */
struct io_uring_buf_status {
	__u32	buf_group;	/* in */
	__u32	head;		/* out */
	__u32	resv[8];
};

/* io_uring_napi.opcode */
enum io_uring_napi_op {
	IO_URING_NAPI_REGISTER_OP	= 0,	/* op_param is a tracking strategy */
	IO_URING_NAPI_STATIC_ADD_ID	= 1,	/* op_param is a NAPI id */
	IO_URING_NAPI_STATIC_DEL_ID	= 2,
};

enum io_uring_napi_tracking_strategy {
	IO_URING_NAPI_TRACKING_DYNAMIC	= 0,
	IO_URING_NAPI_TRACKING_STATIC	= 1,
	IO_URING_NAPI_TRACKING_INACTIVE	= 255,
};

/* Argument of IORING_(UN)REGISTER_NAPI. */
struct io_uring_napi {
	__u32	busy_poll_to;
	__u8	prefer_busy_poll;
	__u8	opcode;		/* enum io_uring_napi_op */
	__u8	pad[2];
	__u32	op_param;
	__u32	resv;
};

/* io_uring_restriction.opcode */
enum io_uring_register_restriction_op {
	IORING_RESTRICTION_REGISTER_OP		= 0,	/* allow a register opcode */
	IORING_RESTRICTION_SQE_OP		= 1,	/* allow an SQE opcode */
	IORING_RESTRICTION_SQE_FLAGS_ALLOWED	= 2,	/* SQE flags that may be set */
	IORING_RESTRICTION_SQE_FLAGS_REQUIRED	= 3,	/* SQE flags that must be set */

	IORING_RESTRICTION_LAST
};

/* io_uring_reg_wait.flags */
enum {
	IORING_REG_WAIT_TS		= (1U << 0),	/* ts is valid */
};

/* One wait argument in a registered region (IORING_ENTER_EXT_ARG_REG). */
struct io_uring_reg_wait {
	struct __kernel_timespec	ts;
	__u32				min_wait_usec;
	__u32				flags;
	__u64				sigmask;
	__u32				sigmask_sz;
	__u32				pad[3];
	__u64				pad2[2];
};

/* Argument of io_uring_enter(2) with IORING_ENTER_EXT_ARG. */
struct io_uring_getevents_arg {
	__u64	sigmask;
	__u32	sigmask_sz;
	__u32	min_wait_usec;
	__u64	ts;
};

/* Argument of IORING_REGISTER_SYNC_CANCEL. */
struct io_uring_sync_cancel_reg {
	__u64				addr;
	__s32				fd;
	__u32				flags;
	struct __kernel_timespec	timeout;
	__u8				opcode;
	__u8				pad[7];
	__u64				pad2[3];
};

/* Argument of IORING_REGISTER_FILE_ALLOC_RANGE: slots [off, off + len). */
struct io_uring_file_index_range {
	__u32	off;
	__u32	len;
	__u64	resv;
};

/* Header a multishot recvmsg writes at the start of each buffer. */
struct io_uring_recvmsg_out {
	__u32 namelen;
	__u32 controllen;
	__u32 payloadlen;
	__u32 flags;
};

/* sqe->attr_type_mask: which attributes attr_ptr carries */
#define IORING_RW_ATTR_FLAG_PI	(1U << 0)

/* Protection information attribute of a read or write. */
struct io_uring_attr_pi {
	__u16	flags;
	__u16	app_tag;
	__u32	len;
	__u64	addr;
	__u64	seed;
	__u64	rsvd;
};

/* sqe->cmd_op of IORING_OP_URING_CMD on a socket */
enum io_uring_socket_op {
	SOCKET_URING_OP_SIOCINQ		= 0,
	SOCKET_URING_OP_SIOCOUTQ,
	SOCKET_URING_OP_GETSOCKOPT,
	SOCKET_URING_OP_SETSOCKOPT,
	SOCKET_URING_OP_TX_TIMESTAMP,
};

/* SOCKET_URING_OP_TX_TIMESTAMP completions: 32-byte CQEs whose flags carry these. */
#define IORING_TIMESTAMP_HW_SHIFT	16	/* flag bit: hardware timestamp */
#define IORING_TIMESTAMP_TYPE_SHIFT	(IORING_TIMESTAMP_HW_SHIFT + 1)	/* SCM_TSTAMP_* above it */
#define IORING_CQE_F_TSTAMP_HW		((__u32)1 << IORING_TIMESTAMP_HW_SHIFT)

/* The timestamp in the second half of such a CQE. */
struct io_timespec {
	__u64		tv_sec;
	__u64		tv_nsec;
};

#ifdef __cplusplus
}
#endif

#endif /* LINUX_IO_URING_H */
