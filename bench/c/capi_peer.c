/* The C API peer: the NOP and random-read loops written against include/ringcore.h (with its
 * inline fast paths) and linked with libringcore.a, as a C user would. Built by `make bench`
 * into target/release/ringcore-bench-capi; the benchmark driver runs it as
 *   ringcore-bench-capi WORKLOAD OPS [FILE]
 * and reads "ops check ns" from its output, like its own children. */
#define _GNU_SOURCE
#include "peer.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <ringcore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Workloads 1 and 2; check = sum of the user_data reaped. */
static int rc_nop(unsigned batch, uint64_t ops, struct bench_outcome *out)
{
	struct ringcore_ring *ring;
	int ret = ringcore_ring_new(BENCH_RING_ENTRIES, NULL, &ring);
	if (ret < 0)
		return ret;
	struct ringcore_cqe *cqes[BENCH_QD];
	uint64_t next = 0, done = 0, check = 0;
	uint64_t start = now_ns();
	while (done < ops) {
		unsigned n = 0;
		while (n < batch && next < ops) {
			struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
			ringcore_prep_nop(sqe);
			ringcore_sqe_set_data64(sqe, next++);
			n++;
		}
		ret = ringcore_submit_and_wait(ring, n);
		if (ret < 0)
			goto out;
		unsigned got = ringcore_peek_batch_cqe(ring, cqes, BENCH_QD);
		for (unsigned i = 0; i < got; i++) {
			if (cqes[i]->res < 0) {
				ret = cqes[i]->res;
				goto out;
			}
			check += cqes[i]->user_data;
		}
		ringcore_cq_advance(ring, got);
		done += got;
	}
	out->ns = now_ns() - start;
	out->ops = done;
	out->check = check;
	ret = 0;
out:
	ringcore_ring_free(ring);
	return ret;
}

/* Workload 3; check = sum of the block numbers read. */
static int rc_randread(int fd, uint64_t blocks, uint64_t ops, struct bench_outcome *out)
{
	unsigned char *bufs = aligned_alloc(BENCH_BLOCK, BENCH_QD * BENCH_BLOCK);
	if (!bufs)
		return -ENOMEM;
	struct ringcore_ring *ring;
	int ret = ringcore_ring_new(BENCH_RING_ENTRIES, NULL, &ring);
	if (ret < 0) {
		free(bufs);
		return ret;
	}
	struct ringcore_cqe *cqes[BENCH_QD];
	uint64_t rng = BENCH_SEED, issued = 0, done = 0, check = 0;
	uint64_t start = now_ns();
	for (unsigned slot = 0; slot < BENCH_QD && issued < ops; slot++, issued++) {
		struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
		uint64_t block = bench_next_random(&rng) % blocks;
		ringcore_prep_read(sqe, fd, bufs + slot * BENCH_BLOCK, BENCH_BLOCK, block * BENCH_BLOCK);
		ringcore_sqe_set_data64(sqe, slot);
	}
	while (done < ops) {
		ret = ringcore_submit_and_wait(ring, 1);
		if (ret < 0)
			goto out;
		unsigned got = ringcore_peek_batch_cqe(ring, cqes, BENCH_QD);
		for (unsigned i = 0; i < got; i++) {
			if (cqes[i]->res != (int)BENCH_BLOCK) {
				ret = cqes[i]->res < 0 ? cqes[i]->res : -EIO;
				goto out;
			}
			unsigned slot = (unsigned)cqes[i]->user_data;
			uint64_t number;
			memcpy(&number, bufs + slot * BENCH_BLOCK, sizeof number);
			check += number;
			done++;
			if (issued < ops) {
				struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
				uint64_t block = bench_next_random(&rng) % blocks;
				ringcore_prep_read(sqe, fd, bufs + slot * BENCH_BLOCK, BENCH_BLOCK,
						   block * BENCH_BLOCK);
				ringcore_sqe_set_data64(sqe, slot);
				issued++;
			}
		}
		ringcore_cq_advance(ring, got);
	}
	out->ns = now_ns() - start;
	out->ops = done;
	out->check = check;
	ret = 0;
out:
	ringcore_ring_free(ring);
	free(bufs);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s nop32|nop1|randread OPS [FILE]\n", argv[0]);
		return 2;
	}
	uint64_t ops = strtoull(argv[2], NULL, 10);
	struct bench_outcome out = {0, 0, 0};
	int ret;
	if (strcmp(argv[1], "nop32") == 0) {
		ret = rc_nop(32, ops, &out);
	} else if (strcmp(argv[1], "nop1") == 0) {
		ret = rc_nop(1, ops, &out);
	} else if (strcmp(argv[1], "randread") == 0 && argc > 3) {
		int fd = open(argv[3], O_RDONLY | O_CLOEXEC);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) < 0 || st.st_size < (off_t)BENCH_BLOCK) {
			fprintf(stderr, "%s: cannot use %s\n", argv[0], argv[3]);
			return 1;
		}
		ret = rc_randread(fd, (uint64_t)st.st_size / BENCH_BLOCK, ops, &out);
		close(fd);
	} else {
		fprintf(stderr, "%s: this peer does not run %s\n", argv[0], argv[1]);
		return 2;
	}
	if (ret < 0) {
		fprintf(stderr, "%s: %s\n", argv[0], ringcore_strerror(ret));
		return 1;
	}
	printf("%" PRIu64 " %" PRIu64 " %" PRIu64 "\n", out.ops, out.check, out.ns);
	return 0;
}
