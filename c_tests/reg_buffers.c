/* Registered buffers: registering twice is refused, unregistering twice too; a sparse table
 * can be registered after. */
#include <sys/uio.h>

#include "check.h"

int main(void) {
  struct ringcore_ring *ring = test_ring(8);
  static char a[4096], b[8192];
  struct iovec iovs[2] = {{a, sizeof a}, {b, sizeof b}};

  CHECK_EQ(ringcore_register_buffers(ring, NULL, 2), -EINVAL);
  CHECK_EQ(ringcore_register_buffers(NULL, iovs, 2), -EINVAL);
  CHECK_EQ(ringcore_register_buffers(ring, iovs, 2), 0);
  CHECK_EQ(ringcore_register_buffers(ring, iovs, 2), -EBUSY);
  CHECK_EQ(ringcore_unregister_buffers(ring), 0);
  CHECK_EQ(ringcore_unregister_buffers(ring), -ENXIO);
  CHECK_EQ(ringcore_register_buffers_sparse(ring, 16), 0);
  CHECK_EQ(ringcore_unregister_buffers(ring), 0);
  /* A zero-length buffer is refused by the kernel. */
  iovs[1].iov_len = 0;
  CHECK(ringcore_register_buffers(ring, iovs, 2) < 0);
  ringcore_ring_free(ring);
  printf("reg_buffers: register/unregister as the kernel rules\n");
  return 0;
}
