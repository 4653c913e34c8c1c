/* A registered personality runs a request with the registering credentials. */
#include "check.h"

int main(void) {
  struct ringcore_ring *ring = test_ring(8);
  struct ringcore_sqe *sqe;
  struct ringcore_cqe *cqe = NULL;
  int id = ringcore_register_personality(ring);

  CHECK(id > 0);
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_nop(sqe);
  sqe->personality = (uint16_t)id;
  CHECK_EQ(ringcore_submit_and_wait(ring, 1), 1);
  CHECK_EQ(ringcore_peek_cqe(ring, &cqe), 0);
  CHECK_EQ(cqe->res, 0);
  ringcore_cqe_seen(ring, cqe);
  CHECK_EQ(ringcore_unregister_personality(ring, (uint16_t)id), 0);
  CHECK_EQ(ringcore_unregister_personality(ring, (uint16_t)id), -EINVAL);
  /* An unknown personality fails the request. */
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_nop(sqe);
  sqe->personality = (uint16_t)id;
  CHECK_EQ(ringcore_submit_and_wait(ring, 1), 1);
  CHECK_EQ(ringcore_peek_cqe(ring, &cqe), 0);
  CHECK_EQ(cqe->res, -EINVAL);
  ringcore_cqe_seen(ring, cqe);
  ringcore_ring_free(ring);
  printf("reg_personality: id %d used and retired\n", id);
  return 0;
}
