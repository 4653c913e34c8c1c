/* io-wq worker limits: set, then read back (the call returns the previous limits). */
#include "check.h"

int main(void) {
  struct ringcore_ring *ring = test_ring(8);
  unsigned counts[2] = {3, 5};
  int ret = ringcore_register_iowq_max_workers(ring, counts);

  if (ret == -EINVAL)
    SKIP("kernel lacks IORING_REGISTER_IOWQ_MAX_WORKERS");
  CHECK_EQ(ret, 0);
  counts[0] = counts[1] = 0;
  CHECK_EQ(ringcore_register_iowq_max_workers(ring, counts), 0);
  CHECK_EQ(counts[0], 3);
  CHECK_EQ(counts[1], 5);
  CHECK_EQ(ringcore_register_iowq_max_workers(ring, NULL), -EINVAL);
  ringcore_ring_free(ring);
  printf("reg_iowq: limits 3/5 read back\n");
  return 0;
}
