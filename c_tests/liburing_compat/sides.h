/* SPDX-License-Identifier: MIT */
/*
 * The code both test sides run, each against its own <liburing.h>.
 * Included by face.c and ref.c after they define SIDE(name) to prefix the
 * function names, so one text exercises both implementations.
 */
#include <string.h>

int SIDE(preps)(struct prep_result *out)
{
	int n = 0;

#define PREP(nm, ...)                                                   \
	do {                                                            \
		struct io_uring_sqe *sqe = (struct io_uring_sqe *) out[n].sqe; \
		fill_garbage(sqe);                                      \
		__VA_ARGS__;                                            \
		out[n].name = #nm;                                      \
		n++;                                                    \
	} while (0);
#include "cases.h"
#undef PREP
	return n;
}

int SIDE(layout)(long *out)
{
	int n = 0;

#define S(type) out[n++] = (long) sizeof(struct type);
#define F(type, field)                                                  \
	out[n++] = (long) offsetof(struct type, field);                 \
	out[n++] = (long) sizeof(((struct type *) 0)->field);
#define A(type, field) out[n++] = (long) offsetof(struct type, field);
#include "layout.h"
#undef S
#undef F
#undef A
	return n;
}

int SIDE(consts)(long long *out)
{
	int n = 0;

#define K(name) out[n++] = (long long) (name);
#include "consts.h"
#undef K
	return n;
}

/* Offset of p inside base, or -1 for NULL. */
static long SIDE(off)(const void *base, const void *p)
{
	return p ? (long) ((const char *) p - (const char *) base) : -1;
}

/* Lays out a multishot recvmsg buffer: header, 16-byte name, control, payload. */
static void SIDE(recvmsg_buffer)(uint64_t *mem, unsigned controllen, unsigned len1,
				 unsigned len2)
{
	unsigned char *p = (unsigned char *) mem;
	struct io_uring_recvmsg_out *o = (struct io_uring_recvmsg_out *) p;
	struct cmsghdr *c1 = (struct cmsghdr *) (p + sizeof(*o) + 16);
	struct cmsghdr *c2 = (struct cmsghdr *) ((unsigned char *) c1 + CMSG_ALIGN(len1));

	memset(mem, 0xee, 512);
	o->namelen = 16;
	o->controllen = controllen;
	o->payloadlen = 10;
	o->flags = 0;
	c1->cmsg_len = len1;
	c2->cmsg_len = len2;
}

void SIDE(rings)(struct ring_result *out)
{
	static uint64_t mem[64];
	struct msghdr mh;
	struct io_uring_recvmsg_out *o;
	struct cmsghdr *c;
	long *r = out->recvmsg;
	int i = 0;

	memset(out, 0, sizeof(*out));
	memset(&mh, 0, sizeof(mh));
	mh.msg_namelen = 16;
	mh.msg_controllen = 64;

	/* Two whole control messages (24 + 24 of 48 written), 10 payload bytes. */
	SIDE(recvmsg_buffer)(mem, 48, (unsigned) CMSG_LEN(4), (unsigned) CMSG_LEN(8));
	r[i++] = SIDE(off)(mem, io_uring_recvmsg_validate(mem, 106, &mh));
	r[i++] = SIDE(off)(mem, io_uring_recvmsg_validate(mem, 96, &mh));
	r[i++] = SIDE(off)(mem, io_uring_recvmsg_validate(mem, 95, &mh));
	r[i++] = SIDE(off)(mem, io_uring_recvmsg_validate(mem, -1, &mh));
	o = (struct io_uring_recvmsg_out *) mem;
	r[i++] = SIDE(off)(mem, io_uring_recvmsg_name(o));
	c = io_uring_recvmsg_cmsg_firsthdr(o, &mh);
	r[i++] = SIDE(off)(mem, c);
	c = io_uring_recvmsg_cmsg_nexthdr(o, &mh, c);
	r[i++] = SIDE(off)(mem, c);
	r[i++] = SIDE(off)(mem, c ? io_uring_recvmsg_cmsg_nexthdr(o, &mh, c) : NULL);
	r[i++] = SIDE(off)(mem, io_uring_recvmsg_payload(o, &mh));
	r[i++] = (long) io_uring_recvmsg_payload_length(o, 106, &mh);
	r[i++] = (long) io_uring_recvmsg_payload_length(o, 200, &mh);

	/* Less than one header of control data. */
	SIDE(recvmsg_buffer)(mem, 8, (unsigned) CMSG_LEN(4), (unsigned) CMSG_LEN(8));
	r[i++] = SIDE(off)(mem, io_uring_recvmsg_cmsg_firsthdr(o, &mh));

	/* The second message is cut short by controllen. */
	SIDE(recvmsg_buffer)(mem, 40, (unsigned) CMSG_LEN(4), (unsigned) CMSG_LEN(8));
	c = io_uring_recvmsg_cmsg_firsthdr(o, &mh);
	r[i++] = SIDE(off)(mem, c);
	r[i++] = SIDE(off)(mem, io_uring_recvmsg_cmsg_nexthdr(o, &mh, c));

	/* Only the second header fits. */
	SIDE(recvmsg_buffer)(mem, 24 + 16, (unsigned) CMSG_LEN(4), 16);
	c = io_uring_recvmsg_cmsg_firsthdr(o, &mh);
	r[i++] = SIDE(off)(mem, io_uring_recvmsg_cmsg_nexthdr(o, &mh, c));

	/* A first message with a bogus length. */
	SIDE(recvmsg_buffer)(mem, 48, 4, (unsigned) CMSG_LEN(8));
	c = io_uring_recvmsg_cmsg_firsthdr(o, &mh);
	r[i++] = SIDE(off)(mem, io_uring_recvmsg_cmsg_nexthdr(o, &mh, c));

	/* Buffer ring of 8 entries over garbage. */
	{
		static uint64_t ringmem[BUFRING_BYTES / 8];
		struct io_uring_buf_ring *br = (struct io_uring_buf_ring *) ringmem;
		struct io_uring ring;
		unsigned head = 5;
		int mask;

		for (i = 0; i < BUFRING_BYTES / 64; i++)
			fill_garbage((unsigned char *) ringmem + 64 * i);
		memset(&ring, 0, sizeof(ring));
		ring.cq.khead = &head;

		io_uring_buf_ring_init(br);
		mask = io_uring_buf_ring_mask(8);
		io_uring_buf_ring_add(br, g_buf, 100, 1, mask, 0);
		io_uring_buf_ring_add(br, g_buf + 1, 200, 2, mask, 1);
		io_uring_buf_ring_add(br, g_buf + 2, 300, 3, mask, 7);
		io_uring_buf_ring_advance(br, 2);
		io_uring_buf_ring_add(br, g_buf + 3, 400, 4, mask, 0);
		io_uring_buf_ring_cq_advance(&ring, br, 3);
		br->tail = 0xfffe;
		io_uring_buf_ring_add(br, g_buf + 4, 500, 0xffff, mask, 1);
		io_uring_buf_ring_advance(br, 3);
		memcpy(out->bufring, ringmem, BUFRING_BYTES);
		out->cq_head = head;
	}

	/* user_data back from a CQE. */
	{
		struct io_uring_cqe cqe;

		memset(&cqe, 0, sizeof(cqe));
		cqe.user_data = (uintptr_t) (g_buf + 12);
		out->cqe_data = (uintptr_t) io_uring_cqe_get_data(&cqe);
		cqe.user_data = 0xfedcba9876543210ULL;
		out->cqe_data64 = io_uring_cqe_get_data64(&cqe);
	}
}
