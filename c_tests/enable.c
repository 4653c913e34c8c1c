/* Registration that the ring offers: a ring created disabled (RINGCORE_SETUP_R_DISABLED)
 * refuses submissions until ringcore_ring_enable, then works. */
#include "check.h"

int main(void) {
  struct ringcore_ring *ring = NULL;
  struct ringcore_params p;
  struct ringcore_cqe *cqe;
  int ret;

  memset(&p, 0, sizeof p);
  p.flags = RINGCORE_SETUP_R_DISABLED;
  ret = ringcore_ring_new(8, &p, &ring);
  if (ret == -EINVAL)
    SKIP("kernel lacks IORING_SETUP_R_DISABLED");
  CHECK_EQ(ret, 0);
  ringcore_prep_nop(ringcore_get_sqe(ring));
  CHECK_EQ(ringcore_submit(ring), -EBADFD);
  CHECK_EQ(ringcore_submit_and_wait(ring, 1), -EBADFD);
  CHECK_EQ(ringcore_ring_enable(ring), 0);
  CHECK_EQ(ringcore_ring_enable(ring), -EBADFD);
  CHECK_EQ(ringcore_submit_and_wait(ring, 1), 1);
  CHECK_EQ(ringcore_peek_cqe(ring, &cqe), 0);
  CHECK_EQ(cqe->res, 0);
  ringcore_cqe_seen(ring, cqe);
  ringcore_ring_free(ring);
  printf("enable: disabled ring refused submits until enabled\n");
  return 0;
}
