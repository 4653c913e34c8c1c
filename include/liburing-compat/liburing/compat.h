/* SPDX-License-Identifier: MIT */
/*
 * ringcore's liburing-compatible face: the kernel types liburing's
 * <liburing/compat.h> provides. On Linux these come from the kernel's own
 * uapi headers, which every supported distribution ships.
 */
#ifndef LIBURING_COMPAT_H
#define LIBURING_COMPAT_H

#include <linux/time_types.h>	/* struct __kernel_timespec */
#include <linux/openat2.h>	/* struct open_how, RESOLVE_* */
#include <linux/ioctl.h>	/* _IO, for the block command below */

/* The block-device uring_cmd that discards a byte range (linux/blkdev.h, 6.12+). */
#ifndef BLOCK_URING_CMD_DISCARD
#define BLOCK_URING_CMD_DISCARD	_IO(0x12, 0)
#endif

#endif /* LIBURING_COMPAT_H */
