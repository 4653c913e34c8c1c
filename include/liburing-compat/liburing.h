/*
 * liburing.h: ringcore's liburing-compatible face.
 *
 * A program written for liburing builds unchanged against ringcore with
 *     cc ... -I<ringcore>/include/liburing-compat -I<ringcore>/include ... -lringcore
 * (installed: `pkg-config --cflags --libs ringcore-liburing`). Everything here is a static
 * inline function or a macro over ringcore's C API (ringcore.h): libringcore exports no
 * io_uring_* symbol, so a process may hold a real liburing beside it.
 *
 * The API is liburing 2.3's, with its semantics (argument orders, io_uring_wait_cqe does not
 * submit, waits end with -EINTR on a signal, the ring gets exactly the setup flags asked
 * for), plus the newer calls later liburing programs use most. What is left out, and why, is
 * listed in docs/liburing.md; the calls left out that liburing 2.3 declares return
 * -EOPNOTSUPP rather than do something else.
 *
 * struct io_uring keeps liburing's layout (216 bytes on 64-bit targets). Which fields are live:
 *  - live (pointers into the kernel's shared rings, read them as liburing documents):
 *    sq.khead, sq.ktail, sq.kring_mask, sq.kring_entries, sq.kflags, sq.kdropped, sq.array,
 *    sq.sqes, cq.khead, cq.ktail, cq.kring_mask, cq.kring_entries, cq.kflags, cq.koverflow,
 *    cq.cqes;
 *  - fixed at init: sq/cq.ring_ptr, ring_sz, ring_mask, ring_entries, flags, ring_fd,
 *    features;
 *  - kept up to date by the calls here: enter_ring_fd and int_flags (io_uring_register_ring_fd);
 *  - live, ours: sq.sqe_tail (the next SQE to hand out; submits publish it) and sq.sqe_head
 *    (the tail as last submitted);
 *  - sq's last 8 bytes (liburing's padding) hold ringcore's ring pointer, and cq.pad[0] the
 *    fd ringcore enters through: do not write them. Assigning a duplicate of the ring fd to
 *    ring_fd and enter_ring_fd (and closing the original) is supported, as in liburing.
 */
#ifndef LIB_URING_H
#define LIB_URING_H

/* As liburing's header does: glibc exposes sigset_t, and musl cpu_set_t, only with these. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 500
#endif
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>
#include <linux/swab.h>
#include "liburing/compat.h"
#include "liburing/io_uring.h"
#include "liburing/barrier.h"
#include <ringcore.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- The ring ----------------------------------------------------------------------------- */

struct io_uring_sq {
	unsigned *khead;
	unsigned *ktail;
	unsigned *kring_mask;
	unsigned *kring_entries;
	unsigned *kflags;
	unsigned *kdropped;
	unsigned *array;
	struct io_uring_sqe *sqes;

	unsigned sqe_head;
	unsigned sqe_tail;

	size_t ring_sz;
	void *ring_ptr;

	unsigned ring_mask;
	unsigned ring_entries;

	union {
		unsigned pad[2];
		struct ringcore_ring *ringcore; /* ringcore's ring: the one source of truth */
	};
};

struct io_uring_cq {
	unsigned *khead;
	unsigned *ktail;
	unsigned *kring_mask;
	unsigned *kring_entries;
	unsigned *kflags;
	unsigned *koverflow;
	struct io_uring_cqe *cqes;

	size_t ring_sz;
	void *ring_ptr;

	unsigned ring_mask;
	unsigned ring_entries;

	unsigned pad[2];
};

struct io_uring {
	struct io_uring_sq sq;
	struct io_uring_cq cq;
	unsigned flags;
	int ring_fd;

	unsigned features;
	int enter_ring_fd;
	__u8 int_flags;
	__u8 pad[3];
	unsigned pad2;
};

/* int_flags: the ring fd is registered and enter_ring_fd is its index. */
#define IO_URING_INT_FLAG_REG_RING 1

#if defined(__x86_64__) || defined(__aarch64__)
#ifdef __cplusplus
static_assert(sizeof(struct io_uring) == 216, "struct io_uring has liburing's layout");
#else
_Static_assert(sizeof(struct io_uring) == 216, "struct io_uring has liburing's layout");
_Static_assert(offsetof(struct io_uring, cq) == 104, "struct io_uring has liburing's layout");
_Static_assert(offsetof(struct io_uring, flags) == 192, "struct io_uring has liburing's layout");
_Static_assert(offsetof(struct io_uring, enter_ring_fd) == 204,
	       "struct io_uring has liburing's layout");
#endif
#endif
#ifndef __cplusplus
_Static_assert(sizeof(struct io_uring_sqe) == sizeof(struct ringcore_sqe), "SQE layout");
_Static_assert(sizeof(struct io_uring_cqe) == sizeof(struct ringcore_cqe), "CQE layout");
_Static_assert(sizeof(struct io_uring_params) == sizeof(struct ringcore_params), "params layout");
#endif

/* Library version: the face implements liburing 2.3's API (and newer calls). */
#define IO_URING_VERSION_MAJOR 2
#define IO_URING_VERSION_MINOR 3

#ifndef uring_likely
#define uring_likely(cond) __builtin_expect(!!(cond), 1)
#endif
#ifndef uring_unlikely
#define uring_unlikely(cond) __builtin_expect(!!(cond), 0)
#endif

/* user_data liburing reserves for its own timeout SQEs (ringcore's waits use none). */
#define LIBURING_UDATA_TIMEOUT ((__u64)-1)

#if defined(__GNUC__) || defined(__clang__)
#define IO_URING_RC_INLINE_ static inline __attribute__((always_inline))
#define io_uring_rc_likely_(x) __builtin_expect(!!(x), 1)
#define io_uring_rc_unlikely_(x) __builtin_expect(!!(x), 0)
#else
#define IO_URING_RC_INLINE_ static inline
#define io_uring_rc_likely_(x) (x)
#define io_uring_rc_unlikely_(x) (x)
#endif

/* Follows a program that replaced the ring's fd with a duplicate (liburing lets it assign
 * ring_fd and enter_ring_fd): ringcore takes the new fd over. */
static inline void io_uring_rc_follow_fd_(struct io_uring *ring)
{
	if (ringcore_ring_set_fd(ring->sq.ringcore, ring->enter_ring_fd) == 0)
		ring->cq.pad[0] = (unsigned)ring->enter_ring_fd;
}

/* ringcore's ring behind a struct io_uring. cq.pad[0] holds the fd ringcore uses. */
IO_URING_RC_INLINE_ struct ringcore_ring *io_uring_rc_(struct io_uring *ring)
{
	if (io_uring_rc_unlikely_(ring->enter_ring_fd != (int)ring->cq.pad[0]) &&
	    !(ring->int_flags & IO_URING_INT_FLAG_REG_RING))
		io_uring_rc_follow_fd_(ring);
	return ring->sq.ringcore;
}

/* ringcore's state of the ring (see ringcore.h: struct ringcore_ring_state). */
IO_URING_RC_INLINE_ struct ringcore_ring_state *io_uring_rc_state_(const struct io_uring *ring)
{
	return (struct ringcore_ring_state *)(void *)ring->sq.ringcore;
}

/* ---- Probes -------------------------------------------------------------------------------- */

static inline int io_uring_register_probe(struct io_uring *ring, struct io_uring_probe *p,
					  unsigned nr)
{
	return ringcore_register(io_uring_rc_(ring), IORING_REGISTER_PROBE, p, nr);
}

static inline struct io_uring_probe *io_uring_get_probe_ring(struct io_uring *ring)
{
	size_t len = sizeof(struct io_uring_probe) + 256 * sizeof(struct io_uring_probe_op);
	struct io_uring_probe *p = (struct io_uring_probe *)calloc(1, len);

	if (!p)
		return NULL;
	if (io_uring_register_probe(ring, p, 256) < 0) {
		free(p);
		return NULL;
	}
	return p;
}

static inline void io_uring_free_probe(struct io_uring_probe *probe)
{
	free(probe);
}

static inline int io_uring_opcode_supported(const struct io_uring_probe *p, int op)
{
	if (op < 0 || op > p->last_op)
		return 0;
	return (p->ops[op].flags & IO_URING_OP_SUPPORTED) != 0;
}

/* ---- Setup and teardown -------------------------------------------------------------------- */

static inline unsigned *io_uring_rc_word_(void *base, __u32 off)
{
	return (unsigned *)(void *)((char *)base + off);
}

/* Fills *ring for ringcore ring rc, created with the parameters *p returned. */
static inline int io_uring_rc_attach_(struct io_uring *ring, struct ringcore_ring *rc,
				      const struct io_uring_params *p)
{
	struct ringcore_ring_layout l;
	int ret = ringcore_ring_layout(rc, &l);

	if (ret < 0)
		return ret;
	memset(ring, 0, sizeof(*ring));
	ring->sq.khead = io_uring_rc_word_(l.sq_ring, p->sq_off.head);
	ring->sq.ktail = io_uring_rc_word_(l.sq_ring, p->sq_off.tail);
	ring->sq.kring_mask = io_uring_rc_word_(l.sq_ring, p->sq_off.ring_mask);
	ring->sq.kring_entries = io_uring_rc_word_(l.sq_ring, p->sq_off.ring_entries);
	ring->sq.kflags = io_uring_rc_word_(l.sq_ring, p->sq_off.flags);
	ring->sq.kdropped = io_uring_rc_word_(l.sq_ring, p->sq_off.dropped);
	if (!(p->flags & IORING_SETUP_NO_SQARRAY))
		ring->sq.array = io_uring_rc_word_(l.sq_ring, p->sq_off.array);
	ring->sq.sqes = (struct io_uring_sqe *)(void *)l.sqes;
	ring->sq.ring_sz = l.sq_ring_size;
	ring->sq.ring_ptr = l.sq_ring;
	ring->sq.ring_mask = *ring->sq.kring_mask;
	ring->sq.ring_entries = *ring->sq.kring_entries;
	ring->sq.ringcore = rc;

	ring->cq.khead = io_uring_rc_word_(l.cq_ring, p->cq_off.head);
	ring->cq.ktail = io_uring_rc_word_(l.cq_ring, p->cq_off.tail);
	ring->cq.kring_mask = io_uring_rc_word_(l.cq_ring, p->cq_off.ring_mask);
	ring->cq.kring_entries = io_uring_rc_word_(l.cq_ring, p->cq_off.ring_entries);
	if (p->cq_off.flags)
		ring->cq.kflags = io_uring_rc_word_(l.cq_ring, p->cq_off.flags);
	ring->cq.koverflow = io_uring_rc_word_(l.cq_ring, p->cq_off.overflow);
	ring->cq.cqes = (struct io_uring_cqe *)(void *)((char *)l.cq_ring + p->cq_off.cqes);
	ring->cq.ring_sz = l.cq_ring_size;
	ring->cq.ring_ptr = l.cq_ring;
	ring->cq.ring_mask = *ring->cq.kring_mask;
	ring->cq.ring_entries = *ring->cq.kring_entries;

	ring->flags = p->flags;
	ring->ring_fd = ringcore_ring_fd(rc);
	ring->enter_ring_fd = ring->ring_fd;
	ring->cq.pad[0] = (unsigned)ring->ring_fd;
	ring->features = p->features;
	return 0;
}

/* Creates a ring with exactly the flags in p->flags; p receives the kernel's parameters. */
static inline int io_uring_queue_init_params(unsigned entries, struct io_uring *ring,
					     struct io_uring_params *p)
{
	struct ringcore_ring *rc;
	int ret = ringcore_ring_new_exact(entries, (struct ringcore_params *)(void *)p, &rc);

	if (ret < 0)
		return ret;
	ret = io_uring_rc_attach_(ring, rc, p);
	if (ret < 0)
		ringcore_ring_free(rc);
	return ret;
}

static inline int io_uring_queue_init(unsigned entries, struct io_uring *ring, unsigned flags)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	return io_uring_queue_init_params(entries, ring, &p);
}

/* Frees the ring: its SQEs not yet submitted are dropped, its fd closed, its memory unmapped
 * (see ringcore_ring_free for callback operations). */
static inline void io_uring_queue_exit(struct io_uring *ring)
{
	ringcore_ring_free(io_uring_rc_(ring));
	ring->sq.ringcore = NULL;
}

/* Left out: mapping a ring set up elsewhere (ringcore maps the rings it creates). */
static inline int io_uring_queue_mmap(int fd, struct io_uring_params *p, struct io_uring *ring)
{
	(void)fd;
	(void)p;
	(void)ring;
	return -EOPNOTSUPP;
}

/* Keeps the ring's memory out of a forked child (MADV_DONTFORK on the three mappings). */
static inline int io_uring_ring_dontfork(struct io_uring *ring)
{
	size_t sqes_len;

	if (!ring->sq.ring_ptr || !ring->sq.sqes || !ring->cq.ring_ptr)
		return -EINVAL;
	sqes_len = (size_t)ring->sq.ring_entries * sizeof(struct io_uring_sqe);
	if (ring->flags & IORING_SETUP_SQE128)
		sqes_len *= 2;
	if (madvise(ring->sq.sqes, sqes_len, MADV_DONTFORK) < 0)
		return -errno;
	if (madvise(ring->sq.ring_ptr, ring->sq.ring_sz, MADV_DONTFORK) < 0)
		return -errno;
	if (ring->cq.ring_ptr != ring->sq.ring_ptr &&
	    madvise(ring->cq.ring_ptr, ring->cq.ring_sz, MADV_DONTFORK) < 0)
		return -errno;
	return 0;
}

static inline struct io_uring_probe *io_uring_get_probe(void)
{
	struct io_uring ring;
	struct io_uring_probe *probe;

	if (io_uring_queue_init(2, &ring, 0) < 0)
		return NULL;
	probe = io_uring_get_probe_ring(&ring);
	io_uring_queue_exit(&ring);
	return probe;
}

/* Memory a ring of these parameters locks against RLIMIT_MEMLOCK: none on kernels that
 * account ring memory to the memory cgroup instead (IORING_FEAT_NATIVE_WORKERS, 5.12+);
 * -EOPNOTSUPP on older ones, whose accounting ringcore does not model. */
static inline ssize_t io_uring_mlock_size_params(unsigned entries, struct io_uring_params *p)
{
	struct io_uring ring;
	struct io_uring_params q;
	int ret;

	memset(&q, 0, sizeof(q));
	q.flags = p->flags & (IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP);
	q.cq_entries = p->cq_entries;
	ret = io_uring_queue_init_params(entries, &ring, &q);
	if (ret < 0)
		return ret;
	io_uring_queue_exit(&ring);
	return (q.features & IORING_FEAT_NATIVE_WORKERS) ? 0 : -EOPNOTSUPP;
}

static inline ssize_t io_uring_mlock_size(unsigned entries, unsigned flags)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	return io_uring_mlock_size_params(entries, &p);
}

/* ---- The system calls ---------------------------------------------------------------------- */

static inline int io_uring_setup(unsigned int entries, struct io_uring_params *p)
{
	return ringcore_sys_setup(entries, (struct ringcore_params *)(void *)p);
}

static inline int io_uring_enter2(unsigned int fd, unsigned int to_submit,
				  unsigned int min_complete, unsigned int flags, sigset_t *sig,
				  size_t sz)
{
	return ringcore_sys_enter(fd, to_submit, min_complete, flags, sig, sz);
}

static inline int io_uring_enter(unsigned int fd, unsigned int to_submit,
				 unsigned int min_complete, unsigned int flags, sigset_t *sig)
{
	return ringcore_sys_enter(fd, to_submit, min_complete, flags, sig, _NSIG / 8);
}

static inline int io_uring_register(unsigned int fd, unsigned int opcode, const void *arg,
				    unsigned int nr_args)
{
	return ringcore_sys_register(fd, opcode, arg, nr_args);
}

/* ---- Submission ---------------------------------------------------------------------------- */

/* The next free SQE, or NULL when the SQ is full. Its contents are undefined until an
 * io_uring_prep_* call fills it (every prep writes every field but user_data).
 *
 * The SQ tail lives here, in sq.sqe_tail, as in liburing: a struct io_uring placed in memory
 * shared across fork() keeps one tail for both processes. The submit calls hand it to
 * ringcore (io_uring_rc_sync_) before ringcore publishes it. */
IO_URING_RC_INLINE_ struct io_uring_sqe *io_uring_get_sqe(struct io_uring *ring)
{
	struct io_uring_sq *sq = &ring->sq;
	unsigned tail = sq->sqe_tail;

	if (io_uring_rc_unlikely_(tail + 1 - io_uring_smp_load_acquire(sq->khead) >
				  sq->ring_entries))
		return NULL;
	sq->sqe_tail = tail + 1;
	if (io_uring_rc_unlikely_(ring->flags & IORING_SETUP_SQE128))
		return &sq->sqes[(tail & sq->ring_mask) << 1];
	return &sq->sqes[tail & sq->ring_mask];
}

/* Hands the SQ tail to ringcore's state, which its submit calls publish. */
IO_URING_RC_INLINE_ struct ringcore_ring *io_uring_rc_sync_(struct io_uring *ring)
{
	struct ringcore_ring *rc = io_uring_rc_(ring);

	io_uring_rc_state_(ring)->sq_tail = ring->sq.sqe_tail;
	ring->sq.sqe_head = ring->sq.sqe_tail;
	return rc;
}

/* SQEs taken and not yet consumed by the kernel. */
IO_URING_RC_INLINE_ unsigned io_uring_sq_ready(const struct io_uring *ring)
{
	return ring->sq.sqe_tail - io_uring_smp_load_acquire(ring->sq.khead);
}

IO_URING_RC_INLINE_ unsigned io_uring_sq_space_left(const struct io_uring *ring)
{
	return ring->sq.ring_entries - io_uring_sq_ready(ring);
}

/* Submits the SQEs taken since the last submit: the number submitted, or -errno. */
IO_URING_RC_INLINE_ int io_uring_submit(struct io_uring *ring)
{
	return (ringcore_submit)(io_uring_rc_sync_(ring));
}

/* Submits, then waits for wait_nr CQEs. */
IO_URING_RC_INLINE_ int io_uring_submit_and_wait(struct io_uring *ring, unsigned wait_nr)
{
	return (ringcore_submit_and_wait)(io_uring_rc_sync_(ring), wait_nr);
}

static inline int io_uring_submit_and_wait_timeout(struct io_uring *ring,
						   struct io_uring_cqe **cqe_ptr,
						   unsigned wait_nr, struct __kernel_timespec *ts,
						   sigset_t *sigmask)
{
	return ringcore_submit_and_wait_cqes(io_uring_rc_sync_(ring),
					     (struct ringcore_cqe **)(void *)cqe_ptr, wait_nr, ts,
					     sigmask);
}

static inline int io_uring_submit_and_get_events(struct io_uring *ring)
{
	return ringcore_submit_and_get_events(io_uring_rc_sync_(ring));
}

static inline int io_uring_get_events(struct io_uring *ring)
{
	return ringcore_get_events(io_uring_rc_(ring));
}

/* Publishes the SQEs taken (no system call); returns how many the kernel has yet to take. */
static inline unsigned __io_uring_flush_sq(struct io_uring *ring)
{
	int ret = ringcore_flush_sq(io_uring_rc_sync_(ring));

	return ret < 0 ? 0 : (unsigned)ret;
}

static inline int __io_uring_sqring_wait(struct io_uring *ring)
{
	return ringcore_sqring_wait(io_uring_rc_(ring));
}

/* With SQPOLL and a full SQ: waits until the poller took an entry. */
static inline int io_uring_sqring_wait(struct io_uring *ring)
{
	if (!(ring->flags & IORING_SETUP_SQPOLL))
		return 0;
	if (io_uring_sq_space_left(ring))
		return 0;
	return __io_uring_sqring_wait(ring);
}

/* ---- Completion ---------------------------------------------------------------------------- */

IO_URING_RC_INLINE_ unsigned io_uring_cq_ready(const struct io_uring *ring)
{
	return io_uring_smp_load_acquire(ring->cq.ktail) - *ring->cq.khead;
}

IO_URING_RC_INLINE_ bool io_uring_cq_has_overflow(const struct io_uring *ring)
{
	return (IO_URING_READ_ONCE(*ring->sq.kflags) & IORING_SQ_CQ_OVERFLOW) != 0;
}

/* Consumes nr CQEs. */
IO_URING_RC_INLINE_ void io_uring_cq_advance(struct io_uring *ring, unsigned nr)
{
	if (nr)
		io_uring_smp_store_release(ring->cq.khead, *ring->cq.khead + nr);
}

/* Consumes the CQE from the last peek or wait (NULL: nothing). */
IO_URING_RC_INLINE_ void io_uring_cqe_seen(struct io_uring *ring, struct io_uring_cqe *cqe)
{
	if (cqe)
		io_uring_cq_advance(ring, 1);
}

IO_URING_RC_INLINE_ unsigned io_uring_cqe_shift_(const struct io_uring *ring)
{
	return (ring->flags & IORING_SETUP_CQE32) ? 1 : 0;
}

IO_URING_RC_INLINE_ struct io_uring_cqe *io_uring_cqe_at_(const struct io_uring *ring,
							  unsigned pos)
{
	return &ring->cq.cqes[(pos & ring->cq.ring_mask) << io_uring_cqe_shift_(ring)];
}

/* Walks the ready CQEs without consuming them; io_uring_cq_advance() afterwards. */
#define io_uring_for_each_cqe(ring, head, cqe)                                            \
	for ((head) = *(ring)->cq.khead;                                                 \
	     ((cqe) = ((head) != io_uring_smp_load_acquire((ring)->cq.ktail)              \
			       ? io_uring_cqe_at_((ring), (head))                         \
			       : NULL));                                                  \
	     (head)++)

/* The general wait: submits `submit` SQEs already published, waits for wait_nr CQEs. */
static inline int __io_uring_get_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
				     unsigned submit, unsigned wait_nr, sigset_t *sigmask)
{
	struct ringcore_cqe **out = (struct ringcore_cqe **)(void *)cqe_ptr;

	if (submit)
		return ringcore_submit_and_wait_cqes(io_uring_rc_sync_(ring), out, wait_nr,
						     NULL, sigmask);
	return ringcore_wait_cqes(io_uring_rc_(ring), out, wait_nr, NULL, sigmask);
}

/* Waits (no submit) for wait_nr CQEs; *cqe_ptr is the oldest. */
static inline int io_uring_wait_cqe_nr(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
				       unsigned wait_nr)
{
	return ringcore_wait_cqes(io_uring_rc_(ring), (struct ringcore_cqe **)(void *)cqe_ptr,
				  wait_nr, NULL, NULL);
}

/* The oldest CQE without waiting: 0, or -EAGAIN when there is none. */
IO_URING_RC_INLINE_ int io_uring_peek_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr)
{
	unsigned head = *ring->cq.khead;

	if (io_uring_rc_likely_(io_uring_smp_load_acquire(ring->cq.ktail) != head)) {
		*cqe_ptr = io_uring_cqe_at_(ring, head);
		return 0;
	}
	/* Empty: the exported call asks the kernel for completions it holds back first. */
	return io_uring_wait_cqe_nr(ring, cqe_ptr, 0);
}

/* Waits (no submit) for one CQE. */
IO_URING_RC_INLINE_ int io_uring_wait_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr)
{
	unsigned head = *ring->cq.khead;

	if (io_uring_rc_likely_(io_uring_smp_load_acquire(ring->cq.ktail) != head)) {
		*cqe_ptr = io_uring_cqe_at_(ring, head);
		return 0;
	}
	return io_uring_wait_cqe_nr(ring, cqe_ptr, 1);
}

static inline int io_uring_wait_cqes(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
				     unsigned wait_nr, struct __kernel_timespec *ts,
				     sigset_t *sigmask)
{
	return ringcore_wait_cqes(io_uring_rc_(ring), (struct ringcore_cqe **)(void *)cqe_ptr,
				  wait_nr, ts, sigmask);
}

static inline int io_uring_wait_cqe_timeout(struct io_uring *ring,
					    struct io_uring_cqe **cqe_ptr,
					    struct __kernel_timespec *ts)
{
	return io_uring_wait_cqes(ring, cqe_ptr, 1, ts, NULL);
}

/* Pointers to up to count ready CQEs, oldest first, without consuming them. */
IO_URING_RC_INLINE_ unsigned io_uring_peek_batch_cqe(struct io_uring *ring,
						     struct io_uring_cqe **cqes, unsigned count)
{
	unsigned head = *ring->cq.khead;
	unsigned ready = io_uring_smp_load_acquire(ring->cq.ktail) - head;
	unsigned i;

	if (io_uring_rc_unlikely_(ready == 0))
		/* The exported call flushes completions the kernel holds back. */
		return (ringcore_peek_batch_cqe)(io_uring_rc_(ring),
						 (struct ringcore_cqe **)(void *)cqes, count);
	if (ready > count)
		ready = count;
	for (i = 0; i < ready; i++)
		cqes[i] = io_uring_cqe_at_(ring, head + i);
	return ready;
}

/* Whether CQEs post to a registered eventfd (IORING_CQ_EVENTFD_DISABLED clear). */
static inline bool io_uring_cq_eventfd_enabled(const struct io_uring *ring)
{
	if (!ring->cq.kflags)
		return true;
	return !(*ring->cq.kflags & IORING_CQ_EVENTFD_DISABLED);
}

static inline int io_uring_cq_eventfd_toggle(struct io_uring *ring, bool enabled)
{
	unsigned flags;

	if (enabled == io_uring_cq_eventfd_enabled(ring))
		return 0;
	if (!ring->cq.kflags)
		return -EOPNOTSUPP;
	flags = *ring->cq.kflags;
	if (enabled)
		flags &= ~IORING_CQ_EVENTFD_DISABLED;
	else
		flags |= IORING_CQ_EVENTFD_DISABLED;
	IO_URING_WRITE_ONCE(*ring->cq.kflags, flags);
	return 0;
}

/* ---- Registration -------------------------------------------------------------------------- */

/* The face's own registration call: ringcore_register on the ring. */
static inline int io_uring_rc_register_(struct io_uring *ring, unsigned opcode, const void *arg,
					unsigned nr)
{
	return ringcore_register(io_uring_rc_(ring), opcode, arg, nr);
}

/* Raises the soft RLIMIT_NOFILE by nr (up to the hard limit) after a registration failed
 * with -EMFILE, as liburing does; whether it could. */
static inline bool io_uring_rc_more_files_(unsigned nr)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= rl.rlim_max)
		return false;
	rl.rlim_cur += nr;
	if (rl.rlim_cur > rl.rlim_max)
		rl.rlim_cur = rl.rlim_max;
	return setrlimit(RLIMIT_NOFILE, &rl) == 0;
}

static inline int io_uring_register_buffers(struct io_uring *ring, const struct iovec *iovecs,
					    unsigned nr_iovecs)
{
	return io_uring_rc_register_(ring, IORING_REGISTER_BUFFERS, iovecs, nr_iovecs);
}

static inline int io_uring_register_buffers_tags(struct io_uring *ring,
						 const struct iovec *iovecs, const __u64 *tags,
						 unsigned nr)
{
	struct io_uring_rsrc_register reg;

	memset(&reg, 0, sizeof(reg));
	reg.nr = nr;
	reg.data = (__u64)(uintptr_t)iovecs;
	reg.tags = (__u64)(uintptr_t)tags;
	return io_uring_rc_register_(ring, IORING_REGISTER_BUFFERS2, &reg, sizeof(reg));
}

static inline int io_uring_register_buffers_sparse(struct io_uring *ring, unsigned nr)
{
	struct io_uring_rsrc_register reg;

	memset(&reg, 0, sizeof(reg));
	reg.flags = IORING_RSRC_REGISTER_SPARSE;
	reg.nr = nr;
	return io_uring_rc_register_(ring, IORING_REGISTER_BUFFERS2, &reg, sizeof(reg));
}

static inline int io_uring_register_buffers_update_tag(struct io_uring *ring, unsigned off,
						       const struct iovec *iovecs,
						       const __u64 *tags, unsigned nr)
{
	struct io_uring_rsrc_update2 up;

	memset(&up, 0, sizeof(up));
	up.offset = off;
	up.data = (__u64)(uintptr_t)iovecs;
	up.tags = (__u64)(uintptr_t)tags;
	up.nr = nr;
	return io_uring_rc_register_(ring, IORING_REGISTER_BUFFERS_UPDATE, &up, sizeof(up));
}

static inline int io_uring_unregister_buffers(struct io_uring *ring)
{
	return io_uring_rc_register_(ring, IORING_UNREGISTER_BUFFERS, NULL, 0);
}

/* File registrations retry once after raising RLIMIT_NOFILE when the kernel says -EMFILE. */
static inline int io_uring_rc_register_files_(struct io_uring *ring, unsigned opcode,
					      const void *arg, unsigned nr_args, unsigned nr_files)
{
	int ret = io_uring_rc_register_(ring, opcode, arg, nr_args);

	if (ret == -EMFILE && io_uring_rc_more_files_(nr_files))
		ret = io_uring_rc_register_(ring, opcode, arg, nr_args);
	return ret;
}

static inline int io_uring_register_files(struct io_uring *ring, const int *files,
					  unsigned nr_files)
{
	return io_uring_rc_register_files_(ring, IORING_REGISTER_FILES, files, nr_files, nr_files);
}

static inline int io_uring_register_files_tags(struct io_uring *ring, const int *files,
					       const __u64 *tags, unsigned nr)
{
	struct io_uring_rsrc_register reg;

	memset(&reg, 0, sizeof(reg));
	reg.nr = nr;
	reg.data = (__u64)(uintptr_t)files;
	reg.tags = (__u64)(uintptr_t)tags;
	return io_uring_rc_register_files_(ring, IORING_REGISTER_FILES2, &reg, sizeof(reg), nr);
}

static inline int io_uring_register_files_sparse(struct io_uring *ring, unsigned nr)
{
	struct io_uring_rsrc_register reg;

	memset(&reg, 0, sizeof(reg));
	reg.flags = IORING_RSRC_REGISTER_SPARSE;
	reg.nr = nr;
	return io_uring_rc_register_files_(ring, IORING_REGISTER_FILES2, &reg, sizeof(reg), nr);
}

static inline int io_uring_register_files_update(struct io_uring *ring, unsigned off,
						 const int *files, unsigned nr_files)
{
	struct io_uring_files_update up;

	memset(&up, 0, sizeof(up));
	up.offset = off;
	up.fds = (__u64)(uintptr_t)files;
	return io_uring_rc_register_(ring, IORING_REGISTER_FILES_UPDATE, &up, nr_files);
}

static inline int io_uring_register_files_update_tag(struct io_uring *ring, unsigned off,
						     const int *files, const __u64 *tags,
						     unsigned nr_files)
{
	struct io_uring_rsrc_update2 up;

	memset(&up, 0, sizeof(up));
	up.offset = off;
	up.data = (__u64)(uintptr_t)files;
	up.tags = (__u64)(uintptr_t)tags;
	up.nr = nr_files;
	return io_uring_rc_register_(ring, IORING_REGISTER_FILES_UPDATE2, &up, sizeof(up));
}

static inline int io_uring_unregister_files(struct io_uring *ring)
{
	return io_uring_rc_register_(ring, IORING_UNREGISTER_FILES, NULL, 0);
}

static inline int io_uring_register_eventfd(struct io_uring *ring, int fd)
{
	return io_uring_rc_register_(ring, IORING_REGISTER_EVENTFD, &fd, 1);
}

static inline int io_uring_register_eventfd_async(struct io_uring *ring, int fd)
{
	return io_uring_rc_register_(ring, IORING_REGISTER_EVENTFD_ASYNC, &fd, 1);
}

static inline int io_uring_unregister_eventfd(struct io_uring *ring)
{
	return io_uring_rc_register_(ring, IORING_UNREGISTER_EVENTFD, NULL, 0);
}

static inline int io_uring_register_personality(struct io_uring *ring)
{
	return io_uring_rc_register_(ring, IORING_REGISTER_PERSONALITY, NULL, 0);
}

static inline int io_uring_unregister_personality(struct io_uring *ring, int id)
{
	return io_uring_rc_register_(ring, IORING_UNREGISTER_PERSONALITY, NULL, (unsigned)id);
}

static inline int io_uring_register_restrictions(struct io_uring *ring,
						 struct io_uring_restriction *res,
						 unsigned int nr_res)
{
	return io_uring_rc_register_(ring, IORING_REGISTER_RESTRICTIONS, res, nr_res);
}

static inline int io_uring_enable_rings(struct io_uring *ring)
{
	return ringcore_ring_enable(io_uring_rc_(ring));
}

static inline int io_uring_register_iowq_aff(struct io_uring *ring, size_t cpusz,
					     const cpu_set_t *mask)
{
	if (cpusz >= (1U << 31))
		return -EINVAL;
	return io_uring_rc_register_(ring, IORING_REGISTER_IOWQ_AFF, mask, (unsigned)cpusz);
}

static inline int io_uring_unregister_iowq_aff(struct io_uring *ring)
{
	return io_uring_rc_register_(ring, IORING_UNREGISTER_IOWQ_AFF, NULL, 0);
}

static inline int io_uring_register_iowq_max_workers(struct io_uring *ring, unsigned int *values)
{
	return io_uring_rc_register_(ring, IORING_REGISTER_IOWQ_MAX_WORKERS, values, 2);
}

/* Registers the ring fd in the calling thread's table: returns 1 (one registered), -EEXIST
 * when already registered, or -errno. Later enters from this thread use the index. */
static inline int io_uring_register_ring_fd(struct io_uring *ring)
{
	int ret;

	if (ring->int_flags & IO_URING_INT_FLAG_REG_RING)
		return -EEXIST;
	ret = ringcore_register_ring_fd(io_uring_rc_(ring));
	if (ret < 0)
		return ret;
	ring->enter_ring_fd = ret;
	ring->int_flags |= IO_URING_INT_FLAG_REG_RING;
	return 1;
}

static inline int io_uring_unregister_ring_fd(struct io_uring *ring)
{
	int ret;

	if (!(ring->int_flags & IO_URING_INT_FLAG_REG_RING))
		return -EINVAL;
	ret = ringcore_unregister_ring_fd(io_uring_rc_(ring));
	if (ret < 0)
		return ret;
	ring->enter_ring_fd = ring->ring_fd;
	ring->int_flags &= (__u8)~IO_URING_INT_FLAG_REG_RING;
	return 1;
}

/* Registers a provided-buffer ring in caller memory (flags: unused, as in liburing 2.3). */
static inline int io_uring_register_buf_ring(struct io_uring *ring, struct io_uring_buf_reg *reg,
					     unsigned int flags)
{
	(void)flags;
	return io_uring_rc_register_(ring, IORING_REGISTER_PBUF_RING, reg, 1);
}

static inline int io_uring_unregister_buf_ring(struct io_uring *ring, int bgid)
{
	struct io_uring_buf_reg reg;

	memset(&reg, 0, sizeof(reg));
	reg.bgid = (__u16)bgid;
	return io_uring_rc_register_(ring, IORING_UNREGISTER_PBUF_RING, &reg, 1);
}

/* Maps and registers a buffer ring of nentries (a power of two) for group bgid; NULL with
 * *ret = -errno on failure. Free it with io_uring_free_buf_ring. */
static inline struct io_uring_buf_ring *io_uring_setup_buf_ring(struct io_uring *ring,
								unsigned int nentries, int bgid,
								unsigned int flags, int *ret)
{
	struct io_uring_buf_reg reg;
	size_t len = (size_t)nentries * sizeof(struct io_uring_buf);
	void *mem;
	int err;

	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
	if (mem == MAP_FAILED) {
		*ret = -errno;
		return NULL;
	}
	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = (__u64)(uintptr_t)mem;
	reg.ring_entries = nentries;
	reg.bgid = (__u16)bgid;
	reg.flags = (__u16)flags;
	err = io_uring_register_buf_ring(ring, &reg, 0);
	if (err) {
		munmap(mem, len);
		*ret = err;
		return NULL;
	}
	((struct io_uring_buf_ring *)mem)->tail = 0;
	*ret = 0;
	return (struct io_uring_buf_ring *)mem;
}

static inline int io_uring_free_buf_ring(struct io_uring *ring, struct io_uring_buf_ring *br,
					 unsigned int nentries, int bgid)
{
	int ret = io_uring_unregister_buf_ring(ring, bgid);

	if (ret)
		return ret;
	munmap(br, (size_t)nentries * sizeof(struct io_uring_buf));
	return 0;
}

static inline int io_uring_register_sync_cancel(struct io_uring *ring,
						struct io_uring_sync_cancel_reg *reg)
{
	return io_uring_rc_register_(ring, IORING_REGISTER_SYNC_CANCEL, reg, 1);
}

static inline int io_uring_register_file_alloc_range(struct io_uring *ring, unsigned off,
						     unsigned len)
{
	struct io_uring_file_index_range range;

	memset(&range, 0, sizeof(range));
	range.off = off;
	range.len = len;
	return io_uring_rc_register_(ring, IORING_REGISTER_FILE_ALLOC_RANGE, &range, 0);
}

static inline int io_uring_register_napi(struct io_uring *ring, struct io_uring_napi *napi)
{
	return io_uring_rc_register_(ring, IORING_REGISTER_NAPI, napi, 1);
}

static inline int io_uring_unregister_napi(struct io_uring *ring, struct io_uring_napi *napi)
{
	return io_uring_rc_register_(ring, IORING_UNREGISTER_NAPI, napi, 1);
}

/* Sets the clock (and clock id) timeouts in waits use (kernel 6.12+). */
static inline int io_uring_register_clock(struct io_uring *ring,
					  struct io_uring_clock_register *arg)
{
	return io_uring_rc_register_(ring, IORING_REGISTER_CLOCK, arg, 0);
}

/* The kernel's head of buffer ring bgid (IORING_REGISTER_PBUF_STATUS, 6.8+). */
static inline int io_uring_buf_ring_head(struct io_uring *ring, int buf_group, uint16_t *head)
{
	struct io_uring_buf_status st;
	int ret;

	memset(&st, 0, sizeof(st));
	st.buf_group = (__u32)buf_group;
	ret = io_uring_rc_register_(ring, IORING_REGISTER_PBUF_STATUS, &st, 1);
	if (ret)
		return ret;
	*head = (uint16_t)st.head;
	return 0;
}

/* Buffers the kernel can still take from buffer ring bgid (br's tail minus its head). */
static inline int io_uring_buf_ring_available(struct io_uring *ring, struct io_uring_buf_ring *br,
					      unsigned short bgid)
{
	uint16_t head;
	int ret = io_uring_buf_ring_head(ring, bgid, &head);

	if (ret)
		return ret;
	return (uint16_t)(br->tail - head);
}

/* Left out: closing the ring fd after registering it. ringcore enters through the fd on
 * threads other than the registering one, so it keeps it open. */
static inline int io_uring_close_ring_fd(struct io_uring *ring)
{
	(void)ring;
	return -EOPNOTSUPP;
}

/* liburing's internal peek, public in its 2.3 header: the oldest CQE (or NULL) and how many
 * are ready. */
static inline int __io_uring_peek_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
				      unsigned *nr_available)
{
	unsigned ready = io_uring_cq_ready(ring);

	*cqe_ptr = ready ? io_uring_cqe_at_(ring, *ring->cq.khead) : NULL;
	if (nr_available)
		*nr_available = ready;
	return 0;
}

static inline struct io_uring_sqe *_io_uring_get_sqe(struct io_uring *ring)
{
	return io_uring_get_sqe(ring);
}

#ifdef __cplusplus
}
#endif

/* The SQE side: io_uring_prep_*, io_uring_sqe_set_*, io_uring_cqe_get_data*, the buffer-ring
 * and recvmsg helpers. */
#include "liburing/ringcore-prep.h"

#endif /* LIB_URING_H */
