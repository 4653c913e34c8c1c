/* Callbacks may use the ring: each callback of a chain takes an SQE, prepares the next NOP with
 * a callback and submits it from inside ringcore_run; one of them cancels a pending read. */
#include <unistd.h>

#include "check.h"

#define CHAIN 10

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

int main(void) {
  struct ringcore_sqe *sqe;
  uint64_t token;
  int fds[2], i;
  char buf[8];

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
  ringcore_ring_free(ring);
  printf("reentrant: a chain of %d callbacks submitted from callbacks\n", CHAIN);
  return 0;
}
