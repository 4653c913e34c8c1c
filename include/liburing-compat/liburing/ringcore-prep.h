/* SPDX-License-Identifier: MIT */
/*
 * ringcore's liburing-compatible face: the SQE side of the liburing API.
 *
 * Every io_uring_prep_* helper of liburing 2.3, plus the ones later
 * liburing releases added for opcodes the kernel has, as static inline
 * functions with liburing's names, signatures and argument orders.
 *
 * Contract shared by all preparers (liburing 2.3's): io_uring_prep_rw()
 * writes every field of the 64-byte SQE except user_data, so a preparer
 * never inherits anything from the slot's previous use; the opcode-specific
 * helpers then set their extra fields on top.
 *
 * Expected to be included by <liburing.h> after it has declared
 * struct io_uring and io_uring_cq_advance() (io_uring_buf_ring_cq_advance()
 * needs both). Compiles as C and as C++.
 */
#ifndef RINGCORE_LIBURING_PREP_H
#define RINGCORE_LIBURING_PREP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>	/* struct msghdr, struct cmsghdr, CMSG_ALIGN */
#include <sys/stat.h>	/* mode_t */
#include <sys/uio.h>	/* struct iovec */
#include <sys/wait.h>	/* idtype_t, id_t, siginfo_t */
#include <fcntl.h>	/* AT_FDCWD */

#include "compat.h"
#include "io_uring.h"
#include "barrier.h"

#ifdef __cplusplus
extern "C" {
#endif

struct statx;
struct epoll_event;
struct futex_waitv;
struct io_uring;

/* A pointer as the 64-bit value the kernel reads. */
static inline __u64 __ringcore_ptr64(const void *p)
{
	return (__u64) (uintptr_t) p;
}

/* ---------------------------------------------------------------------
 * user_data and flags
 * ------------------------------------------------------------------- */

/* Tell the application that the 64-bit user_data helpers exist. */
#define LIBURING_HAVE_DATA64

static inline void io_uring_sqe_set_data(struct io_uring_sqe *sqe, void *data)
{
	sqe->user_data = __ringcore_ptr64(data);
}

static inline void io_uring_sqe_set_data64(struct io_uring_sqe *sqe, __u64 data)
{
	sqe->user_data = data;
}

static inline void *io_uring_cqe_get_data(const struct io_uring_cqe *cqe)
{
	return (void *) (uintptr_t) cqe->user_data;
}

static inline __u64 io_uring_cqe_get_data64(const struct io_uring_cqe *cqe)
{
	return cqe->user_data;
}

/* Replaces sqe->flags (IOSQE_*) as a whole. */
static inline void io_uring_sqe_set_flags(struct io_uring_sqe *sqe, unsigned flags)
{
	sqe->flags = (__u8) flags;
}

static inline void io_uring_sqe_set_buf_group(struct io_uring_sqe *sqe, int bgid)
{
	sqe->buf_group = (__u16) bgid;
}

/* Target direct-descriptor slot: the kernel reads file_index as slot + 1 (0 = none). */
static inline void __io_uring_set_target_fixed_file(struct io_uring_sqe *sqe,
						    unsigned int file_index)
{
	sqe->file_index = file_index + 1;
}

/*
 * The slot encoding of the *_direct preparers: slot + 1, except that
 * IORING_FILE_INDEX_ALLOC ("kernel picks a free slot") is stored as is.
 */
static inline void __ringcore_set_direct_slot(struct io_uring_sqe *sqe, unsigned int slot)
{
	if (slot == IORING_FILE_INDEX_ALLOC)
		sqe->file_index = IORING_FILE_INDEX_ALLOC;
	else
		__io_uring_set_target_fixed_file(sqe, slot);
}

/* ---------------------------------------------------------------------
 * The base preparer
 * ------------------------------------------------------------------- */

/*
 * Fill the whole SQE except user_data: opcode, fd, addr, len and off as
 * given; flags, ioprio, the op-flags word, buf_index, personality,
 * file_index and the last 16 bytes (addr3/__pad2) zero.
 */
static inline void io_uring_prep_rw(int op, struct io_uring_sqe *sqe, int fd,
				    const void *addr, unsigned len, __u64 offset)
{
	sqe->opcode = (__u8) op;
	sqe->flags = 0;
	sqe->ioprio = 0;
	sqe->fd = fd;
	sqe->off = offset;
	sqe->addr = __ringcore_ptr64(addr);
	sqe->len = len;
	sqe->rw_flags = 0;
	sqe->buf_index = 0;
	sqe->personality = 0;
	sqe->file_index = 0;
	sqe->addr3 = 0;
	sqe->__pad2[0] = 0;
}

/* ---------------------------------------------------------------------
 * Reads and writes
 * ------------------------------------------------------------------- */

static inline void io_uring_prep_read(struct io_uring_sqe *sqe, int fd,
				      void *buf, unsigned nbytes, __u64 offset)
{
	io_uring_prep_rw(IORING_OP_READ, sqe, fd, buf, nbytes, offset);
}

static inline void io_uring_prep_write(struct io_uring_sqe *sqe, int fd,
				       const void *buf, unsigned nbytes, __u64 offset)
{
	io_uring_prep_rw(IORING_OP_WRITE, sqe, fd, buf, nbytes, offset);
}

static inline void io_uring_prep_readv(struct io_uring_sqe *sqe, int fd,
				       const struct iovec *iovecs, unsigned nr_vecs,
				       __u64 offset)
{
	io_uring_prep_rw(IORING_OP_READV, sqe, fd, iovecs, nr_vecs, offset);
}

/* flags: RWF_* of preadv2(2). */
static inline void io_uring_prep_readv2(struct io_uring_sqe *sqe, int fd,
					const struct iovec *iovecs, unsigned nr_vecs,
					__u64 offset, int flags)
{
	io_uring_prep_readv(sqe, fd, iovecs, nr_vecs, offset);
	sqe->rw_flags = flags;
}

static inline void io_uring_prep_writev(struct io_uring_sqe *sqe, int fd,
					const struct iovec *iovecs, unsigned nr_vecs,
					__u64 offset)
{
	io_uring_prep_rw(IORING_OP_WRITEV, sqe, fd, iovecs, nr_vecs, offset);
}

static inline void io_uring_prep_writev2(struct io_uring_sqe *sqe, int fd,
					 const struct iovec *iovecs, unsigned nr_vecs,
					 __u64 offset, int flags)
{
	io_uring_prep_writev(sqe, fd, iovecs, nr_vecs, offset);
	sqe->rw_flags = flags;
}

/* buf must lie inside registered buffer buf_index. */
static inline void io_uring_prep_read_fixed(struct io_uring_sqe *sqe, int fd,
					    void *buf, unsigned nbytes, __u64 offset,
					    int buf_index)
{
	io_uring_prep_rw(IORING_OP_READ_FIXED, sqe, fd, buf, nbytes, offset);
	sqe->buf_index = (__u16) buf_index;
}

static inline void io_uring_prep_write_fixed(struct io_uring_sqe *sqe, int fd,
					     const void *buf, unsigned nbytes,
					     __u64 offset, int buf_index)
{
	io_uring_prep_rw(IORING_OP_WRITE_FIXED, sqe, fd, buf, nbytes, offset);
	sqe->buf_index = (__u16) buf_index;
}

/* Vectored read whose iovecs lie inside registered buffer buf_index (6.15+). */
static inline void io_uring_prep_readv_fixed(struct io_uring_sqe *sqe, int fd,
					     const struct iovec *iovecs, unsigned nr_vecs,
					     __u64 offset, int flags, int buf_index)
{
	io_uring_prep_readv2(sqe, fd, iovecs, nr_vecs, offset, flags);
	sqe->opcode = IORING_OP_READV_FIXED;
	sqe->buf_index = (__u16) buf_index;
}

static inline void io_uring_prep_writev_fixed(struct io_uring_sqe *sqe, int fd,
					      const struct iovec *iovecs, unsigned nr_vecs,
					      __u64 offset, int flags, int buf_index)
{
	io_uring_prep_writev2(sqe, fd, iovecs, nr_vecs, offset, flags);
	sqe->opcode = IORING_OP_WRITEV_FIXED;
	sqe->buf_index = (__u16) buf_index;
}

/* Multishot read into buffers of group buf_group; sets IOSQE_BUFFER_SELECT (6.7+). */
static inline void io_uring_prep_read_multishot(struct io_uring_sqe *sqe, int fd,
						unsigned nbytes, __u64 offset,
						int buf_group)
{
	io_uring_prep_rw(IORING_OP_READ_MULTISHOT, sqe, fd, NULL, nbytes, offset);
	sqe->buf_group = (__u16) buf_group;
	sqe->flags = IOSQE_BUFFER_SELECT;
}

/* ---------------------------------------------------------------------
 * File management
 * ------------------------------------------------------------------- */

static inline void io_uring_prep_fsync(struct io_uring_sqe *sqe, int fd,
				       unsigned fsync_flags)
{
	io_uring_prep_rw(IORING_OP_FSYNC, sqe, fd, NULL, 0, 0);
	sqe->fsync_flags = fsync_flags;
}

/* Note the order: len before offset. */
static inline void io_uring_prep_sync_file_range(struct io_uring_sqe *sqe, int fd,
						 unsigned len, __u64 offset, int flags)
{
	io_uring_prep_rw(IORING_OP_SYNC_FILE_RANGE, sqe, fd, NULL, len, offset);
	sqe->sync_range_flags = (__u32) flags;
}

/* mode goes in len, the length in addr. */
static inline void io_uring_prep_fallocate(struct io_uring_sqe *sqe, int fd,
					   int mode, __u64 offset, __u64 len)
{
	io_uring_prep_rw(IORING_OP_FALLOCATE, sqe, fd, NULL, (unsigned) mode, offset);
	sqe->addr = len;
}

/* A 32-bit length; see io_uring_prep_fadvise64() for longer ranges. */
static inline void io_uring_prep_fadvise(struct io_uring_sqe *sqe, int fd,
					 __u64 offset, __u32 len, int advice)
{
	io_uring_prep_rw(IORING_OP_FADVISE, sqe, fd, NULL, len, offset);
	sqe->fadvise_advice = (__u32) advice;
}

/* 64-bit length, carried in addr (6.12+). */
static inline void io_uring_prep_fadvise64(struct io_uring_sqe *sqe, int fd,
					   __u64 offset, off_t len, int advice)
{
	io_uring_prep_rw(IORING_OP_FADVISE, sqe, fd, NULL, 0, offset);
	sqe->addr = (__u64) len;
	sqe->fadvise_advice = (__u32) advice;
}

static inline void io_uring_prep_madvise(struct io_uring_sqe *sqe, void *addr,
					 __u32 length, int advice)
{
	io_uring_prep_rw(IORING_OP_MADVISE, sqe, -1, addr, length, 0);
	sqe->fadvise_advice = (__u32) advice;
}

/* 64-bit length, carried in off (6.12+). */
static inline void io_uring_prep_madvise64(struct io_uring_sqe *sqe, void *addr,
					   off_t length, int advice)
{
	io_uring_prep_rw(IORING_OP_MADVISE, sqe, -1, addr, 0, (__u64) length);
	sqe->fadvise_advice = (__u32) advice;
}

/* Truncate fd to len bytes (6.9+). */
static inline void io_uring_prep_ftruncate(struct io_uring_sqe *sqe, int fd, __s64 len)
{
	io_uring_prep_rw(IORING_OP_FTRUNCATE, sqe, fd, NULL, 0, (__u64) len);
}

/* mode goes in len, flags in open_flags. */
static inline void io_uring_prep_openat(struct io_uring_sqe *sqe, int dfd,
					const char *path, int flags, mode_t mode)
{
	io_uring_prep_rw(IORING_OP_OPENAT, sqe, dfd, path, (unsigned) mode, 0);
	sqe->open_flags = (__u32) flags;
}

/* Open into direct slot file_index, or a free one with IORING_FILE_INDEX_ALLOC. */
static inline void io_uring_prep_openat_direct(struct io_uring_sqe *sqe, int dfd,
					       const char *path, int flags, mode_t mode,
					       unsigned file_index)
{
	io_uring_prep_openat(sqe, dfd, path, flags, mode);
	__ringcore_set_direct_slot(sqe, file_index);
}

static inline void io_uring_prep_open(struct io_uring_sqe *sqe, const char *path,
				      int flags, mode_t mode)
{
	io_uring_prep_openat(sqe, AT_FDCWD, path, flags, mode);
}

static inline void io_uring_prep_open_direct(struct io_uring_sqe *sqe, const char *path,
					     int flags, mode_t mode, unsigned file_index)
{
	io_uring_prep_openat_direct(sqe, AT_FDCWD, path, flags, mode, file_index);
}

/* how's size goes in len, how itself in off. */
static inline void io_uring_prep_openat2(struct io_uring_sqe *sqe, int dfd,
					 const char *path, const struct open_how *how)
{
	io_uring_prep_rw(IORING_OP_OPENAT2, sqe, dfd, path, (unsigned) sizeof(*how),
			 __ringcore_ptr64(how));
}

static inline void io_uring_prep_openat2_direct(struct io_uring_sqe *sqe, int dfd,
						const char *path, const struct open_how *how,
						unsigned file_index)
{
	io_uring_prep_openat2(sqe, dfd, path, how);
	__ringcore_set_direct_slot(sqe, file_index);
}

static inline void io_uring_prep_close(struct io_uring_sqe *sqe, int fd)
{
	io_uring_prep_rw(IORING_OP_CLOSE, sqe, fd, NULL, 0, 0);
}

/* Close direct slot file_index (fd stays 0). */
static inline void io_uring_prep_close_direct(struct io_uring_sqe *sqe, unsigned file_index)
{
	io_uring_prep_close(sqe, 0);
	__io_uring_set_target_fixed_file(sqe, file_index);
}

/* mask goes in len, statxbuf in off. */
static inline void io_uring_prep_statx(struct io_uring_sqe *sqe, int dfd,
				       const char *path, int flags, unsigned mask,
				       struct statx *statxbuf)
{
	io_uring_prep_rw(IORING_OP_STATX, sqe, dfd, path, mask, __ringcore_ptr64(statxbuf));
	sqe->statx_flags = (__u32) flags;
}

/* Replace nr_fds registered files from slot offset (fds[i] may be -1 or IORING_REGISTER_FILES_SKIP). */
static inline void io_uring_prep_files_update(struct io_uring_sqe *sqe, int *fds,
					      unsigned nr_fds, int offset)
{
	io_uring_prep_rw(IORING_OP_FILES_UPDATE, sqe, -1, fds, nr_fds, (__u64) offset);
}

/* Turn direct descriptor fd into a normal one (6.8+); sets IOSQE_FIXED_FILE. */
static inline void io_uring_prep_fixed_fd_install(struct io_uring_sqe *sqe, int fd,
						  unsigned int flags)
{
	io_uring_prep_rw(IORING_OP_FIXED_FD_INSTALL, sqe, fd, NULL, 0, 0);
	sqe->flags = IOSQE_FIXED_FILE;
	sqe->install_fd_flags = flags;
}

/* Create a pipe; the two fds are written to fds[0..1] (6.16+). */
static inline void io_uring_prep_pipe(struct io_uring_sqe *sqe, int *fds, int pipe_flags)
{
	io_uring_prep_rw(IORING_OP_PIPE, sqe, 0, fds, 0, 0);
	sqe->pipe_flags = (__u32) pipe_flags;
}

/* ... as direct descriptors from slot file_index (or IORING_FILE_INDEX_ALLOC). */
static inline void io_uring_prep_pipe_direct(struct io_uring_sqe *sqe, int *fds,
					     int pipe_flags, unsigned int file_index)
{
	io_uring_prep_pipe(sqe, fds, pipe_flags);
	__ringcore_set_direct_slot(sqe, file_index);
}

/* ---------------------------------------------------------------------
 * Paths
 * ------------------------------------------------------------------- */

static inline void io_uring_prep_unlinkat(struct io_uring_sqe *sqe, int dfd,
					  const char *path, int flags)
{
	io_uring_prep_rw(IORING_OP_UNLINKAT, sqe, dfd, path, 0, 0);
	sqe->unlink_flags = (__u32) flags;
}

static inline void io_uring_prep_unlink(struct io_uring_sqe *sqe, const char *path, int flags)
{
	io_uring_prep_unlinkat(sqe, AT_FDCWD, path, flags);
}

/* newdfd goes in len, newpath in off. */
static inline void io_uring_prep_renameat(struct io_uring_sqe *sqe, int olddfd,
					  const char *oldpath, int newdfd,
					  const char *newpath, unsigned int flags)
{
	io_uring_prep_rw(IORING_OP_RENAMEAT, sqe, olddfd, oldpath, (unsigned) newdfd,
			 __ringcore_ptr64(newpath));
	sqe->rename_flags = flags;
}

static inline void io_uring_prep_rename(struct io_uring_sqe *sqe, const char *oldpath,
					const char *newpath)
{
	io_uring_prep_renameat(sqe, AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

static inline void io_uring_prep_mkdirat(struct io_uring_sqe *sqe, int dfd,
					 const char *path, mode_t mode)
{
	io_uring_prep_rw(IORING_OP_MKDIRAT, sqe, dfd, path, (unsigned) mode, 0);
}

static inline void io_uring_prep_mkdir(struct io_uring_sqe *sqe, const char *path, mode_t mode)
{
	io_uring_prep_mkdirat(sqe, AT_FDCWD, path, mode);
}

/* target goes in addr, linkpath in off, newdirfd in fd. */
static inline void io_uring_prep_symlinkat(struct io_uring_sqe *sqe, const char *target,
					   int newdirfd, const char *linkpath)
{
	io_uring_prep_rw(IORING_OP_SYMLINKAT, sqe, newdirfd, target, 0,
			 __ringcore_ptr64(linkpath));
}

static inline void io_uring_prep_symlink(struct io_uring_sqe *sqe, const char *target,
					 const char *linkpath)
{
	io_uring_prep_symlinkat(sqe, target, AT_FDCWD, linkpath);
}

/* newdfd goes in len, newpath in off. */
static inline void io_uring_prep_linkat(struct io_uring_sqe *sqe, int olddfd,
					const char *oldpath, int newdfd,
					const char *newpath, int flags)
{
	io_uring_prep_rw(IORING_OP_LINKAT, sqe, olddfd, oldpath, (unsigned) newdfd,
			 __ringcore_ptr64(newpath));
	sqe->hardlink_flags = (__u32) flags;
}

static inline void io_uring_prep_link(struct io_uring_sqe *sqe, const char *oldpath,
				      const char *newpath, int flags)
{
	io_uring_prep_linkat(sqe, AT_FDCWD, oldpath, AT_FDCWD, newpath, flags);
}

/* Extended attributes. Note the orders: name, value, then path (or fd first). */
static inline void io_uring_prep_getxattr(struct io_uring_sqe *sqe, const char *name,
					  char *value, const char *path, unsigned int len)
{
	io_uring_prep_rw(IORING_OP_GETXATTR, sqe, 0, name, len, __ringcore_ptr64(value));
	sqe->addr3 = __ringcore_ptr64(path);
	sqe->xattr_flags = 0;
}

static inline void io_uring_prep_setxattr(struct io_uring_sqe *sqe, const char *name,
					  const char *value, const char *path, int flags,
					  unsigned int len)
{
	io_uring_prep_rw(IORING_OP_SETXATTR, sqe, 0, name, len, __ringcore_ptr64(value));
	sqe->addr3 = __ringcore_ptr64(path);
	sqe->xattr_flags = (__u32) flags;
}

static inline void io_uring_prep_fgetxattr(struct io_uring_sqe *sqe, int fd,
					   const char *name, char *value, unsigned int len)
{
	io_uring_prep_rw(IORING_OP_FGETXATTR, sqe, fd, name, len, __ringcore_ptr64(value));
	sqe->xattr_flags = 0;
}

static inline void io_uring_prep_fsetxattr(struct io_uring_sqe *sqe, int fd,
					   const char *name, const char *value, int flags,
					   unsigned int len)
{
	io_uring_prep_rw(IORING_OP_FSETXATTR, sqe, fd, name, len, __ringcore_ptr64(value));
	sqe->xattr_flags = (__u32) flags;
}

/* ---------------------------------------------------------------------
 * Splice
 * ------------------------------------------------------------------- */

/*
 * Move nbytes from fd_in to fd_out; one of them must be a pipe, whose
 * offset must be -1. fd_out goes in fd, fd_in in splice_fd_in (a registered
 * file with SPLICE_F_FD_IN_FIXED in splice_flags).
 */
static inline void io_uring_prep_splice(struct io_uring_sqe *sqe, int fd_in, int64_t off_in,
					int fd_out, int64_t off_out, unsigned int nbytes,
					unsigned int splice_flags)
{
	io_uring_prep_rw(IORING_OP_SPLICE, sqe, fd_out, NULL, nbytes, (__u64) off_out);
	sqe->splice_off_in = (__u64) off_in;
	sqe->splice_fd_in = fd_in;
	sqe->splice_flags = splice_flags;
}

static inline void io_uring_prep_tee(struct io_uring_sqe *sqe, int fd_in, int fd_out,
				     unsigned int nbytes, unsigned int splice_flags)
{
	io_uring_prep_rw(IORING_OP_TEE, sqe, fd_out, NULL, nbytes, 0);
	sqe->splice_off_in = 0;
	sqe->splice_fd_in = fd_in;
	sqe->splice_flags = splice_flags;
}

/* ---------------------------------------------------------------------
 * Poll, timeouts, cancellation, NOP
 * ------------------------------------------------------------------- */

/*
 * The kernel reads poll32_events as two 16-bit halves in the legacy
 * poll_events order; on big endian the halves are swapped to match.
 */
static inline unsigned __io_uring_prep_poll_mask(unsigned poll_mask)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	poll_mask = (poll_mask << 16) | (poll_mask >> 16);
#endif
	return poll_mask;
}

static inline void io_uring_prep_poll_add(struct io_uring_sqe *sqe, int fd, unsigned poll_mask)
{
	io_uring_prep_rw(IORING_OP_POLL_ADD, sqe, fd, NULL, 0, 0);
	sqe->poll32_events = __io_uring_prep_poll_mask(poll_mask);
}

/* Multishot: the command flag goes in len. */
static inline void io_uring_prep_poll_multishot(struct io_uring_sqe *sqe, int fd,
						unsigned poll_mask)
{
	io_uring_prep_poll_add(sqe, fd, poll_mask);
	sqe->len = IORING_POLL_ADD_MULTI;
}

/* Remove the poll request whose user_data is user_data. */
static inline void io_uring_prep_poll_remove(struct io_uring_sqe *sqe, __u64 user_data)
{
	io_uring_prep_rw(IORING_OP_POLL_REMOVE, sqe, -1, NULL, 0, 0);
	sqe->addr = user_data;
}

/* flags (IORING_POLL_UPDATE_*, IORING_POLL_ADD_MULTI) go in len, the new user_data in off. */
static inline void io_uring_prep_poll_update(struct io_uring_sqe *sqe, __u64 old_user_data,
					     __u64 new_user_data, unsigned poll_mask,
					     unsigned flags)
{
	io_uring_prep_rw(IORING_OP_POLL_REMOVE, sqe, -1, NULL, flags, new_user_data);
	sqe->addr = old_user_data;
	sqe->poll32_events = __io_uring_prep_poll_mask(poll_mask);
}

/* Complete after ts, or after count other completions (count goes in off). */
static inline void io_uring_prep_timeout(struct io_uring_sqe *sqe,
					 const struct __kernel_timespec *ts,
					 unsigned count, unsigned flags)
{
	io_uring_prep_rw(IORING_OP_TIMEOUT, sqe, -1, ts, 1, count);
	sqe->timeout_flags = flags;
}

static inline void io_uring_prep_timeout_remove(struct io_uring_sqe *sqe, __u64 user_data,
						unsigned flags)
{
	io_uring_prep_rw(IORING_OP_TIMEOUT_REMOVE, sqe, -1, NULL, 0, 0);
	sqe->addr = user_data;
	sqe->timeout_flags = flags;
}

/* Re-arm timeout user_data with ts (in off); IORING_TIMEOUT_UPDATE is added. */
static inline void io_uring_prep_timeout_update(struct io_uring_sqe *sqe,
						const struct __kernel_timespec *ts,
						__u64 user_data, unsigned flags)
{
	io_uring_prep_rw(IORING_OP_TIMEOUT_REMOVE, sqe, -1, NULL, 0, __ringcore_ptr64(ts));
	sqe->addr = user_data;
	sqe->timeout_flags = flags | IORING_TIMEOUT_UPDATE;
}

static inline void io_uring_prep_link_timeout(struct io_uring_sqe *sqe,
					      const struct __kernel_timespec *ts,
					      unsigned flags)
{
	io_uring_prep_rw(IORING_OP_LINK_TIMEOUT, sqe, -1, ts, 1, 0);
	sqe->timeout_flags = flags;
}

/* Cancel by user_data (flags: IORING_ASYNC_CANCEL_*). */
static inline void io_uring_prep_cancel64(struct io_uring_sqe *sqe, __u64 user_data, int flags)
{
	io_uring_prep_rw(IORING_OP_ASYNC_CANCEL, sqe, -1, NULL, 0, 0);
	sqe->addr = user_data;
	sqe->cancel_flags = (__u32) flags;
}

static inline void io_uring_prep_cancel(struct io_uring_sqe *sqe, const void *user_data,
					int flags)
{
	io_uring_prep_cancel64(sqe, __ringcore_ptr64(user_data), flags);
}

/* Cancel by fd; IORING_ASYNC_CANCEL_FD is added to flags. */
static inline void io_uring_prep_cancel_fd(struct io_uring_sqe *sqe, int fd, unsigned int flags)
{
	io_uring_prep_rw(IORING_OP_ASYNC_CANCEL, sqe, fd, NULL, 0, 0);
	sqe->cancel_flags = flags | IORING_ASYNC_CANCEL_FD;
}

static inline void io_uring_prep_nop(struct io_uring_sqe *sqe)
{
	io_uring_prep_rw(IORING_OP_NOP, sqe, -1, NULL, 0, 0);
}

/* NOP in a 128-byte slot of an IORING_SETUP_SQE_MIXED ring (6.19). */
static inline void io_uring_prep_nop128(struct io_uring_sqe *sqe)
{
	io_uring_prep_rw(IORING_OP_NOP128, sqe, -1, NULL, 0, 0);
}

/* ---------------------------------------------------------------------
 * Networking
 * ------------------------------------------------------------------- */

/* addrlen (a pointer) goes in off. */
static inline void io_uring_prep_accept(struct io_uring_sqe *sqe, int fd,
					struct sockaddr *addr, socklen_t *addrlen, int flags)
{
	io_uring_prep_rw(IORING_OP_ACCEPT, sqe, fd, addr, 0, __ringcore_ptr64(addrlen));
	sqe->accept_flags = (__u32) flags;
}

static inline void io_uring_prep_accept_direct(struct io_uring_sqe *sqe, int fd,
					       struct sockaddr *addr, socklen_t *addrlen,
					       int flags, unsigned int file_index)
{
	io_uring_prep_accept(sqe, fd, addr, addrlen, flags);
	__ringcore_set_direct_slot(sqe, file_index);
}

static inline void io_uring_prep_multishot_accept(struct io_uring_sqe *sqe, int fd,
						  struct sockaddr *addr, socklen_t *addrlen,
						  int flags)
{
	io_uring_prep_accept(sqe, fd, addr, addrlen, flags);
	sqe->ioprio |= IORING_ACCEPT_MULTISHOT;
}

/* Multishot accept always allocates direct slots. */
static inline void io_uring_prep_multishot_accept_direct(struct io_uring_sqe *sqe, int fd,
							 struct sockaddr *addr,
							 socklen_t *addrlen, int flags)
{
	io_uring_prep_multishot_accept(sqe, fd, addr, addrlen, flags);
	sqe->file_index = IORING_FILE_INDEX_ALLOC;
}

/* addrlen (a value) goes in off. */
static inline void io_uring_prep_connect(struct io_uring_sqe *sqe, int fd,
					 const struct sockaddr *addr, socklen_t addrlen)
{
	io_uring_prep_rw(IORING_OP_CONNECT, sqe, fd, addr, 0, addrlen);
}

/* (6.11+) */
static inline void io_uring_prep_bind(struct io_uring_sqe *sqe, int fd,
				      const struct sockaddr *addr, socklen_t addrlen)
{
	io_uring_prep_rw(IORING_OP_BIND, sqe, fd, addr, 0, addrlen);
}

/* (6.11+) */
static inline void io_uring_prep_listen(struct io_uring_sqe *sqe, int fd, int backlog)
{
	io_uring_prep_rw(IORING_OP_LISTEN, sqe, fd, NULL, (unsigned) backlog, 0);
}

static inline void io_uring_prep_shutdown(struct io_uring_sqe *sqe, int fd, int how)
{
	io_uring_prep_rw(IORING_OP_SHUTDOWN, sqe, fd, NULL, (unsigned) how, 0);
}

/* domain goes in fd, protocol in len, type in off, flags (must be 0) in rw_flags. */
static inline void io_uring_prep_socket(struct io_uring_sqe *sqe, int domain, int type,
					int protocol, unsigned int flags)
{
	io_uring_prep_rw(IORING_OP_SOCKET, sqe, domain, NULL, (unsigned) protocol,
			 (__u64) type);
	sqe->rw_flags = (__kernel_rwf_t) flags;
}

/* Note the order: file_index before flags. */
static inline void io_uring_prep_socket_direct(struct io_uring_sqe *sqe, int domain, int type,
					       int protocol, unsigned file_index,
					       unsigned int flags)
{
	io_uring_prep_socket(sqe, domain, type, protocol, flags);
	__ringcore_set_direct_slot(sqe, file_index);
}

static inline void io_uring_prep_socket_direct_alloc(struct io_uring_sqe *sqe, int domain,
						     int type, int protocol, unsigned int flags)
{
	io_uring_prep_socket(sqe, domain, type, protocol, flags);
	sqe->file_index = IORING_FILE_INDEX_ALLOC;
}

static inline void io_uring_prep_send(struct io_uring_sqe *sqe, int sockfd, const void *buf,
				      size_t len, int flags)
{
	io_uring_prep_rw(IORING_OP_SEND, sqe, sockfd, buf, (__u32) len, 0);
	sqe->msg_flags = (__u32) flags;
}

/* Send from a bundle of provided buffers (select the group with io_uring_sqe_set_buf_group). */
static inline void io_uring_prep_send_bundle(struct io_uring_sqe *sqe, int sockfd,
					     size_t len, int flags)
{
	io_uring_prep_send(sqe, sockfd, NULL, len, flags);
	sqe->ioprio |= IORING_RECVSEND_BUNDLE;
}

/* Destination address of a send/send_zc: addr2 and addr_len. */
static inline void io_uring_prep_send_set_addr(struct io_uring_sqe *sqe,
					       const struct sockaddr *dest_addr,
					       __u16 addr_len)
{
	sqe->addr2 = __ringcore_ptr64(dest_addr);
	sqe->addr_len = addr_len;
}

static inline void io_uring_prep_sendto(struct io_uring_sqe *sqe, int sockfd,
					const void *buf, size_t len, int flags,
					const struct sockaddr *addr, socklen_t addrlen)
{
	io_uring_prep_send(sqe, sockfd, buf, len, flags);
	io_uring_prep_send_set_addr(sqe, addr, (__u16) addrlen);
}

/* Zero-copy send; zc_flags (IORING_RECVSEND_*, IORING_SEND_ZC_*) replace ioprio. */
static inline void io_uring_prep_send_zc(struct io_uring_sqe *sqe, int sockfd,
					 const void *buf, size_t len, int flags,
					 unsigned zc_flags)
{
	io_uring_prep_rw(IORING_OP_SEND_ZC, sqe, sockfd, buf, (__u32) len, 0);
	sqe->msg_flags = (__u32) flags;
	sqe->ioprio = (__u16) zc_flags;
}

static inline void io_uring_prep_send_zc_fixed(struct io_uring_sqe *sqe, int sockfd,
					       const void *buf, size_t len, int flags,
					       unsigned zc_flags, unsigned buf_index)
{
	io_uring_prep_send_zc(sqe, sockfd, buf, len, flags, zc_flags);
	sqe->ioprio |= IORING_RECVSEND_FIXED_BUF;
	sqe->buf_index = (__u16) buf_index;
}

static inline void io_uring_prep_sendmsg(struct io_uring_sqe *sqe, int fd,
					 const struct msghdr *msg, unsigned flags)
{
	io_uring_prep_rw(IORING_OP_SENDMSG, sqe, fd, msg, 1, 0);
	sqe->msg_flags = flags;
}

static inline void io_uring_prep_sendmsg_zc(struct io_uring_sqe *sqe, int fd,
					    const struct msghdr *msg, unsigned flags)
{
	io_uring_prep_sendmsg(sqe, fd, msg, flags);
	sqe->opcode = IORING_OP_SENDMSG_ZC;
}

static inline void io_uring_prep_sendmsg_zc_fixed(struct io_uring_sqe *sqe, int fd,
						  const struct msghdr *msg, unsigned flags,
						  unsigned buf_index)
{
	io_uring_prep_sendmsg_zc(sqe, fd, msg, flags);
	sqe->ioprio |= IORING_RECVSEND_FIXED_BUF;
	sqe->buf_index = (__u16) buf_index;
}

static inline void io_uring_prep_recv(struct io_uring_sqe *sqe, int sockfd, void *buf,
				      size_t len, int flags)
{
	io_uring_prep_rw(IORING_OP_RECV, sqe, sockfd, buf, (__u32) len, 0);
	sqe->msg_flags = (__u32) flags;
}

static inline void io_uring_prep_recv_multishot(struct io_uring_sqe *sqe, int sockfd,
						void *buf, size_t len, int flags)
{
	io_uring_prep_recv(sqe, sockfd, buf, len, flags);
	sqe->ioprio |= IORING_RECV_MULTISHOT;
}

static inline void io_uring_prep_recvmsg(struct io_uring_sqe *sqe, int fd,
					 struct msghdr *msg, unsigned flags)
{
	io_uring_prep_rw(IORING_OP_RECVMSG, sqe, fd, msg, 1, 0);
	sqe->msg_flags = flags;
}

static inline void io_uring_prep_recvmsg_multishot(struct io_uring_sqe *sqe, int fd,
						   struct msghdr *msg, unsigned flags)
{
	io_uring_prep_recvmsg(sqe, fd, msg, flags);
	sqe->ioprio |= IORING_RECV_MULTISHOT;
}

/* Note the order: epfd, then the target fd (in off), then op (in len). */
static inline void io_uring_prep_epoll_ctl(struct io_uring_sqe *sqe, int epfd, int fd,
					   int op, const struct epoll_event *ev)
{
	io_uring_prep_rw(IORING_OP_EPOLL_CTL, sqe, epfd, ev, (unsigned) op, (__u32) fd);
}

/* (6.15+) */
static inline void io_uring_prep_epoll_wait(struct io_uring_sqe *sqe, int fd,
					    struct epoll_event *events, int maxevents,
					    unsigned flags)
{
	io_uring_prep_rw(IORING_OP_EPOLL_WAIT, sqe, fd, events, (unsigned) maxevents, 0);
	sqe->rw_flags = (__kernel_rwf_t) flags;
}

/* ---------------------------------------------------------------------
 * Provided buffers
 * ------------------------------------------------------------------- */

/* nr buffers of len bytes from addr, ids from bid, into group bgid (nr goes in fd). */
static inline void io_uring_prep_provide_buffers(struct io_uring_sqe *sqe, void *addr,
						 int len, int nr, int bgid, int bid)
{
	io_uring_prep_rw(IORING_OP_PROVIDE_BUFFERS, sqe, nr, addr, (unsigned) len,
			 (__u64) bid);
	sqe->buf_group = (__u16) bgid;
}

static inline void io_uring_prep_remove_buffers(struct io_uring_sqe *sqe, int nr, int bgid)
{
	io_uring_prep_rw(IORING_OP_REMOVE_BUFFERS, sqe, nr, NULL, 0, 0);
	sqe->buf_group = (__u16) bgid;
}

/* ---------------------------------------------------------------------
 * Ring messages
 * ------------------------------------------------------------------- */

/* Post a CQE (res = len, user_data = data) in the ring fd. */
static inline void io_uring_prep_msg_ring(struct io_uring_sqe *sqe, int fd, unsigned int len,
					  __u64 data, unsigned int flags)
{
	io_uring_prep_rw(IORING_OP_MSG_RING, sqe, fd, NULL, len, data);
	sqe->msg_ring_flags = flags;
}

/* ... with cqe_flags as the target CQE's flags (6.10+). */
static inline void io_uring_prep_msg_ring_cqe_flags(struct io_uring_sqe *sqe, int fd,
						    unsigned int len, __u64 data,
						    unsigned int flags, unsigned int cqe_flags)
{
	io_uring_prep_msg_ring(sqe, fd, len, data, flags | IORING_MSG_RING_FLAGS_PASS);
	sqe->file_index = cqe_flags;
}

/*
 * Install our direct descriptor source_fd into slot target_fd of the ring
 * fd (IORING_FILE_INDEX_ALLOC: a free slot); data is the target CQE's
 * user_data.
 */
static inline void io_uring_prep_msg_ring_fd(struct io_uring_sqe *sqe, int fd,
					     int source_fd, int target_fd, __u64 data,
					     unsigned int flags)
{
	io_uring_prep_rw(IORING_OP_MSG_RING, sqe, fd, NULL, 0, data);
	sqe->addr = IORING_MSG_SEND_FD;
	sqe->addr3 = (__u64) source_fd;
	__ringcore_set_direct_slot(sqe, (unsigned int) target_fd);
	sqe->msg_ring_flags = flags;
}

static inline void io_uring_prep_msg_ring_fd_alloc(struct io_uring_sqe *sqe, int fd,
						   int source_fd, __u64 data,
						   unsigned int flags)
{
	io_uring_prep_msg_ring_fd(sqe, fd, source_fd, (int) IORING_FILE_INDEX_ALLOC, data,
				  flags);
}

/* ---------------------------------------------------------------------
 * Commands, processes, futexes
 * ------------------------------------------------------------------- */

/* Note the order: cmd_op before fd. The payload (sqe->cmd) starts zeroed. */
static inline void io_uring_prep_uring_cmd(struct io_uring_sqe *sqe, int cmd_op, int fd)
{
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = (__u32) cmd_op;
}

/* ... in a 128-byte slot of an IORING_SETUP_SQE_MIXED ring (6.19). */
static inline void io_uring_prep_uring_cmd128(struct io_uring_sqe *sqe, int cmd_op, int fd)
{
	io_uring_prep_rw(IORING_OP_URING_CMD128, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = (__u32) cmd_op;
}

/* Socket command (SOCKET_URING_OP_*); the option value pointer goes in optval (addr3). */
static inline void io_uring_prep_cmd_sock(struct io_uring_sqe *sqe, int cmd_op, int fd,
					  int level, int optname, void *optval, int optlen)
{
	io_uring_prep_uring_cmd(sqe, cmd_op, fd);
	sqe->level = (__u32) level;
	sqe->optname = (__u32) optname;
	sqe->optval = __ringcore_ptr64(optval);
	sqe->optlen = (__u32) optlen;
}

/* Discard nbytes at offset of block device fd (6.12+). */
static inline void io_uring_prep_cmd_discard(struct io_uring_sqe *sqe, int fd,
					     uint64_t offset, uint64_t nbytes)
{
	io_uring_prep_uring_cmd(sqe, BLOCK_URING_CMD_DISCARD, fd);
	sqe->addr = offset;
	sqe->addr3 = nbytes;
}

/* id goes in fd, idtype in len, options in file_index, infop in addr2 (6.7+). */
static inline void io_uring_prep_waitid(struct io_uring_sqe *sqe, idtype_t idtype, id_t id,
					siginfo_t *infop, int options, unsigned int flags)
{
	io_uring_prep_rw(IORING_OP_WAITID, sqe, (int) id, NULL, (unsigned) idtype, 0);
	sqe->waitid_flags = flags;
	sqe->file_index = (__u32) options;
	sqe->addr2 = __ringcore_ptr64(infop);
}

/* futex_flags (FUTEX2_*) go in fd, val in off, mask in addr3 (6.7+). */
static inline void io_uring_prep_futex_wake(struct io_uring_sqe *sqe, const uint32_t *futex,
					    uint64_t val, uint64_t mask,
					    uint32_t futex_flags, unsigned int flags)
{
	io_uring_prep_rw(IORING_OP_FUTEX_WAKE, sqe, (int) futex_flags, futex, 0, val);
	sqe->futex_flags = flags;
	sqe->addr3 = mask;
}

static inline void io_uring_prep_futex_wait(struct io_uring_sqe *sqe, const uint32_t *futex,
					    uint64_t val, uint64_t mask,
					    uint32_t futex_flags, unsigned int flags)
{
	io_uring_prep_rw(IORING_OP_FUTEX_WAIT, sqe, (int) futex_flags, futex, 0, val);
	sqe->futex_flags = flags;
	sqe->addr3 = mask;
}

static inline void io_uring_prep_futex_waitv(struct io_uring_sqe *sqe,
					     const struct futex_waitv *futex,
					     uint32_t nr_futex, unsigned int flags)
{
	io_uring_prep_rw(IORING_OP_FUTEX_WAITV, sqe, 0, futex, nr_futex, 0);
	sqe->futex_flags = flags;
}

/* ---------------------------------------------------------------------
 * Multishot recvmsg buffers: [io_uring_recvmsg_out][name][control][payload]
 * where name and control have the sizes the msghdr passed to the prep had.
 * ------------------------------------------------------------------- */

/* buf if buf_len bytes hold at least the header, name and control; else NULL. */
static inline struct io_uring_recvmsg_out *
io_uring_recvmsg_validate(void *buf, int buf_len, struct msghdr *msgh)
{
	unsigned long need = sizeof(struct io_uring_recvmsg_out) +
			     (unsigned long) msgh->msg_namelen + msgh->msg_controllen;

	if (buf_len < 0 || (unsigned long) buf_len < need)
		return NULL;
	return (struct io_uring_recvmsg_out *) buf;
}

static inline void *io_uring_recvmsg_name(struct io_uring_recvmsg_out *o)
{
	return (void *) (o + 1);
}

/* Start of the control area (whether or not a header fits there). */
static inline unsigned char *__ringcore_recvmsg_control(struct io_uring_recvmsg_out *o,
							struct msghdr *msgh)
{
	return (unsigned char *) io_uring_recvmsg_name(o) + msgh->msg_namelen;
}

/* The first control message, or NULL if the kernel wrote less than one header. */
static inline struct cmsghdr *io_uring_recvmsg_cmsg_firsthdr(struct io_uring_recvmsg_out *o,
							     struct msghdr *msgh)
{
	if (o->controllen < sizeof(struct cmsghdr))
		return NULL;
	return (struct cmsghdr *) __ringcore_recvmsg_control(o, msgh);
}

/* The control message after cmsg, or NULL if it does not fit in what the kernel wrote. */
static inline struct cmsghdr *io_uring_recvmsg_cmsg_nexthdr(struct io_uring_recvmsg_out *o,
							    struct msghdr *msgh,
							    struct cmsghdr *cmsg)
{
	unsigned char *end = __ringcore_recvmsg_control(o, msgh) + o->controllen;
	unsigned char *next;

	if (cmsg->cmsg_len < sizeof(struct cmsghdr))
		return NULL;
	next = (unsigned char *) cmsg + CMSG_ALIGN(cmsg->cmsg_len);
	if (next + sizeof(struct cmsghdr) > end)
		return NULL;
	if (next + CMSG_ALIGN(((struct cmsghdr *) next)->cmsg_len) > end)
		return NULL;
	return (struct cmsghdr *) next;
}

static inline void *io_uring_recvmsg_payload(struct io_uring_recvmsg_out *o,
					     struct msghdr *msgh)
{
	return (void *) (__ringcore_recvmsg_control(o, msgh) + msgh->msg_controllen);
}

/* Bytes from the payload's start to the end of a buffer of buf_len bytes. */
static inline unsigned int io_uring_recvmsg_payload_length(struct io_uring_recvmsg_out *o,
							   int buf_len, struct msghdr *msgh)
{
	uintptr_t start = (uintptr_t) io_uring_recvmsg_payload(o, msgh);
	uintptr_t end = (uintptr_t) o + (uintptr_t) (intptr_t) buf_len;

	return (unsigned int) (end - start);
}

/* ---------------------------------------------------------------------
 * Provided-buffer rings (the ring itself is registered elsewhere)
 * ------------------------------------------------------------------- */

/* Index mask of a ring of ring_entries (a power of two). */
static inline int io_uring_buf_ring_mask(__u32 ring_entries)
{
	return (int) (ring_entries - 1);
}

static inline void io_uring_buf_ring_init(struct io_uring_buf_ring *br)
{
	br->tail = 0;
}

/*
 * Fill the entry buf_offset places past the tail; the kernel sees it only
 * after io_uring_buf_ring_advance(). The entry's resv is left alone (in
 * entry 0 it is the tail).
 */
static inline void io_uring_buf_ring_add(struct io_uring_buf_ring *br, void *addr,
					 unsigned int len, unsigned short bid, int mask,
					 int buf_offset)
{
	struct io_uring_buf *buf = &br->bufs[(br->tail + buf_offset) & mask];

	buf->addr = __ringcore_ptr64(addr);
	buf->len = len;
	buf->bid = bid;
}

/* Publish count added entries (release store of the tail). */
static inline void io_uring_buf_ring_advance(struct io_uring_buf_ring *br, int count)
{
	__u16 tail = (__u16) (br->tail + count);

	io_uring_smp_store_release(&br->tail, tail);
}

/* Publish buf_count entries and mark cq_count CQEs seen. */
static inline void __io_uring_buf_ring_cq_advance(struct io_uring *ring,
						  struct io_uring_buf_ring *br,
						  int cq_count, int buf_count)
{
	io_uring_buf_ring_advance(br, buf_count);
	io_uring_cq_advance(ring, (unsigned) cq_count);
}

static inline void io_uring_buf_ring_cq_advance(struct io_uring *ring,
						struct io_uring_buf_ring *br, int count)
{
	__io_uring_buf_ring_cq_advance(ring, br, count, count);
}

#ifdef __cplusplus
}
#endif

#endif /* RINGCORE_LIBURING_PREP_H */
