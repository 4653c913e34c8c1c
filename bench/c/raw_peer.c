/* The floor: the NOP loop over the raw io_uring syscalls and the mapped rings, no library.
 * Same loop as every other implementation (256-entry ring, batch, submit_and_wait, reap all);
 * the difference between a library's instructions per NOP and this is what the library costs. */
#include "peer.h"

#include <errno.h>
#include <linux/io_uring.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static uint64_t raw_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int raw_nop(unsigned batch, uint64_t ops, struct bench_outcome *out)
{
	struct io_uring_params p;
	memset(&p, 0, sizeof p);
	int fd = (int)syscall(__NR_io_uring_setup, BENCH_RING_ENTRIES, &p);
	if (fd < 0)
		return -errno;
	size_t sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	size_t cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	int single = (p.features & IORING_FEAT_SINGLE_MMAP) != 0;
	if (single && cq_len > sq_len)
		sq_len = cq_len;
	int ret = 0;
	char *sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
			IORING_OFF_SQ_RING);
	char *cq = sq;
	struct io_uring_sqe *sqes = MAP_FAILED;
	if (sq == MAP_FAILED) {
		ret = -errno;
		goto close_fd;
	}
	if (!single) {
		cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
			  IORING_OFF_CQ_RING);
		if (cq == MAP_FAILED) {
			ret = -errno;
			goto unmap;
		}
	}
	size_t sqes_len = p.sq_entries * sizeof(struct io_uring_sqe);
	sqes = mmap(NULL, sqes_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
		    IORING_OFF_SQES);
	if (sqes == MAP_FAILED) {
		ret = -errno;
		goto unmap;
	}
	unsigned *sq_tail = (unsigned *)(sq + p.sq_off.tail);
	unsigned sq_mask = *(unsigned *)(sq + p.sq_off.ring_mask);
	unsigned *array = (unsigned *)(sq + p.sq_off.array);
	unsigned *cq_head = (unsigned *)(cq + p.cq_off.head);
	unsigned *cq_tail = (unsigned *)(cq + p.cq_off.tail);
	unsigned cq_mask = *(unsigned *)(cq + p.cq_off.ring_mask);
	struct io_uring_cqe *cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	for (unsigned i = 0; i < p.sq_entries; i++)
		array[i] = i;

	uint64_t next = 0, done = 0, check = 0;
	unsigned tail = *sq_tail;
	uint64_t start = raw_now_ns();
	while (done < ops) {
		unsigned n = 0;
		/* At most `batch` (<= 32) SQEs are outstanding, so the 256-entry SQ never fills. */
		while (n < batch && next < ops) {
			struct io_uring_sqe *sqe = &sqes[tail & sq_mask];
			memset(sqe, 0, sizeof *sqe);
			sqe->opcode = IORING_OP_NOP;
			sqe->user_data = next++;
			tail++;
			n++;
		}
		__atomic_store_n(sq_tail, tail, __ATOMIC_RELEASE);
		long r;
		do
			r = syscall(__NR_io_uring_enter, fd, n, n, IORING_ENTER_GETEVENTS, NULL, 0);
		while (r < 0 && errno == EINTR);
		if (r < 0) {
			ret = -errno;
			goto unmap;
		}
		unsigned head = *cq_head;
		unsigned end = __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE);
		for (; head != end; head++) {
			struct io_uring_cqe *cqe = &cqes[head & cq_mask];
			if (cqe->res < 0) {
				ret = cqe->res;
				goto unmap;
			}
			check += cqe->user_data;
			done++;
		}
		__atomic_store_n(cq_head, head, __ATOMIC_RELEASE);
	}
	out->ns = raw_now_ns() - start;
	out->ops = done;
	out->check = check;
unmap:
	if (sqes != MAP_FAILED)
		munmap(sqes, sqes_len);
	if (cq != sq && cq != MAP_FAILED)
		munmap(cq, cq_len);
	munmap(sq, sq_len);
close_fd:
	close(fd);
	return ret;
}
