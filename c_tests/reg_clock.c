/* The wait clock: CLOCK_BOOTTIME is accepted and timed waits still time out; an unknown clock
 * is refused. */
#include <time.h>

#include "check.h"

int main(void) {
  struct ringcore_ring *ring = test_ring(8);
  struct ringcore_cqe *cqe = NULL;
  int ret = ringcore_register_clock(ring, CLOCK_BOOTTIME);

  if (ret == -EINVAL)
    SKIP("kernel lacks IORING_REGISTER_CLOCK");
  CHECK_EQ(ret, 0);
  CHECK_EQ(ringcore_wait_cqe_timeout(ring, &cqe, 5 * 1000 * 1000), -ETIME);
  CHECK_EQ(ringcore_register_clock(ring, CLOCK_MONOTONIC), 0);
  CHECK_EQ(ringcore_register_clock(ring, CLOCK_REALTIME), -EINVAL);
  ringcore_ring_free(ring);
  printf("reg_clock: BOOTTIME and MONOTONIC accepted\n");
  return 0;
}
