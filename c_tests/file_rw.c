/* Write a file through the ring, read it back through the ring, compare; a wait with a
 * timeout on an empty ring gives -ETIME. */
#include <fcntl.h>
#include <unistd.h>

#include "check.h"

#define SIZE 8192

int main(void) {
  char path[] = "/tmp/ringcore-c-XXXXXX";
  static unsigned char out[SIZE], in[SIZE];
  struct ringcore_ring *ring = test_ring(8);
  struct ringcore_cqe *cqe = NULL;
  struct ringcore_sqe *sqe;
  int fd = mkstemp(path), i;

  CHECK(fd >= 0);
  unlink(path);
  for (i = 0; i < SIZE; i++)
    out[i] = (unsigned char)(i * 7 + 3);

  /* Two writes at offsets, linked so they run in order. */
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_write(sqe, fd, out, SIZE / 2, 0);
  ringcore_sqe_set_data64(sqe, 1);
  ringcore_sqe_set_flags(sqe, RINGCORE_SQE_IO_LINK);
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_write(sqe, fd, out + SIZE / 2, SIZE / 2, SIZE / 2);
  ringcore_sqe_set_data64(sqe, 2);
  CHECK_EQ(ringcore_submit_and_wait(ring, 2), 2);
  for (i = 1; i <= 2; i++) {
    CHECK_EQ(ringcore_wait_cqe(ring, &cqe), 0);
    CHECK_EQ(cqe->user_data, i);
    CHECK_EQ(cqe->res, SIZE / 2);
    ringcore_cqe_seen(ring, cqe);
  }
  {
    off_t end = lseek(fd, 0, SEEK_END);
    CHECK_EQ(end, SIZE);
  }

  /* Read it all back and compare. */
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_read(sqe, fd, in, SIZE, 0);
  ringcore_sqe_set_data64(sqe, 3);
  CHECK_EQ(ringcore_submit(ring), 1);
  CHECK_EQ(ringcore_wait_cqe(ring, &cqe), 0);
  CHECK_EQ(cqe->user_data, 3);
  CHECK_EQ(cqe->res, SIZE);
  ringcore_cqe_seen(ring, cqe);
  CHECK(memcmp(in, out, SIZE) == 0);

  /* Reading past the end gives 0 bytes. */
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_read(sqe, fd, in, SIZE, SIZE);
  CHECK_EQ(ringcore_submit_and_wait(ring, 1), 1);
  CHECK_EQ(ringcore_peek_cqe(ring, &cqe), 0);
  CHECK_EQ(cqe->res, 0);
  ringcore_cqe_seen(ring, cqe);

  /* A read of a bad fd fails in its CQE, not in the call. */
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_read(sqe, 9999, in, 16, 0);
  CHECK_EQ(ringcore_submit_and_wait(ring, 1), 1);
  CHECK_EQ(ringcore_peek_cqe(ring, &cqe), 0);
  CHECK_EQ(cqe->res, -EBADF);
  ringcore_cqe_seen(ring, cqe);

  /* Nothing in flight: the timed wait runs out. */
  {
    struct ringcore_params p;
    CHECK_EQ(ringcore_ring_params(ring, &p), 0);
    if (p.features & RINGCORE_FEAT_EXT_ARG) {
      cqe = NULL;
      CHECK_EQ(ringcore_wait_cqe_timeout(ring, &cqe, 20 * 1000 * 1000), -ETIME);
      CHECK(cqe == NULL); /* not written on failure */
    } else {
      CHECK_EQ(ringcore_wait_cqe_timeout(ring, &cqe, 1000), -EINVAL);
    }
  }
  /* A timed wait that finds a CQE. */
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_nop(sqe);
  ringcore_sqe_set_data64(sqe, 5);
  CHECK_EQ(ringcore_wait_cqe_timeout(ring, &cqe, 1000ull * 1000 * 1000), 0);
  CHECK_EQ(cqe->user_data, 5);
  ringcore_cqe_seen(ring, cqe);

  close(fd);
  ringcore_ring_free(ring);
  printf("file_rw: wrote and read back %d bytes\n", SIZE);
  return 0;
}
