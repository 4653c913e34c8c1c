/* The cancellation contract: a read on an empty pipe, with a callback, is cancelled; the
 * cleanup runs exactly once, only after the kernel completed the read, and the callback never
 * runs — also when data is written to the pipe afterwards. */
#include <fcntl.h>
#include <unistd.h>

#include "check.h"

static int callbacks;
static int cleanups;
static char *freed_buf;

static void on_read(void *userdata, int32_t res, uint32_t flags) {
  (void)userdata;
  (void)res;
  (void)flags;
  callbacks++;
}

static void release(void *resource) {
  cleanups++;
  freed_buf = resource;
  free(resource);
}

int main(void) {
  struct ringcore_ring *ring = test_ring(8);
  struct ringcore_sqe *sqe;
  uint64_t token = 0, other = 0;
  int fds[2], i;
  char *buf = calloc(1, 64);
  char check[16] = {0};

  CHECK(buf != NULL);
  CHECK(pipe(fds) == 0);
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_read(sqe, fds[0], buf, 64, (uint64_t)-1);
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_read, NULL, &token), 0);
  CHECK(token & RINGCORE_TOKEN_TAG);
  CHECK_EQ(sqe->user_data, token);
  CHECK_EQ(ringcore_submit(ring), 1);

  /* Nothing has happened yet: the read waits for data. */
  CHECK_EQ(ringcore_run(ring, 0), 0);
  CHECK_EQ(callbacks, 0);

  CHECK_EQ(ringcore_cancel(ring, token, release, buf), 0);
  /* A second cancel of the same token is refused; the first cleanup is kept. */
  CHECK_EQ(ringcore_cancel(ring, token, release, buf), -EALREADY);
  /* Unknown tokens are refused. */
  CHECK_EQ(ringcore_cancel(ring, token + 1, release, buf), -ENOENT);
  CHECK_EQ(ringcore_cancel(ring, 12345, release, buf), -ENOENT);

  /* Run until the kernel has completed the cancelled read: the cleanup runs once, then. */
  for (i = 0; i < 100 && cleanups == 0; i++)
    CHECK(ringcore_run(ring, 1) >= 0);
  CHECK_EQ(cleanups, 1);
  CHECK(freed_buf == buf);
  CHECK_EQ(callbacks, 0);
  /* The operation is over: its token is unknown now. */
  CHECK_EQ(ringcore_cancel(ring, token, release, NULL), -ENOENT);

  /* Data arriving later is not consumed by the cancelled read, and no callback runs. */
  CHECK_EQ(write(fds[1], "late", 4), 4);
  CHECK(ringcore_run(ring, 0) >= 0);
  CHECK_EQ(callbacks, 0);
  CHECK_EQ(cleanups, 1);
  CHECK_EQ(read(fds[0], check, sizeof check), 4);
  CHECK(memcmp(check, "late", 4) == 0);

  /* A cancelled operation that completes by itself also gets its cleanup exactly once: cancel
   * a read whose data is already there (the kernel completes it, the cancel finds nothing). */
  CHECK_EQ(write(fds[1], "now", 3), 3);
  buf = calloc(1, 64);
  CHECK(buf != NULL);
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_read(sqe, fds[0], buf, 64, (uint64_t)-1);
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_read, NULL, &other), 0);
  CHECK(other != token);
  CHECK_EQ(ringcore_cancel(ring, other, release, buf), 0); /* submits both */
  for (i = 0; i < 100 && cleanups < 2; i++)
    CHECK(ringcore_run(ring, 1) >= 0);
  CHECK_EQ(cleanups, 2);
  CHECK_EQ(callbacks, 0);
  CHECK_EQ(ringcore_cq_ready(ring), 0); /* the internal cancel CQEs were consumed too */

  /* A NULL cleanup is allowed: nothing to release. */
  sqe = ringcore_get_sqe(ring);
  ringcore_prep_read(sqe, fds[0], check, sizeof check, (uint64_t)-1);
  CHECK_EQ(ringcore_sqe_set_callback(ring, sqe, on_read, NULL, &token), 0);
  CHECK_EQ(ringcore_submit(ring), 1);
  CHECK_EQ(ringcore_cancel(ring, token, NULL, NULL), 0);
  for (i = 0; i < 100 && ringcore_cancel(ring, token, NULL, NULL) != -ENOENT; i++)
    CHECK(ringcore_run(ring, 1) >= 0);
  CHECK_EQ(ringcore_cancel(ring, token, NULL, NULL), -ENOENT);
  CHECK_EQ(callbacks, 0);

  close(fds[0]);
  close(fds[1]);
  ringcore_ring_free(ring);
  printf("cancel: cleanup ran once after the kernel let go, callback never\n");
  return 0;
}
