/*
 * The face build's "../src/syscall.h" (c_tests/liburing_suite/run.sh copies it there).
 *
 * Some of liburing's tests include liburing's private src/syscall.h for the raw system calls
 * __sys_io_uring_setup/enter/enter2/register. This stand-in gives them the same calls over the
 * face's io_uring_setup/enter/enter2/register (which reach the kernel through libringcore),
 * returning -errno as liburing's do, so that no liburing code but the tests themselves is
 * compiled into the face's test programs. It includes what liburing's syscall.h includes.
 */
#ifndef LIBURING_SYSCALL_H
#define LIBURING_SYSCALL_H

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <unistd.h>
#include <stdbool.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <liburing.h>

static inline int __sys_io_uring_setup(unsigned int entries, struct io_uring_params *p)
{
	return io_uring_setup(entries, p);
}

static inline int __sys_io_uring_enter2(unsigned int fd, unsigned int to_submit,
					unsigned int min_complete, unsigned int flags,
					sigset_t *sig, size_t sz)
{
	return io_uring_enter2(fd, to_submit, min_complete, flags, sig, sz);
}

static inline int __sys_io_uring_enter(unsigned int fd, unsigned int to_submit,
				       unsigned int min_complete, unsigned int flags,
				       sigset_t *sig)
{
	return io_uring_enter(fd, to_submit, min_complete, flags, sig);
}

static inline int __sys_io_uring_register(unsigned int fd, unsigned int opcode,
					  const void *arg, unsigned int nr_args)
{
	return io_uring_register(fd, opcode, arg, nr_args);
}

#endif
