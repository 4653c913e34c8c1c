/* Plain and callback CQEs in one ring: ringcore_run dispatches the callback ones and leaves
 * the plain ones, in order, for ringcore_peek_cqe. */
#include "check.h"

#define N 24

static uint64_t order[256];
static int ncalls;

static void on_nop(void *userdata, int32_t res, uint32_t flags) {
  (void)flags;
  CHECK_EQ(res, 0);
  CHECK(ncalls < 256);
  order[ncalls++] = (uint64_t)(uintptr_t)userdata;
}

int main(void) {
  struct ringcore_ring *ring = test_ring(32);
  int i, plain = 0, with_cb = 0, ran;
  uint64_t expect = 0;

  /* Interleave: every third SQE is plain. */
  for (i = 0; i < N; i++) {
    struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
    CHECK(sqe != NULL);
    ringcore_prep_nop(sqe);
    if (i % 3 == 0) {
      ringcore_sqe_set_data64(sqe, 500 + i);
      plain++;
    } else {
      uint64_t token;
      CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_nop, (void *)(uintptr_t)i, &token), 0);
      with_cb++;
    }
  }
  ran = ringcore_run(ring, N);
  CHECK_EQ(ran, with_cb);
  CHECK_EQ(ncalls, with_cb);
  for (i = 0; i < ncalls; i++) {
    /* Callbacks ran in CQE order: the indices not divisible by 3, ascending. */
    CHECK(order[i] % 3 != 0);
    CHECK(i == 0 || order[i] > order[i - 1]);
  }
  /* Only the plain CQEs are left, in submission order. */
  CHECK_EQ(ringcore_cq_ready(ring), plain);
  for (i = 0; i < plain; i++) {
    struct ringcore_cqe *cqe = NULL;
    CHECK_EQ(ringcore_peek_cqe(ring, &cqe), 0);
    CHECK_EQ(cqe->user_data, 500 + expect);
    expect += 3;
    ringcore_cqe_seen(ring, cqe);
  }
  CHECK_EQ(ringcore_cq_ready(ring), 0);

  /* Many more callback CQEs than one dispatch round (64) behind plain ones. */
  {
    int round;
    ncalls = 0;
    for (round = 0; round < 5; round++) {
      for (i = 0; i < 30; i++) {
        struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
        uint64_t token;
        CHECK(sqe != NULL);
        ringcore_prep_nop(sqe);
        if (i == 0) {
          ringcore_sqe_set_data64(sqe, 900 + round);
        } else {
          CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_nop, (void *)(uintptr_t)i, &token),
                   0);
        }
      }
      CHECK_EQ(ringcore_submit_and_wait(ring, 30), 30);
      /* The CQ has 64 slots: leave the plain CQEs there and dispatch the rest each round. */
      CHECK_EQ(ringcore_run(ring, 0), 29);
      CHECK_EQ(ringcore_cq_ready(ring), round + 1);
    }
    CHECK_EQ(ncalls, 5 * 29);
    for (round = 0; round < 5; round++) {
      struct ringcore_cqe *cqe = NULL;
      CHECK_EQ(ringcore_peek_cqe(ring, &cqe), 0);
      CHECK_EQ(cqe->user_data, 900 + round);
      ringcore_cqe_seen(ring, cqe);
    }
  }
  /* With nothing to dispatch, run returns 0 and leaves plain CQEs alone. */
  {
    struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
    ringcore_prep_nop(sqe);
    ringcore_sqe_set_data64(sqe, 1);
    CHECK_EQ(ringcore_run(ring, 1), 0);
    CHECK_EQ(ringcore_cq_ready(ring), 1);
    ringcore_cq_advance(ring, 1);
  }
  ringcore_ring_free(ring);
  printf("mixed: %d callback and %d plain CQEs shared the ring\n", with_cb, plain);
  return 0;
}
