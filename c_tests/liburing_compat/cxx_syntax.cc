// SPDX-License-Identifier: MIT
// The liburing face must compile as C++ (liburing's own test suite has .cc
// files): this unit includes it and touches each kind of inline it offers.
// Built with -fsyntax-only; nothing runs.
#include <liburing.h>

static unsigned cxx_face_smoke(struct io_uring *ring, struct io_uring_sqe *sqe,
			       struct io_uring_buf_ring *br, struct msghdr *mh, void *buf)
{
	static struct __kernel_timespec ts;
	static struct open_how how;
	static int fds[2];
	unsigned head;

	io_uring_prep_nop(sqe);
	io_uring_prep_read(sqe, 0, buf, 16, 0);
	io_uring_prep_readv_fixed(sqe, 0, 0, 0, 0, 0, 0);
	io_uring_prep_timeout(sqe, &ts, 1, IORING_TIMEOUT_ABS);
	io_uring_prep_openat2_direct(sqe, AT_FDCWD, "x", &how, IORING_FILE_INDEX_ALLOC);
	io_uring_prep_poll_add(sqe, 0, 1);
	io_uring_prep_cancel(sqe, buf, 0);
	io_uring_prep_cmd_sock(sqe, SOCKET_URING_OP_GETSOCKOPT, 0, 1, 2, buf, 4);
	io_uring_prep_waitid(sqe, P_ALL, 0, 0, WEXITED, 0);
	io_uring_prep_futex_waitv(sqe, 0, 0, 0);
	io_uring_prep_pipe_direct(sqe, fds, 0, 0);
	io_uring_prep_msg_ring_fd_alloc(sqe, 0, 0, 0, 0);
	io_uring_sqe_set_data(sqe, buf);
	io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);

	io_uring_buf_ring_init(br);
	io_uring_buf_ring_add(br, buf, 16, 0, io_uring_buf_ring_mask(8), 0);
	io_uring_buf_ring_advance(br, 1);
	io_uring_buf_ring_cq_advance(ring, br, 1);

	struct io_uring_recvmsg_out *o = io_uring_recvmsg_validate(buf, 64, mh);
	struct cmsghdr *c = o ? io_uring_recvmsg_cmsg_firsthdr(o, mh) : 0;
	if (c)
		c = io_uring_recvmsg_cmsg_nexthdr(o, mh, c);
	head = io_uring_smp_load_acquire(ring->cq.khead);
	io_uring_smp_store_release(ring->cq.khead, head + 1);
	IO_URING_WRITE_ONCE(head, IO_URING_READ_ONCE(head) + 1);
	io_uring_smp_mb();
	return head + (c ? 1u : 0u) + (o ? io_uring_recvmsg_payload_length(o, 64, mh) : 0u);
}

unsigned (*cxx_face_keep)(struct io_uring *, struct io_uring_sqe *, struct io_uring_buf_ring *,
			  struct msghdr *, void *) = cxx_face_smoke;
