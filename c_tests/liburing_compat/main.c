/* SPDX-License-Identifier: MIT */
/*
 * Differential test of the liburing face's header-only SQE side against the
 * system's liburing 2.3: both sides run the same preparer calls on
 * garbage-filled SQEs (cases.h), report the same layout and constant lists,
 * and run the same recvmsg-helper and buffer-ring scenarios; every
 * difference is printed by name. Preparers newer than 2.3 are checked by
 * face.c against written-out values. Exit status 0 only if all match.
 */
#include <stdio.h>
#include <string.h>
#include "common.h"

char g_buf[256];
char g_path1[] = "/tmp/a", g_path2[] = "/tmp/b", g_name[] = "user.x", g_value[] = "v";
struct iovec g_iov[4];
struct msghdr g_msg;
struct sockaddr_storage g_addr;
socklen_t g_addrlen;
struct __kernel_timespec g_ts;
struct open_how g_how;
int g_fds[8];

void fill_garbage(void *sqe)
{
	unsigned char *p = sqe;
	int i;

	for (i = 0; i < 64; i++)
		p[i] = (unsigned char) (0xa5 ^ (i * 29));
}

static const char *const layout_names[] = {
#define S(type) "sizeof(struct " #type ")",
#define F(type, field) "offsetof(" #type ", " #field ")", "sizeof(" #type "." #field ")",
#define A(type, field) "offsetof(" #type ", " #field ")",
#include "layout.h"
#undef S
#undef F
#undef A
};

static const char *const const_names[] = {
#define K(name) #name,
#include "consts.h"
#undef K
};

static struct prep_result face_p[MAX_PREPS], ref_p[MAX_PREPS];
static long face_l[MAX_LAYOUT], ref_l[MAX_LAYOUT];
static long long face_k[MAX_CONSTS], ref_k[MAX_CONSTS];

static int compare_preps(int n)
{
	int bad = 0, i, b;

	for (i = 0; i < n; i++) {
		const unsigned char *f = (const unsigned char *) face_p[i].sqe;
		const unsigned char *r = (const unsigned char *) ref_p[i].sqe;

		if (!memcmp(f, r, 64))
			continue;
		bad++;
		printf("MISMATCH io_uring_prep %s:", face_p[i].name);
		for (b = 0; b < 64; b++)
			if (f[b] != r[b])
				printf(" [%d] face %02x liburing %02x", b, f[b], r[b]);
		printf("\n");
	}
	return bad;
}

static int compare_rings(const struct ring_result *f, const struct ring_result *r)
{
	int bad = 0, i;

	for (i = 0; i < RECVMSG_RESULTS; i++)
		if (f->recvmsg[i] != r->recvmsg[i]) {
			bad++;
			printf("MISMATCH recvmsg helper result %d: face %ld liburing %ld\n", i,
			       f->recvmsg[i], r->recvmsg[i]);
		}
	for (i = 0; i < BUFRING_BYTES; i++)
		if (f->bufring[i] != r->bufring[i]) {
			bad++;
			printf("MISMATCH buf_ring byte %d: face %02x liburing %02x\n", i,
			       f->bufring[i], r->bufring[i]);
		}
	if (f->cq_head != r->cq_head) {
		bad++;
		printf("MISMATCH io_uring_buf_ring_cq_advance CQ head: face %u liburing %u\n",
		       f->cq_head, r->cq_head);
	}
	if (f->cqe_data != r->cqe_data || f->cqe_data64 != r->cqe_data64) {
		bad++;
		printf("MISMATCH io_uring_cqe_get_data(64)\n");
	}
	return bad;
}

int main(void)
{
	static struct ring_result face_r, ref_r;
	int n_preps, n_layout, n_consts, n_newer = 0, bad = 0, i;

	n_preps = face_preps(face_p);
	if (ref_preps(ref_p) != n_preps) {
		printf("FAIL: the two sides ran different case lists\n");
		return 1;
	}
	bad += compare_preps(n_preps);

	n_layout = face_layout(face_l);
	if (ref_layout(ref_l) != n_layout || n_layout != (int) (sizeof(layout_names) / sizeof(layout_names[0]))) {
		printf("FAIL: layout lists differ in length\n");
		return 1;
	}
	for (i = 0; i < n_layout; i++)
		if (face_l[i] != ref_l[i]) {
			bad++;
			printf("MISMATCH %s: face %ld liburing %ld\n", layout_names[i], face_l[i],
			       ref_l[i]);
		}

	n_consts = face_consts(face_k);
	if (ref_consts(ref_k) != n_consts) {
		printf("FAIL: constant lists differ in length\n");
		return 1;
	}
	for (i = 0; i < n_consts; i++)
		if (face_k[i] != ref_k[i]) {
			bad++;
			printf("MISMATCH %s: face %#llx liburing %#llx\n", const_names[i],
			       face_k[i], ref_k[i]);
		}

	face_rings(&face_r);
	ref_rings(&ref_r);
	bad += compare_rings(&face_r, &ref_r);

	bad += face_newer(&n_newer);

	printf("liburing-prep: %d preparer cases, %d layout items, %d constants, "
	       "recvmsg/buf_ring scenarios compared with liburing 2.3; "
	       "%d newer-than-2.3 checks: %s\n",
	       n_preps, n_layout, n_consts, n_newer, bad ? "FAILED" : "all match");
	if (bad)
		printf("liburing-prep: %d mismatches\n", bad);
	return bad ? 1 : 0;
}
