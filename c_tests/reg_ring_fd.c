/* A registered ring fd: submits and waits keep working through the registered index, and
 * after unregistering through the plain fd again. */
#include "check.h"

static void nops(struct ringcore_ring *ring, unsigned n) {
  unsigned i;
  for (i = 0; i < n; i++) {
    struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
    ringcore_prep_nop(sqe);
    ringcore_sqe_set_data64(sqe, i);
  }
  CHECK_EQ(ringcore_submit_and_wait(ring, n), n);
  CHECK_EQ(ringcore_cq_ready(ring), n);
  ringcore_cq_advance(ring, n);
}

int main(void) {
  struct ringcore_ring *ring = test_ring(8);
  int index = ringcore_register_ring_fd(ring);

  if (index == -EINVAL)
    SKIP("kernel lacks IORING_REGISTER_RING_FDS");
  CHECK(index >= 0);
  CHECK_EQ(ringcore_register_ring_fd(ring), -EBUSY);
  nops(ring, 4);
  CHECK_EQ(ringcore_unregister_ring_fd(ring), 0);
  CHECK(ringcore_unregister_ring_fd(ring) < 0);
  nops(ring, 4);
  ringcore_ring_free(ring);
  printf("reg_ring_fd: registered index %d\n", index);
  return 0;
}
