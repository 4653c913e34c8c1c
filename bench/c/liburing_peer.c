/* liburing peers: the benchmark loops written as a liburing user would write them. */
#define _GNU_SOURCE /* pipe2 */
#include "peer.h"

#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Workloads 1 and 2: NOPs in batches of `batch`; check = sum of the user_data reaped. */
int lu_nop(unsigned batch, uint64_t ops, struct bench_outcome *out)
{
	struct io_uring ring;
	int ret = io_uring_queue_init(BENCH_RING_ENTRIES, &ring, 0);
	if (ret < 0)
		return ret;
	uint64_t next = 0, done = 0, check = 0;
	uint64_t start = now_ns();
	while (done < ops) {
		unsigned n = 0;
		while (n < batch && next < ops) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			io_uring_prep_nop(sqe);
			sqe->user_data = next++;
			n++;
		}
		ret = io_uring_submit_and_wait(&ring, n);
		if (ret < 0)
			goto fail;
		struct io_uring_cqe *cqe;
		unsigned head, seen = 0;
		io_uring_for_each_cqe(&ring, head, cqe) {
			if (cqe->res < 0) {
				ret = cqe->res;
				goto fail;
			}
			check += cqe->user_data;
			seen++;
		}
		io_uring_cq_advance(&ring, seen);
		done += seen;
	}
	out->ns = now_ns() - start;
	out->ops = done;
	out->check = check;
	io_uring_queue_exit(&ring);
	return 0;
fail:
	io_uring_queue_exit(&ring);
	return ret;
}

/* Workload 3: 4 KiB reads at random block numbers, BENCH_QD in flight. Each block starts with
 * its own number (little-endian u64); check = sum of the numbers read. */
int lu_randread(int fd, uint64_t blocks, uint64_t ops, struct bench_outcome *out)
{
	struct io_uring ring;
	unsigned char *bufs = aligned_alloc(BENCH_BLOCK, BENCH_QD * BENCH_BLOCK);
	if (!bufs)
		return -ENOMEM;
	int ret = io_uring_queue_init(BENCH_RING_ENTRIES, &ring, 0);
	if (ret < 0) {
		free(bufs);
		return ret;
	}
	uint64_t rng = BENCH_SEED, issued = 0, done = 0, check = 0;
	uint64_t start = now_ns();
	for (unsigned slot = 0; slot < BENCH_QD && issued < ops; slot++, issued++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		uint64_t block = bench_next_random(&rng) % blocks;
		io_uring_prep_read(sqe, fd, bufs + slot * BENCH_BLOCK, BENCH_BLOCK, block * BENCH_BLOCK);
		sqe->user_data = slot;
	}
	while (done < ops) {
		ret = io_uring_submit_and_wait(&ring, 1);
		if (ret < 0)
			goto fail;
		struct io_uring_cqe *cqe;
		unsigned head, seen = 0;
		io_uring_for_each_cqe(&ring, head, cqe) {
			seen++;
			if (cqe->res != (int)BENCH_BLOCK) {
				ret = cqe->res < 0 ? cqe->res : -EIO;
				goto fail;
			}
			unsigned slot = (unsigned)cqe->user_data;
			uint64_t number;
			memcpy(&number, bufs + slot * BENCH_BLOCK, sizeof number);
			check += number;
			done++;
			if (issued < ops) {
				struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
				uint64_t block = bench_next_random(&rng) % blocks;
				io_uring_prep_read(sqe, fd, bufs + slot * BENCH_BLOCK, BENCH_BLOCK,
						   block * BENCH_BLOCK);
				sqe->user_data = slot;
				issued++;
			}
		}
		io_uring_cq_advance(&ring, seen);
	}
	out->ns = now_ns() - start;
	out->ops = done;
	out->check = check;
	io_uring_queue_exit(&ring);
	free(bufs);
	return 0;
fail:
	io_uring_queue_exit(&ring);
	free(bufs);
	return ret;
}

struct echo_conn {
	int fd;
	unsigned len;  /* bytes received, being sent back */
	unsigned sent; /* bytes of them sent so far */
	unsigned char buf[BENCH_ECHO_BUF];
};

/* user_data: connection index << 1, low bit set for a send. */
static void prep_recv(struct io_uring *ring, struct echo_conn *c, unsigned i)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	io_uring_prep_recv(sqe, c->fd, c->buf, BENCH_ECHO_BUF, 0);
	sqe->user_data = (uint64_t)i << 1;
}

static void prep_send(struct io_uring *ring, struct echo_conn *c, unsigned i)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	io_uring_prep_send(sqe, c->fd, c->buf + c->sent, c->len - c->sent, 0);
	sqe->user_data = ((uint64_t)i << 1) | 1;
}

/* Workload 4, server side: echoes on every connection until its peer closes it. Takes ownership
 * of the fds and closes every one of them, also on failure. ops = check = bytes echoed. */
int lu_echo_server(const int *fds, unsigned conns, struct bench_outcome *out)
{
	struct io_uring ring;
	struct echo_conn *cs = calloc(conns, sizeof *cs);
	if (!cs) {
		for (unsigned i = 0; i < conns; i++)
			close(fds[i]);
		return -ENOMEM;
	}
	struct io_uring_params params = { .flags = BENCH_ECHO_SETUP };
	int ret = io_uring_queue_init_params(BENCH_RING_ENTRIES, &ring, &params);
	if (ret < 0) {
		for (unsigned i = 0; i < conns; i++)
			close(fds[i]);
		free(cs);
		return ret;
	}
	uint64_t bytes = 0;
	uint64_t start = now_ns();
	for (unsigned i = 0; i < conns; i++)
		cs[i].fd = fds[i];
	for (unsigned i = 0; i < conns; i++)
		prep_recv(&ring, &cs[i], i);
	unsigned open = conns;
	while (open > 0) {
		ret = io_uring_submit_and_wait(&ring, 1);
		if (ret < 0)
			goto fail;
		struct io_uring_cqe *cqe;
		unsigned head, seen = 0;
		io_uring_for_each_cqe(&ring, head, cqe) {
			seen++;
			unsigned i = (unsigned)(cqe->user_data >> 1);
			struct echo_conn *c = &cs[i];
			if (cqe->res < 0) {
				ret = cqe->res;
				goto fail;
			}
			if (cqe->user_data & 1) {
				c->sent += (unsigned)cqe->res;
				if (c->sent < c->len)
					prep_send(&ring, c, i);
				else
					prep_recv(&ring, c, i);
			} else if (cqe->res == 0) {
				close(c->fd);
				c->fd = -1;
				open--;
			} else {
				c->len = (unsigned)cqe->res;
				c->sent = 0;
				bytes += c->len;
				prep_send(&ring, c, i);
			}
		}
		io_uring_cq_advance(&ring, seen);
	}
	out->ns = now_ns() - start;
	out->ops = bytes;
	out->check = bytes;
	io_uring_queue_exit(&ring);
	free(cs);
	return 0;
fail:
	/* Close what is still open, so that the client sees the end instead of waiting. */
	io_uring_queue_exit(&ring);
	for (unsigned i = 0; i < conns; i++)
		if (cs[i].fd >= 0)
			close(cs[i].fd);
	free(cs);
	return ret;
}

/* Workload 5: BENCH_STORM reads of an empty pipe and as many cancels, one submit, reap all 2 *
 * BENCH_STORM CQEs, buffers reused once both CQEs of their read are in. check = reads that ended
 * -ECANCELED. user_data: a read's slot, or 1 << 32 | slot for its cancel. */
int lu_cancel_storm(uint64_t ops, struct bench_outcome *out)
{
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	static unsigned char bufs[BENCH_STORM][64];
	struct io_uring ring;
	int ret = io_uring_queue_init(BENCH_RING_ENTRIES, &ring, 0);
	if (ret < 0)
		goto close_pipe;
	uint64_t done = 0, check = 0;
	uint64_t start = now_ns();
	while (done < ops) {
		unsigned n = ops - done < BENCH_STORM ? (unsigned)(ops - done) : BENCH_STORM;
		for (unsigned i = 0; i < n; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			io_uring_prep_read(sqe, pipefd[0], bufs[i], sizeof bufs[i], (uint64_t)-1);
			sqe->user_data = i;
		}
		for (unsigned i = 0; i < n; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			io_uring_prep_cancel64(sqe, i, 0);
			sqe->user_data = (1ull << 32) | i;
		}
		unsigned want = 2 * n;
		while (want > 0) {
			ret = io_uring_submit_and_wait(&ring, 1);
			if (ret < 0)
				goto exit_ring;
			struct io_uring_cqe *cqe;
			unsigned head, seen = 0;
			io_uring_for_each_cqe(&ring, head, cqe) {
				seen++;
				if (cqe->user_data >> 32) {
					if (cqe->res != 0) {
						ret = cqe->res < 0 ? cqe->res : -EIO;
						goto exit_ring;
					}
				} else if (cqe->res == -ECANCELED) {
					check++;
				} else {
					ret = cqe->res < 0 ? cqe->res : -EIO;
					goto exit_ring;
				}
			}
			io_uring_cq_advance(&ring, seen);
			want -= seen;
		}
		done += n;
	}
	out->ns = now_ns() - start;
	out->ops = done;
	out->check = check;
	ret = 0;
exit_ring:
	io_uring_queue_exit(&ring);
close_pipe:
	close(pipefd[0]);
	close(pipefd[1]);
	return ret;
}
