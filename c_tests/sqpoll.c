/* A ring with a kernel SQ polling thread (RINGCORE_SETUP_SQPOLL): batches of NOPs complete
 * through the same calls, and the poller is woken when it sleeps. */
#include <unistd.h>

#include "check.h"

int main(void) {
  struct ringcore_ring *ring = NULL;
  struct ringcore_params p;
  int round, i, ret;

  memset(&p, 0, sizeof p);
  p.flags = RINGCORE_SETUP_SQPOLL;
  p.sq_thread_idle = 1; /* ms: let it fall asleep between rounds */
  ret = ringcore_ring_new(16, &p, &ring);
  if (ret == -EPERM || ret == -EINVAL)
    SKIP("SQPOLL not available here (%s)", ringcore_strerror(ret));
  CHECK_EQ(ret, 0);
  for (round = 0; round < 5; round++) {
    for (i = 0; i < 8; i++) {
      struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
      CHECK(sqe != NULL);
      ringcore_prep_nop(sqe);
      ringcore_sqe_set_data64(sqe, round * 8 + i);
    }
    CHECK(ringcore_submit_and_wait(ring, 8) >= 0);
    for (i = 0; i < 8; i++) {
      struct ringcore_cqe *cqe = NULL;
      CHECK_EQ(ringcore_wait_cqe(ring, &cqe), 0);
      CHECK_EQ(cqe->user_data, round * 8 + i);
      CHECK_EQ(cqe->res, 0);
      ringcore_cqe_seen(ring, cqe);
    }
    usleep(5000);
  }
  ringcore_ring_free(ring);
  printf("sqpoll: 40 NOPs through a polled SQ\n");
  return 0;
}
