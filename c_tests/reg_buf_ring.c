/* A provided-buffer ring: reads that select from its group get a buffer the CQE names, its
 * bytes hold the data, and recycling hands it back. */
#include <unistd.h>

#include "check.h"

#define GROUP 7

/* Submits a read of up to 64 bytes from `fd` into a buffer of GROUP; returns the CQE's res and
 * stores the buffer id. */
static int read_selected(struct ringcore_ring *ring, int fd, int *bid) {
  struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
  struct ringcore_cqe *cqe = NULL;
  int res;
  CHECK(sqe != NULL);
  ringcore_prep_read(sqe, fd, NULL, 64, (uint64_t)-1);
  sqe->flags |= RINGCORE_SQE_BUFFER_SELECT;
  sqe->buf_index = GROUP;
  CHECK_EQ(ringcore_submit_and_wait(ring, 1), 1);
  CHECK_EQ(ringcore_peek_cqe(ring, &cqe), 0);
  res = cqe->res;
  *bid = (cqe->flags & RINGCORE_CQE_F_BUFFER) ? (int)(cqe->flags >> RINGCORE_CQE_BUFFER_SHIFT)
                                              : -1;
  ringcore_cqe_seen(ring, cqe);
  return res;
}

int main(void) {
  struct ringcore_ring *ring = test_ring(8);
  struct ringcore_buf_ring *br = NULL, *dup = NULL;
  int fds[2], bid, i, seen = 0;
  int ret = ringcore_buf_ring_new(ring, GROUP, 2, 64, &br);

  if (ret == -EINVAL)
    SKIP("kernel lacks IORING_REGISTER_PBUF_RING");
  CHECK_EQ(ret, 0);
  CHECK_EQ(ringcore_buf_ring_new(ring, GROUP, 2, 64, &dup), -EEXIST);
  CHECK(dup == NULL);
  CHECK_EQ(ringcore_buf_ring_new(ring, 8, 3, 64, &dup), -EINVAL); /* not a power of two */
  CHECK_EQ(ringcore_buf_ring_new(NULL, 8, 2, 64, &dup), -EINVAL);
  CHECK_EQ(ringcore_buf_ring_new(ring, 8, 2, 64, NULL), -EINVAL);
  CHECK(pipe(fds) == 0);

  /* Use both buffers, then run dry, then recycle one and use it again. */
  for (i = 0; i < 2; i++) {
    char msg[16];
    const char *got;
    snprintf(msg, sizeof msg, "msg%d", i);
    CHECK_EQ(write(fds[1], msg, 4), 4);
    CHECK_EQ(read_selected(ring, fds[0], &bid), 4);
    CHECK(bid == 0 || bid == 1);
    seen |= 1 << bid;
    got = ringcore_buf_ring_buffer(br, (uint16_t)bid);
    CHECK(got != NULL);
    CHECK(memcmp(got, msg, 4) == 0);
  }
  CHECK_EQ(seen, 3);
  CHECK_EQ(write(fds[1], "more", 4), 4);
  CHECK_EQ(read_selected(ring, fds[0], &bid), -ENOBUFS);
  CHECK_EQ(ringcore_buf_ring_recycle(br, 1), 0);
  CHECK_EQ(read_selected(ring, fds[0], &bid), 4);
  CHECK_EQ(bid, 1);
  CHECK(memcmp(ringcore_buf_ring_buffer(br, 1), "more", 4) == 0);
  CHECK_EQ(ringcore_buf_ring_recycle(br, 9), -EINVAL);
  CHECK(ringcore_buf_ring_buffer(br, 9) == NULL);
  CHECK(ringcore_buf_ring_buffer(NULL, 0) == NULL);
  CHECK_EQ(ringcore_buf_ring_recycle(NULL, 0), -EINVAL);

  ringcore_buf_ring_free(br);
  ringcore_buf_ring_free(NULL);
  close(fds[0]);
  close(fds[1]);
  ringcore_ring_free(ring);
  printf("reg_buf_ring: provided buffers selected, named and recycled\n");
  return 0;
}
