/* NOP batches through the inline fast paths and the exported calls: every SQE comes back
 * once, with its user_data, res 0, and the ring's counters agree at each step. */
#include "check.h"

#define ENTRIES 64
#define BATCH 32
#define ROUNDS 40

int main(void) {
  struct ringcore_ring *ring = test_ring(ENTRIES);
  struct ringcore_cqe *cqes[BATCH];
  unsigned char seen[BATCH * ROUNDS] = {0};
  unsigned round, i, total = 0;

  CHECK_EQ(ringcore_sq_space_left(ring), ENTRIES);
  for (round = 0; round < ROUNDS; round++) {
    int use_exported = round % 2;
    for (i = 0; i < BATCH; i++) {
      struct ringcore_sqe *sqe = use_exported ? (ringcore_get_sqe)(ring) : ringcore_get_sqe(ring);
      CHECK(sqe != NULL);
      CHECK_EQ(sqe->opcode, 0);
      CHECK_EQ(sqe->user_data, 0); /* handed out zeroed */
      ringcore_prep_nop(sqe);
      ringcore_sqe_set_data64(sqe, round * BATCH + i);
    }
    CHECK_EQ(ringcore_sq_space_left(ring), ENTRIES - BATCH);
    CHECK_EQ(ringcore_submit_and_wait(ring, BATCH), BATCH);
    CHECK_EQ(ringcore_sq_space_left(ring), ENTRIES);
    CHECK_EQ(ringcore_cq_ready(ring), BATCH);
    {
      unsigned n = use_exported ? (ringcore_peek_batch_cqe)(ring, cqes, BATCH)
                                : ringcore_peek_batch_cqe(ring, cqes, BATCH);
      CHECK_EQ(n, BATCH);
      for (i = 0; i < n; i++) {
        CHECK_EQ(cqes[i]->res, 0);
        CHECK(cqes[i]->user_data < BATCH * ROUNDS);
        CHECK_EQ(seen[cqes[i]->user_data], 0);
        seen[cqes[i]->user_data] = 1;
      }
      if (use_exported)
        (ringcore_cq_advance)(ring, n);
      else
        ringcore_cq_advance(ring, n);
      total += n;
    }
    CHECK_EQ(ringcore_cq_ready(ring), 0);
  }
  CHECK_EQ(total, BATCH * ROUNDS);

  /* A full SQ: exactly ENTRIES SQEs, then NULL from both paths until a submit. */
  for (i = 0; i < ENTRIES; i++) {
    struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
    CHECK(sqe != NULL);
    ringcore_prep_nop(sqe);
    ringcore_sqe_set_data64(sqe, 1000 + i);
  }
  CHECK(ringcore_get_sqe(ring) == NULL);
  CHECK((ringcore_get_sqe)(ring) == NULL);
  CHECK_EQ(ringcore_sq_space_left(ring), 0);
  CHECK_EQ(ringcore_submit(ring), ENTRIES);
  CHECK(ringcore_get_sqe(ring) != NULL); /* room again (this one is a zeroed NOP) */
  CHECK_EQ(ringcore_submit_and_wait(ring, ENTRIES + 1), 1);

  /* peek/seen one at a time, in submission order. */
  for (i = 0; i < ENTRIES; i++) {
    struct ringcore_cqe *cqe = NULL;
    CHECK_EQ(ringcore_peek_cqe(ring, &cqe), 0);
    CHECK_EQ(cqe->user_data, 1000 + i);
    CHECK_EQ(cqe->res, 0);
    if (i % 2)
      ringcore_cqe_seen(ring, cqe);
    else
      (ringcore_cqe_seen)(ring, cqe);
  }
  {
    struct ringcore_cqe *cqe = NULL;
    CHECK_EQ(ringcore_wait_cqe(ring, &cqe), 0);
    CHECK_EQ(cqe->user_data, 0);
    ringcore_cqe_seen(ring, cqe);
    CHECK_EQ(ringcore_peek_cqe(ring, &cqe), -EAGAIN);
    CHECK_EQ((ringcore_peek_cqe)(ring, &cqe), -EAGAIN);
    CHECK_EQ(ringcore_peek_batch_cqe(ring, cqes, BATCH), 0);
    /* Advancing past what is ready is clamped. */
    ringcore_cq_advance(ring, 5);
    (ringcore_cq_advance)(ring, 5);
    CHECK_EQ(ringcore_cq_ready(ring), 0);
  }
  ringcore_ring_free(ring);
  printf("nop: %u NOPs in batches of %u, plus a full SQ\n", total, BATCH);
  return 0;
}
