/* SPDX-License-Identifier: MIT */
/* The face side: include/liburing-compat's <liburing.h>. */
#include <liburing.h>
/* Programs may also include the system's (older) uapi header: it must be a no-op after the face. */
#include <linux/io_uring.h>
#include <stdio.h>
#include <linux/futex.h>
#include "common.h"

/* futex2 flags (linux/futex.h of 6.7+; the system headers may predate them). */
#ifndef FUTEX2_SIZE_U32
#define FUTEX2_SIZE_U32		0x02
#endif
#ifndef FUTEX2_PRIVATE
#define FUTEX2_PRIVATE		FUTEX_PRIVATE_FLAG
#endif

#define SIDE(name) face_##name
#include "sides.h"

/* ---------------------------------------------------------------------
 * Preparers liburing 2.3 lacks, against values written out from the
 * liburing man pages and the kernel ABI.
 * ------------------------------------------------------------------- */

static int failures;
static int checked;

/*
 * What a liburing-2.3-style prep_rw leaves: the given opcode, fd, addr, len
 * and off, user_data as it was, every other field zero.
 */
static void expect_rw(struct io_uring_sqe *e, int op, int fd, const void *addr,
		      unsigned len, __u64 off)
{
	__u64 user_data;

	fill_garbage(e);
	user_data = e->user_data;
	memset(e, 0, sizeof(*e));
	e->user_data = user_data;
	e->opcode = (__u8) op;
	e->fd = fd;
	e->addr = (__u64) (uintptr_t) addr;
	e->len = len;
	e->off = off;
}

/* A garbage-filled SQE for the preparer under test. */
static struct io_uring_sqe *fresh(struct io_uring_sqe *s)
{
	fill_garbage(s);
	return s;
}

static void same(const char *name, const struct io_uring_sqe *got,
		 const struct io_uring_sqe *want)
{
	const unsigned char *g = (const unsigned char *) got;
	const unsigned char *w = (const unsigned char *) want;
	int i;

	checked++;
	if (!memcmp(got, want, sizeof(*got)))
		return;
	failures++;
	printf("MISMATCH %s (newer than 2.3):", name);
	for (i = 0; i < 64; i++)
		if (g[i] != w[i])
			printf(" [%d] got %02x want %02x", i, g[i], w[i]);
	printf("\n");
}

static void newer_preps(void)
{
	struct io_uring_sqe got, e, *sqe;
	const struct sockaddr *sa = (const struct sockaddr *) &g_addr;

	sqe = fresh(&got);
	io_uring_prep_readv_fixed(sqe, 13, g_iov, 3, 0x55, 0x1, 4);
	expect_rw(&e, IORING_OP_READV_FIXED, 13, g_iov, 3, 0x55);
	e.rw_flags = 0x1;
	e.buf_index = 4;
	same("readv_fixed", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_writev_fixed(sqe, 14, g_iov + 1, 2, 0x66, 0x2, 5);
	expect_rw(&e, IORING_OP_WRITEV_FIXED, 14, g_iov + 1, 2, 0x66);
	e.rw_flags = 0x2;
	e.buf_index = 5;
	same("writev_fixed", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_read_multishot(sqe, 5, 4096, 77, 9);
	expect_rw(&e, IORING_OP_READ_MULTISHOT, 5, NULL, 4096, 77);
	e.flags = IOSQE_BUFFER_SELECT;
	e.buf_group = 9;
	same("read_multishot", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_open(sqe, g_path1, O_WRONLY, 0600);
	expect_rw(&e, IORING_OP_OPENAT, AT_FDCWD, g_path1, 0600, 0);
	e.open_flags = O_WRONLY;
	same("open", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_open_direct(sqe, g_path1, O_RDONLY, 0, 3);
	expect_rw(&e, IORING_OP_OPENAT, AT_FDCWD, g_path1, 0, 0);
	e.open_flags = O_RDONLY;
	e.file_index = 4;
	same("open_direct", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_fadvise64(sqe, 26, 0x1000, 0x300000000LL, 4);
	expect_rw(&e, IORING_OP_FADVISE, 26, NULL, 0, 0x1000);
	e.addr = 0x300000000ULL;
	e.fadvise_advice = 4;
	same("fadvise64", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_madvise64(sqe, g_buf, 0x300000000LL, 3);
	expect_rw(&e, IORING_OP_MADVISE, -1, g_buf, 0, 0x300000000ULL);
	e.fadvise_advice = 3;
	same("madvise64", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_send_bundle(sqe, 27, 4096, MSG_WAITALL);
	expect_rw(&e, IORING_OP_SEND, 27, NULL, 4096, 0);
	e.msg_flags = MSG_WAITALL;
	e.ioprio = IORING_RECVSEND_BUNDLE;
	same("send_bundle", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_sendto(sqe, 27, g_buf, 100, MSG_DONTWAIT, sa, 16);
	expect_rw(&e, IORING_OP_SEND, 27, g_buf, 100, 0);
	e.msg_flags = MSG_DONTWAIT;
	e.addr2 = (__u64) (uintptr_t) sa;
	e.addr_len = 16;
	same("sendto", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_sendmsg_zc_fixed(sqe, 16, &g_msg, 0x40, 5);
	expect_rw(&e, IORING_OP_SENDMSG_ZC, 16, &g_msg, 1, 0);
	e.msg_flags = 0x40;
	e.ioprio = IORING_RECVSEND_FIXED_BUF;
	e.buf_index = 5;
	same("sendmsg_zc_fixed", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_bind(sqe, 42, sa, 16);
	expect_rw(&e, IORING_OP_BIND, 42, sa, 0, 16);
	same("bind", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_listen(sqe, 42, 128);
	expect_rw(&e, IORING_OP_LISTEN, 42, NULL, 128, 0);
	same("listen", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_epoll_wait(sqe, 43, (struct epoll_event *) g_buf, 64, 5);
	expect_rw(&e, IORING_OP_EPOLL_WAIT, 43, g_buf, 64, 0);
	e.rw_flags = 5;
	same("epoll_wait", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_msg_ring_cqe_flags(sqe, 40, 7, 0x1234, IORING_MSG_RING_CQE_SKIP, 0x8000);
	expect_rw(&e, IORING_OP_MSG_RING, 40, NULL, 7, 0x1234);
	e.msg_ring_flags = IORING_MSG_RING_FLAGS_PASS | IORING_MSG_RING_CQE_SKIP;
	e.file_index = 0x8000;
	same("msg_ring_cqe_flags", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_msg_ring_fd(sqe, 40, 3, 9, 0x55, 0);
	expect_rw(&e, IORING_OP_MSG_RING, 40, NULL, 0, 0x55);
	e.addr = IORING_MSG_SEND_FD;
	e.addr3 = 3;
	e.file_index = 10;
	same("msg_ring_fd", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_msg_ring_fd_alloc(sqe, 40, 4, 0x56, IORING_MSG_RING_CQE_SKIP);
	expect_rw(&e, IORING_OP_MSG_RING, 40, NULL, 0, 0x56);
	e.addr = IORING_MSG_SEND_FD;
	e.addr3 = 4;
	e.file_index = IORING_FILE_INDEX_ALLOC;
	e.msg_ring_flags = IORING_MSG_RING_CQE_SKIP;
	same("msg_ring_fd_alloc", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_uring_cmd(sqe, 0x1234, 44);
	expect_rw(&e, IORING_OP_URING_CMD, 44, NULL, 0, 0);
	e.cmd_op = 0x1234;
	same("uring_cmd", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_uring_cmd128(sqe, 0x4321, 44);
	expect_rw(&e, IORING_OP_URING_CMD128, 44, NULL, 0, 0);
	e.cmd_op = 0x4321;
	same("uring_cmd128", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_cmd_sock(sqe, SOCKET_URING_OP_SETSOCKOPT, 45, SOL_SOCKET, SO_REUSEADDR,
			       g_buf, 4);
	expect_rw(&e, IORING_OP_URING_CMD, 45, NULL, 0, 0);
	e.cmd_op = SOCKET_URING_OP_SETSOCKOPT;
	e.level = SOL_SOCKET;
	e.optname = SO_REUSEADDR;
	e.optval = (__u64) (uintptr_t) g_buf;
	e.optlen = 4;
	same("cmd_sock", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_cmd_discard(sqe, 46, 0x1000, 0x2000);
	expect_rw(&e, IORING_OP_URING_CMD, 46, NULL, 0, 0);
	e.cmd_op = 0x1200;	/* _IO(0x12, 0) */
	e.addr = 0x1000;
	e.addr3 = 0x2000;
	same("cmd_discard", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_waitid(sqe, P_PID, 1234, (siginfo_t *) g_buf, WEXITED, 0);
	expect_rw(&e, IORING_OP_WAITID, 1234, NULL, P_PID, 0);
	e.file_index = WEXITED;
	e.addr2 = (__u64) (uintptr_t) g_buf;
	same("waitid", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_futex_wake(sqe, (uint32_t *) g_buf, 1, FUTEX_BITSET_MATCH_ANY,
				 FUTEX2_SIZE_U32 | FUTEX2_PRIVATE, 0);
	expect_rw(&e, IORING_OP_FUTEX_WAKE, FUTEX2_SIZE_U32 | FUTEX2_PRIVATE, g_buf, 0, 1);
	e.addr3 = FUTEX_BITSET_MATCH_ANY;
	same("futex_wake", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_futex_wait(sqe, (uint32_t *) g_buf, 7, 0xf0, FUTEX2_SIZE_U32, 0);
	expect_rw(&e, IORING_OP_FUTEX_WAIT, FUTEX2_SIZE_U32, g_buf, 0, 7);
	e.addr3 = 0xf0;
	same("futex_wait", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_futex_waitv(sqe, (struct futex_waitv *) g_buf, 3, 0);
	expect_rw(&e, IORING_OP_FUTEX_WAITV, 0, g_buf, 3, 0);
	same("futex_waitv", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_fixed_fd_install(sqe, 3, IORING_FIXED_FD_NO_CLOEXEC);
	expect_rw(&e, IORING_OP_FIXED_FD_INSTALL, 3, NULL, 0, 0);
	e.flags = IOSQE_FIXED_FILE;
	e.install_fd_flags = IORING_FIXED_FD_NO_CLOEXEC;
	same("fixed_fd_install", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_ftruncate(sqe, 47, 0x123456789LL);
	expect_rw(&e, IORING_OP_FTRUNCATE, 47, NULL, 0, 0x123456789ULL);
	same("ftruncate", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_pipe(sqe, g_fds, O_CLOEXEC);
	expect_rw(&e, IORING_OP_PIPE, 0, g_fds, 0, 0);
	e.pipe_flags = O_CLOEXEC;
	same("pipe", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_pipe_direct(sqe, g_fds, 0, 4);
	expect_rw(&e, IORING_OP_PIPE, 0, g_fds, 0, 0);
	e.file_index = 5;
	same("pipe_direct", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_nop128(sqe);
	expect_rw(&e, IORING_OP_NOP128, -1, NULL, 0, 0);
	same("nop128", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_recv(sqe, 36, NULL, 0, 0);
	io_uring_sqe_set_buf_group(sqe, 7);
	expect_rw(&e, IORING_OP_RECV, 36, NULL, 0, 0);
	e.buf_group = 7;
	same("sqe_set_buf_group", &got, &e);
}

/* The _direct preparers keep IORING_FILE_INDEX_ALLOC (liburing 2.3 stored 0 instead). */
static void alloc_slots(void)
{
	const __u32 alloc = IORING_FILE_INDEX_ALLOC;
	struct io_uring_sqe got, e, *sqe;

	sqe = fresh(&got);
	io_uring_prep_openat_direct(sqe, 26, g_path1, O_RDONLY, 0, IORING_FILE_INDEX_ALLOC);
	expect_rw(&e, IORING_OP_OPENAT, 26, g_path1, 0, 0);
	e.open_flags = O_RDONLY;
	e.file_index = alloc;
	same("openat_direct(ALLOC)", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_openat2_direct(sqe, 37, g_path1, &g_how, IORING_FILE_INDEX_ALLOC);
	expect_rw(&e, IORING_OP_OPENAT2, 37, g_path1, sizeof(g_how), (__u64) (uintptr_t) &g_how);
	e.file_index = alloc;
	same("openat2_direct(ALLOC)", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_accept_direct(sqe, 21, NULL, NULL, 0, IORING_FILE_INDEX_ALLOC);
	expect_rw(&e, IORING_OP_ACCEPT, 21, NULL, 0, 0);
	e.file_index = alloc;
	same("accept_direct(ALLOC)", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_socket_direct(sqe, AF_INET, SOCK_STREAM, 0, IORING_FILE_INDEX_ALLOC, 0);
	expect_rw(&e, IORING_OP_SOCKET, AF_INET, NULL, 0, SOCK_STREAM);
	e.file_index = alloc;
	same("socket_direct(ALLOC)", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_pipe_direct(sqe, g_fds, O_NONBLOCK, IORING_FILE_INDEX_ALLOC);
	expect_rw(&e, IORING_OP_PIPE, 0, g_fds, 0, 0);
	e.pipe_flags = O_NONBLOCK;
	e.file_index = alloc;
	same("pipe_direct(ALLOC)", &got, &e);

	sqe = fresh(&got);
	io_uring_prep_open_direct(sqe, g_path2, 0, 0, IORING_FILE_INDEX_ALLOC);
	expect_rw(&e, IORING_OP_OPENAT, AT_FDCWD, g_path2, 0, 0);
	e.file_index = alloc;
	same("open_direct(ALLOC)", &got, &e);
}

/* __io_uring_buf_ring_cq_advance (newer than 2.3): separate buffer and CQ counts. */
static void buf_ring_split_advance(void)
{
	static uint64_t mem[8];
	struct io_uring_buf_ring *br = (struct io_uring_buf_ring *) mem;
	struct io_uring ring;
	unsigned head = 10;

	checked++;
	memset(&ring, 0, sizeof(ring));
	ring.cq.khead = &head;
	io_uring_buf_ring_init(br);
	__io_uring_buf_ring_cq_advance(&ring, br, 2, 5);
	if (br->tail != 5 || head != 12) {
		failures++;
		printf("MISMATCH __io_uring_buf_ring_cq_advance: tail %u head %u, want 5 and 12\n",
		       br->tail, head);
	}
}

/*
 * Constants newer than liburing 2.3's ABI copy; the values are ringcore's
 * Rust definitions (core/src/sys), which were checked against the kernel.
 */
static void newer_consts(void)
{
	static const struct { const char *name; unsigned long long got, want; } k[] = {
#define W(name, value) { #name, (unsigned long long) (name), (unsigned long long) (value) },
		W(IORING_OP_READ_MULTISHOT, 49) W(IORING_OP_WAITID, 50)
		W(IORING_OP_FUTEX_WAIT, 51) W(IORING_OP_FUTEX_WAKE, 52)
		W(IORING_OP_FUTEX_WAITV, 53) W(IORING_OP_FIXED_FD_INSTALL, 54)
		W(IORING_OP_FTRUNCATE, 55) W(IORING_OP_BIND, 56) W(IORING_OP_LISTEN, 57)
		W(IORING_OP_RECV_ZC, 58) W(IORING_OP_EPOLL_WAIT, 59)
		W(IORING_OP_READV_FIXED, 60) W(IORING_OP_WRITEV_FIXED, 61)
		W(IORING_OP_PIPE, 62) W(IORING_OP_NOP128, 63) W(IORING_OP_URING_CMD128, 64)
		W(IORING_OP_LAST, 65)
		W(IORING_REGISTER_PBUF_STATUS, 26) W(IORING_REGISTER_NAPI, 27)
		W(IORING_UNREGISTER_NAPI, 28) W(IORING_REGISTER_CLOCK, 29)
		W(IORING_REGISTER_CLONE_BUFFERS, 30) W(IORING_REGISTER_SEND_MSG_RING, 31)
		W(IORING_REGISTER_ZCRX_IFQ, 32) W(IORING_REGISTER_RESIZE_RINGS, 33)
		W(IORING_REGISTER_MEM_REGION, 34) W(IORING_REGISTER_QUERY, 35)
		W(IORING_REGISTER_LAST, 36) W(IORING_REGISTER_USE_REGISTERED_RING, 1U << 31)
		W(IORING_SETUP_NO_MMAP, 1 << 14) W(IORING_SETUP_REGISTERED_FD_ONLY, 1 << 15)
		W(IORING_SETUP_NO_SQARRAY, 1 << 16) W(IORING_SETUP_HYBRID_IOPOLL, 1 << 17)
		W(IORING_SETUP_CQE_MIXED, 1 << 18) W(IORING_SETUP_SQE_MIXED, 1 << 19)
		W(IORING_FEAT_REG_REG_RING, 1 << 13) W(IORING_FEAT_RECVSEND_BUNDLE, 1 << 14)
		W(IORING_FEAT_MIN_TIMEOUT, 1 << 15) W(IORING_FEAT_RW_ATTR, 1 << 16)
		W(IORING_FEAT_NO_IOWAIT, 1 << 17)
		W(IORING_ENTER_ABS_TIMER, 1 << 5) W(IORING_ENTER_EXT_ARG_REG, 1 << 6)
		W(IORING_ENTER_NO_IOWAIT, 1 << 7)
		W(IORING_CQE_F_BUF_MORE, 1 << 4) W(IORING_CQE_F_SKIP, 1 << 5)
		W(IORING_CQE_F_32, 1 << 15)
		W(IORING_TIMEOUT_MULTISHOT, 1 << 6) W(IORING_TIMEOUT_IMMEDIATE_ARG, 1 << 7)
		W(IORING_ASYNC_CANCEL_USERDATA, 1 << 4) W(IORING_ASYNC_CANCEL_OP, 1 << 5)
		W(IORING_SEND_ZC_REPORT_USAGE, 1 << 3) W(IORING_RECVSEND_BUNDLE, 1 << 4)
		W(IORING_SEND_VECTORIZED, 1 << 5) W(IORING_NOTIF_USAGE_ZC_COPIED, 1U << 31)
		W(IORING_ACCEPT_DONTWAIT, 1 << 1) W(IORING_ACCEPT_POLL_FIRST, 1 << 2)
		W(IORING_MSG_RING_FLAGS_PASS, 1 << 1) W(IORING_FIXED_FD_NO_CLOEXEC, 1)
		W(IORING_NOP_INJECT_RESULT, 1) W(IORING_NOP_FILE, 1 << 1)
		W(IORING_NOP_FIXED_FILE, 1 << 2) W(IORING_NOP_FIXED_BUFFER, 1 << 3)
		W(IORING_NOP_CQE32, 1 << 5)
		W(IORING_URING_CMD_FIXED, 1)
		W(IORING_OFF_PBUF_RING, 0x80000000ULL) W(IORING_OFF_PBUF_SHIFT, 16)
		W(IORING_OFF_MMAP_MASK, 0xf8000000ULL)
		W(IOU_PBUF_RING_MMAP, 1) W(IOU_PBUF_RING_INC, 2)
		W(IO_URING_NAPI_REGISTER_OP, 0) W(IO_URING_NAPI_STATIC_ADD_ID, 1)
		W(IO_URING_NAPI_STATIC_DEL_ID, 2) W(IO_URING_NAPI_TRACKING_DYNAMIC, 0)
		W(IO_URING_NAPI_TRACKING_STATIC, 1) W(IO_URING_NAPI_TRACKING_INACTIVE, 255)
		W(IORING_REGISTER_SRC_REGISTERED, 1) W(IORING_REGISTER_DST_REPLACE, 2)
		W(SOCKET_URING_OP_SIOCINQ, 0) W(SOCKET_URING_OP_SIOCOUTQ, 1)
		W(SOCKET_URING_OP_GETSOCKOPT, 2) W(SOCKET_URING_OP_SETSOCKOPT, 3)
		W(SOCKET_URING_OP_TX_TIMESTAMP, 4)
		W(BLOCK_URING_CMD_DISCARD, 0x1200)
		W(sizeof(struct io_uring_buf_status), 40)
		W(sizeof(struct io_uring_napi), 16)
		W(sizeof(struct io_uring_clock_register), 16)
		W(sizeof(struct io_uring_clone_buffers), 32)
		W(sizeof(struct io_uring_region_desc), 64)
		W(sizeof(struct io_uring_mem_region_reg), 32)
		W(sizeof(struct io_uring_attr_pi), 32)
		W(sizeof(struct io_uring_reg_wait), 64)
		W(offsetof(struct io_uring_sqe, level), 16)
		W(offsetof(struct io_uring_sqe, optname), 20)
		W(offsetof(struct io_uring_sqe, optlen), 44)
		W(offsetof(struct io_uring_sqe, optval), 48)
		W(offsetof(struct io_uring_sqe, attr_ptr), 48)
		W(offsetof(struct io_uring_sqe, attr_type_mask), 56)
		W(offsetof(struct io_uring_sqe, write_stream), 44)
		W(offsetof(struct io_uring_sqe, zcrx_ifq_idx), 44)
		W(offsetof(struct io_uring_sqe, pipe_flags), 28)
		W(offsetof(struct io_uring_sqe, nop_flags), 28)
		W(offsetof(struct io_uring_sqe, install_fd_flags), 28)
		W(offsetof(struct io_uring_sqe, futex_flags), 28)
		W(offsetof(struct io_uring_sqe, waitid_flags), 28)
		W(offsetof(struct io_uring_sync_cancel_reg, opcode), 32)
		W(offsetof(struct io_uring_buf_reg, flags), 14)
		W(offsetof(struct io_uring_getevents_arg, min_wait_usec), 12)
		W(offsetof(struct io_sqring_offsets, user_addr), 32)
		W(offsetof(struct io_cqring_offsets, user_addr), 32)
#undef W
	};
	size_t i;

	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		checked++;
		if (k[i].got != k[i].want) {
			failures++;
			printf("MISMATCH constant %s = %#llx, want %#llx\n", k[i].name,
			       k[i].got, k[i].want);
		}
	}
}

int face_newer(int *n_checked)
{
	failures = 0;
	checked = 0;
	newer_preps();
	alloc_slots();
	buf_ring_split_advance();
	newer_consts();
	*n_checked = checked;
	return failures;
}
