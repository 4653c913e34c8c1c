/* Callbacks and cleanups may use the ring while ringcore_run or ringcore_ring_free runs them:
 *
 *  1. a chain: each callback takes an SQE, prepares the next NOP with a callback and submits it
 *     from inside ringcore_run; one of them cancels a pending read;
 *  2. a callback cancels an operation whose CQE ringcore_run has already taken out of the ring
 *     in the same round: the cancel succeeds, that operation's callback never runs, its cleanup
 *     runs once;
 *  3. a cleanup cancels another operation from inside ringcore_run;
 *  4. during ringcore_ring_free, a callback (called with -ECANCELED) and cleanups cancel the
 *     operations still in flight: each cancel succeeds and its cleanup runs once (under ASan
 *     and valgrind: the resources they free would otherwise leak), no operation ends twice;
 *     the callbacks cannot start new operations (-ESHUTDOWN). */
#include <unistd.h>

#include "check.h"

#define CHAIN 10
#define N 4

static struct ringcore_ring *ring;
static int steps;
static int read_cb_runs;
static int cleanups;
static uint64_t read_token;

static void on_read(void *userdata, int32_t res, uint32_t flags) {
  (void)userdata;
  (void)res;
  (void)flags;
  read_cb_runs++;
}

static void release(void *resource) {
  CHECK(resource == &read_token);
  cleanups++;
}

static void on_step(void *userdata, int32_t res, uint32_t flags) {
  struct ringcore_sqe *sqe;
  uint64_t token;
  (void)flags;
  CHECK_EQ(res, 0);
  CHECK_EQ((intptr_t)userdata, steps);
  steps++;
  if (steps == CHAIN / 2)
    CHECK_EQ(ringcore_cancel(ring, read_token, release, &read_token), 0);
  if (steps == CHAIN)
    return;
  sqe = ringcore_get_sqe(ring);
  CHECK(sqe != NULL);
  ringcore_prep_nop(sqe);
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_step, (void *)(intptr_t)steps, &token), 0);
  CHECK_EQ(ringcore_submit(ring), 1);
}

/* Parts 2-4: operations 0..N-1, each ending exactly once, by callback or by cleanup. */
static uint64_t tokens[N];
static int ended[N], by_callback[N], by_cleanup[N], cancelled[N];
static int cancels_from_callbacks, cancels_from_cleanups, refused_starts;
static int cancel_results[16], n_cancel_results;

static void cleanup_op(void *resource);

/* Cancels the first operation after `k` (cyclically) that has not ended, handing it a
 * malloc'd resource that the cleanup frees. */
static void cancel_next(int k, int *count) {
  int j = (k + 1) % N, r;
  int *resource;
  if (ended[j] || cancelled[j])
    return;
  resource = malloc(sizeof *resource);
  CHECK(resource != NULL);
  *resource = j;
  r = ringcore_cancel(ring, tokens[j], cleanup_op, resource);
  cancel_results[n_cancel_results++] = r;
  if (r == 0) {
    cancelled[j] = 1;
    (*count)++;
  } else {
    free(resource);
  }
}

static void cleanup_op(void *resource) {
  int k = *(int *)resource;
  free(resource);
  CHECK(k >= 0 && k < N);
  CHECK(cancelled[k]);
  ended[k]++;
  by_cleanup[k]++;
  cancel_next(k, &cancels_from_cleanups);
}

static void on_op(void *userdata, int32_t res, uint32_t flags) {
  int k = (int)(intptr_t)userdata;
  (void)res;
  (void)flags;
  CHECK(!cancelled[k]);
  ended[k]++;
  by_callback[k]++;
  cancel_next(k, &cancels_from_callbacks);
}

static void reset_ops(void) {
  memset(ended, 0, sizeof ended);
  memset(by_callback, 0, sizeof by_callback);
  memset(by_cleanup, 0, sizeof by_cleanup);
  memset(cancelled, 0, sizeof cancelled);
  cancels_from_callbacks = cancels_from_cleanups = n_cancel_results = 0;
}

static void check_ops(const char *what) {
  int k, i;
  printf("%s: cancels from callbacks %d, from cleanups %d, results", what,
         cancels_from_callbacks, cancels_from_cleanups);
  for (i = 0; i < n_cancel_results; i++)
    printf(" %d", cancel_results[i]);
  printf("\n");
  for (i = 0; i < n_cancel_results; i++)
    CHECK_EQ(cancel_results[i], 0);
  for (k = 0; k < N; k++) {
    CHECK_EQ(ended[k], 1);
    CHECK_EQ(by_cleanup[k], cancelled[k]);
    CHECK_EQ(by_callback[k], !cancelled[k]);
  }
}

/* Part 4: during teardown a callback may not start an operation. */
static void on_teardown_op(void *userdata, int32_t res, uint32_t flags) {
  struct ringcore_sqe *sqe;
  uint64_t token;
  CHECK_EQ(res, -ECANCELED);
  on_op(userdata, res, flags);
  sqe = ringcore_get_sqe(ring);
  CHECK(sqe != NULL);
  ringcore_prep_nop(sqe);
  if (ringcore_sqe_set_callback(ring, sqe, on_read, NULL, &token) == -ESHUTDOWN)
    refused_starts++;
  CHECK_EQ(ringcore_run(ring, 0), -ESHUTDOWN);
}

int main(void) {
  struct ringcore_sqe *sqe;
  uint64_t token;
  int fds[2], pipes[N][2], i;
  char buf[8], bufs[N][8];

  /* 1 */
  ring = test_ring(8);
  CHECK(pipe(fds) == 0);
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_read(sqe, fds[0], buf, sizeof buf, (uint64_t)-1);
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_read, NULL, &read_token), 0);
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_nop(sqe);
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_step, (void *)(intptr_t)0, &token), 0);
  for (i = 0; i < 100 && (steps < CHAIN || cleanups == 0); i++)
    CHECK(ringcore_run(ring, 1) >= 0);
  CHECK_EQ(steps, CHAIN);
  CHECK_EQ(cleanups, 1);
  CHECK_EQ(read_cb_runs, 0);
  CHECK_EQ(ringcore_cq_ready(ring), 0);
  close(fds[0]);
  close(fds[1]);
  printf("1: a chain of %d callbacks submitted from callbacks\n", CHAIN);

  /* 2: N NOPs completed before ringcore_run; the first callback cancels the second, whose CQE
   * the same round already took, and its cleanup cancels the third, and so on. */
  reset_ops();
  for (i = 0; i < N; i++) {
    sqe = ringcore_get_sqe(ring);
    ringcore_prep_nop(sqe);
    CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_op, (void *)(intptr_t)i, &tokens[i]), 0);
  }
  CHECK_EQ(ringcore_submit_and_wait(ring, N), N);
  CHECK_EQ(ringcore_cq_ready(ring), N);
  for (i = 0; i < 100 && ringcore_cq_ready(ring) + 0 > 0; i++)
    CHECK(ringcore_run(ring, 0) >= 0);
  for (i = 0; i < 100 && (ended[0] + ended[1] + ended[2] + ended[3]) < N; i++)
    CHECK(ringcore_run(ring, 1) >= 0);
  check_ops("2 (ringcore_run, CQEs already taken)");
  CHECK(cancels_from_callbacks >= 1);
  CHECK_EQ(ringcore_cq_ready(ring), 0);

  /* 3: pending reads; the caller cancels one, whose cleanup cancels the next, ... */
  reset_ops();
  for (i = 0; i < N; i++) {
    CHECK(pipe(pipes[i]) == 0);
    sqe = ringcore_get_sqe(ring);
    ringcore_prep_read(sqe, pipes[i][0], bufs[i], sizeof bufs[i], (uint64_t)-1);
    CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_op, (void *)(intptr_t)i, &tokens[i]), 0);
  }
  CHECK_EQ(ringcore_submit(ring), N);
  cancel_next(N - 1, &cancels_from_callbacks); /* the caller cancels operation 0 */
  for (i = 0; i < 100 && (ended[0] + ended[1] + ended[2] + ended[3]) < N; i++)
    CHECK(ringcore_run(ring, 1) >= 0);
  check_ops("3 (ringcore_run, cleanups cancel)");
  CHECK_EQ(cancels_from_cleanups, N - 1);

  /* 4: pending reads at ringcore_ring_free. */
  reset_ops();
  for (i = 0; i < N; i++) {
    sqe = ringcore_get_sqe(ring);
    ringcore_prep_read(sqe, pipes[i][0], bufs[i], sizeof bufs[i], (uint64_t)-1);
    CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_teardown_op, (void *)(intptr_t)i,
                                       &tokens[i]),
             0);
  }
  CHECK_EQ(ringcore_submit(ring), N);
  ringcore_ring_free(ring);
  check_ops("4 (ringcore_ring_free)");
  CHECK(cancels_from_callbacks >= 1);
  CHECK(cancels_from_cleanups >= 1);
  CHECK_EQ(refused_starts, by_callback[0] + by_callback[1] + by_callback[2] + by_callback[3]);
  for (i = 0; i < N; i++) {
    close(pipes[i][0]);
    close(pipes[i][1]);
  }
  printf("reentrant: cancels from callbacks and cleanups are never lost\n");
  return 0;
}
