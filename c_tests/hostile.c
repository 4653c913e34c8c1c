/* The callback layer against a careless or hostile C caller (run under ASan/UBSan and
 * valgrind): every misuse below gets an error code or is ignored, never memory corruption.
 *
 *  1. ringcore_ring_free from inside a callback is ignored; the ring stays usable and is freed
 *     afterwards;
 *  2. a token of another ring, live or freed, is unknown to this one (-ENOENT), and cancels
 *     nothing there;
 *  3. cancel twice (-EALREADY, the first cleanup runs once), cancel a completed or stale token
 *     (-ENOENT, also after its slot was reused), plain and internal user_data (-ENOENT);
 *  4. NULL ring, callback or token pointer (-EINVAL), an SQE of another ring (-EINVAL);
 *  5. ringcore_run from inside a callback (nested) runs the newer CQEs;
 *  6. a cancel while the SQ is full and cannot be submitted is queued, not refused: on a ring
 *     created disabled, the cancel returns 0 and takes effect once the ring is enabled;
 *  7. freeing a ring created disabled and never enabled: the kernel never saw its SQEs, so the
 *     callbacks run at once with -ECANCELED. */
#include <unistd.h>

#include "check.h"

static struct ringcore_ring *ring;
static int calls[8], results[8], cleanups[8];

static void on_done(void *userdata, int32_t res, uint32_t flags) {
  int i = (int)(intptr_t)userdata;
  (void)flags;
  calls[i]++;
  results[i] = res;
}

static void release(void *resource) {
  cleanups[(intptr_t)resource]++;
}

static void free_from_callback(void *userdata, int32_t res, uint32_t flags) {
  on_done(userdata, res, flags);
  ringcore_ring_free(ring); /* refused: the ring is running this callback */
  CHECK(ringcore_sq_space_left(ring) > 0);
}

static int nested_runs;
static void nested(void *userdata, int32_t res, uint32_t flags) {
  struct ringcore_sqe *sqe;
  uint64_t token;
  on_done(userdata, res, flags);
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_nop(sqe);
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_done, (void *)5, &token), 0);
  nested_runs = ringcore_run(ring, 1);
}

static void run_until(struct ringcore_ring *r, int *counter, int want) {
  int n;
  for (n = 0; n < 100 && *counter < want; n++)
    CHECK(ringcore_run(r, 1) >= 0);
  CHECK_EQ(*counter, want);
}

int main(void) {
  struct ringcore_ring *other;
  struct ringcore_sqe *sqe;
  struct ringcore_params params;
  uint64_t t0 = 0, t1 = 0, ta = 0;
  int fds[2], i;
  char buf[8], buf2[8];

  CHECK(pipe(fds) == 0);

  /* 1 */
  ring = test_ring(8);
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_nop(sqe);
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, free_from_callback, (void *)0, &t0), 0);
  run_until(ring, &calls[0], 1);
  sqe = ringcore_get_sqe(ring);
  CHECK(sqe != NULL);
  ringcore_prep_nop(sqe);
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_done, (void *)1, &t1), 0);
  run_until(ring, &calls[1], 1);
  printf("1: ringcore_ring_free inside a callback was refused; the ring still works\n");

  /* 2: both rings' first operations get slot 0, generation 0 of their registry. */
  other = test_ring(8);
  sqe = ringcore_get_sqe(other);
  ringcore_prep_read(sqe, fds[0], buf, sizeof buf, (uint64_t)-1);
  CHECK_EQ(ringcore_sqe_set_callback(other, sqe, on_done, (void *)2, &ta), 0);
  CHECK_EQ(ringcore_submit(other), 1);
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_read(sqe, fds[0], buf2, sizeof buf2, (uint64_t)-1);
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_done, (void *)3, &t0), 0);
  CHECK_EQ(ringcore_submit(ring), 1);
  printf("2: tokens %#llx (ring) and %#llx (other ring)\n", (unsigned long long)t0,
         (unsigned long long)ta);
  CHECK_EQ(ringcore_cancel(ring, ta, release, (void *)3), -ENOENT);
  CHECK_EQ(ringcore_cancel(other, t0, release, (void *)2), -ENOENT);
  CHECK_EQ(ringcore_run(ring, 0), 0);
  CHECK_EQ(ringcore_run(other, 0), 0);
  CHECK_EQ(cleanups[2] + cleanups[3], 0);
  CHECK_EQ(write(fds[1], "12345678abcdefgh", 16), 16);
  run_until(other, &calls[2], 1);
  run_until(ring, &calls[3], 1);
  CHECK_EQ(results[2], 8);
  CHECK_EQ(results[3], 8);
  ringcore_ring_free(other);
  /* A token kept from a freed ring is not one of the next ring's first operation. */
  other = test_ring(8);
  sqe = ringcore_get_sqe(other);
  ringcore_prep_read(sqe, fds[0], buf, sizeof buf, (uint64_t)-1);
  CHECK_EQ(ringcore_sqe_set_callback(other, sqe, on_done, (void *)2, &t1), 0);
  CHECK_EQ(ringcore_submit(other), 1);
  printf("2: the next ring's first token %#llx\n", (unsigned long long)t1);
  CHECK_EQ(ringcore_cancel(other, ta, release, (void *)2), -ENOENT);
  CHECK_EQ(ringcore_cancel(other, t1, release, (void *)2), 0);
  run_until(other, &cleanups[2], 1);
  CHECK_EQ(calls[2], 1);
  ringcore_ring_free(other);

  /* 3 */
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_read(sqe, fds[0], buf, sizeof buf, (uint64_t)-1);
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_done, (void *)4, &t0), 0);
  CHECK_EQ(ringcore_cancel(ring, t0, release, (void *)4), 0);
  CHECK_EQ(ringcore_cancel(ring, t0, release, (void *)5), -EALREADY);
  run_until(ring, &cleanups[4], 1);
  CHECK_EQ(cleanups[5], 0);
  CHECK_EQ(calls[4], 0);
  CHECK_EQ(ringcore_cancel(ring, t0, release, (void *)4), -ENOENT);
  sqe = ringcore_get_sqe(ring); /* reuses t0's slot */
  ringcore_prep_nop(sqe);
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_done, (void *)4, &t1), 0);
  CHECK(t1 != t0);
  CHECK_EQ(ringcore_cancel(ring, t0, release, (void *)4), -ENOENT);
  run_until(ring, &calls[4], 1);
  CHECK_EQ(cleanups[4], 1);
  CHECK_EQ(ringcore_cancel(ring, 0, NULL, NULL), -ENOENT);
  CHECK_EQ(ringcore_cancel(ring, 12345, NULL, NULL), -ENOENT);
  CHECK_EQ(ringcore_cancel(ring, RINGCORE_TOKEN_TAG | (1ull << 62), NULL, NULL), -ENOENT);
  CHECK_EQ(ringcore_cancel(ring, ~0ull, NULL, NULL), -ENOENT);

  /* 4 */
  other = test_ring(8);
  sqe = ringcore_get_sqe(other);
  ringcore_prep_nop(sqe);
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_done, (void *)6, &t0), -EINVAL);
  CHECK_EQ(ringcore_sqe_set_callback(NULL, sqe, on_done, (void *)6, &t0), -EINVAL);
  CHECK_EQ(ringcore_sqe_set_callback(other, sqe, NULL, (void *)6, &t0), -EINVAL);
  CHECK_EQ(ringcore_sqe_set_callback(other, sqe, on_done, (void *)6, NULL), -EINVAL);
  CHECK_EQ(ringcore_sqe_set_callback(other, NULL, on_done, (void *)6, &t0), -EINVAL);
  CHECK_EQ(ringcore_cancel(NULL, t0, NULL, NULL), -EINVAL);
  CHECK_EQ(ringcore_run(NULL, 0), -EINVAL);
  ringcore_ring_free(other); /* the taken NOP was never submitted, and has no callback */
  CHECK_EQ(calls[6], 0);

  /* 5 */
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_nop(sqe);
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, nested, (void *)6, &t0), 0);
  run_until(ring, &calls[6], 1);
  CHECK_EQ(calls[5], 1);
  CHECK_EQ(nested_runs, 1);
  ringcore_ring_free(ring);

  /* 6 */
  memset(&params, 0, sizeof params);
  params.flags = RINGCORE_SETUP_R_DISABLED;
  if (ringcore_ring_new(2, &params, &ring) != 0)
    SKIP("RINGCORE_SETUP_R_DISABLED not supported");
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_read(sqe, fds[0], buf, sizeof buf, (uint64_t)-1);
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_done, (void *)7, &t0), 0);
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_nop(sqe);
  ringcore_sqe_set_data64(sqe, 1);
  CHECK_EQ(ringcore_sq_space_left(ring), 0);
  CHECK_EQ(ringcore_cancel(ring, t0, release, (void *)7), 0);
  CHECK_EQ(ringcore_cancel(ring, t0, release, (void *)7), -EALREADY);
  CHECK_EQ(ringcore_ring_enable(ring), 0);
  run_until(ring, &cleanups[7], 1);
  CHECK_EQ(calls[7], 0);
  CHECK_EQ(ringcore_cq_ready(ring), 1); /* the plain NOP */
  ringcore_cq_advance(ring, 1);
  ringcore_ring_free(ring);
  printf("6: a cancel with a full SQE queue was queued and took effect\n");

  /* 7 */
  calls[7] = 0;
  CHECK_EQ(ringcore_ring_new(2, &params, &ring), 0);
  for (i = 0; i < 2; i++) {
    sqe = ringcore_get_sqe(ring);
    ringcore_prep_read(sqe, fds[0], i ? buf : buf2, sizeof buf, (uint64_t)-1);
    CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_done, (void *)7, &t0), 0);
  }
  CHECK_EQ(ringcore_cancel(ring, t0, release, (void *)6), 0);
  ringcore_ring_free(ring);
  CHECK_EQ(calls[7], 1);
  CHECK_EQ(results[7], -ECANCELED);
  CHECK_EQ(cleanups[6], 1);
  printf("7: a never-enabled ring freed: callback got -ECANCELED, cleanup ran\n");

  close(fds[0]);
  close(fds[1]);
  printf("hostile: every misuse refused or contained\n");
  return 0;
}
