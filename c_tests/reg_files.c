/* Registered files: a write through a registered index (RINGCORE_SQE_FIXED_FILE) reaches the
 * pipe; an update moves the slot to another pipe; an empty slot fails with -EBADF. */
#include <unistd.h>

#include "check.h"

static int write_fixed_index(struct ringcore_ring *ring, int index, const char *msg) {
  struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
  struct ringcore_cqe *cqe = NULL;
  int res;
  CHECK(sqe != NULL);
  ringcore_prep_write(sqe, index, msg, (unsigned)strlen(msg), 0);
  ringcore_sqe_set_flags(sqe, RINGCORE_SQE_FIXED_FILE);
  CHECK_EQ(ringcore_submit_and_wait(ring, 1), 1);
  CHECK_EQ(ringcore_peek_cqe(ring, &cqe), 0);
  res = cqe->res;
  ringcore_cqe_seen(ring, cqe);
  return res;
}

int main(void) {
  struct ringcore_ring *ring = test_ring(8);
  int p1[2], p2[2], fds[3], upd;
  char got[16] = {0};

  CHECK(pipe(p1) == 0 && pipe(p2) == 0);
  fds[0] = -1;
  fds[1] = p1[1];
  fds[2] = -1;
  CHECK_EQ(ringcore_register_files(ring, NULL, 3), -EINVAL);
  CHECK_EQ(ringcore_register_files(ring, fds, 3), 0);
  CHECK_EQ(ringcore_register_files(ring, fds, 3), -EBUSY);
  CHECK_EQ(write_fixed_index(ring, 1, "one"), 3);
  CHECK_EQ(read(p1[0], got, sizeof got), 3);
  CHECK(memcmp(got, "one", 3) == 0);
  CHECK_EQ(write_fixed_index(ring, 0, "x"), -EBADF);

  upd = p2[1];
  CHECK_EQ(ringcore_register_files_update(ring, 2, &upd, 1), 1);
  CHECK_EQ(write_fixed_index(ring, 2, "two"), 3);
  CHECK_EQ(read(p2[0], got, sizeof got), 3);
  CHECK(memcmp(got, "two", 3) == 0);
  CHECK(ringcore_register_files_update(ring, 5, &upd, 1) < 0); /* out of range */

  CHECK_EQ(ringcore_unregister_files(ring), 0);
  CHECK_EQ(ringcore_unregister_files(ring), -ENXIO);
  CHECK_EQ(ringcore_register_files_sparse(ring, 8), 0);
  CHECK_EQ(ringcore_register_file_alloc_range(ring, 2, 4), 0);
  CHECK_EQ(write_fixed_index(ring, 3, "x"), -EBADF); /* sparse: empty */
  ringcore_ring_free(ring);
  close(p1[0]);
  close(p1[1]);
  close(p2[0]);
  close(p2[1]);
  printf("reg_files: writes through registered indices\n");
  return 0;
}
