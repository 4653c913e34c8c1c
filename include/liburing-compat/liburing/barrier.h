/* SPDX-License-Identifier: MIT */
/*
 * ringcore's liburing-compatible face: the memory-ordering helpers of
 * liburing's <liburing/barrier.h>.
 *
 * They are GCC/Clang __atomic builtins on plain objects, so the same
 * macros serve C and C++ (no <stdatomic.h> / <atomic> mixing). Each takes a
 * pointer (or, for the *_ONCE pair, an lvalue) to a naturally aligned
 * integer or pointer object.
 */
#ifndef LIBURING_BARRIER_H
#define LIBURING_BARRIER_H

/* Store v to *p; every earlier load and store is ordered before it. */
#define io_uring_smp_store_release(p, v) \
	__atomic_store_n((p), (v), __ATOMIC_RELEASE)

/* Load *p; every later load and store is ordered after it. */
#define io_uring_smp_load_acquire(p) \
	__atomic_load_n((p), __ATOMIC_ACQUIRE)

/* Full barrier. */
#define io_uring_smp_mb() \
	__atomic_thread_fence(__ATOMIC_SEQ_CST)

/* Single untorn store to / load from an lvalue, with no ordering. */
#define IO_URING_WRITE_ONCE(var, val) \
	__atomic_store_n(&(var), (val), __ATOMIC_RELAXED)
#define IO_URING_READ_ONCE(var) \
	__atomic_load_n(&(var), __ATOMIC_RELAXED)

#endif /* LIBURING_BARRIER_H */
