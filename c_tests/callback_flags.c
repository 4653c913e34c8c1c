/* Every callback SQE posts a CQE, so its slot always empties and ringcore_ring_free returns:
 *
 *  a. ringcore_sqe_set_callback refuses an SQE with RINGCORE_SQE_CQE_SKIP_SUCCESS (-EINVAL);
 *  b. the flag set after the callback, and a user_data overwritten after it, are undone when
 *     the SQE is submitted: the callbacks run with the real result;
 *  c. a second ringcore_sqe_set_callback on one SQE is refused, the first callback runs once;
 *  d. so is one on an SQE already submitted, or on an SQE the ring has not handed out;
 *  e. an unsubmitted callback SQE with the flag set after the callback is submitted, cancelled
 *     and completed by ringcore_ring_free;
 *  f. ringcore_ring_free returns (in bounded time) even when the caller consumed a callback CQE
 *     itself, so that the kernel will never complete that operation for ringcore.
 * A hang fails the test (SIGALRM) instead of running into the harness's timeout. */
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static const char *stage = "setup";
static int calls[8];
static int results[8];

static void on_alarm(int sig) {
  static const char msg[] = "callback_flags: HUNG in stage ";
  (void)sig;
  (void)!write(2, msg, sizeof msg - 1);
  (void)!write(2, stage, strlen(stage));
  (void)!write(2, "\n", 1);
  _exit(1);
}

static void on_done(void *userdata, int32_t res, uint32_t flags) {
  int i = (int)(intptr_t)userdata;
  (void)flags;
  calls[i]++;
  results[i] = res;
}

static void run_until(struct ringcore_ring *ring, int i, int want) {
  int n;
  for (n = 0; n < 100 && calls[i] < want; n++)
    CHECK(ringcore_run(ring, 1) >= 0);
  CHECK_EQ(calls[i], want);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void) {
  struct ringcore_ring *ring, *other;
  struct ringcore_sqe *sqe, *sqe2;
  struct ringcore_cqe *cqe;
  uint64_t t1 = 0, t2 = 0;
  double t0;

  signal(SIGALRM, on_alarm);
  alarm(60);
  ring = test_ring(8);

  stage = "a: set_callback on a SKIP_SUCCESS SQE";
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_nop(sqe);
  ringcore_sqe_set_data64(sqe, 5);
  ringcore_sqe_set_flags(sqe, RINGCORE_SQE_CQE_SKIP_SUCCESS);
  t1 = 99;
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_done, (void *)0, &t1), -EINVAL);
  CHECK_EQ(t1, 99);
  CHECK_EQ(sqe->user_data, 5);
  CHECK_EQ(ringcore_submit(ring), 1); /* a plain NOP that posts nothing */

  stage = "b: SKIP_SUCCESS or user_data set after set_callback";
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_nop(sqe);
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_done, (void *)1, &t1), 0);
  ringcore_sqe_set_flags(sqe, RINGCORE_SQE_CQE_SKIP_SUCCESS);
  sqe2 = ringcore_get_sqe(ring);
  ringcore_prep_nop(sqe2);
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe2, on_done, (void *)2, &t2), 0);
  sqe2->flags |= RINGCORE_SQE_CQE_SKIP_SUCCESS;
  sqe2->user_data = 42;
  CHECK_EQ(ringcore_submit(ring), 2);
  run_until(ring, 1, 1);
  run_until(ring, 2, 1);
  CHECK_EQ(results[1], 0);
  CHECK_EQ(results[2], 0);
  CHECK_EQ(ringcore_cq_ready(ring), 0); /* no plain CQE with user_data 42 */
  CHECK_EQ(ringcore_cancel(ring, t1, NULL, NULL), -ENOENT);
  CHECK_EQ(ringcore_cancel(ring, t2, NULL, NULL), -ENOENT);
  printf("b: flag and user_data set after the callback were undone at submit\n");

  stage = "c: a second set_callback on one SQE";
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_nop(sqe);
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_done, (void *)3, &t1), 0);
  t2 = 99;
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_done, (void *)4, &t2), -EINVAL);
  CHECK_EQ(t2, 99);
  CHECK_EQ(sqe->user_data, t1);
  /* Also after the caller overwrote the token: the SQE already has a callback. */
  sqe->user_data = 0;
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_done, (void *)4, &t2), -EINVAL);
  CHECK_EQ(ringcore_submit(ring), 1);
  run_until(ring, 3, 1);
  CHECK_EQ(calls[4], 0);

  stage = "d: set_callback on a submitted SQE, or on one not handed out";
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_nop(sqe);
  ringcore_sqe_set_data64(sqe, 7);
  CHECK_EQ(ringcore_submit_and_wait(ring, 1), 1);
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_done, (void *)4, &t2), -EINVAL);
  CHECK_EQ(ringcore_peek_cqe(ring, &cqe), 0);
  CHECK_EQ(cqe->user_data, 7);
  ringcore_cqe_seen(ring, cqe);
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_nop(sqe);
  ringcore_sqe_set_data64(sqe, 8);
  {
    /* The ring's SQE array holds 8 entries; the one after `sqe` (or before, at the end) is
     * not handed out. */
    struct ringcore_sqe *base = ((struct ringcore_ring_state *)(void *)ring)->sqes;
    struct ringcore_sqe *next = sqe + 1 < base + 8 ? sqe + 1 : sqe - 1;
    CHECK_EQ(ringcore_sqe_set_callback(ring, next, on_done, (void *)4, &t2), -EINVAL);
  }
  CHECK_EQ(ringcore_submit_and_wait(ring, 1), 1);
  CHECK_EQ(ringcore_peek_cqe(ring, &cqe), 0);
  CHECK_EQ(cqe->user_data, 8);
  ringcore_cqe_seen(ring, cqe);
  CHECK_EQ(calls[4], 0);

  stage = "e: ringcore_ring_free with an unsubmitted SKIP_SUCCESS callback SQE";
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_nop(sqe);
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_done, (void *)5, &t1), 0);
  ringcore_sqe_set_flags(sqe, RINGCORE_SQE_CQE_SKIP_SUCCESS | RINGCORE_SQE_IO_LINK);
  ringcore_ring_free(ring);
  CHECK_EQ(calls[5], 1);
  CHECK_EQ(results[5], -ECANCELED);
  printf("e: freed, the callback ran once with -ECANCELED\n");

  stage = "f: ringcore_ring_free after the caller consumed a callback CQE";
  other = test_ring(4);
  sqe = ringcore_get_sqe(other);
  ringcore_prep_nop(sqe);
  CHECK_EQ(ringcore_sqe_set_callback(other, sqe, on_done, (void *)6, &t1), 0);
  CHECK_EQ(ringcore_submit_and_wait(other, 1), 1);
  CHECK_EQ(ringcore_peek_cqe(other, &cqe), 0);
  CHECK_EQ(cqe->user_data, t1);
  ringcore_cqe_seen(other, cqe); /* against the rules: the operation never completes now */
  t0 = now();
  ringcore_ring_free(other);
  printf("f: ringcore_ring_free gave up after %.1f s\n", now() - t0);
  CHECK(now() - t0 < 30);
  CHECK_EQ(calls[6], 0);

  alarm(0);
  printf("callback_flags: every callback SQE completes; free never hangs\n");
  return 0;
}
