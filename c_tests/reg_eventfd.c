/* A registered eventfd is signalled when CQEs are posted, and not after unregistering. */
#include <sys/eventfd.h>
#include <unistd.h>

#include "check.h"

static void nops(struct ringcore_ring *ring, unsigned n) {
  unsigned i;
  for (i = 0; i < n; i++)
    ringcore_prep_nop(ringcore_get_sqe(ring));
  CHECK_EQ(ringcore_submit_and_wait(ring, n), n);
  ringcore_cq_advance(ring, n);
}

int main(void) {
  struct ringcore_ring *ring = test_ring(8);
  int efd = eventfd(0, EFD_NONBLOCK);
  uint64_t count = 0;

  CHECK(efd >= 0);
  CHECK_EQ(ringcore_register_eventfd(ring, efd), 0);
  CHECK_EQ(ringcore_register_eventfd(ring, efd), -EBUSY);
  nops(ring, 3);
  CHECK_EQ(read(efd, &count, sizeof count), sizeof count);
  CHECK(count >= 1);
  CHECK_EQ(ringcore_unregister_eventfd(ring), 0);
  CHECK_EQ(ringcore_unregister_eventfd(ring), -ENXIO);
  nops(ring, 2);
  CHECK(read(efd, &count, sizeof count) < 0); /* nothing signalled: EAGAIN */
  CHECK_EQ(ringcore_register_eventfd_async(ring, efd), 0);
  CHECK_EQ(ringcore_unregister_eventfd(ring), 0);
  CHECK_EQ(ringcore_register_eventfd(ring, -1), -EBADF);
  close(efd);
  ringcore_ring_free(ring);
  printf("reg_eventfd: signalled while registered only\n");
  return 0;
}
