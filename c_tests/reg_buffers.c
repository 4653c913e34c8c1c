/* Registered buffers: a write from and a read into registered buffers move the bytes;
 * registering twice is refused, unregistering twice too; a sparse table can be registered
 * after. */
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"

int main(void) {
  struct ringcore_ring *ring = test_ring(8);
  static char a[4096], b[8192];
  struct iovec iovs[2] = {{a, sizeof a}, {b, sizeof b}};

  CHECK_EQ(ringcore_register_buffers(ring, NULL, 2), -EINVAL);
  CHECK_EQ(ringcore_register_buffers(NULL, iovs, 2), -EINVAL);
  CHECK_EQ(ringcore_register_buffers(ring, iovs, 2), 0);
  CHECK_EQ(ringcore_register_buffers(ring, iovs, 2), -EBUSY);
  {
    /* Write 100 bytes from buffer 0 into a pipe, read them back into buffer 1 at offset 8. */
    int fds[2], i;
    struct ringcore_sqe *sqe;
    struct ringcore_cqe *cqe = NULL;
    CHECK(pipe(fds) == 0);
    for (i = 0; i < 100; i++)
      a[i] = (char)(i * 3);
    sqe = ringcore_get_sqe(ring);
    ringcore_prep_write_fixed(sqe, fds[1], a, 100, 0, 0);
    ringcore_sqe_set_data64(sqe, 1);
    CHECK_EQ(ringcore_submit_and_wait(ring, 1), 1);
    CHECK_EQ(ringcore_peek_cqe(ring, &cqe), 0);
    CHECK_EQ(cqe->res, 100);
    ringcore_cqe_seen(ring, cqe);
    sqe = ringcore_get_sqe(ring);
    ringcore_prep_read_fixed(sqe, fds[0], b + 8, 100, 0, 1);
    ringcore_sqe_set_data64(sqe, 2);
    CHECK_EQ(ringcore_submit_and_wait(ring, 1), 1);
    CHECK_EQ(ringcore_peek_cqe(ring, &cqe), 0);
    CHECK_EQ(cqe->res, 100);
    ringcore_cqe_seen(ring, cqe);
    CHECK(memcmp(a, b + 8, 100) == 0);
    /* A buffer index that is not registered fails the request. */
    sqe = ringcore_get_sqe(ring);
    ringcore_prep_read_fixed(sqe, fds[0], b, 10, 0, 5);
    CHECK_EQ(ringcore_submit_and_wait(ring, 1), 1);
    CHECK_EQ(ringcore_peek_cqe(ring, &cqe), 0);
    CHECK(cqe->res == -EFAULT || cqe->res == -EINVAL);
    ringcore_cqe_seen(ring, cqe);
    close(fds[0]);
    close(fds[1]);
  }
  CHECK_EQ(ringcore_unregister_buffers(ring), 0);
  CHECK_EQ(ringcore_unregister_buffers(ring), -ENXIO);
  CHECK_EQ(ringcore_register_buffers_sparse(ring, 16), 0);
  CHECK_EQ(ringcore_unregister_buffers(ring), 0);
  /* A zero-length buffer is refused by the kernel. */
  iovs[1].iov_len = 0;
  CHECK(ringcore_register_buffers(ring, iovs, 2) < 0);
  ringcore_ring_free(ring);
  printf("reg_buffers: fixed write and read through registered buffers\n");
  return 0;
}
