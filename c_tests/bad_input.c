/* Every bad-input case of the API gives its documented error, and void calls ignore NULL. */
#include "check.h"

static void cb(void *userdata, int32_t res, uint32_t flags) {
  (void)userdata;
  (void)res;
  (void)flags;
}

int main(void) {
  struct ringcore_ring *ring = NULL, *other;
  struct ringcore_cqe *cqe = (struct ringcore_cqe *)0x1, *cqes[4];
  struct ringcore_params p;
  struct ringcore_sqe *sqe, foreign;
  uint64_t token = 77;

  /* ring_new: NULL out, zero and huge sizes, reserved fields, unknown flags. */
  CHECK_EQ(ringcore_ring_new(8, NULL, NULL), -EINVAL);
  CHECK_EQ(ringcore_ring_new(0, NULL, &ring), -EINVAL);
  CHECK(ring == NULL); /* out-params untouched on failure */
  CHECK_EQ(ringcore_ring_new(1u << 30, NULL, &ring), -EINVAL);
  CHECK_EQ(ringcore_ring_new(0xffffffffu, NULL, &ring), -EINVAL);
  CHECK(ring == NULL);
  memset(&p, 0, sizeof p);
  p.resv[1] = 1;
  CHECK_EQ(ringcore_ring_new(8, &p, &ring), -EINVAL);
  memset(&p, 0, sizeof p);
  p.flags = 1u << 31;
  CHECK_EQ(ringcore_ring_new(8, &p, &ring), -EINVAL);
  memset(&p, 0, sizeof p);
  p.flags = RINGCORE_SETUP_CQSIZE; /* with cq_entries 0 */
  CHECK_EQ(ringcore_ring_new(8, &p, &ring), -EINVAL);
  CHECK(ring == NULL);
  /* CLAMP turns a huge size into the kernel's maximum. */
  memset(&p, 0, sizeof p);
  p.flags = RINGCORE_SETUP_CLAMP;
  CHECK_EQ(ringcore_ring_new(1u << 30, &p, &ring), 0);
  CHECK(ringcore_sq_space_left(ring) >= 4096);
  ringcore_ring_free(ring);
  ring = NULL;

  /* NULL ring everywhere. */
  CHECK((ringcore_get_sqe)(NULL) == NULL);
  CHECK(ringcore_get_sqe(NULL) == NULL);
  CHECK_EQ(ringcore_submit(NULL), -EINVAL);
  CHECK_EQ(ringcore_submit_and_wait(NULL, 1), -EINVAL);
  CHECK_EQ(ringcore_peek_cqe(NULL, &cqe), -EINVAL);
  CHECK_EQ((ringcore_peek_cqe)(NULL, &cqe), -EINVAL);
  CHECK_EQ(ringcore_wait_cqe(NULL, &cqe), -EINVAL);
  CHECK_EQ(ringcore_wait_cqe_timeout(NULL, &cqe, 1), -EINVAL);
  CHECK(cqe == (struct ringcore_cqe *)0x1);
  CHECK_EQ(ringcore_peek_batch_cqe(NULL, cqes, 4), 0);
  CHECK_EQ((ringcore_peek_batch_cqe)(NULL, cqes, 4), 0);
  CHECK_EQ(ringcore_cq_ready(NULL), 0);
  CHECK_EQ((ringcore_cq_ready)(NULL), 0);
  CHECK_EQ(ringcore_sq_space_left(NULL), 0);
  CHECK_EQ((ringcore_sq_space_left)(NULL), 0);
  CHECK_EQ(ringcore_ring_params(NULL, &p), -EINVAL);
  CHECK_EQ(ringcore_ring_fd(NULL), -EINVAL);
  CHECK_EQ(ringcore_ring_enable(NULL), -EINVAL);
  CHECK_EQ(ringcore_run(NULL, 0), -EINVAL);
  CHECK_EQ(ringcore_cancel(NULL, token, NULL, NULL), -EINVAL);
  CHECK_EQ(ringcore_sqe_set_callback(NULL, &foreign, cb, NULL, &token), -EINVAL);
  ringcore_cq_advance(NULL, 1);
  (ringcore_cq_advance)(NULL, 1);
  ringcore_cqe_seen(NULL, cqe);
  (ringcore_cqe_seen)(NULL, cqe);
  ringcore_ring_free(NULL);

  /* Registration with a NULL ring. */
  {
    int fd = 0;
    unsigned counts[2] = {0, 0};
    struct ringcore_buf_ring *br = NULL;
    CHECK_EQ(ringcore_register_buffers(NULL, NULL, 0), -EINVAL);
    CHECK_EQ(ringcore_register_buffers_sparse(NULL, 4), -EINVAL);
    CHECK_EQ(ringcore_unregister_buffers(NULL), -EINVAL);
    CHECK_EQ(ringcore_register_files(NULL, &fd, 1), -EINVAL);
    CHECK_EQ(ringcore_register_files_sparse(NULL, 4), -EINVAL);
    CHECK_EQ(ringcore_register_files_update(NULL, 0, &fd, 1), -EINVAL);
    CHECK_EQ(ringcore_unregister_files(NULL), -EINVAL);
    CHECK_EQ(ringcore_register_file_alloc_range(NULL, 0, 1), -EINVAL);
    CHECK_EQ(ringcore_register_eventfd(NULL, 0), -EINVAL);
    CHECK_EQ(ringcore_register_eventfd_async(NULL, 0), -EINVAL);
    CHECK_EQ(ringcore_unregister_eventfd(NULL), -EINVAL);
    CHECK_EQ(ringcore_register_personality(NULL), -EINVAL);
    CHECK_EQ(ringcore_unregister_personality(NULL, 1), -EINVAL);
    CHECK_EQ(ringcore_register_ring_fd(NULL), -EINVAL);
    CHECK_EQ(ringcore_unregister_ring_fd(NULL), -EINVAL);
    CHECK_EQ(ringcore_register_iowq_max_workers(NULL, counts), -EINVAL);
    CHECK_EQ(ringcore_register_clock(NULL, 1), -EINVAL);
    CHECK_EQ(ringcore_opcode_supported(NULL, 0), -EINVAL);
    CHECK_EQ(ringcore_buf_ring_new(NULL, 1, 2, 64, &br), -EINVAL);
    CHECK(br == NULL);
  }

  /* NULL SQEs are ignored by the preparers and setters. */
  ringcore_prep_openat(NULL, 0, "x", 0, 0);
  ringcore_prep_accept(NULL, 0, NULL, NULL, 0);
  ringcore_prep_timeout(NULL, NULL, 0, 0);
  ringcore_prep_cancel(NULL, 1, 0);
  ringcore_prep_uring_cmd16(NULL, 0, 0, NULL);
  ringcore_sqe_set_buf_group(NULL, 1);
  ringcore_sqe_set_personality(NULL, 1);
  ringcore_sqe_set_direct_slot(NULL, 1);
  ringcore_prep_nop(NULL);
  (ringcore_prep_nop)(NULL);
  ringcore_prep_read(NULL, 0, NULL, 0, 0);
  (ringcore_prep_read)(NULL, 0, NULL, 0, 0);
  ringcore_prep_write(NULL, 0, NULL, 0, 0);
  (ringcore_prep_write)(NULL, 0, NULL, 0, 0);
  ringcore_sqe_set_data64(NULL, 1);
  (ringcore_sqe_set_data64)(NULL, 1);
  ringcore_sqe_set_data(NULL, NULL);
  ringcore_sqe_set_flags(NULL, 1);
  (ringcore_sqe_set_flags)(NULL, 1);

  /* NULL out-pointers and bad arguments with a real ring. */
  ring = test_ring(4);
  other = test_ring(4);
  /* NULL arrays with a count, and a zero count. */
  CHECK_EQ(ringcore_register_files(ring, NULL, 2), -EINVAL);
  CHECK_EQ(ringcore_register_files_update(ring, 0, NULL, 1), -EINVAL);
  CHECK(ringcore_register_files(ring, NULL, 0) < 0); /* the kernel refuses an empty table */
  CHECK_EQ(ringcore_register_iowq_max_workers(ring, NULL), -EINVAL);
  CHECK_EQ(ringcore_peek_cqe(ring, NULL), -EINVAL);
  CHECK_EQ((ringcore_peek_cqe)(ring, NULL), -EINVAL);
  CHECK_EQ(ringcore_wait_cqe(ring, NULL), -EINVAL);
  CHECK_EQ(ringcore_wait_cqe_timeout(ring, NULL, 1), -EINVAL);
  CHECK_EQ(ringcore_peek_batch_cqe(ring, NULL, 4), 0);
  CHECK_EQ((ringcore_peek_batch_cqe)(ring, NULL, 4), 0);
  CHECK_EQ(ringcore_peek_batch_cqe(ring, cqes, 0), 0);
  CHECK_EQ(ringcore_ring_params(ring, NULL), -EINVAL);
  ringcore_cqe_seen(ring, NULL);
  (ringcore_cqe_seen)(ring, NULL);
  sqe = ringcore_get_sqe(ring);
  CHECK(sqe != NULL);
  ringcore_prep_nop(sqe);
  token = 77;
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, cb, NULL, NULL), -EINVAL);
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, NULL, NULL, &token), -EINVAL);
  CHECK_EQ(ringcore_sqe_set_callback(ring, NULL, cb, NULL, &token), -EINVAL);
  /* An SQE that is not this ring's: a local one, another ring's, a misaligned pointer. */
  CHECK_EQ(ringcore_sqe_set_callback(ring, &foreign, cb, NULL, &token), -EINVAL);
  {
    struct ringcore_sqe *theirs = ringcore_get_sqe(other);
    CHECK(theirs != NULL);
    CHECK_EQ(ringcore_sqe_set_callback(ring, theirs, cb, NULL, &token), -EINVAL);
    CHECK_EQ(ringcore_sqe_set_callback(ring, (struct ringcore_sqe *)((char *)sqe + 8), cb,
                                       NULL, &token),
             -EINVAL);
  }
  CHECK_EQ(token, 77); /* untouched by every failure */
  CHECK_EQ(sqe->user_data, 0);
  /* Unknown tokens. */
  CHECK_EQ(ringcore_cancel(ring, 0, NULL, NULL), -ENOENT);
  CHECK_EQ(ringcore_cancel(ring, RINGCORE_TOKEN_TAG | 3, NULL, NULL), -ENOENT);
  CHECK_EQ(ringcore_cancel(ring, ~0ull, NULL, NULL), -ENOENT);
  /* Enabling a ring that is not disabled. */
  CHECK_EQ(ringcore_ring_enable(ring), -EBADFD);
  /* The taken SQE is a NOP; it completes normally. */
  CHECK_EQ(ringcore_submit_and_wait(ring, 1), 1);
  CHECK_EQ(ringcore_cq_ready(ring), 1);

  /* strerror: negative, positive, zero, unknown, extreme. */
  CHECK(strcmp(ringcore_strerror(-EINVAL), "invalid argument") == 0);
  CHECK(strcmp(ringcore_strerror(EINVAL), "invalid argument") == 0);
  CHECK(strcmp(ringcore_strerror(0), "success") == 0);
  CHECK(strcmp(ringcore_strerror(-100000), "unknown error") == 0);
  CHECK(strcmp(ringcore_strerror((int)0x80000000u), "unknown error") == 0);
  CHECK(strcmp(ringcore_strerror(-ETIME), "") != 0);

  ringcore_ring_free(other);
  ringcore_ring_free(ring);
  printf("bad_input: every NULL and bad-size case returned its error\n");
  return 0;
}
