/* The scale benchmark's C API peer (bench/src/bin/scale): DEPTH one-shot polls of an eventfd
 * with completion callbacks, left pending, completed together by one write to the eventfd and
 * reaped by ringcore_run; ROUNDS times on one ring of ENTRIES (4096) SQ entries. Prints, as the Rust children do,
 * "ns-per-request bytes-per-request-in-flight completed". */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "ringcore.h"

#define RING_ENTRIES 4096

static uint64_t completed;
static int failed;

static void on_poll(void *userdata, int32_t res, uint32_t flags) {
  (void)userdata;
  (void)flags;
  if (res < 0 || !(res & POLLIN))
    failed = 1;
  completed++;
}

static long resident_bytes(void) {
  long pages = 0, rss = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (f == NULL || fscanf(f, "%ld %ld", &pages, &rss) != 2)
    exit(2);
  fclose(f);
  return rss * 4096;
}

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int die(const char *what, int err) {
  fprintf(stderr, "scale_capi: %s: %s\n", what, ringcore_strerror(err));
  exit(1);
}

/* One round; returns the resident memory while the polls were in flight when `measure`. */
static long round_trip(struct ringcore_ring *ring, int efd, uint64_t depth, int measure) {
  uint64_t i, token, before = completed, one = 1;
  long rss = 0;
  int rc;
  for (i = 0; i < depth; i++) {
    struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
    if (sqe == NULL) {
      if ((rc = ringcore_submit(ring)) < 0)
        die("submit", rc);
      sqe = ringcore_get_sqe(ring);
      if (sqe == NULL)
        die("get_sqe after submit", -EBUSY);
    }
    ringcore_prep_poll_add(sqe, efd, POLLIN);
    if ((rc = ringcore_sqe_set_callback(ring, sqe, on_poll, NULL, &token)) != 0)
      die("set_callback", rc);
  }
  if ((rc = ringcore_submit(ring)) < 0)
    die("submit", rc);
  if (measure)
    rss = resident_bytes();
  if (write(efd, &one, 8) != 8)
    die("write", -errno);
  while (completed - before < depth)
    if ((rc = ringcore_run(ring, 1)) < 0)
      die("run", rc);
  if (read(efd, &one, 8) != 8)
    die("read", -errno);
  return rss;
}

int main(int argc, char **argv) {
  struct ringcore_ring *ring = NULL;
  uint64_t depth, rounds, r;
  long before, during;
  double start;
  unsigned entries = RING_ENTRIES;
  int efd, rc;
  if (argc != 3 && argc != 4)
    return fprintf(stderr, "usage: ringcore-scale-capi DEPTH ROUNDS [ENTRIES]\n"), 2;
  if (argc == 4)
    entries = (unsigned)strtoul(argv[3], NULL, 10);
  depth = strtoull(argv[1], NULL, 10);
  rounds = strtoull(argv[2], NULL, 10);
  if (depth == 0 || rounds == 0)
    return 2;
  if ((rc = ringcore_ring_new(entries, NULL, &ring)) != 0)
    die("ring_new", rc);
  efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (efd < 0)
    die("eventfd", -errno);
  before = resident_bytes();
  during = round_trip(ring, efd, depth, 1);
  start = now_ns();
  for (r = 1; r < rounds; r++)
    round_trip(ring, efd, depth, 0);
  printf("%f %f %llu\n", (now_ns() - start) / ((rounds > 1 ? rounds - 1 : 1) * (double)depth),
         (during > before ? during - before : 0) / (double)depth, (unsigned long long)completed);
  ringcore_ring_free(ring);
  close(efd);
  return failed;
}
