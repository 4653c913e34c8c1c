/* Rings with 128-byte SQEs and 32-byte CQEs (RINGCORE_SETUP_SQE128 | CQE32): SQEs come from the
 * exported path at 128-byte strides, CQEs are read at 32-byte strides by the inline and exported
 * peeks, and ringcore_run keeps plain 32-byte CQEs intact when it moves them. */
#include "check.h"

static int calls;

static void on_nop(void *userdata, int32_t res, uint32_t flags) {
  (void)userdata;
  (void)flags;
  CHECK_EQ(res, 0);
  calls++;
}

int main(void) {
  struct ringcore_ring *ring = NULL;
  struct ringcore_params p;
  struct ringcore_cqe *cqes[8];
  struct ringcore_sqe *prev = NULL;
  int i, ret;

  memset(&p, 0, sizeof p);
  p.flags = RINGCORE_SETUP_SQE128 | RINGCORE_SETUP_CQE32;
  ret = ringcore_ring_new(8, &p, &ring);
  if (ret == -EINVAL)
    SKIP("kernel lacks IORING_SETUP_SQE128/CQE32");
  CHECK_EQ(ret, 0);

  for (i = 0; i < 8; i++) {
    struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
    CHECK(sqe != NULL);
    if (prev != NULL)
      CHECK_EQ((char *)sqe - (char *)prev, 128);
    prev = sqe;
    ringcore_prep_nop(sqe);
    ringcore_sqe_set_data64(sqe, 100 + i);
  }
  CHECK(ringcore_get_sqe(ring) == NULL);
  CHECK_EQ(ringcore_submit_and_wait(ring, 8), 8);
  CHECK_EQ(ringcore_peek_batch_cqe(ring, cqes, 8), 8);
  for (i = 0; i < 8; i++) {
    CHECK_EQ(cqes[i]->user_data, 100 + i);
    if (i > 0)
      CHECK_EQ((char *)cqes[i] - (char *)cqes[i - 1], 32);
  }
  ringcore_cq_advance(ring, 8);

  /* Plain and callback NOPs mixed: the plain ones survive the move, the 32 bytes whole. */
  for (i = 0; i < 6; i++) {
    struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
    uint64_t token;
    ringcore_prep_nop(sqe);
    if (i % 2 == 0)
      ringcore_sqe_set_data64(sqe, 200 + i);
    else
      CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_nop, NULL, &token), 0);
  }
  CHECK_EQ(ringcore_run(ring, 6), 3);
  CHECK_EQ(calls, 3);
  for (i = 0; i < 3; i++) {
    struct ringcore_cqe *cqe = NULL;
    CHECK_EQ((ringcore_peek_cqe)(ring, &cqe), 0);
    CHECK_EQ(cqe->user_data, 200 + 2 * i);
    CHECK_EQ(cqe->res, 0);
    ringcore_cqe_seen(ring, cqe);
  }
  CHECK_EQ(ringcore_cq_ready(ring), 0);
  ringcore_ring_free(ring);
  printf("big_entries: 128-byte SQEs and 32-byte CQEs\n");
  return 0;
}
