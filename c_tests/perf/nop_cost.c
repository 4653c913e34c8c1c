/* The C hot path's cost: NOPs in batches of 32 on a 256-entry ring, each SQE taken, prepared
 * and tagged, each batch submitted with one call and reaped with peek_batch + cq_advance.
 * Built twice, against ringcore and (with -DUSE_LIBURING) against liburing; `make perf-c`
 * runs both under callgrind at two sizes and prints user-space instructions per NOP as the
 * difference in instructions over the difference in NOPs, which cancels setup costs. */
#include <stdio.h>
#include <stdlib.h>

#ifndef BATCH
#define BATCH 32
#endif
#define ENTRIES 256

#ifdef USE_LIBURING
#include <liburing.h>
#else
#include "ringcore.h"
#endif

int main(int argc, char **argv) {
  long nops = argc > 1 ? atol(argv[1]) : 100000, done = 0, i;
  unsigned long long sum = 0;
#ifdef USE_LIBURING
  struct io_uring ring;
  struct io_uring_cqe *cqes[BATCH];
  if (io_uring_queue_init(ENTRIES, &ring, 0) < 0)
    return 1;
  while (done < nops) {
    for (i = 0; i < BATCH; i++) {
      struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
      io_uring_prep_nop(sqe);
      io_uring_sqe_set_data64(sqe, (unsigned long long)(done + i));
    }
    if (io_uring_submit_and_wait(&ring, BATCH) != BATCH)
      return 1;
    unsigned n = io_uring_peek_batch_cqe(&ring, cqes, BATCH);
    for (i = 0; i < (long)n; i++)
      sum += cqes[i]->user_data;
    io_uring_cq_advance(&ring, n);
    done += n;
  }
  io_uring_queue_exit(&ring);
#else
  struct ringcore_ring *ring = NULL;
  struct ringcore_cqe *cqes[BATCH];
  if (ringcore_ring_new(ENTRIES, NULL, &ring) < 0)
    return 1;
  while (done < nops) {
    for (i = 0; i < BATCH; i++) {
      struct ringcore_sqe *sqe = ringcore_get_sqe(ring);
      ringcore_prep_nop(sqe);
      ringcore_sqe_set_data64(sqe, (unsigned long long)(done + i));
    }
    if (ringcore_submit_and_wait(ring, BATCH) != BATCH)
      return 1;
    unsigned n = ringcore_peek_batch_cqe(ring, cqes, BATCH);
    for (i = 0; i < (long)n; i++)
      sum += cqes[i]->user_data;
    ringcore_cq_advance(ring, n);
    done += n;
  }
  ringcore_ring_free(ring);
#endif
  if (sum != (unsigned long long)nops * (nops - 1) / 2)
    return 1;
  return 0;
}
