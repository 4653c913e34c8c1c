/* SPDX-License-Identifier: MIT */
/*
 * Shared between the three translation units of the liburing face's
 * differential test:
 *   face.c  built against include/liburing-compat (the face),
 *   ref.c   built against the system's liburing 2.3 headers,
 *   main.c  built against neither; it compares what the two sides report.
 * The same argument objects (the g_* globals, defined in main.c) are used
 * on both sides, so equal preparers give byte-equal SQEs.
 */
#ifndef LIBURING_COMPAT_TEST_COMMON_H
#define LIBURING_COMPAT_TEST_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/time_types.h>
#include <linux/openat2.h>

#define MAX_PREPS	160
#define MAX_LAYOUT	400
#define MAX_CONSTS	200

/* One preparer run: the SQE it left, starting from garbage. */
struct prep_result {
	const char *name;
	uint64_t sqe[8];
};

/* Results of the recvmsg-helper and buffer-ring scenarios. */
#define RECVMSG_RESULTS	24
#define BUFRING_BYTES	(16 * 8)
struct ring_result {
	long recvmsg[RECVMSG_RESULTS];	/* offsets into the buffer, -1 for NULL */
	unsigned char bufring[BUFRING_BYTES];
	unsigned cq_head;
	uint64_t cqe_data64;
	uintptr_t cqe_data;
};

/* Argument objects passed by address to both sides. */
extern char g_buf[256];
extern char g_path1[], g_path2[], g_name[], g_value[];
extern struct iovec g_iov[4];
extern struct msghdr g_msg;
extern struct sockaddr_storage g_addr;
extern socklen_t g_addrlen;
extern struct __kernel_timespec g_ts;
extern struct open_how g_how;
extern int g_fds[8];

/* Fills an SQE (64 bytes) with a pattern no preparer writes by chance. */
void fill_garbage(void *sqe);

/* Each side: run the preparer list (cases.h); returns how many ran. */
int face_preps(struct prep_result *out);
int ref_preps(struct prep_result *out);

/* Each side: layout.h and consts.h values, in list order; returns the count. */
int face_layout(long *out);
int ref_layout(long *out);
int face_consts(long long *out);
int ref_consts(long long *out);

/* Each side: the recvmsg helpers and buffer-ring inlines on fixed scenarios. */
void face_rings(struct ring_result *out);
void ref_rings(struct ring_result *out);

/* The face only: preparers newer than liburing 2.3 and constants newer than
 * its ABI copy, checked against values written out from the man pages and
 * the kernel ABI; returns the number of failures (each one printed). */
int face_newer(int *checked);

#endif
