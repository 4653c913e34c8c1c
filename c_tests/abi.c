/* The shared structures and constants agree with the kernel's <linux/io_uring.h>, and the
 * header's inline fast paths fill SQEs exactly as the exported functions do. */
#include <linux/io_uring.h>
#include <stddef.h>

#include "check.h"

#define SAME_SIZE(a, b) _Static_assert(sizeof(struct a) == sizeof(struct b), #a " size")
#define SAME_OFF(a, fa, b, fb) \
  _Static_assert(offsetof(struct a, fa) == offsetof(struct b, fb), #a "." #fa " offset")

SAME_SIZE(ringcore_sqe, io_uring_sqe);
_Static_assert(sizeof(struct ringcore_sqe) == 64, "SQE is 64 bytes");
SAME_OFF(ringcore_sqe, opcode, io_uring_sqe, opcode);
SAME_OFF(ringcore_sqe, flags, io_uring_sqe, flags);
SAME_OFF(ringcore_sqe, ioprio, io_uring_sqe, ioprio);
SAME_OFF(ringcore_sqe, fd, io_uring_sqe, fd);
SAME_OFF(ringcore_sqe, off, io_uring_sqe, off);
SAME_OFF(ringcore_sqe, off, io_uring_sqe, addr2);
SAME_OFF(ringcore_sqe, addr, io_uring_sqe, addr);
SAME_OFF(ringcore_sqe, addr, io_uring_sqe, splice_off_in);
SAME_OFF(ringcore_sqe, len, io_uring_sqe, len);
SAME_OFF(ringcore_sqe, op_flags, io_uring_sqe, rw_flags);
SAME_OFF(ringcore_sqe, op_flags, io_uring_sqe, timeout_flags);
SAME_OFF(ringcore_sqe, user_data, io_uring_sqe, user_data);
SAME_OFF(ringcore_sqe, buf_index, io_uring_sqe, buf_index);
SAME_OFF(ringcore_sqe, buf_index, io_uring_sqe, buf_group);
SAME_OFF(ringcore_sqe, personality, io_uring_sqe, personality);
SAME_OFF(ringcore_sqe, file_index, io_uring_sqe, splice_fd_in);
SAME_OFF(ringcore_sqe, file_index, io_uring_sqe, file_index);
SAME_OFF(ringcore_sqe, addr3, io_uring_sqe, addr3);
SAME_OFF(ringcore_sqe, pad2, io_uring_sqe, __pad2);

SAME_SIZE(ringcore_cqe, io_uring_cqe);
SAME_OFF(ringcore_cqe, user_data, io_uring_cqe, user_data);
SAME_OFF(ringcore_cqe, res, io_uring_cqe, res);
SAME_OFF(ringcore_cqe, flags, io_uring_cqe, flags);

SAME_SIZE(ringcore_params, io_uring_params);
SAME_OFF(ringcore_params, sq_entries, io_uring_params, sq_entries);
SAME_OFF(ringcore_params, cq_entries, io_uring_params, cq_entries);
SAME_OFF(ringcore_params, flags, io_uring_params, flags);
SAME_OFF(ringcore_params, sq_thread_cpu, io_uring_params, sq_thread_cpu);
SAME_OFF(ringcore_params, sq_thread_idle, io_uring_params, sq_thread_idle);
SAME_OFF(ringcore_params, features, io_uring_params, features);
SAME_OFF(ringcore_params, wq_fd, io_uring_params, wq_fd);
SAME_OFF(ringcore_params, resv, io_uring_params, resv);
SAME_OFF(ringcore_params, sq_off, io_uring_params, sq_off);
SAME_OFF(ringcore_params, cq_off, io_uring_params, cq_off);

SAME_SIZE(ringcore_sqring_offsets, io_sqring_offsets);
SAME_OFF(ringcore_sqring_offsets, head, io_sqring_offsets, head);
SAME_OFF(ringcore_sqring_offsets, tail, io_sqring_offsets, tail);
SAME_OFF(ringcore_sqring_offsets, ring_mask, io_sqring_offsets, ring_mask);
SAME_OFF(ringcore_sqring_offsets, ring_entries, io_sqring_offsets, ring_entries);
SAME_OFF(ringcore_sqring_offsets, flags, io_sqring_offsets, flags);
SAME_OFF(ringcore_sqring_offsets, dropped, io_sqring_offsets, dropped);
SAME_OFF(ringcore_sqring_offsets, array, io_sqring_offsets, array);
SAME_OFF(ringcore_sqring_offsets, resv1, io_sqring_offsets, resv1);
SAME_OFF(ringcore_sqring_offsets, user_addr, io_sqring_offsets, resv2); /* user_addr in newer headers */

SAME_SIZE(ringcore_cqring_offsets, io_cqring_offsets);
SAME_OFF(ringcore_cqring_offsets, head, io_cqring_offsets, head);
SAME_OFF(ringcore_cqring_offsets, tail, io_cqring_offsets, tail);
SAME_OFF(ringcore_cqring_offsets, ring_mask, io_cqring_offsets, ring_mask);
SAME_OFF(ringcore_cqring_offsets, ring_entries, io_cqring_offsets, ring_entries);
SAME_OFF(ringcore_cqring_offsets, overflow, io_cqring_offsets, overflow);
SAME_OFF(ringcore_cqring_offsets, cqes, io_cqring_offsets, cqes);
SAME_OFF(ringcore_cqring_offsets, flags, io_cqring_offsets, flags);
SAME_OFF(ringcore_cqring_offsets, user_addr, io_cqring_offsets, resv2); /* user_addr in newer headers */

/* Constants the system header knows agree with ours. */
_Static_assert(RINGCORE_OP_NOP == IORING_OP_NOP, "NOP");
_Static_assert(RINGCORE_OP_READ == IORING_OP_READ, "READ");
_Static_assert(RINGCORE_OP_WRITE == IORING_OP_WRITE, "WRITE");
_Static_assert(RINGCORE_OP_ASYNC_CANCEL == IORING_OP_ASYNC_CANCEL, "ASYNC_CANCEL");
_Static_assert(RINGCORE_OP_SEND_ZC == IORING_OP_SEND_ZC, "SEND_ZC");
_Static_assert(RINGCORE_SQE_FIXED_FILE == IOSQE_FIXED_FILE, "FIXED_FILE");
_Static_assert(RINGCORE_SQE_IO_LINK == IOSQE_IO_LINK, "IO_LINK");
_Static_assert(RINGCORE_SQE_CQE_SKIP_SUCCESS == IOSQE_CQE_SKIP_SUCCESS, "CQE_SKIP_SUCCESS");
_Static_assert(RINGCORE_CQE_F_MORE == IORING_CQE_F_MORE, "CQE_F_MORE");
_Static_assert(RINGCORE_CQE_F_BUFFER == IORING_CQE_F_BUFFER, "CQE_F_BUFFER");
_Static_assert(RINGCORE_SETUP_SQPOLL == IORING_SETUP_SQPOLL, "SETUP_SQPOLL");
_Static_assert(RINGCORE_SETUP_R_DISABLED == IORING_SETUP_R_DISABLED, "SETUP_R_DISABLED");
_Static_assert(RINGCORE_SETUP_DEFER_TASKRUN == IORING_SETUP_DEFER_TASKRUN, "DEFER_TASKRUN");
_Static_assert(RINGCORE_FEAT_EXT_ARG == IORING_FEAT_EXT_ARG, "FEAT_EXT_ARG");

/* The ring state the inlines read is what the Rust side pins. */
_Static_assert(sizeof(struct ringcore_ring_state) == 80, "state size");
_Static_assert(offsetof(struct ringcore_ring_state, sq_tail) == 48, "state sq_tail");
_Static_assert(offsetof(struct ringcore_ring_state, cq_entries) == 76, "state cq_entries");

int main(void) {
  struct ringcore_ring *ring = test_ring(8);
  struct ringcore_params p;
  struct ringcore_sqe *a, *b;
  char buf[16];

  /* The kernel's answer is visible through the params (and is what the state holds). */
  CHECK_EQ(ringcore_ring_params(ring, &p), 0);
  CHECK_EQ(p.sq_entries, 8);
  CHECK(p.cq_entries >= 16);
  CHECK(p.features & RINGCORE_FEAT_SINGLE_MMAP);
  CHECK(ringcore_ring_fd(ring) >= 0);
  {
    const struct ringcore_ring_state *s = (const struct ringcore_ring_state *)(void *)ring;
    CHECK_EQ(s->sq_entries, p.sq_entries);
    CHECK_EQ(s->cq_entries, p.cq_entries);
    CHECK_EQ(s->sq_mask, p.sq_entries - 1);
  }

  /* Inline and exported preparers write identical bytes. */
  a = ringcore_get_sqe(ring);   /* inline */
  b = (ringcore_get_sqe)(ring); /* exported */
  CHECK(a != NULL && b != NULL && a != b);
  ringcore_prep_read(a, 3, buf, sizeof buf, 7);
  (ringcore_prep_read)(b, 3, buf, sizeof buf, 7);
  ringcore_sqe_set_data64(a, 42);
  (ringcore_sqe_set_data64)(b, 42);
  ringcore_sqe_set_flags(a, RINGCORE_SQE_IO_LINK);
  (ringcore_sqe_set_flags)(b, RINGCORE_SQE_IO_LINK);
  CHECK(memcmp(a, b, sizeof *a) == 0);
  CHECK_EQ(a->opcode, IORING_OP_READ);
  CHECK_EQ(a->addr, (uint64_t)(uintptr_t)buf);
  CHECK_EQ(a->len, sizeof buf);
  CHECK_EQ(a->off, 7);
  CHECK_EQ(a->fd, 3);

  /* Reuse both slots for writes and NOPs and compare again. */
  memset(a, 0xff, sizeof *a);
  memset(b, 0, sizeof *b);
  memset(a, 0, sizeof *a);
  ringcore_prep_write(a, 4, buf, 5, 9);
  (ringcore_prep_write)(b, 4, buf, 5, 9);
  CHECK(memcmp(a, b, sizeof *a) == 0);
  CHECK_EQ(a->opcode, IORING_OP_WRITE);
  memset(a, 0, sizeof *a);
  memset(b, 0, sizeof *b);
  ringcore_prep_nop(a);
  (ringcore_prep_nop)(b);
  CHECK(memcmp(a, b, sizeof *a) == 0);

  /* The two SQEs are NOPs now; submit and reap them so the ring is clean. */
  CHECK_EQ(ringcore_submit_and_wait(ring, 2), 2);
  CHECK_EQ(ringcore_cq_ready(ring), 2);
  ringcore_cq_advance(ring, 2);
  ringcore_ring_free(ring);
  printf("abi: structs, constants and inline/exported preparers agree\n");
  return 0;
}
