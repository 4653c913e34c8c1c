/* ringcore_ring_free with callback operations in flight: it cancels them, waits for the
 * kernel, calls each pending callback once with -ECANCELED and each cleanup once. */
#include <unistd.h>

#include "check.h"

#define N 6

static int results[N];
static int calls[N];
static int cleanups;

static void on_done(void *userdata, int32_t res, uint32_t flags) {
  int i = (int)(intptr_t)userdata;
  (void)flags;
  calls[i]++;
  results[i] = res;
}

static void release(void *resource) {
  cleanups++;
  free(resource);
}

int main(void) {
  struct ringcore_ring *ring = test_ring(16);
  uint64_t tokens[N];
  char bufs[N][32];
  int fds[N][2], i;
  char *owned = malloc(32);

  CHECK(owned != NULL);
  for (i = 0; i < N; i++) {
    struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
    CHECK(pipe(fds[i]) == 0);
    CHECK(sqe != NULL);
    ringcore_prep_read(sqe, fds[i][0], i == 0 ? owned : bufs[i], 32, (uint64_t)-1);
    CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_done, (void *)(intptr_t)i, &tokens[i]), 0);
  }
  CHECK_EQ(ringcore_submit(ring), N);
  /* One of them is cancelled by the caller (its buffer handed to the cleanup); the others are
   * still pending, and one more SQE is taken and never submitted by the caller. */
  CHECK_EQ(ringcore_cancel(ring, tokens[0], release, owned), 0);
  {
    struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
    uint64_t t;
    CHECK(sqe != NULL);
    ringcore_prep_nop(sqe);
    CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_done, (void *)(intptr_t)(N - 1), &t), 0);
  }
  CHECK_EQ(calls[1], 0);
  ringcore_ring_free(ring);

  CHECK_EQ(cleanups, 1);
  CHECK_EQ(calls[0], 0);
  for (i = 1; i < N - 1; i++) {
    CHECK_EQ(calls[i], 1);
    CHECK_EQ(results[i], -ECANCELED);
  }
  CHECK_EQ(calls[N - 1], 2); /* the last read and the unsubmitted NOP */
  CHECK_EQ(results[N - 1], -ECANCELED);
  for (i = 0; i < N; i++) {
    close(fds[i][0]);
    close(fds[i][1]);
  }
  /* Freeing NULL is fine. */
  ringcore_ring_free(NULL);
  printf("free_inflight: %d callbacks got -ECANCELED, 1 cleanup ran\n", N);
  return 0;
}
