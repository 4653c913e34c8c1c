/* ringcore_peek_batch_cqe and ringcore_cq_advance, inline and exported, over many laps of a
 * small CQ: batches smaller and larger than what is ready, one CQE at a time, and advances
 * past what is ready (clamped, so the head never passes the kernel's tail). */
#include "check.h"

#define ENTRIES 8 /* a CQ of 16: the laps below wrap it many times */
#define MAX_BATCH 8

int main(void) {
  struct ringcore_ring *ring = test_ring(ENTRIES);
  struct ringcore_cqe *in[MAX_BATCH + 1], *ex[MAX_BATCH + 1];
  unsigned long long next = 0, expect = 0;
  unsigned round, i;

  for (round = 0; round < 200; round++) {
    unsigned submit = 1 + round % ENTRIES;  /* 1..8 NOPs per round */
    unsigned chunk = 1 + round % 5;         /* peeked 1..5 at a time */
    unsigned left = submit;
    for (i = 0; i < submit; i++) {
      struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
      CHECK(sqe != NULL);
      ringcore_prep_nop(sqe);
      ringcore_sqe_set_data64(sqe, next++);
    }
    CHECK_EQ(ringcore_submit_and_wait(ring, submit), submit);
    while (left > 0) {
      unsigned want = chunk < left ? chunk : left;
      /* Ask for one more than `want` when that is all that is left: the count is clamped. */
      unsigned ask = want == left ? want + 1 : want;
      unsigned n = ringcore_peek_batch_cqe(ring, in, ask);
      CHECK_EQ(n, want);
      CHECK_EQ((ringcore_peek_batch_cqe)(ring, ex, ask), want);
      for (i = 0; i < n; i++) {
        CHECK(in[i] == ex[i]);
        CHECK_EQ(in[i]->user_data, expect + i);
        CHECK_EQ(in[i]->res, 0);
      }
      if (round % 2)
        ringcore_cq_advance(ring, n);
      else
        (ringcore_cq_advance)(ring, n);
      expect += n;
      left -= n;
      CHECK_EQ(ringcore_cq_ready(ring), left);
    }
    CHECK_EQ(ringcore_peek_batch_cqe(ring, in, MAX_BATCH), 0);
  }

  /* Three ready, advance by ten: only the three go, and the next CQE is found where the
   * kernel puts it (a head past the tail would hide it). Both paths. */
  for (round = 0; round < 2; round++) {
    for (i = 0; i < 3; i++)
      ringcore_prep_nop(ringcore_get_sqe(ring));
    CHECK_EQ(ringcore_submit_and_wait(ring, 3), 3);
    if (round)
      (ringcore_cq_advance)(ring, 10);
    else
      ringcore_cq_advance(ring, 10);
    CHECK_EQ(ringcore_cq_ready(ring), 0);
    ringcore_sqe_set_data64(ringcore_get_sqe(ring), 777);
    CHECK_EQ(ringcore_submit_and_wait(ring, 1), 1);
    CHECK_EQ(ringcore_peek_batch_cqe(ring, in, MAX_BATCH), 1);
    CHECK_EQ(in[0]->user_data, 777);
    ringcore_cq_advance(ring, 1);
  }
  ringcore_ring_free(ring);
  printf("peek_batch: %llu NOPs peeked in clamped batches over a wrapping CQ\n", expect);
  return 0;
}
